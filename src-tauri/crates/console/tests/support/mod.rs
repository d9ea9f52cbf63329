//! Opening a console the way the app does: a fresh data folder with a real SQLite file, the
//! in-process simulator over HTTPS, and the real keyring when the test command provides one.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use console::dto::{OrderFilter, OrderRow};
use console::{Console, OpenOptions};
use tempfile::TempDir;
use vault::{MemoryStore, Vault};

pub struct Opened {
    pub console: Console,
    /// Kept so the folder lives as long as the console.
    pub data_dir: TempDir,
}

/// Uses the OS keyring when `WXMC_REAL_KEYRING=1` (the test command runs the suite in a
/// private D-Bus session with an unlocked gnome-keyring), and an in-memory store otherwise.
pub fn test_vault() -> Vault {
    if std::env::var("WXMC_REAL_KEYRING").as_deref() == Ok("1") {
        Vault::keyring()
    } else {
        eprintln!("note: WXMC_REAL_KEYRING is not 1, so this test keeps secrets in memory");
        Vault::new(MemoryStore::new())
    }
}

pub async fn open_console() -> Opened {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let console = open_in(&data_dir).await;
    Opened { console, data_dir }
}

pub async fn open_in(data_dir: &TempDir) -> Console {
    let mut options = OpenOptions::new(data_dir.path().to_path_buf());
    options.vault = Some(test_vault());
    match Console::open(options).await {
        Ok(console) => console,
        Err(error) => panic!(
            "console did not open: {} / {}",
            error.code, error.message_en
        ),
    }
}

/// Opens a console and pulls its sandbox history, as the first launch does.
pub async fn synced_console() -> Opened {
    let opened = open_console().await;
    let report = opened
        .console
        .sync_history(30, |_| {})
        .await
        .unwrap_or_else(|error| panic!("sync failed: {}", error.message_en));
    assert!(report.rows_imported > 0, "the first sync imported no rows");
    opened
}

/// Returns the newest paid order that has no refund yet.
pub async fn paid_order(console: &Console) -> OrderRow {
    let filter = OrderFilter {
        states: vec!["SUCCESS".to_owned()],
        ..OrderFilter::default()
    };
    let page = console
        .list_orders(filter, None, 200)
        .await
        .expect("list paid orders");
    page.rows
        .into_iter()
        .find(|row| row.refunded_fee == 0 && row.total_fee >= 200)
        .expect("a paid order of at least ¥2.00 without refunds")
}
