//! Benchmarks of the console's core crates, each beside its baseline in the same run:
//! `cargo run --release -p bench -- NAME`. Every run is bounded in count and time, serves
//! and reaches only loopback, and ends with one line of `key=value` figures.

mod bill_csv;
mod error;
mod history;
mod import;
mod orders;
mod report;
mod sandbox_load;
mod sign;
mod sqlite_cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use error::BenchError;

#[derive(Debug, Parser)]
#[command(about = "Benchmarks of the merchant console beside their baselines")]
struct Cli {
    #[command(subcommand)]
    benchmark: Benchmark,
}

#[derive(Debug, Subcommand)]
enum Benchmark {
    /// Sign, encode, decode and verify v2 bodies with wxpay and with wechatpy.
    Sign(sign::SignOptions),
    /// orderquery requests per second against the in-process simulator over HTTPS.
    Sandbox(sandbox_load::SandboxOptions),
    /// History list and totals through the store and through the sqlite3 CLI.
    History(history::HistoryOptions),
    /// Bill import through the console and through `sqlite3 .import`.
    Import(import::ImportOptions),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    report::print_load_average();
    let outcome = match cli.benchmark {
        Benchmark::Sign(options) => sign::run(&options),
        Benchmark::Sandbox(options) => {
            runtime().and_then(|rt| rt.block_on(sandbox_load::run(&options)))
        }
        Benchmark::History(options) => history::run(&options),
        Benchmark::Import(options) => runtime().and_then(|rt| rt.block_on(import::run(&options))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, BenchError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| BenchError::io("starting the async runtime", source))
}
