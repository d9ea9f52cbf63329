//! Failover to the backup host: a primary on a loopback port that refuses connections and
//! a live signing server as the backup. A primary that replies, even with HTTP 500, is
//! never skipped, and micropay never goes to the backup.

mod common;

use chrono::NaiveDate;
use common::server::{self, signed_success, Reply};
use common::tls::{start_tls, TestCa};
use common::{demo_key, APPID, MCH_ID};
use wxpay::model::{
    CloseOrderReply, MicropayRequest, OrderRef, RefundQueryRef, RefundQueryRequest, RefundRequest,
    UnifiedOrderRequest, UnifiedTradeType,
};
use wxpay::{
    BillType, Fen, Hosts, PayClient, PayConfig, PayError, RefundStatus, TradeState, TransportKind,
};

/// Returns a loopback URL where nothing listens, by binding a port and freeing it.
async fn refused_url(scheme: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("{scheme}://{address}")
}

async fn client_with_backup(backup: &str) -> PayClient {
    let hosts = Hosts {
        primary: refused_url("http").await,
        backup: Some(backup.to_owned()),
    };
    PayClient::new(PayConfig::new(APPID, MCH_ID, demo_key(), hosts)).unwrap()
}

/// Replies to each path the way WeChat does, signed with the demo key.
fn wechat_reply(path: &str) -> Reply {
    let body = match path {
        "/pay/orderquery" => signed_success(&[("out_trade_no", "1"), ("trade_state", "NOTPAY")]),
        "/pay/closeorder" => signed_success(&[]),
        "/pay/refundquery" => signed_success(&[
            ("out_trade_no", "1"),
            ("transaction_id", "4200000000202601010000000001"),
            ("total_fee", "1800"),
            ("refund_count", "1"),
            ("out_refund_no_0", "R1"),
            ("refund_id_0", "50300000002026010100000000001"),
            ("refund_fee_0", "800"),
            ("refund_status_0", "SUCCESS"),
        ]),
        "/pay/downloadbill" => "交易时间,公众账号ID\n`2020-04-01 00:00:01,`wx2421b1c4370ec43b\n"
            .as_bytes()
            .to_vec(),
        "/pay/unifiedorder" => signed_success(&[
            ("trade_type", "NATIVE"),
            ("prepay_id", "wx201410272009395522657a690389285100"),
            ("code_url", "weixin://wxpay/bizpayurl?pr=abc1234"),
        ]),
        "/secapi/pay/refund" => signed_success(&[
            ("transaction_id", "4200000000202601010000000001"),
            ("out_trade_no", "1"),
            ("out_refund_no", "R1"),
            ("refund_id", "50300000002026010100000000001"),
            ("refund_fee", "800"),
            ("total_fee", "1800"),
        ]),
        _ => return Reply::Status(404),
    };
    Reply::Body(body)
}

fn refund_request() -> RefundRequest {
    RefundRequest {
        order: OrderRef::OutTradeNo("1".into()),
        out_refund_no: "R1".into(),
        total_fee: Fen(1800),
        refund_fee: Fen(800),
        refund_desc: None,
        refund_account: None,
        notify_url: None,
    }
}

#[tokio::test]
async fn queries_fail_over_to_backup() {
    let backup = server::start(|request| wechat_reply(&request.path)).await;
    let client = client_with_backup(&backup.base_url).await;

    let order = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap();
    assert_eq!(order.trade_state, TradeState::NotPay);

    let refunds = client
        .refund_query(&RefundQueryRequest {
            by: RefundQueryRef::OutRefundNo("R1".into()),
            offset: None,
        })
        .await
        .unwrap();
    assert_eq!(refunds.refunds[0].refund_status, RefundStatus::Success);

    let bill = client
        .download_bill(
            NaiveDate::from_ymd_opt(2020, 4, 1).unwrap(),
            BillType::All,
            false,
        )
        .await
        .unwrap();
    assert!(bill.starts_with("交易时间"));

    let paths: Vec<String> = backup.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/pay/orderquery", "/pay/refundquery", "/pay/downloadbill"]
    );
}

#[tokio::test]
async fn close_order_fails_over_to_backup() {
    let backup = server::start(|request| wechat_reply(&request.path)).await;
    let client = client_with_backup(&backup.base_url).await;
    assert_eq!(
        client.close_order("1").await.unwrap(),
        CloseOrderReply::Closed
    );
    assert_eq!(backup.requests().len(), 1);
}

#[tokio::test]
async fn unified_order_fails_over_to_backup() {
    let backup = server::start(|request| wechat_reply(&request.path)).await;
    let client = client_with_backup(&backup.base_url).await;
    let request = UnifiedOrderRequest {
        body: "咖啡店-拿铁".into(),
        out_trade_no: "1".into(),
        total_fee: Fen(1800),
        spbill_create_ip: "127.0.0.1".into(),
        notify_url: "https://shop.example/wxpay/notify".into(),
        trade_type: UnifiedTradeType::Native {
            product_id: "latte".into(),
        },
        attach: None,
        time_start: None,
        time_expire: None,
        goods_tag: None,
    };
    let reply = client.unified_order(&request).await.unwrap();
    assert_eq!(reply.prepay_id, "wx201410272009395522657a690389285100");
    assert_eq!(backup.requests()[0].fields["out_trade_no"], "1");
}

#[tokio::test]
async fn refund_fails_over_with_same_fields() {
    let ca = TestCa::new("wxpay failover CA");
    let backup = start_tls(&ca, |request| wechat_reply(&request.path)).await;
    let hosts = Hosts {
        primary: refused_url("https").await,
        backup: Some(backup.base_url.clone()),
    };
    let mut config = PayConfig::new(APPID, MCH_ID, demo_key(), hosts);
    config.extra_root_ca_pem = Some(ca.cert_pem.clone());
    config.client_identity = Some(ca.merchant_identity(MCH_ID));
    let client = PayClient::new(config).unwrap();

    let reply = client.refund(&refund_request()).await.unwrap();
    assert_eq!(reply.refund_id, "50300000002026010100000000001");

    let sent = backup.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/secapi/pay/refund");
    assert!(sent[0].client_certificate);
    assert_eq!(sent[0].fields["out_refund_no"], "R1");
    assert_eq!(sent[0].fields["refund_fee"], "800");
    assert_eq!(sent[0].fields["total_fee"], "1800");
}

#[tokio::test]
async fn http_500_does_not_fail_over() {
    let primary = server::start(|_| Reply::Status(500)).await;
    let backup = server::start(|request| wechat_reply(&request.path)).await;
    let hosts = Hosts {
        primary: primary.base_url.clone(),
        backup: Some(backup.base_url.clone()),
    };
    let client = PayClient::new(PayConfig::new(APPID, MCH_ID, demo_key(), hosts)).unwrap();

    let error = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PayError::HttpStatus { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(primary.requests().len(), 1);
    assert!(backup.requests().is_empty());
}

#[tokio::test]
async fn micropay_stays_on_primary() {
    let backup = server::start(|request| wechat_reply(&request.path)).await;
    let client = client_with_backup(&backup.base_url).await;
    let request = MicropayRequest {
        body: "咖啡店-美式".into(),
        out_trade_no: "M1".into(),
        total_fee: Fen(1500),
        spbill_create_ip: "127.0.0.1".into(),
        auth_code: "134567890123456789".into(),
        attach: None,
        device_info: None,
    };
    let error = client.micropay(&request).await.unwrap_err();
    assert!(
        matches!(
            error,
            PayError::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(backup.requests().is_empty());
}

#[tokio::test]
async fn both_hosts_down_reports_backup() {
    let backup_url = refused_url("http").await;
    let client = client_with_backup(&backup_url).await;
    let error = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    match error {
        PayError::Transport { kind, url, .. } => {
            assert_eq!(kind, TransportKind::Connect);
            assert!(url.starts_with(&backup_url), "{url}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}
