//! Opening a console whose API key the test can read back from the same vault, so that it
//! can sign messages and place orders in the simulator the way a shop's own server would.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::sync::Arc;

use console::dto::AppStatus;
use console::{Console, OpenOptions};
use vault::{MemoryStore, Secret, SecretKind, SecretStore, Vault, VaultError};
use wxpay::model::{UnifiedOrderRequest, UnifiedTradeType};
use wxpay::{ApiKey, Fen, Hosts, PayClient, PayConfig};

use crate::support::Opened;

/// One in-memory store behind two vaults: the console's and the test's.
struct SharedMemory(Arc<MemoryStore>);

impl SecretStore for SharedMemory {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        self.0.get(profile_id, kind)
    }

    fn set(&self, profile_id: &str, kind: SecretKind, secret: &Secret) -> Result<(), VaultError> {
        self.0.set(profile_id, kind, secret)
    }

    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), VaultError> {
        self.0.delete(profile_id, kind)
    }
}

pub struct Keyed {
    pub opened: Opened,
    pub status: AppStatus,
    pub key: ApiKey,
}

impl Keyed {
    pub fn console(&self) -> &Console {
        &self.opened.console
    }

    /// Builds a pay client of the same merchant, aimed at the console's simulator.
    pub fn pay_client(&self) -> PayClient {
        let handle = self.console().sandbox().expect("a sandbox console");
        let mut config = PayConfig::new(
            self.status.profile.appid.clone(),
            self.status.profile.mch_id.clone(),
            self.key.clone(),
            Hosts::single(handle.base_url.clone()),
        );
        config.extra_root_ca_pem = Some(handle.ca_cert_pem.clone());
        PayClient::new(config).expect("pay client")
    }

    /// Places an unpaid Native order in the simulator; the local history does not know it.
    pub async fn place_unpaid_order(&self, out_trade_no: &str, total_fee: i64) {
        let request = UnifiedOrderRequest {
            body: "沙箱测试-拿铁".into(),
            out_trade_no: out_trade_no.into(),
            total_fee: Fen(total_fee),
            spbill_create_ip: "127.0.0.1".into(),
            // Not on loopback, so the simulator skips the payment notify.
            notify_url: "https://shop.example/wxpay/notify".into(),
            trade_type: UnifiedTradeType::Native {
                product_id: "latte".into(),
            },
            attach: None,
            time_start: None,
            time_expire: None,
            goods_tag: None,
        };
        self.pay_client()
            .unified_order(&request)
            .await
            .unwrap_or_else(|error| panic!("unifiedorder failed: {error}"));
    }
}

/// Opens a sandbox console and reads its API key back from the vault it wrote to: the OS
/// keyring when `WXMC_REAL_KEYRING=1`, a shared in-memory store otherwise.
pub async fn open_keyed() -> Keyed {
    let real = std::env::var("WXMC_REAL_KEYRING").as_deref() == Ok("1");
    let (console_vault, test_vault) = if real {
        (Vault::keyring(), Vault::keyring())
    } else {
        eprintln!("note: WXMC_REAL_KEYRING is not 1, so this test keeps secrets in memory");
        let memory = Arc::new(MemoryStore::new());
        (
            Vault::new(SharedMemory(Arc::clone(&memory))),
            Vault::new(SharedMemory(memory)),
        )
    };

    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut options = OpenOptions::new(data_dir.path().to_path_buf());
    options.vault = Some(console_vault);
    let console = Console::open(options)
        .await
        .unwrap_or_else(|error| panic!("console did not open: {}", error.message_en));
    let status = console.status().await.expect("status");

    let secret = test_vault
        .get(&status.profile.id, SecretKind::ApiKey)
        .expect("read the API key")
        .expect("the API key is stored");
    let key = ApiKey::new(secret.expose().to_owned()).expect("a valid API key");
    Keyed {
        opened: Opened { console, data_dir },
        status,
        key,
    }
}
