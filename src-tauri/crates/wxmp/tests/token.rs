//! access_token behaviour against a loopback stand-in for WeChat: caching, a single
//! fetch for concurrent callers, forced refresh, and the retry after 40001.

mod common;

use std::time::Duration;

use common::{MockWeChat, APPID, SECRET};
use serde_json::json;
use tokio::task::JoinSet;
use wxmp::{AppSecret, MpClient, MpConfig, MpError};

#[tokio::test]
async fn token_cached_between_calls() {
    let server = MockWeChat::start().await;
    let client = server.client();
    assert_eq!(client.token_status(), None);

    let first = client.access_token().await.expect("first token");
    let second = client.access_token().await.expect("second token");

    assert_eq!(first, second);
    assert_eq!(first.expose(), "TOKEN-1");
    assert_eq!(server.ledger().token_requests, 1);
    assert_eq!(
        server.ledger().token_bodies[0],
        json!({
            "grant_type": "client_credential",
            "appid": APPID,
            "secret": SECRET,
            "force_refresh": false,
        })
    );
}

#[tokio::test]
async fn token_status_reports_expiry() {
    let server = MockWeChat::start().await;
    let client = server.client();

    client.access_token().await.expect("token");

    let status = client.token_status().expect("status after a fetch");
    assert_eq!(
        status.expires_at - status.fetched_at,
        chrono::Duration::seconds(7200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_fetch() {
    let server = MockWeChat::start().await;
    server.ledger().token_delay = Duration::from_millis(300);
    let client = server.client();

    let mut callers = JoinSet::new();
    for _ in 0..10 {
        let client = client.clone();
        callers.spawn(async move { client.access_token().await });
    }
    let mut tokens = Vec::new();
    while let Some(joined) = callers.join_next().await {
        tokens.push(joined.expect("caller task").expect("token"));
    }

    assert_eq!(tokens.len(), 10);
    assert!(tokens.iter().all(|token| token.expose() == "TOKEN-1"));
    assert_eq!(server.ledger().token_requests, 1);
}

#[tokio::test]
async fn short_lived_token_fetched_again() {
    let server = MockWeChat::start().await;
    server.ledger().expires_in = 1;
    let client = server.client();

    client.access_token().await.expect("first token");
    client.access_token().await.expect("cached token");
    assert_eq!(server.ledger().token_requests, 1);

    // A 1-second token is kept for half its life before it is fetched again.
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.access_token().await.expect("refetched token");
    assert_eq!(server.ledger().token_requests, 2);
}

#[tokio::test]
async fn force_refresh_replaces_token() {
    let server = MockWeChat::start().await;
    let client = server.client();
    let before = client.access_token().await.expect("token");

    let status = client.force_refresh_token().await.expect("forced refresh");
    let after = client.access_token().await.expect("token after refresh");

    assert_ne!(before, after);
    assert_eq!(after.expose(), "TOKEN-2");
    assert_eq!(client.token_status(), Some(status));
    let ledger = server.ledger();
    assert_eq!(ledger.token_requests, 2);
    assert_eq!(ledger.token_bodies[1]["force_refresh"], true);
}

#[tokio::test]
async fn rotated_token_refetched_and_retried() {
    let server = MockWeChat::start().await;
    let client = server.client();
    client.access_token().await.expect("token");
    server.rotate_token();

    let sets = client
        .get_user_action_sets()
        .await
        .expect("list after retry");

    assert!(sets.is_empty());
    let ledger = server.ledger();
    assert_eq!(ledger.token_requests, 2);
    assert_eq!(ledger.api_requests.len(), 2);
    assert_eq!(ledger.api_requests[0].query["access_token"], "TOKEN-1");
    assert_eq!(ledger.api_requests[1].query["access_token"], "TOKEN-2");
}

#[tokio::test]
async fn expired_token_refetched_and_retried() {
    let server = MockWeChat::start().await;
    let client = server.client();
    client.access_token().await.expect("token");
    server.expire_token();

    client
        .get_user_action_sets()
        .await
        .expect("list after retry");

    let ledger = server.ledger();
    assert_eq!(ledger.token_requests, 2);
    assert_eq!(ledger.token_bodies[1]["force_refresh"], false);
    assert_eq!(ledger.api_requests.len(), 2);
    assert_eq!(ledger.api_requests[1].query["access_token"], "TOKEN-2");
}

#[tokio::test]
async fn token_retry_happens_once() {
    let server = MockWeChat::start().await;
    server.ledger().reject_all_tokens = true;
    let client = server.client();

    let result = client.get_user_action_sets().await;

    let Err(MpError::WeChat { errcode, .. }) = result else {
        panic!("expected errcode 40001, got {result:?}");
    };
    assert_eq!(errcode, 40001);
    assert_eq!(server.ledger().api_requests.len(), 2);
    assert_eq!(
        client.token_status(),
        None,
        "the rejected token stays dropped"
    );
}

#[tokio::test]
async fn wrong_secret_explained() {
    let server = MockWeChat::start().await;
    let config = MpConfig {
        secret: AppSecret::new("0000000000000000000000000000000a"),
        ..server.config()
    };
    let client = MpClient::new(config).expect("client");

    let error = client.access_token().await.expect_err("wrong secret");

    assert!(
        matches!(error, MpError::WeChat { errcode: 40125, .. }),
        "{error:?}"
    );
    let explained = error.explain();
    assert_eq!(explained.code, "40125");
    assert!(explained.en.contains("AppSecret"));
    assert!(!explained.retryable);
    assert!(!error.to_string().contains(SECRET));
    assert_eq!(client.token_status(), None);
}

#[tokio::test]
async fn unreachable_host_is_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let config = MpConfig::sandbox(
        APPID,
        AppSecret::new(SECRET),
        format!("http://{address}"),
        None,
    );
    let client = MpClient::new(config).expect("client");

    let error = client
        .access_token()
        .await
        .expect_err("nothing listens there");

    assert!(matches!(error, MpError::Http { .. }), "{error:?}");
    assert_eq!(error.explain().code, "NETWORK");
    assert!(error.explain().retryable);
}

#[tokio::test]
async fn http_failure_is_not_success() {
    let server = MockWeChat::start().await;
    let config = MpConfig::sandbox(
        APPID,
        AppSecret::new(SECRET),
        format!("{}/missing", server.base_url),
        None,
    );
    let client = MpClient::new(config).expect("client");

    let error = client.access_token().await.expect_err("no such path");

    assert!(
        matches!(error, MpError::HttpStatus { status: 404, .. }),
        "{error:?}"
    );
    assert_eq!(error.explain().code, "HTTP_STATUS");
    assert!(!error.explain().retryable);
}

#[test]
fn invalid_root_ca_rejected() {
    let config = MpConfig::sandbox(
        APPID,
        AppSecret::new(SECRET),
        "https://127.0.0.1:1",
        Some("not a certificate".to_owned()),
    );

    let error = MpClient::new(config).expect_err("garbage PEM");

    assert!(matches!(error, MpError::InvalidRootCa(_)), "{error:?}");
}
