// WeChat's codes shown with the merchant platform's Chinese terms and their English
// equivalents, plus the badge colour each state wears in tables and the detail drawer.
import { locale } from './i18n.svelte';

export type Tone = 'success' | 'info' | 'warning' | 'danger' | 'neutral' | 'accent';

type Label = { zh: string; en: string; tone: Tone };

export const TRADE_STATES: Record<string, Label> = {
  SUCCESS: { zh: '支付成功', en: 'Paid', tone: 'success' },
  REFUND: { zh: '转入退款', en: 'Refunded', tone: 'accent' },
  NOTPAY: { zh: '未支付', en: 'Unpaid', tone: 'warning' },
  CLOSED: { zh: '已关闭', en: 'Closed', tone: 'neutral' },
  REVOKED: { zh: '已撤销', en: 'Reversed', tone: 'neutral' },
  USERPAYING: { zh: '用户支付中', en: 'Paying', tone: 'info' },
  PAYERROR: { zh: '支付失败', en: 'Failed', tone: 'danger' },
};

/** Refund states: WeChat's four, plus the console's PENDING (stored, not yet accepted) and FAILED. */
export const REFUND_STATUSES: Record<string, Label> = {
  SUCCESS: { zh: '退款成功', en: 'Refunded', tone: 'success' },
  PROCESSING: { zh: '退款处理中', en: 'Processing', tone: 'info' },
  REFUNDCLOSE: { zh: '退款关闭', en: 'Closed', tone: 'neutral' },
  CHANGE: { zh: '退款异常', en: 'Abnormal', tone: 'danger' },
  PENDING: { zh: '待受理', en: 'Pending', tone: 'warning' },
  FAILED: { zh: '退款失败', en: 'Failed', tone: 'danger' },
};

export const TRADE_TYPES: Record<string, Omit<Label, 'tone'>> = {
  JSAPI: { zh: '公众号支付', en: 'JSAPI' },
  NATIVE: { zh: '扫码支付', en: 'Native' },
  MICROPAY: { zh: '付款码支付', en: 'Payment code' },
  APP: { zh: 'APP支付', en: 'App' },
  MWEB: { zh: 'H5支付', en: 'H5' },
};

/** Final refund states: WeChat will not change them by itself. */
export const FINAL_REFUND_STATUSES = new Set(['SUCCESS', 'REFUNDCLOSE', 'CHANGE', 'FAILED']);

function pick(label: Omit<Label, 'tone'> | undefined, code: string): string {
  if (label === undefined) {
    return code;
  }
  return locale.lang === 'en' ? label.en : label.zh;
}

export function tradeStateLabel(code: string): string {
  return pick(TRADE_STATES[code], code);
}

export function refundStatusLabel(code: string): string {
  return pick(REFUND_STATUSES[code], code);
}

export function tradeTypeLabel(code: string): string {
  return pick(TRADE_TYPES[code], code);
}

export function tradeStateTone(code: string): Tone {
  return TRADE_STATES[code]?.tone ?? 'neutral';
}

export function refundStatusTone(code: string): Tone {
  return REFUND_STATUSES[code]?.tone ?? 'neutral';
}
