//! WeChat Official Account client for the merchant console: the access_token
//! (stable_token), web page OAuth for a visitor's openid, and the marketing API for ad
//! conversions. It does not depend on Tauri and writes nothing to disk.

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
