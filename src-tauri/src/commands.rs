//! Tauri commands: each one adapts a `console::Console` operation to IPC and nothing more.
//! Errors cross as `AppError` records so the UI can show the explained message.

use std::path::PathBuf;

use console::dto::{
    AdActionView, AppError, AppStatus, ImportReport, OrderCursor, OrderDetail, OrderFilter,
    OrderPage, OrderTotals, RefundInput, RefundView, SyncProgress, SyncReport, UserActionInput,
    UserActionPreview,
};
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
    let path = file.into_path().map_err(|_| console::errors::not_a_local_file())?;
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
