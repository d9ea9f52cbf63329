//! A small stand-in for WeChat's Official Account API on 127.0.0.1, started inside each
//! test. It checks the shape of every request, replies with WeChat's JSON, and counts
//! requests so tests can see caching and retries.

#![allow(dead_code)] // Each test file uses a different part of the server.

mod tls;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use wxmp::{AppSecret, MpClient, MpConfig};

pub const APPID: &str = "wx5f3c8a1b2d4e6f70";
pub const SECRET: &str = "3d6f2a9c8b1e4f7a0c5d2b8e9f1a3c6d";
/// The openid the server resolves for [`APPID`].
pub const OPENID: &str = "oQx1Z5rT8nYk2Lm0Pa9Bc3Dv7Ew4";

/// A request to a marketing endpoint, as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: &'static str,
    pub query: HashMap<String, String>,
    pub content_type: Option<String>,
    pub body: String,
}

#[derive(Debug, Default)]
pub struct Ledger {
    pub token_requests: u32,
    pub token_bodies: Vec<Value>,
    /// The only token the API paths accept. A forced token fetch replaces it.
    pub current_token: Option<String>,
    pub issued_tokens: u32,
    pub expires_in: u64,
    pub token_delay: Duration,
    /// Tokens that API calls reject with 42001, and that stable_token replaces.
    pub expired_tokens: HashSet<String>,
    /// When set, every API call gets 40001, as if another system kept rotating tokens.
    pub reject_all_tokens: bool,
    pub oauth_requests: u32,
    /// OAuth codes not yet exchanged, and their openids.
    pub codes: HashMap<String, String>,
    pub used_codes: HashSet<String>,
    pub api_requests: Vec<Recorded>,
    pub action_sets: Vec<Value>,
}

#[derive(Clone)]
pub struct MockWeChat {
    pub base_url: String,
    ledger: Arc<Mutex<Ledger>>,
}

impl MockWeChat {
    pub async fn start() -> Self {
        let ledger = new_ledger();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("read the bound address");
        let app = router(ledger.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve the mock");
        });
        Self {
            base_url: format!("http://{address}"),
            ledger,
        }
    }

    /// Starts the server over HTTPS with a certificate from a fresh local CA, and returns
    /// it with the CA certificate's PEM.
    pub async fn start_tls() -> (Self, String) {
        let ledger = new_ledger();
        let (base_url, ca_pem) = tls::serve(router(ledger.clone())).await;
        (Self { base_url, ledger }, ca_pem)
    }

    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().expect("ledger lock")
    }

    /// Replaces the current token, as a forced refresh by another system would.
    pub fn rotate_token(&self) {
        let mut ledger = self.ledger();
        let next = next_token(&mut ledger);
        ledger.current_token = Some(next);
    }

    /// Marks the current token as expired, as WeChat does when its lifetime ends.
    pub fn expire_token(&self) {
        let mut ledger = self.ledger();
        if let Some(token) = ledger.current_token.clone() {
            ledger.expired_tokens.insert(token);
        }
    }

    pub fn config(&self) -> MpConfig {
        MpConfig::sandbox(APPID, AppSecret::new(SECRET), &self.base_url, None)
    }

    pub fn client(&self) -> MpClient {
        MpClient::new(self.config()).expect("build the client")
    }
}

fn new_ledger() -> Arc<Mutex<Ledger>> {
    Arc::new(Mutex::new(Ledger {
        expires_in: 7200,
        ..Ledger::default()
    }))
}

fn router(ledger: Arc<Mutex<Ledger>>) -> Router {
    Router::new()
        .route("/cgi-bin/stable_token", post(stable_token))
        .route("/sns/oauth2/access_token", get(oauth_access_token))
        .route("/marketing/user_action_sets/add", post(add_action_set))
        .route("/marketing/user_action_sets/get", get(get_action_sets))
        .route("/marketing/user_actions/add", post(add_actions))
        .with_state(ledger)
}

fn next_token(ledger: &mut Ledger) -> String {
    ledger.issued_tokens += 1;
    format!("TOKEN-{}", ledger.issued_tokens)
}

fn error(errcode: i64, errmsg: &str) -> Json<Value> {
    Json(json!({ "errcode": errcode, "errmsg": errmsg }))
}

type Shared = State<Arc<Mutex<Ledger>>>;

async fn stable_token(State(ledger): Shared, Json(body): Json<Value>) -> Json<Value> {
    let delay = {
        let mut ledger = ledger.lock().expect("ledger lock");
        ledger.token_requests += 1;
        ledger.token_bodies.push(body.clone());
        ledger.token_delay
    };
    tokio::time::sleep(delay).await;

    if body["grant_type"] != "client_credential" {
        return error(40002, "invalid grant_type");
    }
    if body["appid"] != APPID {
        return error(40013, "invalid appid");
    }
    if body["secret"] != SECRET {
        return error(40125, "invalid appsecret");
    }
    let Some(force_refresh) = body["force_refresh"].as_bool() else {
        return error(47001, "data format error: force_refresh");
    };

    let mut ledger = ledger.lock().expect("ledger lock");
    let expired = ledger
        .current_token
        .as_ref()
        .is_none_or(|token| ledger.expired_tokens.contains(token));
    if force_refresh || expired {
        let next = next_token(&mut ledger);
        ledger.current_token = Some(next);
    }
    Json(json!({
        "access_token": ledger.current_token,
        "expires_in": ledger.expires_in,
    }))
}

async fn oauth_access_token(
    State(ledger): Shared,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    let mut ledger = ledger.lock().expect("ledger lock");
    ledger.oauth_requests += 1;

    let field = |name: &str| query.get(name).map(String::as_str);
    if field("grant_type") != Some("authorization_code") {
        return error(40002, "invalid grant_type");
    }
    if field("appid") != Some(APPID) {
        return error(40013, "invalid appid");
    }
    if field("secret") != Some(SECRET) {
        return error(40125, "invalid appsecret");
    }
    let code = field("code").unwrap_or_default().to_owned();
    if ledger.used_codes.contains(&code) {
        return error(40163, "code been used");
    }
    let Some(openid) = ledger.codes.remove(&code) else {
        return error(40029, "invalid code");
    };
    ledger.used_codes.insert(code);
    Json(json!({
        "access_token": "USER-ACCESS-TOKEN",
        "expires_in": 7200,
        "refresh_token": "USER-REFRESH-TOKEN",
        "openid": openid,
        "scope": "snsapi_base",
    }))
}

/// Records an API request and checks its version and access_token, returning the
/// errcode reply to send when the request must be rejected.
fn admit(
    ledger: &mut Ledger,
    path: &'static str,
    query: HashMap<String, String>,
    headers: &HeaderMap,
    body: String,
) -> Option<Json<Value>> {
    let token = query.get("access_token").cloned();
    let version = query.get("version").cloned();
    ledger.api_requests.push(Recorded {
        path,
        query,
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
        body,
    });

    if version.as_deref() != Some("v1.0") {
        return Some(error(900351000, "invalid version"));
    }
    if token
        .as_ref()
        .is_some_and(|token| ledger.expired_tokens.contains(token))
    {
        return Some(error(42001, "access_token expired"));
    }
    if ledger.reject_all_tokens || token.is_none() || token != ledger.current_token {
        return Some(error(
            40001,
            "invalid credential, access_token is invalid or not latest",
        ));
    }
    None
}

async fn add_action_set(
    State(ledger): Shared,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Json<Value> {
    let mut ledger = ledger.lock().expect("ledger lock");
    if let Some(rejection) = admit(&mut ledger, "add_set", query, &headers, body.clone()) {
        return rejection;
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return error(900351002, "invalid json");
    };

    let existing = ledger
        .action_sets
        .iter()
        .find(|set| set["type"] == body["type"])
        .map(|set| set["user_action_set_id"].clone());
    if let Some(id) = existing {
        return error(
            900351000,
            &format!("user action set already exists, id: {id}"),
        );
    }
    let id = 1_100_000 + ledger.action_sets.len() as u64;
    ledger.action_sets.push(json!({
        "user_action_set_id": id,
        "type": body["type"],
        "name": body["name"],
        "description": body["description"],
        "activate_status": true,
        "created_time": "2026-12-04 10:00:00",
    }));
    Json(json!({ "errcode": 0, "errmsg": "", "data": { "user_action_set_id": id } }))
}

async fn get_action_sets(
    State(ledger): Shared,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    let mut ledger = ledger.lock().expect("ledger lock");
    if let Some(rejection) = admit(&mut ledger, "get_sets", query, &headers, String::new()) {
        return rejection;
    }
    Json(json!({ "errcode": 0, "errmsg": "", "data": { "list": ledger.action_sets } }))
}

async fn add_actions(
    State(ledger): Shared,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    let mut ledger = ledger.lock().expect("ledger lock");
    let text = String::from_utf8_lossy(&body).into_owned();
    if let Some(rejection) = admit(&mut ledger, "add_actions", query, &headers, text.clone()) {
        return rejection;
    }

    let json_content = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    let parsed = serde_json::from_str::<Value>(&text).ok();
    let actions = parsed.as_ref().and_then(|body| body["actions"].as_array());
    let (true, Some(actions)) = (json_content, actions) else {
        return error(900351002, "invalid json");
    };

    let known_sets: Vec<Value> = ledger
        .action_sets
        .iter()
        .map(|set| set["user_action_set_id"].clone())
        .collect();
    for action in actions {
        if !action["action_time"].is_i64() {
            return error(900351002, "invalid json: action_time");
        }
        if !known_sets.contains(&action["user_action_set_id"]) {
            return error(900351000, "user_action_set_id not belong to this account");
        }
        let openid = &action["user_id"]["wechat_openid"];
        if !openid.is_null() && (openid != OPENID || action["user_id"]["wechat_app_id"] != APPID) {
            return error(900351001, "openid can not be resolved");
        }
    }
    Json(json!({ "errcode": 0, "errmsg": "" }))
}
