//! The team's own clients against the sandbox, as the console uses them in sandbox mode:
//! wxpay's PayClient (orders, refund over mutual TLS, bills parsed back) and wxmp's
//! MpClient (token, data sources, user actions, OAuth).

mod common;

use chrono::{Duration, Utc};
use common::{api_key, Sandbox, APPID, APP_SECRET, MCH_ID};
use wxpay::model::{
    OrderRef, RefundQueryRef, RefundQueryRequest, RefundRequest, UnifiedOrderRequest,
    UnifiedTradeType,
};
use wxpay::{BillType, ClientIdentity, Fen, Hosts, PayClient, PayConfig, SignType, TradeState};

fn pay_client(sandbox: &Sandbox, sign_type: SignType) -> PayClient {
    let mut config = PayConfig::new(
        APPID,
        MCH_ID,
        api_key(),
        Hosts::single(sandbox.handle.base_url.clone()),
    );
    config.extra_root_ca_pem = Some(sandbox.handle.ca_cert_pem.clone());
    config.client_identity = Some(ClientIdentity {
        cert_pem: sandbox.handle.client_cert_pem.clone(),
        key_pem: sandbox.handle.client_key_pem.clone(),
    });
    PayClient::new(config)
        .expect("pay client builds")
        .with_sign_type(sign_type)
}

#[tokio::test]
async fn pay_client_full_cycle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 3).await;

    for (sign_type, no) in [(SignType::Md5, "PC1"), (SignType::HmacSha256, "PC2")] {
        let client = pay_client(&sandbox, sign_type);
        let order = client
            .unified_order(&UnifiedOrderRequest {
                body: "拿铁咖啡".into(),
                out_trade_no: no.into(),
                total_fee: Fen(2800),
                spbill_create_ip: "127.0.0.1".into(),
                notify_url: "https://shop.invalid/notify".into(),
                trade_type: UnifiedTradeType::Native {
                    product_id: "SKU0002".into(),
                },
                attach: None,
                time_start: None,
                time_expire: None,
                goods_tag: None,
            })
            .await
            .expect("unifiedorder");
        assert!(order.code_url.is_some());

        sandbox.handle.pay_order(no).expect("paid");
        let query = client
            .order_query(&OrderRef::OutTradeNo(no.into()))
            .await
            .expect("orderquery");
        assert_eq!(query.trade_state, TradeState::Success);
        assert_eq!(query.total_fee, Some(Fen(2800)));

        let refund = client
            .refund(&RefundRequest {
                order: OrderRef::OutTradeNo(no.into()),
                out_refund_no: format!("{no}-R1"),
                total_fee: Fen(2800),
                refund_fee: Fen(800),
                refund_desc: None,
                refund_account: None,
                notify_url: None,
            })
            .await
            .expect("refund");
        let refunds = client
            .refund_query(&RefundQueryRequest {
                by: RefundQueryRef::OutTradeNo(no.into()),
                offset: None,
            })
            .await
            .expect("refundquery");
        assert_eq!(refunds.refund_count, 1);
        assert_eq!(refunds.refunds[0].refund_id, refund.refund_id);

        let missing = client
            .order_query(&OrderRef::OutTradeNo("NO-SUCH".into()))
            .await
            .expect_err("unknown order");
        assert_eq!(missing.explain().code, "ORDERNOTEXIST");
    }
}

#[tokio::test]
async fn pay_client_bills_parse() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 3).await;
    let client = pay_client(&sandbox, SignType::Md5);
    // Two days back, because yesterday's bill is not ready before 10:00 Beijing time.
    let bill_day = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        - Duration::days(2);

    for bill_type in [BillType::All, BillType::Success, BillType::Refund] {
        for gzip in [false, true] {
            let text = client
                .download_bill(bill_day, bill_type, gzip)
                .await
                .expect("bill downloads");
            let bill = wxpay::bill::parse_bill(&text).expect("bill parses");
            assert_eq!(
                bill.summary.count,
                bill.rows.len() as u64,
                "{bill_type:?} gzip={gzip}"
            );
        }
    }
    let before = client
        .download_bill(bill_day - Duration::days(45), BillType::All, false)
        .await;
    assert!(before.is_err());
}

#[tokio::test]
async fn mp_client_full_cycle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 3).await;
    let config = wxmp::MpConfig::sandbox(
        APPID,
        wxmp::AppSecret::new(APP_SECRET),
        sandbox.handle.base_url.clone(),
        Some(sandbox.handle.ca_cert_pem.clone()),
    );
    let client = wxmp::MpClient::new(config).expect("mp client builds");

    let sets = client.get_user_action_sets().await.expect("data sources");
    assert_eq!(sets.len(), 1);
    let second = client
        .add_user_action_set("WEB", "第二个", "重复的数据源")
        .await;
    assert!(second.is_err());

    let action = wxmp::UserAction {
        user_action_set_id: sets[0].user_action_set_id,
        url: Some("https://shop.invalid/order/7".into()),
        action_time: Utc::now().timestamp(),
        action_type: "PURCHASE".into(),
        wechat_app_id: Some(APPID.into()),
        wechat_openid: Some("oAbCd1234567890abcdefghijklm".into()),
        click_id: None,
        claim_type: Some(0),
        value: Some(2800),
    };
    let reply = client
        .add_user_actions(&[action])
        .await
        .expect("actions sent");
    assert_eq!(reply.errcode, 0, "{}", reply.raw);

    let url = client
        .oauth_authorize_url("https://shop.invalid/back", "st")
        .expect("authorize URL");
    let redirect = sandbox
        .client
        .get(&url)
        .send()
        .await
        .expect("authorize page");
    let location = redirect.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let code = wxmp::oauth_code_from_input(&location).expect("code in redirect");
    let token = client
        .exchange_oauth_code(&code)
        .await
        .expect("code exchanged");
    assert_eq!(token.openid.len(), 28);
}
