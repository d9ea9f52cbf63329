//! The refund query path, /pay/refundquery (9_5): by refund_id, out_refund_no,
//! transaction_id or out_trade_no, in that priority, with `_N` fields per refund and
//! pages of ten from `offset` for orders with more refunds.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use wxpay::{Fen, Fields, RefundStatus};

use super::{accept, fail, put, reject, success};
use crate::app::App;
use crate::clock;
use crate::model::{Order, Refund};
use crate::trade::BizError;

/// Refunds listed per reply; `offset` pages through the rest.
const PAGE: usize = 10;

pub async fn refund_query(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    let offset = match request.get("offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(offset)) => offset,
        Some(Err(_)) => return fail("offset参数格式错误"),
    };

    let ledger = app.settled_ledger();

    let by_refund = if let Some(refund_id) = request.get("refund_id") {
        Some(ledger.find_refund_by_id(refund_id))
    } else {
        request
            .get("out_refund_no")
            .map(|no| ledger.find_refund_by_out_refund_no(no))
    };
    let (order, listed, total): (&Order, Vec<&Refund>, Option<usize>) = match by_refund {
        Some(Some((index, n))) => {
            let order = ledger.order(index);
            (order, vec![&order.refunds[n]], None)
        }
        Some(None) => return reject(&app, request.sign_type, &BizError::RefundNotExist),
        None => {
            let transaction_id = request.get("transaction_id");
            let out_trade_no = request.get("out_trade_no");
            if transaction_id.is_none() && out_trade_no.is_none() {
                return fail("refund_id、out_refund_no、transaction_id和out_trade_no至少填一个");
            }
            let Some(index) = ledger.find_order(transaction_id, out_trade_no) else {
                return reject(&app, request.sign_type, &BizError::RefundNotExist);
            };
            let order = ledger.order(index);
            if offset >= order.refunds.len() {
                return reject(&app, request.sign_type, &BizError::RefundNotExist);
            }
            let page = order.refunds.iter().skip(offset).take(PAGE).collect();
            (order, page, Some(order.refunds.len()))
        }
    };

    success(&app, request.sign_type, reply_fields(order, &listed, total))
}

fn reply_fields(order: &Order, listed: &[&Refund], total: Option<usize>) -> Fields {
    let mut fields = Fields::new();
    if let Some(transaction_id) = &order.transaction_id {
        put(&mut fields, "transaction_id", transaction_id.as_str());
    }
    put(&mut fields, "out_trade_no", order.out_trade_no.as_str());
    put(&mut fields, "total_fee", order.total_fee.0.to_string());
    put(&mut fields, "cash_fee", order.total_fee.0.to_string());
    put(&mut fields, "fee_type", "CNY");
    let listed_fee: Fen = listed.iter().map(|r| r.refund_fee).sum();
    put(&mut fields, "refund_fee", listed_fee.0.to_string());
    put(&mut fields, "refund_count", listed.len().to_string());
    if let Some(total) = total {
        put(&mut fields, "total_refund_count", total.to_string());
    }

    let account = receiving_account(order);
    for (n, refund) in listed.iter().enumerate() {
        let field = |name: &str| format!("{name}_{n}");
        put(
            &mut fields,
            &field("out_refund_no"),
            refund.out_refund_no.as_str(),
        );
        put(&mut fields, &field("refund_id"), refund.refund_id.as_str());
        put(&mut fields, &field("refund_channel"), "ORIGINAL");
        put(
            &mut fields,
            &field("refund_fee"),
            refund.refund_fee.0.to_string(),
        );
        put(
            &mut fields,
            &field("settlement_refund_fee"),
            refund.refund_fee.0.to_string(),
        );
        put(
            &mut fields,
            &field("refund_status"),
            refund.refund_status.as_str(),
        );
        put(
            &mut fields,
            &field("refund_account"),
            refund.refund_account.as_str(),
        );
        // WeChat spells this field "accout" (refundquery, 9_5).
        put(&mut fields, &field("refund_recv_accout"), account.as_str());
        if let (RefundStatus::Success, Some(at)) = (refund.refund_status, refund.success_at) {
            put(
                &mut fields,
                &field("refund_success_time"),
                clock::bill_time(at),
            );
        }
    }
    fields
}

/// Names the account the money goes back to: the payer's change purse (零钱) or the
/// card the order was paid with.
pub fn receiving_account(order: &Order) -> String {
    let bank_type = order.bank_type.as_deref().unwrap_or("OTHERS");
    let Some((bank, kind)) = bank_type.split_once('_') else {
        return "支付用户的零钱".to_owned();
    };
    let bank_name = match bank {
        "CMB" => "招商银行",
        "ICBC" => "工商银行",
        "CCB" => "建设银行",
        "ABC" => "农业银行",
        "BOC" => "中国银行",
        "COMM" => "交通银行",
        "SPDB" => "浦发银行",
        "CITIC" => "中信银行",
        _ => "银行",
    };
    let card = if kind == "CREDIT" {
        "信用卡"
    } else {
        "借记卡"
    };
    // The last four digits stay the same for one payer and differ between payers.
    let tail: u32 = order
        .openid
        .as_deref()
        .unwrap_or_default()
        .bytes()
        .fold(7u32, |acc, b| {
            acc.wrapping_mul(31).wrapping_add(u32::from(b))
        })
        % 10_000;
    format!("{bank_name}{card}{tail:04}")
}
