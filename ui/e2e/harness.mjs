// Serves the built UI on a loopback port under the app's CSP, bundles the fake backend,
// and opens Debian's Chromium through playwright-core with the fake injected first.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const uiRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(uiRoot, 'dist');
export const resultsDir = join(uiRoot, 'test-results');
const fakeBundle = join(uiRoot, 'e2e/.build/fake-backend.js');

// The policy tauri.conf.json gives the window, so a build that needs inline scripts or
// eval fails here as it would in the app.
const CSP = [
  "default-src 'self'",
  'connect-src ipc: http://ipc.localhost',
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function bundleFakeBackend() {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: uiRoot,
    resolve: { alias: { $lib: join(uiRoot, 'src/lib') } },
    build: {
      outDir: join(uiRoot, 'e2e/.build'),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: join(uiRoot, 'e2e/fake/install.ts'),
        formats: ['iife'],
        name: 'fakeBackend',
        fileName: () => 'fake-backend.js',
      },
    },
  });
  return readFile(fakeBundle, 'utf8');
}

export async function serveDist() {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const relative = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(distDir, relative));
      response.writeHead(200, {
        'Content-Type': TYPES[extname(relative)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

export async function launchBrowser() {
  await mkdir(resultsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
}

/**
 * Opens the console with a fresh fake backend. Page errors, console errors and CSP
 * violations are collected in `problems` for the test to assert empty.
 */
export async function openConsole(browser, baseUrl, fakeSource, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await context.addInitScript({
    content: `window.__FAKE_OPTIONS__ = ${JSON.stringify(options)};\n${fakeSource}`,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(baseUrl);
  return { page, context, problems };
}
