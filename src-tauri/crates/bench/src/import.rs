//! The import benchmark: a generated ALL bill goes through the console's bill file path,
//! which reads it, parses it with its summary check and writes it to the store in one
//! transaction. The baseline is `sqlite3 .import` of the same rows as plain CSV.

use std::time::Instant;

use console::{Console, OpenOptions};
use vault::{MemoryStore, Vault};

use crate::bill_csv::{self, COLUMNS};
use crate::error::BenchError;
use crate::report::{number, print_figures, Table};
use crate::sqlite_cli;

#[derive(Debug, clap::Args)]
pub struct ImportOptions {
    /// Bill rows generated (payments, and one refund row in ten).
    #[arg(long, default_value_t = 200_000)]
    rows: usize,
}

pub async fn run(options: &ImportOptions) -> Result<(), BenchError> {
    let sqlite_version = sqlite_cli::version()?;
    let dir = tempfile::tempdir().map_err(|e| BenchError::io("creating a temp folder", e))?;
    let bill = bill_csv::generate(options.rows.max(1));
    let bill_path = dir.path().join("bill-all-202611.csv");
    let csv_path = dir.path().join("bill-plain.csv");
    std::fs::write(&bill_path, &bill.wechat_text)
        .map_err(|e| BenchError::io("writing the bill file", e))?;
    std::fs::write(&csv_path, &bill.plain_csv)
        .map_err(|e| BenchError::io("writing the plain CSV file", e))?;

    // A memory vault keeps the benchmark away from the OS keyring. The console then opens a
    // sandbox profile with its simulator on loopback, as on first launch.
    let console = Console::open(OpenOptions {
        data_dir: dir.path().join("console"),
        vault: Some(Vault::new(MemoryStore::new())),
    })
    .await?;
    let start = Instant::now();
    let report = console.import_bill_file(&bill_path).await?;
    let console_seconds = start.elapsed().as_secs_f64();
    if report.rows_read != bill.rows as i64 {
        return Err(BenchError::Check(format!(
            "the console read {} rows of {}",
            report.rows_read, bill.rows
        )));
    }

    let db = dir.path().join("plain.sqlite");
    let script = format!(
        "CREATE TABLE bill ({});\n.import --csv {} bill\n",
        COLUMNS.map(|name| format!("\"{name}\" TEXT")).join(", "),
        csv_path.display()
    );
    let sqlite_seconds = sqlite_cli::timed_script(&db, &script)?.as_secs_f64();
    let imported = sqlite_cli::query(&db, "SELECT COUNT(*) FROM bill")?;
    if imported != bill.rows.to_string() {
        return Err(BenchError::Check(format!(
            "sqlite3 imported {imported} rows of {}",
            bill.rows
        )));
    }

    let console_rate = bill.rows as f64 / console_seconds;
    let sqlite_rate = bill.rows as f64 / sqlite_seconds;
    let ratio = console_rate / sqlite_rate;
    println!(
        "ALL bill of {} rows ({} MiB): console import (read, parse, summary check, orders and \
         refunds upserted with indexes) beside sqlite3 {sqlite_version} .import of plain CSV \
         into one table without indexes (process start included)",
        bill.rows,
        number(bill.wechat_text.len() as f64 / (1024.0 * 1024.0))
    );
    let mut table = Table::new(&["path", "rows", "seconds", "rows/s"]);
    table.row(vec![
        "Console::import_bill_file".to_owned(),
        bill.rows.to_string(),
        format!("{console_seconds:.2}"),
        number(console_rate),
    ]);
    table.row(vec![
        "sqlite3 .import --csv".to_owned(),
        bill.rows.to_string(),
        format!("{sqlite_seconds:.2}"),
        number(sqlite_rate),
    ]);
    table.print();
    println!(
        "ratio console / sqlite3: {}; the console wrote {} orders and {} refunds",
        number(ratio),
        report.orders_upserted,
        report.refunds_upserted
    );
    print_figures(
        "import",
        &[
            ("rows", bill.rows.to_string()),
            ("rows_per_s", number(console_rate)),
            ("sqlite_rows_per_s", number(sqlite_rate)),
            ("ratio", number(ratio)),
        ],
    );
    Ok(())
}
