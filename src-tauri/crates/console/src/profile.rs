//! Opening the active merchant profile: its public identifiers from the store, its secrets
//! from the vault, and the pay and Official Account clients built from them. On first launch
//! a sandbox profile is created and its simulator started on loopback.

use std::path::Path;
use std::sync::Arc;

use store::Store;
use vault::{Secret, SecretKind, Vault};

use crate::dto::{AppError, Mode, ProfileView};
use crate::identity::SandboxIdentity;
use crate::notify_receiver::{self, NotifyReceiver};
use crate::{errors, translate};

/// Days of trade the simulator holds when a sandbox profile is created.
const SANDBOX_HISTORY_DAYS: u32 = 30;

/// The clients of one profile, and the simulator behind them in sandbox mode.
pub struct Clients {
    pub pay: wxpay::PayClient,
    pub mp: wxmp::MpClient,
    sandbox: Option<sandbox::SandboxHandle>,
    /// The local notify receiver, in sandbox mode: WeChat cannot reach a laptop in live mode.
    notify: Option<NotifyReceiver>,
}

impl Clients {
    pub fn sandbox(&self) -> Option<&sandbox::SandboxHandle> {
        self.sandbox.as_ref()
    }

    pub fn pay_notify_url(&self) -> Option<String> {
        self.notify.as_ref().map(NotifyReceiver::pay_notify_url)
    }

    pub fn refund_notify_url(&self) -> Option<String> {
        self.notify.as_ref().map(NotifyReceiver::refund_notify_url)
    }

    pub fn sandbox_base_url(&self) -> Option<String> {
        self.sandbox.as_ref().map(|handle| handle.base_url.clone())
    }
}

struct ProfileSecrets {
    api_key: Secret,
    app_secret: Secret,
}

/// Opens the active profile, creating the sandbox profile when there is none yet.
pub async fn open_active(
    store: &Arc<Store>,
    vault: Vault,
    data_dir: &Path,
) -> Result<(ProfileView, Clients), AppError> {
    let vault = Arc::new(vault);
    let profile = match store.active_profile().map_err(translate::store_error)? {
        Some(profile) => profile,
        None => create_sandbox_profile(store, &vault).await?,
    };
    let view = view_of(&profile);
    let secrets = load_secrets(&vault, &profile.id).await?;

    let clients = match view.mode {
        Mode::Sandbox => open_sandbox(store, &view, &secrets, &vault, data_dir).await?,
        Mode::Live => open_live(&view, &secrets, &vault).await?,
    };
    Ok((view, clients))
}

fn view_of(profile: &store::Profile) -> ProfileView {
    ProfileView {
        id: profile.id.clone(),
        name: profile.name.clone(),
        mode: if profile.mode == store::ProfileMode::Live {
            Mode::Live
        } else {
            Mode::Sandbox
        },
        appid: profile.appid.clone(),
        mch_id: profile.mch_id.clone(),
    }
}

async fn create_sandbox_profile(
    store: &Arc<Store>,
    vault: &Arc<Vault>,
) -> Result<store::Profile, AppError> {
    let identity = SandboxIdentity::generate();
    let profile = store::Profile {
        id: format!("sandbox-{}", identity.mch_id),
        name: "沙箱商户 Sandbox shop".to_owned(),
        mode: store::ProfileMode::Sandbox,
        appid: identity.appid.clone(),
        mch_id: identity.mch_id.clone(),
        created_at: chrono::Utc::now(),
        active: true,
    };

    // Secrets go to the keyring before the profile row exists, so a keyring failure leaves
    // no profile whose secrets are missing.
    let secrets = [
        (SecretKind::ApiKey, identity.api_key),
        (SecretKind::AppSecret, identity.app_secret),
    ];
    for (kind, value) in secrets {
        store_secret(vault, &profile.id, kind, value).await?;
    }
    store
        .save_profile(&profile)
        .map_err(translate::store_error)?;
    store
        .set_active_profile(&profile.id)
        .map_err(translate::store_error)?;
    tracing::info!(profile = %profile.id, "created the sandbox profile");
    Ok(profile)
}

async fn store_secret(
    vault: &Arc<Vault>,
    profile_id: &str,
    kind: SecretKind,
    value: String,
) -> Result<(), AppError> {
    let vault = Arc::clone(vault);
    let profile_id = profile_id.to_owned();
    tokio::task::spawn_blocking(move || vault.set(&profile_id, kind, &Secret::new(value)))
        .await
        .map_err(|error| errors::internal("写入钥匙串 / writing the keyring", error))?
        .map_err(translate::vault_error)
}

async fn read_secret(
    vault: &Arc<Vault>,
    profile_id: &str,
    kind: SecretKind,
) -> Result<Option<Secret>, AppError> {
    let vault = Arc::clone(vault);
    let profile_id = profile_id.to_owned();
    tokio::task::spawn_blocking(move || vault.get(&profile_id, kind))
        .await
        .map_err(|error| errors::internal("读取钥匙串 / reading the keyring", error))?
        .map_err(translate::vault_error)
}

async fn load_secrets(vault: &Arc<Vault>, profile_id: &str) -> Result<ProfileSecrets, AppError> {
    let api_key = read_secret(vault, profile_id, SecretKind::ApiKey)
        .await?
        .ok_or_else(|| translate::secret_missing(profile_id, SecretKind::ApiKey))?;
    let app_secret = read_secret(vault, profile_id, SecretKind::AppSecret)
        .await?
        .ok_or_else(|| translate::secret_missing(profile_id, SecretKind::AppSecret))?;
    Ok(ProfileSecrets {
        api_key,
        app_secret,
    })
}

async fn open_sandbox(
    store: &Arc<Store>,
    profile: &ProfileView,
    secrets: &ProfileSecrets,
    vault: &Arc<Vault>,
    data_dir: &Path,
) -> Result<Clients, AppError> {
    let api_key = api_key_of(secrets)?;
    let config = sandbox::SandboxConfig {
        appid: profile.appid.clone(),
        mch_id: profile.mch_id.clone(),
        api_key: api_key.clone(),
        app_secret: secrets.app_secret.expose().to_owned(),
        state_dir: data_dir.join("sandbox").join(&profile.id),
        seed: seed_of(&profile.mch_id),
        history_days: SANDBOX_HISTORY_DAYS,
        port: 0,
    };
    let handle = sandbox::start(config)
        .await
        .map_err(translate::sandbox_error)?;

    // The simulator issues the merchant's client certificate, as the merchant platform does;
    // the console keeps its copy in the keyring like a live profile's certificate.
    store_secret(
        vault,
        &profile.id,
        SecretKind::ClientCertPem,
        handle.client_cert_pem.clone(),
    )
    .await?;
    store_secret(
        vault,
        &profile.id,
        SecretKind::ClientKeyPem,
        handle.client_key_pem.clone(),
    )
    .await?;

    let pay = wxpay::PayClient::new(wxpay::PayConfig {
        appid: profile.appid.clone(),
        mch_id: profile.mch_id.clone(),
        key: api_key,
        hosts: wxpay::Hosts {
            primary: handle.base_url.clone(),
            backup: None,
        },
        extra_root_ca_pem: Some(handle.ca_cert_pem.clone()),
        client_identity: Some(wxpay::ClientIdentity {
            cert_pem: handle.client_cert_pem.clone(),
            key_pem: handle.client_key_pem.clone(),
        }),
    })
    .map_err(translate::pay_error)?;
    let mp = wxmp::MpClient::new(wxmp::MpConfig::sandbox(
        profile.appid.clone(),
        wxmp::AppSecret::new(secrets.app_secret.expose()),
        handle.base_url.clone(),
        Some(handle.ca_cert_pem.clone()),
    ))
    .map_err(translate::mp_error)?;
    tracing::info!(base_url = %handle.base_url, "sandbox simulator started");
    let notify =
        notify_receiver::start(Arc::clone(store), profile.id.clone(), api_key_of(secrets)?).await?;

    Ok(Clients {
        pay,
        mp,
        sandbox: Some(handle),
        notify: Some(notify),
    })
}

async fn open_live(
    profile: &ProfileView,
    secrets: &ProfileSecrets,
    vault: &Arc<Vault>,
) -> Result<Clients, AppError> {
    let cert = read_secret(vault, &profile.id, SecretKind::ClientCertPem).await?;
    let key = read_secret(vault, &profile.id, SecretKind::ClientKeyPem).await?;
    let client_identity = match (cert, key) {
        (Some(cert), Some(key)) => Some(wxpay::ClientIdentity {
            cert_pem: cert.expose().to_owned(),
            key_pem: key.expose().to_owned(),
        }),
        _ => None,
    };
    let pay = wxpay::PayClient::new(wxpay::PayConfig {
        appid: profile.appid.clone(),
        mch_id: profile.mch_id.clone(),
        key: api_key_of(secrets)?,
        hosts: wxpay::Hosts::live(),
        extra_root_ca_pem: None,
        client_identity,
    })
    .map_err(translate::pay_error)?;
    let mp = wxmp::MpClient::new(wxmp::MpConfig::live(
        profile.appid.clone(),
        wxmp::AppSecret::new(secrets.app_secret.expose()),
    ))
    .map_err(translate::mp_error)?;
    Ok(Clients {
        pay,
        mp,
        sandbox: None,
        notify: None,
    })
}

fn api_key_of(secrets: &ProfileSecrets) -> Result<wxpay::ApiKey, AppError> {
    wxpay::ApiKey::new(secrets.api_key.expose().to_owned()).map_err(translate::key_error)
}

/// Derives the simulator's seed from the mch_id, so one profile always replays the same
/// generated history if its state folder is lost.
fn seed_of(mch_id: &str) -> u64 {
    mch_id.parse().unwrap_or(1)
}
