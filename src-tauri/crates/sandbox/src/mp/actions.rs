//! User action reporting, marketing/user_actions/add: the body is checked against the
//! schema WeChat enforces, and one bad action rejects the whole request. Accepted actions
//! are counted and the latest ones kept for the admin API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::{check_marketing, error, json_reply, MarketingQuery};
use crate::app::App;
use crate::ids;
use crate::model::ReceivedAction;

/// Most actions and bytes in one request (Tencent Ads user action limits).
const MAX_ACTIONS: usize = 50;
const MAX_BODY_BYTES: usize = 50 * 1024;

/// Maximum age of an action: the default seven-day attribution window.
// NOTE: WeChat does not document the age limit; seven days is this simulator's guess.
const MAX_AGE: Duration = Duration::days(7);

/// How far in the future an action_time may lie, for clock skew.
const MAX_AHEAD: Duration = Duration::minutes(5);

/// Accepted action_type values: the Official Account set and common Tencent Ads ones.
const ACTION_TYPES: &[&str] = &[
    "COMPLETE_ORDER",
    "PURCHASE",
    "RESERVATION",
    "REGISTER",
    "VIEW_CONTENT",
    "ADD_TO_CART",
    "CONSULT",
    "PAGE_VIEW",
    "LEAVE_INFORMATION",
    "SIGN_IN",
    "FOLLOW",
    "SHARE",
    "CLAIM_OFFER",
    "CONFIRM_EFFECTIVE_LEADS",
    "CUSTOM",
];

const ACTION_FIELDS: &[&str] = &[
    "user_action_set_id",
    "url",
    "action_time",
    "action_type",
    "user_id",
    "trace",
    "action_param",
    "outer_action_id",
    "channel",
];

/// Rejected request: errcode and a message saying which field and why.
type Rejection = (i64, String);

const MALFORMED: i64 = 900351002;
const MISSING: i64 = 900318001;
const INVALID: i64 = 900351000;

pub async fn add(
    State(app): State<Arc<App>>,
    Query(query): Query<MarketingQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = app.clock.now();
    if let Err(reply) = check_marketing(&app, &query, now) {
        return reply.into_response();
    }
    let json_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json_type {
        return error(MALFORMED, "Content-Type must be application/json");
    }
    if body.len() > MAX_BODY_BYTES {
        return error(
            INVALID,
            format!(
                "request body is {} bytes, more than {MAX_BODY_BYTES}",
                body.len()
            ),
        );
    }
    let parsed = match serde_json::from_slice::<Value>(&body) {
        Ok(value) => value,
        Err(err) => return error(MALFORMED, format!("invalid JSON: {err}")),
    };

    let mut ledger = app.ledger();
    let known_sets: Vec<u64> = ledger
        .state
        .mp
        .data_sources
        .iter()
        .map(|s| s.user_action_set_id)
        .collect();
    let context = Context {
        appid: &app.appid,
        known_sets: &known_sets,
        now,
    };
    let actions = match validate_body(&parsed, &context) {
        Ok(actions) => actions,
        Err((errcode, errmsg)) => return error(errcode, errmsg),
    };

    let mp = &mut ledger.state.mp;
    mp.actions_received += actions.len() as u64;
    for action in actions {
        mp.recent_actions.push(ReceivedAction {
            received_at: now,
            action: action.clone(),
        });
    }
    let excess = mp.recent_actions.len().saturating_sub(100);
    mp.recent_actions.drain(..excess);
    if App::save(&mut ledger).is_err() {
        return error(-1, "system error");
    }
    json_reply(json!({ "errcode": 0, "errmsg": "" }))
}

struct Context<'a> {
    appid: &'a str,
    known_sets: &'a [u64],
    now: DateTime<Utc>,
}

fn validate_body<'a>(body: &'a Value, context: &Context<'_>) -> Result<Vec<&'a Value>, Rejection> {
    let Value::Object(top) = body else {
        return Err((
            MALFORMED,
            "the body must be a JSON object with an actions array".into(),
        ));
    };
    let actions = match top.get("actions") {
        None | Some(Value::Null) => return Err((MISSING, "actions is required".into())),
        Some(Value::Array(actions)) => actions,
        Some(_) => return Err((INVALID, "actions must be an array".into())),
    };
    if actions.is_empty() {
        return Err((MISSING, "actions is empty: send 1 to 50 actions".into()));
    }
    if actions.len() > MAX_ACTIONS {
        return Err((
            INVALID,
            format!(
                "actions has {} items, more than {MAX_ACTIONS}",
                actions.len()
            ),
        ));
    }
    for (i, action) in actions.iter().enumerate() {
        validate_action(i, action, context)?;
    }
    Ok(actions.iter().collect())
}

fn validate_action(i: usize, action: &Value, context: &Context<'_>) -> Result<(), Rejection> {
    let at = |field: &str| format!("actions[{i}].{field}");
    let Value::Object(action) = action else {
        return Err((INVALID, format!("actions[{i}] must be an object")));
    };
    if let Some(unknown) = action.keys().find(|k| !ACTION_FIELDS.contains(&k.as_str())) {
        return Err((INVALID, format!("{} is not a known field", at(unknown))));
    }

    let set_id = match action.get("user_action_set_id") {
        None | Some(Value::Null) => {
            return Err((MISSING, format!("{} is required", at("user_action_set_id"))))
        }
        Some(value) => value.as_u64().ok_or_else(|| {
            (
                INVALID,
                format!("{} must be an integer", at("user_action_set_id")),
            )
        })?,
    };
    if !context.known_sets.contains(&set_id) {
        return Err((
            INVALID,
            format!("data source {set_id} does not belong to this account"),
        ));
    }

    let action_time = match action.get("action_time") {
        None | Some(Value::Null) => {
            return Err((MISSING, format!("{} is required", at("action_time"))))
        }
        Some(value) => value.as_i64().ok_or_else(|| {
            (
                MALFORMED,
                format!("{} must be an integer of unix seconds", at("action_time")),
            )
        })?,
    };
    let now = context.now.timestamp();
    if action_time < now - MAX_AGE.num_seconds() {
        return Err((
            INVALID,
            format!("{} is more than 7 days in the past", at("action_time")),
        ));
    }
    if action_time > now + MAX_AHEAD.num_seconds() {
        return Err((
            INVALID,
            format!("{} is more than 5 minutes in the future", at("action_time")),
        ));
    }

    match action.get("action_type").and_then(Value::as_str) {
        None | Some("") => return Err((MISSING, format!("{} is required", at("action_type")))),
        Some(kind) if !ACTION_TYPES.contains(&kind) => {
            return Err((
                INVALID,
                format!(
                    "{} {kind} is not a supported action type",
                    at("action_type")
                ),
            ));
        }
        Some(_) => {}
    }

    if let Some(url) = action.get("url") {
        let valid = url
            .as_str()
            .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
        if !valid {
            return Err((INVALID, format!("{} must be an http(s) URL", at("url"))));
        }
    }

    validate_user(i, action, context)?;
    if let Some(param) = action.get("action_param") {
        validate_param(i, param)?;
    }
    Ok(())
}

/// Checks that an action names its user by openid (with the Official Account's appid),
/// by the ad's click id, or both.
fn validate_user(
    i: usize,
    action: &Map<String, Value>,
    context: &Context<'_>,
) -> Result<(), Rejection> {
    let click_id = match action.get("trace") {
        None => None,
        Some(Value::Object(trace)) => match trace.get("click_id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => Some(id),
            _ => return Err((MISSING, format!("actions[{i}].trace.click_id is required"))),
        },
        Some(_) => return Err((INVALID, format!("actions[{i}].trace must be an object"))),
    };

    let user = match action.get("user_id") {
        None if click_id.is_some() => return Ok(()),
        None => {
            return Err((
                MISSING,
                format!(
                "actions[{i}] needs user_id (wechat_app_id and wechat_openid) or trace.click_id"
            ),
            ))
        }
        Some(Value::Object(user)) => user,
        Some(_) => return Err((INVALID, format!("actions[{i}].user_id must be an object"))),
    };
    let field = |name: &str| {
        user.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match field("wechat_app_id") {
        None => return Err((MISSING, format!("actions[{i}].user_id.wechat_app_id is required"))),
        Some(appid) if appid != context.appid => {
            return Err((
                INVALID,
                format!("actions[{i}].user_id.wechat_app_id {appid} is not an Official Account authorised for this ad account"),
            ))
        }
        Some(_) => {}
    }
    match field("wechat_openid") {
        None => Err((MISSING, format!("actions[{i}].user_id.wechat_openid is required"))),
        Some(openid) if !ids::is_openid_shape(openid) => Err((
            INVALID,
            format!("actions[{i}].user_id.wechat_openid {openid:?} is not an openid: expected 28 characters of letters, digits, _ and -"),
        )),
        Some(_) => Ok(()),
    }
}

fn validate_param(i: usize, param: &Value) -> Result<(), Rejection> {
    let Value::Object(param) = param else {
        return Err((
            INVALID,
            format!("actions[{i}].action_param must be an object"),
        ));
    };
    if let Some(claim_type) = param.get("claim_type") {
        if claim_type.as_u64().is_none_or(|c| c > 4) {
            return Err((
                INVALID,
                format!("actions[{i}].action_param.claim_type must be an integer from 0 to 4"),
            ));
        }
    }
    if let Some(value) = param.get("value") {
        if value.as_i64().is_none_or(|v| v < 0) {
            return Err((
                INVALID,
                format!("actions[{i}].action_param.value must be a non-negative integer (fen)"),
            ));
        }
    }
    Ok(())
}
