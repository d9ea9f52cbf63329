//! Payment and refund notifies from WeChat's public samples.

mod common;

use common::{demo_key, fixture};
use wxpay::refund_notify::decrypt_req_info;
use wxpay::sign::SignError;
use wxpay::{
    parse_pay_notify, parse_refund_notify, xml, ApiKey, DecryptError, Fen, PayError, RefundStatus,
    SignType, TradeType,
};

#[test]
fn pay_notify_sample_verifies() {
    let Some(body) = fixture("pay_notify_success.xml") else {
        return;
    };
    let notify = parse_pay_notify(&body, &demo_key()).unwrap();
    assert_eq!(notify.out_trade_no, "54468989721541219324177967799889");
    assert_eq!(notify.transaction_id, "4200000000202004180000000082");
    assert_eq!(notify.total_fee, Fen(30000));
    assert_eq!(notify.cash_fee, Some(Fen(30000)));
    assert_eq!(notify.bank_type.as_deref(), Some("ABC_CREDIT"));
    assert_eq!(notify.trade_type, Some(TradeType::Jsapi));
    assert_eq!(notify.time_end.to_rfc3339(), "2020-04-18T07:20:47+00:00");
    assert_eq!(notify.sign_type, SignType::Md5);
}

#[test]
fn hmac_pay_notify_sample_verifies() {
    let Some(body) = fixture("pay_notify_success_hmac_sha256.xml") else {
        return;
    };
    let notify = parse_pay_notify(&body, &demo_key()).unwrap();
    assert_eq!(notify.sign_type, SignType::HmacSha256);
    assert_eq!(notify.total_fee, Fen(30000));
}

#[test]
fn coupon_notify_sample_reads_coupons() {
    let Some(body) = fixture("pay_notify_coupon.xml") else {
        return;
    };
    let notify = parse_pay_notify(&body, &demo_key()).unwrap();
    assert_eq!(notify.coupons.len(), 2);
    assert_eq!(notify.coupons[0].coupon_id, "10000");
    assert_eq!(notify.coupons[0].coupon_fee, Fen(100));
    assert_eq!(notify.coupons[1].coupon_type.as_deref(), Some("NO_CASH"));
    assert_eq!(notify.cash_fee, None);
    assert_eq!(notify.fields["sub_mch_id"], "10000100");
    assert_eq!(notify.attach.as_deref(), Some("支付测试"));
}

#[test]
fn bad_sign_notify_sample_is_rejected() {
    let Some(body) = fixture("pay_notify_bad_sign_official.xml") else {
        return;
    };
    let error = parse_pay_notify(&body, &demo_key()).unwrap_err();
    assert!(matches!(
        error,
        PayError::Signature {
            source: SignError::Mismatch(SignType::Md5),
            ..
        }
    ));
}

#[test]
fn tampered_notify_is_rejected() {
    let Some(body) = fixture("pay_notify_success.xml") else {
        return;
    };
    let text = String::from_utf8(body).unwrap();
    let tampered = text.replace("<total_fee>30000</total_fee>", "<total_fee>1</total_fee>");
    assert_ne!(text, tampered);
    let error = parse_pay_notify(tampered.as_bytes(), &demo_key()).unwrap_err();
    assert_eq!(error.explain().code, "SIGNATURE_INVALID");
}

#[test]
fn notify_with_extra_field_is_rejected() {
    let Some(body) = fixture("pay_notify_success.xml") else {
        return;
    };
    let text = String::from_utf8(body).unwrap();
    let extended = text.replace("</xml>", "<coupon_fee_0>1</coupon_fee_0></xml>");
    assert!(parse_pay_notify(extended.as_bytes(), &demo_key()).is_err());
}

#[test]
fn wechatpy_refund_notify_decrypts() {
    let (Some(body), Some(expected)) = (
        fixture("refund_notify_wechatpy.xml"),
        fixture("refund_notify_wechatpy.req_info.decrypted.xml"),
    ) else {
        return;
    };
    let key = ApiKey::new("OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk".into()).unwrap();
    let notify = parse_refund_notify(&body, &key).unwrap();
    assert_eq!(notify.appid, "wx4f4bc4dec97d474b");
    assert_eq!(notify.mch_id, "12345678");
    assert_eq!(notify.out_refund_no, "1234");
    assert_eq!(notify.out_trade_no, "2020010418301551404339261814");
    assert_eq!(notify.transaction_id, "4200000483202001042069747825");
    assert_eq!(notify.refund_id, "50300103182020010413419046597");
    assert_eq!(notify.refund_fee, Fen(1));
    assert_eq!(notify.refund_status, RefundStatus::Success);
    assert_eq!(
        notify.refund_recv_accout.as_deref(),
        Some("招商银行信用卡8915")
    );
    assert_eq!(
        notify.success_time.unwrap().to_rfc3339(),
        "2020-01-04T10:34:24+00:00"
    );
    let expected = xml::decode_root(&expected, "root").unwrap();
    assert_eq!(notify.fields, expected);
}

#[test]
fn gopay_req_info_decrypts() {
    let (Some(req_info), Some(expected)) = (
        fixture("refund_notify_req_info_gopay.txt"),
        fixture("refund_notify_req_info_gopay.decrypted.xml"),
    ) else {
        return;
    };
    let key = ApiKey::new("ziR0QKsTUfMOuochC9RfCdmfHECorQAP".into()).unwrap();
    let req_info = String::from_utf8(req_info).unwrap();
    let fields = decrypt_req_info(&req_info, &key).unwrap();
    assert_eq!(fields, xml::decode_root(&expected, "root").unwrap());
    assert_eq!(fields["refund_recv_accout"], "支付用户零钱");

    let envelope = format!(
        "<xml><return_code>SUCCESS</return_code><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>n</nonce_str><req_info><![CDATA[{}]]></req_info></xml>",
        req_info.trim()
    );
    let notify = parse_refund_notify(envelope.as_bytes(), &key).unwrap();
    assert_eq!(notify.out_refund_no, "50fd012ed1b311e7af7800163e32c503");
    assert_eq!(notify.refund_fee, Fen(6));
}

#[test]
fn refund_notify_with_wrong_key_blames_key() {
    let Some(body) = fixture("refund_notify_wechatpy.xml") else {
        return;
    };
    let error = parse_refund_notify(&body, &demo_key()).unwrap_err();
    assert!(matches!(error, PayError::Decrypt(DecryptError::Padding)));
    let explained = error.explain();
    assert_eq!(explained.code, "REQ_INFO_KEY_MISMATCH");
    assert!(explained
        .en
        .contains("the API key is probably wrong for this mch_id"));
}
