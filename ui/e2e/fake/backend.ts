// An in-memory stand-in for the Rust side that handles the console's commands with the same
// records, for browser runs of the built UI (through mockIPC) and for component tests.
import type { AdActionView } from '$lib/bindings/AdActionView';
import type { AppError } from '$lib/bindings/AppError';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { ImportReport } from '$lib/bindings/ImportReport';
import type { OrderCursor } from '$lib/bindings/OrderCursor';
import type { OrderDetail } from '$lib/bindings/OrderDetail';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import type { OrderPage } from '$lib/bindings/OrderPage';
import type { OrderRow } from '$lib/bindings/OrderRow';
import type { OrderTotals } from '$lib/bindings/OrderTotals';
import type { RefundInput } from '$lib/bindings/RefundInput';
import type { RefundView } from '$lib/bindings/RefundView';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { TimelineEvent } from '$lib/bindings/TimelineEvent';
import type { UserActionInput } from '$lib/bindings/UserActionInput';
import { addDays, dateIn } from '$lib/time';

export type FakeOptions = {
  /** Orders in the history, spread over the last 30 days. */
  orderCount?: number;
  /** Bill days already synced; 0 makes the UI start a first sync. */
  syncedDays?: number;
  /** Milliseconds between steps of long work (sync days, refund states). */
  stepMs?: number;
  /** When set, refund_order rejects with this error. */
  refundError?: AppError | null;
};

/** The receiving end of a Tauri Channel: the UI's Channel object itself under mockIPC. */
type ChannelLike<T> = { onmessage: (message: T) => void };

type OrderRecord = {
  row: OrderRow;
  refunds: RefundView[];
  timeline: TimelineEvent[];
};

const TIME_ZONE = 'Asia/Shanghai';
const STATES = [
  'SUCCESS',
  'SUCCESS',
  'SUCCESS',
  'SUCCESS',
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
];
const RARE_STATES = ['USERPAYING', 'PAYERROR', 'REVOKED'];
const TYPES = ['JSAPI', 'NATIVE', 'MICROPAY'];

function appError(code: string, zh: string, en: string, retryable = false): AppError {
  return { code, message_zh: zh, message_en: en, retryable };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Generates a deterministic history ending at `now`, newest first. */
function makeHistory(count: number, now: number): OrderRecord[] {
  const records: OrderRecord[] = [];
  const span = 30 * 86400;
  for (let i = 0; i < count; i += 1) {
    const id = count - i;
    const createdAt = now - 60 - Math.floor((i * span) / Math.max(count, 1));
    const state = i % 97 === 13 ? RARE_STATES[i % 3] : STATES[(i * 7) % STATES.length];
    const tradeState = state ?? 'SUCCESS';
    const paid = tradeState === 'SUCCESS' || tradeState === 'REFUND';
    const totalFee = 100 + ((i * 7919) % 49_900);
    const refundedFee = tradeState === 'REFUND' ? Math.floor(totalFee / 2) : 0;
    const outTradeNo = `WX${dateIn(createdAt, TIME_ZONE).replaceAll('-', '')}${String(id).padStart(8, '0')}`;
    const row: OrderRow = {
      id,
      out_trade_no: outTradeNo,
      transaction_id: paid ? `42000${String(1_000_000_000 + id * 37).padStart(23, '0')}` : null,
      trade_type: TYPES[i % TYPES.length] ?? 'NATIVE',
      trade_state: tradeState,
      total_fee: totalFee,
      refunded_fee: refundedFee,
      body: `示例商品 ${id}`,
      openid: `oUpF8uMuAJO_M2pxb1Q9zNjWeS${String(id % 1000).padStart(3, '0')}`,
      created_at: createdAt,
      paid_at: paid ? createdAt + 8 : null,
    };
    const timeline: TimelineEvent[] = [{ at: createdAt, kind: 'created', summary: row.body }];
    if (paid) {
      timeline.push({
        at: createdAt + 8,
        kind: 'paid',
        summary: `transaction_id ${row.transaction_id}`,
      });
    }
    const refunds: RefundView[] = [];
    if (refundedFee > 0) {
      refunds.push({
        out_refund_no: `RF${outTradeNo.slice(2)}01`,
        out_trade_no: outTradeNo,
        refund_id: `50000${String(id).padStart(23, '0')}`,
        refund_fee: refundedFee,
        reason: null,
        status: 'SUCCESS',
        error: null,
        requested_at: createdAt + 3600,
        succeeded_at: createdAt + 3610,
      });
      timeline.push({ at: createdAt + 3610, kind: 'refund_succeeded', summary: '' });
    }
    records.push({ row, refunds, timeline });
  }
  return records;
}

export class FakeBackend {
  readonly calls: Array<{ command: string; args: Record<string, unknown> }> = [];
  readonly records: OrderRecord[];
  readonly adActions: AdActionView[] = [];
  options: Required<FakeOptions>;
  #syncedDays: number;
  #cancelRequested = false;
  #refundCounter = 0;

  constructor(options: FakeOptions = {}) {
    this.options = {
      orderCount: options.orderCount ?? 1000,
      syncedDays: options.syncedDays ?? 30,
      stepMs: options.stepMs ?? 150,
      refundError: options.refundError ?? null,
    };
    this.#syncedDays = this.options.syncedDays;
    this.records = makeHistory(this.options.orderCount, Math.floor(Date.now() / 1000));
  }

  /** Handles one command as the Rust side would, or rejects with an AppError. */
  handle(command: string, args: Record<string, unknown> = {}): Promise<unknown> {
    this.calls.push({ command, args });
    const handlers: Record<string, () => unknown> = {
      app_status: () => this.status(),
      sync_history: () =>
        this.sync(args.days as number, args.onProgress as ChannelLike<SyncProgress>),
      cancel_sync: () => {
        this.#cancelRequested = true;
        return null;
      },
      list_orders: () =>
        this.listOrders(
          args.filter as OrderFilter,
          args.cursor as OrderCursor | null,
          args.limit as number,
        ),
      order_totals: () => this.totals(args.filter as OrderFilter),
      order_detail: () => this.detail(args.outTradeNo as string),
      query_order: () => this.query(args.outTradeNo as string),
      refund_order: () => this.refund(args.input as RefundInput),
      follow_refund: () =>
        this.follow(args.outRefundNo as string, args.onUpdate as ChannelLike<RefundView>),
      pick_and_import_bill: () => this.importReport('All2024-03-01.csv'),
      import_bill: () => this.importReport(String(args.path)),
      preview_user_action: () => this.preview(args.input as UserActionInput),
      send_user_action: () => this.sendAction(args.input as UserActionInput),
      list_ad_actions: () => [...this.adActions].reverse(),
    };
    const handler = handlers[command];
    if (handler === undefined) {
      return Promise.reject(`command ${command} not found`);
    }
    try {
      return Promise.resolve(handler());
    } catch (failure) {
      return Promise.reject(failure);
    }
  }

  status(): AppStatus {
    return {
      profile: {
        id: 'sandbox',
        name: '示例小店',
        mode: 'sandbox',
        appid: 'wx2421b1c4370ec43b',
        mch_id: '10000100',
      },
      sandbox_base_url: 'https://127.0.0.1:38443',
      synced_days: this.#syncedDays,
      order_count: this.records.length,
      time_zone: TIME_ZONE,
    };
  }

  async sync(days: number, channel: ChannelLike<SyncProgress>) {
    this.#cancelRequested = false;
    const today = dateIn(Date.now() / 1000, TIME_ZONE);
    let rows = 0;
    let done = 0;
    for (; done < days; done += 1) {
      if (this.#cancelRequested) {
        break;
      }
      await sleep(this.options.stepMs);
      rows += 33;
      channel.onmessage({
        bill_date: addDays(today, -(done + 1)),
        days_done: done + 1,
        days_total: days,
        rows_imported: rows,
      });
    }
    this.#syncedDays = Math.max(this.#syncedDays, done);
    return {
      days_synced: done,
      days_without_bill: 0,
      rows_imported: rows,
      cancelled: this.#cancelRequested,
    };
  }

  #matching(filter: OrderFilter): OrderRecord[] {
    const search = filter.search?.trim() ?? '';
    return this.records.filter(({ row }) => {
      const day = dateIn(row.created_at, TIME_ZONE);
      if (filter.from_date !== null && day < filter.from_date) return false;
      if (filter.to_date !== null && day > filter.to_date) return false;
      if (filter.states.length > 0 && !filter.states.includes(row.trade_state)) return false;
      if (search === '') return true;
      return (
        row.out_trade_no.startsWith(search) ||
        (row.transaction_id ?? '').startsWith(search) ||
        (row.openid ?? '').startsWith(search)
      );
    });
  }

  listOrders(filter: OrderFilter, cursor: OrderCursor | null, limit: number): OrderPage {
    const after = this.#matching(filter).filter(
      ({ row }) =>
        cursor === null ||
        row.created_at < cursor.created_at ||
        (row.created_at === cursor.created_at && row.id < cursor.id),
    );
    const rows = after.slice(0, limit).map(({ row }) => ({ ...row }));
    const last = rows[rows.length - 1];
    const next =
      after.length > limit && last !== undefined
        ? { created_at: last.created_at, id: last.id }
        : null;
    return { rows, next };
  }

  totals(filter: OrderFilter): OrderTotals {
    let total = 0;
    let refunded = 0;
    const matching = this.#matching(filter);
    for (const { row } of matching) {
      total += row.total_fee;
      refunded += row.refunded_fee;
    }
    return {
      count: matching.length,
      total_fee: total,
      refunded_fee: refunded,
      net_fee: total - refunded,
    };
  }

  #find(outTradeNo: string): OrderRecord {
    const record = this.records.find(({ row }) => row.out_trade_no === outTradeNo);
    if (record === undefined) {
      throw appError(
        'ORDERNOTEXIST',
        `订单 ${outTradeNo} 不存在。`,
        `Order ${outTradeNo} does not exist.`,
      );
    }
    return record;
  }

  detail(outTradeNo: string): OrderDetail {
    const { row, refunds, timeline } = this.#find(outTradeNo);
    const paid = row.trade_state === 'SUCCESS' || row.trade_state === 'REFUND';
    const held = refunds
      .filter((refund) => refund.status !== 'REFUNDCLOSE' && refund.status !== 'FAILED')
      .reduce((sum, refund) => sum + refund.refund_fee, 0);
    const fields = [
      ['appid', 'wx2421b1c4370ec43b'],
      ['mch_id', '10000100'],
      ['out_trade_no', row.out_trade_no],
      ['transaction_id', row.transaction_id ?? ''],
      ['trade_type', row.trade_type],
      ['trade_state', row.trade_state],
      ['total_fee', String(row.total_fee)],
      ['cash_fee', String(row.total_fee)],
      ['fee_type', 'CNY'],
      ['bank_type', 'OTHERS'],
      ['openid', row.openid ?? ''],
      ['body', row.body],
    ].map(([name, value]) => ({ name: name ?? '', value: value ?? '' }));
    return {
      order: { ...row },
      fields,
      refunds: [...refunds].sort((a, b) => b.requested_at - a.requested_at),
      timeline: [...timeline].sort((a, b) => a.at - b.at),
      refundable_fee: paid ? row.total_fee - held : 0,
    };
  }

  query(outTradeNo: string): OrderDetail {
    const record = this.#find(outTradeNo);
    record.timeline.push({
      at: Math.floor(Date.now() / 1000),
      kind: 'queried',
      summary: `trade_state ${record.row.trade_state}`,
    });
    return this.detail(outTradeNo);
  }

  refund(input: RefundInput): RefundView {
    const record = this.#find(input.out_trade_no);
    if (this.options.refundError !== null) {
      throw this.options.refundError;
    }
    const refundable = this.detail(input.out_trade_no).refundable_fee;
    if (
      !Number.isSafeInteger(input.refund_fee) ||
      input.refund_fee <= 0 ||
      input.refund_fee > refundable
    ) {
      throw appError(
        'PARAM_ERROR',
        '退款金额大于可退金额。',
        'The refund amount is larger than the refundable rest.',
      );
    }
    this.#refundCounter += 1;
    const now = Math.floor(Date.now() / 1000);
    const refund: RefundView = {
      out_refund_no:
        input.out_refund_no ??
        `RF${record.row.out_trade_no.slice(2)}${String(this.#refundCounter + 1).padStart(2, '0')}`,
      out_trade_no: input.out_trade_no,
      refund_id: `50000${String(now).padStart(23, '0')}`,
      refund_fee: input.refund_fee,
      reason: input.reason,
      status: 'PROCESSING',
      error: null,
      requested_at: now,
      succeeded_at: null,
    };
    record.refunds.push(refund);
    record.timeline.push({ at: now, kind: 'refund_requested', summary: `${refund.out_refund_no}` });
    return { ...refund };
  }

  async follow(outRefundNo: string, channel: ChannelLike<RefundView>): Promise<RefundView> {
    const record = this.records.find(({ refunds }) =>
      refunds.some((refund) => refund.out_refund_no === outRefundNo),
    );
    const refund = record?.refunds.find((held) => held.out_refund_no === outRefundNo);
    if (record === undefined || refund === undefined) {
      throw appError('REFUNDNOTEXIST', '退款单不存在。', 'The refund does not exist.');
    }
    await sleep(this.options.stepMs);
    channel.onmessage({ ...refund });
    await sleep(this.options.stepMs * 3);

    const now = Math.floor(Date.now() / 1000);
    refund.status = 'SUCCESS';
    refund.succeeded_at = now;
    record.row.refunded_fee += refund.refund_fee;
    record.row.trade_state = 'REFUND';
    record.timeline.push({ at: now, kind: 'refund_succeeded', summary: refund.out_refund_no });
    channel.onmessage({ ...refund });
    return { ...refund };
  }

  importReport(path: string): ImportReport {
    const name = path.split('/').pop() ?? path;
    return {
      file_name: name,
      rows_read: 120,
      orders_upserted: 97,
      refunds_upserted: 6,
      summary_checked: true,
    };
  }

  #body(input: UserActionInput): string {
    const action: Record<string, unknown> = {
      user_action_set_id: 1110_2233,
      url: input.url,
      action_time: input.action_time ?? Math.floor(Date.now() / 1000),
      action_type: input.action_type,
    };
    if (input.openid !== null) {
      action.user_id = { wechat_app_id: 'wx2421b1c4370ec43b', wechat_openid: input.openid };
    }
    if (input.click_id !== null) {
      action.trace = { click_id: input.click_id };
    }
    const param: Record<string, unknown> = { source: 'Biz' };
    if (input.claim_type !== null) param.claim_type = input.claim_type;
    if (input.value !== null) param.value = input.value;
    action.action_param = param;
    return JSON.stringify({ actions: [action] }, null, 2);
  }

  preview(input: UserActionInput) {
    return {
      body: this.#body(input),
      endpoint: 'https://127.0.0.1:38443/marketing/user_actions/add?version=v1.0',
      user_action_set_id: 1110_2233,
    };
  }

  sendAction(input: UserActionInput): AdActionView {
    const ok = input.openid !== null || input.click_id !== null;
    const view: AdActionView = {
      id: this.adActions.length + 1,
      at: Math.floor(Date.now() / 1000),
      action_type: input.action_type,
      request_body: this.#body(input),
      response_body: ok
        ? '{"errcode":0,"errmsg":""}'
        : '{"errcode":900318001,"errmsg":"user_id is empty"}',
      errcode: ok ? 0 : 900318001,
      errmsg: ok ? '' : 'user_id is empty',
      explanation: ok
        ? null
        : appError(
            '900318001',
            '缺少必填字段：用户标识。',
            'A required field is missing: the user id.',
          ),
    };
    this.adActions.push(view);
    return view;
  }
}
