//! Refunds against the simulator: partial refunds followed to SUCCESS, refusals explained,
//! and the guarantees that keep money safe (one refund per number, nothing over the rest).

mod support;

use console::dto::{OrderFilter, RefundInput};
use support::{paid_order, synced_console};

fn refund_of(out_trade_no: &str, refund_fee: i64) -> RefundInput {
    RefundInput {
        out_trade_no: out_trade_no.to_owned(),
        out_refund_no: None,
        refund_fee,
        reason: Some("顾客退货".to_owned()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn partial_refund_reaches_success() {
    let opened = synced_console().await;
    let console = &opened.console;
    let order = paid_order(console).await;

    let refund = console
        .refund_order(refund_of(&order.out_trade_no, 100))
        .await
        .expect("refund accepted");
    assert_eq!(refund.status, "PROCESSING");
    assert!(refund.refund_id.is_some());

    let mut seen = Vec::new();
    let done = console
        .follow_refund(&refund.out_refund_no, |view| seen.push(view.status.clone()))
        .await
        .expect("follow");
    assert_eq!(done.status, "SUCCESS");
    assert!(done.succeeded_at.is_some());
    assert_eq!(seen.last().map(String::as_str), Some("SUCCESS"));

    let detail = console
        .order_detail(&order.out_trade_no)
        .await
        .expect("detail");
    assert_eq!(detail.order.refunded_fee, 100);
    assert_eq!(detail.refundable_fee, order.total_fee - 100);
    assert_eq!(detail.refunds.len(), 1);
    assert!(detail
        .timeline
        .iter()
        .any(|event| event.kind == "refund_requested"));
}

#[tokio::test(flavor = "multi_thread")]
async fn same_refund_number_never_refunds_twice() {
    let opened = synced_console().await;
    let console = &opened.console;
    let order = paid_order(console).await;

    let first = console
        .refund_order(refund_of(&order.out_trade_no, 50))
        .await
        .expect("first");
    let again = RefundInput {
        out_refund_no: Some(first.out_refund_no.clone()),
        ..refund_of(&order.out_trade_no, 50)
    };
    let second = console.refund_order(again).await.expect("repeat");
    assert_eq!(second.out_refund_no, first.out_refund_no);
    assert_eq!(second.refund_id, first.refund_id);

    console
        .follow_refund(&first.out_refund_no, |_| {})
        .await
        .expect("follow");
    let detail = console
        .order_detail(&order.out_trade_no)
        .await
        .expect("detail");
    assert_eq!(detail.refunds.len(), 1);
    assert_eq!(detail.order.refunded_fee, 50);
}

#[tokio::test(flavor = "multi_thread")]
async fn refund_over_rest_is_rejected_and_changes_nothing() {
    let opened = synced_console().await;
    let console = &opened.console;
    let order = paid_order(console).await;

    let error = console
        .refund_order(refund_of(&order.out_trade_no, order.total_fee + 1))
        .await
        .expect_err("over-refund");
    assert_eq!(error.code, "INVALID_REFUND_AMOUNT");
    assert!(error.message_zh.contains("可退"));

    let detail = console
        .order_detail(&order.out_trade_no)
        .await
        .expect("detail");
    assert!(detail.refunds.is_empty());
    assert_eq!(detail.refundable_fee, order.total_fee);
}

#[tokio::test(flavor = "multi_thread")]
async fn refund_of_unpaid_order_is_rejected() {
    let opened = synced_console().await;
    let console = &opened.console;
    let unpaid = OrderFilter {
        states: vec!["NOTPAY".to_owned(), "CLOSED".to_owned()],
        ..OrderFilter::default()
    };
    let page = console
        .list_orders(unpaid, None, 5)
        .await
        .expect("unpaid orders");
    let Some(order) = page.rows.first() else {
        eprintln!("skipped: this sandbox history has no unpaid orders");
        return;
    };
    let error = console
        .refund_order(refund_of(&order.out_trade_no, 1))
        .await
        .expect_err("unpaid");
    assert_eq!(error.code, "ORDER_NOT_REFUNDABLE");
}

#[tokio::test(flavor = "multi_thread")]
async fn notenough_says_to_top_up() {
    let opened = synced_console().await;
    let console = &opened.console;
    let sandbox = console.sandbox().expect("sandbox mode");
    sandbox
        .set_balance(wxpay::Fen(0))
        .expect("empty the balance");
    let order = paid_order(console).await;

    let error = console
        .refund_order(refund_of(&order.out_trade_no, 100))
        .await
        .expect_err("no balance");
    assert_eq!(error.code, "NOTENOUGH");
    assert!(error.message_zh.contains("充值"), "{}", error.message_zh);
    assert!(
        error.message_en.to_lowercase().contains("top up"),
        "{}",
        error.message_en
    );

    let detail = console
        .order_detail(&order.out_trade_no)
        .await
        .expect("detail");
    assert_eq!(detail.refunds.len(), 1);
    assert_eq!(detail.refunds[0].status, "FAILED");
    assert_eq!(detail.refundable_fee, order.total_fee);

    // After a top-up the same refund number goes through once.
    sandbox.top_up(wxpay::Fen(1_000_000)).expect("top up");
    let retry = RefundInput {
        out_refund_no: Some(detail.refunds[0].out_refund_no.clone()),
        ..refund_of(&order.out_trade_no, 100)
    };
    let accepted = console
        .refund_order(retry)
        .await
        .expect("retry after top-up");
    assert_eq!(accepted.status, "PROCESSING");
}

#[tokio::test(flavor = "multi_thread")]
async fn too_long_reason_is_rejected_before_sending() {
    let opened = synced_console().await;
    let console = &opened.console;
    let order = paid_order(console).await;
    let input = RefundInput {
        reason: Some("退".repeat(27)),
        ..refund_of(&order.out_trade_no, 1)
    };
    let error = console.refund_order(input).await.expect_err("long reason");
    assert_eq!(error.code, "REFUND_REASON_TOO_LONG");
    let detail = console
        .order_detail(&order.out_trade_no)
        .await
        .expect("detail");
    assert!(detail.refunds.is_empty());
}
