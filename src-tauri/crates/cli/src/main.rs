//! `wxmc`, the merchant console on the command line: signatures, notifies, bills, the
//! simulator, the local history and refunds, over the same crates as the desktop app.
//! Standard output carries data; messages and logs go to standard error.

mod bill;
mod data_dir;
mod error;
mod history;
mod input;
mod keys;
mod notify;
mod refund;
mod sandbox;
mod sign;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "wxmc",
    version,
    about = "WeChat Pay v2 merchant console on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign a v2 message (<xml> body or name=value lines) read from standard input
    Sign(sign::SignArgs),
    /// Verify a signed v2 message read from standard input (exit 1: rejected, 2: unusable)
    Verify(sign::VerifyArgs),
    /// Decode payment and refund notifies
    Notify(notify::NotifyArgs),
    /// Read bill files
    Bill(bill::BillArgs),
    /// Serve the WeChat simulator on 127.0.0.1, or drive a running one
    Sandbox(sandbox::SandboxArgs),
    /// Browse, total, sync and import the console's local order history
    History(history::HistoryArgs),
    /// Refund an order of the local history, then follow it to its final state
    /// (exit 3: still processing)
    Refund(refund::RefundArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.command);
    let result = match &cli.command {
        Command::Sign(args) => sign::run_sign(args),
        Command::Verify(args) => sign::run_verify(args),
        Command::Notify(args) => notify::run(args),
        Command::Bill(args) => bill::run(args),
        Command::Sandbox(args) => sandbox::run(args),
        Command::History(args) => history::run(args),
        Command::Refund(args) => refund::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Logs to standard error at the level in WXMC_LOG (an env-filter directive such as
/// `debug` or `sandbox=info`). The simulator logs each exchange at info; the other
/// commands default to warnings only, so that their output stays readable.
fn init_logging(command: &Command) {
    let default = match command {
        Command::Sandbox(_) => "info",
        _ => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WXMC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(filter)
        .init();
}
