//! Merchant secrets (API key, AppSecret, client certificate and key) kept in the OS keyring.
//! Owns the `Secret` type that cannot be printed and the mutex that serialises keyring calls.
//! Never writes a secret to a file, a log or an error message.

mod error;
mod keyring_store;
mod memory;
mod secret;
mod vault;

pub use error::VaultError;
pub use keyring_store::{KeyringStore, SERVICE};
pub use memory::MemoryStore;
pub use secret::{Secret, SecretKind};
pub use vault::Vault;

/// A place that keeps one secret per profile and kind.
///
/// Calls block, so async callers run them on a blocking thread.
pub trait SecretStore: Send + Sync {
    /// Reads a secret, returning `Ok(None)` when none is stored.
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, VaultError>;

    /// Stores a secret, replacing any earlier value.
    fn set(&self, profile_id: &str, kind: SecretKind, secret: &Secret) -> Result<(), VaultError>;

    /// Removes a secret. Removing one that is not stored succeeds.
    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), VaultError>;
}
