//! The simulated merchant's identity, kept in the state folder like a merchant platform
//! account: appid, mch_id and seed in merchant.json, the API key and AppSecret in files of
//! their own (mode 0600) so that `--key-file` can read the key.

use std::path::{Path, PathBuf};

use rand::Rng;
use serde::{Deserialize, Serialize};
use wxpay::ApiKey;

const IDENTITY_FILE: &str = "merchant.json";
pub const API_KEY_FILE: &str = "api_key.txt";
pub const APP_SECRET_FILE: &str = "app_secret.txt";

/// The simulated merchant.
pub struct Identity {
    pub appid: String,
    pub mch_id: String,
    pub api_key: ApiKey,
    pub app_secret: String,
    pub seed: u64,
}

/// Values given on the command line, each replacing the saved or generated one.
#[derive(Default)]
pub struct Overrides {
    pub appid: Option<String>,
    pub mch_id: Option<String>,
    pub api_key: Option<String>,
    pub app_secret: Option<String>,
    pub seed: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct IdentityFile {
    appid: String,
    mch_id: String,
    seed: u64,
}

/// An identity that cannot be read, made or saved.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("failed to read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a valid merchant file: {source}")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("the state folder belongs to {field} {saved}, not {given}: use another --state folder for this merchant")]
    OtherMerchant {
        field: &'static str,
        saved: String,
        given: String,
    },
    #[error("{origin}: {source}")]
    InvalidKey {
        origin: String,
        #[source]
        source: wxpay::KeyError,
    },
}

/// Loads the identity saved in `dir`, or makes one of WeChat's shapes on first start,
/// applies the overrides and saves the result.
pub fn load_or_create(dir: &Path, overrides: Overrides) -> Result<Identity, IdentityError> {
    std::fs::create_dir_all(dir).map_err(|source| IdentityError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let identity = match load(dir)? {
        Some(saved) => apply_to_saved(saved, overrides)?,
        None => generate(overrides)?,
    };
    save(dir, &identity)?;
    Ok(identity)
}

fn apply_to_saved(saved: Identity, overrides: Overrides) -> Result<Identity, IdentityError> {
    // The ledger belongs to one merchant, so its public identifiers cannot change.
    for (field, saved_value, given) in [
        ("appid", &saved.appid, &overrides.appid),
        ("mch_id", &saved.mch_id, &overrides.mch_id),
    ] {
        if let Some(given) = given.as_ref().filter(|given| *given != saved_value) {
            return Err(IdentityError::OtherMerchant {
                field,
                saved: saved_value.clone(),
                given: given.clone(),
            });
        }
    }
    if overrides.seed.is_some_and(|seed| seed != saved.seed) {
        eprintln!(
            "warning: --seed is ignored, because the history in this state folder was already made with seed {}",
            saved.seed
        );
    }
    let api_key = match overrides.api_key {
        Some(text) => checked_key(text, "--key")?,
        None => saved.api_key,
    };
    Ok(Identity {
        api_key,
        app_secret: overrides.app_secret.unwrap_or(saved.app_secret),
        ..saved
    })
}

/// Fills the parts the flags leave out with a new identity of WeChat's shapes, the same one
/// the desktop app makes for its sandbox profile.
fn generate(overrides: Overrides) -> Result<Identity, IdentityError> {
    let fresh = console::identity::SandboxIdentity::generate();
    let api_key = match overrides.api_key {
        Some(text) => checked_key(text, "--key")?,
        None => checked_key(fresh.api_key, "generated key")?,
    };
    Ok(Identity {
        appid: overrides.appid.unwrap_or(fresh.appid),
        mch_id: overrides.mch_id.unwrap_or(fresh.mch_id),
        api_key,
        app_secret: overrides.app_secret.unwrap_or(fresh.app_secret),
        seed: overrides.seed.unwrap_or_else(|| rand::thread_rng().gen()),
    })
}

fn checked_key(text: String, origin: &str) -> Result<ApiKey, IdentityError> {
    ApiKey::new(text.trim().to_owned()).map_err(|source| IdentityError::InvalidKey {
        origin: origin.to_owned(),
        source,
    })
}

fn load(dir: &Path) -> Result<Option<Identity>, IdentityError> {
    let path = dir.join(IDENTITY_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(IdentityError::Io { path, source }),
    };
    let file: IdentityFile =
        serde_json::from_slice(&bytes).map_err(|source| IdentityError::Corrupt { path, source })?;
    let key_path = dir.join(API_KEY_FILE);
    let api_key = checked_key(read_first_line(&key_path)?, &key_path.display().to_string())?;
    Ok(Some(Identity {
        appid: file.appid,
        mch_id: file.mch_id,
        api_key,
        app_secret: read_first_line(&dir.join(APP_SECRET_FILE))?,
        seed: file.seed,
    }))
}

fn read_first_line(path: &Path) -> Result<String, IdentityError> {
    let text = std::fs::read_to_string(path).map_err(|source| IdentityError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(text.lines().next().unwrap_or_default().trim().to_owned())
}

fn save(dir: &Path, identity: &Identity) -> Result<(), IdentityError> {
    let file = IdentityFile {
        appid: identity.appid.clone(),
        mch_id: identity.mch_id.clone(),
        seed: identity.seed,
    };
    let path = dir.join(IDENTITY_FILE);
    let json = serde_json::to_string_pretty(&file).map_err(|source| IdentityError::Corrupt {
        path: path.clone(),
        source,
    })?;
    write_file(&path, &json, false)?;
    write_file(&dir.join(API_KEY_FILE), identity.api_key.expose(), true)?;
    write_file(&dir.join(APP_SECRET_FILE), &identity.app_secret, true)
}

fn write_file(path: &Path, text: &str, private: bool) -> Result<(), IdentityError> {
    use std::io::Write;

    let io_error = |source| IdentityError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(io_error)?;
    writeln!(file, "{text}").map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_identity_has_wechat_shapes() {
        let identity = generate(Overrides::default()).unwrap();
        assert_eq!(identity.appid.len(), 18);
        assert!(identity.appid.starts_with("wx"));
        assert!(identity.appid[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(identity.mch_id.len(), 10);
        assert!(identity.mch_id.starts_with('1'));
        assert!(identity.mch_id.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(identity.app_secret.len(), 32);
        assert!(identity.app_secret.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn saved_identity_is_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path(), Overrides::default()).unwrap();
        let second = load_or_create(dir.path(), Overrides::default()).unwrap();
        assert_eq!(first.appid, second.appid);
        assert_eq!(first.mch_id, second.mch_id);
        assert_eq!(first.api_key, second.api_key);
        assert_eq!(first.app_secret, second.app_secret);
        assert_eq!(first.seed, second.seed);
    }

    #[test]
    fn other_mch_id_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        load_or_create(dir.path(), Overrides::default()).unwrap();
        let other = Overrides {
            mch_id: Some("1999999999".into()),
            ..Overrides::default()
        };
        assert!(matches!(
            load_or_create(dir.path(), other),
            Err(IdentityError::OtherMerchant {
                field: "mch_id",
                ..
            })
        ));
    }
}
