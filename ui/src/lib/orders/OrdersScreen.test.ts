import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../e2e/fake/backend';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import { addDays, dateIn } from '$lib/time';
import OrdersScreen from './OrdersScreen.svelte';

const ZONE = 'Asia/Shanghai';

function setUp(orderCount = 300) {
  const backend = new FakeBackend({ orderCount });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(OrdersScreen, { props: { timeZone: ZONE } });
  return backend;
}

function lastFilter(backend: FakeBackend, command: string): OrderFilter | undefined {
  const calls = backend.calls.filter((call) => call.command === command);
  return calls[calls.length - 1]?.args.filter as OrderFilter | undefined;
}

afterEach(() => clearMocks());

describe('OrdersScreen filters', () => {
  it('lists every order and totals them', async () => {
    const backend = setUp(300);

    await waitFor(() => expect(screen.getByTestId('totals').textContent).toContain('共 300 笔'));
    expect(lastFilter(backend, 'list_orders')).toEqual({
      from_date: null,
      to_date: null,
      states: [],
      search: null,
      trade_types: [],
      min_fee: null,
      max_fee: null,
    });
  });

  it('sends the last 7 days in the merchant zone', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.click(screen.getByText('近7天'));

    const today = dateIn(Date.now() / 1000, ZONE);
    await waitFor(() =>
      expect(lastFilter(backend, 'list_orders')).toMatchObject({
        from_date: addDays(today, -6),
        to_date: today,
      }),
    );
    expect(lastFilter(backend, 'order_totals')?.from_date).toBe(addDays(today, -6));
  });

  it('filters by the toggled states', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');
    const chips = screen.getAllByTestId('state-filter');
    const notPaid = chips.find((chip) => chip.dataset.state === 'NOTPAY') as HTMLElement;
    const closed = chips.find((chip) => chip.dataset.state === 'CLOSED') as HTMLElement;

    await fireEvent.click(notPaid);
    await fireEvent.click(closed);

    await waitFor(() =>
      expect(lastFilter(backend, 'list_orders')?.states).toEqual(['NOTPAY', 'CLOSED']),
    );
    await waitFor(() => {
      const states = screen.getAllByTestId('order-row').map((row) => row.dataset.state);
      expect(new Set(states)).toEqual(new Set(['NOTPAY', 'CLOSED']));
    });
    expect(notPaid.getAttribute('aria-pressed')).toBe('true');
  });

  it('searches after typing stops', async () => {
    const backend = setUp();
    await screen.findAllByTestId('order-row');
    const wanted = backend.records[42]?.row.out_trade_no ?? '';

    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: wanted } });

    await waitFor(() => expect(lastFilter(backend, 'list_orders')?.search).toBe(wanted));
    await waitFor(() => expect(screen.getAllByTestId('order-row')).toHaveLength(1));
    expect(screen.getByTestId('order-row').dataset.outTradeNo).toBe(wanted);
  });
});

describe('OrdersScreen keys and drawer', () => {
  it('focuses the search on slash', async () => {
    setUp();
    await screen.findAllByTestId('order-row');

    await fireEvent.keyDown(document.body, { key: '/' });

    expect(document.activeElement).toBe(screen.getByTestId('search-input'));
  });

  it('opens the drawer and closes it on Escape', async () => {
    const backend = setUp();
    const rows = await screen.findAllByTestId('order-row');

    await fireEvent.click(rows[0] as HTMLElement);

    const drawer = await screen.findByTestId('order-detail');
    await waitFor(() => expect(drawer.textContent).toContain('transaction_id'));
    expect(drawer.textContent).toContain(backend.records[0]?.row.out_trade_no);

    await fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('order-detail')).toBeNull());
  });

  it('follows the selection with the drawer open', async () => {
    const backend = setUp();
    const rows = await screen.findAllByTestId('order-row');
    await fireEvent.click(rows[0] as HTMLElement);
    await screen.findByTestId('order-detail');

    await fireEvent.keyDown(screen.getByTestId('orders-table'), { key: 'j' });

    const second = backend.records[1]?.row.out_trade_no ?? '';
    await waitFor(() => expect(screen.getByTestId('order-detail').textContent).toContain(second));
  });

  it('refreshes the drawer from WeChat', async () => {
    const backend = setUp();
    const rows = await screen.findAllByTestId('order-row');
    await fireEvent.click(rows[0] as HTMLElement);
    await screen.findAllByTestId('timeline-event');

    await fireEvent.click(screen.getByTestId('btn-query'));

    await waitFor(() => {
      const kinds = screen.getAllByTestId('timeline-event').map((event) => event.dataset.kind);
      expect(kinds).toContain('queried');
    });
    expect(backend.calls.some((call) => call.command === 'query_order')).toBe(true);
  });
});
