//! The desktop shell: opens the console core, registers the commands and the menu, and
//! shows the window. All logic lives in the tauri-free `console` crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod menu;

use console::{Console, OpenOptions};
use tauri::Manager;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WXMC_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .menu(menu::build)
        .on_menu_event(menu::handle)
        .setup(|app| {
            let data_dir = match std::env::var_os("WXMC_DATA_DIR") {
                Some(dir) => dir.into(),
                None => app.path().app_data_dir()?,
            };
            let console = tauri::async_runtime::block_on(Console::open(OpenOptions::new(data_dir)))
                .map_err(|error| format!("{} / {}", error.message_zh, error.message_en))?;
            app.manage(console);
            app.manage(commands::ExportControl::default());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::sync_history,
            commands::cancel_sync,
            commands::list_orders,
            commands::order_totals,
            commands::order_detail,
            commands::query_order,
            commands::collect_native,
            commands::refund_order,
            commands::follow_refund,
            commands::pick_and_import_bill,
            commands::import_bill,
            commands::preview_user_action,
            commands::send_user_action,
            commands::list_ad_actions,
            commands::export_orders_csv,
            commands::cancel_export,
            commands::token_status,
            commands::refresh_access_token,
            commands::oauth_authorize_link,
            commands::sandbox_authorize,
            commands::exchange_oauth_code,
            commands::check_signature,
            commands::decode_notify,
            commands::sandbox_state,
            commands::sandbox_top_up,
            commands::sandbox_set_balance,
            commands::sandbox_set_refund_delay,
            commands::sandbox_pay_order,
            commands::sandbox_add_fault,
            commands::sandbox_clear_faults,
            commands::sandbox_clear_faults_for,
        ])
        .run(tauri::generate_context!());

    if let Err(error) = result {
        tracing::error!(%error, "the console could not start");
        eprintln!("微信支付商户控制台无法启动 / The merchant console could not start: {error}");
        std::process::exit(1);
    }
}
