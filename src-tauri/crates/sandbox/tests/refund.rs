//! Refunds over real HTTPS with the merchant certificate: the certificate rule, amount
//! limits, idempotent out_refund_no, the balance, and refundquery.

mod common;

use std::time::Duration;

use common::Sandbox;
use wxpay::Fen;

fn refund_request<'a>(
    out_trade_no: &'a str,
    out_refund_no: &'a str,
    total: &'a str,
    fee: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("out_trade_no", out_trade_no),
        ("out_refund_no", out_refund_no),
        ("total_fee", total),
        ("refund_fee", fee),
    ]
}

#[tokio::test]
async fn refund_requires_client_cert() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.paid_order("R1001", "5000").await;

    let without = sandbox
        .pay(
            "/secapi/pay/refund",
            &refund_request("R1001", "RF1", "5000", "100"),
        )
        .await;
    assert_eq!(without["return_code"], "FAIL");
    assert!(without["return_msg"].contains("证书"), "{without:?}");

    let with = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R1001", "RF1", "5000", "100"),
        )
        .await;
    assert_eq!(with["result_code"], "SUCCESS", "{with:?}");
}

#[tokio::test]
async fn over_refund_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.paid_order("R2001", "1000").await;

    let above_total = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF21", "1000", "1001"),
        )
        .await;
    assert_eq!(above_total["return_code"], "FAIL");
    assert_eq!(above_total["return_msg"], "invalid refund_fee");

    let first = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF22", "1000", "600"),
        )
        .await;
    assert_eq!(first["result_code"], "SUCCESS", "{first:?}");
    let over = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF23", "1000", "500"),
        )
        .await;
    assert_eq!(over["result_code"], "FAIL");
    assert_eq!(over["err_code"], "INVALID_REQUEST");

    let rest = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF24", "1000", "400"),
        )
        .await;
    assert_eq!(rest["result_code"], "SUCCESS", "{rest:?}");
    let after_full = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF25", "1000", "1"),
        )
        .await;
    assert_eq!(after_full["err_code"], "ERROR");
    assert_eq!(after_full["err_code_des"], "订单已全额退款");

    let wrong_total = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R2001", "RF26", "999", "1"),
        )
        .await;
    assert_eq!(wrong_total["err_code"], "REFUND_FEE_MISMATCH");
}

#[tokio::test]
async fn out_refund_no_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.paid_order("R3001", "3000").await;
    let balance = sandbox.handle.balance();

    let request = refund_request("R3001", "RF31", "3000", "1000");
    let first = sandbox.pay_cert("/secapi/pay/refund", &request).await;
    let second = sandbox.pay_cert("/secapi/pay/refund", &request).await;
    assert_eq!(first["result_code"], "SUCCESS", "{first:?}");
    assert_eq!(second["result_code"], "SUCCESS", "{second:?}");
    assert_eq!(first["refund_id"], second["refund_id"]);
    assert_eq!(first["refund_id"].len(), 29);
    assert_eq!(sandbox.handle.balance(), Fen(balance.0 - 1000));

    let query = sandbox
        .pay("/pay/refundquery", &[("out_trade_no", "R3001")])
        .await;
    assert_eq!(query["refund_count"], "1");

    let changed = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R3001", "RF31", "3000", "1200"),
        )
        .await;
    assert_eq!(changed["err_code"], "REFUND_FEE_MISMATCH");
}

#[tokio::test]
async fn refund_processing_then_success() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox
        .handle
        .set_refund_delay(Duration::from_secs(3))
        .expect("delay set");
    sandbox.paid_order("R4001", "2000").await;

    let accepted = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R4001", "RF41", "2000", "500"),
        )
        .await;
    let refund_id = accepted["refund_id"].clone();

    let processing = sandbox
        .pay("/pay/refundquery", &[("refund_id", &refund_id)])
        .await;
    assert_eq!(processing["refund_status_0"], "PROCESSING");
    assert!(!processing.contains_key("refund_success_time_0"));

    tokio::time::sleep(Duration::from_millis(3500)).await;
    let done = sandbox
        .pay("/pay/refundquery", &[("out_refund_no", "RF41")])
        .await;
    assert_eq!(done["refund_status_0"], "SUCCESS");
    assert_eq!(done["refund_success_time_0"].len(), 19);
    assert_eq!(done["refund_fee_0"], "500");

    let order = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "R4001")])
        .await;
    assert_eq!(order["trade_state"], "REFUND");
}

#[tokio::test]
async fn balance_too_low_not_enough() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.paid_order("R5001", "8000").await;
    sandbox.handle.set_balance(Fen(100)).expect("balance set");

    let refused = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R5001", "RF51", "8000", "5000"),
        )
        .await;
    assert_eq!(refused["err_code"], "NOTENOUGH");

    let top_up = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/balance/top_up"))
        .json(&serde_json::json!({ "amount_fen": 10000 }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(top_up.status(), 200);
    assert_eq!(sandbox.handle.balance(), Fen(10100));

    let retried = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R5001", "RF51", "8000", "5000"),
        )
        .await;
    assert_eq!(retried["result_code"], "SUCCESS", "{retried:?}");
    assert_eq!(sandbox.handle.balance(), Fen(5100));
}

#[tokio::test]
async fn unpaid_order_cannot_be_refunded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.jsapi_order("R6001", "800").await;

    let reply = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &refund_request("R6001", "RF61", "800", "100"),
        )
        .await;
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");

    let by_bad_tx = sandbox
        .pay_cert(
            "/secapi/pay/refund",
            &[
                ("transaction_id", "4200000000202601010000000000"),
                ("out_refund_no", "RF62"),
                ("total_fee", "800"),
                ("refund_fee", "100"),
            ],
        )
        .await;
    assert_eq!(by_bad_tx["err_code"], "INVALID_TRANSACTIONID");
}

#[tokio::test]
async fn refund_query_pages_past_ten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.paid_order("R7001", "100").await;
    for n in 0..12 {
        let no = format!("RF7{n:02}");
        let reply = sandbox
            .pay_cert(
                "/secapi/pay/refund",
                &refund_request("R7001", &no, "100", "1"),
            )
            .await;
        assert_eq!(reply["result_code"], "SUCCESS", "{reply:?}");
    }

    let first = sandbox
        .pay("/pay/refundquery", &[("out_trade_no", "R7001")])
        .await;
    assert_eq!(first["refund_count"], "10");
    assert_eq!(first["total_refund_count"], "12");
    assert_eq!(first["out_refund_no_0"], "RF700");
    assert!(first.contains_key("refund_id_9"));
    assert!(!first.contains_key("refund_id_10"));

    let second = sandbox
        .pay(
            "/pay/refundquery",
            &[("out_trade_no", "R7001"), ("offset", "10")],
        )
        .await;
    assert_eq!(second["refund_count"], "2");
    assert_eq!(second["out_refund_no_0"], "RF710");
    assert_eq!(second["out_refund_no_1"], "RF711");

    let unknown = sandbox
        .pay("/pay/refundquery", &[("out_refund_no", "NOPE")])
        .await;
    assert_eq!(unknown["err_code"], "REFUNDNOTEXIST");
}
