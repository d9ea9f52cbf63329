//! The Official Account client: one HTTPS client, the settings, and the token cache shared
//! by every API call. Calls that carry an access_token retry once with a new token when
//! WeChat reports the token as invalid (40001) or expired (42001).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, Response, StatusCode, Url};
use serde_json::Value;

use crate::config::MpConfig;
use crate::error::MpError;
use crate::secret::AccessToken;
use crate::token::TokenCache;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Maximum number of characters of an unexpected HTTP error body kept in an error.
const MAX_ERROR_BODY_CHARS: usize = 500;

/// Client for one Official Account. Cloning is cheap, and clones share the token cache,
/// so the app should keep one client per account: two token owners break each other.
#[derive(Debug, Clone)]
pub struct MpClient {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: MpConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: TokenCache,
}

/// A JSON reply of an Official Account API, with `errcode` 0 when WeChat left it out
/// (successful token and OAuth replies carry none).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) text: String,
    pub(crate) json: Value,
    pub(crate) errcode: i64,
    pub(crate) errmsg: String,
}

impl Reply {
    /// Turns a non-zero errcode into [`MpError::WeChat`].
    pub(crate) fn into_success(self, endpoint: &'static str) -> Result<Reply, MpError> {
        if self.errcode == 0 {
            return Ok(self);
        }
        Err(MpError::WeChat {
            endpoint,
            errcode: self.errcode,
            errmsg: self.errmsg,
        })
    }
}

impl MpClient {
    pub fn new(config: MpConfig) -> Result<Self, MpError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("wxmp/", env!("CARGO_PKG_VERSION")));

        if let Some(pem) = &config.extra_root_ca_pem {
            for certificate in parse_root_certificates(pem)? {
                builder = builder.add_root_certificate(certificate);
            }
        }
        // A simulator on loopback must be reached directly, never through a proxy
        // named in the environment.
        if is_loopback(&config.base_url) {
            builder = builder.no_proxy();
        }

        let http = builder.build().map_err(MpError::Client)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                http,
                tokens: TokenCache::default(),
            }),
        })
    }

    pub fn config(&self) -> &MpConfig {
        &self.inner.config
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.config.base_url.trim_end_matches('/'))
    }

    /// Sends a request built for the current access_token. When WeChat rejects the token
    /// with 40001 or 42001, drops it from the cache and sends once more with a new one.
    pub(crate) async fn send_with_token(
        &self,
        endpoint: &'static str,
        build: impl Fn(&AccessToken) -> RequestBuilder,
    ) -> Result<Reply, MpError> {
        let token = self.access_token().await?;
        let reply = send(endpoint, build(&token)).await?;
        if !self.drop_rejected_token(endpoint, &reply, &token) {
            return Ok(reply);
        }

        let token = self.access_token().await?;
        let reply = send(endpoint, build(&token)).await?;
        self.drop_rejected_token(endpoint, &reply, &token);
        Ok(reply)
    }

    /// Drops `token` from the cache when `reply` rejects it, and returns whether it did.
    fn drop_rejected_token(
        &self,
        endpoint: &'static str,
        reply: &Reply,
        token: &AccessToken,
    ) -> bool {
        if !matches!(reply.errcode, 40001 | 42001) {
            return false;
        }
        tracing::warn!(
            endpoint,
            errcode = reply.errcode,
            errmsg = %reply.errmsg,
            "WeChat rejected the access_token, dropping it from the cache"
        );
        self.inner.tokens.invalidate(token);
        true
    }
}

/// Sends a request and reads its JSON reply.
pub(crate) async fn send(
    endpoint: &'static str,
    request: RequestBuilder,
) -> Result<Reply, MpError> {
    let started = Instant::now();
    let response = request
        .send()
        .await
        .map_err(|source| http_error(endpoint, source))?;
    let reply = read_reply(endpoint, response).await;
    tracing::debug!(
        endpoint,
        elapsed_ms = started.elapsed().as_millis() as u64,
        errcode = reply.as_ref().map(|reply| reply.errcode).ok(),
        "Official Account API call finished"
    );
    reply
}

async fn read_reply(endpoint: &'static str, response: Response) -> Result<Reply, MpError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|source| http_error(endpoint, source))?;
    let parsed = serde_json::from_str::<Value>(&text);

    let json = match parsed {
        Ok(json @ Value::Object(_)) => json,
        Ok(_) => {
            return Err(MpError::BadReply {
                endpoint,
                detail: "the reply is not a JSON object".to_owned(),
            })
        }
        Err(_) if !status.is_success() => return Err(status_error(endpoint, status, &text)),
        Err(error) => {
            return Err(MpError::BadReply {
                endpoint,
                detail: error.to_string(),
            })
        }
    };

    let errcode = json.get("errcode").and_then(Value::as_i64);
    // An HTTP failure without an errcode must not pass for success (errcode 0).
    if !status.is_success() && errcode.is_none_or(|errcode| errcode == 0) {
        return Err(status_error(endpoint, status, &text));
    }
    let errmsg = json
        .get("errmsg")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(Reply {
        text,
        json,
        errcode: errcode.unwrap_or(0),
        errmsg,
    })
}

fn status_error(endpoint: &'static str, status: StatusCode, body: &str) -> MpError {
    MpError::HttpStatus {
        endpoint,
        status: status.as_u16(),
        body: body.chars().take(MAX_ERROR_BODY_CHARS).collect(),
    }
}

/// Parses the PEM of extra root certificates. reqwest skips text that contains no
/// certificate, which would only show up later as a TLS failure, so that is an error here.
fn parse_root_certificates(pem: &str) -> Result<Vec<reqwest::Certificate>, MpError> {
    let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .map_err(|error| MpError::InvalidRootCa(error.to_string()))?;
    if certificates.is_empty() {
        return Err(MpError::InvalidRootCa(
            "no BEGIN CERTIFICATE block found".to_owned(),
        ));
    }
    Ok(certificates)
}

/// Drops the URL from a reqwest error because its query string carries credentials.
fn http_error(endpoint: &'static str, source: reqwest::Error) -> MpError {
    MpError::Http {
        endpoint,
        source: source.without_url(),
    }
}

fn is_loopback(base_url: &str) -> bool {
    let Ok(url) = Url::parse(base_url) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    if host == "localhost" {
        return true;
    }
    let address = host.trim_start_matches('[').trim_end_matches(']');
    address
        .parse::<IpAddr>()
        .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_detected() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("https://localhost"));
        assert!(is_loopback("https://[::1]:9000"));
        assert!(!is_loopback("https://api.weixin.qq.com"));
        assert!(!is_loopback("not a url"));
    }
}
