//! The desktop app's data folder, where `history` and `refund` open the console: the
//! `--data-dir` option, else WXMC_DATA_DIR, else the platform's app data folder.

use std::path::PathBuf;

use clap::Args;
use console::dto::AppError;
use console::{Console, OpenOptions};

/// The app's bundle identifier, which names its data folder (tauri.conf.json).
const APP_IDENTIFIER: &str = "com.merchant-console.desktop";

#[derive(Debug, Args)]
pub struct DataDirArgs {
    /// The console's data folder [default: the app's own, on Linux
    /// $XDG_DATA_HOME/com.merchant-console.desktop or ~/.local/share/com.merchant-console.desktop]
    #[arg(long, value_name = "DIR", env = "WXMC_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
}

/// A data folder that cannot be found.
#[derive(Debug, thiserror::Error)]
#[error(
    "no data folder: this system has no app data folder, so pass --data-dir or set WXMC_DATA_DIR"
)]
pub struct NoDataDir;

impl DataDirArgs {
    pub fn path(&self) -> Result<PathBuf, NoDataDir> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => dirs::data_dir()
                .map(|dir| dir.join(APP_IDENTIFIER))
                .ok_or(NoDataDir),
        }
    }
}

/// Opens the console on the data folder, with the OS keyring, as the desktop app does. In
/// sandbox mode this starts the profile's simulator on a free loopback port.
pub async fn open_console(dir: PathBuf) -> Result<Console, AppError> {
    Console::open(OpenOptions::new(dir)).await
}

/// Builds the Tokio runtime the console runs on.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}
