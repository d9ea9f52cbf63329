//! Signature checks on WeChat's public sample replies and notifies.

mod common;

use common::{demo_key, fixture};
use wxpay::sign::{verify, SignError};
use wxpay::{xml, SignType};

const SIGNED_MD5: &[&str] = &[
    "pay_notify_success.xml",
    "pay_notify_coupon.xml",
    "orderquery_success_coupons.xml",
    "orderquery_trade_state_refund.xml",
    "refund_success.xml",
    "refund_fail_notenough.xml",
    "refundquery_refund_count_2.xml",
    "unifiedorder_native_success.xml",
];

#[test]
fn signed_samples_verify_md5() {
    for name in SIGNED_MD5 {
        let Some(body) = fixture(name) else { continue };
        let fields = xml::decode(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verify(&fields, &demo_key()), Ok(SignType::Md5), "{name}");
    }
}

#[test]
fn hmac_notify_verifies_by_length() {
    let Some(body) = fixture("pay_notify_success_hmac_sha256.xml") else {
        return;
    };
    let fields = xml::decode(&body).unwrap();
    assert!(!fields.contains_key("sign_type"));
    assert_eq!(verify(&fields, &demo_key()), Ok(SignType::HmacSha256));
}

#[test]
fn official_bad_sign_is_rejected() {
    let Some(body) = fixture("pay_notify_bad_sign_official.xml") else {
        return;
    };
    let fields = xml::decode(&body).unwrap();
    assert_eq!(
        verify(&fields, &demo_key()),
        Err(SignError::Mismatch(SignType::Md5))
    );
}

#[test]
fn tampered_sample_is_rejected() {
    let Some(body) = fixture("pay_notify_success.xml") else {
        return;
    };
    let mut fields = xml::decode(&body).unwrap();
    fields.insert("total_fee".into(), "1".into());
    assert_eq!(
        verify(&fields, &demo_key()),
        Err(SignError::Mismatch(SignType::Md5))
    );
}

#[test]
fn return_fail_sample_has_no_sign() {
    let Some(body) = fixture("refund_return_fail_invalid_refund_fee.xml") else {
        return;
    };
    let fields = xml::decode(&body).unwrap();
    assert_eq!(fields["return_code"], "FAIL");
    assert_eq!(verify(&fields, &demo_key()), Err(SignError::Missing));
}

#[test]
fn empty_attach_is_left_out_of_signature() {
    let Some(body) = fixture("orderquery_trade_state_refund.xml") else {
        return;
    };
    let fields = xml::decode(&body).unwrap();
    assert_eq!(fields.get("attach").map(String::as_str), Some(""));
    assert!(verify(&fields, &demo_key()).is_ok());
}

#[test]
fn every_sample_xml_decodes() {
    let Ok(entries) = std::fs::read_dir(common::fixtures_dir()) else {
        eprintln!("skipped: samples folder absent");
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".xml") || name.ends_with(".decrypted.xml") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        assert!(xml::decode(&body).is_ok(), "{name} did not decode");
    }
}
