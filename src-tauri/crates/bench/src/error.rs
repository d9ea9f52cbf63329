//! Why a benchmark could not run or finish: a missing baseline tool, a failed product call,
//! or a result that did not check out.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{context} failed: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the wechatpy virtualenv is missing at {0}: run .ci/python-env first, or set \
         WXMC_BENCH_PYTHON to a python that has wechatpy 1.8"
    )]
    PythonMissing(PathBuf),
    #[error("sqlite3 is missing: install it (apt-get install -y sqlite3) and run again")]
    SqliteMissing,
    #[error("{tool} exited with {status}: {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: std::process::ExitStatus,
        stderr: String,
    },
    #[error("unexpected output from {tool}: {detail}")]
    ToolOutput { tool: &'static str, detail: String },
    #[error("wxpay rejected a benchmark body: {0}")]
    Sign(#[from] wxpay::sign::SignError),
    #[error("wxpay could not decode a benchmark body: {0}")]
    Xml(#[from] wxpay::xml::XmlError),
    #[error("invalid benchmark API key: {0}")]
    Key(#[from] wxpay::KeyError),
    #[error("pay call failed: {0}")]
    Pay(#[from] wxpay::PayError),
    #[error("the simulator failed to start: {0}")]
    Sandbox(#[from] sandbox::SandboxError),
    #[error("simulator admin call failed: {0}")]
    Admin(#[from] sandbox::AdminError),
    #[error("store call failed: {0}")]
    Store(#[from] store::StoreError),
    #[error("console call failed ({code}): {message}")]
    Console { code: String, message: String },
    #[error("check failed: {0}")]
    Check(String),
}

impl From<console::dto::AppError> for BenchError {
    fn from(error: console::dto::AppError) -> Self {
        BenchError::Console {
            code: error.code,
            message: error.message_en,
        }
    }
}

impl BenchError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        BenchError::Io {
            context: context.into(),
            source,
        }
    }
}
