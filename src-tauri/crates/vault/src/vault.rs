//! The vault the app holds: one secret store behind one mutex, so that no two keyring calls
//! run at the same time (Secret Service can fail under concurrent access to one item).

use std::sync::Mutex;

use crate::{KeyringStore, Secret, SecretKind, SecretStore, VaultError};

/// Serialised access to a [`SecretStore`]. Cheap to share behind an `Arc`.
///
/// Every call blocks on the keyring, so async code calls it from a blocking thread.
pub struct Vault {
    store: Box<dyn SecretStore>,
}

/// One lock for every vault of the process: the Secret Service daemon is shared, so two
/// vaults (the app's and a test's, or two tests') must not call it at the same time either.
static KEYRING_CALLS: Mutex<()> = Mutex::new(());

impl Vault {
    pub fn new(store: impl SecretStore + 'static) -> Self {
        Self {
            store: Box::new(store),
        }
    }

    /// Opens the vault over the OS keyring.
    pub fn keyring() -> Self {
        Self::new(KeyringStore::new())
    }

    pub fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        check_profile_id(profile_id)?;
        let result = self.serialised(|store| store.get(profile_id, kind));
        log_outcome("get", profile_id, kind, &result);
        result
    }

    /// Stores a secret. An empty value is rejected, because it is always a mistake in input.
    pub fn set(
        &self,
        profile_id: &str,
        kind: SecretKind,
        secret: &Secret,
    ) -> Result<(), VaultError> {
        check_profile_id(profile_id)?;
        if secret.expose().is_empty() {
            return Err(VaultError::EmptySecret {
                profile_id: profile_id.to_owned(),
                kind,
            });
        }
        let result = self.serialised(|store| store.set(profile_id, kind, secret));
        log_outcome("set", profile_id, kind, &result);
        result
    }

    pub fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), VaultError> {
        check_profile_id(profile_id)?;
        let result = self.serialised(|store| store.delete(profile_id, kind));
        log_outcome("delete", profile_id, kind, &result);
        result
    }

    /// Removes every secret of a profile, for example when the profile is deleted.
    pub fn delete_profile(&self, profile_id: &str) -> Result<(), VaultError> {
        for kind in SecretKind::ALL {
            self.delete(profile_id, kind)?;
        }
        Ok(())
    }

    /// Lists the kinds of secret a profile has stored. It reads each entry, one keyring call per
    /// kind.
    pub fn stored_kinds(&self, profile_id: &str) -> Result<Vec<SecretKind>, VaultError> {
        let mut kinds = Vec::new();
        for kind in SecretKind::ALL {
            if self.get(profile_id, kind)?.is_some() {
                kinds.push(kind);
            }
        }
        Ok(kinds)
    }

    fn serialised<T>(&self, call: impl FnOnce(&dyn SecretStore) -> T) -> T {
        // The guarded value is `()`, so a poisoned lock carries no broken state.
        let _guard = KEYRING_CALLS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        call(self.store.as_ref())
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault")
    }
}

/// Checks that a profile id can name a keyring entry `<profile_id>/<kind>` unambiguously.
pub(crate) fn check_profile_id(profile_id: &str) -> Result<(), VaultError> {
    let valid = !profile_id.is_empty()
        && !profile_id.contains('/')
        && !profile_id.chars().any(char::is_control);
    if valid {
        Ok(())
    } else {
        Err(VaultError::InvalidProfileId {
            profile_id: profile_id.to_owned(),
        })
    }
}

fn log_outcome<T>(
    operation: &str,
    profile_id: &str,
    kind: SecretKind,
    result: &Result<T, VaultError>,
) {
    match result {
        Ok(_) => tracing::debug!(
            operation,
            profile_id,
            kind = kind.as_str(),
            "keyring call done"
        ),
        Err(err) => {
            let kind = kind.as_str();
            tracing::warn!(operation, profile_id, kind, error = %err, "keyring call failed")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::thread;

    use super::*;
    use crate::MemoryStore;

    fn secret(text: &str) -> Secret {
        Secret::new(text.to_owned())
    }

    #[test]
    fn set_get_delete_round_trip() {
        let vault = Vault::new(MemoryStore::new());

        vault
            .set("shop-1", SecretKind::ApiKey, &secret("key"))
            .expect("set");
        let stored = vault.get("shop-1", SecretKind::ApiKey).expect("get");
        vault.delete("shop-1", SecretKind::ApiKey).expect("delete");
        let after_delete = vault.get("shop-1", SecretKind::ApiKey).expect("get");

        assert_eq!(stored.as_ref().map(Secret::expose), Some("key"));
        assert!(after_delete.is_none());
    }

    #[test]
    fn empty_secret_rejected() {
        let vault = Vault::new(MemoryStore::new());

        let result = vault.set("shop-1", SecretKind::AppSecret, &secret(""));

        assert!(matches!(result, Err(VaultError::EmptySecret { .. })));
    }

    #[test]
    fn bad_profile_ids_rejected() {
        let vault = Vault::new(MemoryStore::new());

        for profile_id in ["", "a/b", "line\nbreak"] {
            let result = vault.get(profile_id, SecretKind::ApiKey);
            assert!(
                matches!(result, Err(VaultError::InvalidProfileId { .. })),
                "profile id {profile_id:?} was accepted"
            );
        }
    }

    #[test]
    fn stored_kinds_lists_present() {
        let vault = Vault::new(MemoryStore::new());
        vault
            .set("shop-1", SecretKind::ApiKey, &secret("k"))
            .expect("set");
        vault
            .set("shop-1", SecretKind::ClientCertPem, &secret("c"))
            .expect("set");

        let kinds = vault.stored_kinds("shop-1").expect("stored kinds");

        assert_eq!(kinds, vec![SecretKind::ApiKey, SecretKind::ClientCertPem]);
    }

    #[test]
    fn delete_profile_removes_all_kinds() {
        let vault = Vault::new(MemoryStore::new());
        for kind in SecretKind::ALL {
            vault.set("shop-1", kind, &secret("v")).expect("set");
        }
        vault
            .set("shop-2", SecretKind::ApiKey, &secret("keep"))
            .expect("set");

        vault.delete_profile("shop-1").expect("delete profile");

        assert!(vault
            .stored_kinds("shop-1")
            .expect("stored kinds")
            .is_empty());
        assert!(vault
            .get("shop-2", SecretKind::ApiKey)
            .expect("get")
            .is_some());
    }

    #[test]
    fn error_messages_hide_secret() {
        let vault = Vault::new(MemoryStore::new());

        let err = vault
            .set("a/b", SecretKind::ApiKey, &secret("TOPSECRET"))
            .expect_err("bad id");

        assert!(!err.to_string().contains("TOPSECRET"));
        assert!(!format!("{err:?}").contains("TOPSECRET"));
    }

    #[test]
    fn concurrent_calls_all_succeed() {
        let vault = Arc::new(Vault::new(MemoryStore::new()));

        let workers: Vec<_> = (0..8)
            .map(|worker| {
                let vault = Arc::clone(&vault);
                thread::spawn(move || {
                    let profile_id = format!("shop-{worker}");
                    for round in 0..50 {
                        let value = format!("value-{round}");
                        vault
                            .set(&profile_id, SecretKind::ApiKey, &secret(&value))
                            .expect("set");
                        let stored = vault.get(&profile_id, SecretKind::ApiKey).expect("get");
                        assert_eq!(stored.as_ref().map(Secret::expose), Some(value.as_str()));
                    }
                })
            })
            .collect();

        for worker in workers {
            worker.join().expect("worker thread panicked");
        }
    }

    #[test]
    fn unavailable_message_says_what_to_do() {
        let err = VaultError::Unavailable {
            detail: "no session bus".to_owned(),
        };

        let message = err.to_string();

        assert!(message.contains("no session bus"));
        assert!(message.contains("gnome-keyring"));
    }
}
