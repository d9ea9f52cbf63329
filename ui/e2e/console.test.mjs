// Drives the built console in Chromium against the fake backend: first sync, the
// virtualised order table, keyboard use, a refund followed to SUCCESS, and the ads form.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  bundleFakeBackend,
  launchBrowser,
  openConsole,
  resultsDir,
  serveDist,
} from './harness.mjs';

let server;
let browser;
let fakeSource;

before(async () => {
  fakeSource = await bundleFakeBackend();
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

test('first launch syncs, then lists orders', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    syncedDays: 0,
    stepMs: 40,
  });

  const progress = byTestId(page, 'sync-progress');
  await progress.waitFor();
  assert.match(await progress.innerText(), /正在同步账单/);
  await progress.waitFor({ state: 'detached', timeout: 10_000 });

  await page.locator('[data-testid="order-row"]').first().waitFor();
  assert.match(await byTestId(page, 'totals').innerText(), /共 1000 笔/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('table keeps only visible rows and pages on scroll', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  const table = byTestId(page, 'orders-table');
  await page.locator('[data-testid="order-row"]').first().waitFor();

  assert.equal(await table.getAttribute('data-row-count'), '200');
  const rendered = await page.locator('[data-testid="order-row"]').count();
  assert.ok(rendered < 60, `expected a window of rows, found ${rendered} in the DOM`);
  await page.screenshot({ path: join(resultsDir, 'orders.png') });

  const rowHeight = await page
    .locator('[data-testid="order-row"]')
    .first()
    .evaluate((row) => row.getBoundingClientRect().height);
  assert.equal(rowHeight, 36);

  await table.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await page.waitForFunction(
    () => document.querySelector('[data-testid="orders-table"]')?.dataset.rowCount === '400',
  );
  assert.ok((await page.locator('[data-testid="order-row"]').count()) < 60);

  // Newest first: the first row is the latest order.
  await table.evaluate((element) => (element.scrollTop = 0));
  const rows = page.locator('[data-testid="order-row"]');
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="order-row"]')?.getAttribute('aria-rowindex') === '2',
  );
  assert.equal(await rows.first().getAttribute('data-out-trade-no'), await newestOrderNo(page));

  // j/k move the selection on the focused table; Enter opens the selected order.
  await table.focus();
  for (const key of ['j', 'j', 'j', 'k']) {
    await page.keyboard.press(key);
  }
  assert.equal(await rows.nth(1).getAttribute('aria-selected'), 'true');
  const second = await rows.nth(1).getAttribute('data-out-trade-no');
  await page.keyboard.press('Enter');
  await byTestId(page, 'order-detail').waitFor();
  assert.match(await byTestId(page, 'order-detail').innerText(), new RegExp(second));
  await page.keyboard.press('Escape');
  await byTestId(page, 'order-detail').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard search, move, open and refund to SUCCESS', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    stepMs: 120,
  });
  await page.locator('[data-testid="order-row"]').first().waitFor();
  const target = await page.evaluate(() => {
    const record = window.__fake.backend.records.find(
      ({ row, refunds }) => row.trade_state === 'SUCCESS' && refunds.length === 0,
    );
    return { no: record.row.out_trade_no, fee: record.row.total_fee };
  });

  await page.locator('body').press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'search-input');
  await page.keyboard.type(target.no);
  const row = page.locator(`[data-testid="order-row"][data-out-trade-no="${target.no}"]`);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="order-row"]').length === 1,
  );
  await row.waitFor();

  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'orders-table');
  assert.equal(await row.getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');

  const drawer = byTestId(page, 'order-detail');
  await drawer.waitFor();
  assert.match(await drawer.innerText(), new RegExp(target.no));
  await byTestId(page, 'timeline-event').first().waitFor();

  await byTestId(page, 'btn-query').click();
  await page.locator('[data-testid="timeline-event"][data-kind="queried"]').waitFor();

  await byTestId(page, 'btn-refund').click();
  const amount = byTestId(page, 'refund-amount');
  await amount.waitFor();
  assert.equal(await amount.inputValue(), formatYuan(target.fee));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'refund-amount');

  await amount.fill('0');
  assert.equal(await byTestId(page, 'refund-next').isDisabled(), true);
  await amount.fill('1.234');
  assert.match(await byTestId(page, 'refund-dialog').innerText(), /最多两位小数/);
  await amount.fill('0.01');
  await byTestId(page, 'refund-reason').fill('顾客退货');
  await amount.press('Enter');

  const confirm = byTestId(page, 'refund-confirm');
  await confirm.waitFor();
  const dialogText = await byTestId(page, 'refund-dialog').innerText();
  assert.match(dialogText, new RegExp(`确认退款 ¥0\\.01 给订单 ${target.no}？`));
  assert.match(await confirm.innerText(), /¥0\.01/);
  await confirm.click();

  const item = page.locator('[data-testid="refund-item"][data-status="SUCCESS"]').first();
  await page.locator('[data-testid="refund-item"][data-status="PROCESSING"]').waitFor();
  await item.waitFor({ timeout: 10_000 });
  assert.match(await byTestId(page, 'refund-dialog').innerText(), /退款成功/);
  await page.screenshot({ path: join(resultsDir, 'refund-dialog.png') });

  await page.keyboard.press('Escape');
  await byTestId(page, 'refund-dialog').waitFor({ state: 'detached' });
  await page
    .locator('[data-testid="timeline-event"][data-kind="refund_succeeded"]')
    .waitFor({ timeout: 5000 });
  assert.match(await row.innerText(), /¥0\.01/);
  await page.screenshot({ path: join(resultsDir, 'order-detail.png') });

  const calls = await page.evaluate(() =>
    window.__fake.backend.calls.filter((call) => call.command === 'refund_order'),
  );
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].args.input, {
    out_trade_no: target.no,
    out_refund_no: null,
    refund_fee: 1,
    reason: '顾客退货',
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('refund failure shows the explained message', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    refundError: {
      code: 'NOTENOUGH',
      message_zh: '退款失败：商户账户余额不足。请先充值后再退款。',
      message_en: 'Refund failed: the merchant balance is too low. Top up, then refund again.',
      retryable: false,
    },
  });
  await page.locator('[data-testid="order-row"][data-state="SUCCESS"]').first().click();
  await byTestId(page, 'btn-refund').click();
  await byTestId(page, 'refund-next').click();
  await byTestId(page, 'refund-confirm').click();

  const banner = page.locator('[data-testid="refund-dialog"] [data-testid="error-banner"]');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-code'), 'NOTENOUGH');
  assert.match(await banner.innerText(), /请先充值/);

  await page.keyboard.press('Escape');
  await byTestId(page, 'lang-switch').selectOption('en');
  assert.match(await byTestId(page, 'nav-orders').innerText(), /Orders/);
  await byTestId(page, 'btn-refund').click();
  await byTestId(page, 'refund-next').click();
  await byTestId(page, 'refund-confirm').click();
  await banner.waitFor();
  assert.match(await banner.innerText(), /Top up/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('ads form previews, sends and logs', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await byTestId(page, 'nav-ads').click();
  await byTestId(page, 'ad-action-type').selectOption('PURCHASE');
  await byTestId(page, 'ad-openid').fill('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  await byTestId(page, 'ad-value').fill('1999');
  await byTestId(page, 'ad-claim-type').selectOption('1');

  const preview = byTestId(page, 'ad-preview');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="ad-preview"]')?.textContent?.includes('"value": 1999'),
  );
  const body = JSON.parse(await preview.innerText());
  assert.equal(body.actions[0].user_id.wechat_openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  assert.equal(body.actions[0].action_param.claim_type, 1);

  await byTestId(page, 'ad-send').click();
  const result = byTestId(page, 'ad-result');
  await page.locator('[data-testid="ad-result"] [data-errcode="0"]').waitFor();
  assert.match(await result.innerText(), /errcode 0/);
  await page.locator('[data-testid="ad-log-row"]').first().waitFor();
  await page.screenshot({ path: join(resultsDir, 'ads.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('menu import event runs the import flow', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await page.locator('[data-testid="order-row"]').first().waitFor();
  await page.evaluate(() => window.__fake.emitImportBill());
  const report = byTestId(page, 'import-report');
  await report.waitFor();
  assert.match(await report.innerText(), /All2024-03-01\.csv/);
  assert.match(await report.innerText(), /97/);
  assert.deepEqual(problems, []);
  await context.close();
});

async function newestOrderNo(page) {
  return page.evaluate(() => window.__fake.backend.records[0].row.out_trade_no);
}

function formatYuan(fen) {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
