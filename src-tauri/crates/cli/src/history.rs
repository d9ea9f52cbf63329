//! `wxmc history`: the console's local order history, as the orders screen shows it:
//! list and totals for a filter, sync of the daily bills, and import of a bill file.
//! Tables show amounts in ¥ and times in the merchant's zone; `--json` prints JSON lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use console::dto::{OrderCursor, OrderFilter, OrderRow};
use console::{Console, MERCHANT_ZONE, MERCHANT_ZONE_NAME};
use serde_json::json;
use wxpay::Fen;

use crate::data_dir::{self, DataDirArgs};
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    data_dir: DataDirArgs,

    /// Print JSON lines (amounts in fen, times RFC 3339 UTC) instead of a table
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    action: HistoryAction,
}

#[derive(Debug, Subcommand)]
enum HistoryAction {
    /// List orders, newest first
    List(ListArgs),
    /// Count and add up the orders that match a filter
    Totals(FilterArgs),
    /// Pull the daily bills (downloadbill) of recent days into the history
    Sync(SyncArgs),
    /// Import a bill file (CSV, or GZIP) exported from the merchant platform
    Import(ImportArgs),
}

#[derive(Debug, Args)]
struct FilterArgs {
    /// First day to include, YYYY-MM-DD in Beijing time (Asia/Shanghai)
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<NaiveDate>,
    /// Last day to include, YYYY-MM-DD in Beijing time (Asia/Shanghai)
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<NaiveDate>,
    /// Only orders in this trade_state; repeat for several
    #[arg(long = "state", value_name = "STATE", value_parser = TRADE_STATES)]
    states: Vec<String>,
    /// Only orders paid this way (trade_type); repeat for several
    #[arg(long = "type", value_name = "TYPE", value_parser = TRADE_TYPES)]
    trade_types: Vec<String>,
    /// Smallest order amount (total_fee) included, in fen (100 = ¥1.00)
    #[arg(long, value_name = "FEN")]
    min_fen: Option<i64>,
    /// Largest order amount (total_fee) included, in fen (100 = ¥1.00)
    #[arg(long, value_name = "FEN")]
    max_fen: Option<i64>,
    /// Exact or leading part of out_trade_no, transaction_id or openid
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// Number of orders to print at most
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,
}

#[derive(Debug, Args)]
struct SyncArgs {
    /// Days to pull, counting back from yesterday (WeChat keeps bills for 92 days)
    #[arg(long, value_name = "N", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=92))]
    days: u32,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Bill file to import
    file: PathBuf,
}

/// WeChat's trade_state values (orderquery, 9_2).
const TRADE_STATES: [&str; 7] = [
    "SUCCESS",
    "REFUND",
    "NOTPAY",
    "CLOSED",
    "REVOKED",
    "USERPAYING",
    "PAYERROR",
];

/// WeChat's trade_type values (unifiedorder, 9_1; micropay).
const TRADE_TYPES: [&str; 5] = ["JSAPI", "NATIVE", "MICROPAY", "APP", "MWEB"];

/// The largest page the console returns at once.
const PAGE_ROWS: u32 = 500;

pub fn run(args: &HistoryArgs) -> Result<(), CliError> {
    let dir = args.data_dir.path()?;
    let runtime = data_dir::runtime().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let console = data_dir::open_console(dir).await?;
        match &args.action {
            HistoryAction::List(list) => print_list(&console, list, args.json).await,
            HistoryAction::Totals(filter) => print_totals(&console, filter, args.json).await,
            HistoryAction::Sync(sync) => sync_bills(&console, sync.days, args.json).await,
            HistoryAction::Import(import) => import_file(&console, &import.file, args.json).await,
        }
    })
}

fn console_filter(args: &FilterArgs) -> OrderFilter {
    let day = |date: Option<NaiveDate>| date.map(|d| d.format("%Y-%m-%d").to_string());
    OrderFilter {
        from_date: day(args.from),
        to_date: day(args.to),
        states: args.states.clone(),
        search: args.search.clone(),
        trade_types: args.trade_types.clone(),
        min_fee: args.min_fen,
        max_fee: args.max_fen,
    }
}

async fn print_list(console: &Console, args: &ListArgs, json: bool) -> Result<(), CliError> {
    let filter = console_filter(&args.filter);
    let mut out = std::io::stdout().lock();
    if !json {
        writeln!(out, "{}", table_header())?;
    }

    let mut printed = 0u32;
    let mut cursor: Option<OrderCursor> = None;
    let more = loop {
        let want = (args.limit - printed).min(PAGE_ROWS);
        let page = console.list_orders(filter.clone(), cursor, want).await?;
        for row in &page.rows {
            let line = if json {
                row_json(row).to_string()
            } else {
                table_row(row)
            };
            writeln!(out, "{line}")?;
        }
        printed += page.rows.len() as u32;
        cursor = page.next;
        if cursor.is_none() || printed >= args.limit {
            break cursor.is_some();
        }
    };

    if more {
        eprintln!(
            "orders shown: {printed}, the --limit; more may match, so raise --limit to see them"
        );
    } else {
        eprintln!("orders shown: {printed}");
    }
    Ok(())
}

fn table_header() -> String {
    format!(
        "{:<23}  {:<32}  {:<10}  {:<8}  {:>12}  {:>12}  body",
        format!("created ({MERCHANT_ZONE_NAME})"),
        "out_trade_no",
        "state",
        "type",
        "amount",
        "refunded",
    )
}

fn table_row(row: &OrderRow) -> String {
    format!(
        "{:<23}  {:<32}  {:<10}  {:<8}  {:>12}  {:>12}  {}",
        local_time(row.created_at),
        row.out_trade_no,
        row.trade_state,
        row.trade_type,
        Fen(row.total_fee).to_string(),
        Fen(row.refunded_fee).to_string(),
        row.body,
    )
}

/// Formats unix seconds in the merchant's zone, to the second.
fn local_time(unix_seconds: i64) -> String {
    DateTime::from_timestamp(unix_seconds, 0)
        .map(|at| {
            at.with_timezone(&MERCHANT_ZONE)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn rfc3339(unix_seconds: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(unix_seconds, 0)
        .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn row_json(row: &OrderRow) -> serde_json::Value {
    json!({
        "out_trade_no": row.out_trade_no,
        "transaction_id": row.transaction_id,
        "trade_type": row.trade_type,
        "trade_state": row.trade_state,
        "total_fee": row.total_fee,
        "refunded_fee": row.refunded_fee,
        "body": row.body,
        "openid": row.openid,
        "created_at": rfc3339(row.created_at),
        "paid_at": row.paid_at.and_then(rfc3339),
    })
}

async fn print_totals(console: &Console, args: &FilterArgs, json: bool) -> Result<(), CliError> {
    let totals = console.order_totals(console_filter(args)).await?;
    let mut out = std::io::stdout().lock();
    if json {
        let line = json!({
            "count": totals.count,
            "total_fee": totals.total_fee,
            "refunded_fee": totals.refunded_fee,
            "net_fee": totals.net_fee,
        });
        writeln!(out, "{line}")?;
        return Ok(());
    }
    writeln!(out, "orders    {:>14}", totals.count)?;
    writeln!(out, "amount    {:>14}", Fen(totals.total_fee).to_string())?;
    writeln!(
        out,
        "refunded  {:>14}",
        Fen(totals.refunded_fee).to_string()
    )?;
    writeln!(out, "net       {:>14}", Fen(totals.net_fee).to_string())?;
    Ok(())
}

async fn sync_bills(console: &Console, days: u32, json: bool) -> Result<(), CliError> {
    let report = console
        .sync_history(days, |progress| {
            eprintln!(
                "{}: day {}/{}, {} rows so far",
                progress.bill_date, progress.days_done, progress.days_total, progress.rows_imported
            );
        })
        .await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", json!(report))?;
        return Ok(());
    }
    writeln!(out, "days_synced: {}", report.days_synced)?;
    writeln!(out, "days_without_bill: {}", report.days_without_bill)?;
    writeln!(out, "rows_imported: {}", report.rows_imported)?;
    Ok(())
}

async fn import_file(console: &Console, file: &Path, json: bool) -> Result<(), CliError> {
    let report = console.import_bill_file(file).await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", json!(report))?;
        return Ok(());
    }
    writeln!(out, "file: {}", report.file_name)?;
    writeln!(out, "rows_read: {}", report.rows_read)?;
    writeln!(out, "orders_upserted: {}", report.orders_upserted)?;
    writeln!(out, "refunds_upserted: {}", report.refunds_upserted)?;
    writeln!(out, "summary_checked: {}", report.summary_checked)?;
    Ok(())
}
