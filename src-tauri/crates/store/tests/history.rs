//! The order history list on a real store file: keyset pages, filters and totals.

mod common;

use std::collections::HashSet;

use common::{at, order, refund, store_with_profile, SHOP};
use store::{OrderFilter, OrderUpsert, MAX_PAGE_SIZE};

fn filter() -> OrderFilter {
    OrderFilter {
        profile_id: SHOP.to_owned(),
        ..OrderFilter::default()
    }
}

/// Reads every page of a filter and returns the out_trade_no values in page order.
fn all_pages(store: &store::Store, filter: &OrderFilter, page_size: u32) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_orders(filter, after, page_size).expect("page");
        assert!(page.orders.len() <= page_size as usize);
        numbers.extend(page.orders.into_iter().map(|order| order.out_trade_no));
        match page.next {
            Some(next) => after = Some(next),
            None => return numbers,
        }
    }
}

/// Ten orders per minute for 50 minutes, so many share a created_at second.
fn history_store() -> common::TestStore {
    let store = store_with_profile();
    let orders: Vec<OrderUpsert> = (0..500)
        .map(|i| {
            let mut row = order(&format!("T{i:04}"), 100 + i, (i / 10) * 60);
            row.trade_state = ["SUCCESS", "NOTPAY", "CLOSED", "SUCCESS"][(i % 4) as usize].into();
            row.trade_type = Some(if i % 2 == 0 { "NATIVE" } else { "JSAPI" }.to_owned());
            row.openid = Some(format!("oUser{:02}", i % 7));
            row
        })
        .collect();
    store.import_batch(SHOP, &orders, &[]).expect("import");
    store
}

#[test]
fn pages_return_every_row_once() {
    let store = history_store();

    for page_size in [1, 7, 10, 64, 499, 500, 501] {
        let numbers = all_pages(&store, &filter(), page_size);
        let distinct: HashSet<&String> = numbers.iter().collect();

        assert_eq!(numbers.len(), 500, "page size {page_size}");
        assert_eq!(distinct.len(), 500, "page size {page_size}");
    }
}

#[test]
fn pages_are_newest_first() {
    let store = history_store();

    let page = store.list_orders(&filter(), None, 25).expect("page");
    let times: Vec<_> = page
        .orders
        .iter()
        .map(|order| (order.created_at, order.id))
        .collect();

    assert_eq!(page.orders[0].out_trade_no, "T0499");
    assert!(times.windows(2).all(|pair| pair[0] > pair[1]), "{times:?}");
    assert!(page.next.is_some());
}

#[test]
fn last_page_has_no_cursor() {
    let store = history_store();
    let narrow = OrderFilter {
        search: Some("T0003".to_owned()),
        ..filter()
    };

    let page = store.list_orders(&narrow, None, 50).expect("page");

    assert_eq!(page.orders.len(), 1);
    assert!(page.next.is_none());
}

#[test]
fn limit_is_capped() {
    let store = store_with_profile();
    let orders: Vec<OrderUpsert> = (0..1_200)
        .map(|i| order(&format!("C{i:05}"), 100, i))
        .collect();
    store.import_batch(SHOP, &orders, &[]).expect("import");

    let page = store.list_orders(&filter(), None, 5_000).expect("page");

    assert_eq!(page.orders.len(), MAX_PAGE_SIZE as usize);
}

#[test]
fn date_range_is_half_open() {
    let store = history_store();
    // Minutes 10 to 19 inclusive hold orders T0100 to T0199.
    let range = OrderFilter {
        from_utc: Some(at(600)),
        to_utc: Some(at(1_200)),
        ..filter()
    };

    let numbers = all_pages(&store, &range, 30);

    assert_eq!(numbers.len(), 100);
    assert!(numbers.contains(&"T0100".to_owned()));
    assert!(numbers.contains(&"T0199".to_owned()));
    assert!(!numbers.contains(&"T0200".to_owned()));
    assert!(!numbers.contains(&"T0099".to_owned()));
}

#[test]
fn state_and_type_filters() {
    let store = history_store();
    let success = OrderFilter {
        states: vec!["SUCCESS".to_owned()],
        ..filter()
    };
    let closed_native = OrderFilter {
        states: vec!["CLOSED".to_owned(), "NOTPAY".to_owned()],
        trade_types: vec!["NATIVE".to_owned()],
        ..filter()
    };

    let success_count = all_pages(&store, &success, 100).len();
    let closed_native_numbers = all_pages(&store, &closed_native, 100);

    assert_eq!(success_count, 250);
    // i % 4 == 2 is CLOSED and even (NATIVE); i % 4 == 1 is NOTPAY and odd (JSAPI).
    assert_eq!(closed_native_numbers.len(), 125);
    assert!(closed_native_numbers
        .iter()
        .all(|no| no[1..].parse::<i64>().expect("digits") % 4 == 2));
}

#[test]
fn fee_range_is_inclusive() {
    let store = history_store();
    let range = OrderFilter {
        min_fee: Some(150),
        max_fee: Some(159),
        ..filter()
    };

    let numbers = all_pages(&store, &range, 100);

    assert_eq!(numbers.len(), 10);
    assert!(numbers.contains(&"T0050".to_owned()));
    assert!(numbers.contains(&"T0059".to_owned()));
}

#[test]
fn search_matches_exact_and_prefix() {
    let store = history_store();
    let cases = [
        ("T0123", 1, "exact out_trade_no"),
        ("T012", 10, "out_trade_no prefix"),
        ("4200T0123", 1, "exact transaction_id"),
        ("4200T04", 100, "transaction_id prefix"),
        ("oUser03", 71, "exact openid"),
        ("  T0123  ", 1, "surrounding spaces ignored"),
        ("X", 0, "no match"),
        ("0123", 0, "infix does not match"),
    ];

    for (search, expected, case) in cases {
        let query = OrderFilter {
            search: Some(search.to_owned()),
            ..filter()
        };
        let numbers = all_pages(&store, &query, 20);
        assert_eq!(numbers.len(), expected, "{case}: {search:?}");
    }
}

#[test]
fn search_combines_with_filters() {
    let store = history_store();
    let query = OrderFilter {
        search: Some("oUser03".to_owned()),
        states: vec!["SUCCESS".to_owned()],
        ..filter()
    };

    let numbers = all_pages(&store, &query, 5);
    let distinct: HashSet<&String> = numbers.iter().collect();

    assert!(!numbers.is_empty());
    assert_eq!(distinct.len(), numbers.len());
    for number in &numbers {
        let order = store.get_order(SHOP, number).expect("get").expect("exists");
        assert_eq!(order.trade_state, "SUCCESS");
        assert_eq!(order.openid.as_deref(), Some("oUser03"));
    }
}

#[test]
fn profiles_do_not_mix() {
    let store = history_store();
    store
        .save_profile(&common::profile("shop-2"))
        .expect("second profile");
    store
        .import_batch("shop-2", &[order("T0001", 1, 0)], &[])
        .expect("import");

    let second = OrderFilter {
        profile_id: "shop-2".to_owned(),
        ..OrderFilter::default()
    };

    assert_eq!(all_pages(&store, &second, 100).len(), 1);
    assert_eq!(all_pages(&store, &filter(), 100).len(), 500);
}

#[test]
fn totals_of_filter() {
    let store = store_with_profile();
    let mut unpaid = order("A3", 500, 20);
    unpaid.trade_state = "NOTPAY".to_owned();
    let orders = vec![order("A1", 100, 0), order("A2", 300, 10), unpaid];
    let refunds = vec![
        refund("R1", "A2", 120, "SUCCESS"),
        refund("R2", "A2", 50, "PROCESSING"),
    ];
    store.import_batch(SHOP, &orders, &refunds).expect("import");

    let all = store.order_totals(&filter()).expect("totals");
    let first_two = store
        .order_totals(&OrderFilter {
            to_utc: Some(at(20)),
            ..filter()
        })
        .expect("totals");
    let none = store
        .order_totals(&OrderFilter {
            search: Some("nothing".to_owned()),
            ..filter()
        })
        .expect("totals");

    assert_eq!(all.count, 3);
    assert_eq!(all.total_fee, 900);
    assert_eq!(all.paid_count, 2);
    assert_eq!(all.paid_fee, 400);
    assert_eq!(all.refunded_fee, 120);
    assert_eq!(all.net_fee, 280);
    assert_eq!(first_two.count, 2);
    assert_eq!(first_two.total_fee, 400);
    assert_eq!(none.count, 0);
    assert_eq!(none.total_fee, 0);
    assert_eq!(none.net_fee, 0);
}
