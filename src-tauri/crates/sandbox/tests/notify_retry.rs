//! Notify retries on WeChat's schedule, shortened by the time compression: a notify is
//! sent again until the merchant replies with the XML acknowledgement, and duplicates
//! can be requested through the admin API.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use common::{api_key, Sandbox};
use serde_json::json;

/// Arrival time and body of each notify the merchant server received.
type Arrivals = Arc<Mutex<Vec<(Instant, Bytes)>>>;

/// Starts a merchant server on 127.0.0.1 that answers the first `rejected` notifies
/// with the replies WeChat does not accept, then acknowledges. Returns its notify URL.
async fn merchant_server(rejected: usize) -> (String, Arrivals) {
    let arrivals: Arrivals = Arc::default();
    let handler = move |State(arrivals): State<Arrivals>, body: Bytes| async move {
        let mut seen = arrivals.lock().expect("lock");
        seen.push((Instant::now(), body));
        match seen.len() {
            n if n > rejected => (StatusCode::OK, wxpay::NOTIFY_ACK.to_owned()),
            // Plain text SUCCESS is not the acknowledgement.
            1 => (StatusCode::OK, "SUCCESS".to_owned()),
            // Nor is the right XML with an error status.
            2 => (
                StatusCode::INTERNAL_SERVER_ERROR,
                wxpay::NOTIFY_ACK.to_owned(),
            ),
            _ => (
                StatusCode::OK,
                "<xml><return_code><![CDATA[FAIL]]></return_code></xml>".to_owned(),
            ),
        }
    };
    let app = Router::new()
        .route("/notify", post(handler))
        .with_state(arrivals.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/notify"), arrivals)
}

async fn paid_with_notify(sandbox: &Sandbox, out_trade_no: &str, notify_url: &str) {
    let created = sandbox
        .pay(
            "/pay/unifiedorder",
            &[
                ("body", "咖啡豆 250g"),
                ("out_trade_no", out_trade_no),
                ("total_fee", "6800"),
                ("spbill_create_ip", "127.0.0.1"),
                ("notify_url", notify_url),
                ("trade_type", "NATIVE"),
                ("product_id", "BEAN250"),
            ],
        )
        .await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    sandbox.handle.pay_order(out_trade_no).expect("paid");
}

#[tokio::test]
async fn notify_retried_until_acknowledged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 21).await;
    // 100 times faster: 15 s, 15 s, 30 s and 3 min become 150, 150, 300 and 1800 ms.
    let set: serde_json::Value = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/clock"))
        .json(&json!({ "compression": 100.0 }))
        .send()
        .await
        .expect("admin call")
        .json()
        .await
        .expect("JSON");
    assert_eq!(set["compression"], 100.0);
    let (url, arrivals) = merchant_server(3).await;

    paid_with_notify(&sandbox, "NR1001", &url).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;

    let seen = arrivals.lock().expect("lock").clone();
    assert_eq!(
        seen.len(),
        4,
        "three rejected attempts, then the acknowledged one"
    );
    let expected = [150, 150, 300];
    for (n, window) in seen.windows(2).enumerate() {
        let gap = window[1].0 - window[0].0;
        let want = Duration::from_millis(expected[n]);
        assert!(
            gap >= want.mul_f64(0.9),
            "gap {n} was {gap:?}, expected {want:?}"
        );
        assert!(
            gap < want + Duration::from_millis(700),
            "gap {n} was {gap:?}"
        );
    }
    for (_, body) in &seen {
        assert_eq!(body, &seen[0].1, "every attempt sends the same notify");
    }
    let notify = wxpay::parse_pay_notify(&seen[0].1, &api_key()).expect("valid notify");
    assert_eq!(notify.out_trade_no, "NR1001");
}

#[tokio::test]
async fn duplicate_notify_after_acknowledgement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 21).await;
    sandbox
        .handle
        .set_time_compression(100.0)
        .expect("valid factor");
    let enabled = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/notify"))
        .json(&json!({ "duplicate": true }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(enabled.status(), 200);
    let (url, arrivals) = merchant_server(0).await;

    paid_with_notify(&sandbox, "ND1001", &url).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let seen = arrivals.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "the acknowledged notify and one duplicate");
    assert_eq!(seen[0].1, seen[1].1);
    assert!(seen[1].0 - seen[0].0 >= Duration::from_millis(135));
}

#[tokio::test]
async fn invalid_compression_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 21).await;
    assert!(sandbox.handle.set_time_compression(0.0).is_err());
    assert!(sandbox.handle.set_time_compression(-3.0).is_err());
    let reply = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/clock"))
        .json(&json!({ "compression": 0.0 }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(reply.status(), 400);
    let clock: serde_json::Value = sandbox
        .client
        .get(sandbox.url("/sandbox/admin/clock"))
        .send()
        .await
        .expect("admin call")
        .json()
        .await
        .expect("JSON");
    assert_eq!(clock["compression"], 1.0);
}
