//! HTTPS to a loopback server whose certificate comes from a local CA, as the sandbox
//! serves it: trusted through `extra_root_ca_pem`, rejected without it.

mod common;

use common::{MockWeChat, APPID, SECRET};
use wxmp::{AppSecret, MpClient, MpConfig, MpError};

#[tokio::test]
async fn extra_root_ca_trusted() {
    let (server, ca_pem) = MockWeChat::start_tls().await;
    let config = MpConfig::sandbox(
        APPID,
        AppSecret::new(SECRET),
        &server.base_url,
        Some(ca_pem),
    );
    let client = MpClient::new(config).expect("client");

    let token = client.access_token().await.expect("token over HTTPS");

    assert_eq!(token.expose(), "TOKEN-1");
    assert_eq!(server.ledger().token_requests, 1);
}

#[tokio::test]
async fn unknown_ca_rejected() {
    let (server, _) = MockWeChat::start_tls().await;
    let config = MpConfig::sandbox(APPID, AppSecret::new(SECRET), &server.base_url, None);
    let client = MpClient::new(config).expect("client");

    let error = client
        .access_token()
        .await
        .expect_err("untrusted certificate");

    assert!(matches!(error, MpError::Http { .. }), "{error:?}");
    assert_eq!(server.ledger().token_requests, 0);
}
