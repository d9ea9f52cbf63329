//! WeChat Official Account client for the merchant console: the access_token
//! (stable_token), web page OAuth for a visitor's openid, and the marketing API for ad
//! conversions. It does not depend on Tauri and writes nothing to disk.
//!
//! ```no_run
//! # async fn report(secret: wxmp::AppSecret) -> Result<(), wxmp::MpError> {
//! use wxmp::{MpClient, MpConfig, UserAction};
//!
//! let client = MpClient::new(MpConfig::live("wx5f3c8a1b2d4e6f70", secret))?;
//! let action = UserAction {
//!     user_action_set_id: 1_100_000,
//!     url: Some("https://shop.example/paid".into()),
//!     action_time: chrono::Utc::now().timestamp(),
//!     action_type: "PURCHASE".into(),
//!     wechat_app_id: Some("wx5f3c8a1b2d4e6f70".into()),
//!     wechat_openid: Some("oQx1Z5rT8nYk2Lm0Pa9Bc3Dv7Ew4".into()),
//!     click_id: None,
//!     claim_type: Some(1),
//!     value: Some(30_000),
//! };
//! let reply = client.add_user_actions(&[action]).await?;
//! if !reply.is_success() {
//!     let explained = wxmp::explain_errcode(reply.errcode, &reply.errmsg);
//!     eprintln!("{}", explained.en);
//! }
//! # Ok(())
//! # }
//! ```

mod actions;
mod client;
mod config;
mod error;
mod explain;
mod marketing;
mod oauth;
mod secret;
mod token;

pub use actions::{
    user_actions_body, validate_user_actions, ActionProblem, ActionsError, ActionsReply,
    UserAction, ACTION_TYPES, MAX_ACTIONS_PER_REQUEST, MAX_BODY_BYTES, MAX_FUTURE_SKEW_SECS,
};
pub use client::MpClient;
pub use config::{MpConfig, DEFAULT_MAX_ACTION_AGE, LIVE_AUTHORIZE_BASE_URL, LIVE_BASE_URL};
pub use error::MpError;
pub use explain::{explain_errcode, Explained};
pub use marketing::UserActionSet;
pub use oauth::{oauth_code_from_input, OAuthToken};
pub use secret::{AccessToken, AppSecret};
pub use token::TokenStatus;
