import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../e2e/fake/backend';
import type { CollectInput } from '$lib/bindings/CollectInput';
import { setLang } from '$lib/i18n.svelte';
import CollectScreen from './CollectScreen.svelte';

function setUp(sandbox = true) {
  const backend = new FakeBackend({ orderCount: 0, mode: sandbox ? 'sandbox' : 'live' });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(CollectScreen, { props: { timeZone: 'Asia/Shanghai', sandbox } });
  return backend;
}

async function fill(amount: string, body: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('collect-amount'), { target: { value: amount } });
  await fireEvent.input(screen.getByTestId('collect-body'), { target: { value: body } });
}

const createButton = () => screen.getByTestId('collect-create') as HTMLButtonElement;

beforeEach(() => setLang('zh-CN'));
afterEach(() => clearMocks());

describe('CollectScreen', () => {
  it('sends no order while the form is invalid', async () => {
    const backend = setUp();
    await fill('0', '咖啡');
    await fireEvent.click(createButton());

    expect(screen.getByTestId('collect-amount-error').textContent).toContain('必须大于 0');
    expect(createButton().disabled).toBe(true);
    expect(backend.calls.some((call) => call.command === 'collect_native')).toBe(false);
  });

  it('sends the amount in fen and the trimmed body', async () => {
    const backend = setUp();
    await fill('12.34', ' 拿铁 ');
    await fireEvent.click(createButton());

    await waitFor(() => expect(screen.getByTestId('collect-qr')).toBeTruthy());
    const sent = backend.calls.find((call) => call.command === 'collect_native');
    expect(sent?.args.input as CollectInput).toEqual({ total_fee: 1234, body: '拿铁' });
    expect(screen.getByTestId('collect-total').textContent).toBe('¥12.34');
    expect(screen.getByTestId('collect-status').dataset.state).toBe('NOTPAY');
  });

  it('polls order_detail until SUCCESS', async () => {
    const backend = setUp();
    await fill('3', '茶');
    await fireEvent.click(createButton());
    await waitFor(() => expect(screen.getByTestId('collect-order-no')).toBeTruthy());

    const outTradeNo = screen.getByTestId('collect-order-no').textContent ?? '';
    backend.payOrder(outTradeNo);
    await waitFor(
      () => expect(screen.getByTestId('collect-status').dataset.state).toBe('SUCCESS'),
      {
        timeout: 3000,
      },
    );
    expect(screen.getByTestId('collect-status').textContent).toContain('支付成功');
    expect(backend.calls.some((call) => call.command === 'order_detail')).toBe(true);
    expect(screen.queryByTestId('collect-simulate-pay')).toBeNull();
  });

  it('stops watching when cancelled', async () => {
    const backend = setUp();
    await fill('3', '茶');
    await fireEvent.click(createButton());
    await waitFor(() => expect(screen.getByTestId('collect-cancel')).toBeTruthy());

    await fireEvent.click(screen.getByTestId('collect-cancel'));
    expect(screen.getByTestId('collect-status').dataset.state).toBe('CANCELLED');
    const polls = backend.calls.filter((call) => call.command === 'order_detail').length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(backend.calls.filter((call) => call.command === 'order_detail').length).toBe(polls);
  });

  it('pays through the sandbox button', async () => {
    const backend = setUp();
    await fill('5', '茶');
    await fireEvent.click(createButton());
    await fireEvent.click(await screen.findByTestId('collect-simulate-pay'));

    await waitFor(() => expect(screen.getByTestId('collect-status').dataset.state).toBe('SUCCESS'));
    expect(backend.calls.some((call) => call.command === 'sandbox_pay_order')).toBe(true);
  });

  it('shows the error in English', async () => {
    setLang('en');
    setUp(false);
    await fill('1', 'Tea');
    await fireEvent.click(createButton());

    const banner = await screen.findByTestId('error-banner');
    expect(banner.dataset.code).toBe('NO_NOTIFY_URL');
    expect(banner.textContent).toContain('In live mode WeChat cannot reach this computer');
    expect(screen.queryByTestId('collect-simulate-pay')).toBeNull();
  });
});
