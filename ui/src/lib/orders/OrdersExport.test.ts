import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend, type FakeOptions } from '../../../e2e/fake/backend';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import OrdersScreen from './OrdersScreen.svelte';

function setUp(options: FakeOptions = {}) {
  const backend = new FakeBackend({ orderCount: 2500, stepMs: 20, ...options });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(OrdersScreen, { props: { timeZone: 'Asia/Shanghai' } });
  return backend;
}

function lastFilter(backend: FakeBackend, command: string): OrderFilter | undefined {
  const calls = backend.calls.filter((call) => call.command === command);
  return calls[calls.length - 1]?.args.filter as OrderFilter | undefined;
}

afterEach(() => clearMocks());

describe('OrdersScreen payment method and amount filters', () => {
  it('sends the toggled payment methods', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');
    const chips = screen.getAllByTestId('type-filter');
    const native = chips.find((chip) => chip.dataset.type === 'NATIVE') as HTMLElement;
    expect(native.textContent).toContain('扫码支付');

    await fireEvent.click(native);

    await waitFor(() =>
      expect(lastFilter(backend, 'list_orders')?.trade_types).toEqual(['NATIVE']),
    );
    await waitFor(() => {
      const types = screen.getAllByTestId('order-row').map((row) => row.textContent ?? '');
      expect(types.every((text) => text.includes('扫码支付'))).toBe(true);
    });
  });

  it('sends the amount range in fen', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.input(screen.getByTestId('min-fee'), { target: { value: '12.5' } });
    await fireEvent.input(screen.getByTestId('max-fee'), { target: { value: '100' } });

    await waitFor(() =>
      expect(lastFilter(backend, 'order_totals')).toMatchObject({ min_fee: 1250, max_fee: 10000 }),
    );
  });

  it('ignores an invalid amount and says why', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.input(screen.getByTestId('min-fee'), { target: { value: '1.234' } });

    expect((await screen.findByTestId('fee-error')).textContent).toContain('金额格式不正确');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lastFilter(backend, 'list_orders')?.min_fee).toBeNull();
  });

  it('warns when the minimum is above the maximum', async () => {
    setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.input(screen.getByTestId('min-fee'), { target: { value: '50' } });
    await fireEvent.input(screen.getByTestId('max-fee'), { target: { value: '5' } });

    expect((await screen.findByTestId('fee-error')).textContent).toContain('最低金额大于最高金额');
  });
});

describe('OrdersScreen CSV export', () => {
  it('shows progress, then the row count and file', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByTestId('btn-export'));

    const progress = await screen.findByTestId('export-progress');
    await waitFor(() => expect(progress.textContent).toMatch(/已写入 \d+ \/ 2500 行/));
    const report = await screen.findByTestId('export-report', {}, { timeout: 3000 });
    expect(report.textContent).toContain('已导出 2500 行到');
    expect(screen.getByTestId('export-path').textContent).toBe('/home/shop/订单.csv');
    const call = backend.calls.find((held) => held.command === 'export_orders_csv');
    expect((call?.args.filter as OrderFilter).states).toEqual([]);
  });

  it('exports with the current filter', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');
    const chips = screen.getAllByTestId('state-filter');
    await fireEvent.click(chips.find((chip) => chip.dataset.state === 'REFUND') as HTMLElement);
    await waitFor(() => expect(lastFilter(backend, 'list_orders')?.states).toEqual(['REFUND']));

    await fireEvent.click(screen.getByTestId('btn-export'));

    await screen.findByTestId('export-report', {}, { timeout: 3000 });
    const call = backend.calls.find((held) => held.command === 'export_orders_csv');
    expect((call?.args.filter as OrderFilter).states).toEqual(['REFUND']);
  });

  it('cancels and keeps no file', async () => {
    const backend = setUp({ stepMs: 200 });
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByTestId('btn-export'));
    await fireEvent.click(await screen.findByTestId('export-cancel'));

    const report = await screen.findByTestId('export-report', {}, { timeout: 3000 });
    expect(report.textContent).toContain('导出已取消');
    expect(backend.calls.some((call) => call.command === 'cancel_export')).toBe(true);
  });

  it('shows nothing when the dialog is dismissed', async () => {
    setUp({ exportPath: null });
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByTestId('btn-export'));

    await waitFor(() => expect(screen.queryByTestId('export-progress')).toBeNull());
    expect(screen.queryByTestId('export-report')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});
