// The developer's job end to end: open the ads screen, fill a purchase conversion, see the
// exact JSON body that will be sent, send it to the simulator and read WeChat's answer.

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

test("orders screen shows history with totals", async () => {
  const { browser } = session;
  await browser.waitUntil(async () => (await browser.$$('[data-testid="order-row"]')).length > 5, {
    timeout: 180_000,
    timeoutMsg: "no order rows appeared after the first sync",
  });
  const firstRow = (await browser.$$('[data-testid="order-row"]'))[0];
  await firstRow.click();
  await byTestId(browser, "order-detail");
  await browser.saveScreenshot(join(artifactsDir, "orders.png"));
});

test("purchase action preview matches what is sent", async () => {
  const { browser } = session;
  await (await byTestId(browser, "nav-ads")).click();

  const openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";
  await typeInto(browser, await byTestId(browser, "ad-openid"), openid);
  await typeInto(browser, await byTestId(browser, "ad-value"), "1990");

  const preview = await byTestId(browser, "ad-preview");
  await browser.waitUntil(async () => (await preview.getText()).includes(openid), {
    timeout: 15_000,
    timeoutMsg: "the JSON preview never showed the openid",
  });
  const body = JSON.parse(await preview.getText());
  assert.equal(body.actions[0].user_id.wechat_openid, openid);
  assert.equal(body.actions[0].action_param.value, 1990);

  await (await byTestId(browser, "ad-send")).click();
  const result = await byTestId(browser, "ad-result");
  await browser.waitUntil(async () => /errcode|0/.test(await result.getText()), {
    timeout: 30_000,
    timeoutMsg: "no answer from the simulator was shown",
  });
  await browser.waitUntil(async () => (await browser.$$('[data-testid="ad-log-row"]')).length > 0, {
    timeout: 15_000,
    timeoutMsg: "the sent action did not appear in the log",
  });
  const logRow = (await browser.$$('[data-testid="ad-log-row"]'))[0];
  assert.equal(await logRow.getAttribute("data-errcode"), "0");
  await browser.saveScreenshot(join(artifactsDir, "ads.png"));
});
