//! `wxmc`, the merchant console on the command line: signatures, notifies, bills, the
//! simulator, the local history and refunds, over the same crates as the desktop app.
//! Standard output carries data; messages and logs go to standard error.

mod bill;
mod error;
mod input;
mod keys;
mod notify;
mod sign;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Sign(args) => sign::run_sign(args),
        Command::Verify(args) => sign::run_verify(args),
        Command::Notify(args) => notify::run(args),
        Command::Bill(args) => bill::run(args),
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
