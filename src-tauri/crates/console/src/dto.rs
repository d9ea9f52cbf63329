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

/// Which orders to list, count and total.
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
