//! The admin API under /sandbox/admin/ (JSON), for tests and the console's sandbox
//! tools: pay a pending order as the customer, set or top up the merchant balance, set
//! the refund and password delays, expire access tokens, arm faults, and read the state.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use wxpay::Fen;

use crate::app::App;
use crate::faults::Fault;
use crate::ledger::LedgerError;
use crate::notify;
use crate::trade::{self, BizError, Payer, PayerBehaviour};

/// Errors of admin calls.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("order {0} not found")]
    OrderNotFound(String),
    #[error("cannot pay order {out_trade_no}: {err} ({code})", code = err.err_code())]
    NotPayable { out_trade_no: String, err: BizError },
    #[error("invalid amount {0}: expected a non-negative number of fen")]
    InvalidAmount(i64),
    #[error(transparent)]
    Save(#[from] LedgerError),
}

impl AdminError {
    fn code(&self) -> &'static str {
        match self {
            AdminError::OrderNotFound(_) => "ORDER_NOT_FOUND",
            AdminError::NotPayable { .. } => "NOT_PAYABLE",
            AdminError::InvalidAmount(_) => "INVALID_AMOUNT",
            AdminError::Save(_) => "SAVE_FAILED",
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let status = match self {
            AdminError::OrderNotFound(_) => StatusCode::NOT_FOUND,
            AdminError::NotPayable { .. } => StatusCode::CONFLICT,
            AdminError::InvalidAmount(_) => StatusCode::BAD_REQUEST,
            AdminError::Save(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let body = json!({ "error": self.code(), "message": self.to_string() });
        (status, Json(body)).into_response()
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/state", get(state))
        .route("/balance", post(set_balance_route))
        .route("/balance/top_up", post(top_up_route))
        .route("/orders/{out_trade_no}/pay", post(pay_route))
        .route("/refund_delay", post(refund_delay_route))
        .route("/password_delay", post(password_delay_route))
        .route("/tokens/expire", post(expire_tokens_route))
        .route(
            "/tokens/limits",
            get(token_limits_route).post(set_token_limits_route),
        )
        .route("/user_actions", get(user_actions))
        .route("/clock", get(clock_route).post(set_clock_route))
        .route("/notify", post(notify_route))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
}

/// Pays an unpaid order and sends the payment notify when its notify_url is on loopback.
pub fn pay_order(app: &App, out_trade_no: &str, payer: Payer) -> Result<(), AdminError> {
    pay_order_as(app, out_trade_no, payer, PayerBehaviour::Instant)
}

/// Applies a payer's behaviour to an unpaid order. Only an instant payment notifies at
/// once; a slow one notifies when it settles.
pub fn pay_order_as(
    app: &App,
    out_trade_no: &str,
    payer: Payer,
    behaviour: PayerBehaviour,
) -> Result<(), AdminError> {
    let mut ledger = app.ledger();
    let index = ledger
        .find_order(None, Some(out_trade_no))
        .ok_or_else(|| AdminError::OrderNotFound(out_trade_no.to_owned()))?;
    let mut rng = rand::thread_rng();
    let now = app.clock.now();
    trade::pay_order_as(&mut ledger, index, payer, behaviour, now, &mut rng).map_err(|err| {
        AdminError::NotPayable {
            out_trade_no: out_trade_no.to_owned(),
            err,
        }
    })?;
    App::save(&mut ledger)?;
    if behaviour == PayerBehaviour::Instant {
        notify::send_payment_notify(app, ledger.order(index));
    }
    tracing::info!(%out_trade_no, ?behaviour, "simulated payer acted");
    Ok(())
}

pub fn set_balance(app: &App, balance: Fen) -> Result<(), AdminError> {
    if balance.0 < 0 {
        return Err(AdminError::InvalidAmount(balance.0));
    }
    let mut ledger = app.ledger();
    ledger.state.balance = balance;
    App::save(&mut ledger)?;
    Ok(())
}

pub fn top_up(app: &App, amount: Fen) -> Result<Fen, AdminError> {
    if amount.0 < 0 {
        return Err(AdminError::InvalidAmount(amount.0));
    }
    let mut ledger = app.ledger();
    ledger.state.balance = ledger.state.balance + amount;
    App::save(&mut ledger)?;
    Ok(ledger.state.balance)
}

pub fn set_refund_delay(app: &App, delay: Duration) -> Result<(), AdminError> {
    let mut ledger = app.ledger();
    ledger.state.refund_delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    App::save(&mut ledger)?;
    Ok(())
}

pub fn set_password_delay(app: &App, delay: Duration) -> Result<(), AdminError> {
    let mut ledger = app.ledger();
    ledger.state.password_delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    App::save(&mut ledger)?;
    Ok(())
}

async fn state(State(app): State<Arc<App>>) -> Response {
    let ledger = app.ledger();
    let state = &ledger.state;
    let refunds: usize = state.orders.iter().map(|o| o.refunds.len()).sum();
    Json(json!({
        "appid": state.appid,
        "mch_id": state.mch_id,
        "balance_fen": state.balance,
        "refund_delay_ms": state.refund_delay_ms,
        "password_delay_ms": state.password_delay_ms,
        "history_end": state.history_end,
        "orders": state.orders.len(),
        "refunds": refunds,
        "actions_received": state.mp.actions_received,
        "data_sources": state.mp.data_sources,
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct BalanceBody {
    balance_fen: i64,
}

async fn set_balance_route(State(app): State<Arc<App>>, Json(body): Json<BalanceBody>) -> Response {
    match set_balance(&app, Fen(body.balance_fen)) {
        Ok(()) => Json(json!({ "balance_fen": body.balance_fen })).into_response(),
        Err(err) => err.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct TopUpBody {
    amount_fen: i64,
}

async fn top_up_route(State(app): State<Arc<App>>, Json(body): Json<TopUpBody>) -> Response {
    match top_up(&app, Fen(body.amount_fen)) {
        Ok(balance) => Json(json!({ "balance_fen": balance })).into_response(),
        Err(err) => err.into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct PayBody {
    openid: Option<String>,
    bank_type: Option<String>,
    /// instant (the default), slow, cancel or no_balance.
    behaviour: Option<String>,
    /// How long a slow payer takes; 5000 when absent.
    delay_ms: Option<u64>,
}

/// How long a slow payer takes when the request sets no delay_ms.
const SLOW_PAYER_DEFAULT_MS: u64 = 5000;

fn parse_behaviour(name: Option<&str>, delay_ms: Option<u64>) -> Option<PayerBehaviour> {
    let delay = Duration::from_millis(delay_ms.unwrap_or(SLOW_PAYER_DEFAULT_MS));
    match name.unwrap_or("instant") {
        "instant" => Some(PayerBehaviour::Instant),
        "slow" => Some(PayerBehaviour::Slow(delay)),
        "cancel" => Some(PayerBehaviour::Cancel),
        "no_balance" | "no-balance" => Some(PayerBehaviour::NoBalance),
        _ => None,
    }
}

async fn pay_route(
    State(app): State<Arc<App>>,
    Path(out_trade_no): Path<String>,
    body: Option<Json<PayBody>>,
) -> Response {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let Some(behaviour) = parse_behaviour(body.behaviour.as_deref(), body.delay_ms) else {
        let message = format!(
            "unknown payer behaviour {}: expected instant, slow, cancel or no_balance",
            body.behaviour.unwrap_or_default()
        );
        let reply = json!({ "error": "INVALID_BEHAVIOUR", "message": message });
        return (StatusCode::BAD_REQUEST, Json(reply)).into_response();
    };
    let payer = Payer {
        openid: body.openid,
        bank_type: body.bank_type,
    };
    match pay_order_as(&app, &out_trade_no, payer, behaviour) {
        Ok(()) => {
            let ledger = app.ledger();
            let order = ledger
                .find_order(None, Some(&out_trade_no))
                .map(|index| ledger.order(index).clone());
            let paid = behaviour == PayerBehaviour::Instant;
            Json(json!({ "paid": paid, "order": order })).into_response()
        }
        Err(err) => err.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct DelayBody {
    delay_ms: u64,
}

async fn refund_delay_route(State(app): State<Arc<App>>, Json(body): Json<DelayBody>) -> Response {
    match set_refund_delay(&app, Duration::from_millis(body.delay_ms)) {
        Ok(()) => Json(json!({ "refund_delay_ms": body.delay_ms })).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn password_delay_route(
    State(app): State<Arc<App>>,
    Json(body): Json<DelayBody>,
) -> Response {
    match set_password_delay(&app, Duration::from_millis(body.delay_ms)) {
        Ok(()) => Json(json!({ "password_delay_ms": body.delay_ms })).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn expire_tokens_route(State(app): State<Arc<App>>) -> Response {
    let now = app.clock.now();
    let mut ledger = app.ledger();
    for token in &mut ledger.state.mp.tokens {
        token.expires_at = token.expires_at.min(now);
    }
    match App::save(&mut ledger) {
        Ok(()) => Json(json!({ "expired": ledger.state.mp.tokens.len() })).into_response(),
        Err(err) => AdminError::Save(err).into_response(),
    }
}

async fn list_faults(State(app): State<Arc<App>>) -> Response {
    Json(json!({ "faults": *app.faults() })).into_response()
}

async fn add_fault(State(app): State<Arc<App>>, Json(fault): Json<Fault>) -> Response {
    app.faults().push(fault);
    Json(json!({ "faults": *app.faults() })).into_response()
}

#[derive(Debug, Deserialize)]
struct ClearFaultsQuery {
    path: Option<String>,
}

/// Disarms the faults of `?path=`, or every fault without it.
async fn clear_faults(
    State(app): State<Arc<App>>,
    Query(query): Query<ClearFaultsQuery>,
) -> Response {
    let mut faults = app.faults();
    match &query.path {
        Some(path) => faults.retain(|fault| &fault.path != path),
        None => faults.clear(),
    }
    Json(json!({ "faults": *faults })).into_response()
}

#[derive(Debug, Deserialize)]
struct TokenLimitsBody {
    ip_allow_list: Option<Vec<std::net::IpAddr>>,
    token_quota: Option<u32>,
    stable_token_quota: Option<u32>,
}

async fn token_limits_route(State(app): State<Arc<App>>) -> Response {
    Json(json!({ "limits": *app.token_limits() })).into_response()
}

/// Sets the IP allow-list (empty allows every caller) and the daily quotas.
async fn set_token_limits_route(
    State(app): State<Arc<App>>,
    Json(body): Json<TokenLimitsBody>,
) -> Response {
    let mut limits = app.token_limits();
    if let Some(ips) = body.ip_allow_list {
        limits.ip_allow_list = ips;
    }
    if let Some(quota) = body.token_quota {
        limits.token_quota = quota;
    }
    if let Some(quota) = body.stable_token_quota {
        limits.stable_token_quota = quota;
    }
    tracing::info!(allow_list = ?limits.ip_allow_list, token_quota = limits.token_quota, stable_token_quota = limits.stable_token_quota, "token limits set");
    Json(json!({ "limits": *limits })).into_response()
}

#[derive(Debug, Deserialize)]
struct ClockBody {
    compression: Option<f64>,
    offset_secs: Option<i64>,
}

async fn clock_route(State(app): State<Arc<App>>) -> Response {
    clock_reply(&app)
}

/// Sets the time compression, the clock offset, or both.
async fn set_clock_route(State(app): State<Arc<App>>, Json(body): Json<ClockBody>) -> Response {
    if let Some(factor) = body.compression {
        if let Err(err) = app.clock.set_compression(factor) {
            let body = json!({ "error": "INVALID_COMPRESSION", "message": err.to_string() });
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    }
    if let Some(secs) = body.offset_secs {
        app.clock.set_offset(chrono::TimeDelta::seconds(secs));
    }
    tracing::info!(
        compression = app.clock.compression(),
        offset_secs = app.clock.offset().num_seconds(),
        "sandbox clock set"
    );
    clock_reply(&app)
}

fn clock_reply(app: &App) -> Response {
    Json(json!({
        "compression": app.clock.compression(),
        "offset_secs": app.clock.offset().num_seconds(),
        "now": app.clock.now(),
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct NotifyBody {
    duplicate: bool,
}

async fn notify_route(State(app): State<Arc<App>>, Json(body): Json<NotifyBody>) -> Response {
    app.duplicate_notifies
        .store(body.duplicate, std::sync::atomic::Ordering::Relaxed);
    Json(json!({ "duplicate": body.duplicate })).into_response()
}

async fn user_actions(State(app): State<Arc<App>>) -> Response {
    let ledger = app.ledger();
    Json(json!({
        "actions_received": ledger.state.mp.actions_received,
        "recent": ledger.state.mp.recent_actions,
    }))
    .into_response()
}
