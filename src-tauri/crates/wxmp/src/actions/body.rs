//! Builds the user_actions/add request body. The client sends the serialisation of this
//! value unchanged, so the console's preview is the request.

use serde_json::{json, Map, Value};

use super::UserAction;

/// Builds `{"actions": [...]}` for user_actions/add (marketing API v1.0). Fields that are
/// `None` are left out. `action_param.source` is always "Biz" because these actions come
/// from an Official Account.
pub fn user_actions_body(actions: &[UserAction]) -> Value {
    let actions: Vec<Value> = actions.iter().map(action_json).collect();
    json!({ "actions": actions })
}

fn action_json(action: &UserAction) -> Value {
    let mut object = Map::new();
    object.insert(
        "user_action_set_id".into(),
        action.user_action_set_id.into(),
    );
    if let Some(url) = &action.url {
        object.insert("url".into(), url.as_str().into());
    }
    object.insert("action_time".into(), action.action_time.into());
    object.insert("action_type".into(), action.action_type.as_str().into());

    let mut user_id = Map::new();
    if let Some(app_id) = &action.wechat_app_id {
        user_id.insert("wechat_app_id".into(), app_id.as_str().into());
    }
    if let Some(openid) = &action.wechat_openid {
        user_id.insert("wechat_openid".into(), openid.as_str().into());
    }
    if !user_id.is_empty() {
        object.insert("user_id".into(), Value::Object(user_id));
    }

    if let Some(click_id) = &action.click_id {
        object.insert("trace".into(), json!({ "click_id": click_id }));
    }

    let mut param = Map::new();
    param.insert("source".into(), "Biz".into());
    if let Some(claim_type) = action.claim_type {
        param.insert("claim_type".into(), claim_type.into());
    }
    if let Some(value) = action.value {
        param.insert("value".into(), value.into());
    }
    object.insert("action_param".into(), Value::Object(param));

    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purchase() -> UserAction {
        UserAction {
            user_action_set_id: 1107,
            url: Some("https://shop.example/pay".into()),
            action_time: 1_764_800_000,
            action_type: "PURCHASE".into(),
            wechat_app_id: Some("wx1234567890abcdef".into()),
            wechat_openid: Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into()),
            click_id: Some("wx0abc".into()),
            claim_type: Some(0),
            value: Some(30000),
        }
    }

    #[test]
    fn body_has_nested_wechat_shape() {
        let body = user_actions_body(&[purchase()]);
        let expected = json!({
            "actions": [{
                "user_action_set_id": 1107,
                "url": "https://shop.example/pay",
                "action_time": 1_764_800_000,
                "action_type": "PURCHASE",
                "user_id": {
                    "wechat_app_id": "wx1234567890abcdef",
                    "wechat_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
                },
                "trace": { "click_id": "wx0abc" },
                "action_param": { "source": "Biz", "claim_type": 0, "value": 30000 }
            }]
        });
        assert_eq!(body, expected);
    }

    #[test]
    fn body_omits_absent_fields() {
        let action = UserAction {
            url: None,
            wechat_app_id: None,
            wechat_openid: None,
            claim_type: None,
            value: None,
            ..purchase()
        };
        let body = user_actions_body(&[action]);
        let first = &body["actions"][0];
        assert!(first.get("url").is_none());
        assert!(first.get("user_id").is_none());
        assert_eq!(first["trace"]["click_id"], "wx0abc");
        assert_eq!(first["action_param"], json!({ "source": "Biz" }));
    }

    #[test]
    fn action_time_is_json_integer() {
        let body = user_actions_body(&[purchase()]);
        assert!(body["actions"][0]["action_time"].is_i64());
    }

    #[test]
    fn body_is_object_even_when_empty() {
        assert_eq!(user_actions_body(&[]), json!({ "actions": [] }));
    }
}
