//! The refund notify (退款结果通知): an unsigned envelope whose req_info is
//! AES-256-ECB encrypted with the MD5 of the API key. Only the key holder can make a
//! req_info that decrypts with valid padding into a `<root>` document, which is what
//! authenticates it.

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use md5::{Digest, Md5};

use crate::api::Api;
use crate::error::{DecryptError, PayError, ReplyError};
use crate::model::FieldReader;
use crate::{xml, ApiKey, Fen, Fields, RefundStatus};

type Aes256EcbDec = ecb::Decryptor<aes::Aes256>;
type Aes256EcbEnc = ecb::Encryptor<aes::Aes256>;

const AES_BLOCK: usize = 16;

/// A decrypted refund notify.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefundNotify {
    pub appid: String,
    pub mch_id: String,
    pub transaction_id: String,
    pub out_trade_no: String,
    pub refund_id: String,
    pub out_refund_no: String,
    pub total_fee: Fen,
    pub refund_fee: Fen,
    pub settlement_total_fee: Option<Fen>,
    pub settlement_refund_fee: Option<Fen>,
    /// SUCCESS, CHANGE or REFUNDCLOSE.
    pub refund_status: RefundStatus,
    pub success_time: Option<DateTime<Utc>>,
    /// The account the money went to (WeChat spells the field refund_recv_accout).
    pub refund_recv_accout: Option<String>,
    pub refund_account: Option<String>,
    pub refund_request_source: Option<String>,
    /// Every decrypted field, unknown ones included.
    pub fields: Fields,
}

/// Derives the AES-256 key: the 32 ASCII characters of the lower-case hex MD5 of the API key.
fn aes_key(key: &ApiKey) -> [u8; 32] {
    let hex_digest = hex::encode(Md5::digest(key.expose().as_bytes()));
    let mut out = [0u8; 32];
    out.copy_from_slice(hex_digest.as_bytes());
    out
}

/// Decrypts a req_info value into the fields of its `<root>` document.
pub fn decrypt_req_info(req_info: &str, key: &ApiKey) -> Result<Fields, PayError> {
    let compact: String = req_info.chars().filter(|c| !c.is_whitespace()).collect();
    let data = BASE64.decode(compact).map_err(|_| DecryptError::Base64)?;
    if data.is_empty() || data.len() % AES_BLOCK != 0 {
        return Err(DecryptError::BlockLength(data.len()).into());
    }
    let plain = Aes256EcbDec::new(&aes_key(key).into())
        .decrypt_padded_vec_mut::<Pkcs7>(&data)
        .map_err(|_| DecryptError::Padding)?;
    xml::decode_root(&plain, "root").map_err(|source| PayError::Xml {
        api: Api::RefundNotify,
        source,
    })
}

/// Encrypts fields as a req_info, the way WeChat does. The sandbox uses it to send
/// refund notifies.
pub fn encrypt_req_info(fields: &Fields, key: &ApiKey) -> String {
    let plain = xml::encode_root(fields, "root");
    let data =
        Aes256EcbEnc::new(&aes_key(key).into()).encrypt_padded_vec_mut::<Pkcs7>(plain.as_bytes());
    BASE64.encode(data)
}

/// Decodes a refund notify body and decrypts its req_info.
pub fn parse_refund_notify(body: &[u8], key: &ApiKey) -> Result<RefundNotify, PayError> {
    let api = Api::RefundNotify;
    let envelope = xml::decode(body).map_err(|source| PayError::Xml { api, source })?;
    let outer = FieldReader::new(&envelope);
    let reply_error = |source| PayError::Reply { api, source };
    let return_code = outer.required("return_code").map_err(reply_error)?;
    if return_code != "SUCCESS" {
        return Err(PayError::ReturnFail {
            api,
            return_msg: outer.optional("return_msg").unwrap_or_default().to_owned(),
        });
    }
    let req_info = outer.required("req_info").map_err(reply_error)?;
    let fields = decrypt_req_info(req_info, key)?;

    read_info(&outer, &fields).map_err(reply_error)
}

fn read_info(outer: &FieldReader<'_>, fields: &Fields) -> Result<RefundNotify, ReplyError> {
    let inner = FieldReader::new(fields);
    Ok(RefundNotify {
        appid: outer.required_string("appid")?,
        mch_id: outer.required_string("mch_id")?,
        transaction_id: inner.required_string("transaction_id")?,
        out_trade_no: inner.required_string("out_trade_no")?,
        refund_id: inner.required_string("refund_id")?,
        out_refund_no: inner.required_string("out_refund_no")?,
        total_fee: inner.required_fen("total_fee")?,
        refund_fee: inner.required_fen("refund_fee")?,
        settlement_total_fee: inner.optional_fen("settlement_total_fee")?,
        settlement_refund_fee: inner.optional_fen("settlement_refund_fee")?,
        refund_status: inner.required_parsed::<RefundStatus>("refund_status")?,
        success_time: inner.optional_dashed_time("success_time")?,
        refund_recv_accout: inner.optional_string("refund_recv_accout"),
        refund_account: inner.optional_string("refund_account"),
        refund_request_source: inner.optional_string("refund_request_source"),
        fields: fields.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk".into()).unwrap()
    }

    #[test]
    fn encrypt_then_decrypt_round_trips() {
        let fields: Fields = [("out_refund_no", "R1"), ("refund_status", "SUCCESS")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let req_info = encrypt_req_info(&fields, &key());
        assert_eq!(decrypt_req_info(&req_info, &key()).unwrap(), fields);
    }

    #[test]
    fn wrong_key_is_padding_error() {
        let fields: Fields = [("out_refund_no".to_string(), "R1".to_string())].into();
        let req_info = encrypt_req_info(&fields, &key());
        let other = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap();
        let error = decrypt_req_info(&req_info, &other).unwrap_err();
        // A wrong key yields random padding bytes, which only rarely form valid PKCS#7
        // and then fail as XML instead.
        match error {
            PayError::Decrypt(DecryptError::Padding) => {
                assert!(error.explain().en.contains("API key is probably wrong"));
            }
            PayError::Xml { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn broken_req_info_is_rejected() {
        assert!(matches!(
            decrypt_req_info("not base64!", &key()),
            Err(PayError::Decrypt(DecryptError::Base64))
        ));
        assert!(matches!(
            decrypt_req_info("AAAA", &key()),
            Err(PayError::Decrypt(DecryptError::BlockLength(3)))
        ));
    }

    #[test]
    fn aes_key_is_lower_hex_md5() {
        let expected = hex::encode(Md5::digest(b"OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk"));
        assert_eq!(aes_key(&key()).as_slice(), expected.as_bytes());
        assert!(expected.bytes().all(|b| !b.is_ascii_uppercase()));
    }
}
