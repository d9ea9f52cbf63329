//! Refund reservation on a real store file: the PENDING row before the request, over-refund
//! rejection, idempotent retries, concurrent double begins, status updates and resuming.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::{at, order, store_with_profile, SHOP};
use store::{OrderUpsert, RefundUpdate, Store, StoreError};

fn paid_store(total_fee: i64) -> common::TestStore {
    let store = store_with_profile();
    store
        .import_batch(SHOP, &[order("A1", total_fee, 0)], &[])
        .expect("paid order");
    store
}

fn update(status: &str) -> RefundUpdate {
    RefundUpdate {
        status: status.to_owned(),
        refund_id: None,
        err_code: None,
        err_message: None,
        succeeded_at: None,
    }
}

#[test]
fn begin_stores_pending_refund() {
    let store = paid_store(100);

    let begun = store
        .begin_refund(SHOP, "A1", "R1", 40, Some("damaged"))
        .expect("begin");
    let pending = store.pending_refunds(SHOP).expect("pending");
    let events = store.events_of_order(SHOP, "A1").expect("events");

    assert!(begun.created);
    assert_eq!(begun.refund.status, "PENDING");
    assert_eq!(begun.refund.refund_fee, 40);
    assert_eq!(begun.refund.reason.as_deref(), Some("damaged"));
    assert_eq!(pending.len(), 1);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "refund_requested");
    assert_eq!(events[0].detail["refund_fee"], 40);
}

#[test]
fn over_refund_rejected() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 60, None)
        .expect("first refund");

    let result = store.begin_refund(SHOP, "A1", "R2", 41, None);

    match result {
        Err(StoreError::OverRefund {
            requested_fee,
            refundable_fee,
            ..
        }) => {
            assert_eq!(requested_fee, 41);
            assert_eq!(refundable_fee, 40);
        }
        other => panic!("expected OverRefund, got {other:?}"),
    }
    assert!(store.get_refund(SHOP, "R2").expect("get").is_none());
}

#[test]
fn partial_refunds_up_to_total() {
    let store = paid_store(100);

    store
        .begin_refund(SHOP, "A1", "R1", 30, None)
        .expect("first");
    store
        .begin_refund(SHOP, "A1", "R2", 30, None)
        .expect("second");
    store
        .begin_refund(SHOP, "A1", "R3", 40, None)
        .expect("third takes the rest");
    let refundable = store.refundable_fee(SHOP, "A1").expect("refundable");
    let one_more = store.begin_refund(SHOP, "A1", "R4", 1, None);

    assert_eq!(refundable, 0);
    assert!(
        matches!(one_more, Err(StoreError::OverRefund { .. })),
        "{one_more:?}"
    );
}

#[test]
fn failed_and_closed_release_amount() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 100, None)
        .expect("first");
    store
        .update_refund(SHOP, "R1", &update("FAILED"))
        .expect("failed");
    store
        .begin_refund(SHOP, "A1", "R2", 100, None)
        .expect("second");
    store
        .update_refund(SHOP, "R2", &update("REFUNDCLOSE"))
        .expect("closed");

    let refundable = store.refundable_fee(SHOP, "A1").expect("refundable");
    let third = store.begin_refund(SHOP, "A1", "R3", 100, None);

    assert_eq!(refundable, 100);
    assert!(third.is_ok(), "{third:?}");
}

#[test]
fn same_refund_number_is_idempotent() {
    let store = paid_store(100);
    let first = store
        .begin_refund(SHOP, "A1", "R1", 100, None)
        .expect("first");

    let again = store
        .begin_refund(SHOP, "A1", "R1", 100, None)
        .expect("double click");

    assert!(!again.created);
    assert_eq!(again.refund.id, first.refund.id);
    assert_eq!(
        store.refunds_of_order(SHOP, "A1").expect("refunds").len(),
        1
    );
}

#[test]
fn reused_number_other_amount_rejected() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 50, None)
        .expect("first");

    let result = store.begin_refund(SHOP, "A1", "R1", 20, None);

    assert!(matches!(
        result,
        Err(StoreError::RefundNoReused {
            existing_fee: 50,
            ..
        })
    ));
}

#[test]
fn failed_refund_retried_as_pending() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 100, None)
        .expect("first");
    let failed = RefundUpdate {
        err_code: Some("NOTENOUGH".to_owned()),
        err_message: Some("余额不足".to_owned()),
        ..update("FAILED")
    };
    let after_failure = store.update_refund(SHOP, "R1", &failed).expect("failed");

    let retried = store
        .begin_refund(SHOP, "A1", "R1", 100, None)
        .expect("retry");

    assert_eq!(after_failure.err_code.as_deref(), Some("NOTENOUGH"));
    assert!(retried.created);
    assert_eq!(retried.refund.status, "PENDING");
    assert_eq!(retried.refund.err_code, None);
    assert_eq!(retried.refund.id, after_failure.id);
}

#[test]
fn unpaid_order_not_refundable() {
    let store = store_with_profile();
    let unpaid = OrderUpsert {
        trade_state: "NOTPAY".to_owned(),
        ..order("A1", 100, 0)
    };
    store
        .import_batch(SHOP, &[unpaid], &[])
        .expect("unpaid order");

    let result = store.begin_refund(SHOP, "A1", "R1", 10, None);

    assert!(
        matches!(result, Err(StoreError::NotRefundable { .. })),
        "{result:?}"
    );
}

#[test]
fn unknown_order_not_refundable() {
    let store = store_with_profile();

    let result = store.begin_refund(SHOP, "NOPE", "R1", 10, None);

    assert!(
        matches!(result, Err(StoreError::OrderNotFound { .. })),
        "{result:?}"
    );
}

#[test]
fn bad_refund_input_rejected() {
    let store = paid_store(100);

    let zero = store.begin_refund(SHOP, "A1", "R1", 0, None);
    let empty_number = store.begin_refund(SHOP, "A1", "", 10, None);
    let bad_chars = store.begin_refund(SHOP, "A1", "R 1", 10, None);
    let too_long = store.begin_refund(SHOP, "A1", &"R".repeat(65), 10, None);

    for result in [zero, empty_number, bad_chars, too_long] {
        assert!(
            matches!(result, Err(StoreError::InvalidValue { .. })),
            "{result:?}"
        );
    }
}

#[test]
fn concurrent_begin_gives_one_row() {
    let store = paid_store(100);
    let path = store.path();
    let handles: Vec<Store> = (0..4)
        .map(|_| Store::open(&path).expect("open handle"))
        .collect();
    let barrier = Arc::new(Barrier::new(handles.len()));

    let workers: Vec<_> = handles
        .into_iter()
        .map(|handle| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                handle
                    .begin_refund(SHOP, "A1", "R1", 100, None)
                    .expect("begin")
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .map(|worker| worker.join().expect("worker panicked"))
        .collect();

    let created = results.iter().filter(|begun| begun.created).count();
    assert_eq!(created, 1, "exactly one caller creates the refund");
    assert_eq!(
        store.refunds_of_order(SHOP, "A1").expect("refunds").len(),
        1
    );
    let ids: Vec<i64> = results.iter().map(|begun| begun.refund.id).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
}

#[test]
fn concurrent_different_numbers_never_over_refund() {
    let store = paid_store(100);
    let path = store.path();
    let handles: Vec<Store> = (0..4)
        .map(|_| Store::open(&path).expect("open handle"))
        .collect();
    let barrier = Arc::new(Barrier::new(handles.len()));

    let workers: Vec<_> = handles
        .into_iter()
        .enumerate()
        .map(|(index, handle)| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                handle.begin_refund(SHOP, "A1", &format!("R{index}"), 60, None)
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .map(|worker| worker.join().expect("worker panicked"))
        .collect();

    let accepted = results.iter().filter(|result| result.is_ok()).count();
    let rejected = results
        .iter()
        .filter(|result| matches!(result, Err(StoreError::OverRefund { .. })))
        .count();
    assert_eq!(accepted, 1);
    assert_eq!(rejected, 3);
}

#[test]
fn success_updates_order() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 30, None)
        .expect("begin");
    let success = RefundUpdate {
        refund_id: Some("50300000001".to_owned()),
        succeeded_at: Some(at(300)),
        ..update("SUCCESS")
    };

    store
        .update_refund(SHOP, "R1", &update("PROCESSING"))
        .expect("processing");
    let refund = store.update_refund(SHOP, "R1", &success).expect("success");
    let order = store.get_order(SHOP, "A1").expect("get").expect("exists");
    let kinds: Vec<String> = store
        .events_of_order(SHOP, "A1")
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();

    assert_eq!(refund.status, "SUCCESS");
    assert_eq!(refund.refund_id.as_deref(), Some("50300000001"));
    assert_eq!(refund.succeeded_at, Some(at(300)));
    assert_eq!(order.refunded_fee, 30);
    assert_eq!(order.trade_state, "REFUND");
    assert_eq!(
        kinds,
        vec!["refund_requested", "refund_status", "refund_status"]
    );
}

#[test]
fn update_never_moves_back() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 30, None)
        .expect("begin");
    store
        .update_refund(SHOP, "R1", &update("SUCCESS"))
        .expect("success");

    let stale = RefundUpdate {
        err_code: Some("SYSTEMERROR".to_owned()),
        ..update("PROCESSING")
    };
    let refund = store
        .update_refund(SHOP, "R1", &stale)
        .expect("stale update");
    let events = store.events_of_order(SHOP, "A1").expect("events");

    assert_eq!(refund.status, "SUCCESS");
    assert_eq!(refund.err_code, None);
    assert_eq!(
        events.len(),
        2,
        "no event for an update that changed nothing"
    );
}

#[test]
fn update_unknown_refund_fails() {
    let store = paid_store(100);

    let result = store.update_refund(SHOP, "NOPE", &update("SUCCESS"));

    assert!(
        matches!(result, Err(StoreError::RefundNotFound { .. })),
        "{result:?}"
    );
}

#[test]
fn pending_refunds_survive_reopen() {
    let store = paid_store(100);
    store
        .begin_refund(SHOP, "A1", "R1", 10, None)
        .expect("first");
    store
        .begin_refund(SHOP, "A1", "R2", 10, None)
        .expect("second");
    store
        .begin_refund(SHOP, "A1", "R3", 10, None)
        .expect("third");
    store
        .update_refund(SHOP, "R2", &update("PROCESSING"))
        .expect("processing");
    store
        .update_refund(SHOP, "R3", &update("SUCCESS"))
        .expect("success");
    let path = store.path();

    let reopened = Store::open(&path).expect("reopen after crash");
    let pending: Vec<String> = reopened
        .pending_refunds(SHOP)
        .expect("pending")
        .into_iter()
        .map(|refund| refund.out_refund_no)
        .collect();

    assert_eq!(pending, vec!["R1".to_owned(), "R2".to_owned()]);
}
