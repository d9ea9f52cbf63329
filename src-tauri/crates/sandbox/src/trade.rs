//! The order state machine: creating an order, paying it (the simulated payer), closing
//! it and refunding it, with WeChat's business rules and its err_code for each refusal.
//! NOTPAY goes to SUCCESS or CLOSED; SUCCESS goes to REFUND with the first refund.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use wxpay::{Fen, RefundStatus, TradeState, TradeType};

use crate::clock;
use crate::ids;
use crate::ledger::{Ledger, RefundPos};
use crate::model::{Order, Refund};

/// Most refunds one order may have (refund, 9_4).
pub const MAX_REFUNDS_PER_ORDER: usize = 50;

/// How long a prepay_id stays valid (unifiedorder, 9_1).
const PREPAY_VALIDITY: Duration = Duration::hours(2);

/// A business-level rejection: result_code FAIL with this err_code. The message is
/// err_code_des, worded as WeChat words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BizError {
    #[error("订单不存在")]
    OrderNotExist,
    #[error("该订单已支付")]
    OrderPaid,
    #[error("该订单已关闭")]
    OrderClosed,
    #[error("商户订单号重复")]
    OutTradeNoUsed,
    #[error("退款订单查询失败")]
    RefundNotExist,
    #[error("无效transaction_id")]
    InvalidTransactionId,
    #[error("基本账户余额不足，请充值后重新发起")]
    NotEnough,
    #[error("订单已经超过退款期限")]
    TradeOverdue,
    #[error("订单已全额退款")]
    FullyRefunded,
    #[error("refund_fee大于可退金额")]
    OverRefund,
    #[error("订单金额或退款金额与之前请求不一致,请核实后再试")]
    RefundFeeMismatch,
    #[error("订单退款次数已达上限（{MAX_REFUNDS_PER_ORDER}次）")]
    TooManyRefunds,
    #[error("需要用户输入支付密码")]
    UserPaying,
    #[error("请扫描微信支付付款码（以10、11、12、13、14、15开头的18位数字）")]
    AuthCodeInvalid,
    #[error("二维码已过期，请用户在微信上刷新后再试")]
    AuthCodeExpire,
    #[error("用户余额不足，请用户换卡支付")]
    BuyerNotEnough,
    #[error("订单已撤销")]
    OrderReversed,
    #[error("订单已经超过撤销时间")]
    ReverseExpire,
    #[error("{0}")]
    Param(String),
    #[error("系统繁忙，请稍后再试")]
    System,
}

impl BizError {
    /// WeChat's err_code for this refusal.
    pub fn err_code(&self) -> &'static str {
        match self {
            BizError::OrderNotExist => "ORDERNOTEXIST",
            BizError::OrderPaid => "ORDERPAID",
            BizError::OrderClosed => "ORDERCLOSED",
            BizError::OutTradeNoUsed => "OUT_TRADE_NO_USED",
            BizError::RefundNotExist => "REFUNDNOTEXIST",
            BizError::InvalidTransactionId => "INVALID_TRANSACTIONID",
            BizError::NotEnough => "NOTENOUGH",
            BizError::TradeOverdue => "TRADE_OVERDUE",
            BizError::FullyRefunded | BizError::TooManyRefunds => "ERROR",
            BizError::OverRefund => "INVALID_REQUEST",
            BizError::RefundFeeMismatch => "REFUND_FEE_MISMATCH",
            BizError::UserPaying => "USERPAYING",
            BizError::AuthCodeInvalid => "AUTH_CODE_INVALID",
            BizError::AuthCodeExpire => "AUTHCODEEXPIRE",
            BizError::BuyerNotEnough => "NOTENOUGH",
            BizError::OrderReversed => "ORDERREVERSED",
            BizError::ReverseExpire => "REVERSE_EXPIRE",
            BizError::Param(_) => "PARAM_ERROR",
            BizError::System => "SYSTEMERROR",
        }
    }
}

/// The fields of a unifiedorder request that define the order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub out_trade_no: String,
    pub trade_type: TradeType,
    pub body: String,
    pub attach: String,
    pub total_fee: Fen,
    pub openid: Option<String>,
    pub product_id: Option<String>,
    pub device_info: Option<String>,
    pub spbill_create_ip: String,
    pub notify_url: Option<String>,
}

impl NewOrder {
    /// Checks whether a repeated request names the same order. WeChat returns
    /// OUT_TRADE_NO_USED when any of these fields differ.
    fn matches(&self, order: &Order) -> bool {
        self.trade_type == order.trade_type
            && self.body == order.body
            && self.attach == order.attach
            && self.total_fee == order.total_fee
            && self.openid == order.openid
            && self.product_id == order.product_id
    }
}

/// Creates an order, or returns the existing one for a repeat with the same fields
/// (with a fresh prepay_id once the old one expired).
pub fn unified_order<R: Rng>(
    ledger: &mut Ledger,
    request: NewOrder,
    now: DateTime<Utc>,
    rng: &mut R,
) -> Result<usize, BizError> {
    if let Some(index) = ledger.find_order(None, Some(&request.out_trade_no)) {
        let order = ledger.order_mut(index);
        match order.trade_state {
            TradeState::Success | TradeState::Refund => return Err(BizError::OrderPaid),
            TradeState::Closed | TradeState::Revoked => return Err(BizError::OrderClosed),
            _ => {}
        }
        if !request.matches(order) {
            return Err(BizError::OutTradeNoUsed);
        }
        if order.prepay_expires_at.is_none_or(|at| at <= now) {
            order.prepay_id = Some(ids::prepay_id(rng, &clock::stamp(now)));
            order.prepay_expires_at = Some(now + PREPAY_VALIDITY);
        }
        return Ok(index);
    }

    let order = Order {
        out_trade_no: request.out_trade_no,
        transaction_id: None,
        trade_type: request.trade_type,
        trade_state: TradeState::NotPay,
        body: request.body,
        attach: request.attach,
        total_fee: request.total_fee,
        openid: request.openid,
        product_id: request.product_id,
        device_info: request.device_info,
        bank_type: None,
        spbill_create_ip: request.spbill_create_ip,
        notify_url: request.notify_url,
        created_at: now,
        paid_at: None,
        closed_at: None,
        pays_at: None,
        prepay_id: Some(ids::prepay_id(rng, &clock::stamp(now))),
        prepay_expires_at: Some(now + PREPAY_VALIDITY),
        code_url: (request.trade_type == TradeType::Native).then(|| ids::code_url(rng)),
        refunds: Vec::new(),
    };
    Ok(ledger.push_order(order))
}

/// Closes an unpaid order (closeorder, 9_3). Closing a closed order succeeds again.
pub fn close_order(ledger: &mut Ledger, index: usize, now: DateTime<Utc>) -> Result<(), BizError> {
    let order = ledger.order_mut(index);
    match order.trade_state {
        TradeState::Success | TradeState::Refund => Err(BizError::OrderPaid),
        TradeState::Closed | TradeState::Revoked => Err(BizError::OrderClosed),
        TradeState::NotPay | TradeState::UserPaying | TradeState::PayError => {
            order.trade_state = TradeState::Closed;
            order.closed_at = Some(now);
            Ok(())
        }
    }
}

/// The customer who pays an order in the simulation.
#[derive(Debug, Clone, Default)]
pub struct Payer {
    pub openid: Option<String>,
    pub bank_type: Option<String>,
}

/// Pays an unpaid order as a customer would.
pub fn pay_order<R: Rng>(
    ledger: &mut Ledger,
    index: usize,
    payer: Payer,
    now: DateTime<Utc>,
    rng: &mut R,
) -> Result<(), BizError> {
    let prefix = ids::openid_prefix(&ledger.state.appid);
    let order = ledger.order_mut(index);
    match order.trade_state {
        TradeState::Success | TradeState::Refund => return Err(BizError::OrderPaid),
        TradeState::Closed | TradeState::Revoked => return Err(BizError::OrderClosed),
        TradeState::NotPay | TradeState::UserPaying | TradeState::PayError => {}
    }
    if let Some(openid) = payer.openid {
        order.openid = Some(openid);
    } else if order.openid.is_none() {
        order.openid = Some(ids::openid(rng, &prefix));
    }
    order.bank_type = Some(payer.bank_type.unwrap_or_else(|| "OTHERS".to_owned()));
    order.trade_state = TradeState::Success;
    order.paid_at = Some(now);
    order.transaction_id = Some(ids::transaction_id(rng, clock::beijing_day(now)));
    ledger.index_order(index);
    Ok(())
}

/// How the simulated customer of an unpaid order behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayerBehaviour {
    /// Pays at once.
    Instant,
    /// Enters the password for this long: the order is USERPAYING, then SUCCESS.
    Slow(std::time::Duration),
    /// Cancels at the password prompt: the order turns PAYERROR and can be paid again.
    Cancel,
    /// Has too little money in the account: the order turns PAYERROR.
    NoBalance,
}

/// Applies a payer's behaviour to an unpaid order.
pub fn pay_order_as<R: Rng>(
    ledger: &mut Ledger,
    index: usize,
    payer: Payer,
    behaviour: PayerBehaviour,
    now: DateTime<Utc>,
    rng: &mut R,
) -> Result<(), BizError> {
    match behaviour {
        PayerBehaviour::Instant => pay_order(ledger, index, payer, now, rng),
        PayerBehaviour::Slow(delay) => {
            pay_order(ledger, index, payer, now, rng)?;
            let wait = Duration::from_std(delay).unwrap_or(Duration::MAX);
            let order = ledger.order_mut(index);
            order.trade_state = TradeState::UserPaying;
            order.paid_at = None;
            order.pays_at = Some(now + wait);
            Ok(())
        }
        PayerBehaviour::Cancel | PayerBehaviour::NoBalance => {
            let order = ledger.order_mut(index);
            match order.trade_state {
                TradeState::Success | TradeState::Refund => Err(BizError::OrderPaid),
                TradeState::Closed | TradeState::Revoked => Err(BizError::OrderClosed),
                TradeState::NotPay | TradeState::UserPaying | TradeState::PayError => {
                    order.trade_state = TradeState::PayError;
                    order.pays_at = None;
                    Ok(())
                }
            }
        }
    }
}

/// The fields of a refund request, after the order was found.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub order: usize,
    pub out_refund_no: String,
    pub total_fee: Fen,
    pub refund_fee: Fen,
    pub refund_desc: Option<String>,
    pub refund_account: Option<String>,
    pub notify_url: Option<String>,
}

/// Accepts a refund, or returns the existing one when out_refund_no repeats with the same
/// amounts: a repeat never refunds twice (refund, 9_4). The money leaves the balance at
/// once; the refund stays PROCESSING for the configured delay.
// NOTE: WeChat also requires a minute between refunds of one order, but the simulator
// does not enforce it, so tests can refund one order many times in a row.
pub fn refund<R: Rng>(
    ledger: &mut Ledger,
    request: RefundRequest,
    now: DateTime<Utc>,
    rng: &mut R,
) -> Result<RefundPos, BizError> {
    if let Some((index, n)) = ledger.find_refund_by_out_refund_no(&request.out_refund_no) {
        let existing = &ledger.order(index).refunds[n];
        let same = index == request.order
            && existing.refund_fee == request.refund_fee
            && existing.total_fee == request.total_fee;
        return if same {
            Ok((index, n))
        } else {
            Err(BizError::RefundFeeMismatch)
        };
    }

    let order = ledger.order(request.order);
    let paid_at = match (order.trade_state, order.paid_at) {
        (TradeState::Success | TradeState::Refund, Some(paid_at)) => paid_at,
        _ => return Err(BizError::OrderNotExist),
    };
    if request.total_fee != order.total_fee {
        return Err(BizError::RefundFeeMismatch);
    }
    if now - paid_at > Duration::days(365) {
        return Err(BizError::TradeOverdue);
    }
    if order.refunds.len() >= MAX_REFUNDS_PER_ORDER {
        return Err(BizError::TooManyRefunds);
    }
    let refundable = order.refundable();
    if refundable.0 <= 0 {
        return Err(BizError::FullyRefunded);
    }
    if request.refund_fee > refundable {
        return Err(BizError::OverRefund);
    }
    if ledger.state.balance < request.refund_fee {
        return Err(BizError::NotEnough);
    }

    let delay = ledger.refund_delay();
    ledger.state.balance = ledger.state.balance - request.refund_fee;
    let refund = Refund {
        out_refund_no: request.out_refund_no,
        refund_id: ids::refund_id(rng, clock::beijing_day(now)),
        refund_fee: request.refund_fee,
        total_fee: request.total_fee,
        refund_desc: request.refund_desc,
        refund_account: request
            .refund_account
            .unwrap_or_else(|| "REFUND_SOURCE_UNSETTLED_FUNDS".to_owned()),
        refund_status: RefundStatus::Processing,
        requested_at: now,
        settles_at: now + delay,
        success_at: None,
        notify_url: request.notify_url,
    };
    let order = ledger.order_mut(request.order);
    order.refunds.push(refund);
    order.trade_state = TradeState::Refund;
    let n = order.refunds.len() - 1;
    ledger.index_order(request.order);
    Ok((request.order, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::LedgerSeed;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn ledger(dir: &std::path::Path) -> Ledger {
        let seed = LedgerSeed {
            appid: "wx2421b1c4370ec43b",
            mch_id: "1900000109",
            seed: 3,
            history_days: 2,
        };
        Ledger::open(dir, &seed, Utc::now()).expect("ledger opens")
    }

    fn paid_order(ledger: &mut Ledger, no: &str, total: i64, paid_at: DateTime<Utc>) -> usize {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let request = NewOrder {
            out_trade_no: no.to_owned(),
            trade_type: TradeType::Native,
            body: "测试".to_owned(),
            attach: String::new(),
            total_fee: Fen(total),
            openid: None,
            product_id: Some("P1".to_owned()),
            device_info: None,
            spbill_create_ip: "127.0.0.1".to_owned(),
            notify_url: None,
        };
        let index = unified_order(ledger, request, paid_at, &mut rng).expect("order created");
        pay_order(ledger, index, Payer::default(), paid_at, &mut rng).expect("order paid");
        index
    }

    fn refund_of(order: usize, no: &str, total: i64, fee: i64) -> RefundRequest {
        RefundRequest {
            order,
            out_refund_no: no.to_owned(),
            total_fee: Fen(total),
            refund_fee: Fen(fee),
            refund_desc: None,
            refund_account: None,
            notify_url: None,
        }
    }

    #[test]
    fn refund_limited_to_fifty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = ledger(dir.path());
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let now = Utc::now();
        let order = paid_order(&mut ledger, "T50", 100, now);

        for n in 0..MAX_REFUNDS_PER_ORDER {
            let request = refund_of(order, &format!("T50-{n}"), 100, 1);
            refund(&mut ledger, request, now, &mut rng).expect("refund accepted");
        }
        let over = refund(
            &mut ledger,
            refund_of(order, "T50-50", 100, 1),
            now,
            &mut rng,
        );
        assert_eq!(over, Err(BizError::TooManyRefunds));
        assert_eq!(ledger.order(order).refundable(), Fen(50));
    }

    #[test]
    fn refund_after_a_year_overdue() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = ledger(dir.path());
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let paid_at = Utc::now() - Duration::days(400);
        let order = paid_order(&mut ledger, "TOLD", 500, paid_at);

        let result = refund(
            &mut ledger,
            refund_of(order, "TOLD-1", 500, 100),
            Utc::now(),
            &mut rng,
        );
        assert_eq!(result, Err(BizError::TradeOverdue));
        assert_eq!(BizError::TradeOverdue.err_code(), "TRADE_OVERDUE");
    }

    #[test]
    fn refund_takes_balance_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = ledger(dir.path());
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let now = Utc::now();
        let order = paid_order(&mut ledger, "TB", 900, now);
        ledger.state.balance = Fen(1000);

        let first = refund(
            &mut ledger,
            refund_of(order, "TB-1", 900, 600),
            now,
            &mut rng,
        );
        let again = refund(
            &mut ledger,
            refund_of(order, "TB-1", 900, 600),
            now,
            &mut rng,
        );
        assert_eq!(first, again);
        assert_eq!(ledger.state.balance, Fen(400));
        ledger.state.balance = Fen(100);
        let poor = refund(
            &mut ledger,
            refund_of(order, "TB-2", 900, 300),
            now,
            &mut rng,
        );
        assert_eq!(poor, Err(BizError::NotEnough));
    }
}
