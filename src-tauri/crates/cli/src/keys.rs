//! The API key's source: `--key`, `--key-file`, a profile's keyring entry, or the
//! WXMC_API_KEY variable. The key is checked for WeChat's shape and never printed.

use std::path::{Path, PathBuf};

use clap::Args;
use vault::{SecretKind, Vault, VaultError};
use wxpay::ApiKey;

/// The variable read when no key option is given.
pub const KEY_VARIABLE: &str = "WXMC_API_KEY";

/// Options that choose the API key. At most one may be given; without any, the key is
/// read from WXMC_API_KEY.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// API key (商户平台 API 密钥): 32 letters and digits. Other users of this machine can
    /// see command lines, so prefer --key-file or WXMC_API_KEY
    #[arg(long, value_name = "KEY", conflicts_with_all = ["key_file", "profile"])]
    key: Option<String>,

    /// File whose first line is the API key
    #[arg(long, value_name = "FILE", conflicts_with = "profile")]
    key_file: Option<PathBuf>,

    /// Merchant profile id whose API key is read from the OS keyring (Secret Service)
    #[arg(long, value_name = "ID")]
    profile: Option<String>,
}

/// A key that could not be found or is not a valid API key.
#[derive(Debug, thiserror::Error)]
pub enum KeySourceError {
    #[error("no API key given: pass --key, --key-file or --profile, or set {KEY_VARIABLE}")]
    Missing,
    #[error("failed to read the key file {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: {source}")]
    Invalid {
        origin: String,
        #[source]
        source: wxpay::KeyError,
    },
    #[error("the keyring has no API key for profile {0}: check the profile id, or enter the key in the app's settings")]
    NotInKeyring(String),
    #[error(transparent)]
    Keyring(#[from] VaultError),
}

impl KeyArgs {
    /// Finds and checks the API key.
    pub fn resolve(&self) -> Result<ApiKey, KeySourceError> {
        let (origin, text) = if let Some(key) = &self.key {
            ("--key".to_owned(), key.clone())
        } else if let Some(path) = &self.key_file {
            (format!("key file {}", path.display()), read_key_file(path)?)
        } else if let Some(profile) = &self.profile {
            (format!("profile {profile}"), read_keyring(profile)?)
        } else if let Ok(key) = std::env::var(KEY_VARIABLE) {
            (KEY_VARIABLE.to_owned(), key)
        } else {
            return Err(KeySourceError::Missing);
        };
        ApiKey::new(text.trim().to_owned())
            .map_err(|source| KeySourceError::Invalid { origin, source })
    }
}

fn read_key_file(path: &Path) -> Result<String, KeySourceError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeySourceError::File {
        path: path.to_owned(),
        source,
    })?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

fn read_keyring(profile: &str) -> Result<String, KeySourceError> {
    let secret = Vault::keyring()
        .get(profile, SecretKind::ApiKey)?
        .ok_or_else(|| KeySourceError::NotInKeyring(profile.to_owned()))?;
    Ok(secret.expose().to_owned())
}
