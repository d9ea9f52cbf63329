//! Timeline events, the ad action log, the audit log and synced bill days on a real store file.

mod common;

use chrono::NaiveDate;
use common::{at, order, store_with_profile, SHOP};
use serde_json::json;
use store::{NewAdAction, NewAuditEntry, NewEvent, StoreError};

fn ad_action(second: i64, out_trade_no: Option<&str>, errcode: i64) -> NewAdAction {
    NewAdAction {
        at: at(second),
        action_type: "PURCHASE".to_owned(),
        out_trade_no: out_trade_no.map(str::to_owned),
        request_json: json!({ "actions": [{ "action_type": "PURCHASE", "value": 100 }] }),
        response_json: Some(json!({ "errcode": errcode, "errmsg": "ok" })),
        errcode: Some(errcode),
        errmsg: Some("ok".to_owned()),
    }
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).expect("valid date")
}

#[test]
fn events_listed_in_time_order() {
    let store = store_with_profile();
    store
        .import_batch(SHOP, &[order("A1", 100, 0)], &[])
        .expect("order");
    for (second, kind) in [(30, "paid"), (10, "created"), (40, "notified")] {
        let event = NewEvent {
            out_trade_no: "A1".to_owned(),
            at: at(second),
            kind: kind.to_owned(),
            summary: format!("order {kind}"),
            detail: json!({ "second": second }),
        };
        store.append_event(SHOP, &event).expect("append");
    }

    let events = store.events_of_order(SHOP, "A1").expect("events");
    let kinds: Vec<&str> = events.iter().map(|event| event.kind.as_str()).collect();

    assert_eq!(kinds, vec!["created", "paid", "notified"]);
    assert_eq!(events[1].detail, json!({ "second": 30 }));
    assert_eq!(events[1].summary, "order paid");
    assert!(store
        .events_of_order(SHOP, "A2")
        .expect("events")
        .is_empty());
}

#[test]
fn ad_actions_paged_newest_first() {
    let store = store_with_profile();
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            store
                .insert_ad_action(SHOP, &ad_action(i, None, 0))
                .expect("insert")
        })
        .collect();

    let first = store.list_ad_actions(SHOP, None, 3).expect("first page");
    let last_id = first.last().map(|action| action.id);
    let second = store
        .list_ad_actions(SHOP, last_id, 3)
        .expect("second page");

    let first_ids: Vec<i64> = first.iter().map(|action| action.id).collect();
    let second_ids: Vec<i64> = second.iter().map(|action| action.id).collect();
    assert_eq!(first_ids, vec![ids[4], ids[3], ids[2]]);
    assert_eq!(second_ids, vec![ids[1], ids[0]]);
    assert_eq!(first[0].request_json["actions"][0]["value"], 100);
    assert_eq!(
        first[0].response_json,
        Some(json!({ "errcode": 0, "errmsg": "ok" }))
    );
}

#[test]
fn ad_action_without_reply() {
    let store = store_with_profile();
    let timed_out = NewAdAction {
        response_json: None,
        errcode: None,
        errmsg: None,
        ..ad_action(0, None, 0)
    };

    store.insert_ad_action(SHOP, &timed_out).expect("insert");
    let listed = store.list_ad_actions(SHOP, None, 10).expect("list");

    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].response_json, None);
    assert_eq!(listed[0].errcode, None);
}

#[test]
fn ad_action_found_by_order() {
    let store = store_with_profile();
    store
        .insert_ad_action(SHOP, &ad_action(0, Some("A1"), 40001))
        .expect("failed send");
    store
        .insert_ad_action(SHOP, &ad_action(60, Some("A1"), 0))
        .expect("retry");

    let latest = store
        .ad_action_of_order(SHOP, "A1", "PURCHASE")
        .expect("lookup");
    let other_type = store
        .ad_action_of_order(SHOP, "A1", "REGISTER")
        .expect("lookup");
    let other_order = store
        .ad_action_of_order(SHOP, "A2", "PURCHASE")
        .expect("lookup");

    assert_eq!(latest.map(|action| action.errcode), Some(Some(0)));
    assert!(other_type.is_none());
    assert!(other_order.is_none());
}

#[test]
fn ad_action_needs_known_profile() {
    let store = store_with_profile();

    let result = store.insert_ad_action("nobody", &ad_action(0, None, 0));

    assert!(
        matches!(result, Err(StoreError::ProfileNotFound { .. })),
        "{result:?}"
    );
}

#[test]
fn audit_log_paged_newest_first() {
    let store = store_with_profile();
    let entries = [
        (Some(SHOP), "staff-1", "refund"),
        (None, "system", "startup"),
        (Some(SHOP), "owner", "profile_saved"),
    ];
    for (second, (profile_id, actor, action)) in (0..).zip(entries) {
        let entry = NewAuditEntry {
            profile_id: profile_id.map(str::to_owned),
            at: at(second),
            actor: actor.to_owned(),
            action: action.to_owned(),
            detail: json!({ "n": second }),
        };
        store.insert_audit(&entry).expect("insert");
    }

    let first = store.list_audit(None, 2).expect("first page");
    let second = store
        .list_audit(first.last().map(|entry| entry.id), 2)
        .expect("second page");

    let actions: Vec<&str> = first
        .iter()
        .chain(second.iter())
        .map(|entry| entry.action.as_str())
        .collect();
    assert_eq!(actions, vec!["profile_saved", "startup", "refund"]);
    assert_eq!(first[1].profile_id, None);
    assert_eq!(second[0].actor, "staff-1");
    assert_eq!(second[0].detail, json!({ "n": 0 }));
}

#[test]
fn synced_days_marked_and_listed() {
    let store = store_with_profile();
    store
        .mark_synced_day(SHOP, date(2), 10, at(0))
        .expect("mark");
    store
        .mark_synced_day(SHOP, date(1), 0, at(0))
        .expect("mark");
    store
        .mark_synced_day(SHOP, date(5), 7, at(0))
        .expect("mark");
    store
        .mark_synced_day(SHOP, date(2), 12, at(3_600))
        .expect("mark again");

    let days = store
        .list_synced_days(SHOP, date(1), date(4))
        .expect("list");

    let listed: Vec<(NaiveDate, u64)> = days.iter().map(|day| (day.bill_date, day.rows)).collect();
    assert_eq!(listed, vec![(date(1), 0), (date(2), 12)]);
    assert_eq!(days[1].synced_at, at(3_600));
}
