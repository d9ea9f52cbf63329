//! unifiedorder (统一下单, 9_1): creates a JSAPI or NATIVE order and returns the
//! prepay_id, plus the code_url a NATIVE order shows as a QR code.

use chrono::{DateTime, Utc};

use super::check;
use crate::error::{ReplyError, RequestError};
use crate::model::FieldReader;
use crate::{Fen, Fields, TradeType};

/// The trade types unifiedorder creates here, each with the field it requires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UnifiedTradeType {
    /// Payment inside WeChat (an Official Account page); the payer's openid is required.
    Jsapi { openid: String },
    /// A QR code the customer scans; product_id is the merchant's own item id.
    Native { product_id: String },
}

/// A unifiedorder request. appid, mch_id, nonce_str and sign are added by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnifiedOrderRequest {
    /// 商品描述, at most 128 bytes.
    pub body: String,
    /// At most 32 of `[0-9A-Za-z_\-|*@]`, unique per merchant.
    pub out_trade_no: String,
    pub total_fee: Fen,
    /// The payer's IP for JSAPI, the server's IP for NATIVE.
    pub spbill_create_ip: String,
    /// At most 256 bytes, without a query string.
    pub notify_url: String,
    pub trade_type: UnifiedTradeType,
    /// Echoed back in queries and notifies, at most 127 bytes.
    pub attach: Option<String>,
    pub time_start: Option<DateTime<Utc>>,
    pub time_expire: Option<DateTime<Utc>>,
    pub goods_tag: Option<String>,
}

impl UnifiedOrderRequest {
    /// Checks WeChat's field limits and returns the fields to sign and send.
    pub fn to_fields(&self) -> Result<Fields, RequestError> {
        check::text("body", &self.body, 128)?;
        check::merchant_no("out_trade_no", &self.out_trade_no, 32)?;
        check::positive("total_fee", self.total_fee)?;
        check::ip("spbill_create_ip", &self.spbill_create_ip)?;
        check::notify_url("notify_url", &self.notify_url)?;
        if let Some(attach) = &self.attach {
            check::text("attach", attach, 127)?;
        }
        if let Some(goods_tag) = &self.goods_tag {
            check::text("goods_tag", goods_tag, 32)?;
        }
        if let (Some(start), Some(expire)) = (self.time_start, self.time_expire) {
            if expire <= start {
                return Err(RequestError::Invalid {
                    field: "time_expire",
                    value: crate::time::format_compact(expire),
                    reason: "must be later than time_start",
                });
            }
        }

        let mut fields = Fields::new();
        fields.insert("body".into(), self.body.clone());
        fields.insert("out_trade_no".into(), self.out_trade_no.clone());
        fields.insert("total_fee".into(), self.total_fee.0.to_string());
        fields.insert("spbill_create_ip".into(), self.spbill_create_ip.clone());
        fields.insert("notify_url".into(), self.notify_url.clone());
        match &self.trade_type {
            UnifiedTradeType::Jsapi { openid } => {
                check::text("openid", openid, 128)?;
                fields.insert("trade_type".into(), TradeType::Jsapi.as_str().into());
                fields.insert("openid".into(), openid.clone());
            }
            UnifiedTradeType::Native { product_id } => {
                check::text("product_id", product_id, 32)?;
                fields.insert("trade_type".into(), TradeType::Native.as_str().into());
                fields.insert("product_id".into(), product_id.clone());
            }
        }
        let optional = [
            ("attach", self.attach.clone()),
            ("goods_tag", self.goods_tag.clone()),
            (
                "time_start",
                self.time_start.map(crate::time::format_compact),
            ),
            (
                "time_expire",
                self.time_expire.map(crate::time::format_compact),
            ),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.insert(name.into(), value);
            }
        }
        Ok(fields)
    }
}

/// A successful unifiedorder reply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnifiedOrderReply {
    /// Valid for two hours.
    pub prepay_id: String,
    pub trade_type: TradeType,
    /// `weixin://wxpay/bizpayurl?pr=...`, present for NATIVE orders.
    pub code_url: Option<String>,
}

impl UnifiedOrderReply {
    /// Reads a verified reply whose result_code is SUCCESS.
    pub fn from_fields(fields: &Fields) -> Result<Self, ReplyError> {
        let reader = FieldReader::new(fields);
        let trade_type = reader.required_parsed::<TradeType>("trade_type")?;
        let code_url = reader.optional_string("code_url");
        if trade_type == TradeType::Native && code_url.is_none() {
            return Err(ReplyError::Missing("code_url".into()));
        }
        Ok(UnifiedOrderReply {
            prepay_id: reader.required_string("prepay_id")?,
            trade_type,
            code_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native_request() -> UnifiedOrderRequest {
        UnifiedOrderRequest {
            body: "咖啡店-拿铁".into(),
            out_trade_no: "20260101120000001".into(),
            total_fee: Fen(1800),
            spbill_create_ip: "127.0.0.1".into(),
            notify_url: "https://shop.example/wxpay/notify".into(),
            trade_type: UnifiedTradeType::Native {
                product_id: "latte".into(),
            },
            attach: None,
            time_start: None,
            time_expire: None,
            goods_tag: None,
        }
    }

    #[test]
    fn native_request_has_product_id() {
        let fields = native_request().to_fields().unwrap();
        assert_eq!(fields["trade_type"], "NATIVE");
        assert_eq!(fields["product_id"], "latte");
        assert_eq!(fields["total_fee"], "1800");
        assert!(!fields.contains_key("openid"));
    }

    #[test]
    fn jsapi_request_has_openid() {
        let mut request = native_request();
        request.trade_type = UnifiedTradeType::Jsapi {
            openid: "oFakeOpenId00000000000000080".into(),
        };
        let fields = request.to_fields().unwrap();
        assert_eq!(fields["trade_type"], "JSAPI");
        assert_eq!(fields["openid"], "oFakeOpenId00000000000000080");
        request.trade_type = UnifiedTradeType::Jsapi {
            openid: String::new(),
        };
        assert_eq!(
            request.to_fields(),
            Err(RequestError::Missing { field: "openid" })
        );
    }

    #[test]
    fn request_limits_are_checked() {
        let mut request = native_request();
        request.body = "中".repeat(43);
        assert!(matches!(
            request.to_fields(),
            Err(RequestError::TooLong { field: "body", .. })
        ));

        let mut request = native_request();
        request.attach = Some("a".repeat(128));
        assert!(matches!(
            request.to_fields(),
            Err(RequestError::TooLong {
                field: "attach",
                ..
            })
        ));

        let mut request = native_request();
        request.notify_url = "https://shop.example/notify?order=1".into();
        assert!(matches!(
            request.to_fields(),
            Err(RequestError::Invalid {
                field: "notify_url",
                ..
            })
        ));

        let mut request = native_request();
        request.total_fee = Fen(0);
        assert!(request.to_fields().is_err());
    }

    #[test]
    fn times_are_sent_as_beijing() {
        let mut request = native_request();
        let start = crate::time::parse_compact("20260101120000").unwrap();
        request.time_start = Some(start);
        request.time_expire = Some(start + chrono::Duration::minutes(30));
        let fields = request.to_fields().unwrap();
        assert_eq!(fields["time_start"], "20260101120000");
        assert_eq!(fields["time_expire"], "20260101123000");

        request.time_expire = Some(start);
        assert!(request.to_fields().is_err());
    }

    #[test]
    fn native_reply_needs_code_url() {
        let mut fields = Fields::new();
        fields.insert("trade_type".into(), "NATIVE".into());
        fields.insert(
            "prepay_id".into(),
            "wx05153421914401e72549e4843149659371".into(),
        );
        assert_eq!(
            UnifiedOrderReply::from_fields(&fields),
            Err(ReplyError::Missing("code_url".into()))
        );
        fields.insert(
            "code_url".into(),
            "weixin://wxpay/bizpayurl?pr=QXuSXeo".into(),
        );
        let reply = UnifiedOrderReply::from_fields(&fields).unwrap();
        assert_eq!(
            reply.code_url.as_deref(),
            Some("weixin://wxpay/bizpayurl?pr=QXuSXeo")
        );
    }
}
