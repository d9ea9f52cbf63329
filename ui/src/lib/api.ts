// Every call to the Rust side goes through here: one typed function per Tauri command.
// A rejected call always surfaces as an AppError, whatever shape the rejection had.
import { Channel, invoke } from '@tauri-apps/api/core';
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
import type { OrderTotals } from '$lib/bindings/OrderTotals';
import type { RefundInput } from '$lib/bindings/RefundInput';
import type { RefundView } from '$lib/bindings/RefundView';
import type { SandboxRedirect } from '$lib/bindings/SandboxRedirect';
import type { SandboxState } from '$lib/bindings/SandboxState';
import type { SignatureCheck } from '$lib/bindings/SignatureCheck';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { SyncReport } from '$lib/bindings/SyncReport';
import type { TokenStatusView } from '$lib/bindings/TokenStatusView';
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

export function collectNative(input: CollectInput): Promise<CollectResult> {
  return call('collect_native', { input });
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

/** Asks where to save, then writes the filtered orders as CSV; null when the dialog was dismissed. */
export function exportOrdersCsv(
  filter: OrderFilter,
  onProgress: (progress: ExportProgress) => void,
): Promise<ExportReport | null> {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call('export_orders_csv', { filter, onProgress: channel });
}

export function cancelExport(): Promise<void> {
  return call('cancel_export');
}

export function tokenStatus(): Promise<TokenStatusView> {
  return call('token_status');
}

export function refreshAccessToken(): Promise<TokenStatusView> {
  return call('refresh_access_token');
}

export function oauthAuthorizeLink(redirectUri: string, state: string): Promise<OAuthLink> {
  return call('oauth_authorize_link', { redirectUri, state });
}

export function sandboxAuthorize(redirectUri: string, state: string): Promise<SandboxRedirect> {
  return call('sandbox_authorize', { redirectUri, state });
}

export function exchangeOauthCode(pasted: string): Promise<OAuthIdentity> {
  return call('exchange_oauth_code', { pasted });
}

export function checkSignature(message: string): Promise<SignatureCheck> {
  return call('check_signature', { message });
}

export function decodeNotify(message: string): Promise<DecodedNotify> {
  return call('decode_notify', { message });
}

export function sandboxState(): Promise<SandboxState> {
  return call('sandbox_state');
}

export function sandboxTopUp(amountFen: number): Promise<SandboxState> {
  return call('sandbox_top_up', { amountFen });
}

export function sandboxSetBalance(balanceFen: number): Promise<SandboxState> {
  return call('sandbox_set_balance', { balanceFen });
}

export function sandboxSetRefundDelay(delayMs: number): Promise<SandboxState> {
  return call('sandbox_set_refund_delay', { delayMs });
}

export function sandboxPayOrder(outTradeNo: string): Promise<OrderDetail> {
  return call('sandbox_pay_order', { outTradeNo });
}

export function sandboxAddFault(fault: FaultView): Promise<SandboxState> {
  return call('sandbox_add_fault', { fault });
}

export function sandboxClearFaults(): Promise<SandboxState> {
  return call('sandbox_clear_faults');
}

export function sandboxClearFaultsFor(path: string): Promise<SandboxState> {
  return call('sandbox_clear_faults_for', { path });
}

/** Name of the event the app menu's "import bill" item emits. */
export const IMPORT_BILL_EVENT = 'import-bill';
