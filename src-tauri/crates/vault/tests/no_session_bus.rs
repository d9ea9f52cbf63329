//! Checks that a missing Secret Service becomes `VaultError::Unavailable` with advice. This
//! file contains one test, so changing the process environment races with nothing.

use vault::{SecretKind, Vault, VaultError};

#[cfg(target_os = "linux")]
#[test]
fn missing_bus_is_unavailable() {
    let empty_dir = tempfile::tempdir().expect("temp dir");
    let socket = empty_dir.path().join("no-bus");
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", socket.display()),
    );
    let vault = Vault::keyring();

    let err = vault
        .get("shop-1", SecretKind::ApiKey)
        .expect_err("no bus to talk to");

    assert!(matches!(err, VaultError::Unavailable { .. }), "got {err:?}");
    assert!(err.to_string().contains("gnome-keyring"));
}
