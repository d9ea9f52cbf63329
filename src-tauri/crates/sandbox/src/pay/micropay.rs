//! Payment-code paths: /pay/micropay (9_10), which replies at once (USERPAYING while
//! the customer enters a password), and /secapi/pay/reverse (9_11) behind the client
//! certificate.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use wxpay::Fields;

use super::order::order_fields;
use super::{accept, fail, put, reject, success, system_error, Fail, PayRequest};
use crate::app::App;
use crate::micropay::{self, NewMicropay};
use crate::trade::BizError;

pub async fn micropay(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    handle_micropay(&app, &request).unwrap_or_else(IntoResponse::into_response)
}

fn handle_micropay(app: &App, request: &PayRequest) -> Result<Response, Fail> {
    let body = request.require("body")?;
    if body.len() > 128 {
        return Err(Fail::new("body参数长度有误"));
    }
    let new_order = NewMicropay {
        out_trade_no: request.require("out_trade_no")?.to_owned(),
        body: body.to_owned(),
        attach: request
            .optional_max("attach", 127)?
            .unwrap_or_default()
            .to_owned(),
        total_fee: request.require_fen("total_fee")?,
        auth_code: request.require("auth_code")?.to_owned(),
        device_info: request.optional_max("device_info", 32)?.map(str::to_owned),
        spbill_create_ip: request.require("spbill_create_ip")?.to_owned(),
    };

    let mut ledger = app.settled_ledger();
    let mut rng = rand::thread_rng();
    let outcome = micropay::micropay(&mut ledger, new_order, app.clock.now(), &mut rng);
    if App::save(&mut ledger).is_err() {
        return Ok(system_error(app, request.sign_type));
    }
    let index = match outcome {
        Ok(index) => index,
        Err(err) => return Ok(reject(app, request.sign_type, &err)),
    };

    // micropay replies carry the order's fields without its state (micropay, 9_10).
    let mut fields: Fields = order_fields(ledger.order(index));
    fields.remove("trade_state");
    fields.remove("trade_state_desc");
    Ok(success(app, request.sign_type, fields))
}

pub async fn reverse(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    let transaction_id = request.get("transaction_id");
    let out_trade_no = request.get("out_trade_no");
    if transaction_id.is_none() && out_trade_no.is_none() {
        return fail("transaction_id和out_trade_no至少填一个");
    }

    let mut ledger = app.settled_ledger();
    let Some(index) = ledger.find_order(transaction_id, out_trade_no) else {
        return reject(&app, request.sign_type, &BizError::OrderNotExist);
    };
    if let Err(err) = micropay::reverse(&mut ledger, index, app.clock.now()) {
        return reject(&app, request.sign_type, &err);
    }
    if App::save(&mut ledger).is_err() {
        return system_error(&app, request.sign_type);
    }
    let mut fields = Fields::new();
    // recall=Y would ask the merchant to call reverse again; the simulator never needs it.
    put(&mut fields, "recall", "N");
    success(&app, request.sign_type, fields)
}
