//! orderquery (查询订单, 9_2): the payment state of one order. result_code SUCCESS only
//! means the query worked; trade_state is the payment's state.

use chrono::{DateTime, Utc};

use super::check;
use super::coupon::{read_coupons, Coupon};
use crate::error::{ReplyError, RequestError};
use crate::model::FieldReader;
use crate::{Fen, Fields, TradeState, TradeType};

/// The number that identifies the order. WeChat prefers transaction_id when both exist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderRef {
    OutTradeNo(String),
    TransactionId(String),
}

impl OrderRef {
    /// Checks the number and adds it to `fields` under its WeChat name.
    pub(crate) fn insert_into(&self, fields: &mut Fields) -> Result<(), RequestError> {
        match self {
            OrderRef::OutTradeNo(no) => {
                check::merchant_no("out_trade_no", no, 32)?;
                fields.insert("out_trade_no".into(), no.clone());
            }
            OrderRef::TransactionId(id) => {
                check::merchant_no("transaction_id", id, 32)?;
                fields.insert("transaction_id".into(), id.clone());
            }
        }
        Ok(())
    }

    /// Returns the fields of an orderquery request.
    pub fn to_fields(&self) -> Result<Fields, RequestError> {
        let mut fields = Fields::new();
        self.insert_into(&mut fields)?;
        Ok(fields)
    }
}

/// A successful orderquery reply. Fields that only exist once the order is paid are
/// options, because an unpaid order's reply leaves them out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderQueryReply {
    pub trade_state: TradeState,
    pub trade_state_desc: Option<String>,
    pub out_trade_no: String,
    pub transaction_id: Option<String>,
    pub total_fee: Option<Fen>,
    /// The part the customer paid in money, without coupons.
    pub cash_fee: Option<Fen>,
    pub coupon_fee: Option<Fen>,
    pub coupons: Vec<Coupon>,
    pub time_end: Option<DateTime<Utc>>,
    pub openid: Option<String>,
    pub bank_type: Option<String>,
    pub trade_type: Option<TradeType>,
    pub attach: Option<String>,
    /// Every field of the verified reply, unknown ones included.
    pub fields: Fields,
}

impl OrderQueryReply {
    /// Reads a verified reply whose result_code is SUCCESS.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        let trade_state = reader.required_parsed::<TradeState>("trade_state")?;
        let reply = OrderQueryReply {
            trade_state,
            trade_state_desc: reader.optional_string("trade_state_desc"),
            out_trade_no: reader.required_string("out_trade_no")?,
            transaction_id: reader.optional_string("transaction_id"),
            total_fee: reader.optional_fen("total_fee")?,
            cash_fee: reader.optional_fen("cash_fee")?,
            coupon_fee: reader.optional_fen("coupon_fee")?,
            coupons: read_coupons(&reader)?,
            time_end: reader.optional_compact_time("time_end")?,
            openid: reader.optional_string("openid"),
            bank_type: reader.optional_string("bank_type"),
            trade_type: reader.optional_parsed::<TradeType>("trade_type")?,
            attach: reader.optional_string("attach"),
            fields: fields.clone(),
        };

        // A paid order without these could not be matched to money received.
        if matches!(trade_state, TradeState::Success | TradeState::Refund) {
            if reply.transaction_id.is_none() {
                return Err(ReplyError::Missing("transaction_id".into()));
            }
            if reply.total_fee.is_none() {
                return Err(ReplyError::Missing("total_fee".into()));
            }
        }
        Ok(reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ref_uses_wechat_names() {
        let fields = OrderRef::OutTradeNo("1415757673".into())
            .to_fields()
            .unwrap();
        assert_eq!(fields["out_trade_no"], "1415757673");
        let fields = OrderRef::TransactionId("4200000000202004180000000082".into())
            .to_fields()
            .unwrap();
        assert_eq!(fields["transaction_id"], "4200000000202004180000000082");
        assert!(OrderRef::OutTradeNo("bad no".into()).to_fields().is_err());
    }

    #[test]
    fn notpay_reply_has_no_payment_fields() {
        let fields: Fields = [
            ("trade_state", "NOTPAY"),
            ("trade_state_desc", "订单未支付"),
            ("out_trade_no", "20260101120000001"),
            ("attach", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let reply = OrderQueryReply::from_fields(&fields).unwrap();
        assert_eq!(reply.trade_state, TradeState::NotPay);
        assert_eq!(reply.transaction_id, None);
        assert_eq!(reply.attach, None);
        assert!(reply.coupons.is_empty());
    }

    #[test]
    fn paid_reply_requires_transaction_id() {
        let fields: Fields = [
            ("trade_state", "SUCCESS"),
            ("out_trade_no", "1"),
            ("total_fee", "1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            OrderQueryReply::from_fields(&fields),
            Err(ReplyError::Missing("transaction_id".into()))
        );
    }
}
