// The counter's Collect screen in the real window against the in-process simulator. A
// ¥12.34 Native order is shown as a QR code and paid by the simulated customer. The stored
// order then turns SUCCESS through the simulator's notify or the orderquery that follows.

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

test("collect ¥12.34 until paid", async () => {
  const { browser } = session;
  await (await byTestId(browser, "nav-collect", "", 180_000)).click();

  await typeInto(browser, await byTestId(browser, "collect-amount"), "12.34");
  await typeInto(browser, await byTestId(browser, "collect-body"), "Latte");
  await (await byTestId(browser, "collect-create")).click();

  const qr = await byTestId(browser, "collect-qr", "", 30_000);
  assert.match(await qr.getAttribute("src"), /^data:image\/svg\+xml/);
  assert.match(await qr.getAttribute("data-code-url"), /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  assert.equal(await (await byTestId(browser, "collect-total")).getText(), "¥12.34");
  const outTradeNo = await (await byTestId(browser, "collect-order-no")).getText();
  assert.match(outTradeNo, /^C\d{20}$/);

  const status = await byTestId(browser, "collect-status");
  assert.equal(await status.getAttribute("data-state"), "NOTPAY");

  await (await byTestId(browser, "collect-simulate-pay")).click();
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "SUCCESS", {
    timeout: 30_000,
    timeoutMsg: "the order never reached SUCCESS after the simulated payment",
  });
  assert.match(await status.getText(), /支付成功 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await browser.saveScreenshot(join(artifactsDir, "collect.png"));
});
