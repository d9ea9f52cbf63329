//! Payment-code payments over real HTTPS: instant payment, USERPAYING until the password
//! delay passes, auth_code checks, and reversal behind the client certificate.

mod common;

use std::time::Duration;

use common::Sandbox;

fn micropay<'a>(
    out_trade_no: &'a str,
    total_fee: &'a str,
    auth_code: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("body", "收银台-拿铁咖啡"),
        ("out_trade_no", out_trade_no),
        ("total_fee", total_fee),
        ("spbill_create_ip", "127.0.0.1"),
        ("auth_code", auth_code),
        ("device_info", "POS-02"),
    ]
}

#[tokio::test]
async fn small_payment_paid_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 2).await;

    let paid = sandbox
        .pay(
            "/pay/micropay",
            &micropay("M1001", "1800", "134567890123456789"),
        )
        .await;
    assert_eq!(paid["result_code"], "SUCCESS", "{paid:?}");
    assert_eq!(paid["trade_type"], "MICROPAY");
    assert_eq!(paid["transaction_id"].len(), 28);
    assert_eq!(paid["device_info"], "POS-02");
    assert!(!paid.contains_key("trade_state"));

    let query = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "M1001")])
        .await;
    assert_eq!(query["trade_state"], "SUCCESS");

    let again = sandbox
        .pay(
            "/pay/micropay",
            &micropay("M1001", "1800", "134567890123456789"),
        )
        .await;
    assert_eq!(again["err_code"], "ORDERPAID");
}

#[tokio::test]
async fn auth_code_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 2).await;

    let cases = [
        ("M2001", "12345", "AUTH_CODE_INVALID"),
        ("M2002", "284567890123456789", "AUTH_CODE_INVALID"),
        ("M2003", "134567890123459999", "AUTHCODEEXPIRE"),
        ("M2004", "134567890123458888", "NOTENOUGH"),
    ];
    for (out_trade_no, auth_code, err_code) in cases {
        let reply = sandbox
            .pay("/pay/micropay", &micropay(out_trade_no, "1800", auth_code))
            .await;
        assert_eq!(reply["err_code"], err_code, "auth_code {auth_code}");
    }
}

#[tokio::test]
async fn large_payment_waits_for_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 2).await;
    sandbox
        .handle
        .set_password_delay(Duration::from_secs(2))
        .expect("delay set");

    let waiting = sandbox
        .pay(
            "/pay/micropay",
            &micropay("M3001", "68800", "104567890123456789"),
        )
        .await;
    assert_eq!(waiting["result_code"], "FAIL");
    assert_eq!(waiting["err_code"], "USERPAYING");
    let query = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "M3001")])
        .await;
    assert_eq!(query["trade_state"], "USERPAYING");
    assert!(!query.contains_key("time_end"));

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let query = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "M3001")])
        .await;
    assert_eq!(query["trade_state"], "SUCCESS");
    assert_eq!(query["total_fee"], "68800");
}

#[tokio::test]
async fn reverse_needs_cert_and_revokes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 2).await;
    sandbox
        .pay(
            "/pay/micropay",
            &micropay("M4001", "1500", "114567890123456789"),
        )
        .await;

    let without = sandbox
        .pay("/secapi/pay/reverse", &[("out_trade_no", "M4001")])
        .await;
    assert_eq!(without["return_code"], "FAIL");
    assert!(without["return_msg"].contains("证书"));

    let reversed = sandbox
        .pay_cert("/secapi/pay/reverse", &[("out_trade_no", "M4001")])
        .await;
    assert_eq!(reversed["result_code"], "SUCCESS", "{reversed:?}");
    assert_eq!(reversed["recall"], "N");
    let query = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "M4001")])
        .await;
    assert_eq!(query["trade_state"], "REVOKED");

    let twice = sandbox
        .pay_cert("/secapi/pay/reverse", &[("out_trade_no", "M4001")])
        .await;
    assert_eq!(twice["result_code"], "SUCCESS");
    let pay_again = sandbox
        .pay(
            "/pay/micropay",
            &micropay("M4001", "1500", "114567890123456789"),
        )
        .await;
    assert_eq!(pay_again["err_code"], "ORDERREVERSED");

    sandbox.paid_order("J4002", "900").await;
    let not_micropay = sandbox
        .pay_cert("/secapi/pay/reverse", &[("out_trade_no", "J4002")])
        .await;
    assert_eq!(not_micropay["err_code"], "PARAM_ERROR");
}
