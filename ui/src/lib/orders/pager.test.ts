import { describe, expect, it } from 'vitest';
import { OrderPager, type FetchPage } from './pager.svelte';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import type { OrderRow } from '$lib/bindings/OrderRow';
import type { OrderCursor } from '$lib/bindings/OrderCursor';

const ALL: OrderFilter = {
  from_date: null,
  to_date: null,
  states: [],
  search: null,
  trade_types: [],
  min_fee: null,
  max_fee: null,
};

function makeRows(count: number): OrderRow[] {
  // Newest first, two orders per second so that ties on created_at are broken by id.
  return Array.from({ length: count }, (_, i) => ({
    id: count - i,
    out_trade_no: `T${String(count - i).padStart(6, '0')}`,
    transaction_id: null,
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    total_fee: 100 + i,
    refunded_fee: 0,
    body: 'item',
    openid: null,
    created_at: 1_700_000_000 + Math.floor((count - i) / 2),
    paid_at: null,
  }));
}

function keysetSource(rows: OrderRow[]) {
  const calls: Array<{ cursor: OrderCursor | null; limit: number; filter: OrderFilter }> = [];
  const fetchPage: FetchPage = async (filter, cursor, limit) => {
    calls.push({ cursor, limit, filter });
    const after = rows.filter(
      (row) =>
        (filter.states.length === 0 || filter.states.includes(row.trade_state)) &&
        (cursor === null ||
          row.created_at < cursor.created_at ||
          (row.created_at === cursor.created_at && row.id < cursor.id)),
    );
    const page = after.slice(0, limit);
    const last = page[page.length - 1];
    const next =
      page.length === limit && after.length > limit && last !== undefined
        ? { created_at: last.created_at, id: last.id }
        : null;
    return { rows: page, next };
  };
  return { fetchPage, calls };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('OrderPager', () => {
  it('loads the first page on reset', async () => {
    const source = keysetSource(makeRows(450));
    const pager = new OrderPager(source.fetchPage, ALL, 200);

    await pager.reset(ALL);

    expect(pager.rows).toHaveLength(200);
    expect(pager.done).toBe(false);
    expect(pager.settled).toBe(true);
    expect(source.calls[0]?.cursor).toBeNull();
  });

  it('passes the last row as the cursor of the next page', async () => {
    const rows = makeRows(450);
    const source = keysetSource(rows);
    const pager = new OrderPager(source.fetchPage, ALL, 200);

    await pager.reset(ALL);
    await pager.loadMore();
    await pager.loadMore();

    const last = rows[199];
    expect(source.calls[1]?.cursor).toEqual({ created_at: last?.created_at, id: last?.id });
    expect(pager.rows.map((row) => row.id)).toEqual(rows.map((row) => row.id));
    expect(pager.done).toBe(true);
  });

  it('stops asking once the last page arrived', async () => {
    const source = keysetSource(makeRows(150));
    const pager = new OrderPager(source.fetchPage, ALL, 200);

    await pager.reset(ALL);
    await pager.loadMore();

    expect(source.calls).toHaveLength(1);
    expect(pager.done).toBe(true);
  });

  it('sends one request while a page is in flight', async () => {
    const pending = deferred<{ rows: OrderRow[]; next: OrderCursor | null }>();
    let calls = 0;
    const pager = new OrderPager(
      () => {
        calls += 1;
        return pending.promise;
      },
      ALL,
      200,
    );

    const first = pager.reset(ALL);
    const second = pager.loadMore();
    pending.resolve({ rows: makeRows(3), next: null });
    await Promise.all([first, second]);

    expect(calls).toBe(1);
    expect(pager.rows).toHaveLength(3);
  });

  it('drops a page that arrives after the filter changed', async () => {
    const stale = deferred<{ rows: OrderRow[]; next: OrderCursor | null }>();
    const fresh = makeRows(2);
    const responses = [stale.promise, Promise.resolve({ rows: fresh, next: null })];
    const pager = new OrderPager(() => responses.shift() ?? Promise.reject('no page'), ALL, 200);

    const old = pager.reset(ALL);
    const paid: OrderFilter = { ...ALL, states: ['SUCCESS'] };
    await pager.reset(paid);
    stale.resolve({ rows: makeRows(50), next: null });
    await old;

    expect(pager.rows).toEqual(fresh);
    expect(pager.filter).toBe(paid);
    expect(pager.loading).toBe(false);
  });

  it('keeps the cursor after a failed page and retries it', async () => {
    const rows = makeRows(300);
    const source = keysetSource(rows);
    let failNext = false;
    const pager = new OrderPager(
      (filter, cursor, limit) => {
        if (failNext) {
          failNext = false;
          return Promise.reject({
            code: 'STORE_BUSY',
            message_zh: '数据库忙',
            message_en: 'The database is busy',
            retryable: true,
          });
        }
        return source.fetchPage(filter, cursor, limit);
      },
      ALL,
      200,
    );

    await pager.reset(ALL);
    failNext = true;
    await pager.loadMore();
    expect(pager.error?.code).toBe('STORE_BUSY');
    expect(pager.rows).toHaveLength(200);

    await pager.loadMore();
    expect(source.calls).toHaveLength(1);

    await pager.retry();
    expect(pager.error).toBeNull();
    expect(pager.rows).toHaveLength(300);
    expect(source.calls[1]?.cursor?.id).toBe(rows[199]?.id);
  });

  it('wraps a plain string rejection as an error', async () => {
    const pager = new OrderPager(() => Promise.reject('command list_orders not found'), ALL, 200);

    await pager.reset(ALL);

    expect(pager.error?.code).toBe('UNEXPECTED');
    expect(pager.error?.message_en).toContain('command list_orders not found');
  });

  it('replaces a held row by id', async () => {
    const source = keysetSource(makeRows(5));
    const pager = new OrderPager(source.fetchPage, ALL, 200);
    await pager.reset(ALL);
    const first = pager.rows[0];
    if (first === undefined) throw new Error('no first row');

    pager.replaceRow({ ...first, refunded_fee: 50, trade_state: 'REFUND' });

    expect(pager.rows[0]?.trade_state).toBe('REFUND');
    expect(pager.rows[0]?.refunded_fee).toBe(50);
    expect(pager.rows).toHaveLength(5);
  });
});
