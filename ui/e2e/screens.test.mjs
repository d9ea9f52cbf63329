// Drives the built console in Chromium against the fake backend through the CSV export,
// the Tools screen (OAuth with its QR code, signature checker, notify decoder), the
// Collect screen and the sandbox panel, under the app's CSP.
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

test('filtered orders export to CSV with progress', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    // Enough JSAPI orders for several pages, each slow enough for the progress panel to
    // stay up while the test looks at it.
    orderCount: 9000,
    stepMs: 600,
  });
  await page.locator('[data-testid="order-row"]').first().waitFor();

  await page.locator('[data-testid="type-filter"][data-type="JSAPI"]').click();
  await byTestId(page, 'min-fee').fill('10');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="totals"]')?.textContent?.match(/共 \d+ 笔/),
  );
  await page.waitForTimeout(400);
  const totals = await byTestId(page, 'totals').innerText();
  const count = Number(/共 (\d+) 笔/.exec(totals)?.[1]);
  assert.ok(count > 2000 && count < 9000, `the filter matched ${count} orders`);

  await byTestId(page, 'btn-export').click();
  await byTestId(page, 'export-progress').waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="export-progress"]')?.textContent?.includes('已写入'),
  );
  await page.screenshot({ path: join(resultsDir, 'export-progress.png') });
  const report = byTestId(page, 'export-report');
  await report.waitFor({ timeout: 10_000 });
  assert.match(await report.innerText(), new RegExp(`已导出 ${count} 行到`));
  assert.equal(await byTestId(page, 'export-path').innerText(), '/home/shop/订单.csv');

  const filter = await page.evaluate(
    () =>
      window.__fake.backend.calls.find((call) => call.command === 'export_orders_csv').args.filter,
  );
  assert.deepEqual(filter.trade_types, ['JSAPI']);
  assert.equal(filter.min_fee, 1000);
  assert.deepEqual(problems, []);
  await context.close();
});

test('export can be cancelled', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    orderCount: 5000,
    stepMs: 300,
  });
  await page.locator('[data-testid="order-row"]').first().waitFor();

  await byTestId(page, 'btn-export').click();
  await byTestId(page, 'export-cancel').click();

  const report = byTestId(page, 'export-report');
  await report.waitFor({ timeout: 10_000 });
  assert.match(await report.innerText(), /导出已取消/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Tools OAuth flow shows a QR code and an openid', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await byTestId(page, 'nav-tools').click();

  await byTestId(page, 'token-refresh').click();
  await byTestId(page, 'token-times').waitFor();
  assert.match(await byTestId(page, 'token-times').innerText(), /剩余 1\d\d 分钟/);

  await byTestId(page, 'oauth-build').click();
  const qr = byTestId(page, 'oauth-qr');
  await qr.waitFor();
  // The QR image loads under img-src 'self' data:, so it has a real size.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="oauth-qr"]')?.naturalWidth > 0,
  );
  assert.match(await byTestId(page, 'oauth-url').innerText(), /scope=snsapi_base/);

  await byTestId(page, 'oauth-sandbox').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="oauth-pasted"]')?.value.includes('code='),
  );
  await byTestId(page, 'oauth-pasted').press('Enter');
  await byTestId(page, 'oauth-openid').waitFor();
  assert.match(await byTestId(page, 'oauth-openid').innerText(), /^oUpF8u/);
  await page.screenshot({ path: join(resultsDir, 'tools.png'), fullPage: true });

  await byTestId(page, 'oauth-exchange').click();
  await byTestId(page, 'oauth-code-help').waitFor();
  const banner = page.locator('[data-testid="oauth-card"] [data-testid="error-banner"]');
  assert.equal(await banner.getAttribute('data-code'), '40163');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Tools checks a signature and decodes a refund notify', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await byTestId(page, 'nav-tools').click();

  await byTestId(page, 'signature-input').fill(
    'appid=wx2421b1c4370ec43b\nmch_id=10000100\nsign=C380BEC2BFD727A4B6845133519F3AD6',
  );
  await byTestId(page, 'signature-input').press('Control+Enter');
  await byTestId(page, 'signature-ok').waitFor();
  assert.match(await byTestId(page, 'signed-string').innerText(), /key=\*{32}$/);

  const reqInfo = await page.evaluate(
    () => 'T87GAHG17TGAHG1TGHAHAHA1Y1CIOA9UGJH1GAHV871HAGAGQYQQPOOJMXNBCXBVNMNMAJAA',
  );
  await byTestId(page, 'notify-input').fill(
    `<xml><return_code>SUCCESS</return_code><req_info><![CDATA[${reqInfo}]]></req_info></xml>`,
  );
  await byTestId(page, 'notify-decode').click();
  const result = byTestId(page, 'notify-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-kind'), 'refund');
  assert.equal(await byTestId(page, 'notify-refund').innerText(), '¥8.00');
  assert.deepEqual(problems, []);
  await context.close();
});

test('sandbox panel tops up, pays an order and arms a fault', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await byTestId(page, 'mode-badge').click();
  await byTestId(page, 'sandbox-balance').waitFor();
  assert.equal(await byTestId(page, 'sandbox-balance').innerText(), '¥10000.00');

  await byTestId(page, 'sandbox-amount').fill('12.34');
  await byTestId(page, 'sandbox-top-up').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="sandbox-balance"]')?.textContent === '¥10012.34',
  );

  await page.locator('[data-testid="sandbox-pay-row"]').first().click();
  await byTestId(page, 'sandbox-notice').waitFor();
  assert.match(await byTestId(page, 'sandbox-notice').innerText(), /已支付/);

  await byTestId(page, 'fault-kind').selectOption('system_error');
  await byTestId(page, 'fault-arm').click();
  await byTestId(page, 'fault-row').waitFor();
  assert.match(await byTestId(page, 'fault-row').innerText(), /SYSTEMERROR/);
  await page.screenshot({ path: join(resultsDir, 'sandbox-panel.png'), fullPage: true });

  await byTestId(page, 'fault-clear').click();
  await byTestId(page, 'faults-empty').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('collect shows a QR code and waits until paid', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource);
  await byTestId(page, 'nav-collect').click();

  await byTestId(page, 'collect-amount').fill('0');
  await byTestId(page, 'collect-body').fill('咖啡');
  assert.match(await byTestId(page, 'collect-amount-error').innerText(), /必须大于 0/);
  await byTestId(page, 'collect-body').fill('茶'.repeat(43));
  assert.match(await byTestId(page, 'collect-body-error').innerText(), /129 字节/);

  await byTestId(page, 'collect-amount').fill('12.34');
  await byTestId(page, 'collect-body').fill('拿铁 大杯');
  await byTestId(page, 'collect-create').click();
  const qr = byTestId(page, 'collect-qr');
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  assert.match(await qr.getAttribute('data-code-url'), /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  assert.equal(await byTestId(page, 'collect-total').innerText(), '¥12.34');
  const outTradeNo = await byTestId(page, 'collect-order-no').innerText();
  const created = await page.evaluate(
    (no) => window.__fake.backend.records.find(({ row }) => row.out_trade_no === no)?.row,
    outTradeNo,
  );
  assert.equal(created.total_fee, 1234);
  assert.equal(created.body, '拿铁 大杯');
  assert.equal(await byTestId(page, 'collect-status').getAttribute('data-state'), 'NOTPAY');

  // The status comes from polling order_detail, so a payment made elsewhere shows up too.
  await page.evaluate((no) => {
    window.__fake.backend.payOrder(no);
  }, outTradeNo);
  await page.locator('[data-testid="collect-status"][data-state="SUCCESS"]').waitFor();
  assert.match(await byTestId(page, 'collect-status').innerText(), /支付成功/);
  await page.screenshot({ path: join(resultsDir, 'collect-paid.png'), fullPage: true });

  // A second order, paid with the sandbox button.
  await byTestId(page, 'collect-new').click();
  await byTestId(page, 'collect-amount').fill('3');
  await byTestId(page, 'collect-create').click();
  await page.locator('[data-testid="collect-status"][data-state="NOTPAY"]').waitFor();
  await byTestId(page, 'collect-simulate-pay').click();
  await page.locator('[data-testid="collect-status"][data-state="SUCCESS"]').waitFor();
  const calls = await page.evaluate(() =>
    window.__fake.backend.calls.map(({ command }) => command),
  );
  assert.ok(calls.includes('sandbox_pay_order'));
  assert.ok(calls.includes('order_detail'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('collect in live mode explains the error in English', async () => {
  const { page, context, problems } = await openConsole(browser, server.url, fakeSource, {
    mode: 'live',
  });
  await byTestId(page, 'lang-switch').selectOption('en');
  await byTestId(page, 'nav-collect').click();
  await byTestId(page, 'collect-amount').fill('1.5');
  await byTestId(page, 'collect-body').fill('Tea');
  await byTestId(page, 'collect-create').click();
  const banner = page.locator('[data-testid="error-banner"][data-code="NO_NOTIFY_URL"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /In live mode WeChat cannot reach this computer/);
  assert.equal(await byTestId(page, 'collect-qr').count(), 0);
  assert.equal(await byTestId(page, 'collect-simulate-pay').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
