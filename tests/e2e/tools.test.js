// The Tools screen and the sandbox panel in the real window against the in-process
// simulator: access_token refresh, the OAuth flow to an openid, a balance top-up and a
// fault armed and cleared.

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

test("tools refresh the token and run OAuth to an openid", async () => {
  const { browser } = session;
  await (await byTestId(browser, "nav-tools", "", 180_000)).click();

  await (await byTestId(browser, "token-refresh")).click();
  const times = await byTestId(browser, "token-times", "", 30_000);
  assert.match(await times.getText(), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

  await (await byTestId(browser, "oauth-sandbox")).click();
  await byTestId(browser, "oauth-qr", "", 30_000);
  const pasted = await byTestId(browser, "oauth-pasted");
  await browser.waitUntil(async () => (await pasted.getValue()).includes("code="), {
    timeout: 30_000,
    timeoutMsg: "the simulator's redirect never filled the pasted field",
  });
  await (await byTestId(browser, "oauth-exchange")).click();
  const openid = await byTestId(browser, "oauth-openid", "", 30_000);
  assert.match(await openid.getText(), /^o[\w-]{20,}$/);
  await browser.saveScreenshot(join(artifactsDir, "tools.png"));
});

test("sandbox panel tops up the balance and arms a fault", async () => {
  const { browser } = session;
  await (await byTestId(browser, "nav-sandbox")).click();
  const balance = await byTestId(browser, "sandbox-balance", "", 30_000);
  const before = await balance.getText();

  await typeInto(browser, await byTestId(browser, "sandbox-amount"), "12.34");
  await (await byTestId(browser, "sandbox-top-up")).click();
  await browser.waitUntil(async () => (await balance.getText()) !== before, {
    timeout: 15_000,
    timeoutMsg: "the balance did not change after the top-up",
  });
  const cents = (text) => Number(text.replace(/[¥,.]/g, ""));
  assert.equal(cents(await balance.getText()) - cents(before), 1234);

  await (await byTestId(browser, "fault-arm")).click();
  const row = await byTestId(browser, "fault-row", "", 15_000);
  assert.match(await row.getText(), /\/pay\//);
  await browser.saveScreenshot(join(artifactsDir, "sandbox-panel.png"));

  await (await byTestId(browser, "fault-clear")).click();
  await byTestId(browser, "faults-empty", "", 15_000);
});
