//! The merchant's API key (商户平台 API 密钥): the shared secret behind every v2
//! signature and the refund notify's encryption key. It never prints.

use std::fmt;

/// Length of a v2 API key, fixed by the merchant platform (security rules, 4_3).
pub const API_KEY_LEN: usize = 32;

/// A key that is not 32 ASCII letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("invalid API key: it has {0} characters, expected 32 letters and digits")]
    Length(usize),
    #[error("invalid API key: only letters A-Z, a-z and digits 0-9 are allowed")]
    Charset,
}

/// The 32-character v2 API key. `Debug` prints a mask; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks the merchant platform's format: exactly 32 of `[0-9A-Za-z]`.
    pub fn new(key: String) -> Result<ApiKey, KeyError> {
        if key.chars().count() != API_KEY_LEN {
            return Err(KeyError::Length(key.chars().count()));
        }
        if !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(KeyError::Charset);
        }
        Ok(ApiKey(key))
    }

    /// Returns the key itself, for signing and decryption only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_accepts_demo_key() {
        let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap();
        assert_eq!(key.expose(), "192006250b4c09247ec02edce69f6a2d");
    }

    #[test]
    fn api_key_debug_is_masked() {
        let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(****)");
    }

    #[test]
    fn api_key_rejects_bad_input() {
        assert_eq!(ApiKey::new("short".into()), Err(KeyError::Length(5)));
        assert_eq!(
            ApiKey::new("192006250b4c09247ec02edce69f6a2-".into()),
            Err(KeyError::Charset)
        );
        assert_eq!(
            ApiKey::new("192006250b4c09247ec02edce69f6a2中".into()),
            Err(KeyError::Charset)
        );
    }
}
