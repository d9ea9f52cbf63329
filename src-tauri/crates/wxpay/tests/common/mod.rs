//! Helpers shared by the integration tests: the sample WeChat files kept beside the
//! repository, read when present and skipped with a note when not.
#![allow(dead_code)]

pub mod server;
pub mod tls;

use std::path::PathBuf;

use wxpay::ApiKey;

/// The key of WeChat's signing example; every signed sample file uses it.
pub const DEMO_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

/// The demo merchant of WeChat's docs, as the signed sample files name it.
pub const APPID: &str = "wx2421b1c4370ec43b";
pub const MCH_ID: &str = "10000100";

pub fn demo_key() -> ApiKey {
    ApiKey::new(DEMO_KEY.to_owned()).expect("demo key has the API key format")
}

/// Returns the samples folder: `../shared/fixtures` next to the repository root.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures")
}

/// Reads a sample file, or prints why the case is skipped and returns None.
pub fn fixture(name: &str) -> Option<Vec<u8>> {
    let path = fixtures_dir().join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("skipped: sample {} not readable ({error})", path.display());
            None
        }
    }
}
