//! The sandbox panel's operations on the in-process simulator: the merchant balance, the
//! refund delay, paying an unpaid order as the customer, and armed faults.

mod keyed;
mod support;

use console::dto::FaultView;

#[tokio::test]
async fn balance_top_up_and_set() {
    let opened = support::open_console().await;
    let console = &opened.console;
    let start = console.sandbox_state().await.expect("state");
    assert!(start.base_url.starts_with("https://127.0.0.1:"));

    let topped = console.sandbox_top_up(12_345).await.expect("top up");
    assert_eq!(topped.balance_fen, start.balance_fen + 12_345);

    let set = console.sandbox_set_balance(0).await.expect("set");
    assert_eq!(set.balance_fen, 0);
    assert_eq!(console.sandbox().expect("sandbox").balance().0, 0);

    let negative = console.sandbox_set_balance(-1).await.expect_err("negative");
    assert_eq!(negative.code, "INVALID_AMOUNT");
    let zero = console.sandbox_top_up(0).await.expect_err("zero top-up");
    assert_eq!(zero.code, "INVALID_AMOUNT");
}

#[tokio::test]
async fn refund_delay_is_read_back() {
    let opened = support::open_console().await;
    let state = opened
        .console
        .sandbox_set_refund_delay(4_500)
        .await
        .expect("set delay");
    assert_eq!(state.refund_delay_ms, 4_500);

    let too_long = opened
        .console
        .sandbox_set_refund_delay(90_000_000)
        .await
        .expect_err("over a day");
    assert_eq!(too_long.code, "INVALID_DELAY");
}

#[tokio::test]
async fn customer_pays_unpaid_order() {
    let keyed = keyed::open_keyed().await;
    let console = keyed.console();
    keyed.place_unpaid_order("PANEL20261105001", 2_600).await;

    let detail = console
        .sandbox_pay_order(" PANEL20261105001 ")
        .await
        .expect("pay");

    assert_eq!(detail.order.trade_state, "SUCCESS");
    assert_eq!(detail.order.total_fee, 2_600);
    assert!(detail.order.transaction_id.is_some());
    assert!(detail.order.paid_at.is_some());
    assert!(detail.timeline.iter().any(|event| event.kind == "queried"));

    let again = console
        .sandbox_pay_order("PANEL20261105001")
        .await
        .expect_err("already paid");
    assert_eq!(again.code, "SANDBOX_NOT_PAYABLE");
    let missing = console
        .sandbox_pay_order("PANEL-NOT-PLACED")
        .await
        .expect_err("unknown order");
    assert_eq!(missing.code, "SANDBOX_ORDER_NOT_FOUND");
}

#[tokio::test]
async fn fault_fails_next_query_then_clears() {
    let keyed = keyed::open_keyed().await;
    let console = keyed.console();
    keyed.place_unpaid_order("PANEL20261105002", 990).await;
    let state = console.sandbox_state().await.expect("state");
    assert!(state.fault_kinds.contains(&"system_error".to_owned()));
    assert!(state.fault_paths.contains(&"/pay/orderquery".to_owned()));
    assert!(state.faults.is_empty());

    let armed = console
        .sandbox_add_fault(FaultView {
            path: "/pay/orderquery".into(),
            kind: "system_error".into(),
            count: 1,
            delay_ms: 0,
        })
        .await
        .expect("arm");
    assert_eq!(armed.faults.len(), 1);
    assert_eq!(armed.faults[0].kind, "system_error");

    let failed = console
        .query_order("PANEL20261105002")
        .await
        .expect_err("the fault answers SYSTEMERROR");
    assert_eq!(failed.code, "SYSTEMERROR");
    assert!(console
        .sandbox_state()
        .await
        .expect("state")
        .faults
        .is_empty());
    let detail = console
        .query_order("PANEL20261105002")
        .await
        .expect("query");
    assert_eq!(detail.order.trade_state, "NOTPAY");

    console
        .sandbox_add_fault(FaultView {
            path: "/pay/refundquery".into(),
            kind: "delay".into(),
            count: 3,
            delay_ms: 200,
        })
        .await
        .expect("arm");
    let cleared = console.sandbox_clear_faults().await.expect("clear");
    assert!(cleared.faults.is_empty());

    let unknown = console
        .sandbox_add_fault(FaultView {
            path: "/pay/orderquery".into(),
            kind: "meteor".into(),
            count: 1,
            delay_ms: 0,
        })
        .await
        .expect_err("unknown kind");
    assert_eq!(unknown.code, "INVALID_FAULT");
}

#[tokio::test]
async fn standing_fault_holds_until_path_cleared() {
    let keyed = keyed::open_keyed().await;
    let console = keyed.console();
    keyed.place_unpaid_order("PANEL20261105003", 1_200).await;
    let kinds = console.sandbox_state().await.expect("state").fault_kinds;
    for kind in [
        "timeout",
        "http_status:503",
        "bizerr_need_retry",
        "truncated_xml",
    ] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} is not offered");
    }

    let armed = console
        .sandbox_add_fault(FaultView {
            path: "/pay/orderquery".into(),
            kind: "http_status:503".into(),
            count: 0,
            delay_ms: 0,
        })
        .await
        .expect("arm");
    assert_eq!(armed.faults[0].kind, "http_status:503");
    assert_eq!(armed.faults[0].count, 0);
    console
        .sandbox_add_fault(FaultView {
            path: "/pay/refundquery".into(),
            kind: "bizerr_need_retry".into(),
            count: 2,
            delay_ms: 0,
        })
        .await
        .expect("arm");

    for _ in 0..2 {
        let failed = console.query_order("PANEL20261105003").await;
        assert!(failed.is_err(), "the 503 fault let a query through");
    }
    let cleared = console
        .sandbox_clear_faults_for("/pay/orderquery")
        .await
        .expect("clear one path");
    assert_eq!(cleared.faults.len(), 1);
    assert_eq!(cleared.faults[0].path, "/pay/refundquery");
    let detail = console
        .query_order("PANEL20261105003")
        .await
        .expect("query");
    assert_eq!(detail.order.trade_state, "NOTPAY");
}
