import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../../../e2e/fake/backend';
import { listOrders } from '$lib/api';
import type { OrderCursor } from '$lib/bindings/OrderCursor';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import OrderTable from './OrderTable.svelte';
import { OrderPager } from './pager.svelte';

const ALL: OrderFilter = {
  from_date: null,
  to_date: null,
  states: [],
  search: null,
  trade_types: [],
  min_fee: null,
  max_fee: null,
};
const ROW_HEIGHT = 36;

function setUp(orderCount: number) {
  const backend = new FakeBackend({ orderCount });
  const cursors: Array<OrderCursor | null> = [];
  mockIPC((command, args) => {
    if (command === 'list_orders') {
      cursors.push((args as { cursor: OrderCursor | null }).cursor);
    }
    return backend.handle(command, args as Record<string, unknown>);
  });
  const pager = new OrderPager(listOrders, ALL);
  const onOpen = vi.fn();
  render(OrderTable, { props: { pager, timeZone: 'Asia/Shanghai', onOpen } });
  return { backend, pager, onOpen, cursors, table: screen.getByTestId('orders-table') };
}

/** jsdom has no layout: set the scroll position by hand and tell the table. */
async function scrollTo(table: HTMLElement, top: number) {
  Object.defineProperty(table, 'scrollTop', { value: top, configurable: true, writable: true });
  await fireEvent.scroll(table);
}

afterEach(() => clearMocks());

describe('OrderTable paging', () => {
  it('renders a window of the first page', async () => {
    const { pager, table } = setUp(1000);
    await pager.reset(ALL);

    await waitFor(() => expect(table.dataset.rowCount).toBe('200'));
    const rows = screen.getAllByTestId('order-row');
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.getAttribute('aria-rowindex')).toBe('2');
  });

  it('fetches the next page near the end', async () => {
    const { pager, table, cursors, backend } = setUp(1000);
    await pager.reset(ALL);
    await waitFor(() => expect(table.dataset.rowCount).toBe('200'));
    expect(cursors).toEqual([null]);

    await scrollTo(table, 150 * ROW_HEIGHT);
    await waitFor(() => expect(table.dataset.rowCount).toBe('400'));

    const lastOfFirstPage = backend.records[199]?.row;
    expect(cursors[1]).toEqual({
      created_at: lastOfFirstPage?.created_at,
      id: lastOfFirstPage?.id,
    });
    const first = screen.getAllByTestId('order-row')[0];
    expect(Number(first?.getAttribute('aria-rowindex'))).toBeGreaterThan(100);
  });

  it('does not fetch while far from the end', async () => {
    const { pager, table, cursors } = setUp(1000);
    await pager.reset(ALL);
    await waitFor(() => expect(table.dataset.rowCount).toBe('200'));

    await scrollTo(table, 40 * ROW_HEIGHT);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(cursors).toHaveLength(1);
  });

  it('stops at the last page', async () => {
    const { pager, table, cursors } = setUp(250);
    await pager.reset(ALL);
    await waitFor(() => expect(table.dataset.rowCount).toBe('200'));

    await scrollTo(table, 180 * ROW_HEIGHT);
    await waitFor(() => expect(table.dataset.rowCount).toBe('250'));
    await scrollTo(table, 240 * ROW_HEIGHT);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(cursors).toHaveLength(2);
    expect(screen.getByText('已显示全部 250 笔')).toBeTruthy();
  });

  it('shows the empty state', async () => {
    const { pager } = setUp(0);
    await pager.reset(ALL);

    expect(await screen.findByText('没有符合条件的订单')).toBeTruthy();
  });

  it('shows an explained error with a retry', async () => {
    let fail = true;
    const backend = new FakeBackend({ orderCount: 10 });
    mockIPC((command, args) => {
      if (command === 'list_orders' && fail) {
        fail = false;
        return Promise.reject({
          code: 'STORE_UNAVAILABLE',
          message_zh: '无法读取本地数据库。',
          message_en: 'The local database could not be read.',
          retryable: true,
        });
      }
      return backend.handle(command, args as Record<string, unknown>);
    });
    const pager = new OrderPager(listOrders, ALL);
    render(OrderTable, { props: { pager, timeZone: 'Asia/Shanghai', onOpen: vi.fn() } });
    await pager.reset(ALL);

    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('无法读取本地数据库。');
    await fireEvent.click(screen.getByText('重试'));

    await waitFor(() => expect(screen.getAllByTestId('order-row')).toHaveLength(10));
  });
});

describe('OrderTable keys', () => {
  it('moves with j/k and arrows and opens with Enter', async () => {
    const { pager, table, onOpen, backend } = setUp(50);
    await pager.reset(ALL);
    await waitFor(() => expect(table.dataset.rowCount).toBe('50'));

    for (const key of ['j', 'j', 'ArrowDown', 'k']) {
      await fireEvent.keyDown(table, { key });
    }
    await fireEvent.keyDown(table, { key: 'Enter' });

    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen.mock.calls[0]?.[0].out_trade_no).toBe(backend.records[1]?.row.out_trade_no);
    const selected = screen
      .getAllByTestId('order-row')
      .filter((row) => row.ariaSelected === 'true');
    expect(selected).toHaveLength(1);
  });

  it('clamps at the first and last rows', async () => {
    const { pager, table, onOpen, backend } = setUp(5);
    await pager.reset(ALL);
    await waitFor(() => expect(table.dataset.rowCount).toBe('5'));

    await fireEvent.keyDown(table, { key: 'End' });
    await fireEvent.keyDown(table, { key: 'j' });
    await fireEvent.keyDown(table, { key: 'Enter' });
    await fireEvent.keyDown(table, { key: 'Home' });
    await fireEvent.keyDown(table, { key: 'ArrowUp' });
    await fireEvent.keyDown(table, { key: 'Enter' });

    expect(onOpen.mock.calls[0]?.[0].out_trade_no).toBe(backend.records[4]?.row.out_trade_no);
    expect(onOpen.mock.calls[1]?.[0].out_trade_no).toBe(backend.records[0]?.row.out_trade_no);
  });

  it('opens a row on click', async () => {
    const { pager, onOpen, backend } = setUp(3);
    await pager.reset(ALL);
    const rows = await screen.findAllByTestId('order-row');

    await fireEvent.click(rows[2] as HTMLElement);

    expect(onOpen.mock.calls[0]?.[0].out_trade_no).toBe(backend.records[2]?.row.out_trade_no);
  });
});
