//! Every fault kind over real HTTPS: delays, held and dropped connections, 5xx
//! statuses, signed business failures, damaged replies, counts and clearing, and each
//! err_code the console explains, produced on demand on its own path.

mod common;

use std::time::{Duration, Instant};

use common::{signed, Sandbox};
use sandbox::{Fault, FaultKind};
use serde_json::{json, Value};
use wxpay::sign::SignType;

fn fault(path: &str, kind: FaultKind, count: u32, delay_ms: u64) -> Fault {
    Fault {
        path: path.to_owned(),
        kind,
        count,
        delay_ms,
    }
}

fn query_body() -> String {
    wxpay::xml::encode(&signed(&[("out_trade_no", "NOPE")], SignType::Md5))
}

async fn arm(sandbox: &Sandbox, body: Value) -> Value {
    let reply = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/faults"))
        .json(&body)
        .send()
        .await
        .expect("admin call");
    assert_eq!(reply.status(), 200);
    reply.json().await.expect("JSON reply")
}

#[tokio::test]
async fn delay_waits_then_handles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    sandbox
        .handle
        .inject_fault(fault("/pay/orderquery", FaultKind::Delay, 1, 600));

    let started = Instant::now();
    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
        .await;
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
}

#[tokio::test]
async fn timeout_outlasts_client_then_drops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    arm(
        &sandbox,
        json!({ "path": "/pay/orderquery", "kind": "timeout", "count": 2, "delay_ms": 1500 }),
    )
    .await;

    let impatient = sandbox
        .client
        .post(sandbox.url("/pay/orderquery"))
        .timeout(Duration::from_millis(500))
        .body(query_body())
        .send()
        .await;
    let err = impatient.expect_err("the held request timed out");
    assert!(err.is_timeout(), "{err:?}");

    // A patient client sees the connection close after the hold, with no reply.
    let started = Instant::now();
    let patient = sandbox
        .client
        .post(sandbox.url("/pay/orderquery"))
        .body(query_body())
        .send()
        .await;
    assert!(patient.is_err(), "a held request got a reply");
    assert!(started.elapsed() >= Duration::from_millis(1500));

    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
        .await;
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
}

#[tokio::test]
async fn connection_reset_sends_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    sandbox.paid_order("K1", "300").await;
    sandbox.handle.inject_fault(fault(
        "/secapi/pay/refund",
        FaultKind::ConnectionReset,
        1,
        0,
    ));
    let balance = sandbox.handle.balance();
    let refund = signed(
        &[
            ("out_trade_no", "K1"),
            ("out_refund_no", "K1R"),
            ("total_fee", "300"),
            ("refund_fee", "100"),
        ],
        SignType::Md5,
    );

    let reset = sandbox
        .cert_client
        .post(sandbox.url("/secapi/pay/refund"))
        .body(wxpay::xml::encode(&refund))
        .send()
        .await;
    let err = reset.expect_err("a reset connection got a reply");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(sandbox.handle.balance(), balance, "the refund was handled");

    let retried = sandbox
        .pay_with(&sandbox.cert_client, "/secapi/pay/refund", refund)
        .await;
    assert_eq!(retried["result_code"], "SUCCESS", "{retried:?}");
}

#[tokio::test]
async fn http_status_replied() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    arm(
        &sandbox,
        json!({ "path": "/pay/orderquery", "kind": "http_status:503" }),
    )
    .await;

    let reply = sandbox
        .client
        .post(sandbox.url("/pay/orderquery"))
        .body(query_body())
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.status(), 503);
    let next = sandbox
        .client
        .post(sandbox.url("/pay/orderquery"))
        .body(query_body())
        .send()
        .await
        .expect("reply");
    assert_eq!(next.status(), 200);
}

#[tokio::test]
async fn retry_codes_signed_with_request_algorithm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    for (kind, code) in [
        (FaultKind::SystemError, "SYSTEMERROR"),
        (FaultKind::BizErrNeedRetry, "BIZERR_NEED_RETRY"),
        (FaultKind::FrequencyLimited, "FREQUENCY_LIMITED"),
    ] {
        sandbox
            .handle
            .inject_fault(fault("/pay/orderquery", kind, 1, 0));
        let request = signed(&[("out_trade_no", "NOPE")], SignType::HmacSha256);
        let reply = sandbox
            .pay_with(&sandbox.client, "/pay/orderquery", request)
            .await;
        assert_eq!(reply["return_code"], "SUCCESS", "{kind}");
        assert_eq!(reply["result_code"], "FAIL", "{kind}");
        assert_eq!(reply["err_code"], code);
        assert!(!reply["err_code_des"].is_empty(), "{kind}");
        let sign_type = wxpay::sign::verify(&reply, &common::api_key()).expect("verifies");
        assert_eq!(sign_type, SignType::HmacSha256, "{kind}");
    }
}

#[tokio::test]
async fn bad_signature_fails_verification() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    sandbox
        .handle
        .inject_fault(fault("/pay/orderquery", FaultKind::BadSignature, 1, 0));

    let text = sandbox
        .post_raw(&sandbox.client, "/pay/orderquery", query_body())
        .await;
    let reply = wxpay::xml::decode(text.as_bytes()).expect("still XML");
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
    assert!(reply.contains_key("sign"));
    assert!(wxpay::sign::verify(&reply, &common::api_key()).is_err());
}

#[tokio::test]
async fn truncated_reply_is_not_xml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    sandbox
        .handle
        .inject_fault(fault("/pay/orderquery", FaultKind::TruncatedXml, 1, 0));

    let text = sandbox
        .post_raw(&sandbox.client, "/pay/orderquery", query_body())
        .await;
    assert!(text.starts_with("<xml>"), "{text}");
    assert!(wxpay::xml::decode(text.as_bytes()).is_err(), "{text}");
}

#[tokio::test]
async fn count_zero_lasts_until_cleared() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    arm(
        &sandbox,
        json!({ "path": "/pay/orderquery", "kind": "frequency_limited", "count": 0 }),
    )
    .await;
    arm(
        &sandbox,
        json!({ "path": "/pay/closeorder", "kind": "system_error", "count": 0 }),
    )
    .await;

    for _ in 0..4 {
        let reply = sandbox
            .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
            .await;
        assert_eq!(reply["err_code"], "FREQUENCY_LIMITED");
    }
    let listed: Value = sandbox
        .client
        .get(sandbox.url("/sandbox/admin/faults"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    assert_eq!(listed["faults"][0]["kind"], "frequency_limited");
    assert_eq!(listed["faults"][0]["count"], 0);

    let cleared: Value = sandbox
        .client
        .delete(sandbox.url("/sandbox/admin/faults?path=/pay/orderquery"))
        .send()
        .await
        .expect("clear")
        .json()
        .await
        .expect("JSON");
    assert_eq!(cleared["faults"].as_array().map(Vec::len), Some(1));
    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "NOPE")])
        .await;
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
    assert_eq!(sandbox.handle.faults().len(), 1);
    sandbox.handle.clear_faults_for("/pay/closeorder");
    assert!(sandbox.handle.faults().is_empty());
}

#[tokio::test]
async fn unknown_kind_rejected_by_admin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    for kind in ["business_error:NO_SUCH_CODE", "http_status:200", "explode"] {
        let reply = sandbox
            .client
            .post(sandbox.url("/sandbox/admin/faults"))
            .json(&json!({ "path": "/pay/orderquery", "kind": kind }))
            .send()
            .await
            .expect("admin call");
        assert!(reply.status().is_client_error(), "{kind} accepted");
    }
    assert!(sandbox.handle.faults().is_empty());
}

/// The err_codes the console explains, per call, from wxpay's explain tables.
const EXPLAINED: &[(&str, &[&str])] = &[
    (
        "/secapi/pay/refund",
        &[
            "NOTENOUGH",
            "TRADE_OVERDUE",
            "USER_ACCOUNT_ABNORMAL",
            "INVALID_REQ_TOO_MUCH",
            "FREQUENCY_LIMITED",
            "ORDERNOTEXIST",
            "ERROR",
            "BIZERR_NEED_RETRY",
            "SYSTEMERROR",
            "INVALID_TRANSACTIONID",
            "PARAM_ERROR",
            "APPID_NOT_EXIST",
            "MCHID_NOT_EXIST",
            "APPID_MCHID_NOT_MATCH",
            "REQUIRE_POST_METHOD",
            "SIGNERROR",
            "XML_FORMAT_ERROR",
            "LACK_PARAMS",
            "POST_DATA_EMPTY",
            "NOT_UTF8",
            "NOAUTH",
        ],
    ),
    (
        "/pay/unifiedorder",
        &[
            "ORDERPAID",
            "ORDERCLOSED",
            "OUT_TRADE_NO_USED",
            "NOTENOUGH",
            "INVALID_REQUEST",
            "SYSTEMERROR",
            "NOAUTH",
            "SIGNERROR",
        ],
    ),
    ("/pay/orderquery", &["ORDERNOTEXIST", "SYSTEMERROR"]),
    (
        "/pay/closeorder",
        &["ORDERPAID", "ORDERCLOSED", "ORDERNOTEXIST", "SYSTEMERROR"],
    ),
    ("/pay/refundquery", &["REFUNDNOTEXIST", "SYSTEMERROR"]),
    (
        "/pay/micropay",
        &[
            "USERPAYING",
            "SYSTEMERROR",
            "BANKERROR",
            "AUTHCODEEXPIRE",
            "AUTH_CODE_ERROR",
            "AUTH_CODE_INVALID",
            "NOTENOUGH",
            "NOTSUPORTCARD",
            "ORDERPAID",
            "ORDERCLOSED",
            "ORDERREVERSED",
            "BUYER_MISMATCH",
            "OUT_TRADE_NO_USED",
            "TRADE_ERROR",
        ],
    ),
    (
        "/secapi/pay/reverse",
        &["REVERSE_EXPIRE", "SYSTEMERROR", "ORDERNOTEXIST"],
    ),
];

#[tokio::test]
async fn every_explained_code_produced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 11).await;
    for (path, codes) in EXPLAINED {
        for code in *codes {
            let armed = arm(
                &sandbox,
                json!({ "path": path, "kind": format!("business_error:{code}") }),
            )
            .await;
            assert_eq!(armed["faults"][0]["kind"], format!("business_error:{code}"));

            let request = signed(&[("out_trade_no", "E1")], SignType::Md5);
            // pay_with checks the reply's signature.
            let reply = sandbox.pay_with(&sandbox.cert_client, path, request).await;
            assert_eq!(reply["return_code"], "SUCCESS", "{path} {code}");
            assert_eq!(reply["result_code"], "FAIL", "{path} {code}");
            assert_eq!(reply["err_code"], *code, "{path}");
            assert!(reply.contains_key("sign"), "{path} {code}");
            let des = sandbox::ERR_CODES
                .iter()
                .find(|(known, _)| known == code)
                .map(|(_, des)| *des);
            assert_eq!(reply.get("err_code_des").map(String::as_str), des);
        }
    }
    assert!(sandbox.handle.faults().is_empty());
}
