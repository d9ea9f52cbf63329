fn main() {
    // The app's own commands are listed so that the capability file allows each one by name.
    let commands = &[
        "app_status",
        "sync_history",
        "cancel_sync",
        "list_orders",
        "order_totals",
        "order_detail",
        "query_order",
        "collect_native",
        "refund_order",
        "follow_refund",
        "pick_and_import_bill",
        "import_bill",
        "preview_user_action",
        "send_user_action",
        "list_ad_actions",
        "export_orders_csv",
        "cancel_export",
        "token_status",
        "refresh_access_token",
        "oauth_authorize_link",
        "sandbox_authorize",
        "exchange_oauth_code",
        "check_signature",
        "decode_notify",
        "sandbox_state",
        "sandbox_top_up",
        "sandbox_set_balance",
        "sandbox_set_refund_delay",
        "sandbox_pay_order",
        "sandbox_add_fault",
        "sandbox_clear_faults",
        "sandbox_clear_faults_for",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("the Tauri build script failed: check tauri.conf.json and capabilities/");
}
