//! Persistence and determinism: the ledger and certificates survive a restart, and the
//! seeded history depends only on the seed.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::Sandbox;

#[tokio::test]
async fn state_survives_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Sandbox::start(dir.path(), 9).await;
    first
        .handle
        .set_refund_delay(Duration::from_millis(1))
        .expect("delay set");
    first.paid_order("S1001", "4200").await;
    let refund = first
        .pay_cert(
            "/secapi/pay/refund",
            &[
                ("out_trade_no", "S1001"),
                ("out_refund_no", "SRF1"),
                ("total_fee", "4200"),
                ("refund_fee", "1200"),
            ],
        )
        .await;
    assert_eq!(refund["result_code"], "SUCCESS", "{refund:?}");
    let balance = first.handle.balance();
    let ca = first.handle.ca_cert_pem.clone();
    let client_cert = first.handle.client_cert_pem.clone();
    first.handle.shutdown().await;

    let second = Sandbox::start(dir.path(), 9).await;
    assert_eq!(second.handle.ca_cert_pem, ca);
    assert_eq!(second.handle.client_cert_pem, client_cert);
    assert_eq!(second.handle.balance(), balance);

    let order = second
        .pay("/pay/orderquery", &[("out_trade_no", "S1001")])
        .await;
    assert_eq!(order["trade_state"], "REFUND");
    let refunds = second
        .pay("/pay/refundquery", &[("out_refund_no", "SRF1")])
        .await;
    assert_eq!(refunds["refund_id_0"], refund["refund_id"]);
    assert_eq!(refunds["refund_status_0"], "SUCCESS");

    let repeat = second
        .pay_cert(
            "/secapi/pay/refund",
            &[
                ("out_trade_no", "S1001"),
                ("out_refund_no", "SRF1"),
                ("total_fee", "4200"),
                ("refund_fee", "1200"),
            ],
        )
        .await;
    assert_eq!(repeat["refund_id"], refund["refund_id"]);
    assert_eq!(second.handle.balance(), balance);
}

async fn bill_of(sandbox: &Sandbox, days_back: i64) -> String {
    let day = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        - chrono::Duration::days(days_back);
    let date = day.format("%Y%m%d").to_string();
    let fields = common::signed(
        &[("bill_date", date.as_str()), ("bill_type", "ALL")],
        wxpay::sign::SignType::Md5,
    );
    sandbox
        .post_raw(
            &sandbox.client,
            "/pay/downloadbill",
            wxpay::xml::encode(&fields),
        )
        .await
}

#[tokio::test]
async fn history_depends_on_seed() {
    let dir_a = tempfile::tempdir().expect("temp dir");
    let dir_b = tempfile::tempdir().expect("temp dir");
    let dir_c = tempfile::tempdir().expect("temp dir");
    let a = Sandbox::start(dir_a.path(), 77).await;
    let b = Sandbox::start(dir_b.path(), 77).await;
    let c = Sandbox::start(dir_c.path(), 78).await;

    // Not yesterday, whose bill is not ready before 10:00 Beijing time.
    for days_back in [2, 7, 29] {
        let bill_a = bill_of(&a, days_back).await;
        assert!(
            bill_a.starts_with('\u{feff}'),
            "day -{days_back} has a bill"
        );
        assert_eq!(bill_a, bill_of(&b, days_back).await, "day -{days_back}");
        assert_ne!(bill_a, bill_of(&c, days_back).await, "day -{days_back}");
    }
}

#[tokio::test]
async fn state_of_other_merchant_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Sandbox::start(dir.path(), 1).await;
    first.handle.shutdown().await;

    let mut config = common::config(dir.path(), 1);
    config.appid = "wx1111111111111111".to_owned();
    let err = sandbox::start(config).await.expect_err("start rejected");
    assert!(matches!(err, sandbox::SandboxError::Ledger(_)), "{err}");
    assert!(err.to_string().contains("another state folder"), "{err}");
}

#[tokio::test]
async fn state_folder_used_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Sandbox::start(dir.path(), 1).await;

    let err = sandbox::start(common::config(dir.path(), 1))
        .await
        .expect_err("second sandbox on one folder");
    assert!(matches!(err, sandbox::SandboxError::InUse { .. }), "{err}");

    first.handle.shutdown().await;
    let again = sandbox::start(common::config(dir.path(), 1)).await;
    assert!(again.is_ok(), "folder free after shutdown");
}
