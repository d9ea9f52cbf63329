//! The settings a `PayClient` needs for one merchant: its identifiers, API key,
//! hosts, the extra CA a sandbox uses, and the client certificate for refunds.

use std::fmt;

use crate::error::ConfigError;
use crate::ApiKey;

/// WeChat's production host (pay API v2 basics).
pub const LIVE_PRIMARY: &str = "https://api.mch.weixin.qq.com";
/// WeChat's backup host, for use when the primary cannot be reached.
pub const LIVE_BACKUP: &str = "https://api2.mch.weixin.qq.com";

/// Base URLs of the pay API, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hosts {
    pub primary: String,
    /// Tried after a connection failure to the primary, for calls safe to repeat.
    pub backup: Option<String>,
}

impl Hosts {
    /// WeChat's live hosts.
    pub fn live() -> Hosts {
        Hosts {
            primary: LIVE_PRIMARY.to_owned(),
            backup: Some(LIVE_BACKUP.to_owned()),
        }
    }

    /// Builds hosts with one base URL and no backup, as a sandbox serves.
    pub fn single(base_url: impl Into<String>) -> Hosts {
        Hosts {
            primary: base_url.into(),
            backup: None,
        }
    }
}

/// The merchant's API client certificate (apiclient_cert.pem) and its private key
/// (apiclient_key.pem). `Debug` leaves the key out.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    pub cert_pem: String,
    pub key_pem: String,
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("cert_pem", &format_args!("{} bytes", self.cert_pem.len()))
            .field("key_pem", &format_args!("****"))
            .finish()
    }
}

/// One merchant's settings for the pay API.
#[derive(Debug, Clone)]
pub struct PayConfig {
    pub appid: String,
    pub mch_id: String,
    pub key: ApiKey,
    pub hosts: Hosts,
    /// A PEM root certificate to trust besides the public roots (the sandbox's CA).
    pub extra_root_ca_pem: Option<String>,
    /// Needed for refunds only.
    pub client_identity: Option<ClientIdentity>,
}

impl PayConfig {
    /// Builds a config with no extra CA and no client certificate.
    pub fn new(
        appid: impl Into<String>,
        mch_id: impl Into<String>,
        key: ApiKey,
        hosts: Hosts,
    ) -> Self {
        PayConfig {
            appid: appid.into(),
            mch_id: mch_id.into(),
            key,
            hosts,
            extra_root_ca_pem: None,
            client_identity: None,
        }
    }

    /// Checks identifiers and base URLs, returning the base URLs without trailing slashes.
    pub(crate) fn validated_hosts(&self) -> Result<(String, Option<String>), ConfigError> {
        if self.appid.is_empty() || self.appid.len() > 32 {
            return Err(ConfigError::InvalidIdentifier {
                field: "appid",
                reason: "must be 1 to 32 characters".into(),
            });
        }
        if self.mch_id.is_empty() || !self.mch_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::InvalidIdentifier {
                field: "mch_id",
                reason: "must be digits".into(),
            });
        }
        let primary = base_url(&self.hosts.primary)?;
        let backup = self.hosts.backup.as_deref().map(base_url).transpose()?;
        Ok((primary, backup))
    }
}

/// Accepts https, or plain http to a loopback address only, because a signed request
/// sent in clear text to another host would expose the merchant's traffic.
fn base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = url.trim_end_matches('/');
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| invalid("must start with https://"))?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(invalid("must be a scheme and host, with an optional path"));
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = host_of(authority);
    match scheme {
        "https" => Ok(trimmed.to_owned()),
        "http" if is_loopback(host) => Ok(trimmed.to_owned()),
        "http" => Err(invalid("plain http is allowed for loopback addresses only")),
        _ => Err(invalid("must start with https://")),
    }
}

fn host_of(authority: &str) -> &str {
    if let Some(bracketed) = authority.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or(bracketed);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_allows_https_and_loopback_http() {
        assert_eq!(
            base_url("https://api.mch.weixin.qq.com/").unwrap(),
            "https://api.mch.weixin.qq.com"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            base_url("http://[::1]:8080/sandbox").unwrap(),
            "http://[::1]:8080/sandbox"
        );
        assert!(base_url("http://localhost:1").is_ok());
    }

    #[test]
    fn base_url_rejects_plain_http_elsewhere() {
        assert!(base_url("http://api.mch.weixin.qq.com").is_err());
        assert!(base_url("http://127.0.0.1.example:80").is_err());
        assert!(base_url("ftp://127.0.0.1").is_err());
        assert!(base_url("https://host/?a=1").is_err());
        assert!(base_url("api.mch.weixin.qq.com").is_err());
    }

    #[test]
    fn identity_debug_hides_key() {
        let identity = ClientIdentity {
            cert_pem: "CERT".into(),
            key_pem: "-----BEGIN PRIVATE KEY-----SECRET".into(),
        };
        let printed = format!("{identity:?}");
        assert!(!printed.contains("SECRET"));
        assert!(printed.contains("****"));
    }
}
