//! Access token limits over real HTTPS: the cgi-bin/token overlap under time
//! compression, stable_token force_refresh spacing (45011), daily quotas (45009) and
//! the IP allow-list (40164).

mod common;

use std::time::Duration;

use common::{Sandbox, APPID, APP_SECRET};
use serde_json::{json, Value};

async fn stable_token(sandbox: &Sandbox, force_refresh: bool) -> Value {
    let body = json!({
        "grant_type": "client_credential",
        "appid": APPID,
        "secret": APP_SECRET,
        "force_refresh": force_refresh,
    });
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

async fn plain_token(sandbox: &Sandbox) -> Value {
    let url = sandbox.url(&format!(
        "/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={APP_SECRET}"
    ));
    sandbox
        .client
        .get(url)
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("JSON reply")
}

async fn sets_errcode(sandbox: &Sandbox, token: &str) -> Value {
    let reply: Value = sandbox
        .client
        .get(sandbox.url(&format!(
            "/marketing/user_action_sets/get?version=v1.0&access_token={token}"
        )))
        .send()
        .await
        .expect("sets request")
        .json()
        .await
        .expect("JSON reply");
    reply["errcode"].clone()
}

async fn set_limits(sandbox: &Sandbox, body: Value) -> Value {
    let reply = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/tokens/limits"))
        .json(&body)
        .send()
        .await
        .expect("admin call");
    assert_eq!(reply.status(), 200);
    reply.json().await.expect("JSON reply")
}

#[tokio::test]
async fn replaced_token_ends_after_overlap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 31).await;
    // 300 times faster: the five-minute overlap lasts one second.
    sandbox
        .handle
        .set_time_compression(300.0)
        .expect("valid factor");

    let first = plain_token(&sandbox).await;
    let first = first["access_token"].as_str().expect("token").to_owned();
    let second = plain_token(&sandbox).await;
    let second = second["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        sets_errcode(&sandbox, &first).await,
        0,
        "inside the overlap"
    );

    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        sets_errcode(&sandbox, &first).await,
        40001,
        "after the overlap"
    );
    assert_eq!(sets_errcode(&sandbox, &second).await, 0);
}

#[tokio::test]
async fn force_refresh_spaced_thirty_seconds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 31).await;
    // 30 times faster: force_refresh calls must be one second apart.
    sandbox
        .handle
        .set_time_compression(30.0)
        .expect("valid factor");

    let normal = stable_token(&sandbox, false).await;
    let normal = normal["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        stable_token(&sandbox, false).await["access_token"],
        normal.as_str(),
        "normal mode returns the same token"
    );

    let refreshed = stable_token(&sandbox, true).await;
    let refreshed = refreshed["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_ne!(refreshed, normal);
    assert_eq!(sets_errcode(&sandbox, &normal).await, 40001);

    let too_soon = stable_token(&sandbox, true).await;
    assert_eq!(too_soon["errcode"], 45011, "{too_soon}");
    assert_eq!(sets_errcode(&sandbox, &refreshed).await, 0, "still valid");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = stable_token(&sandbox, true).await;
    assert!(later["access_token"].is_string(), "{later}");
}

#[tokio::test]
async fn force_refresh_twenty_a_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 31).await;
    // 30 s apart becomes 3 ms, so twenty refreshes fit in a moment.
    sandbox
        .handle
        .set_time_compression(10_000.0)
        .expect("valid factor");

    for n in 0..20 {
        let reply = stable_token(&sandbox, true).await;
        assert!(reply["access_token"].is_string(), "refresh {n}: {reply}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let over = stable_token(&sandbox, true).await;
    assert_eq!(over["errcode"], 45011, "{over}");
    let normal = stable_token(&sandbox, false).await;
    assert!(normal["access_token"].is_string(), "{normal}");
}

#[tokio::test]
async fn daily_quota_reached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 31).await;
    let limits = set_limits(
        &sandbox,
        json!({ "token_quota": 2, "stable_token_quota": 1 }),
    )
    .await;
    assert_eq!(limits["limits"]["token_quota"], 2);

    for _ in 0..2 {
        assert!(plain_token(&sandbox).await["access_token"].is_string());
    }
    assert_eq!(plain_token(&sandbox).await["errcode"], 45009);
    assert!(stable_token(&sandbox, false).await["access_token"].is_string());
    assert_eq!(stable_token(&sandbox, false).await["errcode"], 45009);

    sandbox.handle.set_token_daily_quota(10, 10);
    assert!(plain_token(&sandbox).await["access_token"].is_string());
}

#[tokio::test]
async fn caller_outside_allow_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 31).await;
    set_limits(&sandbox, json!({ "ip_allow_list": ["10.1.2.3"] })).await;

    let plain = plain_token(&sandbox).await;
    assert_eq!(plain["errcode"], 40164, "{plain}");
    assert!(plain["errmsg"]
        .as_str()
        .unwrap_or_default()
        .contains("127.0.0.1"));
    let stable = stable_token(&sandbox, false).await;
    assert_eq!(stable["errcode"], 40164, "{stable}");

    sandbox
        .handle
        .set_token_ip_allow_list(vec!["127.0.0.1".parse().expect("IP")]);
    assert!(plain_token(&sandbox).await["access_token"].is_string());
    set_limits(&sandbox, json!({ "ip_allow_list": [] })).await;
    assert!(stable_token(&sandbox, false).await["access_token"].is_string());
}
