//! Records and inputs that cross the boundary to the UI. ts-rs generates their TypeScript
//! twins in `ui/src/lib/bindings/`; edit these types, never the generated files.
//!
//! Money is integer fen and times are UTC unix seconds; the UI formats both.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A failure explained for a shop owner: what happened and what to do next, in both
/// languages, with a stable code the UI can branch on.
#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq)]
#[ts(export)]
pub struct AppError {
    /// WeChat's err_code (for example `NOTENOUGH`) or one of the console's own codes.
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    /// True when the same request may be sent again unchanged.
    pub retryable: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Mode {
    Sandbox,
    Live,
}

/// The merchant profile in use, by its public identifiers only.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub mode: Mode,
    pub appid: String,
    pub mch_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub profile: ProfileView,
    /// Base URL of the in-process simulator, in sandbox mode.
    pub sandbox_base_url: Option<String>,
    /// Number of bill days already pulled into the local history.
    pub synced_days: u32,
    /// Orders in the local history of this profile.
    #[ts(type = "number")]
    pub order_count: i64,
    /// The merchant's time zone, used for display and for day boundaries.
    pub time_zone: String,
}

/// Progress of a history sync, sent once per bill day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    /// Bill date being pulled, `YYYY-MM-DD` in the merchant's zone.
    pub bill_date: String,
    pub days_done: u32,
    pub days_total: u32,
    #[ts(type = "number")]
    pub rows_imported: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub days_synced: u32,
    pub days_without_bill: u32,
    #[ts(type = "number")]
    pub rows_imported: i64,
    pub cancelled: bool,
}

/// Filter of the orders to list, count and total.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderFilter {
    /// First day to include, `YYYY-MM-DD` in the merchant's zone.
    pub from_date: Option<String>,
    /// Last day to include, `YYYY-MM-DD` in the merchant's zone.
    pub to_date: Option<String>,
    /// WeChat trade_state values; empty means every state.
    pub states: Vec<String>,
    /// Exact or leading part of out_trade_no, transaction_id or openid.
    pub search: Option<String>,
    /// WeChat trade_type values (payment methods); empty means every method.
    #[serde(default)]
    pub trade_types: Vec<String>,
    /// Smallest total_fee included, in fen.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub min_fee: Option<i64>,
    /// Largest total_fee included, in fen.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_fee: Option<i64>,
}

/// Opaque position after the last row of a page; send it back to get the next page.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderCursor {
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderRow {
    #[ts(type = "number")]
    pub id: i64,
    pub out_trade_no: String,
    pub transaction_id: Option<String>,
    pub trade_type: String,
    pub trade_state: String,
    #[ts(type = "number")]
    pub total_fee: i64,
    #[ts(type = "number")]
    pub refunded_fee: i64,
    pub body: String,
    pub openid: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub paid_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderPage {
    pub rows: Vec<OrderRow>,
    pub next: Option<OrderCursor>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderTotals {
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub total_fee: i64,
    #[ts(type = "number")]
    pub refunded_fee: i64,
    #[ts(type = "number")]
    pub net_fee: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundView {
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub refund_id: Option<String>,
    #[ts(type = "number")]
    pub refund_fee: i64,
    pub reason: Option<String>,
    /// PENDING (stored, not yet accepted), PROCESSING, SUCCESS, REFUNDCLOSE, CHANGE or FAILED.
    pub status: String,
    pub error: Option<AppError>,
    #[ts(type = "number")]
    pub requested_at: i64,
    #[ts(type = "number | null")]
    pub succeeded_at: Option<i64>,
}

impl RefundView {
    /// True once WeChat has given a state that will not change by itself.
    pub fn is_final(&self) -> bool {
        matches!(
            self.status.as_str(),
            "SUCCESS" | "REFUNDCLOSE" | "CHANGE" | "FAILED"
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineEvent {
    #[ts(type = "number")]
    pub at: i64,
    /// created, paid, queried, refund_requested, refund_succeeded, refund_failed, imported ...
    pub kind: String,
    pub summary: String,
}

/// One WeChat field of an order as last seen, for the detail drawer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderField {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderDetail {
    pub order: OrderRow,
    pub fields: Vec<OrderField>,
    pub refunds: Vec<RefundView>,
    pub timeline: Vec<TimelineEvent>,
    /// Paid amount minus refunds that are not closed or failed: the prefill of a refund.
    #[ts(type = "number")]
    pub refundable_fee: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundInput {
    pub out_trade_no: String,
    /// The number of an earlier attempt to repeat it (after a timeout); a new one when absent.
    pub out_refund_no: Option<String>,
    #[ts(type = "number")]
    pub refund_fee: i64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file_name: String,
    #[ts(type = "number")]
    pub rows_read: i64,
    #[ts(type = "number")]
    pub orders_upserted: i64,
    #[ts(type = "number")]
    pub refunds_upserted: i64,
    /// Whether the bill's summary line matched the sum of its rows.
    pub summary_checked: bool,
}

/// The ads screen's form for one conversion action.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserActionInput {
    pub action_type: String,
    pub openid: Option<String>,
    pub click_id: Option<String>,
    /// Purchase value in fen.
    #[ts(type = "number | null")]
    pub value: Option<i64>,
    pub claim_type: Option<u8>,
    pub url: Option<String>,
    /// Unix seconds; the current time when absent.
    #[ts(type = "number | null")]
    pub action_time: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserActionPreview {
    /// The exact JSON body that `send_user_action` will post.
    pub body: String,
    pub endpoint: String,
    #[ts(type = "number")]
    pub user_action_set_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdActionView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub at: i64,
    pub action_type: String,
    pub request_body: String,
    pub response_body: String,
    #[ts(type = "number")]
    pub errcode: i64,
    pub errmsg: String,
    /// WeChat's errcode explained; absent on success.
    pub explanation: Option<AppError>,
}

/// Progress of a CSV export, sent after each page of orders is written.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportProgress {
    #[ts(type = "number")]
    pub rows_written: i64,
    /// Orders the filter matched when the export started.
    #[ts(type = "number")]
    pub rows_total: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportReport {
    /// The CSV file written; absent when the export was cancelled and the file removed.
    pub path: Option<String>,
    #[ts(type = "number")]
    pub rows_written: i64,
    pub cancelled: bool,
}

/// The cached Official Account access_token's lifetime; the token itself never leaves Rust.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TokenStatusView {
    pub appid: String,
    /// Unix seconds; absent before the first fetch and after WeChat rejected the token.
    #[ts(type = "number | null")]
    pub fetched_at: Option<i64>,
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
}

/// The snsapi_base authorize link for a redirect URI, to open inside WeChat.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OAuthLink {
    pub url: String,
    pub redirect_uri: String,
    pub state: String,
}

/// Redirect target of the simulator's authorize page, with the code it issued.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SandboxRedirect {
    pub redirect_url: String,
    pub code: String,
}

/// The visitor identity an OAuth code was exchanged for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OAuthIdentity {
    pub code: String,
    pub openid: String,
    pub scope: String,
    pub unionid: Option<String>,
    /// True when the visitor only viewed a snapshot page and has no real openid yet.
    pub is_snapshot_user: bool,
}

/// The outcome of checking a pasted v2 message's signature with the profile's API key.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureCheck {
    /// The fields read from the message, in signing order.
    pub fields: Vec<OrderField>,
    /// MD5 or HMAC-SHA256 when the signature matched.
    pub matched: Option<String>,
    /// Reason the signature did not match, or absent when it matched.
    pub failure: Option<AppError>,
    /// The string that was signed, with the API key replaced by asterisks.
    pub signed_string: String,
}

/// A payment or refund notify, verified or decrypted with the profile's API key.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecodedNotify {
    /// `payment` (支付结果通知) or `refund` (退款结果通知).
    pub kind: String,
    /// MD5 or HMAC-SHA256 for a payment notify; absent for a refund notify, which is
    /// authenticated by decrypting req_info instead.
    pub sign_type: Option<String>,
    pub out_trade_no: String,
    pub transaction_id: String,
    pub out_refund_no: Option<String>,
    pub refund_id: Option<String>,
    /// trade_state for a payment notify, refund_status for a refund notify.
    pub status: String,
    #[ts(type = "number")]
    pub total_fee: i64,
    #[ts(type = "number | null")]
    pub refund_fee: Option<i64>,
    /// time_end or success_time, as unix seconds.
    #[ts(type = "number | null")]
    pub at: Option<i64>,
    /// Every field received, decrypted ones included for a refund notify.
    pub fields: Vec<OrderField>,
}

/// One armed fault of the simulator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FaultView {
    /// Request path it applies to, for example `/pay/orderquery`.
    pub path: String,
    /// The simulator's fault name, for example `system_error`.
    pub kind: String,
    /// Requests still to meet it.
    pub count: u32,
    #[ts(type = "number")]
    pub delay_ms: u64,
}

/// State shown by the sandbox panel: the simulator's merchant balance, delays and faults.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SandboxState {
    pub base_url: String,
    #[ts(type = "number")]
    pub balance_fen: i64,
    #[ts(type = "number")]
    pub refund_delay_ms: u64,
    pub faults: Vec<FaultView>,
    /// Fault names the simulator accepts.
    pub fault_kinds: Vec<String>,
    /// Request paths the simulator serves, for the fault table.
    pub fault_paths: Vec<String>,
}

/// The counter's form for a Native (QR code) payment.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectInput {
    /// Amount in fen.
    #[ts(type = "number")]
    pub total_fee: i64,
    /// 商品描述 shown to the customer, at most 128 bytes.
    pub body: String,
}

/// A Native order waiting for the customer to scan and pay.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectResult {
    pub order: OrderRow,
    /// `weixin://wxpay/bizpayurl?pr=…`, to show as a QR code.
    pub code_url: String,
}
