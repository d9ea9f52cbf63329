//! Following payment-code charges through USERPAYING to paid, failed or reversed,
//! against a loopback server that plays WeChat's side step by step.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::server::{self, fields, sign_fields, signed_success, Reply};
use common::tls::TestCa;
use common::{demo_key, APPID, MCH_ID};
use wxpay::model::MicropayRequest;
use wxpay::{Fen, Hosts, MicropayOutcome, PayClient, PayConfig, PayError, PollPolicy, TradeState};

fn client_for(base_url: &str) -> PayClient {
    let mut config = PayConfig::new(APPID, MCH_ID, demo_key(), Hosts::single(base_url));
    // Reverse needs the client certificate; over loopback HTTP it is configured but unused.
    config.client_identity = Some(TestCa::new("wxpay test CA").client_identity());
    PayClient::new(config).unwrap()
}

fn fast_policy() -> PollPolicy {
    PollPolicy {
        interval: Duration::from_millis(10),
        deadline: Duration::from_millis(80),
        max_reverse_calls: 3,
    }
}

fn request() -> MicropayRequest {
    MicropayRequest {
        body: "咖啡店-美式".into(),
        out_trade_no: "M20260101120000001".into(),
        total_fee: Fen(1500),
        spbill_create_ip: "127.0.0.1".into(),
        auth_code: "134567890123456789".into(),
        attach: None,
        device_info: None,
    }
}

fn business_fail(err_code: &str) -> Reply {
    Reply::Body(sign_fields(fields(&[
        ("return_code", "SUCCESS"),
        ("appid", APPID),
        ("mch_id", MCH_ID),
        ("nonce_str", "n"),
        ("result_code", "FAIL"),
        ("err_code", err_code),
        ("err_code_des", "test"),
    ])))
}

fn order_state(state: &str) -> Reply {
    let mut extra = vec![
        ("trade_state", state),
        ("out_trade_no", "M20260101120000001"),
    ];
    if state == "SUCCESS" {
        extra.push(("transaction_id", "4200000000202601010000000009"));
        extra.push(("total_fee", "1500"));
    }
    Reply::Body(signed_success(&extra))
}

#[tokio::test]
async fn paid_at_once_needs_no_query() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("out_trade_no", "M20260101120000001"),
            ("transaction_id", "4200000000202601010000000009"),
            ("total_fee", "1500"),
        ]))
    })
    .await;
    let outcome = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap();
    assert_eq!(
        outcome,
        MicropayOutcome::Paid {
            transaction_id: "4200000000202601010000000009".into()
        }
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn userpaying_then_paid() {
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    let server = server::start(move |recorded| match recorded.path.as_str() {
        "/pay/micropay" => business_fail("USERPAYING"),
        "/pay/orderquery" => {
            if counter.fetch_add(1, Ordering::SeqCst) < 2 {
                order_state("USERPAYING")
            } else {
                order_state("SUCCESS")
            }
        }
        _ => Reply::Status(404),
    })
    .await;
    let outcome = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap();
    match outcome {
        MicropayOutcome::PaidAfterQuery(reply) => {
            assert_eq!(reply.trade_state, TradeState::Success);
            assert_eq!(reply.total_fee, Some(Fen(1500)));
        }
        other => panic!("expected PaidAfterQuery, got {other:?}"),
    }
    assert_eq!(queries.load(Ordering::SeqCst), 3);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert!(!paths.contains(&"/secapi/pay/reverse".to_owned()));
}

#[tokio::test]
async fn unpaid_at_deadline_is_reversed() {
    let server = server::start(|recorded| match recorded.path.as_str() {
        "/pay/micropay" => business_fail("USERPAYING"),
        "/pay/orderquery" => order_state("USERPAYING"),
        "/secapi/pay/reverse" => Reply::Body(signed_success(&[("recall", "N")])),
        _ => Reply::Status(404),
    })
    .await;
    let outcome = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap();
    assert_eq!(outcome, MicropayOutcome::Reversed);
    let requests = server.requests();
    let last = requests.last().unwrap();
    assert_eq!(last.path, "/secapi/pay/reverse");
    assert_eq!(last.fields["out_trade_no"], "M20260101120000001");
}

#[tokio::test]
async fn system_error_then_payerror_fails() {
    let server = server::start(|recorded| match recorded.path.as_str() {
        "/pay/micropay" => business_fail("SYSTEMERROR"),
        "/pay/orderquery" => order_state("PAYERROR"),
        _ => Reply::Status(404),
    })
    .await;
    let outcome = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap();
    assert_eq!(outcome, MicropayOutcome::Failed(TradeState::PayError));
}

#[tokio::test]
async fn final_error_returns_at_once() {
    let server = server::start(|_| business_fail("AUTHCODEEXPIRE")).await;
    let error = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap_err();
    match &error {
        PayError::Business { err_code, .. } => assert_eq!(err_code, "AUTHCODEEXPIRE"),
        other => panic!("expected Business, got {other:?}"),
    }
    assert!(error.explain().en.contains("refresh"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn endless_recall_is_bounded() {
    let reverses = Arc::new(AtomicUsize::new(0));
    let counter = reverses.clone();
    let server = server::start(move |recorded| match recorded.path.as_str() {
        "/pay/micropay" => business_fail("USERPAYING"),
        "/pay/orderquery" => order_state("NOTPAY"),
        "/secapi/pay/reverse" => {
            counter.fetch_add(1, Ordering::SeqCst);
            Reply::Body(signed_success(&[("recall", "Y")]))
        }
        _ => Reply::Status(404),
    })
    .await;
    let error = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap_err();
    assert!(matches!(error, PayError::Reply { .. }), "{error:?}");
    assert_eq!(reverses.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn reverse_system_error_is_repeated() {
    let reverses = Arc::new(AtomicUsize::new(0));
    let counter = reverses.clone();
    let server = server::start(move |recorded| match recorded.path.as_str() {
        "/pay/micropay" => business_fail("USERPAYING"),
        "/pay/orderquery" => order_state("USERPAYING"),
        "/secapi/pay/reverse" => {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                business_fail("SYSTEMERROR")
            } else {
                Reply::Body(signed_success(&[("recall", "N")]))
            }
        }
        _ => Reply::Status(404),
    })
    .await;
    let outcome = client_for(&server.base_url)
        .micropay_until_final(&request(), fast_policy())
        .await
        .unwrap();
    assert_eq!(outcome, MicropayOutcome::Reversed);
    assert_eq!(reverses.load(Ordering::SeqCst), 2);
}
