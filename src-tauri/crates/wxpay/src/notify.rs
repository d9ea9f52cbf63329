//! The payment notify (支付结果通知, 9_7) WeChat POSTs to notify_url: decoded, verified
//! over every received field, then read. Also the exact acknowledgement body.

use chrono::{DateTime, Utc};

use crate::api::Api;
use crate::error::{PayError, ReplyError};
use crate::model::coupon::{read_coupons, Coupon};
use crate::model::FieldReader;
use crate::{sign, xml, ApiKey, Fen, Fields, SignType, TradeType};

/// The body that acknowledges a notify. WeChat retries for about 24 hours until it gets
/// exactly this.
pub const NOTIFY_ACK: &str =
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>";

/// Builds the body that rejects a notify, so WeChat sends it again later.
pub fn notify_reject(return_msg: &str) -> String {
    let mut fields = Fields::new();
    fields.insert("return_code".into(), "FAIL".into());
    fields.insert("return_msg".into(), return_msg.into());
    xml::encode(&fields)
}

/// A verified payment notify. WeChat sends one only for a successful payment, and may
/// send it more than once: handling it must be idempotent, and total_fee must be
/// compared with the order's amount.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PayNotify {
    pub appid: String,
    pub mch_id: String,
    pub out_trade_no: String,
    pub transaction_id: String,
    pub total_fee: Fen,
    pub cash_fee: Option<Fen>,
    pub coupon_fee: Option<Fen>,
    pub coupons: Vec<Coupon>,
    pub time_end: DateTime<Utc>,
    pub openid: Option<String>,
    pub bank_type: Option<String>,
    pub trade_type: Option<TradeType>,
    pub attach: Option<String>,
    /// The algorithm the signature was made with.
    pub sign_type: SignType,
    /// Every received field, unknown ones included.
    pub fields: Fields,
}

/// Decodes and verifies a payment notify body. The signature is checked before any
/// field is read; a notify whose result_code is FAIL becomes `PayError::Business`.
pub fn parse_pay_notify(body: &[u8], key: &ApiKey) -> Result<PayNotify, PayError> {
    let api = Api::PayNotify;
    let fields = xml::decode(body).map_err(|source| PayError::Xml { api, source })?;
    if fields.get("return_code").map(String::as_str) == Some("FAIL") && !fields.contains_key("sign")
    {
        return Err(PayError::ReturnFail {
            api,
            return_msg: fields.get("return_msg").cloned().unwrap_or_default(),
        });
    }
    let sign_type =
        sign::verify(&fields, key).map_err(|source| PayError::Signature { api, source })?;

    let reply_error = |source| PayError::Reply { api, source };
    let reader = FieldReader::new(&fields);
    if reader.optional("result_code") == Some("FAIL") {
        return Err(PayError::Business {
            api,
            err_code: reader.optional("err_code").unwrap_or_default().to_owned(),
            err_code_des: reader
                .optional("err_code_des")
                .unwrap_or_default()
                .to_owned(),
        });
    }
    for level in ["return_code", "result_code"] {
        let value = reader.required(level).map_err(reply_error)?;
        if value != "SUCCESS" {
            return Err(reply_error(ReplyError::Invalid {
                field: level.into(),
                value: value.into(),
                reason: "expected SUCCESS".into(),
            }));
        }
    }
    read_notify(&reader, sign_type, &fields).map_err(reply_error)
}

fn read_notify(
    reader: &FieldReader<'_>,
    sign_type: SignType,
    fields: &Fields,
) -> Result<PayNotify, ReplyError> {
    Ok(PayNotify {
        appid: reader.required_string("appid")?,
        mch_id: reader.required_string("mch_id")?,
        out_trade_no: reader.required_string("out_trade_no")?,
        transaction_id: reader.required_string("transaction_id")?,
        total_fee: reader.required_fen("total_fee")?,
        cash_fee: reader.optional_fen("cash_fee")?,
        coupon_fee: reader.optional_fen("coupon_fee")?,
        coupons: read_coupons(reader)?,
        time_end: reader
            .optional_compact_time("time_end")?
            .ok_or_else(|| ReplyError::Missing("time_end".into()))?,
        openid: reader.optional_string("openid"),
        bank_type: reader.optional_string("bank_type"),
        trade_type: reader.optional_parsed::<TradeType>("trade_type")?,
        attach: reader.optional_string("attach"),
        sign_type,
        fields: fields.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap()
    }

    fn signed_notify(result_code: &str) -> Vec<u8> {
        let mut fields: Fields = [
            ("appid", "wx2421b1c4370ec43b"),
            ("mch_id", "10000100"),
            ("nonce_str", "n"),
            ("return_code", "SUCCESS"),
            ("result_code", result_code),
            ("out_trade_no", "T1"),
            ("transaction_id", "4200000000202601010000000001"),
            ("total_fee", "1800"),
            ("time_end", "20260101120105"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if result_code == "FAIL" {
            fields.insert("err_code".into(), "SYSTEMERROR".into());
        }
        let signature = sign::sign(&fields, &key(), SignType::Md5);
        fields.insert("sign".into(), signature);
        xml::encode(&fields).into_bytes()
    }

    #[test]
    fn ack_is_exact() {
        assert_eq!(
            NOTIFY_ACK,
            "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
        );
    }

    #[test]
    fn reject_says_fail() {
        let fields = xml::decode(notify_reject("签名错误").as_bytes()).unwrap();
        assert_eq!(fields["return_code"], "FAIL");
        assert_eq!(fields["return_msg"], "签名错误");
    }

    #[test]
    fn notify_parses_after_verify() {
        let notify = parse_pay_notify(&signed_notify("SUCCESS"), &key()).unwrap();
        assert_eq!(notify.total_fee, Fen(1800));
        assert_eq!(notify.time_end.to_rfc3339(), "2026-01-01T04:01:05+00:00");
        assert_eq!(notify.sign_type, SignType::Md5);
    }

    #[test]
    fn failed_notify_is_business_error() {
        let error = parse_pay_notify(&signed_notify("FAIL"), &key()).unwrap_err();
        assert!(matches!(error, PayError::Business { .. }));
    }
}
