// Keyset paging over the local order history: pages are appended as the table scrolls,
// and a response for an older filter is dropped when the filter changed meanwhile.
import { toAppError } from '$lib/api';
import type { AppError } from '$lib/bindings/AppError';
import type { OrderCursor } from '$lib/bindings/OrderCursor';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import type { OrderPage } from '$lib/bindings/OrderPage';
import type { OrderRow } from '$lib/bindings/OrderRow';

export type FetchPage = (
  filter: OrderFilter,
  cursor: OrderCursor | null,
  limit: number,
) => Promise<OrderPage>;

export const PAGE_SIZE = 200;

export class OrderPager {
  rows = $state.raw<OrderRow[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);
  /** True once the last page arrived; also true before the first load of an empty history. */
  done = $state(false);
  /** True after the first page for the current filter arrived (or failed). */
  settled = $state(false);

  #fetchPage: FetchPage;
  #pageSize: number;
  #filter: OrderFilter;
  #next: OrderCursor | null = null;
  #generation = 0;

  constructor(fetchPage: FetchPage, filter: OrderFilter, pageSize: number = PAGE_SIZE) {
    this.#fetchPage = fetchPage;
    this.#filter = filter;
    this.#pageSize = pageSize;
  }

  get filter(): OrderFilter {
    return this.#filter;
  }

  /** Starts over with a new filter; a page still in flight for the old one is ignored. */
  reset(filter: OrderFilter): Promise<void> {
    this.#generation += 1;
    this.#filter = filter;
    this.#next = null;
    this.rows = [];
    this.done = false;
    this.settled = false;
    this.error = null;
    this.loading = false;
    return this.loadMore();
  }

  /** Fetches the page after the last row held; does nothing while a page is in flight. */
  async loadMore(): Promise<void> {
    if (this.loading || this.done || this.error !== null) {
      return;
    }
    const generation = this.#generation;
    this.loading = true;

    try {
      const page = await this.#fetchPage(this.#filter, this.#next, this.#pageSize);
      if (generation !== this.#generation) {
        return;
      }
      this.rows = this.rows.concat(page.rows);
      this.#next = page.next;
      this.done = page.next === null;
    } catch (reason) {
      if (generation === this.#generation) {
        this.error = toAppError(reason);
      }
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.settled = true;
      }
    }
  }

  /** Tries the failed page again with the same cursor. */
  retry(): Promise<void> {
    this.error = null;
    return this.loadMore();
  }

  /** Puts a fresher copy of one order (after a query or a refund) in place. */
  replaceRow(row: OrderRow): void {
    const index = this.rows.findIndex((held) => held.id === row.id);
    if (index === -1) {
      return;
    }
    const rows = this.rows.slice();
    rows[index] = row;
    this.rows = rows;
  }
}
