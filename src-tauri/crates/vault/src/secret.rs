//! The secret value wrapper and the kinds of secret a merchant profile has.
//! A `Secret` prints as a mask and its memory is zeroed on drop.

use std::fmt;

use zeroize::Zeroizing;

/// A secret text value. Debug prints a mask, there is no Display, and the buffer is zeroed
/// when the value is dropped.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// Returns the secret text, for the one place that must send or sign with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// The secrets one merchant profile can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// Pay API v2 key (32 characters) used for MD5 and HMAC-SHA256 signatures.
    ApiKey,
    /// Official Account AppSecret used to get an access_token.
    AppSecret,
    /// Merchant client certificate (PEM) for the /secapi paths.
    ClientCertPem,
    /// Private key (PEM) of the merchant client certificate.
    ClientKeyPem,
}

impl SecretKind {
    pub const ALL: [SecretKind; 4] = [
        SecretKind::ApiKey,
        SecretKind::AppSecret,
        SecretKind::ClientCertPem,
        SecretKind::ClientKeyPem,
    ];

    /// Returns the stable name used in keyring entry names.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::ApiKey => "api_key",
            SecretKind::AppSecret => "app_secret",
            SecretKind::ClientCertPem => "client_cert_pem",
            SecretKind::ClientKeyPem => "client_key_pem",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_value() {
        let secret = Secret::new("0123456789abcdefghijABCDEFGHIJ01".to_owned());

        let printed = format!("{secret:?}");

        assert_eq!(printed, "Secret(****)");
        assert!(!printed.contains("0123"));
    }

    #[test]
    fn expose_returns_value() {
        let secret = Secret::from("pem text".to_owned());

        assert_eq!(secret.expose(), "pem text");
    }

    #[test]
    fn kind_names_are_distinct() {
        let mut names: Vec<&str> = SecretKind::ALL.iter().map(|kind| kind.as_str()).collect();
        names.sort_unstable();
        names.dedup();

        assert_eq!(names.len(), SecretKind::ALL.len());
    }
}
