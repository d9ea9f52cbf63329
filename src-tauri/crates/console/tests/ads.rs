//! Test ad conversions against the simulator's marketing API: the preview is the body sent,
//! WeChat's answer is logged, and its errcodes come back explained.

mod support;

use console::dto::UserActionInput;
use support::open_console;

fn purchase(openid: Option<&str>, action_time: i64) -> UserActionInput {
    UserActionInput {
        action_type: "PURCHASE".to_owned(),
        openid: openid.map(str::to_owned),
        click_id: None,
        value: Some(1_990),
        claim_type: Some(0),
        url: Some("https://shop.example/pay/done".to_owned()),
        action_time: Some(action_time),
    }
}

const OPENID: &str = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";

#[tokio::test(flavor = "multi_thread")]
async fn preview_is_exactly_the_body_sent() {
    let opened = open_console().await;
    let console = &opened.console;
    let now = chrono::Utc::now().timestamp();

    let preview = console
        .preview_user_action(purchase(Some(OPENID), now))
        .await
        .expect("preview");
    let body: serde_json::Value = serde_json::from_str(&preview.body).expect("JSON body");
    let action = &body["actions"][0];
    assert_eq!(action["action_type"], "PURCHASE");
    assert_eq!(action["action_time"], now);
    assert_eq!(action["user_id"]["wechat_openid"], OPENID);
    assert_eq!(action["action_param"]["value"], 1_990);
    assert!(preview.user_action_set_id > 0);

    let sent = console
        .send_user_action(purchase(Some(OPENID), now))
        .await
        .expect("send");
    assert_eq!(sent.request_body, preview.body);
    assert_eq!(sent.errcode, 0, "{}", sent.response_body);
    assert!(sent.explanation.is_none());

    let log = console.ad_actions().await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].errcode, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_action_is_logged_with_explanation() {
    let opened = open_console().await;
    let console = &opened.console;
    let now = chrono::Utc::now().timestamp();

    // The simulator accepts only openids of the real 28-character shape.
    let sent = console
        .send_user_action(purchase(Some("not-an-openid"), now))
        .await
        .expect("the request is sent and answered");
    assert_ne!(sent.errcode, 0);
    let explanation = sent.explanation.expect("an explanation");
    assert!(!explanation.message_zh.is_empty());
    assert!(!explanation.message_en.is_empty());
    assert_eq!(console.ad_actions().await.expect("log").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_action_is_rejected_before_sending() {
    let opened = open_console().await;
    let console = &opened.console;
    let far_future = chrono::Utc::now().timestamp() + 3_600;

    let error = console
        .send_user_action(purchase(Some(OPENID), far_future))
        .await
        .expect_err("future action_time");
    assert!(!error.message_en.is_empty());
    assert!(console.ad_actions().await.expect("log").is_empty());
}
