//! Official Account paths (JSON): access tokens, OAuth for openids, and the marketing
//! API's data sources and user actions. Replies use WeChat's `{errcode, errmsg}` shape.

pub mod actions;
pub mod limits;
pub mod oauth;
pub mod sets;
pub mod token;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::App;

/// The query of every marketing path.
#[derive(Debug, Deserialize)]
pub struct MarketingQuery {
    pub version: Option<String>,
    pub access_token: Option<String>,
}

/// Builds a JSON reply with status 200, because WeChat reports errors in the body.
pub fn json_reply(value: Value) -> Response {
    (
        [(CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

/// Builds an error reply.
pub fn error(errcode: i64, errmsg: impl Into<String>) -> Response {
    MpError::new(errcode, errmsg).into_response()
}

/// A rejected Official Account request: WeChat's errcode and errmsg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MpError {
    pub errcode: i64,
    pub errmsg: String,
}

impl MpError {
    pub fn new(errcode: i64, errmsg: impl Into<String>) -> MpError {
        MpError {
            errcode,
            errmsg: errmsg.into(),
        }
    }
}

impl IntoResponse for MpError {
    fn into_response(self) -> Response {
        json_reply(json!({ "errcode": self.errcode, "errmsg": self.errmsg }))
    }
}

/// Checks the access_token of a request (40001 unknown or replaced, 42001 expired)
/// and the marketing API version.
pub fn check_marketing(
    app: &App,
    query: &MarketingQuery,
    now: DateTime<Utc>,
) -> Result<(), MpError> {
    check_token(app, query.access_token.as_deref(), now)?;
    match query.version.as_deref() {
        Some("v1.0") => Ok(()),
        Some(other) => Err(MpError::new(
            900351000,
            format!("unsupported version {other}: use v1.0"),
        )),
        None => Err(MpError::new(900318001, "version is required")),
    }
}

/// Checks an access_token against the tokens issued so far.
pub fn check_token(app: &App, token: Option<&str>, now: DateTime<Utc>) -> Result<(), MpError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(MpError::new(41001, "access_token missing"));
    };
    let ledger = app.ledger();
    let Some(issued) = ledger.state.mp.tokens.iter().find(|t| t.token == token) else {
        return Err(MpError::new(
            40001,
            "invalid credential, access_token is invalid or not latest",
        ));
    };
    if issued.expires_at <= now {
        return Err(MpError::new(42001, "access_token expired"));
    }
    if issued.revoked_at.is_some_and(|at| at <= now) {
        return Err(MpError::new(
            40001,
            "invalid credential, access_token is invalid or not latest",
        ));
    }
    Ok(())
}
