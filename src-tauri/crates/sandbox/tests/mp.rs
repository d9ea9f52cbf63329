//! Official Account paths over real HTTPS: tokens, OAuth, data sources and the
//! user_actions schema checks.

mod common;

use chrono::Utc;
use common::{Sandbox, APPID, APP_SECRET};
use serde_json::{json, Value};

async fn stable_token(sandbox: &Sandbox, body: Value) -> Value {
    sandbox
        .client
        .post(sandbox.url("/cgi-bin/stable_token"))
        .json(&body)
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("JSON reply")
}

async fn token(sandbox: &Sandbox) -> String {
    let reply = stable_token(
        sandbox,
        json!({ "grant_type": "client_credential", "appid": APPID, "secret": APP_SECRET }),
    )
    .await;
    reply["access_token"].as_str().expect("token").to_owned()
}

async fn get_sets(sandbox: &Sandbox, token: &str) -> Value {
    sandbox
        .client
        .get(sandbox.url(&format!(
            "/marketing/user_action_sets/get?version=v1.0&access_token={token}"
        )))
        .send()
        .await
        .expect("sets request")
        .json()
        .await
        .expect("JSON reply")
}

#[tokio::test]
async fn stable_token_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let bad_secret = stable_token(
        &sandbox,
        json!({ "grant_type": "client_credential", "appid": APPID, "secret": "wrong" }),
    )
    .await;
    assert_eq!(bad_secret["errcode"], 40125);
    let bad_appid = stable_token(
        &sandbox,
        json!({ "grant_type": "client_credential", "appid": "wx0000000000000000", "secret": APP_SECRET }),
    )
    .await;
    assert_eq!(bad_appid["errcode"], 40013);

    let first = stable_token(
        &sandbox,
        json!({ "grant_type": "client_credential", "appid": APPID, "secret": APP_SECRET }),
    )
    .await;
    let expires_in = first["expires_in"].as_i64().expect("expires_in");
    assert!((7100..=7200).contains(&expires_in), "{first}");
    let first_token = first["access_token"].as_str().expect("token").to_owned();
    assert_eq!(token(&sandbox).await, first_token);

    let refreshed = stable_token(
        &sandbox,
        json!({ "grant_type": "client_credential", "appid": APPID, "secret": APP_SECRET, "force_refresh": true }),
    )
    .await;
    let new_token = refreshed["access_token"].as_str().expect("token");
    assert_ne!(new_token, first_token);
    assert_eq!(get_sets(&sandbox, &first_token).await["errcode"], 40001);
    assert_eq!(get_sets(&sandbox, new_token).await["errcode"], 0);

    let expired = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/tokens/expire"))
        .send()
        .await
        .expect("admin call");
    assert_eq!(expired.status(), 200);
    assert_eq!(get_sets(&sandbox, new_token).await["errcode"], 42001);
}

#[tokio::test]
async fn plain_token_replaces_previous() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let url = sandbox.url(&format!(
        "/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={APP_SECRET}"
    ));

    let first: Value = sandbox
        .client
        .get(&url)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let second: Value = sandbox
        .client
        .get(&url)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let first = first["access_token"].as_str().expect("token");
    let second = second["access_token"].as_str().expect("token");
    assert_ne!(first, second);
    // The replaced token keeps working during the five-minute overlap.
    assert_eq!(get_sets(&sandbox, first).await["errcode"], 0);
    assert_eq!(get_sets(&sandbox, "not-a-token").await["errcode"], 40001);
}

#[tokio::test]
async fn data_source_seeded_and_unique() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let token = token(&sandbox).await;

    let sets = get_sets(&sandbox, &token).await;
    let list = sets["data"]["list"].as_array().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["type"], "WEB");
    let id = list[0]["user_action_set_id"].as_u64().expect("id");

    let second: Value = sandbox
        .client
        .post(sandbox.url(&format!(
            "/marketing/user_action_sets/add?version=v1.0&access_token={token}"
        )))
        .json(&json!({ "type": "WEB", "name": "另一个", "description": "第二个数据源" }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(second["errcode"], 900351000);
    assert!(second["errmsg"]
        .as_str()
        .expect("errmsg")
        .contains(&id.to_string()));
}

#[tokio::test]
async fn user_actions_validated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let token = token(&sandbox).await;
    let sets = get_sets(&sandbox, &token).await;
    let set_id = sets["data"]["list"][0]["user_action_set_id"]
        .as_u64()
        .expect("id");
    let url = sandbox.url(&format!(
        "/marketing/user_actions/add?version=v1.0&access_token={token}"
    ));
    let now = Utc::now().timestamp();
    let openid = "oAbCd1234567890abcdefghijklm";
    let action = |changes: Value| {
        let mut base = json!({
            "user_action_set_id": set_id,
            "url": "https://shop.invalid/order/1",
            "action_time": now,
            "action_type": "PURCHASE",
            "user_id": { "wechat_app_id": APPID, "wechat_openid": openid },
            "action_param": { "source": "Biz", "claim_type": 0, "value": 1800 },
        });
        if let (Value::Object(base), Value::Object(changes)) = (&mut base, changes) {
            for (k, v) in changes {
                if v.is_null() {
                    base.remove(&k);
                } else {
                    base.insert(k, v);
                }
            }
        }
        base
    };

    let send = |body: String, content_type: Option<&'static str>| {
        let mut request = sandbox.client.post(&url).body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        async move {
            let reply: Value = request
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("JSON");
            reply["errcode"].as_i64().expect("errcode")
        }
    };
    let json_body = |actions: Vec<Value>| json!({ "actions": actions }).to_string();
    let ok = Some("application/json");

    assert_eq!(send(json_body(vec![action(json!({}))]), ok).await, 0);
    let with_click = action(json!({ "user_id": null, "trace": { "click_id": "wx0abcdef123" } }));
    assert_eq!(send(json_body(vec![with_click]), ok).await, 0);

    let cases: Vec<(&str, String, Option<&'static str>, i64)> = vec![
        (
            "no content type",
            json_body(vec![action(json!({}))]),
            None,
            900351002,
        ),
        (
            "bare array",
            json!([action(json!({}))]).to_string(),
            ok,
            900351002,
        ),
        ("not JSON", "{actions:".to_owned(), ok, 900351002),
        ("no actions", "{}".to_owned(), ok, 900318001),
        ("empty actions", json_body(vec![]), ok, 900318001),
        (
            "51 actions",
            json_body(vec![action(json!({})); 51]),
            ok,
            900351000,
        ),
        (
            "string time",
            json_body(vec![action(json!({ "action_time": now.to_string() }))]),
            ok,
            900351002,
        ),
        (
            "no time",
            json_body(vec![action(json!({ "action_time": null }))]),
            ok,
            900318001,
        ),
        (
            "old time",
            json_body(vec![action(json!({ "action_time": now - 8 * 86400 }))]),
            ok,
            900351000,
        ),
        (
            "future time",
            json_body(vec![action(json!({ "action_time": now + 600 }))]),
            ok,
            900351000,
        ),
        (
            "bad type",
            json_body(vec![action(json!({ "action_type": "BUY_STUFF" }))]),
            ok,
            900351000,
        ),
        (
            "no type",
            json_body(vec![action(json!({ "action_type": null }))]),
            ok,
            900318001,
        ),
        (
            "no set",
            json_body(vec![action(json!({ "user_action_set_id": null }))]),
            ok,
            900318001,
        ),
        (
            "foreign set",
            json_body(vec![action(json!({ "user_action_set_id": 42 }))]),
            ok,
            900351000,
        ),
        (
            "no user",
            json_body(vec![action(json!({ "user_id": null }))]),
            ok,
            900318001,
        ),
        (
            "other appid",
            json_body(vec![action(
                json!({ "user_id": { "wechat_app_id": "wx0000000000000000", "wechat_openid": openid } }),
            )]),
            ok,
            900351000,
        ),
        (
            "short openid",
            json_body(vec![action(
                json!({ "user_id": { "wechat_app_id": APPID, "wechat_openid": "o123" } }),
            )]),
            ok,
            900351000,
        ),
        (
            "claim type 5",
            json_body(vec![action(
                json!({ "action_param": { "claim_type": 5, "value": 1 } }),
            )]),
            ok,
            900351000,
        ),
        (
            "float value",
            json_body(vec![action(
                json!({ "action_param": { "claim_type": 0, "value": 18.5 } }),
            )]),
            ok,
            900351000,
        ),
        (
            "extra field",
            json_body(vec![action(json!({ "price": 1 }))]),
            ok,
            900351000,
        ),
    ];
    for (name, body, content_type, expected) in cases {
        assert_eq!(send(body, content_type).await, expected, "case {name}");
    }

    let stale: Value = sandbox
        .client
        .post(sandbox.url("/marketing/user_actions/add?version=v1.0&access_token=stale"))
        .header("Content-Type", "application/json")
        .body(json_body(vec![action(json!({}))]))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(stale["errcode"], 40001);

    let log: Value = sandbox
        .client
        .get(sandbox.url("/sandbox/admin/user_actions"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(log["actions_received"], 2);
}

#[tokio::test]
async fn oauth_code_works_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let authorize = sandbox
        .client
        .get(sandbox.url(&format!(
            "/connect/oauth2/authorize?appid={APPID}&redirect_uri=https%3A%2F%2Fshop.invalid%2Fback&response_type=code&scope=snsapi_base&state=s%201"
        )))
        .send()
        .await
        .expect("sent");
    assert_eq!(authorize.status(), 302);
    let location = authorize.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with("https://shop.invalid/back?code="),
        "{location}"
    );
    assert!(location.ends_with("&state=s%201"), "{location}");
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("code");

    let exchange_url = sandbox.url(&format!(
        "/sns/oauth2/access_token?appid={APPID}&secret={APP_SECRET}&code={code}&grant_type=authorization_code"
    ));
    let first: Value = sandbox
        .client
        .get(&exchange_url)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let openid = first["openid"].as_str().expect("openid");
    assert_eq!(openid.len(), 28);
    assert_eq!(first["scope"], "snsapi_base");

    let again: Value = sandbox
        .client
        .get(&exchange_url)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(again["errcode"], 40163);
}
