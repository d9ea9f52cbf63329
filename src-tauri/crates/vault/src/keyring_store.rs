//! The OS keyring backend (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows) through the keyring crate, version 3.

use keyring::Entry;

use crate::vault::check_profile_id;
use crate::{Secret, SecretKind, SecretStore, VaultError};

/// Keyring service name under which every entry of the console is stored.
pub const SERVICE: &str = "wechat-merchant-console";

/// Secrets in the OS keyring, one entry per profile and kind, named
/// `wechat-merchant-console` / `<profile_id>/<kind>`.
///
/// Secret Service can fail when one credential is used from several threads at once, so use
/// this through [`crate::Vault`], which serialises calls.
#[derive(Debug, Default)]
pub struct KeyringStore;

impl KeyringStore {
    pub fn new() -> Self {
        Self
    }

    fn entry(&self, profile_id: &str, kind: SecretKind) -> Result<Entry, VaultError> {
        check_profile_id(profile_id)?;
        let user = format!("{profile_id}/{}", kind.as_str());
        Entry::new(SERVICE, &user).map_err(|err| map_error(err, profile_id, kind))
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        let entry = self.entry(profile_id, kind)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_error(err, profile_id, kind)),
        }
    }

    fn set(&self, profile_id: &str, kind: SecretKind, secret: &Secret) -> Result<(), VaultError> {
        let entry = self.entry(profile_id, kind)?;
        entry
            .set_password(secret.expose())
            .map_err(|err| map_error(err, profile_id, kind))
    }

    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), VaultError> {
        let entry = self.entry(profile_id, kind)?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(map_error(err, profile_id, kind)),
        }
    }
}

/// Maps a keyring error to ours. Only variants that cannot carry the secret contribute text:
/// `BadEncoding` contains the stored bytes and is reported without them.
fn map_error(err: keyring::Error, profile_id: &str, kind: SecretKind) -> VaultError {
    let rejected = |detail: String| VaultError::Rejected {
        profile_id: profile_id.to_owned(),
        kind,
        detail,
    };
    match err {
        keyring::Error::PlatformFailure(source) | keyring::Error::NoStorageAccess(source) => {
            VaultError::Unavailable {
                detail: source.to_string(),
            }
        }
        keyring::Error::BadEncoding(_) => VaultError::NotText {
            profile_id: profile_id.to_owned(),
            kind,
        },
        keyring::Error::TooLong(attribute, limit) => rejected(format!(
            "{attribute} is longer than the platform limit of {limit}"
        )),
        keyring::Error::Invalid(attribute, reason) => rejected(format!("{attribute}: {reason}")),
        keyring::Error::Ambiguous(matches) => rejected(format!(
            "{} entries match; remove the duplicates",
            matches.len()
        )),
        // Each caller handles NoEntry itself. This arm also covers variants that a later
        // keyring release adds.
        other => rejected(other.to_string()),
    }
}
