//! `PayClient` against a loopback server that signs its replies as WeChat does.

mod common;

use chrono::NaiveDate;
use common::server::{self, fields, sign_fields, signed_success, Reply};
use common::{demo_key, fixture, APPID, MCH_ID};
use wxpay::model::{
    CloseOrderReply, OrderRef, RefundQueryRef, RefundQueryRequest, RefundRequest,
    UnifiedOrderRequest, UnifiedTradeType,
};
use wxpay::sign::{verify, SignError};
use wxpay::{
    BillDownloadError, BillType, ConfigError, Fen, Hosts, PayClient, PayConfig, PayError,
    RefundStatus, SignType, TradeState, TradeType, TransportKind,
};

fn client_for(base_url: &str) -> PayClient {
    let config = PayConfig::new(APPID, MCH_ID, demo_key(), Hosts::single(base_url));
    PayClient::new(config).unwrap()
}

fn native_order() -> UnifiedOrderRequest {
    UnifiedOrderRequest {
        body: "咖啡店-拿铁".into(),
        out_trade_no: "20260101120000001".into(),
        total_fee: Fen(1800),
        spbill_create_ip: "127.0.0.1".into(),
        notify_url: "https://shop.example/wxpay/notify".into(),
        trade_type: UnifiedTradeType::Native {
            product_id: "latte".into(),
        },
        attach: Some("桌号 7".into()),
        time_start: None,
        time_expire: None,
        goods_tag: None,
    }
}

fn refund_request() -> RefundRequest {
    RefundRequest {
        order: OrderRef::OutTradeNo("20260101120000001".into()),
        out_refund_no: "R20260101120000001-1".into(),
        total_fee: Fen(1800),
        refund_fee: Fen(800),
        refund_desc: None,
        refund_account: None,
        notify_url: None,
    }
}

#[tokio::test]
async fn unified_order_native_round_trip() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("trade_type", "NATIVE"),
            ("prepay_id", "wx201410272009395522657a690389285100"),
            ("code_url", "weixin://wxpay/bizpayurl?pr=QXuSXeo"),
        ]))
    })
    .await;
    let reply = client_for(&server.base_url)
        .unified_order(&native_order())
        .await
        .unwrap();
    assert_eq!(reply.trade_type, TradeType::Native);
    assert_eq!(reply.prepay_id, "wx201410272009395522657a690389285100");
    assert_eq!(
        reply.code_url.as_deref(),
        Some("weixin://wxpay/bizpayurl?pr=QXuSXeo")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.path, "/pay/unifiedorder");
    assert_eq!(sent.content_type, "text/xml; charset=utf-8");
    assert_eq!(sent.fields["appid"], APPID);
    assert_eq!(sent.fields["mch_id"], MCH_ID);
    assert_eq!(sent.fields["product_id"], "latte");
    assert_eq!(sent.fields["attach"], "桌号 7");
    assert_eq!(sent.fields["nonce_str"].len(), 32);
    assert!(!sent.fields.contains_key("sign_type"));
    assert_eq!(verify(&sent.fields, &demo_key()), Ok(SignType::Md5));
}

#[tokio::test]
async fn nonce_differs_per_request() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("trade_state", "NOTPAY"),
            ("out_trade_no", "1"),
        ]))
    })
    .await;
    let client = client_for(&server.base_url);
    let order = OrderRef::OutTradeNo("1".into());
    client.order_query(&order).await.unwrap();
    client.order_query(&order).await.unwrap();
    let requests = server.requests();
    assert_ne!(
        requests[0].fields["nonce_str"],
        requests[1].fields["nonce_str"]
    );
}

#[tokio::test]
async fn hmac_requests_name_sign_type() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("trade_state", "NOTPAY"),
            ("out_trade_no", "1"),
        ]))
    })
    .await;
    let client = client_for(&server.base_url).with_sign_type(SignType::HmacSha256);
    client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.fields["sign_type"], "HMAC-SHA256");
    assert_eq!(sent.fields["sign"].len(), 64);
    assert_eq!(verify(&sent.fields, &demo_key()), Ok(SignType::HmacSha256));
}

#[tokio::test]
async fn order_query_reads_coupons() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("trade_state", "SUCCESS"),
            ("out_trade_no", "20260101120000001"),
            ("transaction_id", "4200000000202601010000000001"),
            ("total_fee", "1800"),
            ("cash_fee", "1500"),
            ("coupon_fee", "300"),
            ("coupon_count", "2"),
            ("coupon_id_0", "10000"),
            ("coupon_fee_0", "100"),
            ("coupon_type_0", "CASH"),
            ("coupon_id_1", "10001"),
            ("coupon_fee_1", "200"),
            ("time_end", "20260101120105"),
            ("openid", "oFakeOpenId00000000000000080"),
            ("bank_type", "CMB_DEBIT"),
            ("trade_type", "NATIVE"),
            ("attach", "桌号 7"),
            ("promotion_detail", "new field WeChat added"),
        ]))
    })
    .await;
    let reply = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("20260101120000001".into()))
        .await
        .unwrap();
    assert_eq!(reply.trade_state, TradeState::Success);
    assert_eq!(reply.total_fee, Some(Fen(1800)));
    assert_eq!(reply.cash_fee, Some(Fen(1500)));
    assert_eq!(reply.coupons.len(), 2);
    assert_eq!(reply.coupons[1].coupon_fee, Fen(200));
    assert_eq!(reply.coupons[1].coupon_type, None);
    assert_eq!(
        reply.time_end.unwrap().to_rfc3339(),
        "2026-01-01T04:01:05+00:00"
    );
    assert_eq!(reply.bank_type.as_deref(), Some("CMB_DEBIT"));
    assert_eq!(reply.trade_type, Some(TradeType::Native));
    assert_eq!(reply.attach.as_deref(), Some("桌号 7"));
    assert_eq!(reply.fields["promotion_detail"], "new field WeChat added");
    assert_eq!(server.requests()[0].path, "/pay/orderquery");
}

#[tokio::test]
async fn order_query_sample_reply() {
    let Some(body) = fixture("orderquery_success_coupons.xml") else {
        return;
    };
    let server = server::start(move |_| Reply::Body(body.clone())).await;
    let reply = client_for(&server.base_url)
        .order_query(&OrderRef::TransactionId(
            "1008450740201411110005820873".into(),
        ))
        .await
        .unwrap();
    assert_eq!(reply.trade_state, TradeState::Success);
    assert_eq!(reply.trade_type, Some(TradeType::Micropay));
    assert_eq!(reply.coupons.len(), 2);
    assert_eq!(reply.coupons[0].coupon_id, "10000");
    assert_eq!(reply.attach.as_deref(), Some("订单额外描述"));
    assert_eq!(
        server.requests()[0].fields["transaction_id"],
        "1008450740201411110005820873"
    );
}

#[tokio::test]
async fn tampered_reply_is_rejected() {
    let server = server::start(|_| {
        let mut reply = String::from_utf8(signed_success(&[
            ("trade_state", "SUCCESS"),
            ("out_trade_no", "1"),
            ("transaction_id", "4200000000202601010000000001"),
            ("total_fee", "1"),
        ]))
        .unwrap();
        reply = reply.replace("<total_fee><![CDATA[1]]>", "<total_fee><![CDATA[100000]]>");
        Reply::Body(reply.into_bytes())
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Signature {
            source: SignError::Mismatch(SignType::Md5),
            ..
        }
    ));
    assert_eq!(error.explain().code, "SIGNATURE_INVALID");
    assert!(error.outcome_unknown());
}

#[tokio::test]
async fn unsigned_success_is_rejected() {
    let server = server::start(|_| {
        Reply::Body(
            wxpay::xml::encode(&fields(&[
                ("return_code", "SUCCESS"),
                ("result_code", "SUCCESS"),
                ("trade_state", "SUCCESS"),
            ]))
            .into_bytes(),
        )
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Signature {
            source: SignError::Missing,
            ..
        }
    ));
}

#[tokio::test]
async fn return_fail_reports_return_msg() {
    let server = server::start(|_| {
        Reply::Body(
            b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[invalid refund_fee]]></return_msg></xml>"
                .to_vec(),
        )
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    match &error {
        PayError::ReturnFail { return_msg, .. } => assert_eq!(return_msg, "invalid refund_fee"),
        other => panic!("expected ReturnFail, got {other:?}"),
    }
    assert_eq!(error.explain().code, "RETURN_FAIL");
    assert!(error.explain().zh.contains("invalid refund_fee"));
}

#[tokio::test]
async fn result_fail_keeps_err_code() {
    let server = server::start(|_| {
        let reply = fields(&[
            ("return_code", "SUCCESS"),
            ("return_msg", "OK"),
            ("appid", APPID),
            ("mch_id", MCH_ID),
            ("nonce_str", "x"),
            ("result_code", "FAIL"),
            ("err_code", "ORDERNOTEXIST"),
            ("err_code_des", "此交易订单号不存在"),
        ]);
        Reply::Body(sign_fields(reply))
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    match &error {
        PayError::Business {
            err_code,
            err_code_des,
            ..
        } => {
            assert_eq!(err_code, "ORDERNOTEXIST");
            assert_eq!(err_code_des, "此交易订单号不存在");
        }
        other => panic!("expected Business, got {other:?}"),
    }
    assert!(!error.explain().retryable);
    assert!(!error.outcome_unknown());
}

#[tokio::test]
async fn reply_for_other_merchant_is_rejected() {
    let server = server::start(|_| {
        let reply = fields(&[
            ("return_code", "SUCCESS"),
            ("appid", APPID),
            ("mch_id", "10000999"),
            ("nonce_str", "n"),
            ("result_code", "SUCCESS"),
            ("trade_state", "NOTPAY"),
            ("out_trade_no", "1"),
        ]);
        Reply::Body(sign_fields(reply))
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert_eq!(error.explain().code, "REPLY_WRONG_MERCHANT");
}

#[tokio::test]
async fn close_order_treats_orderclosed_as_done() {
    let server = server::start(|recorded| {
        let already = recorded.fields["out_trade_no"] == "closed-before";
        let mut reply = fields(&[
            ("return_code", "SUCCESS"),
            ("appid", APPID),
            ("mch_id", MCH_ID),
            ("nonce_str", "n"),
            ("result_code", if already { "FAIL" } else { "SUCCESS" }),
        ]);
        if already {
            reply.insert("err_code".into(), "ORDERCLOSED".into());
            reply.insert("err_code_des".into(), "订单已关闭".into());
        }
        Reply::Body(sign_fields(reply))
    })
    .await;
    let client = client_for(&server.base_url);
    assert_eq!(
        client.close_order("open-order").await.unwrap(),
        CloseOrderReply::Closed
    );
    assert_eq!(
        client.close_order("closed-before").await.unwrap(),
        CloseOrderReply::AlreadyClosed
    );
    assert_eq!(server.requests()[0].path, "/pay/closeorder");
}

#[tokio::test]
async fn refund_without_certificate_sends_nothing() {
    let server = server::start(|_| Reply::Status(500)).await;
    let error = client_for(&server.base_url)
        .refund(&refund_request())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Config(ConfigError::MissingClientCertificate)
    ));
    assert_eq!(error.explain().code, "CLIENT_CERT_MISSING");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn request_limits_checked_before_sending() {
    let server = server::start(|_| Reply::Status(500)).await;
    let mut order = native_order();
    order.out_trade_no = "订单-1".into();
    let error = client_for(&server.base_url)
        .unified_order(&order)
        .await
        .unwrap_err();
    assert!(matches!(error, PayError::Request(_)));
    assert_eq!(error.explain().code, "REQUEST_INVALID");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn refund_query_reads_indexed_refunds() {
    let Some(body) = fixture("refundquery_refund_count_2.xml") else {
        return;
    };
    let server = server::start(move |_| Reply::Body(body.clone())).await;
    let request = RefundQueryRequest {
        by: RefundQueryRef::OutTradeNo("20190705170959530641".into()),
        offset: None,
    };
    let reply = client_for(&server.base_url)
        .refund_query(&request)
        .await
        .unwrap();
    assert_eq!(reply.refund_count, 2);
    assert_eq!(reply.refunds.len(), 2);
    assert_eq!(reply.refunds[0].out_refund_no, "20190705171118247841");
    assert_eq!(reply.refunds[1].refund_fee, Fen(3));
    assert_eq!(reply.refunds[1].refund_status, RefundStatus::Success);
    assert_eq!(
        reply.refunds[0].refund_recv_accout.as_deref(),
        Some("工商银行借记卡0000")
    );
    assert_eq!(
        reply.refunds[0].refund_success_time.unwrap().to_rfc3339(),
        "2019-07-05T09:15:51+00:00"
    );
    assert_eq!(reply.total_fee, Fen(6));
    assert_eq!(server.requests()[0].path, "/pay/refundquery");
}

#[tokio::test]
async fn refund_query_sends_offset() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("transaction_id", "4200000000202601010000000001"),
            ("out_trade_no", "1"),
            ("total_fee", "1800"),
            ("refund_count", "1"),
            ("total_refund_count", "12"),
            ("out_refund_no_10", "R-11"),
            ("refund_id_10", "50000000002026010100000000011"),
            ("refund_fee_10", "10"),
            ("refund_status_10", "CHANGE"),
        ]))
    })
    .await;
    let request = RefundQueryRequest {
        by: RefundQueryRef::OutTradeNo("1".into()),
        offset: Some(10),
    };
    let reply = client_for(&server.base_url)
        .refund_query(&request)
        .await
        .unwrap();
    assert_eq!(server.requests()[0].fields["offset"], "10");
    assert_eq!(reply.refunds[0].refund_status, RefundStatus::Change);
    assert_eq!(reply.total_refund_count, Some(12));
}

fn bill_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 1).unwrap()
}

#[tokio::test]
async fn download_bill_returns_text() {
    let csv = "交易时间,公众账号ID\n`2020-04-01 00:00:01,`wx2421b1c4370ec43b\n";
    let server = server::start(move |_| Reply::Body(csv.as_bytes().to_vec())).await;
    let text = client_for(&server.base_url)
        .download_bill(bill_date(), BillType::All, false)
        .await
        .unwrap();
    assert_eq!(text, csv);
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/pay/downloadbill");
    assert_eq!(sent.fields["bill_date"], "20200401");
    assert_eq!(sent.fields["bill_type"], "ALL");
    assert!(!sent.fields.contains_key("tar_type"));
    assert!(verify(&sent.fields, &demo_key()).is_ok());
}

#[tokio::test]
async fn download_bill_unpacks_gzip() {
    use std::io::Write;
    let csv = "交易时间,公众账号ID\n`2020-04-01 00:00:01,`wx2421b1c4370ec43b\n";
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(csv.as_bytes()).unwrap();
    let packed = encoder.finish().unwrap();
    let server = server::start(move |_| Reply::Body(packed.clone())).await;
    let text = client_for(&server.base_url)
        .download_bill(bill_date(), BillType::Success, true)
        .await
        .unwrap();
    assert_eq!(text, csv);
    assert_eq!(server.requests()[0].fields["tar_type"], "GZIP");
}

#[tokio::test]
async fn download_bill_no_bill_is_typed() {
    let server = server::start(|_| {
        Reply::Body(
            b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg></xml>"
                .to_vec(),
        )
    })
    .await;
    let error = client_for(&server.base_url)
        .download_bill(bill_date(), BillType::All, true)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Bill(BillDownloadError::NoBill { .. })
    ));
    assert_eq!(error.explain().code, "NO_BILL");
}

#[tokio::test]
async fn download_bill_sample_failure() {
    let Some(body) = fixture("downloadbill_fail_invalid_bill_date.xml") else {
        return;
    };
    let server = server::start(move |_| Reply::Body(body.clone())).await;
    let error = client_for(&server.base_url)
        .download_bill(bill_date(), BillType::All, false)
        .await
        .unwrap_err();
    match error {
        PayError::Bill(BillDownloadError::Failed {
            return_msg,
            error_code,
        }) => {
            assert_eq!(return_msg, "invalid bill_date");
            assert_eq!(error_code.as_deref(), Some("20001"));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn http_error_status_is_reported() {
    let server = server::start(|_| Reply::Status(502)).await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(matches!(error, PayError::HttpStatus { status: 502, .. }));
}

/// Returns a loopback URL with nothing listening, by binding a port and freeing it.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn backup_host_used_on_connect_failure() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("trade_state", "NOTPAY"),
            ("out_trade_no", "1"),
        ]))
    })
    .await;
    let hosts = Hosts {
        primary: closed_port_url().await,
        backup: Some(server.base_url.clone()),
    };
    let client = PayClient::new(PayConfig::new(APPID, MCH_ID, demo_key(), hosts)).unwrap();
    let reply = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap();
    assert_eq!(reply.trade_state, TradeState::NotPay);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unreachable_host_is_explained() {
    let client = client_for(&closed_port_url().await);
    let error = client
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Transport {
            kind: TransportKind::Connect,
            ..
        }
    ));
    let explained = error.explain();
    assert_eq!(explained.code, "NETWORK_UNREACHABLE");
    assert!(explained.en.contains("check the network"));
    assert!(explained.retryable);
    assert!(!error.outcome_unknown(), "nothing was sent");
}

fn micropay_request() -> wxpay::model::MicropayRequest {
    wxpay::model::MicropayRequest {
        body: "咖啡店-美式".into(),
        out_trade_no: "M20260101120000001".into(),
        total_fee: Fen(1500),
        spbill_create_ip: "127.0.0.1".into(),
        auth_code: "134567890123456789".into(),
        attach: None,
        device_info: Some("till-1".into()),
    }
}

#[tokio::test]
async fn micropay_paid_at_once() {
    let server = server::start(|_| {
        Reply::Body(signed_success(&[
            ("out_trade_no", "M20260101120000001"),
            ("transaction_id", "4200000000202601010000000009"),
            ("total_fee", "1500"),
            ("cash_fee", "1500"),
            ("trade_type", "MICROPAY"),
            ("time_end", "20260101120005"),
            ("bank_type", "CMB_DEBIT"),
        ]))
    })
    .await;
    let reply = client_for(&server.base_url)
        .micropay(&micropay_request())
        .await
        .unwrap();
    match reply {
        wxpay::model::MicropayReply::Paid(payment) => {
            assert_eq!(payment.transaction_id, "4200000000202601010000000009");
            assert_eq!(payment.total_fee, Fen(1500));
        }
        other => panic!("expected Paid, got {other:?}"),
    }
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/pay/micropay");
    assert_eq!(sent.fields["auth_code"], "134567890123456789");
}

#[tokio::test]
async fn micropay_userpaying_is_outcome() {
    let server = server::start(|_| {
        let reply = fields(&[
            ("return_code", "SUCCESS"),
            ("appid", APPID),
            ("mch_id", MCH_ID),
            ("nonce_str", "n"),
            ("result_code", "FAIL"),
            ("err_code", "USERPAYING"),
            ("err_code_des", "需要用户输入支付密码"),
        ]);
        Reply::Body(sign_fields(reply))
    })
    .await;
    let reply = client_for(&server.base_url)
        .micropay(&micropay_request())
        .await
        .unwrap();
    assert_eq!(reply, wxpay::model::MicropayReply::UserPaying);
}

#[tokio::test]
async fn micropay_not_sent_to_backup() {
    let server = server::start(|_| Reply::Status(500)).await;
    let hosts = Hosts {
        primary: closed_port_url().await,
        backup: Some(server.base_url.clone()),
    };
    let client = PayClient::new(PayConfig::new(APPID, MCH_ID, demo_key(), hosts)).unwrap();
    let error = client.micropay(&micropay_request()).await.unwrap_err();
    assert!(matches!(
        error,
        PayError::Transport {
            kind: TransportKind::Connect,
            ..
        }
    ));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn unified_order_sample_reply() {
    let Some(body) = fixture("unifiedorder_native_success.xml") else {
        return;
    };
    let server = server::start(move |_| Reply::Body(body.clone())).await;
    let reply = client_for(&server.base_url)
        .unified_order(&native_order())
        .await
        .unwrap();
    assert_eq!(reply.prepay_id, "wx05153421914401e72549e4843149659371");
    assert_eq!(
        reply.code_url.as_deref(),
        Some("weixin://wxpay/bizpayurl?pr=QXuSXeo")
    );
}

#[tokio::test]
async fn order_query_refund_state_sample() {
    let Some(body) = fixture("orderquery_trade_state_refund.xml") else {
        return;
    };
    let server = server::start(move |_| Reply::Body(body.clone())).await;
    let reply = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo(
            "90013580520959892632499715588959".into(),
        ))
        .await
        .unwrap();
    assert_eq!(reply.trade_state, TradeState::Refund);
    assert_eq!(reply.total_fee, Some(Fen(30000)));
    assert_eq!(reply.attach, None);
    assert_eq!(reply.trade_type, Some(TradeType::Jsapi));
    assert_eq!(
        reply.trade_state_desc.as_deref(),
        Some("订单发生过退款，退款详情请查询退款单")
    );
}

#[tokio::test]
async fn oversized_reply_is_rejected() {
    let server = server::start(|_| {
        let mut body = b"<xml><a><![CDATA[".to_vec();
        body.resize(wxpay::xml::MAX_BODY_BYTES + 10, b'a');
        Reply::Body(body)
    })
    .await;
    let error = client_for(&server.base_url)
        .order_query(&OrderRef::OutTradeNo("1".into()))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        PayError::Xml {
            source: wxpay::xml::XmlError::TooLarge { .. },
            ..
        }
    ));
}
