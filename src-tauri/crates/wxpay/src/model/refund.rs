//! refund (申请退款, 9_4), sent over mutual TLS. result_code SUCCESS means WeChat
//! accepted the refund, not that the money arrived: refundquery or the refund notify
//! gives the final state.

use super::check;
use super::order_query::OrderRef;
use crate::error::{ReplyError, RequestError};
use crate::model::FieldReader;
use crate::{Fen, Fields};

/// A refund request. The same out_refund_no always means the same refund, so a retry
/// with identical fields never refunds twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub order: OrderRef,
    /// At most 64 of `[0-9A-Za-z_\-|*@]`.
    pub out_refund_no: String,
    /// The order's amount, as paid.
    pub total_fee: Fen,
    pub refund_fee: Fen,
    /// Shown to the customer, at most 80 bytes.
    pub refund_desc: Option<String>,
    /// REFUND_SOURCE_UNSETTLED_FUNDS (default) or REFUND_SOURCE_RECHARGE_FUNDS.
    pub refund_account: Option<String>,
    pub notify_url: Option<String>,
}

impl RefundRequest {
    /// Checks WeChat's field limits and returns the fields to sign and send.
    pub fn to_fields(&self) -> Result<Fields, RequestError> {
        check::merchant_no("out_refund_no", &self.out_refund_no, 64)?;
        check::positive("total_fee", self.total_fee)?;
        check::positive("refund_fee", self.refund_fee)?;
        if self.refund_fee > self.total_fee {
            return Err(RequestError::Invalid {
                field: "refund_fee",
                value: self.refund_fee.0.to_string(),
                reason: "is larger than total_fee",
            });
        }
        if let Some(desc) = &self.refund_desc {
            check::text("refund_desc", desc, 80)?;
        }
        if let Some(account) = &self.refund_account {
            if !matches!(
                account.as_str(),
                "REFUND_SOURCE_UNSETTLED_FUNDS" | "REFUND_SOURCE_RECHARGE_FUNDS"
            ) {
                return Err(RequestError::Invalid {
                    field: "refund_account",
                    value: account.clone(),
                    reason:
                        "expected REFUND_SOURCE_UNSETTLED_FUNDS or REFUND_SOURCE_RECHARGE_FUNDS",
                });
            }
        }
        if let Some(url) = &self.notify_url {
            check::notify_url("notify_url", url)?;
        }

        let mut fields = Fields::new();
        self.order.insert_into(&mut fields)?;
        fields.insert("out_refund_no".into(), self.out_refund_no.clone());
        fields.insert("total_fee".into(), self.total_fee.0.to_string());
        fields.insert("refund_fee".into(), self.refund_fee.0.to_string());
        let optional = [
            ("refund_desc", &self.refund_desc),
            ("refund_account", &self.refund_account),
            ("notify_url", &self.notify_url),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.insert(name.into(), value.clone());
            }
        }
        Ok(fields)
    }
}

/// An accepted refund.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundReply {
    pub transaction_id: String,
    pub out_trade_no: String,
    pub out_refund_no: String,
    pub refund_id: String,
    pub refund_fee: Fen,
    /// WeChat's table lists it, but the official reply example leaves it out.
    pub total_fee: Option<Fen>,
    pub cash_fee: Option<Fen>,
    pub settlement_refund_fee: Option<Fen>,
    pub coupon_refund_fee: Option<Fen>,
    /// Every field of the verified reply, unknown ones included.
    pub fields: Fields,
}

impl RefundReply {
    /// Reads a verified reply whose result_code is SUCCESS.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        Ok(RefundReply {
            transaction_id: reader.required_string("transaction_id")?,
            out_trade_no: reader.required_string("out_trade_no")?,
            out_refund_no: reader.required_string("out_refund_no")?,
            refund_id: reader.required_string("refund_id")?,
            refund_fee: reader.required_fen("refund_fee")?,
            total_fee: reader.optional_fen("total_fee")?,
            cash_fee: reader.optional_fen("cash_fee")?,
            settlement_refund_fee: reader.optional_fen("settlement_refund_fee")?,
            coupon_refund_fee: reader.optional_fen("coupon_refund_fee")?,
            fields: fields.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RefundRequest {
        RefundRequest {
            order: OrderRef::OutTradeNo("20260101120000001".into()),
            out_refund_no: "R20260101120000001-1".into(),
            total_fee: Fen(1800),
            refund_fee: Fen(800),
            refund_desc: Some("少找零".into()),
            refund_account: None,
            notify_url: None,
        }
    }

    #[test]
    fn refund_request_fields() {
        let fields = request().to_fields().unwrap();
        assert_eq!(fields["out_trade_no"], "20260101120000001");
        assert_eq!(fields["out_refund_no"], "R20260101120000001-1");
        assert_eq!(fields["total_fee"], "1800");
        assert_eq!(fields["refund_fee"], "800");
        assert_eq!(fields["refund_desc"], "少找零");
        assert!(!fields.contains_key("notify_url"));
    }

    #[test]
    fn refund_over_total_is_rejected() {
        let mut request = request();
        request.refund_fee = Fen(1801);
        assert!(matches!(
            request.to_fields(),
            Err(RequestError::Invalid {
                field: "refund_fee",
                ..
            })
        ));
    }

    #[test]
    fn refund_limits_are_checked() {
        let mut long_no = request();
        long_no.out_refund_no = "1".repeat(65);
        assert!(long_no.to_fields().is_err());

        let mut bad_account = request();
        bad_account.refund_account = Some("BASIC".into());
        assert!(bad_account.to_fields().is_err());

        let mut long_desc = request();
        long_desc.refund_desc = Some("退".repeat(27));
        assert!(long_desc.to_fields().is_err());
    }
}
