//! The records the simulated servers keep: orders with their refunds, the merchant's
//! balance, access tokens and ad data sources. Everything here is what lands in the
//! state file, so field names stay stable.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wxpay::{Fen, RefundStatus, TradeState, TradeType};

/// Version of the state file layout; a file of another version is rejected on load.
pub const STATE_FORMAT: u32 = 1;

/// One payment order, from unifiedorder (or the seeded history) to its final state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub out_trade_no: String,
    /// Set when the order is paid.
    pub transaction_id: Option<String>,
    pub trade_type: TradeType,
    pub trade_state: TradeState,
    pub body: String,
    pub attach: String,
    pub total_fee: Fen,
    pub openid: Option<String>,
    pub product_id: Option<String>,
    pub device_info: Option<String>,
    pub bank_type: Option<String>,
    pub spbill_create_ip: String,
    pub notify_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// When a payment-code order waiting for the customer's password (USERPAYING) is paid.
    #[serde(default)]
    pub pays_at: Option<DateTime<Utc>>,
    pub prepay_id: Option<String>,
    pub prepay_expires_at: Option<DateTime<Utc>>,
    pub code_url: Option<String>,
    pub refunds: Vec<Refund>,
}

impl Order {
    /// Sum of every refund accepted for this order, processing ones included, because
    /// WeChat counts them against the refundable rest at once (refund, 9_4).
    pub fn refunded(&self) -> Fen {
        self.refunds
            .iter()
            .filter(|r| r.refund_status != RefundStatus::RefundClose)
            .map(|r| r.refund_fee)
            .sum()
    }

    /// Returns what may still be refunded: paid amount minus accepted refunds.
    pub fn refundable(&self) -> Fen {
        self.total_fee - self.refunded()
    }
}

/// One refund of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub out_refund_no: String,
    pub refund_id: String,
    pub refund_fee: Fen,
    /// The order amount the request named; a repeat must name the same.
    pub total_fee: Fen,
    pub refund_desc: Option<String>,
    pub refund_account: String,
    pub refund_status: RefundStatus,
    pub requested_at: DateTime<Utc>,
    /// When a processing refund turns SUCCESS.
    pub settles_at: DateTime<Utc>,
    pub success_at: Option<DateTime<Utc>>,
    pub notify_url: Option<String>,
}

/// An access token handed out by cgi-bin/token or cgi-bin/stable_token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub token: String,
    pub stable: bool,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when a newer token replaced this one: it stops working at this time.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An ad data source (user_action_set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSource {
    pub user_action_set_id: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

/// One user action accepted by marketing/user_actions/add, kept for the admin view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceivedAction {
    pub received_at: DateTime<Utc>,
    pub action: serde_json::Value,
}

/// Official Account and ads state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MpState {
    pub tokens: Vec<IssuedToken>,
    pub data_sources: Vec<DataSource>,
    pub actions_received: u64,
    pub recent_actions: Vec<ReceivedAction>,
}

/// Everything the simulator persists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format: u32,
    pub appid: String,
    pub mch_id: String,
    pub seed: u64,
    /// Last Beijing day of the generated history.
    pub history_end: NaiveDate,
    /// Money available for refunds (WeChat's basic account balance).
    pub balance: Fen,
    pub refund_delay_ms: u64,
    /// How long a payment-code customer takes to enter the password.
    #[serde(default = "default_password_delay_ms")]
    pub password_delay_ms: u64,
    pub orders: Vec<Order>,
    pub mp: MpState,
}

fn default_password_delay_ms() -> u64 {
    crate::ledger::DEFAULT_PASSWORD_DELAY_MS
}
