//! micropay (付款码支付): the merchant scans the customer's payment code and WeChat
//! charges it at once, or returns USERPAYING while the customer confirms with a
//! password. reverse (撤销订单) cancels such an order, refunding it if it was paid.

use chrono::{DateTime, Utc};

use super::check;
use crate::error::{ReplyError, RequestError};
use crate::model::FieldReader;
use crate::{Fen, Fields};

/// A micropay request. appid, mch_id, nonce_str and sign are added by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicropayRequest {
    /// 商品描述, at most 128 bytes.
    pub body: String,
    pub out_trade_no: String,
    pub total_fee: Fen,
    /// The counter's IP address.
    pub spbill_create_ip: String,
    /// The customer's payment code: 18 digits starting with 10 to 15.
    pub auth_code: String,
    pub attach: Option<String>,
    /// The till or scanner, at most 32 bytes.
    pub device_info: Option<String>,
}

impl MicropayRequest {
    /// Checks WeChat's field limits and returns the fields to sign and send.
    pub fn to_fields(&self) -> Result<Fields, RequestError> {
        check::text("body", &self.body, 128)?;
        check::merchant_no("out_trade_no", &self.out_trade_no, 32)?;
        check::positive("total_fee", self.total_fee)?;
        check::ip("spbill_create_ip", &self.spbill_create_ip)?;
        check_auth_code(&self.auth_code)?;
        if let Some(attach) = &self.attach {
            check::text("attach", attach, 127)?;
        }
        if let Some(device_info) = &self.device_info {
            check::text("device_info", device_info, 32)?;
        }

        let mut fields = Fields::new();
        fields.insert("body".into(), self.body.clone());
        fields.insert("out_trade_no".into(), self.out_trade_no.clone());
        fields.insert("total_fee".into(), self.total_fee.0.to_string());
        fields.insert("spbill_create_ip".into(), self.spbill_create_ip.clone());
        fields.insert("auth_code".into(), self.auth_code.clone());
        let optional = [("attach", &self.attach), ("device_info", &self.device_info)];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.insert(name.into(), value.clone());
            }
        }
        Ok(fields)
    }
}

/// Checks a WeChat payment code. Codes of other wallets (Alipay's start with 25 to 30)
/// are rejected here instead of by WeChat.
fn check_auth_code(code: &str) -> Result<(), RequestError> {
    let invalid = |reason| RequestError::Invalid {
        field: "auth_code",
        value: code.to_owned(),
        reason,
    };
    if code.len() != 18 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("must be 18 digits"));
    }
    if !matches!(&code[..2], "10" | "11" | "12" | "13" | "14" | "15") {
        return Err(invalid("must start with 10 to 15 (a WeChat payment code)"));
    }
    Ok(())
}

/// The outcome of micropay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MicropayReply {
    Paid(MicropayPayment),
    /// The customer is confirming with a password: query the order about every 5
    /// seconds, and reverse it if it is still unpaid after about 30 seconds.
    UserPaying,
}

/// A payment that succeeded at once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MicropayPayment {
    pub out_trade_no: String,
    pub transaction_id: String,
    pub total_fee: Fen,
    pub cash_fee: Option<Fen>,
    pub coupon_fee: Option<Fen>,
    pub time_end: Option<DateTime<Utc>>,
    pub openid: Option<String>,
    pub bank_type: Option<String>,
    pub attach: Option<String>,
    /// Every field of the verified reply, unknown ones included.
    pub fields: Fields,
}

impl MicropayPayment {
    /// Reads a verified reply whose result_code is SUCCESS.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        Ok(MicropayPayment {
            out_trade_no: reader.required_string("out_trade_no")?,
            transaction_id: reader.required_string("transaction_id")?,
            total_fee: reader.required_fen("total_fee")?,
            cash_fee: reader.optional_fen("cash_fee")?,
            coupon_fee: reader.optional_fen("coupon_fee")?,
            time_end: reader.optional_compact_time("time_end")?,
            openid: reader.optional_string("openid"),
            bank_type: reader.optional_string("bank_type"),
            attach: reader.optional_string("attach"),
            fields: fields.clone(),
        })
    }
}

/// A successful reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReverseReply {
    /// `recall=Y`: WeChat wants reverse called again for the same order.
    pub recall: bool,
}

impl ReverseReply {
    /// Reads a verified reply whose result_code is SUCCESS.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        Ok(ReverseReply {
            recall: reader.optional("recall") == Some("Y"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> MicropayRequest {
        MicropayRequest {
            body: "咖啡店-美式".into(),
            out_trade_no: "M20260101120000001".into(),
            total_fee: Fen(1500),
            spbill_create_ip: "127.0.0.1".into(),
            auth_code: "134567890123456789".into(),
            attach: None,
            device_info: Some("till-1".into()),
        }
    }

    #[test]
    fn micropay_request_fields() {
        let fields = request().to_fields().unwrap();
        assert_eq!(fields["auth_code"], "134567890123456789");
        assert_eq!(fields["device_info"], "till-1");
        assert!(!fields.contains_key("attach"));
    }

    #[test]
    fn auth_code_must_be_wechat_code() {
        for code in [
            "28763443825664394",
            "287634438256643940",
            "13456789012345678a",
            "",
        ] {
            let mut request = request();
            request.auth_code = code.into();
            assert!(request.to_fields().is_err(), "accepted {code:?}");
        }
    }

    #[test]
    fn reverse_reads_recall() {
        let mut fields = Fields::new();
        fields.insert("recall".into(), "Y".into());
        assert!(ReverseReply::from_fields(&fields).unwrap().recall);
        fields.insert("recall".into(), "N".into());
        assert!(!ReverseReply::from_fields(&fields).unwrap().recall);
    }
}
