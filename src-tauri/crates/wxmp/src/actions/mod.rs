//! User actions reported to the ads platform (marketing user_actions/add, version v1.0):
//! the flat form the console edits, the request body built from it, and its validation.

mod body;
mod validate;

use serde::{Deserialize, Serialize};

pub use body::user_actions_body;
pub use validate::{validate_user_actions, ActionProblem, ActionsError};

/// action_type values accepted before sending: the four of Official Account follow ads
/// (COMPLETE_ORDER, PURCHASE, RESERVATION, REGISTER) and a few from the wider Tencent
/// Ads list.
// NOTE: the Tencent Ads list has more types than these; add them here when needed.
pub const ACTION_TYPES: [&str; 7] = [
    "COMPLETE_ORDER",
    "PURCHASE",
    "RESERVATION",
    "REGISTER",
    "VIEW_CONTENT",
    "ADD_TO_CART",
    "CONSULT",
];

/// Maximum number of actions in one request.
pub const MAX_ACTIONS_PER_REQUEST: usize = 50;

/// Maximum request body size in bytes. The Tencent Ads successor API allows 50 KB, and the
/// decimal reading is the stricter one.
pub const MAX_BODY_BYTES: usize = 50_000;

/// How far in the future an action_time may lie, allowing for clock drift.
pub const MAX_FUTURE_SKEW_SECS: i64 = 5 * 60;

/// One conversion to report, in the flat form the UI edits. [`user_actions_body`] turns
/// it into WeChat's nested JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAction {
    pub user_action_set_id: u64,
    /// Page on which the action happened.
    pub url: Option<String>,
    /// Unix seconds.
    pub action_time: i64,
    pub action_type: String,
    /// Official Account that the openid belongs to. Required with `wechat_openid`.
    pub wechat_app_id: Option<String>,
    pub wechat_openid: Option<String>,
    /// The ad click id: `gdt_vid` of the landing URL inside WeChat, `qz_gdt` outside.
    pub click_id: Option<String>,
    /// Attribution: 0 click, 1 follow, 2 impression, 3 registration, 4 activation.
    pub claim_type: Option<u8>,
    /// Amount in fen, for purchases.
    pub value: Option<i64>,
}

/// WeChat's reply to user_actions/add, with the exact texts exchanged for the action log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionsReply {
    /// 0 on success.
    pub errcode: i64,
    pub errmsg: String,
    /// The response body exactly as received.
    pub raw: String,
    /// The request body exactly as sent.
    pub request_body: String,
}

impl ActionsReply {
    pub fn is_success(&self) -> bool {
        self.errcode == 0
    }
}
