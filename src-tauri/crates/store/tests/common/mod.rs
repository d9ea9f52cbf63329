//! Helpers shared by the store's integration tests: a store file in a temporary folder with
//! one profile, and order and refund values with sensible defaults.

#![allow(dead_code)] // Each test binary uses a different subset of these helpers.

use chrono::{DateTime, Duration, TimeZone, Utc};
use store::{OrderSource, OrderUpsert, Profile, ProfileMode, RefundUpsert, Store};
use tempfile::TempDir;

pub const SHOP: &str = "shop-1";

/// A store file in a temporary folder, removed when dropped.
pub struct TestStore {
    pub store: Store,
    pub dir: TempDir,
}

impl std::ops::Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("console.db")
    }
}

/// Opens a new store file with the profile `SHOP`.
pub fn store_with_profile() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("console.db")).expect("open store");
    store.save_profile(&profile(SHOP)).expect("save profile");
    TestStore { store, dir }
}

pub fn profile(id: &str) -> Profile {
    Profile {
        id: id.to_owned(),
        name: format!("Shop {id}"),
        mode: ProfileMode::Sandbox,
        appid: "wx2421b1c4370ec43b".to_owned(),
        mch_id: "10000100".to_owned(),
        created_at: at(0),
        active: false,
    }
}

/// Returns 2026-03-01 00:00:00 UTC plus `seconds`.
pub fn at(seconds: i64) -> DateTime<Utc> {
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    start + Duration::seconds(seconds)
}

/// Builds a paid order of `total_fee` fen created at `at(created)`.
pub fn order(out_trade_no: &str, total_fee: i64, created: i64) -> OrderUpsert {
    OrderUpsert {
        out_trade_no: out_trade_no.to_owned(),
        transaction_id: Some(format!("4200{out_trade_no}")),
        trade_type: Some("NATIVE".to_owned()),
        trade_state: "SUCCESS".to_owned(),
        total_fee,
        cash_fee: Some(total_fee),
        coupon_fee: None,
        body: Some("coffee".to_owned()),
        attach: None,
        openid: Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".to_owned()),
        bank_type: Some("CMC".to_owned()),
        created_at: at(created),
        paid_at: Some(at(created + 5)),
        source: OrderSource::Bill,
    }
}

pub fn refund(
    out_refund_no: &str,
    out_trade_no: &str,
    refund_fee: i64,
    status: &str,
) -> RefundUpsert {
    RefundUpsert {
        out_refund_no: out_refund_no.to_owned(),
        out_trade_no: out_trade_no.to_owned(),
        refund_id: Some(format!("5030{out_refund_no}")),
        refund_fee,
        reason: None,
        status: status.to_owned(),
        err_code: None,
        err_message: None,
        requested_at: at(100),
        succeeded_at: (status == "SUCCESS").then(|| at(160)),
    }
}
