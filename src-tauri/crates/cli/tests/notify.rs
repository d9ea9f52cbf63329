//! `wxmc notify decode` on WeChat's sample notifies (when the shared fixtures are on this
//! machine) and on payment and refund notifies made here with the demo key.

mod support;

use support::{fixtures, run, DEMO_KEY};
use wxpay::{Fields, NOTIFY_ACK};

/// The API key that encrypted the public refund notify sample.
const REFUND_SAMPLE_KEY: &str = "OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk";

fn first_json_line(stdout: &str) -> serde_json::Value {
    let line = stdout.lines().next().expect("a JSON line");
    serde_json::from_str(line).expect("first line is JSON")
}

fn payment_lines() -> String {
    [
        "appid=wx2421b1c4370ec43b",
        "mch_id=1612345678",
        "nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "return_code=SUCCESS",
        "result_code=SUCCESS",
        "out_trade_no=T20261204000001",
        "transaction_id=4200000000202612040000000001",
        "total_fee=1800",
        "cash_fee=1800",
        "trade_type=JSAPI",
        "time_end=20261204120105",
        "openid=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    ]
    .join("\n")
}

#[test]
fn decode_self_signed_payment_notify() {
    let signed = run(
        &[
            "sign",
            "--key",
            DEMO_KEY,
            "--sign-type",
            "HMAC-SHA256",
            "--xml",
        ],
        payment_lines().as_bytes(),
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);

    let decoded = run(
        &["notify", "decode", "--key", DEMO_KEY],
        signed.stdout.as_bytes(),
    );
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    let json = first_json_line(&decoded.stdout);
    assert_eq!(json["sign_type"], "HMAC-SHA256");
    assert_eq!(json["out_trade_no"], "T20261204000001");
    assert_eq!(json["total_fee"], "1800");
    assert_eq!(decoded.stdout.lines().nth(1), Some(NOTIFY_ACK));
    assert!(!decoded.stderr.contains("warning"), "{}", decoded.stderr);
}

#[test]
fn decode_tampered_notify_exits_1() {
    let signed = run(
        &["sign", "--key", DEMO_KEY, "--xml"],
        payment_lines().as_bytes(),
    );
    let tampered = signed.stdout.replace("1800", "1");
    let decoded = run(
        &["notify", "decode", "--key", DEMO_KEY],
        tampered.as_bytes(),
    );
    assert_eq!(decoded.code, 1);
    assert!(decoded.stdout.is_empty());
    assert!(
        decoded.stderr.contains("does not match"),
        "{}",
        decoded.stderr
    );
}

#[test]
fn decode_self_encrypted_refund_notify() {
    let key = wxpay::ApiKey::new(DEMO_KEY.to_owned()).unwrap();
    let inner: Fields = [
        ("out_refund_no", "R20261204000001"),
        ("out_trade_no", "T20261204000001"),
        ("refund_id", "50300000002026120400000000001"),
        ("transaction_id", "4200000000202612040000000001"),
        ("total_fee", "1800"),
        ("refund_fee", "600"),
        ("refund_status", "SUCCESS"),
        ("success_time", "2026-12-04 12:30:00"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let envelope: Fields = [
        ("return_code", "SUCCESS"),
        ("appid", "wx2421b1c4370ec43b"),
        ("mch_id", "1612345678"),
        ("nonce_str", "c1c237efc87ee8dfcb3f9124b63a4d94"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([(
        "req_info".to_owned(),
        wxpay::refund_notify::encrypt_req_info(&inner, &key),
    )])
    .collect();
    let body = wxpay::xml::encode(&envelope);

    let decoded = run(&["notify", "decode", "--key", DEMO_KEY], body.as_bytes());
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    let json = first_json_line(&decoded.stdout);
    assert_eq!(json["out_refund_no"], "R20261204000001");
    assert_eq!(json["refund_fee"], "600");
    assert_eq!(json["refund_status"], "SUCCESS");
    assert_eq!(decoded.stdout.lines().nth(1), Some(NOTIFY_ACK));

    let wrong = run(
        &["notify", "decode", "--key", REFUND_SAMPLE_KEY],
        body.as_bytes(),
    );
    assert_eq!(wrong.code, 1);
    assert!(wrong.stdout.is_empty());
    assert!(
        wrong.stderr.contains("mch_id 1612345678"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn decode_fixture_payment_notifies() {
    let Some(dir) = fixtures() else {
        return;
    };
    for (file, sign_type) in [
        ("pay_notify_success.xml", "MD5"),
        ("pay_notify_success_hmac_sha256.xml", "HMAC-SHA256"),
        ("pay_notify_coupon.xml", "MD5"),
    ] {
        let body = std::fs::read(dir.join(file)).unwrap();
        let decoded = run(&["notify", "decode", "--key", DEMO_KEY], &body);
        assert_eq!(decoded.code, 0, "{file}: {}", decoded.stderr);
        let json = first_json_line(&decoded.stdout);
        assert_eq!(json["sign_type"], sign_type, "{file}");
        assert!(json["out_trade_no"].is_string(), "{file}");
        assert_eq!(decoded.stdout.lines().nth(1), Some(NOTIFY_ACK), "{file}");
    }
}

#[test]
fn decode_fixture_bad_sign_exits_1() {
    let Some(dir) = fixtures() else {
        return;
    };
    let body = std::fs::read(dir.join("pay_notify_bad_sign_official.xml")).unwrap();
    let decoded = run(&["notify", "decode", "--key", DEMO_KEY], &body);
    assert_eq!(decoded.code, 1);
    assert!(decoded.stderr.contains("signature"), "{}", decoded.stderr);
}

#[test]
fn decode_fixture_refund_notify() {
    let Some(dir) = fixtures() else {
        return;
    };
    let body = std::fs::read(dir.join("refund_notify_wechatpy.xml")).unwrap();
    let decoded = run(&["notify", "decode", "--key", REFUND_SAMPLE_KEY], &body);
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    let json = first_json_line(&decoded.stdout);

    let expected_xml =
        std::fs::read(dir.join("refund_notify_wechatpy.req_info.decrypted.xml")).unwrap();
    let expected = wxpay::xml::decode_root(&expected_xml, "root").unwrap();
    for (name, value) in &expected {
        assert_eq!(json[name], value.as_str(), "field {name}");
    }
    assert_eq!(json.as_object().unwrap().len(), expected.len());

    let wrong = run(&["notify", "decode", "--key", DEMO_KEY], &body);
    assert_eq!(wrong.code, 1);
    assert!(
        wrong
            .stderr
            .contains("API key is probably wrong for this mch_id"),
        "{}",
        wrong.stderr
    );
}
