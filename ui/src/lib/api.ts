// Every call to the Rust side goes through here: one typed function per Tauri command.
// A rejected call always surfaces as an AppError, whatever shape the rejection had.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AdActionView } from '$lib/bindings/AdActionView';
import type { AppError } from '$lib/bindings/AppError';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { ImportReport } from '$lib/bindings/ImportReport';
import type { OrderCursor } from '$lib/bindings/OrderCursor';
import type { OrderDetail } from '$lib/bindings/OrderDetail';
import type { OrderFilter } from '$lib/bindings/OrderFilter';
import type { OrderPage } from '$lib/bindings/OrderPage';
import type { OrderTotals } from '$lib/bindings/OrderTotals';
import type { RefundInput } from '$lib/bindings/RefundInput';
import type { RefundView } from '$lib/bindings/RefundView';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { SyncReport } from '$lib/bindings/SyncReport';
import type { UserActionInput } from '$lib/bindings/UserActionInput';
import type { UserActionPreview } from '$lib/bindings/UserActionPreview';

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return (
    typeof record.code === 'string' &&
    typeof record.message_zh === 'string' &&
    typeof record.message_en === 'string' &&
    typeof record.retryable === 'boolean'
  );
}

/**
 * Turns any rejection into an AppError. Tauri itself rejects with a plain string when a
 * command is missing or its arguments do not deserialise; those are shown as they are.
 */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    return reason;
  }
  const detail = reason instanceof Error ? reason.message : String(reason);
  return {
    code: 'UNEXPECTED',
    message_zh: `操作失败：${detail}`,
    message_en: `The operation failed: ${detail}`,
    retryable: true,
  };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

export function appStatus(): Promise<AppStatus> {
  return call('app_status');
}

export function syncHistory(
  days: number,
  onProgress: (progress: SyncProgress) => void,
): Promise<SyncReport> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return call('sync_history', { days, onProgress: channel });
}

export function cancelSync(): Promise<void> {
  return call('cancel_sync');
}

export function listOrders(
  filter: OrderFilter,
  cursor: OrderCursor | null,
  limit: number,
): Promise<OrderPage> {
  return call('list_orders', { filter, cursor, limit });
}

export function orderTotals(filter: OrderFilter): Promise<OrderTotals> {
  return call('order_totals', { filter });
}

export function orderDetail(outTradeNo: string): Promise<OrderDetail> {
  return call('order_detail', { outTradeNo });
}

export function queryOrder(outTradeNo: string): Promise<OrderDetail> {
  return call('query_order', { outTradeNo });
}

export function refundOrder(input: RefundInput): Promise<RefundView> {
  return call('refund_order', { input });
}

export function followRefund(
  outRefundNo: string,
  onUpdate: (refund: RefundView) => void,
): Promise<RefundView> {
  const channel = new Channel<RefundView>();
  channel.onmessage = onUpdate;
  return call('follow_refund', { outRefundNo, onUpdate: channel });
}

export function pickAndImportBill(): Promise<ImportReport | null> {
  return call('pick_and_import_bill');
}

export function importBill(path: string): Promise<ImportReport> {
  return call('import_bill', { path });
}

export function previewUserAction(input: UserActionInput): Promise<UserActionPreview> {
  return call('preview_user_action', { input });
}

export function sendUserAction(input: UserActionInput): Promise<AdActionView> {
  return call('send_user_action', { input });
}

export function listAdActions(): Promise<AdActionView[]> {
  return call('list_ad_actions');
}

/** Name of the event the app menu's "import bill" item emits. */
export const IMPORT_BILL_EVENT = 'import-bill';
