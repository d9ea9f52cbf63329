//! Test ad conversions: building a user action from the ads form, the exact JSON body that
//! user_actions/add will receive, sending it with an access_token, and the log of each
//! action sent with WeChat's reply explained.

use chrono::Utc;
use store::{AdAction, NewAdAction};
use wxmp::UserAction;

use crate::dto::{AdActionView, AppError, UserActionInput, UserActionPreview};
use crate::{translate, Console};

/// Rows of the action log the ads screen shows.
const LOG_ROWS: u32 = 200;
/// Data source type for Official Account web pages (marketing API, user_action_sets).
const WEB_DATA_SOURCE: &str = "WEB";

impl Console {
    pub async fn preview_user_action(
        &self,
        input: UserActionInput,
    ) -> Result<UserActionPreview, AppError> {
        let action = self.user_action(&input).await?;
        Ok(UserActionPreview {
            body: wxmp::user_actions_body(std::slice::from_ref(&action)).to_string(),
            endpoint: "/marketing/user_actions/add?version=v1.0".to_owned(),
            user_action_set_id: action.user_action_set_id as i64,
        })
    }

    /// Sends one action and logs it with WeChat's reply, whatever the errcode.
    pub async fn send_user_action(&self, input: UserActionInput) -> Result<AdActionView, AppError> {
        let action = self.user_action(&input).await?;
        let reply = self
            .inner
            .clients
            .mp
            .add_user_actions(std::slice::from_ref(&action))
            .await
            .map_err(translate::mp_error)?;

        let entry = NewAdAction {
            at: Utc::now(),
            action_type: action.action_type.clone(),
            out_trade_no: None,
            request_json: parse_or_text(&reply.request_body),
            response_json: Some(parse_or_text(&reply.raw)),
            errcode: Some(reply.errcode),
            errmsg: Some(reply.errmsg.clone()),
        };
        let profile_id = self.profile_id().to_owned();
        let logged = self
            .with_store(move |store| {
                let id = store.insert_ad_action(&profile_id, &entry)?;
                Ok(AdAction {
                    id,
                    profile_id,
                    at: entry.at,
                    action_type: entry.action_type,
                    out_trade_no: entry.out_trade_no,
                    request_json: entry.request_json,
                    response_json: entry.response_json,
                    errcode: entry.errcode,
                    errmsg: entry.errmsg,
                })
            })
            .await?;

        // The log keeps the bodies as JSON values; the reply to this send shows the texts
        // exactly as they crossed the wire.
        let mut view = ad_action_view(&logged);
        view.request_body = reply.request_body;
        view.response_body = reply.raw;
        Ok(view)
    }

    pub async fn ad_actions(&self) -> Result<Vec<AdActionView>, AppError> {
        let profile_id = self.profile_id().to_owned();
        let actions = self
            .with_store(move |store| store.list_ad_actions(&profile_id, None, LOG_ROWS))
            .await?;
        Ok(actions.iter().map(ad_action_view).collect())
    }

    async fn user_action(&self, input: &UserActionInput) -> Result<UserAction, AppError> {
        let openid = trimmed(&input.openid);
        Ok(UserAction {
            user_action_set_id: self.user_action_set_id().await?,
            url: trimmed(&input.url),
            action_time: input.action_time.unwrap_or_else(|| Utc::now().timestamp()),
            action_type: input.action_type.trim().to_owned(),
            wechat_app_id: openid.as_ref().map(|_| self.inner.profile.appid.clone()),
            wechat_openid: openid,
            click_id: trimmed(&input.click_id),
            claim_type: input.claim_type,
            value: input.value,
        })
    }

    /// Returns the account's WEB data source, creating it when the account has none.
    async fn user_action_set_id(&self) -> Result<u64, AppError> {
        self.inner
            .user_action_set_id
            .get_or_try_init(|| async {
                let mp = &self.inner.clients.mp;
                let sets = mp
                    .get_user_action_sets()
                    .await
                    .map_err(translate::mp_error)?;
                if let Some(set) = sets.iter().find(|set| set.set_type == WEB_DATA_SOURCE) {
                    return Ok(set.user_action_set_id);
                }
                mp.add_user_action_set(
                    WEB_DATA_SOURCE,
                    "商户控制台",
                    "微信支付商户控制台的测试转化",
                )
                .await
                .map_err(translate::mp_error)
            })
            .await
            .copied()
    }
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// Keeps a body as JSON when it is JSON, and as a JSON string otherwise, so the log contains
/// exactly what crossed the wire.
fn parse_or_text(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|_| serde_json::Value::String(body.to_owned()))
}

fn body_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn ad_action_view(action: &AdAction) -> AdActionView {
    let errcode = action.errcode.unwrap_or(-1);
    let errmsg = action.errmsg.clone().unwrap_or_default();
    AdActionView {
        id: action.id,
        at: action.at.timestamp(),
        action_type: action.action_type.clone(),
        request_body: body_text(&action.request_json),
        response_body: action
            .response_json
            .as_ref()
            .map(body_text)
            .unwrap_or_default(),
        errcode,
        explanation: (errcode != 0)
            .then(|| translate::explained_mp(wxmp::explain_errcode(errcode, &errmsg))),
        errmsg,
    }
}
