import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { OrderRow } from '$lib/bindings/OrderRow';
import Timeline from './Timeline.svelte';

const ORDER: OrderRow = {
  id: 1,
  out_trade_no: 'WX1',
  transaction_id: '4200000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  total_fee: 100,
  refunded_fee: 0,
  body: 'tea',
  openid: null,
  created_at: 1709251200,
  paid_at: 1709251230,
};

const kinds = () => screen.getAllByTestId('timeline-event').map((event) => event.dataset.kind);

describe('Timeline', () => {
  it('adds the order times to stored events', () => {
    render(Timeline, {
      props: {
        order: ORDER,
        events: [{ at: 1709254800, kind: 'queried', summary: 'trade_state SUCCESS' }],
        timeZone: 'Asia/Shanghai',
      },
    });

    expect(kinds()).toEqual(['created', 'paid', 'queried']);
    expect(screen.getByText('2024-03-01 08:00:30')).toBeTruthy();
  });

  it('keeps stored created and paid events once', () => {
    render(Timeline, {
      props: {
        order: ORDER,
        events: [
          { at: 1709251231, kind: 'paid', summary: 'notify' },
          { at: 1709251200, kind: 'created', summary: 'unifiedorder' },
        ],
        timeZone: 'Asia/Shanghai',
      },
    });

    expect(kinds()).toEqual(['created', 'paid']);
    expect(screen.getByText('notify')).toBeTruthy();
  });

  it('leaves out paid for an unpaid order', () => {
    render(Timeline, {
      props: { order: { ...ORDER, paid_at: null }, events: [], timeZone: 'Asia/Shanghai' },
    });

    expect(kinds()).toEqual(['created']);
  });
});
