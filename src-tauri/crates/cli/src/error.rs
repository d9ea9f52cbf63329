//! Every failure a command reports, and the exit status it maps to: 2 for unusable input
//! or options, 1 for a check that failed or an operation WeChat or the console refused.

use crate::bill::BillFileError;
use crate::data_dir::NoDataDir;
use crate::input::InputError;
use crate::keys::KeySourceError;
use crate::refund::RefundError;
use crate::sandbox::SandboxCommandError;
use crate::{notify, sign};

/// A command's failure, printed on standard error as `error: ...`.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Key(#[from] KeySourceError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}", sign::describe_rejection(.0))]
    Signature(wxpay::sign::SignError),
    #[error("{}", notify::describe_notify_error(.mch_id, .source))]
    Notify {
        mch_id: String,
        source: wxpay::PayError,
    },
    #[error(transparent)]
    Bill(#[from] BillFileError),
    #[error(transparent)]
    Sandbox(#[from] SandboxCommandError),
    #[error(transparent)]
    DataDir(#[from] NoDataDir),
    #[error("{}\n{} ({})", .0.message_zh, .0.message_en, .0.code)]
    Console(console::dto::AppError),
    #[error(transparent)]
    Refund(#[from] RefundError),
    #[error("failed to start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("failed to write to standard output: {0}")]
    Stdout(#[from] std::io::Error),
}

impl CliError {
    /// Returns the process exit status for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Key(_) | CliError::Input(_) | CliError::DataDir(_) => 2,
            CliError::Refund(error) => error.exit_code(),
            CliError::Signature(_)
            | CliError::Notify { .. }
            | CliError::Bill(_)
            | CliError::Sandbox(_)
            | CliError::Console(_)
            | CliError::Runtime(_)
            | CliError::Stdout(_) => 1,
        }
    }

    /// True when standard output was closed by its reader (`| head`), which is no error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Stdout(error) if error.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<console::dto::AppError> for CliError {
    fn from(error: console::dto::AppError) -> CliError {
        CliError::Console(error)
    }
}
