//! Credential types whose Debug output is masked and which have no Display, so an
//! AppSecret or access_token never reaches a log line or an error message by accident.

use std::fmt;

/// The Official Account's AppSecret (公众平台 → 设置与开发 → 基本配置).
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(String);

impl AppSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Returns the secret text, for the request that must carry it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(****)")
    }
}

/// An access_token for the Official Account APIs.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// Returns the token text, for the query string of an API call.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_app_secret() {
        let secret = AppSecret::new("0123456789abcdef0123456789abcdef");
        assert_eq!(format!("{secret:?}"), "AppSecret(****)");
        assert_eq!(secret.expose(), "0123456789abcdef0123456789abcdef");
    }

    #[test]
    fn debug_masks_access_token() {
        let token = AccessToken::new("ACCESS_TOKEN_TEXT");
        assert!(!format!("{token:?}").contains("ACCESS_TOKEN_TEXT"));
    }
}
