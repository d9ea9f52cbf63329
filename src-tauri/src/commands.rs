//! Tauri commands: each one adapts a `console::Console` operation to IPC and nothing more.
//! Errors cross as `AppError` records so the UI can show the explained message.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use console::dto::{
    AdActionView, AppError, AppStatus, CollectInput, CollectResult, DecodedNotify, ExportProgress,
    ExportReport, FaultView, ImportReport, OAuthIdentity, OAuthLink, OrderCursor, OrderDetail,
    OrderFilter, OrderPage, OrderTotals, RefundInput, RefundView, SandboxRedirect, SandboxState,
    SignatureCheck, SyncProgress, SyncReport, TokenStatusView, UserActionInput, UserActionPreview,
};
use console::export::CancelToken;
use console::Console;
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

type Reply<T> = Result<T, AppError>;

#[tauri::command]
pub async fn app_status(console: State<'_, Console>) -> Reply<AppStatus> {
    console.status().await
}

#[tauri::command]
pub async fn sync_history(
    console: State<'_, Console>,
    days: u32,
    on_progress: Channel<SyncProgress>,
) -> Reply<SyncReport> {
    console
        .sync_history(days, move |progress| {
            // A closed window drops the channel; the sync still finishes and is recorded.
            let _ = on_progress.send(progress);
        })
        .await
}

#[tauri::command]
pub fn cancel_sync(console: State<'_, Console>) {
    console.cancel_sync();
}

#[tauri::command]
pub async fn list_orders(
    console: State<'_, Console>,
    filter: OrderFilter,
    cursor: Option<OrderCursor>,
    limit: u32,
) -> Reply<OrderPage> {
    console.list_orders(filter, cursor, limit).await
}

#[tauri::command]
pub async fn order_totals(console: State<'_, Console>, filter: OrderFilter) -> Reply<OrderTotals> {
    console.order_totals(filter).await
}

#[tauri::command]
pub async fn order_detail(console: State<'_, Console>, out_trade_no: String) -> Reply<OrderDetail> {
    console.order_detail(&out_trade_no).await
}

#[tauri::command]
pub async fn query_order(console: State<'_, Console>, out_trade_no: String) -> Reply<OrderDetail> {
    console.query_order(&out_trade_no).await
}

#[tauri::command]
pub async fn collect_native(
    console: State<'_, Console>,
    input: CollectInput,
) -> Reply<CollectResult> {
    console.collect_native(input).await
}

#[tauri::command]
pub async fn refund_order(console: State<'_, Console>, input: RefundInput) -> Reply<RefundView> {
    console.refund_order(input).await
}

#[tauri::command]
pub async fn follow_refund(
    console: State<'_, Console>,
    out_refund_no: String,
    on_update: Channel<RefundView>,
) -> Reply<RefundView> {
    console
        .follow_refund(&out_refund_no, move |refund| {
            let _ = on_update.send(refund.clone());
        })
        .await
}

#[tauri::command]
pub async fn pick_and_import_bill(
    app: tauri::AppHandle,
    console: State<'_, Console>,
) -> Reply<Option<ImportReport>> {
    let picked = app
        .dialog()
        .file()
        .set_title("导入账单 Import bill")
        .add_filter("账单 Bill (CSV)", &["csv", "txt", "gz"])
        .blocking_pick_file();
    let Some(file) = picked else {
        return Ok(None);
    };
    let path = file
        .into_path()
        .map_err(|_| console::errors::not_a_local_file())?;
    console.import_bill_file(&path).await.map(Some)
}

#[tauri::command]
pub async fn import_bill(console: State<'_, Console>, path: PathBuf) -> Reply<ImportReport> {
    console.import_bill_file(&path).await
}

#[tauri::command]
pub async fn preview_user_action(
    console: State<'_, Console>,
    input: UserActionInput,
) -> Reply<UserActionPreview> {
    console.preview_user_action(input).await
}

#[tauri::command]
pub async fn send_user_action(
    console: State<'_, Console>,
    input: UserActionInput,
) -> Reply<AdActionView> {
    console.send_user_action(input).await
}

#[tauri::command]
pub async fn list_ad_actions(console: State<'_, Console>) -> Reply<Vec<AdActionView>> {
    console.ad_actions().await
}

/// The cancel flag of the export in progress, so that `cancel_export` can reach it.
#[derive(Default)]
pub struct ExportControl {
    current: Mutex<CancelToken>,
}

impl ExportControl {
    fn start(&self) -> CancelToken {
        let token = CancelToken::new();
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = token.clone();
        token
    }

    fn cancel(&self) {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .cancel();
    }
}

/// Asks where to save, then writes the filtered orders there as CSV. `None` when the
/// save dialog was dismissed.
#[tauri::command]
pub async fn export_orders_csv(
    app: tauri::AppHandle,
    console: State<'_, Console>,
    exports: State<'_, ExportControl>,
    filter: OrderFilter,
    on_progress: Channel<ExportProgress>,
) -> Reply<Option<ExportReport>> {
    let picked = app
        .dialog()
        .file()
        .set_title("导出订单 Export orders")
        .set_file_name(console::export::default_file_name())
        .add_filter("CSV", &["csv"])
        .blocking_save_file();
    let Some(file) = picked else {
        return Ok(None);
    };
    let path = file
        .into_path()
        .map_err(|_| console::export::not_a_local_path())?;
    let cancel = exports.start();
    console
        .export_orders_csv(filter, path, cancel, move |progress| {
            let _ = on_progress.send(progress);
        })
        .await
        .map(Some)
}

#[tauri::command]
pub fn cancel_export(exports: State<'_, ExportControl>) {
    exports.cancel();
}

#[tauri::command]
pub fn token_status(console: State<'_, Console>) -> TokenStatusView {
    console.token_status()
}

#[tauri::command]
pub async fn refresh_access_token(console: State<'_, Console>) -> Reply<TokenStatusView> {
    console.refresh_access_token().await
}

#[tauri::command]
pub fn oauth_authorize_link(
    console: State<'_, Console>,
    redirect_uri: String,
    state: String,
) -> Reply<OAuthLink> {
    console.oauth_authorize_link(&redirect_uri, &state)
}

#[tauri::command]
pub async fn sandbox_authorize(
    console: State<'_, Console>,
    redirect_uri: String,
    state: String,
) -> Reply<SandboxRedirect> {
    console.sandbox_authorize(&redirect_uri, &state).await
}

#[tauri::command]
pub async fn exchange_oauth_code(
    console: State<'_, Console>,
    pasted: String,
) -> Reply<OAuthIdentity> {
    console.exchange_oauth_code(&pasted).await
}

#[tauri::command]
pub fn check_signature(console: State<'_, Console>, message: String) -> Reply<SignatureCheck> {
    console.check_signature(&message)
}

#[tauri::command]
pub fn decode_notify(console: State<'_, Console>, message: String) -> Reply<DecodedNotify> {
    console.decode_notify(&message)
}

#[tauri::command]
pub async fn sandbox_state(console: State<'_, Console>) -> Reply<SandboxState> {
    console.sandbox_state().await
}

#[tauri::command]
pub async fn sandbox_top_up(console: State<'_, Console>, amount_fen: i64) -> Reply<SandboxState> {
    console.sandbox_top_up(amount_fen).await
}

#[tauri::command]
pub async fn sandbox_set_balance(
    console: State<'_, Console>,
    balance_fen: i64,
) -> Reply<SandboxState> {
    console.sandbox_set_balance(balance_fen).await
}

#[tauri::command]
pub async fn sandbox_set_refund_delay(
    console: State<'_, Console>,
    delay_ms: u64,
) -> Reply<SandboxState> {
    console.sandbox_set_refund_delay(delay_ms).await
}

#[tauri::command]
pub async fn sandbox_pay_order(
    console: State<'_, Console>,
    out_trade_no: String,
) -> Reply<OrderDetail> {
    console.sandbox_pay_order(&out_trade_no).await
}

#[tauri::command]
pub async fn sandbox_add_fault(
    console: State<'_, Console>,
    fault: FaultView,
) -> Reply<SandboxState> {
    console.sandbox_add_fault(fault).await
}

#[tauri::command]
pub async fn sandbox_clear_faults(console: State<'_, Console>) -> Reply<SandboxState> {
    console.sandbox_clear_faults().await
}

#[tauri::command]
pub async fn sandbox_clear_faults_for(
    console: State<'_, Console>,
    path: String,
) -> Reply<SandboxState> {
    console.sandbox_clear_faults_for(&path).await
}
