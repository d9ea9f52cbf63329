//! Order paths: unifiedorder (9_1), orderquery (9_2) and closeorder (9_3).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use wxpay::{Fields, TradeState, TradeType};

use super::{accept, fail, put, reject, success, system_error, Fail, PayRequest};
use crate::app::App;
use crate::clock;
use crate::ids;
use crate::model::Order;
use crate::trade::{self, BizError, NewOrder};

/// Characters WeChat allows in out_trade_no (unifiedorder, 9_1).
fn is_order_no(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 32
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b))
}

pub async fn unified_order(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    handle_unified_order(&app, &request).unwrap_or_else(IntoResponse::into_response)
}

fn handle_unified_order(app: &App, request: &PayRequest) -> Result<Response, Fail> {
    let new_order = read_new_order(request)?;
    if let Err(err) = check_payer_fields(&new_order) {
        return Ok(reject(app, request.sign_type, &err));
    }

    let mut ledger = app.settled_ledger();
    let mut rng = rand::thread_rng();
    let index = match trade::unified_order(&mut ledger, new_order, app.clock.now(), &mut rng) {
        Ok(index) => index,
        Err(err) => return Ok(reject(app, request.sign_type, &err)),
    };
    if App::save(&mut ledger).is_err() {
        return Ok(system_error(app, request.sign_type));
    }

    let order = ledger.order(index);
    let mut fields = Fields::new();
    put(&mut fields, "trade_type", order.trade_type.as_str());
    if let Some(prepay_id) = &order.prepay_id {
        put(&mut fields, "prepay_id", prepay_id.as_str());
    }
    if let Some(code_url) = &order.code_url {
        put(&mut fields, "code_url", code_url.as_str());
    }
    if let Some(device_info) = &order.device_info {
        put(&mut fields, "device_info", device_info.as_str());
    }
    Ok(success(app, request.sign_type, fields))
}

fn read_new_order(request: &PayRequest) -> Result<NewOrder, Fail> {
    let body = request.require("body")?;
    if body.len() > 128 {
        return Err(Fail::new("body参数长度有误"));
    }
    let out_trade_no = request.require("out_trade_no")?;
    if !is_order_no(out_trade_no) {
        return Err(Fail::new("out_trade_no参数格式错误"));
    }
    let total_fee = request.require_fen("total_fee")?;
    let spbill_create_ip = request.require("spbill_create_ip")?;
    let notify_url = request.require("notify_url")?;
    let notify_ok = (notify_url.starts_with("http://") || notify_url.starts_with("https://"))
        && notify_url.len() <= 256
        && !notify_url.contains('?');
    if !notify_ok {
        return Err(Fail::new(
            "notify_url参数格式错误：须为不带参数的http(s)地址，最长256字节",
        ));
    }
    let trade_type = match request.require("trade_type")? {
        "JSAPI" => TradeType::Jsapi,
        "NATIVE" => TradeType::Native,
        "APP" => TradeType::App,
        "MWEB" => TradeType::Mweb,
        _ => return Err(Fail::new("trade_type参数错误")),
    };
    let attach = request.optional_max("attach", 127)?.unwrap_or_default();
    let product_id = request.optional_max("product_id", 32)?;
    let device_info = request.optional_max("device_info", 32)?;

    Ok(NewOrder {
        out_trade_no: out_trade_no.to_owned(),
        trade_type,
        body: body.to_owned(),
        attach: attach.to_owned(),
        total_fee,
        openid: request.get("openid").map(str::to_owned),
        product_id: product_id.map(str::to_owned),
        device_info: device_info.map(str::to_owned),
        spbill_create_ip: spbill_create_ip.to_owned(),
        notify_url: Some(notify_url.to_owned()),
    })
}

/// JSAPI needs the payer's openid and NATIVE a product_id (unifiedorder, 9_1).
fn check_payer_fields(order: &NewOrder) -> Result<(), BizError> {
    match order.trade_type {
        TradeType::Jsapi => match &order.openid {
            None => Err(BizError::Param("JSAPI支付必须传openid".into())),
            Some(openid) if !ids::is_openid_shape(openid) => {
                Err(BizError::Param("openid参数格式错误".into()))
            }
            Some(_) => Ok(()),
        },
        TradeType::Native if order.product_id.is_none() => {
            Err(BizError::Param("NATIVE支付必须传product_id".into()))
        }
        _ => Ok(()),
    }
}

pub async fn order_query(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    let transaction_id = request.get("transaction_id");
    let out_trade_no = request.get("out_trade_no");
    if transaction_id.is_none() && out_trade_no.is_none() {
        return fail("transaction_id和out_trade_no至少填一个");
    }

    let ledger = app.settled_ledger();
    match ledger.find_order(transaction_id, out_trade_no) {
        Some(index) => success(&app, request.sign_type, order_fields(ledger.order(index))),
        None => reject(&app, request.sign_type, &BizError::OrderNotExist),
    }
}

/// Builds the order fields of an orderquery reply, also sent in payment notifies.
pub fn order_fields(order: &Order) -> Fields {
    let mut fields = Fields::new();
    put(&mut fields, "out_trade_no", order.out_trade_no.as_str());
    put(&mut fields, "trade_type", order.trade_type.as_str());
    put(&mut fields, "trade_state", order.trade_state.as_str());
    put(
        &mut fields,
        "trade_state_desc",
        trade_state_desc(order.trade_state),
    );
    put(&mut fields, "total_fee", order.total_fee.0.to_string());
    put(&mut fields, "fee_type", "CNY");
    put(&mut fields, "attach", order.attach.as_str());
    if let Some(device_info) = &order.device_info {
        put(&mut fields, "device_info", device_info.as_str());
    }
    if let Some(openid) = &order.openid {
        put(&mut fields, "openid", openid.as_str());
        put(&mut fields, "is_subscribe", "N");
    }
    if let (Some(transaction_id), Some(paid_at)) = (&order.transaction_id, order.paid_at) {
        put(&mut fields, "transaction_id", transaction_id.as_str());
        put(&mut fields, "time_end", clock::stamp(paid_at));
        put(&mut fields, "cash_fee", order.total_fee.0.to_string());
        put(&mut fields, "cash_fee_type", "CNY");
        let bank_type = order.bank_type.as_deref().unwrap_or("OTHERS");
        put(&mut fields, "bank_type", bank_type);
    }
    fields
}

fn trade_state_desc(state: TradeState) -> &'static str {
    match state {
        TradeState::Success => "支付成功",
        TradeState::Refund => "订单发生过退款，退款详情请查询退款单",
        TradeState::NotPay => "订单未支付",
        TradeState::Closed => "订单已关闭",
        TradeState::Revoked => "订单已撤销",
        TradeState::UserPaying => "需要用户输入支付密码",
        TradeState::PayError => "支付失败(其他原因，如银行返回失败)",
    }
}

pub async fn close_order(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    let out_trade_no = match request.require("out_trade_no") {
        Ok(no) => no,
        Err(reply) => return reply.into_response(),
    };

    let mut ledger = app.settled_ledger();
    let Some(index) = ledger.find_order(None, Some(out_trade_no)) else {
        return reject(&app, request.sign_type, &BizError::OrderNotExist);
    };
    if let Err(err) = trade::close_order(&mut ledger, index, app.clock.now()) {
        return reject(&app, request.sign_type, &err);
    }
    if App::save(&mut ledger).is_err() {
        return system_error(&app, request.sign_type);
    }
    let mut fields = Fields::new();
    put(&mut fields, "result_msg", "OK");
    success(&app, request.sign_type, fields)
}
