//! The refund path, /secapi/pay/refund (9_4). The client certificate is checked by the
//! router's layer before this runs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use wxpay::Fields;

use super::{accept, put, reject, success, system_error, Fail, PayRequest};
use crate::app::App;
use crate::ledger::Ledger;
use crate::trade::{self, BizError, RefundRequest};

const REFUND_ACCOUNTS: &[&str] = &[
    "REFUND_SOURCE_UNSETTLED_FUNDS",
    "REFUND_SOURCE_RECHARGE_FUNDS",
];

/// Characters WeChat allows in out_refund_no (refund, 9_4).
fn is_refund_no(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b))
}

pub async fn refund(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    handle(&app, &request).unwrap_or_else(IntoResponse::into_response)
}

fn handle(app: &App, request: &PayRequest) -> Result<Response, Fail> {
    let transaction_id = request.get("transaction_id");
    let out_trade_no = request.get("out_trade_no");
    if transaction_id.is_none() && out_trade_no.is_none() {
        return Err(Fail::new("transaction_id和out_trade_no至少填一个"));
    }
    let out_refund_no = request.require("out_refund_no")?;
    if !is_refund_no(out_refund_no) {
        return Err(Fail::new("out_refund_no参数格式错误"));
    }
    let total_fee = request.require_fen("total_fee")?;
    let refund_fee = request.require_fen("refund_fee")?;
    // WeChat rejects this at the communication level, before looking at the order.
    if refund_fee > total_fee {
        return Err(Fail::new("invalid refund_fee"));
    }
    let refund_desc = request.optional_max("refund_desc", 80)?;
    let refund_account = request.get("refund_account");
    if refund_account.is_some_and(|account| !REFUND_ACCOUNTS.contains(&account)) {
        return Err(Fail::new("refund_account参数错误"));
    }

    let mut ledger = app.settled_ledger();
    let order = match find_paid_order(&ledger, transaction_id, out_trade_no) {
        Ok(order) => order,
        Err(err) => return Ok(reject(app, request.sign_type, &err)),
    };
    let refund_request = RefundRequest {
        order,
        out_refund_no: out_refund_no.to_owned(),
        total_fee,
        refund_fee,
        refund_desc: refund_desc.map(str::to_owned),
        refund_account: refund_account.map(str::to_owned),
        notify_url: request.get("notify_url").map(str::to_owned),
    };
    let mut rng = rand::thread_rng();
    let (index, n) = match trade::refund(&mut ledger, refund_request, app.clock.now(), &mut rng) {
        Ok(position) => position,
        Err(err) => return Ok(reject(app, request.sign_type, &err)),
    };
    if App::save(&mut ledger).is_err() {
        return Ok(system_error(app, request.sign_type));
    }

    let order = ledger.order(index);
    let refund = &order.refunds[n];
    let mut fields = Fields::new();
    if let Some(transaction_id) = &order.transaction_id {
        put(&mut fields, "transaction_id", transaction_id.as_str());
    }
    put(&mut fields, "out_trade_no", order.out_trade_no.as_str());
    put(&mut fields, "out_refund_no", refund.out_refund_no.as_str());
    put(&mut fields, "refund_id", refund.refund_id.as_str());
    put(&mut fields, "refund_channel", "");
    put(&mut fields, "refund_fee", refund.refund_fee.0.to_string());
    put(&mut fields, "total_fee", order.total_fee.0.to_string());
    put(&mut fields, "fee_type", "CNY");
    put(&mut fields, "cash_fee", order.total_fee.0.to_string());
    put(
        &mut fields,
        "cash_refund_fee",
        refund.refund_fee.0.to_string(),
    );
    put(&mut fields, "coupon_refund_fee", "0");
    put(&mut fields, "coupon_refund_count", "0");
    Ok(success(app, request.sign_type, fields))
}

/// Finds the order to refund. An unknown transaction_id has its own err_code; an
/// unknown out_trade_no is ORDERNOTEXIST.
fn find_paid_order(
    ledger: &Ledger,
    transaction_id: Option<&str>,
    out_trade_no: Option<&str>,
) -> Result<usize, BizError> {
    match ledger.find_order(transaction_id, out_trade_no) {
        Some(index) => Ok(index),
        None if transaction_id.is_some() => Err(BizError::InvalidTransactionId),
        None => Err(BizError::OrderNotExist),
    }
}
