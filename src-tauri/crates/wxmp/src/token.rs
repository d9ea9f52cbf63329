//! The access_token from cgi-bin/stable_token: cached with its expiry, fetched again
//! shortly before it expires, and fetched by one caller at a time so that concurrent
//! calls share a single request.

use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::client::{send, MpClient};
use crate::error::MpError;
use crate::secret::AccessToken;

const STABLE_TOKEN_ENDPOINT: &str = "/cgi-bin/stable_token";

/// How long before expiry a token is fetched again. WeChat hands out the next token in
/// the last 5 minutes of the current one (stable_token, normal mode).
const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// Upper bound on the expires_in taken from a reply. WeChat issues 7200-second tokens, and
/// the bound keeps a corrupt value from overflowing the expiry arithmetic.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// When the cached token was fetched and when it expires, for the Tools screen. The
/// token itself is left out on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TokenStatus {
    pub fetched_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug)]
struct CachedToken {
    token: AccessToken,
    status: TokenStatus,
    /// Monotonic time after which the token is fetched again.
    refresh_at: Instant,
}

/// Token cache with a fetch lock. Readers take the cached token without waiting. A caller
/// that finds it stale takes the fetch lock, so callers queued behind it find the new
/// token in the cache instead of fetching again.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    cached: RwLock<Option<CachedToken>>,
    fetch_lock: tokio::sync::Mutex<()>,
}

impl TokenCache {
    fn fresh(&self, now: Instant) -> Option<AccessToken> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|cached| now < cached.refresh_at)
            .map(|cached| cached.token.clone())
    }

    fn status(&self) -> Option<TokenStatus> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached.as_ref().map(|cached| cached.status)
    }

    fn store(&self, token: AccessToken, expires_in: Duration, now: Instant) -> TokenStatus {
        let expires_in = expires_in.min(MAX_TOKEN_LIFETIME);
        // A token shorter-lived than twice the margin is kept for half its life, so a
        // short expires_in never makes every call fetch again.
        let margin = REFRESH_AHEAD.min(expires_in / 2);
        let fetched_at = Utc::now();
        let lifetime = chrono::Duration::from_std(expires_in).unwrap_or(chrono::Duration::MAX);
        let status = TokenStatus {
            fetched_at,
            expires_at: fetched_at
                .checked_add_signed(lifetime)
                .unwrap_or(fetched_at),
        };

        let mut cached = self.cached.write().unwrap_or_else(PoisonError::into_inner);
        *cached = Some(CachedToken {
            token,
            status,
            refresh_at: now + (expires_in - margin),
        });
        status
    }

    /// Drops `token` from the cache unless another caller already replaced it.
    pub(crate) fn invalidate(&self, token: &AccessToken) {
        let mut cached = self.cached.write().unwrap_or_else(PoisonError::into_inner);
        if cached.as_ref().is_some_and(|cached| &cached.token == token) {
            *cached = None;
        }
    }
}

#[derive(Deserialize)]
struct StableTokenReply {
    access_token: String,
    expires_in: u64,
}

impl MpClient {
    /// Returns the cached access_token, fetching one from cgi-bin/stable_token when none
    /// is cached or the cached one expires within 5 minutes.
    pub async fn access_token(&self) -> Result<AccessToken, MpError> {
        let tokens = &self.inner.tokens;
        if let Some(token) = tokens.fresh(Instant::now()) {
            return Ok(token);
        }

        let _fetching = tokens.fetch_lock.lock().await;
        if let Some(token) = tokens.fresh(Instant::now()) {
            return Ok(token);
        }
        let (token, _) = self.fetch_token(false).await?;
        Ok(token)
    }

    /// Fetches a new access_token with `force_refresh: true`, which invalidates the old
    /// one. WeChat allows 20 forced refreshes a day, 30 seconds apart.
    pub async fn force_refresh_token(&self) -> Result<TokenStatus, MpError> {
        let _fetching = self.inner.tokens.fetch_lock.lock().await;
        let (_, status) = self.fetch_token(true).await?;
        Ok(status)
    }

    /// Returns when the cached token was fetched and when it expires, or `None` before
    /// the first fetch and after WeChat rejected the cached token.
    pub fn token_status(&self) -> Option<TokenStatus> {
        self.inner.tokens.status()
    }

    /// Fetches a token and caches it. The caller holds the fetch lock.
    async fn fetch_token(
        &self,
        force_refresh: bool,
    ) -> Result<(AccessToken, TokenStatus), MpError> {
        let config = &self.inner.config;
        let body = json!({
            "grant_type": "client_credential",
            "appid": config.appid,
            "secret": config.secret.expose(),
            "force_refresh": force_refresh,
        });
        let request = self
            .inner
            .http
            .post(self.url(STABLE_TOKEN_ENDPOINT))
            .json(&body);
        let reply = send(STABLE_TOKEN_ENDPOINT, request)
            .await?
            .into_success(STABLE_TOKEN_ENDPOINT)
            .inspect_err(
                |error| tracing::warn!(appid = %config.appid, %error, "access_token fetch failed"),
            )?;

        let parsed: StableTokenReply =
            serde_json::from_value(reply.json).map_err(|error| MpError::BadReply {
                endpoint: STABLE_TOKEN_ENDPOINT,
                detail: error.to_string(),
            })?;
        let token = AccessToken::new(parsed.access_token);
        let expires_in = Duration::from_secs(parsed.expires_in);
        let status = self
            .inner
            .tokens
            .store(token.clone(), expires_in, Instant::now());
        tracing::info!(
            appid = %config.appid,
            force_refresh,
            expires_in = parsed.expires_in,
            "fetched access_token"
        );
        Ok((token, status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_HOURS: Duration = Duration::from_secs(7200);

    #[test]
    fn token_refreshed_five_minutes_early() {
        let cache = TokenCache::default();
        let start = Instant::now();
        cache.store(AccessToken::new("first"), TWO_HOURS, start);

        let just_before = start + Duration::from_secs(7200 - 300 - 1);
        assert_eq!(cache.fresh(just_before), Some(AccessToken::new("first")));
        let at_margin = start + Duration::from_secs(7200 - 300);
        assert_eq!(cache.fresh(at_margin), None);
    }

    #[test]
    fn short_token_kept_half_its_life() {
        let cache = TokenCache::default();
        let start = Instant::now();
        cache.store(AccessToken::new("short"), Duration::from_secs(200), start);

        assert!(cache.fresh(start + Duration::from_secs(99)).is_some());
        assert!(cache.fresh(start + Duration::from_secs(100)).is_none());
    }

    #[test]
    fn status_spans_expires_in() {
        let cache = TokenCache::default();
        assert_eq!(cache.status(), None);

        let status = cache.store(AccessToken::new("t"), TWO_HOURS, Instant::now());
        assert_eq!(
            status.expires_at - status.fetched_at,
            chrono::Duration::seconds(7200)
        );
        assert_eq!(cache.status(), Some(status));
    }

    #[test]
    fn invalidate_spares_newer_token() {
        let cache = TokenCache::default();
        let now = Instant::now();
        cache.store(AccessToken::new("new"), TWO_HOURS, now);

        cache.invalidate(&AccessToken::new("old"));
        assert_eq!(cache.fresh(now), Some(AccessToken::new("new")));

        cache.invalidate(&AccessToken::new("new"));
        assert_eq!(cache.fresh(now), None);
        assert_eq!(cache.status(), None);
    }
}
