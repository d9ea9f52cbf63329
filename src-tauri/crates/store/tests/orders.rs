//! Order writes on a real store file: batch import, the never-backwards state rule, merging
//! of fields, refunded_fee recomputed from refunds, and orderquery write-back.

mod common;

use common::{at, order, refund, store_with_profile, SHOP};
use store::{OrderSource, OrderUpsert, StoreError};

#[test]
fn import_inserts_and_counts() {
    let store = store_with_profile();
    let orders = vec![order("A1", 100, 0), order("A2", 200, 10)];

    let first = store
        .import_batch(SHOP, &orders, &[])
        .expect("first import");
    let again = store
        .import_batch(SHOP, &orders, &[])
        .expect("second import");
    let stored = store
        .get_order(SHOP, "A2")
        .expect("get")
        .expect("order exists");

    assert_eq!(first.new_orders, 2);
    assert_eq!(first.orders_written, 2);
    assert_eq!(again.new_orders, 0);
    assert_eq!(stored.total_fee, 200);
    assert_eq!(stored.trade_state, "SUCCESS");
    assert_eq!(stored.source, OrderSource::Bill);
    assert_eq!(stored.paid_at, Some(at(15)));
}

#[test]
fn state_never_goes_backwards() {
    let store = store_with_profile();
    let refunded = OrderUpsert {
        trade_state: "REFUND".to_owned(),
        ..order("A1", 100, 0)
    };
    store
        .record_order_query(SHOP, &refunded, at(500))
        .expect("query says REFUND");

    store
        .import_batch(SHOP, &[order("A1", 100, 0)], &[])
        .expect("bill says SUCCESS");
    let stored = store.get_order(SHOP, "A1").expect("get").expect("exists");

    assert_eq!(stored.trade_state, "REFUND");
    assert_eq!(stored.source, OrderSource::Bill);
}

#[test]
fn state_advances_forward() {
    let store = store_with_profile();
    let unpaid = OrderUpsert {
        trade_state: "NOTPAY".to_owned(),
        transaction_id: None,
        paid_at: None,
        source: OrderSource::App,
        ..order("A1", 100, 0)
    };
    store
        .import_batch(SHOP, std::slice::from_ref(&unpaid), &[])
        .expect("created");
    let after_create = store.get_order(SHOP, "A1").expect("get").expect("exists");

    store
        .import_batch(SHOP, &[order("A1", 100, 0)], &[])
        .expect("paid");
    store
        .import_batch(SHOP, &[unpaid], &[])
        .expect("stale NOTPAY");
    let after_paid = store.get_order(SHOP, "A1").expect("get").expect("exists");

    assert_eq!(after_create.trade_state, "NOTPAY");
    assert_eq!(after_paid.trade_state, "SUCCESS");
    assert_eq!(after_paid.transaction_id.as_deref(), Some("4200A1"));
    assert_eq!(after_paid.paid_at, Some(at(5)));
}

#[test]
fn missing_fields_do_not_erase() {
    let store = store_with_profile();
    store
        .import_batch(SHOP, &[order("A1", 100, 50)], &[])
        .expect("full row");
    let sparse = OrderUpsert {
        transaction_id: None,
        trade_type: None,
        body: None,
        openid: None,
        bank_type: None,
        cash_fee: None,
        paid_at: None,
        created_at: at(80),
        source: OrderSource::Notify,
        ..order("A1", 100, 50)
    };

    store
        .import_batch(SHOP, &[sparse], &[])
        .expect("sparse row");
    let stored = store.get_order(SHOP, "A1").expect("get").expect("exists");

    assert_eq!(stored.transaction_id.as_deref(), Some("4200A1"));
    assert_eq!(stored.trade_type.as_deref(), Some("NATIVE"));
    assert_eq!(stored.body.as_deref(), Some("coffee"));
    assert_eq!(stored.cash_fee, Some(100));
    assert_eq!(stored.bank_type.as_deref(), Some("CMC"));
    assert_eq!(stored.created_at, at(50), "earliest creation time wins");
    assert_eq!(stored.paid_at, Some(at(55)));
    assert_eq!(stored.source, OrderSource::Notify);
}

#[test]
fn refunds_in_batch_set_refunded_fee() {
    let store = store_with_profile();
    let refunds = vec![
        refund("R1", "A1", 30, "SUCCESS"),
        refund("R2", "A1", 20, "SUCCESS"),
        refund("R3", "A1", 40, "PROCESSING"),
    ];

    let summary = store
        .import_batch(SHOP, &[order("A1", 100, 0)], &refunds)
        .expect("import");
    let stored = store.get_order(SHOP, "A1").expect("get").expect("exists");
    let listed = store.refunds_of_order(SHOP, "A1").expect("refunds");

    assert_eq!(summary.refunds_written, 3);
    assert_eq!(stored.refunded_fee, 50, "only successful refunds count");
    assert_eq!(
        stored.trade_state, "REFUND",
        "a refunded order reads REFUND"
    );
    assert_eq!(listed.len(), 3);
}

#[test]
fn refund_status_never_goes_backwards() {
    let store = store_with_profile();
    store
        .import_batch(
            SHOP,
            &[order("A1", 100, 0)],
            &[refund("R1", "A1", 30, "SUCCESS")],
        )
        .expect("success first");

    store
        .import_batch(SHOP, &[], &[refund("R1", "A1", 30, "PROCESSING")])
        .expect("stale processing");
    let stored = store.get_refund(SHOP, "R1").expect("get").expect("exists");
    let order = store.get_order(SHOP, "A1").expect("get").expect("exists");

    assert_eq!(stored.status, "SUCCESS");
    assert_eq!(stored.succeeded_at, Some(at(160)));
    assert_eq!(order.refunded_fee, 30);
}

#[test]
fn refund_of_unknown_order_rejected() {
    let store = store_with_profile();

    let result = store.import_batch(SHOP, &[], &[refund("R1", "NOPE", 30, "SUCCESS")]);

    assert!(
        matches!(result, Err(StoreError::OrderNotFound { .. })),
        "{result:?}"
    );
}

#[test]
fn failed_batch_writes_nothing() {
    let store = store_with_profile();
    let orders = vec![order("A1", 100, 0)];

    let result = store.import_batch(SHOP, &orders, &[refund("R1", "NOPE", 30, "SUCCESS")]);

    assert!(result.is_err());
    assert!(store.get_order(SHOP, "A1").expect("get").is_none());
}

#[test]
fn unknown_state_rejected() {
    let store = store_with_profile();
    let odd = OrderUpsert {
        trade_state: "PAID".to_owned(),
        ..order("A1", 100, 0)
    };

    let result = store.import_batch(SHOP, &[odd], &[]);

    assert!(matches!(
        result,
        Err(StoreError::InvalidValue {
            field: "trade_state",
            ..
        })
    ));
}

#[test]
fn unknown_profile_rejected() {
    let store = store_with_profile();

    let result = store.import_batch("nobody", &[order("A1", 100, 0)], &[]);

    assert!(
        matches!(result, Err(StoreError::ProfileNotFound { .. })),
        "{result:?}"
    );
}

#[test]
fn order_numbers_are_per_profile() {
    let store = store_with_profile();
    store
        .save_profile(&common::profile("shop-2"))
        .expect("second profile");

    store
        .import_batch(SHOP, &[order("A1", 100, 0)], &[])
        .expect("first shop");
    store
        .import_batch("shop-2", &[order("A1", 999, 0)], &[])
        .expect("second shop");

    let first = store.get_order(SHOP, "A1").expect("get").expect("exists");
    let second = store
        .get_order("shop-2", "A1")
        .expect("get")
        .expect("exists");
    assert_eq!(first.total_fee, 100);
    assert_eq!(second.total_fee, 999);
}

#[test]
fn order_query_writes_back_and_logs() {
    let store = store_with_profile();
    let unpaid = OrderUpsert {
        trade_state: "NOTPAY".to_owned(),
        source: OrderSource::App,
        ..order("A1", 100, 0)
    };
    store.import_batch(SHOP, &[unpaid], &[]).expect("created");

    let stored = store
        .record_order_query(
            SHOP,
            &OrderUpsert {
                source: OrderSource::App,
                ..order("A1", 100, 0)
            },
            at(90),
        )
        .expect("query result");
    let events = store.events_of_order(SHOP, "A1").expect("events");

    assert_eq!(stored.trade_state, "SUCCESS");
    assert_eq!(stored.source, OrderSource::Query);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "queried");
    assert_eq!(events[0].at, at(90));
    assert_eq!(events[0].detail["trade_state"], "SUCCESS");
}

#[test]
fn large_import_in_one_batch() {
    let store = store_with_profile();
    let orders: Vec<OrderUpsert> = (0..5_000)
        .map(|i| order(&format!("B{i:06}"), 100 + i, i))
        .collect();
    let refunds: Vec<_> = (0..500)
        .map(|i| refund(&format!("R{i:06}"), &format!("B{i:06}"), 10, "SUCCESS"))
        .collect();

    let summary = store.import_batch(SHOP, &orders, &refunds).expect("import");
    let refunded = store
        .get_order(SHOP, "B000499")
        .expect("get")
        .expect("exists");
    let untouched = store
        .get_order(SHOP, "B000500")
        .expect("get")
        .expect("exists");

    assert_eq!(summary.new_orders, 5_000);
    assert_eq!(summary.refunds_written, 500);
    assert_eq!(refunded.refunded_fee, 10);
    assert_eq!(untouched.refunded_fee, 0);
    assert_eq!(untouched.trade_state, "SUCCESS");
}
