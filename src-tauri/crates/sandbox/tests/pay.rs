//! Pay paths over real HTTPS: the envelope checks, unifiedorder, orderquery and closeorder.

mod common;

use common::{signed, Sandbox, APPID};
use wxpay::sign::SignType;

#[tokio::test]
async fn bad_signature_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let mut fields = signed(&[("out_trade_no", "A1001")], SignType::Md5);
    fields.insert("out_trade_no".into(), "A1002".into());
    let reply = sandbox
        .pay_with(&sandbox.client, "/pay/orderquery", fields)
        .await;

    assert_eq!(reply["return_code"], "FAIL");
    assert_eq!(reply["return_msg"], "签名错误");
    assert!(!reply.contains_key("sign"));
}

#[tokio::test]
async fn envelope_checks_merchant_and_xml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let garbage = sandbox
        .post_raw(&sandbox.client, "/pay/orderquery", "<xml><a>".into())
        .await;
    assert!(garbage.contains("XML格式错误"), "{garbage}");

    let mut other_appid = signed(&[("out_trade_no", "A1")], SignType::Md5);
    other_appid.insert("appid".into(), "wx0000000000000000".into());
    let signature = wxpay::sign::sign(&other_appid, &common::api_key(), SignType::Md5);
    other_appid.insert("sign".into(), signature);
    let reply = sandbox
        .pay_with(&sandbox.client, "/pay/orderquery", other_appid)
        .await;
    assert_eq!(reply["return_code"], "FAIL");
    assert_eq!(reply["return_msg"], "appid和mch_id不匹配");
}

#[tokio::test]
async fn unknown_order_not_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let reply = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "NO-SUCH-ORDER")])
        .await;

    assert_eq!(reply["return_code"], "SUCCESS");
    assert_eq!(reply["result_code"], "FAIL");
    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
    assert_eq!(reply["appid"], APPID);
}

#[tokio::test]
async fn hmac_request_gets_hmac_reply() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let fields = signed(&[("out_trade_no", "NO-SUCH-ORDER")], SignType::HmacSha256);
    let reply = sandbox
        .pay_with(&sandbox.client, "/pay/orderquery", fields)
        .await;

    assert_eq!(reply["err_code"], "ORDERNOTEXIST");
    assert_eq!(reply["sign"].len(), 64);
}

#[tokio::test]
async fn unified_order_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let native = |no: &'static str, fee: &'static str| {
        vec![
            ("body", "拿铁咖啡"),
            ("out_trade_no", no),
            ("total_fee", fee),
            ("spbill_create_ip", "127.0.0.1"),
            ("notify_url", "https://shop.invalid/notify"),
            ("trade_type", "NATIVE"),
            ("product_id", "SKU0001"),
        ]
    };

    let first = sandbox
        .pay("/pay/unifiedorder", &native("N2001", "1800"))
        .await;
    assert_eq!(first["result_code"], "SUCCESS", "{first:?}");
    assert!(first["code_url"].starts_with("weixin://wxpay/bizpayurl?pr="));
    assert_eq!(first["prepay_id"].len(), 36);

    let repeat = sandbox
        .pay("/pay/unifiedorder", &native("N2001", "1800"))
        .await;
    assert_eq!(repeat["prepay_id"], first["prepay_id"]);

    let changed = sandbox
        .pay("/pay/unifiedorder", &native("N2001", "1900"))
        .await;
    assert_eq!(changed["result_code"], "FAIL");
    assert_eq!(changed["err_code"], "OUT_TRADE_NO_USED");

    let mut no_product = native("N2002", "1800");
    no_product.retain(|(k, _)| *k != "product_id");
    let reply = sandbox.pay("/pay/unifiedorder", &no_product).await;
    assert_eq!(reply["err_code"], "PARAM_ERROR");

    let mut jsapi = native("N2003", "1800");
    jsapi.retain(|(k, _)| *k != "product_id" && *k != "trade_type");
    jsapi.push(("trade_type", "JSAPI"));
    let reply = sandbox.pay("/pay/unifiedorder", &jsapi).await;
    assert_eq!(reply["err_code"], "PARAM_ERROR");
    assert!(reply["err_code_des"].contains("openid"));

    let mut no_body = native("N2004", "1800");
    no_body.retain(|(k, _)| *k != "body");
    let reply = sandbox.pay("/pay/unifiedorder", &no_body).await;
    assert_eq!(reply["return_code"], "FAIL");
    assert!(reply["return_msg"].contains("body"));
}

#[tokio::test]
async fn order_paid_then_queried_and_closed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;

    let created = sandbox.jsapi_order("J3001", "2500").await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    let unpaid = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "J3001")])
        .await;
    assert_eq!(unpaid["trade_state"], "NOTPAY");
    assert!(!unpaid.contains_key("transaction_id"));

    sandbox.handle.pay_order("J3001").expect("paid");
    let paid = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "J3001")])
        .await;
    assert_eq!(paid["trade_state"], "SUCCESS");
    assert_eq!(paid["total_fee"], "2500");
    assert_eq!(paid["cash_fee"], "2500");
    assert_eq!(paid["time_end"].len(), 14);
    let transaction_id = paid["transaction_id"].clone();
    assert_eq!(transaction_id.len(), 28);
    assert!(transaction_id.starts_with("42000"));

    let by_tx = sandbox
        .pay("/pay/orderquery", &[("transaction_id", &transaction_id)])
        .await;
    assert_eq!(by_tx["out_trade_no"], "J3001");

    let again = sandbox.jsapi_order("J3001", "2500").await;
    assert_eq!(again["err_code"], "ORDERPAID");
    let close_paid = sandbox
        .pay("/pay/closeorder", &[("out_trade_no", "J3001")])
        .await;
    assert_eq!(close_paid["err_code"], "ORDERPAID");

    sandbox.jsapi_order("J3002", "900").await;
    let closed = sandbox
        .pay("/pay/closeorder", &[("out_trade_no", "J3002")])
        .await;
    assert_eq!(closed["result_code"], "SUCCESS", "{closed:?}");
    let state = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "J3002")])
        .await;
    assert_eq!(state["trade_state"], "CLOSED");
    let closed_again = sandbox
        .pay("/pay/closeorder", &[("out_trade_no", "J3002")])
        .await;
    assert_eq!(closed_again["err_code"], "ORDERCLOSED");
}

#[tokio::test]
async fn admin_api_pays_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    sandbox.jsapi_order("J4001", "1200").await;

    let reply = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/orders/J4001/pay"))
        .json(&serde_json::json!({ "bank_type": "CMB_CREDIT" }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(reply.status(), 200);

    let paid = sandbox
        .pay("/pay/orderquery", &[("out_trade_no", "J4001")])
        .await;
    assert_eq!(paid["trade_state"], "SUCCESS");
    assert_eq!(paid["bank_type"], "CMB_CREDIT");

    let twice = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/orders/J4001/pay"))
        .send()
        .await
        .expect("admin call");
    assert_eq!(twice.status(), 409);
    let missing = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/orders/NOPE/pay"))
        .send()
        .await
        .expect("admin call");
    assert_eq!(missing.status(), 404);
}
