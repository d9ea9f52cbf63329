import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBackend, type FakeOptions } from '../../../e2e/fake/backend';
import { setLang } from '$lib/i18n.svelte';
import SandboxScreen from './SandboxScreen.svelte';

function setUp(options: FakeOptions = {}) {
  const backend = new FakeBackend({ orderCount: 60, ...options });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(SandboxScreen, {
    props: { timeZone: 'Asia/Shanghai', sandbox: (options.mode ?? 'sandbox') === 'sandbox' },
  });
  return backend;
}

beforeEach(() => setLang('zh-CN'));
afterEach(() => clearMocks());

describe('SandboxScreen balance', () => {
  it('tops up and sets the balance in fen', async () => {
    const backend = setUp();
    expect((await screen.findByTestId('sandbox-balance')).textContent).toBe('¥10000.00');

    await fireEvent.input(screen.getByTestId('sandbox-amount'), { target: { value: '25.50' } });
    await fireEvent.click(screen.getByTestId('sandbox-top-up'));
    await waitFor(() =>
      expect(screen.getByTestId('sandbox-balance').textContent).toBe('¥10025.50'),
    );
    expect(screen.getByTestId('sandbox-notice').textContent).toBe('余额已更新为 ¥10025.50');
    const topUp = backend.calls.find((call) => call.command === 'sandbox_top_up');
    expect(topUp?.args.amountFen).toBe(2550);

    await fireEvent.input(screen.getByTestId('sandbox-amount'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('sandbox-set-balance'));
    await waitFor(() => expect(screen.getByTestId('sandbox-balance').textContent).toBe('¥0.00'));
  });

  it('rejects an invalid amount before sending', async () => {
    const backend = setUp();
    await screen.findByTestId('sandbox-balance');

    await fireEvent.input(screen.getByTestId('sandbox-amount'), { target: { value: 'abc' } });

    expect(screen.getByText('金额格式不正确，例如 100.00')).toBeTruthy();
    expect((screen.getByTestId('sandbox-top-up') as HTMLButtonElement).disabled).toBe(true);
    expect(backend.calls.some((call) => call.command === 'sandbox_top_up')).toBe(false);
  });

  it('shows a top-up error from the simulator', async () => {
    setUp();
    await screen.findByTestId('sandbox-balance');

    await fireEvent.input(screen.getByTestId('sandbox-amount'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('sandbox-top-up'));

    expect((await screen.findByTestId('error-banner')).dataset.code).toBe('INVALID_AMOUNT');
  });
});

describe('SandboxScreen refund delay and payment', () => {
  it('sets the refund delay in milliseconds', async () => {
    const backend = setUp();
    const delay = (await screen.findByTestId('sandbox-delay')) as HTMLInputElement;
    expect(delay.value).toBe('3');

    await fireEvent.input(delay, { target: { value: '10' } });
    await fireEvent.click(screen.getByTestId('sandbox-set-delay'));

    await waitFor(() =>
      expect(screen.getByTestId('sandbox-delay-current').textContent).toContain('10'),
    );
    expect(screen.getByTestId('sandbox-notice').textContent).toContain('10 秒');
    const call = backend.calls.find((held) => held.command === 'sandbox_set_refund_delay');
    expect(call?.args.delayMs).toBe(10_000);
  });

  it('pays an unpaid order from the list', async () => {
    const backend = setUp();
    const rows = await screen.findAllByTestId('sandbox-pay-row');
    const before = rows.length;

    await fireEvent.click(rows[0] as HTMLElement);

    const notice = await screen.findByTestId('sandbox-notice');
    expect(notice.textContent).toMatch(/订单 WX\d+ 已支付 ¥/);
    const paid = backend.calls.find((call) => call.command === 'sandbox_pay_order');
    const record = backend.records.find((held) => held.row.out_trade_no === paid?.args.outTradeNo);
    expect(record?.row.trade_state).toBe('SUCCESS');
    await waitFor(() => expect(screen.getAllByTestId('sandbox-pay-row').length).toBe(before - 1));
  });

  it('explains an order that is not unpaid', async () => {
    const backend = setUp();
    await screen.findByTestId('sandbox-balance');
    const paid = backend.records.find((held) => held.row.trade_state === 'SUCCESS');

    await fireEvent.input(screen.getByTestId('sandbox-pay-no'), {
      target: { value: paid?.row.out_trade_no ?? '' },
    });
    await fireEvent.click(screen.getByTestId('sandbox-pay'));

    expect((await screen.findByTestId('error-banner')).dataset.code).toBe('SANDBOX_NOT_PAYABLE');
  });
});

describe('SandboxScreen faults', () => {
  it('arms a fault, lists it, then clears all', async () => {
    const backend = setUp();
    expect((await screen.findByTestId('faults-empty')).textContent).toContain('没有已设置的故障');

    await fireEvent.change(screen.getByTestId('fault-kind'), { target: { value: 'delay' } });
    await fireEvent.input(await screen.findByTestId('fault-delay'), { target: { value: '1500' } });
    await fireEvent.input(screen.getByTestId('fault-count'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('fault-arm'));

    const row = await screen.findByTestId('fault-row');
    expect(row.textContent).toContain('/pay/orderquery');
    expect(row.textContent).toContain('延迟应答');
    const armed = backend.calls.find((call) => call.command === 'sandbox_add_fault');
    expect(armed?.args.fault).toEqual({
      path: '/pay/orderquery',
      kind: 'delay',
      count: 2,
      delay_ms: 1500,
    });

    await fireEvent.click(screen.getByTestId('fault-clear'));
    await screen.findByTestId('faults-empty');
  });
});

describe('SandboxScreen standing faults', () => {
  it('keeps a count of 0 until its path is cleared', async () => {
    const backend = setUp();
    await screen.findByTestId('faults-empty');

    await fireEvent.change(screen.getByTestId('fault-kind'), {
      target: { value: 'http_status:503' },
    });
    await fireEvent.input(screen.getByTestId('fault-count'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('fault-arm'));

    const row = await screen.findByTestId('fault-row');
    expect(row.textContent).toContain('HTTP 503（不处理）');
    expect(row.textContent).toContain('直到清除');
    const armed = backend.calls.find((call) => call.command === 'sandbox_add_fault');
    expect(armed?.args.fault).toMatchObject({ kind: 'http_status:503', count: 0, delay_ms: 0 });

    await fireEvent.click(screen.getByTestId('fault-clear-path'));

    await screen.findByTestId('faults-empty');
    const cleared = backend.calls.find((call) => call.command === 'sandbox_clear_faults_for');
    expect(cleared?.args.path).toBe('/pay/orderquery');
    expect(screen.getByTestId('sandbox-notice').textContent).toContain('/pay/orderquery');
  });
});

describe('SandboxScreen live profile', () => {
  it('says there is no simulator', async () => {
    const backend = setUp({ mode: 'live' });
    expect((await screen.findByTestId('sandbox-live')).textContent).toContain('没有沙箱模拟器');
    expect(backend.calls.some((call) => call.command === 'sandbox_state')).toBe(false);
  });
});
