//! snsapi_base OAuth against a loopback stand-in for WeChat: the authorize URL form and
//! the code exchange, including the used-code and invalid-code errcodes.

mod common;

use common::{MockWeChat, APPID, OPENID, SECRET};
use wxmp::{AppSecret, MpClient, MpConfig, MpError};

fn live_client() -> MpClient {
    MpClient::new(MpConfig::live(APPID, AppSecret::new(SECRET))).expect("client")
}

#[test]
fn live_authorize_url_form() {
    let url = live_client()
        .oauth_authorize_url("https://shop.example/oauth/back?x=1", "s42")
        .expect("url");

    assert_eq!(
        url,
        format!(
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid={APPID}\
             &redirect_uri=https%3A%2F%2Fshop.example%2Foauth%2Fback%3Fx%3D1\
             &response_type=code&scope=snsapi_base&state=s42#wechat_redirect"
        )
    );
}

#[tokio::test]
async fn sandbox_authorize_url_uses_base() {
    let server = MockWeChat::start().await;

    let url = server
        .client()
        .oauth_authorize_url("https://shop.example/back", "")
        .expect("url");

    let expected_start = format!(
        "{}/connect/oauth2/authorize?appid={APPID}&",
        server.base_url
    );
    assert!(url.starts_with(&expected_start), "{url}");
    assert!(url.ends_with("&state=#wechat_redirect"), "{url}");
}

#[test]
fn authorize_url_rejects_bad_input() {
    let client = live_client();

    let relative = client.oauth_authorize_url("/oauth/back", "s1");
    assert!(matches!(
        relative,
        Err(MpError::InvalidInput {
            field: "redirect_uri",
            ..
        })
    ));

    let not_web = client.oauth_authorize_url("ftp://shop.example/back", "s1");
    assert!(matches!(
        not_web,
        Err(MpError::InvalidInput {
            field: "redirect_uri",
            ..
        })
    ));

    let symbols = client.oauth_authorize_url("https://shop.example/back", "a&b");
    assert!(matches!(
        symbols,
        Err(MpError::InvalidInput { field: "state", .. })
    ));

    let long_state = "a".repeat(129);
    let too_long = client.oauth_authorize_url("https://shop.example/back", &long_state);
    assert!(matches!(
        too_long,
        Err(MpError::InvalidInput { field: "state", .. })
    ));
}

#[tokio::test]
async fn code_exchanged_for_openid() {
    let server = MockWeChat::start().await;
    server
        .ledger()
        .codes
        .insert("061CodeA".into(), OPENID.into());
    let client = server.client();

    let token = client
        .exchange_oauth_code(" 061CodeA\n")
        .await
        .expect("exchange");

    assert_eq!(token.openid, OPENID);
    assert_eq!(token.scope, "snsapi_base");
    assert_eq!(token.expires_in, 7200);
    assert_eq!(token.unionid, None);
    assert_eq!(server.ledger().oauth_requests, 1);
    assert_eq!(
        server.ledger().token_requests,
        0,
        "OAuth needs no access_token"
    );
}

#[tokio::test]
async fn used_code_explained() {
    let server = MockWeChat::start().await;
    server
        .ledger()
        .codes
        .insert("061CodeB".into(), OPENID.into());
    let client = server.client();
    client
        .exchange_oauth_code("061CodeB")
        .await
        .expect("first exchange");

    let error = client
        .exchange_oauth_code("061CodeB")
        .await
        .expect_err("second exchange");

    assert!(
        matches!(error, MpError::WeChat { errcode: 40163, .. }),
        "{error:?}"
    );
    let explained = error.explain();
    assert_eq!(explained.code, "40163");
    assert!(explained.en.contains("works once"), "{}", explained.en);
    assert!(!explained.retryable);
}

#[tokio::test]
async fn invalid_code_explained() {
    let server = MockWeChat::start().await;

    let error = server
        .client()
        .exchange_oauth_code("061Unknown")
        .await
        .expect_err("unknown code");

    assert!(
        matches!(error, MpError::WeChat { errcode: 40029, .. }),
        "{error:?}"
    );
    assert!(error.explain().zh.contains("5 分钟"));
    assert!(!error.to_string().contains(SECRET));
}

#[tokio::test]
async fn empty_code_not_sent() {
    let server = MockWeChat::start().await;

    let result = server.client().exchange_oauth_code("  ").await;

    assert!(matches!(
        result,
        Err(MpError::InvalidInput { field: "code", .. })
    ));
    assert_eq!(server.ledger().oauth_requests, 0);
}
