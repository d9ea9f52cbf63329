//! Connection settings for one Official Account: its credentials, the API host and the
//! OAuth authorize host, a root CA to trust in sandbox mode, and the user action age limit.

use std::time::Duration;

use crate::secret::AppSecret;

/// WeChat's Official Account API host.
pub const LIVE_BASE_URL: &str = "https://api.weixin.qq.com";

/// Host of WeChat's OAuth authorize page, opened inside the WeChat client.
pub const LIVE_AUTHORIZE_BASE_URL: &str = "https://open.weixin.qq.com";

/// Default maximum age of a user action's action_time: the 7-day default attribution
/// window of the ads platform.
// NOTE: WeChat does not document how old an action_time may be; 7 days is a guess.
pub const DEFAULT_MAX_ACTION_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Settings for one Official Account.
#[derive(Debug, Clone)]
pub struct MpConfig {
    pub appid: String,
    pub secret: AppSecret,
    /// Base URL of the API host. A trailing slash is ignored.
    pub base_url: String,
    /// Base URL that serves `/connect/oauth2/authorize`. A trailing slash is ignored.
    pub authorize_base_url: String,
    /// PEM of an extra root certificate to trust, such as the sandbox's local CA.
    pub extra_root_ca_pem: Option<String>,
    /// Oldest action_time accepted by user action validation, counted back from now.
    pub max_action_age: Duration,
}

impl MpConfig {
    /// Builds settings that talk to WeChat's own hosts.
    pub fn live(appid: impl Into<String>, secret: AppSecret) -> Self {
        Self {
            appid: appid.into(),
            secret,
            base_url: LIVE_BASE_URL.to_owned(),
            authorize_base_url: LIVE_AUTHORIZE_BASE_URL.to_owned(),
            extra_root_ca_pem: None,
            max_action_age: DEFAULT_MAX_ACTION_AGE,
        }
    }

    /// Builds settings for a simulator that serves the API and the authorize page from
    /// one base URL, trusting `root_ca_pem` when it is given.
    pub fn sandbox(
        appid: impl Into<String>,
        secret: AppSecret,
        base_url: impl Into<String>,
        root_ca_pem: Option<String>,
    ) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        Self {
            appid: appid.into(),
            secret,
            authorize_base_url: base_url.clone(),
            base_url,
            extra_root_ca_pem: root_ca_pem,
            max_action_age: DEFAULT_MAX_ACTION_AGE,
        }
    }
}
