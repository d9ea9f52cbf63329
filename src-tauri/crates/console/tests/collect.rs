//! Taking a Native payment at the counter: the order is stored unpaid, the simulated customer
//! pays, and the simulator's signed notify reaches the console's receiver and marks it paid.

mod support;

use std::time::Duration;

use console::dto::CollectInput;
use support::open_console;

#[tokio::test(flavor = "multi_thread")]
async fn native_order_is_paid_by_notify() {
    let opened = open_console().await;
    let console = &opened.console;

    let created = console
        .collect_native(CollectInput {
            total_fee: 1_250,
            body: "柜台收款 测试".to_owned(),
        })
        .await
        .expect("native order");
    assert!(created.code_url.starts_with("weixin://wxpay/bizpayurl"));
    assert_eq!(created.order.trade_state, "NOTPAY");
    let out_trade_no = created.order.out_trade_no.clone();

    let sandbox = console.sandbox().expect("sandbox mode");
    sandbox.pay_order(&out_trade_no).expect("the customer pays");

    let mut detail = console.order_detail(&out_trade_no).await.expect("detail");
    for _ in 0..50 {
        if detail.order.trade_state == "SUCCESS" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        detail = console.order_detail(&out_trade_no).await.expect("detail");
    }
    assert_eq!(detail.order.trade_state, "SUCCESS");
    assert!(detail.order.transaction_id.is_some());
    assert!(detail.timeline.iter().any(|event| event.kind == "notified"));
    assert_eq!(detail.refundable_fee, 1_250);
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_amount_is_rejected() {
    let opened = open_console().await;
    let error = opened
        .console
        .collect_native(CollectInput {
            total_fee: 0,
            body: "x".to_owned(),
        })
        .await
        .expect_err("zero amount");
    assert_eq!(error.code, "INVALID_AMOUNT");
}
