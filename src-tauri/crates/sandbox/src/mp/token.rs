//! Access tokens: cgi-bin/token, where each fetch replaces the previous token after a
//! five-minute overlap, and cgi-bin/stable_token, which returns the same token while it
//! is valid and a new one only on force_refresh or in its last five minutes. Both check
//! the limits first.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

use super::limits::TokenPath;
use super::{error, json_reply, MpError};
use crate::app::App;
use crate::ids;
use crate::ledger::Ledger;
use crate::model::IssuedToken;
use crate::server::Peer;

/// Lifetime of an access token (expires_in).
const TOKEN_LIFETIME: Duration = Duration::seconds(7200);

/// How long a replaced token keeps working, and how early a stable token is renewed,
/// both shortened by the time compression.
const OVERLAP: Duration = Duration::minutes(5);

/// Tokens older than this are forgotten, so the state file stays small.
const TOKEN_MEMORY: Duration = Duration::days(1);

#[derive(Debug, Deserialize)]
pub struct StableTokenRequest {
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
    #[serde(default)]
    force_refresh: bool,
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
}

pub async fn stable_token(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    body: Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<StableTokenRequest>(&body) else {
        return error(47001, "data format error: the body must be a JSON object");
    };
    if let Err(reply) =
        check_credentials(&app, &request.grant_type, &request.appid, &request.secret)
    {
        return reply.into_response();
    }
    let now = app.clock.now();
    if let Err(reply) = admit(
        &app,
        TokenPath::StableToken,
        peer,
        now,
        request.force_refresh,
    ) {
        return reply.into_response();
    }

    let overlap = app.clock.scaled(OVERLAP);
    let mut ledger = app.ledger();
    forget_old(&mut ledger, now);
    let current = ledger
        .state
        .mp
        .tokens
        .iter()
        .rposition(|t| t.stable && t.revoked_at.is_none() && t.expires_at > now);
    let index = match current {
        Some(index) if request.force_refresh => {
            ledger.state.mp.tokens[index].revoked_at = Some(now);
            issue(&mut ledger, true, now)
        }
        Some(index) if ledger.state.mp.tokens[index].expires_at - now > overlap => index,
        _ => issue(&mut ledger, true, now),
    };
    if App::save(&mut ledger).is_err() {
        return error(-1, "system error");
    }
    token_reply(&ledger.state.mp.tokens[index], now)
}

pub async fn token(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    Query(query): Query<TokenQuery>,
) -> Response {
    if let Err(reply) = check_credentials(&app, &query.grant_type, &query.appid, &query.secret) {
        return reply.into_response();
    }
    let now = app.clock.now();
    if let Err(reply) = admit(&app, TokenPath::Token, peer, now, false) {
        return reply.into_response();
    }

    let mut ledger = app.ledger();
    forget_old(&mut ledger, now);
    for old in ledger.state.mp.tokens.iter_mut().filter(|t| !t.stable) {
        if old.revoked_at.is_none() {
            old.revoked_at = Some(now + app.clock.scaled(OVERLAP));
        }
    }
    let index = issue(&mut ledger, false, now);
    if App::save(&mut ledger).is_err() {
        return error(-1, "system error");
    }
    token_reply(&ledger.state.mp.tokens[index], now)
}

/// Applies the IP allow-list, the daily quota and the force_refresh rule, logging a
/// rejection with the caller.
fn admit(
    app: &App,
    path: TokenPath,
    peer: Option<Extension<Peer>>,
    now: DateTime<Utc>,
    force_refresh: bool,
) -> Result<(), MpError> {
    let caller = peer.map(|Extension(Peer(addr))| addr.ip());
    let mut limits = app.token_limits();
    let admitted = limits.admit(path, caller, now).and_then(|()| {
        if force_refresh {
            limits.force_refresh(&app.clock, now)
        } else {
            Ok(())
        }
    });
    if let Err(err) = &admitted {
        tracing::info!(
            ?path,
            ?caller,
            errcode = err.errcode,
            "token request rejected"
        );
    }
    admitted
}

fn check_credentials(
    app: &App,
    grant_type: &Option<String>,
    appid: &Option<String>,
    secret: &Option<String>,
) -> Result<(), MpError> {
    if grant_type.as_deref() != Some("client_credential") {
        return Err(MpError::new(40002, "invalid grant_type"));
    }
    if appid.as_deref() != Some(app.appid.as_str()) {
        return Err(MpError::new(40013, "invalid appid"));
    }
    if secret.as_deref() != Some(app.app_secret.as_str()) {
        return Err(MpError::new(40125, "invalid appsecret"));
    }
    Ok(())
}

fn issue(ledger: &mut Ledger, stable: bool, now: DateTime<Utc>) -> usize {
    let token = IssuedToken {
        token: ids::access_token(&mut rand::thread_rng()),
        stable,
        issued_at: now,
        expires_at: now + TOKEN_LIFETIME,
        revoked_at: None,
    };
    ledger.state.mp.tokens.push(token);
    ledger.state.mp.tokens.len() - 1
}

fn forget_old(ledger: &mut Ledger, now: DateTime<Utc>) {
    ledger
        .state
        .mp
        .tokens
        .retain(|t| t.expires_at > now - TOKEN_MEMORY);
}

fn token_reply(token: &IssuedToken, now: DateTime<Utc>) -> Response {
    json_reply(json!({
        "access_token": token.token,
        "expires_in": (token.expires_at - now).num_seconds(),
    }))
}
