//! Runs the vault against the real OS keyring. It needs a running, unlocked Secret Service,
//! so it runs only when WXMC_REAL_KEYRING=1 and is skipped with a note otherwise.

use std::io::Write;
use std::sync::Arc;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use vault::{Secret, SecretKind, Vault};

fn real_keyring_enabled() -> bool {
    let enabled = std::env::var("WXMC_REAL_KEYRING").is_ok_and(|value| value == "1");
    if !enabled {
        // Written to stderr directly, because the test harness hides eprintln! output of
        // passing tests and the note must be seen.
        let note = "real keyring test skipped: set WXMC_REAL_KEYRING=1 with an unlocked \
                    Secret Service to run it\n";
        let _ = std::io::stderr().write_all(note.as_bytes());
    }
    enabled
}

fn unique_profile_id(label: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("test-{label}-{}-{nanos}", std::process::id())
}

#[test]
fn keyring_round_trip() {
    if !real_keyring_enabled() {
        return;
    }
    let vault = Vault::keyring();
    let profile_id = unique_profile_id("round-trip");
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    let before = vault
        .get(&profile_id, SecretKind::ApiKey)
        .expect("get before set");
    vault
        .set(
            &profile_id,
            SecretKind::ApiKey,
            &Secret::new("first".to_owned()),
        )
        .expect("set");
    vault
        .set(
            &profile_id,
            SecretKind::ApiKey,
            &Secret::new("second".to_owned()),
        )
        .expect("reset");
    vault
        .set(
            &profile_id,
            SecretKind::ClientCertPem,
            &Secret::new(pem.to_owned()),
        )
        .expect("set");
    let api_key = vault
        .get(&profile_id, SecretKind::ApiKey)
        .expect("get api key");
    let cert = vault
        .get(&profile_id, SecretKind::ClientCertPem)
        .expect("get cert");
    let kinds = vault.stored_kinds(&profile_id).expect("stored kinds");
    vault.delete_profile(&profile_id).expect("delete profile");
    let after = vault
        .get(&profile_id, SecretKind::ApiKey)
        .expect("get after delete");

    assert!(before.is_none());
    assert_eq!(api_key.as_ref().map(Secret::expose), Some("second"));
    assert_eq!(cert.as_ref().map(Secret::expose), Some(pem));
    assert_eq!(kinds, vec![SecretKind::ApiKey, SecretKind::ClientCertPem]);
    assert!(after.is_none());
}

#[test]
fn keyring_concurrent_threads() {
    if !real_keyring_enabled() {
        return;
    }
    let vault = Arc::new(Vault::keyring());
    let profile_id = unique_profile_id("threads");

    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let vault = Arc::clone(&vault);
            let profile_id = profile_id.clone();
            thread::spawn(move || {
                for round in 0..5 {
                    let value = Secret::new(format!("{worker}-{round}"));
                    vault
                        .set(&profile_id, SecretKind::AppSecret, &value)
                        .expect("set");
                    let stored = vault.get(&profile_id, SecretKind::AppSecret).expect("get");
                    assert!(stored.is_some());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker thread panicked");
    }
    let last = vault
        .get(&profile_id, SecretKind::AppSecret)
        .expect("get last");
    vault.delete_profile(&profile_id).expect("delete profile");

    assert!(last.is_some_and(|secret| secret.expose().contains('-')));
}
