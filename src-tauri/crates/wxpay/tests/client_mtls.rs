//! Calls that need the merchant certificate (refund, reverse, downloadfundflow) over
//! mutual TLS, against a loopback HTTPS server with its own CA, which the client trusts
//! through `extra_root_ca_pem`.

mod common;

use common::server::{signed_success, Reply};
use common::tls::{start_tls, TestCa};
use common::{demo_key, fixture, APPID, MCH_ID};
use wxpay::model::{OrderRef, RefundRequest};
use wxpay::sign::verify;
use wxpay::{
    AccountType, ClientIdentity, ConfigError, Fen, Hosts, PayClient, PayConfig, PayError, SignType,
    TradeState, TransportKind,
};

fn config(base_url: &str, ca: &TestCa, identity: Option<ClientIdentity>) -> PayConfig {
    let mut config = PayConfig::new(APPID, MCH_ID, demo_key(), Hosts::single(base_url));
    config.extra_root_ca_pem = Some(ca.cert_pem.clone());
    config.client_identity = identity;
    config
}

fn refund_request() -> RefundRequest {
    RefundRequest {
        order: OrderRef::TransactionId("4200000000202601010000000001".into()),
        out_refund_no: "R20260101120000001-1".into(),
        total_fee: Fen(1800),
        refund_fee: Fen(800),
        refund_desc: Some("少找零".into()),
        refund_account: None,
        notify_url: None,
    }
}

fn refund_accepted() -> Reply {
    Reply::Body(signed_success(&[
        ("transaction_id", "4200000000202601010000000001"),
        ("out_trade_no", "20260101120000001"),
        ("out_refund_no", "R20260101120000001-1"),
        ("refund_id", "50300000002026010100000000001"),
        ("refund_fee", "800"),
        ("total_fee", "1800"),
        ("cash_fee", "1800"),
    ]))
}

#[tokio::test]
async fn refund_presents_client_certificate() {
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, |_| refund_accepted()).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let reply = client.refund(&refund_request()).await.unwrap();
    assert_eq!(reply.refund_id, "50300000002026010100000000001");
    assert_eq!(reply.refund_fee, Fen(800));
    assert_eq!(reply.cash_fee, Some(Fen(1800)));

    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/secapi/pay/refund");
    assert!(sent.client_certificate);
    assert_eq!(
        sent.fields["transaction_id"],
        "4200000000202601010000000001"
    );
    assert_eq!(sent.fields["refund_desc"], "少找零");
}

#[tokio::test]
async fn queries_skip_client_certificate() {
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, |_| {
        Reply::Body(signed_success(&[
            ("trade_state", "CLOSED"),
            ("out_trade_no", "1"),
        ]))
    })
    .await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let reply = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap();
    assert_eq!(reply.trade_state, TradeState::Closed);
    assert!(!server.requests()[0].client_certificate);
}

#[tokio::test]
async fn certificate_from_other_ca_fails() {
    let ca = TestCa::new("wxpay test CA");
    let stranger = TestCa::new("another CA");
    let server = start_tls(&ca, |_| refund_accepted()).await;
    let client = PayClient::new(config(
        &server.base_url,
        &ca,
        Some(stranger.client_identity()),
    ))
    .unwrap();
    let error = client.refund(&refund_request()).await.unwrap_err();
    assert!(matches!(error, PayError::Transport { .. }), "{error:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn untrusted_server_is_rejected() {
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, |_| refund_accepted()).await;
    let mut untrusting = config(&server.base_url, &ca, None);
    untrusting.extra_root_ca_pem = None;
    let client = PayClient::new(untrusting).unwrap();
    let error = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    match error {
        PayError::Transport { kind, .. } => assert_ne!(kind, TransportKind::Timeout),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn refund_notenough_sample_is_explained() {
    let Some(body) = fixture("refund_fail_notenough.xml") else {
        return;
    };
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, move |_| Reply::Body(body.clone())).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let error = client.refund(&refund_request()).await.unwrap_err();
    match &error {
        PayError::Business { err_code, .. } => assert_eq!(err_code, "NOTENOUGH"),
        other => panic!("expected Business, got {other:?}"),
    }
    let explained = error.explain();
    assert_eq!(
        explained.zh,
        "退款失败：商户账户余额不足。请先给基本账户充值后再退款；已开通充值退款资金账户的商户，也可用 refund_account=REFUND_SOURCE_RECHARGE_FUNDS 从该账户退款。"
    );
    assert!(!explained.retryable);
}

#[tokio::test]
async fn refund_return_fail_sample_reports_message() {
    let Some(body) = fixture("refund_return_fail_invalid_refund_fee.xml") else {
        return;
    };
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, move |_| Reply::Body(body.clone())).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    match client.refund(&refund_request()).await.unwrap_err() {
        PayError::ReturnFail { return_msg, .. } => assert_eq!(return_msg, "invalid refund_fee"),
        other => panic!("expected ReturnFail, got {other:?}"),
    }
}

#[tokio::test]
async fn refund_success_sample_is_read() {
    let Some(body) = fixture("refund_success.xml") else {
        return;
    };
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, move |_| Reply::Body(body.clone())).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let reply = client.refund(&refund_request()).await.unwrap();
    assert!(!reply.refund_id.is_empty());
    assert!(reply.refund_fee.0 > 0);
    assert!(reply.fields.contains_key("coupon_refund_id_0"));
}

#[test]
fn garbage_identity_is_config_error() {
    let ca = TestCa::new("wxpay test CA");
    let identity = ClientIdentity {
        cert_pem: "not a certificate".into(),
        key_pem: "not a key".into(),
    };
    let error = PayClient::new(config("https://127.0.0.1:1", &ca, Some(identity))).unwrap_err();
    assert!(matches!(
        error,
        PayError::Config(ConfigError::InvalidClientCertificate(_))
    ));
    assert_eq!(error.explain().code, "CLIENT_CERT_INVALID");
}

#[test]
fn garbage_root_ca_is_config_error() {
    let ca = TestCa::new("wxpay test CA");
    let mut bad = config("https://127.0.0.1:1", &ca, None);
    bad.extra_root_ca_pem =
        Some("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into());
    let result = PayClient::new(bad);
    assert!(
        matches!(result, Err(PayError::Config(ConfigError::InvalidRootCa(_)))),
        "{result:?}"
    );
}

#[tokio::test]
async fn reverse_presents_client_certificate() {
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, |_| Reply::Body(signed_success(&[("recall", "N")]))).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let reply = client
        .reverse(&OrderRef::OutTradeNo("M20260101120000001".into()))
        .await
        .unwrap();
    assert!(!reply.recall);
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/secapi/pay/reverse");
    assert!(sent.client_certificate);
}

#[tokio::test]
async fn fund_flow_is_signed_hmac() {
    let ca = TestCa::new("wxpay test CA");
    let csv = "记账时间,微信支付业务单号\n`2026-01-01 00:00:01,`1\n";
    let server = start_tls(&ca, move |_| Reply::Body(csv.as_bytes().to_vec())).await;
    let client = PayClient::new(config(&server.base_url, &ca, Some(ca.client_identity()))).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let text = client
        .download_fund_flow(date, AccountType::Basic, false)
        .await
        .unwrap();
    assert_eq!(text, csv);

    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/pay/downloadfundflow");
    assert!(sent.client_certificate);
    assert_eq!(sent.fields["account_type"], "Basic");
    assert_eq!(sent.fields["sign_type"], "HMAC-SHA256");
    assert_eq!(verify(&sent.fields, &demo_key()), Ok(SignType::HmacSha256));
}

#[tokio::test]
async fn fund_flow_needs_certificate() {
    let ca = TestCa::new("wxpay test CA");
    let server = start_tls(&ca, |_| Reply::Status(500)).await;
    let client = PayClient::new(config(&server.base_url, &ca, None)).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let error = client
        .download_fund_flow(date, AccountType::Fees, true)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Config(ConfigError::MissingClientCertificate)
    ));
}
