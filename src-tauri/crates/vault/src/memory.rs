//! An in-process secret store for unit tests of code that needs a vault. Values vanish when
//! the process exits, so the app uses the keyring instead.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::{Secret, SecretKind, SecretStore, VaultError};

/// Secrets kept in a map in memory. For tests only.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<(String, SecretKind), Secret>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<(String, SecretKind), Secret>> {
        // A panic while the lock was held cannot leave the map half-written, because each
        // operation is one map call, so a poisoned lock is safe to reuse.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        Ok(self.entries().get(&(profile_id.to_owned(), kind)).cloned())
    }

    fn set(&self, profile_id: &str, kind: SecretKind, secret: &Secret) -> Result<(), VaultError> {
        self.entries()
            .insert((profile_id.to_owned(), kind), secret.clone());
        Ok(())
    }

    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), VaultError> {
        self.entries().remove(&(profile_id.to_owned(), kind));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_entry_is_none() {
        let store = MemoryStore::new();

        let value = store.get("shop-1", SecretKind::ApiKey).expect("get");

        assert!(value.is_none());
    }

    #[test]
    fn set_then_get_round_trips() {
        let store = MemoryStore::new();
        store
            .set("shop-1", SecretKind::ApiKey, &Secret::new("k1".to_owned()))
            .expect("set");

        let value = store.get("shop-1", SecretKind::ApiKey).expect("get");

        assert_eq!(value.as_ref().map(Secret::expose), Some("k1"));
    }

    #[test]
    fn set_replaces_value() {
        let store = MemoryStore::new();
        store
            .set(
                "shop-1",
                SecretKind::AppSecret,
                &Secret::new("old".to_owned()),
            )
            .expect("set");
        store
            .set(
                "shop-1",
                SecretKind::AppSecret,
                &Secret::new("new".to_owned()),
            )
            .expect("set");

        let value = store.get("shop-1", SecretKind::AppSecret).expect("get");

        assert_eq!(value.as_ref().map(Secret::expose), Some("new"));
    }

    #[test]
    fn entries_are_per_profile_and_kind() {
        let store = MemoryStore::new();
        store
            .set("shop-1", SecretKind::ApiKey, &Secret::new("a".to_owned()))
            .expect("set");

        let other_kind = store.get("shop-1", SecretKind::AppSecret).expect("get");
        let other_profile = store.get("shop-2", SecretKind::ApiKey).expect("get");

        assert!(other_kind.is_none());
        assert!(other_profile.is_none());
    }

    #[test]
    fn delete_removes_and_is_idempotent() {
        let store = MemoryStore::new();
        store
            .set(
                "shop-1",
                SecretKind::ClientKeyPem,
                &Secret::new("k".to_owned()),
            )
            .expect("set");

        store
            .delete("shop-1", SecretKind::ClientKeyPem)
            .expect("first delete");
        store
            .delete("shop-1", SecretKind::ClientKeyPem)
            .expect("second delete");

        assert!(store
            .get("shop-1", SecretKind::ClientKeyPem)
            .expect("get")
            .is_none());
    }
}
