//! Marketing API calls (version v1.0): creating and listing data sources (user action
//! sets) and reporting user actions to them.

use reqwest::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::actions::{
    user_actions_body, validate_user_actions, ActionsError, ActionsReply, UserAction,
};
use crate::client::{MpClient, Reply};
use crate::error::MpError;

const ADD_SET_ENDPOINT: &str = "/marketing/user_action_sets/add";
const GET_SETS_ENDPOINT: &str = "/marketing/user_action_sets/get";
const ADD_ACTIONS_ENDPOINT: &str = "/marketing/user_actions/add";
const API_VERSION: &str = "v1.0";

/// Maximum data source description length in bytes.
const MAX_DESCRIPTION_BYTES: usize = 128;

/// A data source that user actions are reported to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserActionSet {
    pub user_action_set_id: u64,
    /// `WEB` for Official Account pages.
    #[serde(rename = "type", default)]
    pub set_type: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub activate_status: Option<bool>,
    /// Creation time as WeChat writes it.
    #[serde(default)]
    pub created_time: Option<String>,
}

#[derive(Deserialize)]
struct AddSetData {
    user_action_set_id: u64,
}

#[derive(Deserialize)]
struct SetList {
    #[serde(default)]
    list: Vec<UserActionSet>,
}

impl MpClient {
    /// Creates a data source and returns its user_action_set_id. `set_type` is `WEB` for
    /// Official Account pages. One WEB data source is allowed per ad account, so adding
    /// a second returns errcode 900351000 with a message that names the existing id.
    pub async fn add_user_action_set(
        &self,
        set_type: &str,
        name: &str,
        description: &str,
    ) -> Result<u64, MpError> {
        if set_type.trim().is_empty() {
            return Err(invalid(
                "type",
                "the data source type is empty: use WEB for Official Account pages",
            ));
        }
        if name.trim().is_empty() {
            return Err(invalid("name", "the data source name is empty"));
        }
        if description.is_empty() || description.len() > MAX_DESCRIPTION_BYTES {
            return Err(invalid(
                "description",
                &format!(
                    "the description is {} bytes: use 1 to {MAX_DESCRIPTION_BYTES} bytes (a Chinese character is 3)",
                    description.len()
                ),
            ));
        }

        let body = json!({ "type": set_type, "name": name, "description": description });
        let reply = self
            .send_with_token(ADD_SET_ENDPOINT, |token| {
                self.inner
                    .http
                    .post(self.url(ADD_SET_ENDPOINT))
                    .query(&[("version", API_VERSION), ("access_token", token.expose())])
                    .json(&body)
            })
            .await?
            .into_success(ADD_SET_ENDPOINT)?;

        let data: AddSetData = reply_data(ADD_SET_ENDPOINT, reply)?;
        tracing::info!(
            user_action_set_id = data.user_action_set_id,
            "created data source"
        );
        Ok(data.user_action_set_id)
    }

    /// Lists the data sources of the ad account.
    pub async fn get_user_action_sets(&self) -> Result<Vec<UserActionSet>, MpError> {
        let reply = self
            .send_with_token(GET_SETS_ENDPOINT, |token| {
                self.inner
                    .http
                    .get(self.url(GET_SETS_ENDPOINT))
                    .query(&[("version", API_VERSION), ("access_token", token.expose())])
            })
            .await?
            .into_success(GET_SETS_ENDPOINT)?;

        let data: SetList = reply_data(GET_SETS_ENDPOINT, reply)?;
        Ok(data.list)
    }

    /// Validates and reports user actions. WeChat's errcode comes back inside the
    /// [`ActionsReply`], with the exact request and response texts, so the log records
    /// failures too. Validation, transport and token failures are errors instead.
    pub async fn add_user_actions(&self, actions: &[UserAction]) -> Result<ActionsReply, MpError> {
        self.check_user_actions(actions)?;

        // WeChat returns 900351002 when the content type is missing (ads reporting docs).
        let request_body = user_actions_body(actions).to_string();
        let reply = self
            .send_with_token(ADD_ACTIONS_ENDPOINT, |token| {
                self.inner
                    .http
                    .post(self.url(ADD_ACTIONS_ENDPOINT))
                    .query(&[("version", API_VERSION), ("access_token", token.expose())])
                    .header(CONTENT_TYPE, "application/json")
                    .body(request_body.clone())
            })
            .await?;

        tracing::info!(
            actions = actions.len(),
            errcode = reply.errcode,
            errmsg = %reply.errmsg,
            "reported user actions"
        );
        Ok(ActionsReply {
            errcode: reply.errcode,
            errmsg: reply.errmsg,
            raw: reply.text,
            request_body,
        })
    }
}

impl MpClient {
    /// Validates user actions as [`MpClient::add_user_actions`] will before sending them,
    /// against the current time and the configured maximum age, for a live form check.
    pub fn check_user_actions(&self, actions: &[UserAction]) -> Result<(), ActionsError> {
        let now = chrono::Utc::now().timestamp();
        validate_user_actions(actions, now, self.inner.config.max_action_age)
    }
}

/// Reads the `data` object of a successful marketing reply.
fn reply_data<T: serde::de::DeserializeOwned>(
    endpoint: &'static str,
    reply: Reply,
) -> Result<T, MpError> {
    let data = reply.json.get("data").cloned().unwrap_or(Value::Null);
    serde_json::from_value(data).map_err(|error| MpError::BadReply {
        endpoint,
        detail: format!("data: {error}"),
    })
}

fn invalid(field: &'static str, reason: &str) -> MpError {
    MpError::InvalidInput {
        field,
        reason: reason.to_owned(),
    }
}
