//! `wxmc bill parse`: a downloadbill or merchant-platform bill file, plain or GZIP, as
//! JSON lines, one a row, then the summary once it has been checked against the rows.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use flate2::bufread::GzDecoder;
use serde_json::{json, Value};
use wxpay::bill::{BillError, BillReader};

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct BillArgs {
    #[command(subcommand)]
    action: BillAction,
}

#[derive(Debug, Subcommand)]
enum BillAction {
    /// Print each row of a bill file as one JSON line, then {"summary": ...}. Amounts are
    /// integer fen and times RFC 3339 UTC. The service fee "fee" is yuan text, because
    /// bills give it to five decimals
    Parse(ParseArgs),
}

#[derive(Debug, Args)]
struct ParseArgs {
    /// Bill file (CSV text, or GZIP as downloadbill sends it; recognised by its content)
    file: PathBuf,
}

/// A bill file that cannot be read through.
#[derive(Debug, thiserror::Error)]
pub enum BillFileError {
    #[error("failed to open {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Bill {
        path: PathBuf,
        #[source]
        source: BillError,
    },
}

/// The first two bytes of every GZIP stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

pub fn run(args: &BillArgs) -> Result<(), CliError> {
    match &args.action {
        BillAction::Parse(parse) => run_parse(&parse.file),
    }
}

fn run_parse(path: &Path) -> Result<(), CliError> {
    let open_error = |source| BillFileError::Open {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(open_error)?;
    let mut reader = BufReader::new(file);
    let gzip = reader
        .fill_buf()
        .map_err(open_error)?
        .starts_with(&GZIP_MAGIC);
    let result = if gzip {
        print_bill(BufReader::new(GzDecoder::new(reader)))
    } else {
        print_bill(reader)
    };
    result.map_err(|error| match error {
        PrintError::Bill(source) => BillFileError::Bill {
            path: path.to_owned(),
            source,
        }
        .into(),
        PrintError::Stdout(error) => CliError::Stdout(error),
    })
}

enum PrintError {
    Bill(BillError),
    Stdout(std::io::Error),
}

fn print_bill(input: impl BufRead) -> Result<(), PrintError> {
    let mut reader = BillReader::new(input).map_err(PrintError::Bill)?;
    let mut out = std::io::stdout().lock();
    for row in reader.by_ref() {
        let row = row.map_err(PrintError::Bill)?;
        let line = with_yuan_fee(json!(row), row.fee);
        writeln!(out, "{line}").map_err(PrintError::Stdout)?;
    }

    let summary = reader
        .summary()
        .ok_or(PrintError::Bill(BillError::MissingSummary))?;
    let summary_json = with_yuan_fee(json!(summary), summary.fee);
    let line = json!({ "layout": reader.layout(), "summary": summary_json });
    writeln!(out, "{line}").map_err(PrintError::Stdout)?;
    Ok(())
}

/// Replaces the fee's count of 1/100000 yuan by exact yuan text such as "0.18000", so
/// that no number in the output is in a unit other than fen.
fn with_yuan_fee(mut value: Value, fee: wxpay::Fee) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.insert("fee".to_owned(), fee.to_yuan_string().into());
    }
    value
}
