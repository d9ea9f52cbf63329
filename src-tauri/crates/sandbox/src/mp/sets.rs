//! Ad data sources: marketing/user_action_sets/add and /get. An account has at most one
//! WEB data source; a second add names the existing one.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{check_marketing, error, json_reply, MarketingQuery};
use crate::app::App;
use crate::ids;
use crate::model::DataSource;

const TYPES: &[&str] = &["WEB", "ANDROID", "IOS", "OFFLINE"];

pub async fn add(
    State(app): State<Arc<App>>,
    Query(query): Query<MarketingQuery>,
    body: Bytes,
) -> Response {
    let now = app.clock.now();
    if let Err(reply) = check_marketing(&app, &query, now) {
        return reply.into_response();
    }
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        return error(900351002, "invalid JSON: the body must be a JSON object");
    };

    let text = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let Some(kind) = text("type") else {
        return error(900318001, "type is required");
    };
    if !TYPES.contains(&kind) {
        return error(
            900351000,
            format!("invalid type {kind}: expected one of {}", TYPES.join(", ")),
        );
    }
    let Some(name) = text("name") else {
        return error(900318001, "name is required");
    };
    if name.chars().count() > 32 {
        return error(900351000, "name is longer than 32 characters");
    }
    let description = text("description").unwrap_or_default();
    if description.len() > 128 {
        return error(900351000, "description is longer than 128 bytes");
    }
    if let Some(appid) = text("wechat_app_id") {
        if appid != app.appid {
            return error(
                900351000,
                format!("wechat_app_id {appid} is not authorised for this account"),
            );
        }
    }

    let mut ledger = app.ledger();
    if let Some(existing) = ledger.state.mp.data_sources.iter().find(|s| s.kind == kind) {
        return error(
            900351000,
            format!(
                "a {kind} data source already exists for this account: user_action_set_id {}",
                existing.user_action_set_id
            ),
        );
    }
    let source = DataSource {
        user_action_set_id: ids::user_action_set_id(&mut rand::thread_rng()),
        kind: kind.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        created_at: now,
    };
    let id = source.user_action_set_id;
    ledger.state.mp.data_sources.push(source);
    if App::save(&mut ledger).is_err() {
        return error(-1, "system error");
    }
    json_reply(json!({ "errcode": 0, "errmsg": "", "data": { "user_action_set_id": id } }))
}

pub async fn get(State(app): State<Arc<App>>, Query(query): Query<MarketingQuery>) -> Response {
    if let Err(reply) = check_marketing(&app, &query, app.clock.now()) {
        return reply.into_response();
    }
    let ledger = app.ledger();
    let list: Vec<Value> = ledger
        .state
        .mp
        .data_sources
        .iter()
        .map(|s| {
            json!({
                "user_action_set_id": s.user_action_set_id,
                "type": s.kind,
                "name": s.name,
                "description": s.description,
                "activate_status": true,
                "created_time": crate::clock::bill_time(s.created_at),
            })
        })
        .collect();
    json_reply(json!({ "errcode": 0, "errmsg": "", "data": { "list": list } }))
}
