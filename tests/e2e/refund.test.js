// The main job end to end: a new user opens the console in sandbox mode, sees the synced
// history, opens an order, refunds part of it and follows the refund to its final state.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { artifactsDir, byTestId, launchConsole, typeInto } from "./driver.js";

let session;

before(async () => {
  session = await launchConsole();
});

after(async () => {
  await session?.stop();
});

test("first launch shows the synced sandbox history", async () => {
  const { browser } = session;
  await byTestId(browser, "orders-table", "", 120_000);
  // The first sync pulls 30 days of bills; rows appear once it has finished.
  await browser.waitUntil(async () => (await browser.$$('[data-testid="order-row"]')).length > 5, {
    timeout: 180_000,
    timeoutMsg: "no order rows appeared after the first sync",
  });
  const totals = await byTestId(browser, "totals");
  assert.match(await totals.getText(), /¥\d/);
});

test("partial refund reaches its final state in the timeline", async () => {
  const { browser } = session;

  const searchBox = await byTestId(browser, "search-input");
  const paidRow = await findRefundableRow(browser);
  const outTradeNo = await paidRow.getAttribute("data-out-trade-no");
  await typeInto(browser, searchBox, outTradeNo);
  const row = await byTestId(browser, "order-row", `[data-out-trade-no="${outTradeNo}"]`);
  await row.click();

  await byTestId(browser, "order-detail");
  await (await byTestId(browser, "btn-refund")).click();
  const amount = await byTestId(browser, "refund-amount");
  await typeInto(browser, amount, "0.01");
  await typeInto(browser, await byTestId(browser, "refund-reason"), "e2e partial refund");
  await (await byTestId(browser, "refund-next")).click();
  const confirm = await byTestId(browser, "refund-confirm");
  assert.match(await confirm.getText(), /¥0\.01/);
  await confirm.click();

  const refund = await byTestId(browser, "refund-item", "", 30_000);
  await browser.waitUntil(async () => (await refund.getAttribute("data-status")) === "SUCCESS", {
    timeout: 60_000,
    timeoutMsg: "the refund did not reach SUCCESS",
  });
  const timeline = await byTestId(browser, "timeline");
  assert.match(await timeline.getText(), /退款|Refund/);

  await browser.saveScreenshot(join(artifactsDir, "refund-timeline.png"));
});

async function findRefundableRow(browser) {
  for (const row of await browser.$$('[data-testid="order-row"]')) {
    if ((await row.getAttribute("data-state")) === "SUCCESS") return row;
  }
  throw new Error("no paid (SUCCESS) order in the first rows of the history");
}
