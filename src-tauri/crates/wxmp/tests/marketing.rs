//! Marketing API calls against a loopback stand-in for WeChat: data sources, and user
//! actions sent with the exact previewed body and a JSON content type.

mod common;

use common::{MockWeChat, APPID, OPENID};
use serde_json::Value;
use wxmp::{user_actions_body, ActionProblem, ActionsError, MpClient, MpError, UserAction};

async fn client_with_data_source(server: &MockWeChat) -> (MpClient, u64) {
    let client = server.client();
    let id = client
        .add_user_action_set("WEB", "shop-web", "Conversions from the shop's pages")
        .await
        .expect("create data source");
    (client, id)
}

fn purchase(user_action_set_id: u64) -> UserAction {
    UserAction {
        user_action_set_id,
        url: Some("https://shop.example/paid".into()),
        action_time: chrono::Utc::now().timestamp() - 30,
        action_type: "PURCHASE".into(),
        wechat_app_id: Some(APPID.into()),
        wechat_openid: Some(OPENID.into()),
        click_id: None,
        claim_type: Some(1),
        value: Some(30000),
    }
}

#[tokio::test]
async fn data_source_created_and_listed() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;

    let sets = client.get_user_action_sets().await.expect("list");

    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].user_action_set_id, id);
    assert_eq!(sets[0].set_type, "WEB");
    assert_eq!(sets[0].name, "shop-web");
    assert_eq!(sets[0].activate_status, Some(true));

    let ledger = server.ledger();
    let add = &ledger.api_requests[0];
    assert_eq!(add.query["version"], "v1.0");
    let body: Value = serde_json::from_str(&add.body).expect("JSON body");
    assert_eq!(body["type"], "WEB");
    assert_eq!(body["description"], "Conversions from the shop's pages");
}

#[tokio::test]
async fn second_web_source_names_existing() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;

    let error = client
        .add_user_action_set("WEB", "again", "A second web source")
        .await
        .expect_err("second WEB source");

    assert!(
        matches!(
            error,
            MpError::WeChat {
                errcode: 900351000,
                ..
            }
        ),
        "{error:?}"
    );
    let explained = error.explain();
    assert!(explained.en.contains(&id.to_string()), "{}", explained.en);
    assert!(explained.zh.contains(&id.to_string()), "{}", explained.zh);
}

#[tokio::test]
async fn description_length_checked_locally() {
    let server = MockWeChat::start().await;
    let client = server.client();

    let too_long = "订".repeat(43);
    assert_eq!(too_long.len(), 129);
    let result = client
        .add_user_action_set("WEB", "shop-web", &too_long)
        .await;
    assert!(matches!(
        result,
        Err(MpError::InvalidInput {
            field: "description",
            ..
        })
    ));

    let empty = client.add_user_action_set("WEB", "shop-web", "").await;
    assert!(matches!(
        empty,
        Err(MpError::InvalidInput {
            field: "description",
            ..
        })
    ));

    let longest = "订".repeat(42) + "ab";
    assert_eq!(longest.len(), 128);
    client
        .add_user_action_set("WEB", "shop-web", &longest)
        .await
        .expect("128 bytes is allowed");
    assert_eq!(server.ledger().api_requests.len(), 1);
}

#[tokio::test]
async fn actions_sent_as_previewed() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;
    let actions = [purchase(id)];

    let reply = client.add_user_actions(&actions).await.expect("report");

    assert!(reply.is_success(), "{reply:?}");
    assert_eq!(reply.errcode, 0);
    assert_eq!(reply.raw, r#"{"errcode":0,"errmsg":""}"#);
    assert_eq!(reply.request_body, user_actions_body(&actions).to_string());

    let ledger = server.ledger();
    let sent = ledger.api_requests.last().expect("a request");
    assert_eq!(sent.path, "add_actions");
    assert_eq!(sent.content_type.as_deref(), Some("application/json"));
    assert_eq!(sent.query["version"], "v1.0");
    assert_eq!(sent.query["access_token"], "TOKEN-1");
    assert_eq!(sent.body, reply.request_body);
}

#[tokio::test]
async fn unresolved_openid_returned_in_reply() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;
    let action = UserAction {
        wechat_openid: Some("oSomeoneElse000000000000000".into()),
        ..purchase(id)
    };

    let reply = client.add_user_actions(&[action]).await.expect("reply");

    assert_eq!(reply.errcode, 900351001);
    assert_eq!(reply.errmsg, "openid can not be resolved");
    assert_eq!(
        reply.raw,
        r#"{"errcode":900351001,"errmsg":"openid can not be resolved"}"#
    );
    let explained = wxmp::explain_errcode(reply.errcode, &reply.errmsg);
    assert!(explained.en.contains("Authorise"), "{}", explained.en);
}

#[tokio::test]
async fn foreign_data_source_rejected() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;

    let reply = client
        .add_user_actions(&[purchase(id + 1)])
        .await
        .expect("reply");

    assert_eq!(reply.errcode, 900351000);
    let explained = wxmp::explain_errcode(reply.errcode, &reply.errmsg);
    assert!(explained.en.contains("not belong"), "{}", explained.en);
}

#[tokio::test]
async fn invalid_actions_never_sent() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;
    let requests_before = server.ledger().api_requests.len();

    let future = UserAction {
        action_time: chrono::Utc::now().timestamp() + 3600,
        ..purchase(id)
    };
    let result = client.add_user_actions(&[purchase(id), future]).await;

    let Err(MpError::InvalidActions(ActionsError::Action { index, problem })) = result else {
        panic!("expected an invalid action, got {result:?}");
    };
    assert_eq!(index, 1);
    assert!(
        matches!(problem, ActionProblem::InFuture { .. }),
        "{problem:?}"
    );

    let empty = client.add_user_actions(&[]).await;
    assert!(matches!(
        empty,
        Err(MpError::InvalidActions(ActionsError::Empty))
    ));
    assert_eq!(server.ledger().api_requests.len(), requests_before);
}

#[tokio::test]
async fn check_uses_configured_max_age() {
    let server = MockWeChat::start().await;
    let ten_days_ago = UserAction {
        action_time: chrono::Utc::now().timestamp() - 10 * 86_400,
        ..purchase(1_100_000)
    };

    let default_age = server
        .client()
        .check_user_actions(std::slice::from_ref(&ten_days_ago));
    let Err(ActionsError::Action { problem, .. }) = default_age else {
        panic!("expected a too-old action, got {default_age:?}");
    };
    assert!(
        matches!(
            problem,
            ActionProblem::TooOld {
                max_age_days: 7,
                ..
            }
        ),
        "{problem:?}"
    );

    let config = wxmp::MpConfig {
        max_action_age: std::time::Duration::from_secs(30 * 86_400),
        ..server.config()
    };
    let longer = MpClient::new(config).expect("client");
    assert_eq!(longer.check_user_actions(&[ten_days_ago]), Ok(()));
}

#[tokio::test]
async fn actions_retried_after_rotation() {
    let server = MockWeChat::start().await;
    let (client, id) = client_with_data_source(&server).await;
    server.rotate_token();

    let reply = client
        .add_user_actions(&[purchase(id)])
        .await
        .expect("reply");

    assert_eq!(reply.errcode, 0);
    let ledger = server.ledger();
    let sent: Vec<_> = ledger
        .api_requests
        .iter()
        .filter(|request| request.path == "add_actions")
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    assert_eq!(sent[1].query["access_token"], "TOKEN-2");
}
