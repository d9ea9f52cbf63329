//! The console's operations, shared by the desktop window and `wxmc`: open a merchant
//! profile (a sandbox one on first launch), sync bills into the local history, browse it,
//! query and refund orders, and report ad conversions. Knows nothing of Tauri.

mod ads;
mod bill_import;
mod collect;
pub mod dto;
pub mod errors;
pub mod export;
pub mod identity;
mod message_check;
mod notify_receiver;
mod orders;
mod profile;
mod refunds;
mod sandbox_panel;
mod sync;
mod timeline;
mod tools;
mod translate;
mod zone;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dto::{AppError, AppStatus, ProfileView};
use store::Store;
use vault::Vault;

pub use zone::{MERCHANT_ZONE, MERCHANT_ZONE_NAME};

/// Options of `Console::open`: the data folder and the vault that keeps the secrets.
pub struct OpenOptions {
    pub data_dir: PathBuf,
    pub vault: Option<Vault>,
}

impl OpenOptions {
    /// Uses `data_dir` for the history and the simulator's state, and the OS keyring.
    pub fn new(data_dir: PathBuf) -> OpenOptions {
        OpenOptions {
            data_dir,
            vault: None,
        }
    }
}

/// The running console for one merchant profile. Cheap to clone.
#[derive(Clone)]
pub struct Console {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<Store>,
    profile: ProfileView,
    clients: profile::Clients,
    sync_running: AtomicBool,
    sync_cancelled: AtomicBool,
    /// The account's WEB data source for ad actions, looked up on first use.
    user_action_set_id: tokio::sync::OnceCell<u64>,
}

impl Console {
    /// Opens the history in `options.data_dir` and the active profile, creating a sandbox
    /// profile and starting its simulator on first launch.
    pub async fn open(options: OpenOptions) -> Result<Console, AppError> {
        std::fs::create_dir_all(&options.data_dir)
            .map_err(|error| errors::internal("创建数据目录 / creating the data folder", error))?;
        let store = Store::open(&options.data_dir.join("console.sqlite"))
            .map_err(translate::store_error)?;
        let store = Arc::new(store);
        let vault = options.vault.unwrap_or_else(Vault::keyring);

        let (profile, clients) = profile::open_active(&store, vault, &options.data_dir).await?;
        tracing::info!(profile = %profile.id, mode = ?profile.mode, "console opened");
        Ok(Console {
            inner: Arc::new(Inner {
                store,
                profile,
                clients,
                sync_running: AtomicBool::new(false),
                sync_cancelled: AtomicBool::new(false),
                user_action_set_id: tokio::sync::OnceCell::new(),
            }),
        })
    }

    pub async fn status(&self) -> Result<AppStatus, AppError> {
        let profile_id = self.inner.profile.id.clone();
        let (synced_days, order_count) = self
            .with_store(move |store| {
                let last = zone::today();
                let first = last - chrono::Days::new(366);
                let days = store.list_synced_days(&profile_id, first, last)?.len() as u32;
                let totals = store.order_totals(&store::OrderFilter {
                    profile_id,
                    ..store::OrderFilter::default()
                })?;
                Ok((days, totals.count as i64))
            })
            .await?;
        Ok(AppStatus {
            profile: self.inner.profile.clone(),
            sandbox_base_url: self.inner.clients.sandbox_base_url(),
            synced_days,
            order_count,
            time_zone: MERCHANT_ZONE_NAME.to_owned(),
        })
    }

    /// Asks a running sync to stop after the day it is pulling.
    pub fn cancel_sync(&self) {
        self.inner.sync_cancelled.store(true, Ordering::SeqCst);
    }

    /// Runs a store operation on a blocking thread, because SQLite calls block.
    async fn with_store<T, F>(&self, operation: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, store::StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.inner.store);
        tokio::task::spawn_blocking(move || operation(&store))
            .await
            .map_err(|error| errors::internal("访问本地记录 / reading the local history", error))?
            .map_err(translate::store_error)
    }

    /// Returns the in-process simulator in sandbox mode, for tests and the sandbox panel.
    pub fn sandbox(&self) -> Option<&sandbox::SandboxHandle> {
        self.inner.clients.sandbox()
    }

    fn profile_id(&self) -> &str {
        &self.inner.profile.id
    }
}
