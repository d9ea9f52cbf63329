//! Payment-code payments (micropay, 9_10) and their reversal (reverse, 9_11). Small
//! amounts pay at once; larger ones wait for the customer's password (USERPAYING) and
//! turn SUCCESS after the configured delay, as a customer would.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use wxpay::{Fen, TradeState, TradeType};

use crate::clock;
use crate::ids;
use crate::ledger::Ledger;
use crate::model::Order;
use crate::trade::BizError;

/// From this amount on (¥500.00) the simulated customer must enter a password.
pub const PASSWORD_FROM: Fen = Fen(50_000);

/// Suffix of auth_codes that always get AUTHCODEEXPIRE, for tests of that path.
pub const EXPIRED_CODE_SUFFIX: &str = "9999";

/// Suffix of auth_codes that always get NOTENOUGH (the customer's balance is too low).
pub const POOR_CODE_SUFFIX: &str = "8888";

/// Payment-code orders can be reversed for seven days (reverse, 9_11).
const REVERSE_WINDOW: Duration = Duration::days(7);

/// The fields of a micropay request that define the order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMicropay {
    pub out_trade_no: String,
    pub body: String,
    pub attach: String,
    pub total_fee: Fen,
    pub auth_code: String,
    pub device_info: Option<String>,
    pub spbill_create_ip: String,
}

/// Checks that `code` is a WeChat payment code: 18 digits starting 10 to 15.
pub fn is_auth_code(code: &str) -> bool {
    code.len() == 18
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches!(&code[..2], "10" | "11" | "12" | "13" | "14" | "15")
}

/// Takes a payment code. Returns the order index when paid; `BizError::UserPaying` when
/// the customer still has to enter a password (query the order, then).
pub fn micropay<R: Rng>(
    ledger: &mut Ledger,
    request: NewMicropay,
    now: DateTime<Utc>,
    rng: &mut R,
) -> Result<usize, BizError> {
    if let Some(index) = ledger.find_order(None, Some(&request.out_trade_no)) {
        let order = ledger.order(index);
        let same = order.trade_type == TradeType::Micropay
            && order.total_fee == request.total_fee
            && order.body == request.body;
        if !same {
            return Err(BizError::OutTradeNoUsed);
        }
        return match order.trade_state {
            TradeState::Success | TradeState::Refund => Err(BizError::OrderPaid),
            TradeState::Closed => Err(BizError::OrderClosed),
            TradeState::Revoked => Err(BizError::OrderReversed),
            _ => Err(BizError::UserPaying),
        };
    }

    if !is_auth_code(&request.auth_code) {
        return Err(BizError::AuthCodeInvalid);
    }
    if request.auth_code.ends_with(EXPIRED_CODE_SUFFIX) {
        return Err(BizError::AuthCodeExpire);
    }
    if request.auth_code.ends_with(POOR_CODE_SUFFIX) {
        return Err(BizError::BuyerNotEnough);
    }

    let needs_password = request.total_fee >= PASSWORD_FROM;
    let prefix = ids::openid_prefix(&ledger.state.appid);
    let order = Order {
        out_trade_no: request.out_trade_no,
        transaction_id: Some(ids::transaction_id(rng, clock::beijing_day(now))),
        trade_type: TradeType::Micropay,
        trade_state: if needs_password {
            TradeState::UserPaying
        } else {
            TradeState::Success
        },
        body: request.body,
        attach: request.attach,
        total_fee: request.total_fee,
        openid: Some(ids::openid(rng, &prefix)),
        product_id: None,
        device_info: request.device_info,
        bank_type: Some("OTHERS".to_owned()),
        spbill_create_ip: request.spbill_create_ip,
        notify_url: None,
        created_at: now,
        paid_at: (!needs_password).then_some(now),
        closed_at: None,
        pays_at: needs_password.then(|| now + ledger.password_delay()),
        prepay_id: None,
        prepay_expires_at: None,
        code_url: None,
        refunds: Vec::new(),
    };
    let index = ledger.push_order(order);
    if needs_password {
        Err(BizError::UserPaying)
    } else {
        Ok(index)
    }
}

/// Reverses a payment-code order: an unpaid one is cancelled, a paid one is returned to
/// the customer. Reversing a reversed order succeeds again.
pub fn reverse(ledger: &mut Ledger, index: usize, now: DateTime<Utc>) -> Result<(), BizError> {
    let order = ledger.order_mut(index);
    if order.trade_type != TradeType::Micropay {
        return Err(BizError::Param("只能撤销付款码支付的订单".into()));
    }
    if now - order.created_at > REVERSE_WINDOW {
        return Err(BizError::ReverseExpire);
    }
    match order.trade_state {
        TradeState::Revoked => Ok(()),
        TradeState::Refund => Err(BizError::Param(
            "订单已发生退款，不能撤销，请查询退款单".into(),
        )),
        TradeState::Closed => Err(BizError::OrderClosed),
        TradeState::Success
        | TradeState::NotPay
        | TradeState::UserPaying
        | TradeState::PayError => {
            order.trade_state = TradeState::Revoked;
            order.pays_at = None;
            order.closed_at = Some(now);
            Ok(())
        }
    }
}
