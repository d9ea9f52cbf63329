//! The Tools screen's checks of pasted Pay v2 messages with the profile's API key: the
//! signature checker (which algorithm matched, or why none did) and the decoder of payment
//! and refund notifies. The key stays here, and the UI receives it only as asterisks.

use wxpay::sign::{self, SignError};
use wxpay::{xml, ApiKey, Fields};

use crate::dto::{AppError, DecodedNotify, OrderField, SignatureCheck};
use crate::{translate, Console};

/// Stands in for the API key in the signed string shown to the UI.
const KEY_MASK: &str = "********************************";

impl Console {
    /// Verifies the signature of a pasted message: v2 XML, or `name=value` lines.
    pub fn check_signature(&self, pasted: &str) -> Result<SignatureCheck, AppError> {
        let key = &self.inner.clients.pay.config().key;
        let fields = parse_message(pasted)?;
        let signed_string = masked_string_to_sign(&fields, key);

        let (matched, failure) = match sign::verify(&fields, key) {
            Ok(sign_type) => (Some(sign_type.as_str().to_owned()), None),
            Err(error) => (None, Some(explain_sign_error(&error, &fields, self))),
        };
        Ok(SignatureCheck {
            fields: field_list(&fields),
            matched,
            failure,
            signed_string,
        })
    }

    /// Verifies a payment notify, or decrypts a refund notify's req_info, with the
    /// profile's API key.
    pub fn decode_notify(&self, pasted: &str) -> Result<DecodedNotify, AppError> {
        let key = &self.inner.clients.pay.config().key;
        let body = pasted.trim().as_bytes();
        let envelope = xml::decode(body).map_err(|error| invalid_message(&error.to_string()))?;

        if envelope.contains_key("req_info") {
            let notify = wxpay::parse_refund_notify(body, key).map_err(translate::pay_error)?;
            let mut fields: Fields = envelope;
            fields.remove("req_info");
            fields.extend(notify.fields.clone());
            return Ok(DecodedNotify {
                kind: "refund".to_owned(),
                sign_type: None,
                out_trade_no: notify.out_trade_no,
                transaction_id: notify.transaction_id,
                out_refund_no: Some(notify.out_refund_no),
                refund_id: Some(notify.refund_id),
                status: notify.refund_status.as_str().to_owned(),
                total_fee: notify.total_fee.0,
                refund_fee: Some(notify.refund_fee.0),
                at: notify.success_time.map(|at| at.timestamp()),
                fields: field_list(&fields),
            });
        }

        let notify = wxpay::parse_pay_notify(body, key).map_err(translate::pay_error)?;
        Ok(DecodedNotify {
            kind: "payment".to_owned(),
            sign_type: Some(notify.sign_type.as_str().to_owned()),
            out_trade_no: notify.out_trade_no,
            transaction_id: notify.transaction_id,
            out_refund_no: None,
            refund_id: None,
            status: "SUCCESS".to_owned(),
            total_fee: notify.total_fee.0,
            refund_fee: None,
            at: Some(notify.time_end.timestamp()),
            fields: field_list(&notify.fields),
        })
    }
}

/// Reads v2 XML, or `name=value` pairs one a line (a single line may join them with `&`).
fn parse_message(pasted: &str) -> Result<Fields, AppError> {
    let text = pasted.trim();
    if text.is_empty() {
        return Err(invalid_message("the message is empty"));
    }
    if text.starts_with('<') {
        return xml::decode(text.as_bytes()).map_err(|error| invalid_message(&error.to_string()));
    }

    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let pairs: Vec<&str> = match lines.as_slice() {
        [single] => single.split('&').collect(),
        _ => lines,
    };
    let mut fields = Fields::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(invalid_message(&format!("{pair:?} is not name=value")));
        };
        fields.insert(name.trim().to_owned(), value.trim().to_owned());
    }
    Ok(fields)
}

fn masked_string_to_sign(fields: &Fields, key: &ApiKey) -> String {
    let signed = sign::string_to_sign(fields, key);
    match signed.strip_suffix(key.expose()) {
        Some(head) => format!("{head}{KEY_MASK}"),
        // string_to_sign always ends with the key, so this arm is never taken; it still
        // keeps the key out of the reply if that ever changes.
        None => KEY_MASK.to_owned(),
    }
}

fn field_list(fields: &Fields) -> Vec<OrderField> {
    fields
        .iter()
        .map(|(name, value)| OrderField {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

fn explain_sign_error(error: &SignError, fields: &Fields, console: &Console) -> AppError {
    let (code, zh, en) = match error {
        SignError::Missing => (
            "SIGN_MISSING",
            "报文中没有 sign 字段，无法校验。请粘贴完整报文。".to_owned(),
            "The message has no sign field, so it cannot be checked. Paste the whole message."
                .to_owned(),
        ),
        SignError::UnknownSignType(unknown) => (
            "SIGN_TYPE_UNKNOWN",
            format!(
                "sign_type “{}” 无效，只能是 MD5 或 HMAC-SHA256。",
                unknown.0
            ),
            format!(
                "The sign_type \"{}\" is invalid: it must be MD5 or HMAC-SHA256.",
                unknown.0
            ),
        ),
        SignError::BadLength(length) => (
            "SIGN_BAD_LENGTH",
            format!(
                "签名有 {length} 个字符：MD5 签名应为 32 个，HMAC-SHA256 签名应为 64 个。\
                 请检查 sign_type 是否与签名算法一致。"
            ),
            format!(
                "The signature has {length} characters: an MD5 one has 32 and an HMAC-SHA256 one \
                 has 64. Check that sign_type names the algorithm that was used."
            ),
        ),
        SignError::Mismatch(sign_type) => {
            let profile_mch_id = &console.inner.profile.mch_id;
            match fields.get("mch_id").filter(|mch_id| *mch_id != profile_mch_id) {
                Some(other) => (
                    "SIGN_MISMATCH",
                    format!(
                        "签名不匹配（{sign_type}）。报文的商户号 {other} 不是当前商户 {profile_mch_id}，\
                         请切换到该商户后再校验。"
                    ),
                    format!(
                        "The signature does not match ({sign_type}). The message is for merchant \
                         {other}, not the current merchant {profile_mch_id}: switch to that \
                         profile, then check again."
                    ),
                ),
                None => (
                    "SIGN_MISMATCH",
                    format!(
                        "签名不匹配（{sign_type}）：报文可能被改动过，或不是用当前商户的 API 密钥签名的。\
                         请确认粘贴的是原始报文，并核对 API 密钥。"
                    ),
                    format!(
                        "The signature does not match ({sign_type}): the message may have been \
                         changed, or it was signed with another API key. Paste the original \
                         message and check the API key."
                    ),
                ),
            }
        }
    };
    AppError {
        code: code.to_owned(),
        message_zh: zh,
        message_en: en,
        retryable: false,
    }
}

fn invalid_message(detail: &str) -> AppError {
    AppError {
        code: "INVALID_MESSAGE".to_owned(),
        message_zh: format!(
            "无法读取报文：{detail}。请粘贴完整的 XML（<xml>…</xml>），或每行一个 名称=值。"
        ),
        message_en: format!(
            "The message could not be read: {detail}. Paste the whole XML (<xml>…</xml>), or \
             one name=value a line."
        ),
        retryable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_fields() {
        let fields = parse_message("appid=wx1\nmch_id = 10000100\n\nsign=ABC").expect("parsed");
        assert_eq!(fields["appid"], "wx1");
        assert_eq!(fields["mch_id"], "10000100");
        assert_eq!(fields["sign"], "ABC");
    }

    #[test]
    fn query_string_becomes_fields() {
        let fields = parse_message("a=1&b=2&sign=X").expect("parsed");
        assert_eq!(fields.len(), 3);
        assert_eq!(fields["b"], "2");
    }

    #[test]
    fn line_without_equals_rejected() {
        let error = parse_message("appid=wx1\nnonsense").expect_err("rejected");
        assert_eq!(error.code, "INVALID_MESSAGE");
    }

    #[test]
    fn signed_string_masks_key() {
        let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).expect("key");
        let fields = parse_message("body=test\nappid=wx1").expect("parsed");
        let masked = masked_string_to_sign(&fields, &key);
        assert_eq!(masked, format!("appid=wx1&body=test&key={KEY_MASK}"));
        assert!(!masked.contains(key.expose()));
    }
}
