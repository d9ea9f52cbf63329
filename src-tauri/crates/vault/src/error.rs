//! Errors of the vault. Messages name the profile and kind, never the secret itself.

use crate::SecretKind;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No usable keyring: no Secret Service on the session bus, a locked collection, or a
    /// platform failure.
    #[error(
        "the system keyring is unavailable ({detail}). Install or unlock a Secret Service \
         such as gnome-keyring, then try again"
    )]
    Unavailable { detail: String },

    #[error(
        "invalid profile id {profile_id:?}: it must be non-empty and contain no '/' or \
         control characters"
    )]
    InvalidProfileId { profile_id: String },

    #[error("the secret for {profile_id}/{kind} is empty; enter a value")]
    EmptySecret {
        profile_id: String,
        kind: SecretKind,
    },

    #[error("the keyring entry for {profile_id}/{kind} is not UTF-8 text; enter the secret again")]
    NotText {
        profile_id: String,
        kind: SecretKind,
    },

    #[error("the keyring rejected the entry for {profile_id}/{kind}: {detail}")]
    Rejected {
        profile_id: String,
        kind: SecretKind,
        detail: String,
    },
}
