//! v2 signatures (security rules, 4_3): MD5 or HMAC-SHA256 over the sorted, non-empty
//! fields plus `&key=`. Verification runs over exactly the fields received.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::{ApiKey, Fields};

/// The signature algorithm, as named in the `sign_type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SignType {
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
}

impl SignType {
    /// WeChat's name for the algorithm.
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Length of the hex signature this algorithm produces.
    pub fn hex_len(self) -> usize {
        match self {
            SignType::Md5 => 32,
            SignType::HmacSha256 => 64,
        }
    }
}

impl fmt::Display for SignType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `sign_type` value other than `MD5` and `HMAC-SHA256`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign_type {0:?}: expected MD5 or HMAC-SHA256")]
pub struct UnknownSignType(pub String);

impl FromStr for SignType {
    type Err = UnknownSignType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "MD5" => Ok(SignType::Md5),
            "HMAC-SHA256" => Ok(SignType::HmacSha256),
            other => Err(UnknownSignType(other.to_owned())),
        }
    }
}

/// A received signature that was rejected, and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("signature missing: the message has no sign field")]
    Missing,
    #[error(transparent)]
    UnknownSignType(#[from] UnknownSignType),
    #[error("signature has {0} characters: expected 32 (MD5) or 64 (HMAC-SHA256)")]
    BadLength(usize),
    #[error("signature mismatch ({0}): the message may be tampered with, or the API key is wrong")]
    Mismatch(SignType),
}

/// Builds `k1=v1&k2=v2...&key=KEY`: every field but `sign`, empty values left out, in
/// byte order of the names, values raw (no URL encoding).
pub fn string_to_sign(fields: &Fields, key: &ApiKey) -> String {
    let mut len = 0;
    feed_string_to_sign(fields, key, |piece| len += piece.len());
    let mut out = String::with_capacity(len);
    feed_string_to_sign(fields, key, |piece| out.push_str(piece));
    out
}

/// Passes the string to sign to `sink` piece by piece, so a digest can take it without
/// the whole string being built.
fn feed_string_to_sign(fields: &Fields, key: &ApiKey, mut sink: impl FnMut(&str)) {
    // BTreeMap<String, _> iterates in byte order of the names, which is WeChat's ASCII order.
    for (name, value) in fields {
        if name == "sign" || value.is_empty() {
            continue;
        }
        sink(name);
        sink("=");
        sink(value);
        sink("&");
    }
    sink("key=");
    sink(key.expose());
}

/// Signs fields, returning the upper-case hex signature.
///
/// ```
/// use wxpay::sign::{sign, SignType};
/// use wxpay::{ApiKey, Fields};
///
/// // WeChat's published example (security rules, 4_3).
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap();
/// let fields: Fields = [
///     ("appid", "wxd930ea5d5a258f4f"),
///     ("mch_id", "10000100"),
///     ("device_info", "1000"),
///     ("body", "test"),
///     ("nonce_str", "ibuaiVcKdpRxkhJA"),
/// ]
/// .iter()
/// .map(|(k, v)| (k.to_string(), v.to_string()))
/// .collect();
/// assert_eq!(sign(&fields, &key, SignType::Md5), "9A0A8659F005D6984697E2CA0A9CF3B7");
/// ```
pub fn sign(fields: &Fields, key: &ApiKey, sign_type: SignType) -> String {
    signature(fields, key, sign_type)
        .as_bytes()
        .iter()
        .map(|&byte| char::from(byte))
        .collect()
}

/// An upper-case hex signature, held on the stack.
struct HexSignature {
    buf: [u8; 64],
    len: usize,
}

impl HexSignature {
    /// Hex-encodes a digest of at most 32 bytes, the size of HMAC-SHA256's.
    fn encode(digest: &[u8]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut buf = [0; 64];
        let mut len = 0;
        for (pair, byte) in buf.chunks_exact_mut(2).zip(digest) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
            len += 2;
        }
        HexSignature { buf, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

fn signature(fields: &Fields, key: &ApiKey, sign_type: SignType) -> HexSignature {
    match sign_type {
        SignType::Md5 => {
            let mut md5 = Md5::new();
            feed_string_to_sign(fields, key, |piece| md5.update(piece.as_bytes()));
            HexSignature::encode(&md5.finalize())
        }
        SignType::HmacSha256 => {
            // HMAC takes keys of any length, so new_from_slice cannot fail here.
            let mut mac = Hmac::<Sha256>::new_from_slice(key.expose().as_bytes())
                .expect("HMAC accepts keys of any length");
            feed_string_to_sign(fields, key, |piece| mac.update(piece.as_bytes()));
            HexSignature::encode(&mac.finalize().into_bytes())
        }
    }
}

/// Verifies `sign` over exactly the fields given, including unknown and indexed ones.
/// The algorithm comes from `sign_type` when present, else from the signature's length,
/// because notifies often omit `sign_type`. Returns the algorithm that matched.
pub fn verify(fields: &Fields, key: &ApiKey) -> Result<SignType, SignError> {
    let received = fields.get("sign").ok_or(SignError::Missing)?;
    let sign_type = match fields.get("sign_type").filter(|v| !v.is_empty()) {
        Some(name) => name.parse::<SignType>()?,
        None => match received.len() {
            32 => SignType::Md5,
            64 => SignType::HmacSha256,
            other => return Err(SignError::BadLength(other)),
        },
    };
    if received.len() != sign_type.hex_len() {
        return Err(SignError::BadLength(received.len()));
    }

    let expected = signature(fields, key, sign_type);
    // Hex case carries no meaning; the comparison itself must not leak where it differs.
    let mut upper = [0; 64];
    for (slot, byte) in upper.iter_mut().zip(received.bytes()) {
        *slot = byte.to_ascii_uppercase();
    }
    // The length check above keeps the received signature within the 64-byte buffer.
    let received = &upper[..received.len()];
    if bool::from(expected.as_bytes().ct_eq(received)) {
        Ok(sign_type)
    } else {
        Err(SignError::Mismatch(sign_type))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    fn demo_key() -> ApiKey {
        ApiKey::new(DEMO_KEY.into()).unwrap()
    }

    /// WeChat's published signing example (security rules, 4_3).
    fn example_fields() -> Fields {
        [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn string_to_sign_matches_example() {
        assert_eq!(
            string_to_sign(&example_fields(), &demo_key()),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100\
             &nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d"
        );
    }

    #[test]
    fn sign_md5_matches_example() {
        assert_eq!(
            sign(&example_fields(), &demo_key(), SignType::Md5),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
    }

    #[test]
    fn sign_hmac_matches_example() {
        assert_eq!(
            sign(&example_fields(), &demo_key(), SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn string_to_sign_drops_empty_keeps_zero() {
        let mut fields = example_fields();
        fields.insert("attach".into(), String::new());
        fields.insert("coupon_fee".into(), "0".into());
        fields.insert("sign".into(), "ANY".into());
        let text = string_to_sign(&fields, &demo_key());
        assert!(!text.contains("attach"));
        assert!(!text.contains("sign=ANY"));
        assert!(text.contains("&coupon_fee=0&"));
    }

    #[test]
    fn string_to_sign_uses_byte_order() {
        let fields: Fields = [("b", "1"), ("B", "2"), ("a_1", "3"), ("a", "4")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            string_to_sign(&fields, &demo_key()),
            format!("B=2&a=4&a_1=3&b=1&key={DEMO_KEY}")
        );
    }

    #[test]
    fn verify_picks_algorithm_by_length() {
        for sign_type in [SignType::Md5, SignType::HmacSha256] {
            let mut fields = example_fields();
            fields.insert("sign".into(), sign(&fields, &demo_key(), sign_type));
            assert_eq!(verify(&fields, &demo_key()), Ok(sign_type));
        }
    }

    #[test]
    fn verify_honours_sign_type_field() {
        let mut fields = example_fields();
        fields.insert("sign_type".into(), "HMAC-SHA256".into());
        let signature = sign(&fields, &demo_key(), SignType::HmacSha256);
        fields.insert("sign".into(), signature);
        assert_eq!(verify(&fields, &demo_key()), Ok(SignType::HmacSha256));

        fields.insert("sign_type".into(), "MD5".into());
        assert_eq!(verify(&fields, &demo_key()), Err(SignError::BadLength(64)));
        fields.insert("sign_type".into(), "SHA1".into());
        assert!(matches!(
            verify(&fields, &demo_key()),
            Err(SignError::UnknownSignType(_))
        ));
    }

    #[test]
    fn verify_accepts_lower_case_hex() {
        let mut fields = example_fields();
        fields.insert("sign".into(), "9a0a8659f005d6984697e2ca0a9cf3b7".into());
        assert_eq!(verify(&fields, &demo_key()), Ok(SignType::Md5));
    }

    #[test]
    fn verify_rejects_tampering() {
        let mut fields = example_fields();
        fields.insert("sign".into(), "9A0A8659F005D6984697E2CA0A9CF3B7".into());
        fields.insert("body".into(), "test2".into());
        assert_eq!(
            verify(&fields, &demo_key()),
            Err(SignError::Mismatch(SignType::Md5))
        );
    }

    #[test]
    fn verify_covers_unknown_fields() {
        let mut fields = example_fields();
        fields.insert("sign".into(), "9A0A8659F005D6984697E2CA0A9CF3B7".into());
        fields.insert("coupon_id_0".into(), "10000".into());
        assert!(verify(&fields, &demo_key()).is_err());
    }

    #[test]
    fn verify_rejects_missing_and_odd_signs() {
        assert_eq!(
            verify(&example_fields(), &demo_key()),
            Err(SignError::Missing)
        );
        let mut fields = example_fields();
        fields.insert("sign".into(), "ABC".into());
        assert_eq!(verify(&fields, &demo_key()), Err(SignError::BadLength(3)));
    }

    #[test]
    fn sign_type_parses_names() {
        assert_eq!("MD5".parse::<SignType>(), Ok(SignType::Md5));
        assert_eq!("HMAC-SHA256".parse::<SignType>(), Ok(SignType::HmacSha256));
        assert!("md5".parse::<SignType>().is_err());
        assert_eq!(SignType::HmacSha256.as_str(), "HMAC-SHA256");
    }
}
