//! Web page OAuth with scope snsapi_base: the authorize URL that silently redirects back
//! with a code, and the exchange of that code for the visitor's openid.

use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::client::{send, MpClient};
use crate::error::MpError;

const AUTHORIZE_PATH: &str = "/connect/oauth2/authorize";
const EXCHANGE_ENDPOINT: &str = "/sns/oauth2/access_token";

/// Maximum length of `state`, which WeChat echoes back on the redirect.
const MAX_STATE_BYTES: usize = 128;

/// The identity returned for an OAuth code. The user access_token and refresh_token of
/// the reply are dropped: snsapi_base needs only the openid, and nothing else should
/// hold those credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthToken {
    pub openid: String,
    /// Granted scope, `snsapi_base` for this flow.
    pub scope: String,
    /// Lifetime of the dropped user access_token, in seconds.
    pub expires_in: u64,
    /// Present when the Official Account is bound to an Open Platform account.
    #[serde(default)]
    pub unionid: Option<String>,
    /// 1 when the visitor only viewed a snapshot page and has no real openid yet.
    #[serde(default)]
    pub is_snapshotuser: Option<u8>,
}

impl MpClient {
    /// Builds the snsapi_base authorize URL for `redirect_uri`, to open inside WeChat.
    /// `state` is echoed back on the redirect and may hold up to 128 letters and digits.
    pub fn oauth_authorize_url(&self, redirect_uri: &str, state: &str) -> Result<String, MpError> {
        let redirect = Url::parse(redirect_uri).map_err(|error| MpError::InvalidInput {
            field: "redirect_uri",
            reason: format!("{redirect_uri:?} is not an absolute URL ({error})"),
        })?;
        if !matches!(redirect.scheme(), "http" | "https") {
            return Err(MpError::InvalidInput {
                field: "redirect_uri",
                reason: format!("{redirect_uri:?} must use http or https"),
            });
        }
        if state.len() > MAX_STATE_BYTES || !state.bytes().all(|byte| byte.is_ascii_alphanumeric())
        {
            return Err(MpError::InvalidInput {
                field: "state",
                reason: format!("use at most {MAX_STATE_BYTES} letters and digits, got {state:?}"),
            });
        }

        let base = self.inner.config.authorize_base_url.trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{AUTHORIZE_PATH}")).map_err(|error| {
            MpError::InvalidInput {
                field: "authorize_base_url",
                reason: format!("{base:?} is not an absolute URL ({error})"),
            }
        })?;
        // WeChat matches the authorize link strictly, so the parameters keep the documented
        // order and the #wechat_redirect fragment (web page authorisation, Official Account docs).
        url.query_pairs_mut()
            .append_pair("appid", &self.inner.config.appid)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", "snsapi_base")
            .append_pair("state", state);
        url.set_fragment(Some("wechat_redirect"));
        Ok(url.into())
    }

    /// Exchanges an OAuth code for the visitor's openid. A code is valid for 5 minutes
    /// and works once: WeChat returns 40029 for an invalid code and 40163 for a used one.
    pub async fn exchange_oauth_code(&self, code: &str) -> Result<OAuthToken, MpError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(MpError::InvalidInput {
                field: "code",
                reason: "the code is empty: paste the code or the whole redirect URL".into(),
            });
        }

        let config = &self.inner.config;
        let request = self.inner.http.get(self.url(EXCHANGE_ENDPOINT)).query(&[
            ("appid", config.appid.as_str()),
            ("secret", config.secret.expose()),
            ("code", code),
            ("grant_type", "authorization_code"),
        ]);
        let reply = send(EXCHANGE_ENDPOINT, request)
            .await?
            .into_success(EXCHANGE_ENDPOINT)?;

        serde_json::from_value(reply.json).map_err(|error| MpError::BadReply {
            endpoint: EXCHANGE_ENDPOINT,
            detail: error.to_string(),
        })
    }
}

/// Takes the OAuth code from what a person pasted: the redirect URL WeChat opened, or
/// the bare code. Returns `None` when a URL carries no `code` parameter or the text is
/// not a plausible code.
pub fn oauth_code_from_input(input: &str) -> Option<String> {
    let input = input.trim();
    if let Ok(url) = Url::parse(input) {
        return url
            .query_pairs()
            .find(|(name, _)| name == "code")
            .map(|(_, value)| value.into_owned())
            .filter(|code| !code.is_empty());
    }
    let plausible = !input.is_empty()
        && input
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
    plausible.then(|| input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_taken_from_redirect_url() {
        let pasted = "https://shop.example/back?code=061AbcDef&state=s1";
        assert_eq!(oauth_code_from_input(pasted), Some("061AbcDef".into()));
    }

    #[test]
    fn bare_code_accepted() {
        assert_eq!(
            oauth_code_from_input("  061AbcDef \n"),
            Some("061AbcDef".into())
        );
    }

    #[test]
    fn url_without_code_rejected() {
        assert_eq!(
            oauth_code_from_input("https://shop.example/back?state=s1"),
            None
        );
        assert_eq!(oauth_code_from_input("not a code"), None);
        assert_eq!(oauth_code_from_input(""), None);
    }
}
