//! OAuth for openids: the authorize page (open.weixin.qq.com in live mode), which for
//! snsapi_base redirects at once with a code, and sns/oauth2/access_token, which trades
//! a code for the visitor's openid. A code works once and for five minutes.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use super::{error, json_reply};
use crate::app::{App, OAuthCode};
use crate::ids;

const CODE_LIFETIME: Duration = Duration::minutes(5);

#[derive(Debug, Deserialize)]
pub struct AuthorizeQuery {
    appid: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ExchangeQuery {
    appid: Option<String>,
    secret: Option<String>,
    code: Option<String>,
    grant_type: Option<String>,
}

pub async fn authorize(
    State(app): State<Arc<App>>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    let page_error = |message: &str| (StatusCode::BAD_REQUEST, message.to_owned()).into_response();
    if query.appid.as_deref() != Some(app.appid.as_str()) {
        return page_error("appid参数错误");
    }
    let Some(redirect_uri) = query
        .redirect_uri
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    else {
        return page_error("redirect_uri参数错误");
    };
    if query.response_type.as_deref() != Some("code") {
        return page_error("response_type参数错误");
    }
    let scope = match query.scope.as_deref() {
        Some(scope @ ("snsapi_base" | "snsapi_userinfo")) => scope.to_owned(),
        _ => return page_error("scope参数错误"),
    };

    let mut rng = rand::thread_rng();
    let code = ids::nonce(&mut rng) + &ids::nonce(&mut rng);
    let openid = ids::openid(&mut rng, &ids::openid_prefix(&app.appid));
    app.oauth_codes().insert(
        code.clone(),
        OAuthCode {
            openid,
            scope,
            issued_at: app.clock.now(),
            used: false,
        },
    );

    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let state = percent_encode(query.state.as_deref().unwrap_or_default());
    let target = format!("{redirect_uri}{separator}code={code}&state={state}");
    (StatusCode::FOUND, [(LOCATION, target)]).into_response()
}

pub async fn exchange(State(app): State<Arc<App>>, Query(query): Query<ExchangeQuery>) -> Response {
    if query.grant_type.as_deref() != Some("authorization_code") {
        return error(40002, "invalid grant_type");
    }
    if query.appid.as_deref() != Some(app.appid.as_str()) {
        return error(40013, "invalid appid");
    }
    if query.secret.as_deref() != Some(app.app_secret.as_str()) {
        return error(40125, "invalid appsecret");
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return error(41008, "missing code");
    };

    let mut codes = app.oauth_codes();
    let now = app.clock.now();
    codes.retain(|_, c| now - c.issued_at < CODE_LIFETIME * 2);
    let Some(entry) = codes.get_mut(&code) else {
        return error(40029, "invalid code");
    };
    if entry.used {
        return error(40163, "code been used");
    }
    if now - entry.issued_at >= CODE_LIFETIME {
        return error(40029, "invalid code: expired");
    }
    entry.used = true;

    let mut rng = rand::thread_rng();
    json_reply(json!({
        "access_token": ids::access_token(&mut rng),
        "expires_in": 7200,
        "refresh_token": ids::access_token(&mut rng),
        "openid": entry.openid,
        "scope": entry.scope,
    }))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
