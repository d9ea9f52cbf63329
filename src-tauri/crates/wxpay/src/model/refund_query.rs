//! refundquery (查询退款, 9_5): the refunds of an order, each with its own state. Each
//! refund's fields carry an index suffix `_N`; an order with more than 10 refunds is
//! read in pages through `offset`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::check;
use crate::error::{ReplyError, RequestError};
use crate::model::FieldReader;
use crate::{Fen, Fields, RefundStatus};

/// The number the query looks up. A refund number returns that refund only; an
/// order number returns every refund of the order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundQueryRef {
    OutRefundNo(String),
    RefundId(String),
    OutTradeNo(String),
    TransactionId(String),
}

/// A refundquery request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundQueryRequest {
    pub by: RefundQueryRef,
    /// The index of the first refund to return, for orders with more than 10 refunds.
    pub offset: Option<u32>,
}

impl RefundQueryRequest {
    /// Checks the number and returns the fields to sign and send.
    pub fn to_fields(&self) -> Result<Fields, RequestError> {
        let (name, value, max) = match &self.by {
            RefundQueryRef::OutRefundNo(no) => ("out_refund_no", no, 64),
            RefundQueryRef::RefundId(id) => ("refund_id", id, 32),
            RefundQueryRef::OutTradeNo(no) => ("out_trade_no", no, 32),
            RefundQueryRef::TransactionId(id) => ("transaction_id", id, 32),
        };
        check::merchant_no(name, value, max)?;

        let mut fields = Fields::new();
        fields.insert(name.into(), value.clone());
        if let Some(offset) = self.offset {
            fields.insert("offset".into(), offset.to_string());
        }
        Ok(fields)
    }
}

/// One refund of the order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundItem {
    /// The `_N` suffix this refund had in the reply.
    pub index: usize,
    pub out_refund_no: String,
    pub refund_id: String,
    pub refund_fee: Fen,
    pub refund_status: RefundStatus,
    /// Present once refund_status is SUCCESS.
    pub refund_success_time: Option<DateTime<Utc>>,
    /// The account the money went to, for example `招商银行信用卡8915` or `支付用户零钱`
    /// (WeChat spells the field refund_recv_accout).
    pub refund_recv_accout: Option<String>,
    pub refund_channel: Option<String>,
    pub refund_account: Option<String>,
    pub coupon_refund_fee: Option<Fen>,
}

/// A successful refundquery reply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundQueryReply {
    pub transaction_id: String,
    pub out_trade_no: String,
    pub total_fee: Fen,
    pub cash_fee: Option<Fen>,
    /// How many refunds this reply carries.
    pub refund_count: usize,
    /// How many refunds the order has in all; present when there are more than 10.
    pub total_refund_count: Option<usize>,
    pub refunds: Vec<RefundItem>,
    /// Every field of the verified reply, unknown ones included.
    pub fields: Fields,
}

impl RefundQueryReply {
    /// Reads a verified reply whose result_code is SUCCESS. Refunds are found by their
    /// `out_refund_no_N` fields rather than counted from 0, because a reply read with an
    /// offset may number them from the offset.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        let refund_count = reader.count("refund_count")?;
        let indices = refund_indices(fields);
        if indices.len() != refund_count {
            return Err(ReplyError::Invalid {
                field: "refund_count".into(),
                value: refund_count.to_string(),
                reason: format!("the reply carries {} refunds", indices.len()),
            });
        }
        let refunds = indices
            .into_iter()
            .map(|n| read_refund(&reader, n))
            .collect::<Result<Vec<_>, _>>()?;

        Ok(RefundQueryReply {
            transaction_id: reader.required_string("transaction_id")?,
            out_trade_no: reader.required_string("out_trade_no")?,
            total_fee: reader.required_fen("total_fee")?,
            cash_fee: reader.optional_fen("cash_fee")?,
            refund_count,
            total_refund_count: reader.optional_parsed::<usize>("total_refund_count")?,
            refunds,
            fields: fields.clone(),
        })
    }
}

fn refund_indices(fields: &Fields) -> BTreeSet<usize> {
    fields
        .keys()
        .filter_map(|name| name.strip_prefix("out_refund_no_"))
        .filter_map(|suffix| suffix.parse::<usize>().ok())
        .collect()
}

fn read_refund(reader: &FieldReader<'_>, n: usize) -> Result<RefundItem, ReplyError> {
    let name = |base: &str| format!("{base}_{n}");
    Ok(RefundItem {
        index: n,
        out_refund_no: reader.required_string(&name("out_refund_no"))?,
        refund_id: reader.required_string(&name("refund_id"))?,
        refund_fee: reader.required_fen(&name("refund_fee"))?,
        refund_status: reader.required_parsed::<RefundStatus>(&name("refund_status"))?,
        refund_success_time: reader.optional_dashed_time(&name("refund_success_time"))?,
        refund_recv_accout: reader.optional_string(&name("refund_recv_accout")),
        refund_channel: reader.optional_string(&name("refund_channel")),
        refund_account: reader.optional_string(&name("refund_account")),
        coupon_refund_fee: reader.optional_fen(&name("coupon_refund_fee"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn request_carries_offset() {
        let request = RefundQueryRequest {
            by: RefundQueryRef::OutTradeNo("20190705170959530641".into()),
            offset: Some(10),
        };
        let sent = request.to_fields().unwrap();
        assert_eq!(sent["out_trade_no"], "20190705170959530641");
        assert_eq!(sent["offset"], "10");
    }

    #[test]
    fn reply_reads_offset_indices() {
        let reply = RefundQueryReply::from_fields(&fields(&[
            ("transaction_id", "4200000000201907050000000084"),
            ("out_trade_no", "20190705170959530641"),
            ("total_fee", "100"),
            ("refund_count", "1"),
            ("total_refund_count", "11"),
            ("out_refund_no_10", "R10"),
            ("refund_id_10", "50000000002019070500000000010"),
            ("refund_fee_10", "1"),
            ("refund_status_10", "PROCESSING"),
        ]))
        .unwrap();
        assert_eq!(reply.refunds.len(), 1);
        assert_eq!(reply.refunds[0].index, 10);
        assert_eq!(reply.refunds[0].refund_status, RefundStatus::Processing);
        assert_eq!(reply.total_refund_count, Some(11));
    }

    #[test]
    fn reply_count_must_match() {
        let error = RefundQueryReply::from_fields(&fields(&[
            ("transaction_id", "1"),
            ("out_trade_no", "1"),
            ("total_fee", "100"),
            ("refund_count", "2"),
            ("out_refund_no_0", "R0"),
            ("refund_id_0", "1"),
            ("refund_fee_0", "1"),
            ("refund_status_0", "SUCCESS"),
        ]))
        .unwrap_err();
        assert!(matches!(error, ReplyError::Invalid { .. }));
    }
}
