//! Simulated payer behaviours over real HTTPS: instant, slow (USERPAYING, then SUCCESS
//! and the payment notify), cancelled and short of balance (PAYERROR).

mod common;

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use common::{api_key, Sandbox};
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// Starts a merchant server on 127.0.0.1 that acknowledges notifies and passes them on.
async fn merchant_server() -> (String, mpsc::UnboundedReceiver<Bytes>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let handler = |State(sender): State<mpsc::UnboundedSender<Bytes>>, body: Bytes| async move {
        let _ = sender.send(body);
        wxpay::NOTIFY_ACK
    };
    let app = Router::new()
        .route("/notify", post(handler))
        .with_state(sender);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/notify"), receiver)
}

async fn native_order(sandbox: &Sandbox, out_trade_no: &str, notify_url: &str) {
    let created = sandbox
        .pay(
            "/pay/unifiedorder",
            &[
                ("body", "奶茶 大杯"),
                ("out_trade_no", out_trade_no),
                ("total_fee", "1800"),
                ("spbill_create_ip", "127.0.0.1"),
                ("notify_url", notify_url),
                ("trade_type", "NATIVE"),
                ("product_id", "TEA-L"),
            ],
        )
        .await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
}

async fn pay_as(sandbox: &Sandbox, out_trade_no: &str, body: Value) -> reqwest::Response {
    sandbox
        .client
        .post(sandbox.url(&format!("/sandbox/admin/orders/{out_trade_no}/pay")))
        .json(&body)
        .send()
        .await
        .expect("admin call")
}

async fn trade_state(sandbox: &Sandbox, out_trade_no: &str) -> String {
    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", out_trade_no)])
        .await;
    assert_eq!(reply["result_code"], "SUCCESS", "{reply:?}");
    reply["trade_state"].clone()
}

#[tokio::test]
async fn slow_payer_paying_then_paid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 41).await;
    let (url, mut notifies) = merchant_server().await;
    native_order(&sandbox, "PS1001", &url).await;

    let reply = pay_as(
        &sandbox,
        "PS1001",
        json!({ "behaviour": "slow", "delay_ms": 1000 }),
    )
    .await;
    assert_eq!(reply.status(), 200);
    let reply: Value = reply.json().await.expect("JSON");
    assert_eq!(reply["paid"], false);
    assert_eq!(trade_state(&sandbox, "PS1001").await, "USERPAYING");
    assert!(notifies.try_recv().is_err(), "notified before paying");

    let body = tokio::time::timeout(Duration::from_secs(5), notifies.recv())
        .await
        .expect("notify after the password delay")
        .expect("channel open");
    let notify = wxpay::parse_pay_notify(&body, &api_key()).expect("valid notify");
    assert_eq!(notify.out_trade_no, "PS1001");
    assert_eq!(trade_state(&sandbox, "PS1001").await, "SUCCESS");
}

#[tokio::test]
async fn cancelled_payer_then_paid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 41).await;
    let (url, mut notifies) = merchant_server().await;
    native_order(&sandbox, "PC1001", &url).await;

    let reply = pay_as(&sandbox, "PC1001", json!({ "behaviour": "cancel" })).await;
    assert_eq!(reply.status(), 200);
    assert_eq!(trade_state(&sandbox, "PC1001").await, "PAYERROR");

    // A customer who cancelled can scan again and pay.
    sandbox
        .handle
        .pay_order_as("PC1001", sandbox::PayerBehaviour::Instant)
        .expect("paid");
    assert_eq!(trade_state(&sandbox, "PC1001").await, "SUCCESS");
    let body = tokio::time::timeout(Duration::from_secs(5), notifies.recv())
        .await
        .expect("notify arrives")
        .expect("channel open");
    assert!(wxpay::parse_pay_notify(&body, &api_key()).is_ok());
}

#[tokio::test]
async fn payer_without_balance_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 41).await;
    native_order(&sandbox, "PN1001", "http://127.0.0.1:9/notify").await;

    sandbox
        .handle
        .pay_order_as("PN1001", sandbox::PayerBehaviour::NoBalance)
        .expect("behaviour applied");
    assert_eq!(trade_state(&sandbox, "PN1001").await, "PAYERROR");

    sandbox.handle.pay_order("PN1001").expect("paid");
    let again = pay_as(&sandbox, "PN1001", json!({ "behaviour": "cancel" })).await;
    assert_eq!(again.status(), 409, "a paid order cannot be cancelled");
}

#[tokio::test]
async fn unknown_behaviour_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 41).await;
    native_order(&sandbox, "PU1001", "http://127.0.0.1:9/notify").await;

    let reply = pay_as(&sandbox, "PU1001", json!({ "behaviour": "teleport" })).await;
    assert_eq!(reply.status(), 400);
    assert_eq!(trade_state(&sandbox, "PU1001").await, "NOTPAY");
}
