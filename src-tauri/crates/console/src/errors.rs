//! Every failure the console reports, as an `AppError` a shop owner can act on. Errors of the
//! core crates are translated here so that each crate keeps its own typed errors.

use crate::dto::AppError;

fn app_error(
    code: &str,
    zh: impl Into<String>,
    en: impl Into<String>,
    retryable: bool,
) -> AppError {
    AppError {
        code: code.to_owned(),
        message_zh: zh.into(),
        message_en: en.into(),
        retryable,
    }
}

pub fn invalid_date(text: &str) -> AppError {
    app_error(
        "INVALID_DATE",
        format!("日期“{text}”无效，请使用 年-月-日 格式，例如 2026-11-05。"),
        format!("The date \"{text}\" is invalid. Use year-month-day, for example 2026-11-05."),
        false,
    )
}

pub fn not_a_local_file() -> AppError {
    app_error(
        "NOT_A_LOCAL_FILE",
        "所选文件不在本机磁盘上，请先把账单保存到本机再导入。",
        "The chosen file is not on a local disk. Save the bill to this computer, then import it.",
        false,
    )
}

pub fn order_not_found(out_trade_no: &str) -> AppError {
    app_error(
        "ORDER_NOT_IN_HISTORY",
        format!("本地记录中没有商户订单号为 {out_trade_no} 的订单。请先同步账单或检查订单号。"),
        format!(
            "Order {out_trade_no} is not in the local history. Sync the bills or check the number."
        ),
        false,
    )
}

pub fn refund_not_found(out_refund_no: &str) -> AppError {
    app_error(
        "REFUND_NOT_IN_HISTORY",
        format!("本地记录中没有商户退款单号为 {out_refund_no} 的退款。"),
        format!("Refund {out_refund_no} is not in the local history."),
        false,
    )
}

pub fn invalid_refund_amount(refund_fee: i64, refundable_fee: i64) -> AppError {
    let requested = wxpay::Fen(refund_fee).to_string();
    let rest = wxpay::Fen(refundable_fee).to_string();
    app_error(
        "INVALID_REFUND_AMOUNT",
        format!("退款金额 {requested} 无效：必须大于 0，且不超过可退余额 {rest}。"),
        format!("The refund amount {requested} is invalid: it must be above 0 and at most the refundable {rest}."),
        false,
    )
}

pub fn order_not_refundable(out_trade_no: &str, trade_state: &str) -> AppError {
    app_error(
        "ORDER_NOT_REFUNDABLE",
        format!("订单 {out_trade_no} 的状态是 {trade_state}，只有已支付的订单可以退款。请先查询微信确认订单状态。"),
        format!("Order {out_trade_no} is {trade_state}; only paid orders can be refunded. Query WeChat to confirm its state."),
        false,
    )
}

pub fn reason_too_long() -> AppError {
    app_error(
        "REFUND_REASON_TOO_LONG",
        "退款原因最多 80 个字节（约 26 个汉字），请缩短后再提交。",
        "The refund reason may be at most 80 bytes (about 26 Chinese characters). Shorten it and submit again.",
        false,
    )
}

pub fn sync_already_running() -> AppError {
    app_error(
        "SYNC_RUNNING",
        "账单同步正在进行中，请等待完成或先取消。",
        "A bill sync is already running. Wait for it to finish or cancel it first.",
        true,
    )
}

pub fn bill_file_unreadable(file_name: &str, detail: &str) -> AppError {
    app_error(
        "BILL_FILE_UNREADABLE",
        format!("无法读取账单文件 {file_name}：{detail}"),
        format!("The bill file {file_name} could not be read: {detail}"),
        false,
    )
}

pub fn internal(context: &str, detail: impl std::fmt::Display) -> AppError {
    tracing::error!(context, %detail, "internal error");
    app_error(
        "INTERNAL",
        format!("{context}时发生内部错误：{detail}。请重试；如果反复出现，请联系技术支持。"),
        format!("An internal error occurred while {context}: {detail}. Try again; if it keeps happening, contact support."),
        true,
    )
}

pub fn invalid_collect_amount(total_fee: i64) -> AppError {
    let amount = wxpay::Fen(total_fee).to_string();
    app_error(
        "INVALID_AMOUNT",
        format!("收款金额 {amount} 无效，必须大于 ¥0.00。"),
        format!("The amount {amount} is invalid: it must be above ¥0.00."),
        false,
    )
}

pub fn collect_needs_notify_url() -> AppError {
    app_error(
        "NO_NOTIFY_URL",
        "实盘模式下桌面端无法接收微信支付通知，请在商户服务器上下单收款。",
        "In live mode WeChat cannot reach this computer with payment notifies. Create the order on the shop's server instead.",
        false,
    )
}

pub fn collect_without_code_url() -> AppError {
    app_error(
        "NO_CODE_URL",
        "微信没有返回二维码链接（code_url）。请稍后重试。",
        "WeChat returned no code_url for the QR code. Try again later.",
        true,
    )
}
