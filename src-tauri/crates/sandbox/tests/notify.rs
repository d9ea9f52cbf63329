//! Notifies from the sandbox to a merchant server on loopback: the payment notify after
//! the simulated payer pays, and the encrypted refund notify when a refund settles.

mod common;

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use common::{api_key, Sandbox};
use tokio::sync::mpsc;

/// Starts a plain HTTP server on 127.0.0.1 that acknowledges every notify and passes
/// its body on. Returns its base URL.
async fn merchant_server() -> (String, mpsc::UnboundedReceiver<(String, Bytes)>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let record = |kind: &'static str| {
        move |State(sender): State<mpsc::UnboundedSender<(String, Bytes)>>, body: Bytes| async move {
            let _ = sender.send((kind.to_owned(), body));
            wxpay::NOTIFY_ACK
        }
    };
    let app = Router::new()
        .route("/pay", post(record("pay")))
        .route("/refund", post(record("refund")))
        .with_state(sender);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), receiver)
}

async fn next(receiver: &mut mpsc::UnboundedReceiver<(String, Bytes)>) -> (String, Bytes) {
    tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("notify arrives in time")
        .expect("channel open")
}

#[tokio::test]
async fn payment_and_refund_notified() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 4).await;
    sandbox
        .handle
        .set_refund_delay(Duration::from_millis(200))
        .expect("delay set");
    let (base, mut notifies) = merchant_server().await;

    let pay_url = format!("{base}/pay");
    let created = sandbox
        .pay(
            "/pay/unifiedorder",
            &[
                ("body", "生日蛋糕（6寸）"),
                ("out_trade_no", "NT1001"),
                ("total_fee", "16800"),
                ("spbill_create_ip", "127.0.0.1"),
                ("notify_url", &pay_url),
                ("trade_type", "NATIVE"),
                ("product_id", "SKU0042"),
                ("attach", "table=3"),
            ],
        )
        .await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    sandbox.handle.pay_order("NT1001").expect("paid");

    let (kind, body) = next(&mut notifies).await;
    assert_eq!(kind, "pay");
    let paid = wxpay::parse_pay_notify(&body, &api_key()).expect("valid payment notify");
    assert_eq!(paid.out_trade_no, "NT1001");
    assert_eq!(paid.total_fee.0, 16800);
    assert_eq!(paid.attach.as_deref(), Some("table=3"));

    let refund_url = format!("{base}/refund");
    let refund = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &[
                ("out_trade_no", "NT1001"),
                ("out_refund_no", "NTR1"),
                ("total_fee", "16800"),
                ("refund_fee", "6800"),
                ("notify_url", &refund_url),
            ],
        )
        .await;
    assert_eq!(refund["result_code"], "SUCCESS", "{refund:?}");

    let (kind, body) = next(&mut notifies).await;
    assert_eq!(kind, "refund");
    let refunded = wxpay::parse_refund_notify(&body, &api_key()).expect("valid refund notify");
    assert_eq!(refunded.out_refund_no, "NTR1");
    assert_eq!(refunded.refund_id, refund["refund_id"]);
    assert_eq!(refunded.refund_fee.0, 6800);
    assert_eq!(refunded.refund_status, wxpay::RefundStatus::Success);
    assert!(refunded.success_time.is_some());
}
