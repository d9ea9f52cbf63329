import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { emit } from '@tauri-apps/api/event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBackend, type FakeOptions } from '../e2e/fake/backend';
import { setLang } from '$lib/i18n.svelte';
import App from './App.svelte';

function setUp(options: FakeOptions = {}) {
  const backend = new FakeBackend({ orderCount: 50, stepMs: 5, ...options });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>), {
    shouldMockEvents: true,
  });
  render(App);
  return backend;
}

const count = (backend: FakeBackend, command: string) =>
  backend.calls.filter((call) => call.command === command).length;

beforeEach(() => setLang('zh-CN'));
afterEach(async () => {
  // Unmounting removes the event listener a tick later, through the mocked internals.
  cleanup();
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

describe('App first launch', () => {
  it('syncs 30 days when nothing was synced', async () => {
    const backend = setUp({ syncedDays: 0 });

    const progress = await screen.findByTestId('sync-progress');
    expect(progress.textContent).toContain('正在同步账单');
    await waitFor(() => expect(screen.queryByTestId('sync-progress')).toBeNull());

    const sync = backend.calls.find((call) => call.command === 'sync_history');
    expect(sync?.args.days).toBe(30);
    expect(screen.getByText(/同步完成：30 天/)).toBeTruthy();
    // The list is read again once the bills are in.
    await waitFor(() => expect(count(backend, 'list_orders')).toBeGreaterThanOrEqual(2));
  });

  it('skips the sync when history exists', async () => {
    const backend = setUp({ syncedDays: 30 });
    await screen.findAllByTestId('order-row');

    expect(count(backend, 'sync_history')).toBe(0);
  });

  it('cancels a running sync', async () => {
    const backend = setUp({ syncedDays: 0, stepMs: 30 });
    await screen.findByTestId('sync-progress');

    await fireEvent.click(screen.getByText('取消'));

    await waitFor(() => expect(screen.queryByTestId('sync-progress')).toBeNull());
    expect(count(backend, 'cancel_sync')).toBe(1);
    expect(screen.getByText(/同步已取消/)).toBeTruthy();
  });

  it('marks the sandbox in the toolbar', async () => {
    setUp();

    const badge = await screen.findByTestId('mode-badge');
    expect(badge.dataset.mode).toBe('sandbox');
    expect(badge.textContent).toContain('沙箱环境');
  });

  it('shows an explained status error with a retry', async () => {
    const backend = new FakeBackend({ orderCount: 5 });
    let fail = true;
    mockIPC(
      (command, args) => {
        if (command === 'app_status' && fail) {
          fail = false;
          return Promise.reject({
            code: 'KEYRING_UNAVAILABLE',
            message_zh: '无法打开钥匙串。请安装或解锁 Secret Service（gnome-keyring）。',
            message_en: 'The keyring could not be opened. Install or unlock a Secret Service.',
            retryable: true,
          });
        }
        return backend.handle(command, args as Record<string, unknown>);
      },
      { shouldMockEvents: true },
    );
    render(App);

    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('请安装或解锁');
    await fireEvent.click(screen.getByText('重试'));

    await screen.findByTestId('mode-badge');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});

describe('App import and language', () => {
  it('imports a bill from the menu event', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');

    await emit('import-bill');

    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('All2024-03-01.csv');
    expect(report.textContent).toContain('汇总行与明细一致');
    expect(count(backend, 'pick_and_import_bill')).toBe(1);
  });

  it('does nothing when the file dialog is cancelled', async () => {
    const backend = new FakeBackend({ orderCount: 5 });
    mockIPC(
      (command, args) =>
        command === 'pick_and_import_bill'
          ? null
          : backend.handle(command, args as Record<string, unknown>),
      { shouldMockEvents: true },
    );
    render(App);
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByTestId('btn-import'));

    await waitFor(() =>
      expect(screen.getByTestId('btn-import').hasAttribute('disabled')).toBe(false),
    );
    expect(screen.queryByTestId('import-report')).toBeNull();
  });

  it('switches the labels to English', async () => {
    setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });

    expect(screen.getByTestId('nav-orders').textContent).toContain('Orders');
    expect(screen.getByTestId('nav-ads').textContent).toContain('Ads');
    expect(screen.getByText('Merchant order no.')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('App tools and sandbox navigation', () => {
  it('opens the sandbox panel from the badge', async () => {
    setUp();
    const badge = await screen.findByTestId('mode-badge');
    expect(badge.tagName).toBe('BUTTON');

    await fireEvent.click(badge);

    expect(await screen.findByTestId('sandbox-screen')).toBeTruthy();
    expect(screen.getByTestId('nav-sandbox').getAttribute('aria-current')).toBe('page');
  });

  it('offers no sandbox panel for a live profile', async () => {
    setUp({ mode: 'live' });
    const badge = await screen.findByTestId('mode-badge');
    await screen.findAllByTestId('order-row');

    expect(badge.tagName).toBe('SPAN');
    expect(badge.textContent).toContain('正式环境');
    expect(screen.queryByTestId('nav-sandbox')).toBeNull();
  });

  it('opens the Tools screen from the sidebar', async () => {
    setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByTestId('nav-tools'));

    expect(await screen.findByTestId('token-card')).toBeTruthy();
    expect(screen.getByTestId('oauth-card')).toBeTruthy();
    expect(screen.getByTestId('signature-card')).toBeTruthy();
    expect(screen.getByTestId('notify-card')).toBeTruthy();
  });
});
