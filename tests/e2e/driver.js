// Starts tauri-driver and opens a WebDriver session on the built console, with a fresh data
// folder so that every run meets the app as a new user does.

import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const appPath = join(repoRoot, "target/debug/merchant-console");
export const artifactsDir = join(repoRoot, "tests/artifacts");
const driverPort = 4444;

async function waitForDriver(deadlineMs) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const reply = await fetch(`http://127.0.0.1:${driverPort}/status`);
      if (reply.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`tauri-driver did not listen on 127.0.0.1:${driverPort} within ${deadlineMs} ms`);
}

/** Launches the app through tauri-driver and returns the session and a way to stop both. */
export async function launchConsole() {
  mkdirSync(artifactsDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "wxmc-e2e-"));
  // The app's and WebKit's own output (portal and D-Bus warnings) goes to a log file beside
  // the screenshots, to read when a test fails.
  const log = createWriteStream(join(artifactsDir, "app.log"), { flags: "a" });
  const driver = spawn("tauri-driver", ["--port", String(driverPort)], {
    env: { ...process.env, WXMC_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  driver.stdout.pipe(log);
  driver.stderr.pipe(log);
  await waitForDriver(15_000);

  // Only tauri:options: a browserName makes WebKitWebDriver reject the session, and
  // tauri-driver speaks classic WebDriver, not BiDi.
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    connectionRetryTimeout: 120_000,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: appPath },
    },
  });

  async function stop() {
    try {
      await browser.deleteSession();
    } finally {
      driver.kill();
    }
  }
  return { browser, dataDir, stop };
}

/** Waits for the first element matching a data-testid (and optional extra selector). */
export async function byTestId(browser, testId, extra = "", timeout = 60_000) {
  const element = await browser.$(`[data-testid="${testId}"]${extra}`);
  await element.waitForDisplayed({ timeout });
  return element;
}

/** Types text through the Actions API, which WebKitWebDriver handles more reliably than
 * element "send keys". Keys sent in one burst can be dropped while the page re-renders, so
 * each key is sent alone and the field's value is checked, retrying a few times. */
export async function typeInto(browser, element, text) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await element.click();
    await browser.keys(["Control", "a"]);
    await browser.keys(["Backspace"]);
    for (const key of text) {
      await browser.keys([key]);
    }
    if ((await element.getValue()) === text) return;
    await browser.pause(200);
  }
  throw new Error(`typing "${text}" into the field kept losing keys`);
}
