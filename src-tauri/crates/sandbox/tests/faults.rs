//! Fault injection: SYSTEMERROR before handling, a reply lost after handling (retrying
//! the same out_refund_no must not refund twice), and errcode -1 on Official Account paths.

mod common;

use common::{Sandbox, APPID, APP_SECRET};
use sandbox::{Fault, FaultKind};
use serde_json::json;
use wxpay::Fen;

#[tokio::test]
async fn lost_refund_reply_retried_safely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 6).await;
    sandbox.paid_order("F1001", "6000").await;
    let balance = sandbox.handle.balance();
    sandbox.handle.inject_fault(Fault {
        path: "/secapi/pay/refund".into(),
        kind: FaultKind::ReplyLost,
        count: 1,
        delay_ms: 0,
    });
    let request = [
        ("out_trade_no", "F1001"),
        ("out_refund_no", "FR1"),
        ("total_fee", "6000"),
        ("refund_fee", "2500"),
    ];

    let lost = sandbox.pay_cert("/secapi/pay/refund", &request).await;
    assert_eq!(lost["result_code"], "FAIL");
    assert_eq!(lost["err_code"], "SYSTEMERROR");
    assert_eq!(sandbox.handle.balance(), Fen(balance.0 - 2500));

    let retried = sandbox.pay_cert("/secapi/pay/refund", &request).await;
    assert_eq!(retried["result_code"], "SUCCESS", "{retried:?}");
    assert_eq!(sandbox.handle.balance(), Fen(balance.0 - 2500));
    let refunds = sandbox
        .pay("/pay/refundquery", &[("out_trade_no", "F1001")])
        .await;
    assert_eq!(refunds["refund_count"], "1");
}

#[tokio::test]
async fn system_error_then_normal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 6).await;
    let armed = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/faults"))
        .json(&json!({ "path": "/pay/orderquery", "kind": "system_error", "count": 2 }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(armed.status(), 200);

    for _ in 0..2 {
        let reply = sandbox
            .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
            .await;
        assert_eq!(reply["err_code"], "SYSTEMERROR");
    }
    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
        .await;
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");

    sandbox.handle.inject_fault(Fault {
        path: "/cgi-bin/stable_token".into(),
        kind: FaultKind::SystemError,
        count: 1,
        delay_ms: 0,
    });
    let body = json!({ "grant_type": "client_credential", "appid": APPID, "secret": APP_SECRET });
    let busy: serde_json::Value = sandbox
        .client
        .post(sandbox.url("/cgi-bin/stable_token"))
        .json(&body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(busy["errcode"], -1);
    let token: serde_json::Value = sandbox
        .client
        .post(sandbox.url("/cgi-bin/stable_token"))
        .json(&body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(token["access_token"].is_string(), "{token}");
}
