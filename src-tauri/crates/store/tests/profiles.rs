//! Profiles on a real store file: saving, listing, the single active profile.

mod common;

use common::{profile, store_with_profile, SHOP};
use store::{ProfileMode, Store, StoreError};

#[test]
fn save_and_get_profile() {
    let store = store_with_profile();

    let stored = store
        .get_profile(SHOP)
        .expect("get")
        .expect("profile exists");
    let missing = store.get_profile("nobody").expect("get missing");

    assert_eq!(stored, profile(SHOP));
    assert!(missing.is_none());
}

#[test]
fn save_updates_but_keeps_created_at() {
    let store = store_with_profile();
    let mut changed = profile(SHOP);
    changed.name = "Renamed".to_owned();
    changed.mode = ProfileMode::Live;
    changed.created_at = common::at(9_999);

    store.save_profile(&changed).expect("save again");
    let stored = store
        .get_profile(SHOP)
        .expect("get")
        .expect("profile exists");

    assert_eq!(stored.name, "Renamed");
    assert_eq!(stored.mode, ProfileMode::Live);
    assert_eq!(stored.created_at, common::at(0));
}

#[test]
fn list_in_creation_order() {
    let store = store_with_profile();
    let mut later = profile("shop-2");
    later.created_at = common::at(60);
    store.save_profile(&later).expect("save second");

    let ids: Vec<String> = store
        .list_profiles()
        .expect("list")
        .into_iter()
        .map(|profile| profile.id)
        .collect();

    assert_eq!(ids, vec![SHOP.to_owned(), "shop-2".to_owned()]);
}

#[test]
fn only_one_profile_active() {
    let store = store_with_profile();
    store.save_profile(&profile("shop-2")).expect("save second");

    store.set_active_profile(SHOP).expect("activate first");
    store.set_active_profile("shop-2").expect("activate second");
    let active: Vec<String> = store
        .list_profiles()
        .expect("list")
        .into_iter()
        .filter(|profile| profile.active)
        .map(|profile| profile.id)
        .collect();
    let current = store
        .active_profile()
        .expect("active")
        .expect("one is active");

    assert_eq!(active, vec!["shop-2".to_owned()]);
    assert_eq!(current.id, "shop-2");
}

#[test]
fn saving_active_profile_clears_others() {
    let store = store_with_profile();
    store.set_active_profile(SHOP).expect("activate first");
    let mut second = profile("shop-2");
    second.active = true;

    store.save_profile(&second).expect("save active second");
    let first = store.get_profile(SHOP).expect("get").expect("exists");

    assert!(!first.active);
    assert_eq!(
        store.active_profile().expect("active").map(|p| p.id),
        Some("shop-2".to_owned())
    );
}

#[test]
fn activate_unknown_profile_fails() {
    let store = store_with_profile();
    store.set_active_profile(SHOP).expect("activate");

    let result = store.set_active_profile("nobody");

    assert!(
        matches!(result, Err(StoreError::ProfileNotFound { .. })),
        "{result:?}"
    );
    assert_eq!(
        store.active_profile().expect("active").map(|p| p.id),
        Some(SHOP.to_owned())
    );
}

#[test]
fn in_memory_store_works() {
    let store = Store::open_in_memory().expect("open in memory");

    store.save_profile(&profile(SHOP)).expect("save");

    assert_eq!(store.list_profiles().expect("list").len(), 1);
}

#[test]
fn profiles_survive_reopen() {
    let test_store = store_with_profile();
    let path = test_store.path();
    let common::TestStore { store, dir } = test_store;
    drop(store);

    let reopened = Store::open(&path).expect("reopen");

    assert!(reopened.get_profile(SHOP).expect("get").is_some());
    drop(dir);
}
