//! The Tools screen's Official Account helpers: the access_token's lifetime and a forced
//! refresh, and the snsapi_base OAuth flow from authorize link to openid. In sandbox mode
//! the simulator's authorize page is fetched from here, so the flow works offline.

use std::time::Duration;

use reqwest::header::LOCATION;

use crate::dto::{AppError, OAuthIdentity, OAuthLink, SandboxRedirect, TokenStatusView};
use crate::{sandbox_panel, translate, Console};

/// Upper bound on one request to the simulator's authorize page.
const AUTHORIZE_TIMEOUT: Duration = Duration::from_secs(10);

impl Console {
    /// Returns when the cached access_token was fetched and when it expires.
    pub fn token_status(&self) -> TokenStatusView {
        let status = self.inner.clients.mp.token_status();
        TokenStatusView {
            appid: self.inner.profile.appid.clone(),
            fetched_at: status.map(|status| status.fetched_at.timestamp()),
            expires_at: status.map(|status| status.expires_at.timestamp()),
        }
    }

    /// Fetches a new access_token with force_refresh, which WeChat allows 20 times a day.
    pub async fn refresh_access_token(&self) -> Result<TokenStatusView, AppError> {
        self.inner
            .clients
            .mp
            .force_refresh_token()
            .await
            .map_err(translate::mp_error)?;
        tracing::info!(appid = %self.inner.profile.appid, "access_token refreshed");
        Ok(self.token_status())
    }

    /// Builds the snsapi_base authorize link that sends a visitor back to `redirect_uri`
    /// with a code and `state`.
    pub fn oauth_authorize_link(
        &self,
        redirect_uri: &str,
        state: &str,
    ) -> Result<OAuthLink, AppError> {
        let redirect_uri = redirect_uri.trim();
        let state = state.trim();
        let url = self
            .inner
            .clients
            .mp
            .oauth_authorize_url(redirect_uri, state)
            .map_err(translate::mp_error)?;
        Ok(OAuthLink {
            url,
            redirect_uri: redirect_uri.to_owned(),
            state: state.to_owned(),
        })
    }

    /// Opens the simulator's authorize page as a visitor's WeChat would, and returns the
    /// redirect it sends back. Sandbox mode only.
    pub async fn sandbox_authorize(
        &self,
        redirect_uri: &str,
        state: &str,
    ) -> Result<SandboxRedirect, AppError> {
        let handle = self.sandbox().ok_or_else(sandbox_panel::not_sandbox)?;
        let link = self.oauth_authorize_link(redirect_uri, state)?;
        // The link must point at the simulator; nothing here may reach another host.
        if !link.url.starts_with(&format!("{}/", handle.base_url)) {
            return Err(authorize_failed(&format!(
                "the authorize link {} is not on the simulator",
                link.url
            )));
        }

        let client = sandbox_panel::loopback_client(handle, AUTHORIZE_TIMEOUT)?;
        let reply = client
            .get(&link.url)
            .send()
            .await
            .map_err(|error| authorize_failed(&error.without_url().to_string()))?;
        let status = reply.status();
        let location = reply
            .headers()
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let Some(redirect_url) = location.filter(|_| status.is_redirection()) else {
            let body = reply.text().await.unwrap_or_default();
            return Err(authorize_failed(&format!("HTTP {status}: {body}")));
        };
        let code = wxmp::oauth_code_from_input(&redirect_url)
            .ok_or_else(|| authorize_failed(&format!("no code in {redirect_url}")))?;
        Ok(SandboxRedirect { redirect_url, code })
    }

    /// Exchanges the code in `pasted` (a redirect URL or the bare code) for the visitor's
    /// openid. A code works once and for five minutes (errcodes 40163 and 40029).
    pub async fn exchange_oauth_code(&self, pasted: &str) -> Result<OAuthIdentity, AppError> {
        let code = wxmp::oauth_code_from_input(pasted).ok_or_else(|| code_missing(pasted))?;
        let token = self
            .inner
            .clients
            .mp
            .exchange_oauth_code(&code)
            .await
            .map_err(translate::mp_error)?;
        Ok(OAuthIdentity {
            code,
            openid: token.openid,
            scope: token.scope,
            unionid: token.unionid,
            is_snapshot_user: token.is_snapshotuser == Some(1),
        })
    }
}

fn code_missing(pasted: &str) -> AppError {
    let shown: String = pasted.trim().chars().take(80).collect();
    AppError {
        code: "OAUTH_CODE_MISSING".to_owned(),
        message_zh: format!(
            "在“{shown}”中找不到 code。请粘贴授权后跳转到的完整网址（含 ?code=…），或只粘贴 code 本身。"
        ),
        message_en: format!(
            "No code was found in \"{shown}\". Paste the whole URL the authorization redirected \
             to (with ?code=…), or the code alone."
        ),
        retryable: false,
    }
}

fn authorize_failed(detail: &str) -> AppError {
    tracing::warn!(detail, "the simulator's authorize page failed");
    AppError {
        code: "SANDBOX_AUTHORIZE_FAILED".to_owned(),
        message_zh: format!(
            "模拟器的授权页没有返回带 code 的跳转：{detail}。请检查回调地址后重试。"
        ),
        message_en: format!(
            "The simulator's authorize page did not redirect with a code: {detail}. Check the \
             redirect URI, then try again."
        ),
        retryable: true,
    }
}
