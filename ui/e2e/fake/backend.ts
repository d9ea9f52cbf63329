// An in-memory stand-in for the Rust side that handles the console's commands with the same
// records, for browser runs of the built UI (through mockIPC) and for component tests.
import type { AdActionView } from '$lib/bindings/AdActionView';
import type { AppError } from '$lib/bindings/AppError';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { CollectInput } from '$lib/bindings/CollectInput';
import type { CollectResult } from '$lib/bindings/CollectResult';
import type { DecodedNotify } from '$lib/bindings/DecodedNotify';
import type { ExportProgress } from '$lib/bindings/ExportProgress';
import type { ExportReport } from '$lib/bindings/ExportReport';
import type { FaultView } from '$lib/bindings/FaultView';
import type { ImportReport } from '$lib/bindings/ImportReport';
import type { OAuthIdentity } from '$lib/bindings/OAuthIdentity';
import type { OAuthLink } from '$lib/bindings/OAuthLink';
import type { OrderCursor } from '$lib/bindings/OrderCursor';
import type { OrderDetail } from '$lib/bindings/OrderDetail';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import type { OrderPage } from '$lib/bindings/OrderPage';
import type { OrderRow } from '$lib/bindings/OrderRow';
import type { OrderTotals } from '$lib/bindings/OrderTotals';
import type { RefundInput } from '$lib/bindings/RefundInput';
import type { RefundView } from '$lib/bindings/RefundView';
import type { SandboxRedirect } from '$lib/bindings/SandboxRedirect';
import type { SandboxState } from '$lib/bindings/SandboxState';
import type { SignatureCheck } from '$lib/bindings/SignatureCheck';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { TimelineEvent } from '$lib/bindings/TimelineEvent';
import type { TokenStatusView } from '$lib/bindings/TokenStatusView';
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
  /** Profile mode; a live profile has no simulator. */
  mode?: 'sandbox' | 'live';
  /** File the save dialog returns for an export; null plays a dismissed dialog. */
  exportPath?: string | null;
};

/**
 * The one signature of each length the fake accepts as made with the profile's key: it
 * cannot compute MD5 in the browser, so tests paste these.
 */
export const FAKE_VALID_MD5 = 'C380BEC2BFD727A4B6845133519F3AD6';
export const FAKE_VALID_HMAC = 'A'.repeat(32) + 'B'.repeat(32);
/** The one req_info the fake can decrypt. */
export const FAKE_REQ_INFO =
  'T87GAHG17TGAHG1TGHAHAHA1Y1CIOA9UGJH1GAHV871HAGAGQYQQPOOJMXNBCXBVNMNMAJAA';

const FAKE_APPID = 'wx2421b1c4370ec43b';
const FAKE_MCH_ID = '10000100';
const FAKE_FAULT_KINDS = [
  'system_error',
  'reply_lost',
  'delay',
  'timeout',
  'connection_reset',
  'http_status:503',
  'bizerr_need_retry',
  'frequency_limited',
  'bad_signature',
  'truncated_xml',
  'business_error:NOTENOUGH',
];
const FAKE_FAULT_PATHS = ['/pay/orderquery', '/pay/refundquery', '/secapi/pay/refund'];

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
  #exportCancelled = false;
  #token: TokenStatusView = { appid: FAKE_APPID, fetched_at: null, expires_at: null };
  #codes = new Map<string, { openid: string; used: boolean }>();
  #balance = 1_000_000;
  #refundDelayMs = 3000;
  #faults: FaultView[] = [];
  #collectCounter = 0;

  constructor(options: FakeOptions = {}) {
    this.options = {
      orderCount: options.orderCount ?? 1000,
      syncedDays: options.syncedDays ?? 30,
      stepMs: options.stepMs ?? 150,
      refundError: options.refundError ?? null,
      mode: options.mode ?? 'sandbox',
      exportPath: options.exportPath === undefined ? '/home/shop/订单.csv' : options.exportPath,
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
      collect_native: () => this.collect(args.input as CollectInput),
      refund_order: () => this.refund(args.input as RefundInput),
      follow_refund: () =>
        this.follow(args.outRefundNo as string, args.onUpdate as ChannelLike<RefundView>),
      pick_and_import_bill: () => this.importReport('All2024-03-01.csv'),
      import_bill: () => this.importReport(String(args.path)),
      preview_user_action: () => this.preview(args.input as UserActionInput),
      send_user_action: () => this.sendAction(args.input as UserActionInput),
      list_ad_actions: () => [...this.adActions].reverse(),
      export_orders_csv: () =>
        this.exportCsv(args.filter as OrderFilter, args.onProgress as ChannelLike<ExportProgress>),
      cancel_export: () => {
        this.#exportCancelled = true;
        return null;
      },
      token_status: () => ({ ...this.#token }),
      refresh_access_token: () => this.refreshToken(),
      oauth_authorize_link: () => this.authorizeLink(String(args.redirectUri), String(args.state)),
      sandbox_authorize: () => this.sandboxAuthorize(String(args.redirectUri), String(args.state)),
      exchange_oauth_code: () => this.exchangeCode(String(args.pasted)),
      check_signature: () => this.checkSignature(String(args.message)),
      decode_notify: () => this.decodeNotify(String(args.message)),
      sandbox_state: () => this.sandboxState(),
      sandbox_top_up: () => this.topUp(args.amountFen as number),
      sandbox_set_balance: () => this.setBalance(args.balanceFen as number),
      sandbox_set_refund_delay: () => {
        this.#requireSandbox();
        this.#refundDelayMs = args.delayMs as number;
        return this.sandboxState();
      },
      sandbox_pay_order: () => this.payOrder(String(args.outTradeNo)),
      sandbox_add_fault: () => this.addFault(args.fault as FaultView),
      sandbox_clear_faults_for: () => {
        this.#requireSandbox();
        this.#faults = this.#faults.filter((fault) => fault.path !== args.path);
        return this.sandboxState();
      },
      sandbox_clear_faults: () => {
        this.#requireSandbox();
        this.#faults = [];
        return this.sandboxState();
      },
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
        mode: this.options.mode,
        appid: FAKE_APPID,
        mch_id: FAKE_MCH_ID,
      },
      sandbox_base_url: this.options.mode === 'sandbox' ? 'https://127.0.0.1:38443' : null,
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
      const types = filter.trade_types ?? [];
      if (types.length > 0 && !types.includes(row.trade_type)) return false;
      if (filter.min_fee != null && row.total_fee < filter.min_fee) return false;
      if (filter.max_fee != null && row.total_fee > filter.max_fee) return false;
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

  collect(input: CollectInput): CollectResult {
    if (!Number.isSafeInteger(input.total_fee) || input.total_fee <= 0) {
      throw appError(
        'INVALID_AMOUNT',
        `收款金额 ${input.total_fee} 分无效，必须大于 ¥0.00。`,
        `The amount of ${input.total_fee} fen is invalid: it must be above ¥0.00.`,
      );
    }
    if (this.options.mode === 'live') {
      throw appError(
        'NO_NOTIFY_URL',
        '实盘模式下桌面端无法接收微信支付通知，请在商户服务器上下单收款。',
        "In live mode WeChat cannot reach this computer with payment notifies. Create the order on the shop's server instead.",
      );
    }
    const body = input.body.trim();
    const bytes = new TextEncoder().encode(body).length;
    if (bytes === 0 || bytes > 128) {
      throw appError(
        'INVALID_FIELD',
        `商品描述 body 必须为 1 到 128 字节，现在是 ${bytes} 字节。`,
        `The body must be 1 to 128 bytes; it is ${bytes}.`,
      );
    }
    this.#collectCounter += 1;
    const now = Math.floor(Date.now() / 1000);
    const outTradeNo = `C${dateIn(now, TIME_ZONE).replaceAll('-', '')}${String(this.#collectCounter).padStart(6, '0')}`;
    const row: OrderRow = {
      id: this.records.length + 1,
      out_trade_no: outTradeNo,
      transaction_id: null,
      trade_type: 'NATIVE',
      trade_state: 'NOTPAY',
      total_fee: input.total_fee,
      refunded_fee: 0,
      body,
      openid: null,
      created_at: now,
      paid_at: null,
    };
    this.records.unshift({
      row,
      refunds: [],
      timeline: [{ at: now, kind: 'created', summary: body }],
    });
    return {
      order: { ...row },
      code_url: `weixin://wxpay/bizpayurl?pr=${outTradeNo.slice(-7)}`,
    };
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

  async exportCsv(
    filter: OrderFilter,
    channel: ChannelLike<ExportProgress>,
  ): Promise<ExportReport | null> {
    const path = this.options.exportPath;
    if (path === null) {
      return null;
    }
    this.#exportCancelled = false;
    const total = this.#matching(filter).length;
    let written = 0;
    while (written < total) {
      await sleep(this.options.stepMs);
      if (this.#exportCancelled) {
        return { path: null, rows_written: 0, cancelled: true };
      }
      written = Math.min(total, written + 1000);
      channel.onmessage({ rows_written: written, rows_total: total });
    }
    if (total === 0) {
      channel.onmessage({ rows_written: 0, rows_total: 0 });
    }
    return { path, rows_written: written, cancelled: false };
  }

  refreshToken(): TokenStatusView {
    const now = Math.floor(Date.now() / 1000);
    this.#token = { appid: FAKE_APPID, fetched_at: now, expires_at: now + 7200 };
    return { ...this.#token };
  }

  authorizeLink(redirectUri: string, state: string): OAuthLink {
    const redirect = redirectUri.trim();
    if (!/^https?:\/\/[^/]+/.test(redirect)) {
      throw appError(
        'INVALID_INPUT',
        `输入无效：redirect_uri “${redirect}” 不是完整网址。请修改后重试。`,
        `invalid redirect_uri: "${redirect}" is not an absolute URL. Correct it, then try again.`,
      );
    }
    if (!/^[0-9A-Za-z]{0,128}$/.test(state.trim())) {
      throw appError(
        'INVALID_INPUT',
        '输入无效：state 只能包含字母和数字。请修改后重试。',
        'invalid state: use letters and digits only. Correct it, then try again.',
      );
    }
    const query = new URLSearchParams({
      appid: FAKE_APPID,
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'snsapi_base',
      state: state.trim(),
    });
    return {
      url: `https://127.0.0.1:38443/connect/oauth2/authorize?${query.toString()}#wechat_redirect`,
      redirect_uri: redirect,
      state: state.trim(),
    };
  }

  sandboxAuthorize(redirectUri: string, state: string): SandboxRedirect {
    this.#requireSandbox();
    const link = this.authorizeLink(redirectUri, state);
    const code = `061Fake${String(this.#codes.size + 1).padStart(4, '0')}Code`;
    this.#codes.set(code, {
      openid: `oUpF8uMuAJO_M2pxb1Q9zNjWe${String(this.#codes.size + 1).padStart(3, '0')}`,
      used: false,
    });
    const separator = link.redirect_uri.includes('?') ? '&' : '?';
    return {
      redirect_url: `${link.redirect_uri}${separator}code=${code}&state=${link.state}`,
      code,
    };
  }

  exchangeCode(pasted: string): OAuthIdentity {
    const text = pasted.trim();
    let code: string | null = null;
    try {
      code = new URL(text).searchParams.get('code');
    } catch {
      code = /^[\w-]+$/.test(text) ? text : null;
    }
    if (code === null || code === '') {
      throw appError(
        'OAUTH_CODE_MISSING',
        `在“${text}”中找不到 code。请粘贴授权后跳转到的完整网址（含 ?code=…），或只粘贴 code 本身。`,
        `No code was found in "${text}". Paste the whole URL the authorization redirected to (with ?code=…), or the code alone.`,
      );
    }
    const issued = this.#codes.get(code);
    if (issued === undefined) {
      throw appError(
        '40029',
        'OAuth code 无效或已过期（code 只在 5 分钟内有效）。请重新打开授权链接获取新的 code。',
        'The OAuth code is invalid or expired (a code is valid for 5 minutes). Open the authorize link again to get a new code.',
      );
    }
    if (issued.used) {
      throw appError(
        '40163',
        'OAuth code 已被使用（每个 code 只能换取一次）。请重新打开授权链接获取新的 code。',
        'The OAuth code was already used (each code works once). Open the authorize link again to get a new code.',
      );
    }
    issued.used = true;
    return {
      code,
      openid: issued.openid,
      scope: 'snsapi_base',
      unionid: null,
      is_snapshot_user: false,
    };
  }

  #parseMessage(message: string): Map<string, string> {
    const text = message.trim();
    const fields = new Map<string, string>();
    if (text === '') {
      throw appError(
        'INVALID_MESSAGE',
        '无法读取报文：报文为空。请粘贴完整的 XML（<xml>…</xml>），或每行一个 名称=值。',
        'The message could not be read: it is empty. Paste the whole XML (<xml>…</xml>), or one name=value a line.',
      );
    }
    if (text.startsWith('<')) {
      if (!text.endsWith('</xml>')) {
        throw appError(
          'INVALID_MESSAGE',
          '无法读取报文：XML 不完整。请粘贴完整的 XML（<xml>…</xml>），或每行一个 名称=值。',
          'The message could not be read: the XML is incomplete. Paste the whole XML (<xml>…</xml>), or one name=value a line.',
        );
      }
      const pattern = /<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
      for (const match of text.matchAll(pattern)) {
        if (match[1] !== 'xml') fields.set(match[1] ?? '', match[2] ?? match[3] ?? '');
      }
      return fields;
    }
    for (const line of text.split(/\n|&/)) {
      const pair = line.trim();
      if (pair === '') continue;
      const at = pair.indexOf('=');
      if (at < 0) {
        throw appError(
          'INVALID_MESSAGE',
          `无法读取报文："${pair}" 不是 名称=值。`,
          `The message could not be read: "${pair}" is not name=value.`,
        );
      }
      fields.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return fields;
  }

  checkSignature(message: string): SignatureCheck {
    const fields = this.#parseMessage(message);
    const names = [...fields.keys()].sort();
    const signed =
      names
        .filter((name) => name !== 'sign' && fields.get(name) !== '')
        .map((name) => `${name}=${fields.get(name)}&`)
        .join('') +
      'key=' +
      '*'.repeat(32);
    const list = names.map((name) => ({ name, value: fields.get(name) ?? '' }));
    const sign = (fields.get('sign') ?? '').toUpperCase();
    const check = (matched: string | null, failure: AppError | null): SignatureCheck => ({
      fields: list,
      matched,
      failure,
      signed_string: signed,
    });
    if (sign === '') {
      return check(
        null,
        appError(
          'SIGN_MISSING',
          '报文中没有 sign 字段，无法校验。请粘贴完整报文。',
          'The message has no sign field, so it cannot be checked. Paste the whole message.',
        ),
      );
    }
    if (sign === FAKE_VALID_MD5) return check('MD5', null);
    if (sign === FAKE_VALID_HMAC) return check('HMAC-SHA256', null);
    return check(
      null,
      appError(
        'SIGN_MISMATCH',
        '签名不匹配（MD5）：报文可能被改动过，或不是用当前商户的 API 密钥签名的。请确认粘贴的是原始报文，并核对 API 密钥。',
        'The signature does not match (MD5): the message may have been changed, or it was signed with another API key. Paste the original message and check the API key.',
      ),
    );
  }

  decodeNotify(message: string): DecodedNotify {
    const fields = this.#parseMessage(message);
    const list = () =>
      [...fields.entries()]
        .filter(([name]) => name !== 'req_info')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value }));
    const reqInfo = fields.get('req_info');
    if (reqInfo !== undefined) {
      if (reqInfo !== FAKE_REQ_INFO) {
        throw appError(
          'DECRYPT_FAILED',
          '退款通知的 req_info 无法用当前商户的 API 密钥解密。请确认通知来自本商户。',
          'The refund notify’s req_info does not decrypt with this merchant’s API key. Check that the notify is for this merchant.',
        );
      }
      fields.set('out_refund_no', 'RF2026110500000001');
      fields.set('refund_fee', '800');
      fields.set('refund_status', 'SUCCESS');
      return {
        kind: 'refund',
        sign_type: null,
        out_trade_no: 'WX2026110500000001',
        transaction_id: '4200000123202611050123456789',
        out_refund_no: 'RF2026110500000001',
        refund_id: '50000000382019052709732678859',
        status: 'SUCCESS',
        total_fee: 1800,
        refund_fee: 800,
        at: 1_793_862_000,
        fields: list(),
      };
    }
    const verdict = this.checkSignature(message);
    if (verdict.matched === null) {
      throw appError(
        'SIGN_ERROR',
        '支付通知签名校验失败：报文可能被篡改，或 API 密钥不对。',
        'The payment notify signature does not match: the message may be forged, or the API key is wrong.',
      );
    }
    return {
      kind: 'payment',
      sign_type: verdict.matched,
      out_trade_no: fields.get('out_trade_no') ?? '',
      transaction_id: fields.get('transaction_id') ?? '',
      out_refund_no: null,
      refund_id: null,
      status: 'SUCCESS',
      total_fee: Number(fields.get('total_fee') ?? '0'),
      refund_fee: null,
      at: 1_793_860_205,
      fields: list(),
    };
  }

  #requireSandbox(): void {
    if (this.options.mode !== 'sandbox') {
      throw appError(
        'NOT_SANDBOX',
        '当前商户是正式环境，没有沙箱模拟器。请切换到沙箱商户后再使用。',
        'The current profile is live and has no simulator. Switch to a sandbox profile to use this.',
      );
    }
  }

  sandboxState(): SandboxState {
    this.#requireSandbox();
    return {
      base_url: 'https://127.0.0.1:38443',
      balance_fen: this.#balance,
      refund_delay_ms: this.#refundDelayMs,
      faults: this.#faults.map((fault) => ({ ...fault })),
      fault_kinds: [...FAKE_FAULT_KINDS],
      fault_paths: [...FAKE_FAULT_PATHS],
    };
  }

  #invalidAmount(fen: number): AppError {
    return appError(
      'INVALID_AMOUNT',
      `金额 ${fen} 分无效：充值金额必须大于 0，余额不能为负。`,
      `The amount of ${fen} fen is invalid: a top-up must be above 0 and a balance cannot be negative.`,
    );
  }

  topUp(amountFen: number): SandboxState {
    this.#requireSandbox();
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw this.#invalidAmount(amountFen);
    this.#balance += amountFen;
    return this.sandboxState();
  }

  setBalance(balanceFen: number): SandboxState {
    this.#requireSandbox();
    if (!Number.isSafeInteger(balanceFen) || balanceFen < 0) throw this.#invalidAmount(balanceFen);
    this.#balance = balanceFen;
    return this.sandboxState();
  }

  payOrder(outTradeNo: string): OrderDetail {
    this.#requireSandbox();
    const number = outTradeNo.trim();
    const record = this.records.find(({ row }) => row.out_trade_no === number);
    if (record === undefined) {
      throw appError(
        'SANDBOX_ORDER_NOT_FOUND',
        `模拟器中没有商户订单号为 ${number} 的订单。请检查订单号。`,
        `The simulator has no order ${number}. Check the number.`,
      );
    }
    if (record.row.trade_state !== 'NOTPAY') {
      throw appError(
        'SANDBOX_NOT_PAYABLE',
        `订单 ${number} 不是未支付状态，不能再支付。`,
        `Order ${number} is not unpaid, so it cannot be paid.`,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    record.row.trade_state = 'SUCCESS';
    record.row.paid_at = now;
    record.row.transaction_id = `42000${String(now).padStart(23, '0')}`;
    record.timeline.push({ at: now, kind: 'queried', summary: 'trade_state SUCCESS' });
    return this.detail(number);
  }

  addFault(fault: FaultView): SandboxState {
    this.#requireSandbox();
    if (!FAKE_FAULT_KINDS.includes(fault.kind) || fault.count < 0) {
      throw appError(
        'INVALID_FAULT',
        `故障设置无效：${fault.kind} × ${fault.count}。`,
        `The fault is invalid: ${fault.kind} × ${fault.count}.`,
      );
    }
    this.#faults.push({ ...fault });
    return this.sandboxState();
  }
}
