//! The history benchmark: a store of N generated orders written through `import_batch`,
//! then the first page and the totals of the orders screen's filters through `store`,
//! beside the same SQL run by the sqlite3 shell on the same file.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use store::{OrderFilter, Profile, ProfileMode, Store};

use crate::error::BenchError;
use crate::orders::{self, PROFILE_ID};
use crate::report::{memory_mb, number, print_figures, Latencies, Table};
use crate::sqlite_cli::{self, quote};

/// Orders written per `import_batch` call, about one busy month of bills.
const BATCH: u64 = 20_000;
/// Rows of the first page, the page size the orders screen requests.
const PAGE_SIZE: u32 = 200;
/// The columns the store reads for a page, in its order.
const ORDER_COLUMNS: &str = "id, profile_id, out_trade_no, transaction_id, trade_type, \
    trade_state, total_fee, cash_fee, coupon_fee, refunded_fee, body, attach, openid, bank_type, \
    created_at, paid_at, updated_at, source";

#[derive(Debug, clap::Args)]
pub struct HistoryOptions {
    /// Orders generated into the store.
    #[arg(long, default_value_t = 1_000_000)]
    orders: u64,
    /// Times each filter's page and totals are read on each side.
    #[arg(long, default_value_t = 30)]
    repeats: usize,
}

/// One filter of the orders screen, as the store takes it and as SQL conditions.
struct Case {
    name: &'static str,
    filter: OrderFilter,
    conditions: Vec<String>,
    /// The store's index hint: a search looks rows up by id instead of by date.
    table_hint: &'static str,
}

pub fn run(options: &HistoryOptions) -> Result<(), BenchError> {
    let sqlite_version = sqlite_cli::version()?;
    let dir = tempfile::tempdir().map_err(|e| BenchError::io("creating a temp folder", e))?;
    let path = dir.path().join("history.sqlite");
    let store = Store::open(&path)?;
    store.save_profile(&Profile {
        id: PROFILE_ID.to_owned(),
        name: "压测商户 Bench shop".to_owned(),
        mode: ProfileMode::Sandbox,
        appid: "wx5bench0000000001".to_owned(),
        mch_id: "1900000201".to_owned(),
        created_at: orders::history_end(),
        active: true,
    })?;

    let import_time = fill(&store, options.orders)?;
    let cases = cases();

    let mut rows = Vec::new();
    let (mut store_pages, mut store_totals) = (Latencies::default(), Latencies::default());
    let (mut direct_pages, mut direct_totals) = (Latencies::default(), Latencies::default());
    for case in &cases {
        let (pages, totals) = time_store(&store, case, options.repeats)?;
        let (sql_pages, sql_totals) = time_direct(&path, case, options.repeats)?;
        rows.push(vec![
            case.name.to_owned(),
            number(pages.percentile_ms(95.0)),
            number(sql_pages.percentile_ms(95.0)),
            number(totals.percentile_ms(95.0)),
            number(sql_totals.percentile_ms(95.0)),
        ]);
        store_pages.extend(pages);
        store_totals.extend(totals);
        direct_pages.extend(sql_pages);
        direct_totals.extend(sql_totals);
    }
    let rss_mb = memory_mb("VmRSS");
    let peak_mb = memory_mb("VmHWM");

    let p95 = store_pages.percentile_ms(95.0);
    let direct_p95 = direct_pages.percentile_ms(95.0);
    let totals_p95 = store_totals.percentile_ms(95.0);
    let direct_totals_p95 = direct_totals.percentile_ms(95.0);
    let ratio = p95 / direct_p95.max(0.001);

    println!(
        "{} orders written through Store::import_batch in {:.1} s ({} orders/s); \
         baseline: sqlite3 {sqlite_version} shell on the same file (CPU time per statement)",
        options.orders,
        import_time.as_secs_f64(),
        number(options.orders as f64 / import_time.as_secs_f64())
    );
    println!(
        "p95 in ms over {} runs of each filter; first page is {PAGE_SIZE} rows, newest first",
        options.repeats
    );
    let mut table = Table::new(&[
        "filter",
        "page store",
        "page sqlite3",
        "totals store",
        "totals sqlite3",
    ]);
    for row in rows {
        table.row(row);
    }
    table.row(vec![
        "all filters".to_owned(),
        number(p95),
        number(direct_p95),
        number(totals_p95),
        number(direct_totals_p95),
    ]);
    table.print();
    println!(
        "ratio store / sqlite3 page p95: {} (1 means no overhead); RSS {} MiB, peak {} MiB",
        number(ratio),
        number(rss_mb),
        number(peak_mb)
    );
    print_figures(
        "history",
        &[
            ("orders", options.orders.to_string()),
            ("p95_ms", number(p95)),
            ("direct_p95_ms", number(direct_p95)),
            ("ratio", number(ratio)),
            ("totals_p95_ms", number(totals_p95)),
            ("direct_totals_p95_ms", number(direct_totals_p95)),
            ("rss_mb", number(rss_mb)),
        ],
    );
    Ok(())
}

fn fill(store: &Store, total: u64) -> Result<Duration, BenchError> {
    let start = Instant::now();
    let mut first = 0;
    while first < total {
        let count = BATCH.min(total - first);
        let (orders, refunds) = orders::generate(first, count, total);
        store.import_batch(PROFILE_ID, &orders, &refunds)?;
        first += count;
    }
    Ok(start.elapsed())
}

fn cases() -> Vec<Case> {
    let end = orders::history_end();
    let week_ago = end - chrono::Duration::days(7);
    let profile = format!("profile_id = {}", quote(PROFILE_ID));
    let base = || OrderFilter {
        profile_id: PROFILE_ID.to_owned(),
        ..OrderFilter::default()
    };
    let payer = orders::payer_openid(4_242);
    vec![
        Case {
            name: "all orders",
            filter: base(),
            conditions: vec![profile.clone()],
            table_hint: "",
        },
        Case {
            name: "last 7 days",
            filter: OrderFilter {
                from_utc: Some(week_ago),
                to_utc: Some(end),
                ..base()
            },
            conditions: vec![
                profile.clone(),
                format!("created_at >= {}", unix(week_ago)),
                format!("created_at < {}", unix(end)),
            ],
            table_hint: "",
        },
        Case {
            name: "paid NATIVE ¥10-¥200",
            filter: OrderFilter {
                states: vec!["SUCCESS".to_owned(), "REFUND".to_owned()],
                trade_types: vec!["NATIVE".to_owned()],
                min_fee: Some(1_000),
                max_fee: Some(20_000),
                ..base()
            },
            conditions: vec![
                profile.clone(),
                "trade_state IN ('SUCCESS', 'REFUND')".to_owned(),
                "trade_type IN ('NATIVE')".to_owned(),
                "total_fee >= 1000".to_owned(),
                "total_fee <= 20000".to_owned(),
            ],
            table_hint: "",
        },
        Case {
            name: "payer openid search",
            filter: OrderFilter {
                search: Some(payer.clone()),
                ..base()
            },
            conditions: vec![profile.clone(), prefix_search(&payer)],
            table_hint: "NOT INDEXED",
        },
    ]
}

/// Builds the store's prefix search condition: a range on each searched column, collected
/// by id.
fn prefix_search(prefix: &str) -> String {
    let low = quote(prefix);
    let high = quote(&format!("{prefix}\u{10FFFF}"));
    let lookups: Vec<String> = ["out_trade_no", "transaction_id", "openid"]
        .iter()
        .map(|column| {
            format!(
                "SELECT id FROM orders WHERE profile_id = {} AND {column} >= {low} AND \
                 {column} < {high}",
                quote(PROFILE_ID)
            )
        })
        .collect();
    format!("id IN ({})", lookups.join(" UNION ALL "))
}

fn unix(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

fn page_sql(case: &Case) -> String {
    format!(
        "SELECT {ORDER_COLUMNS} FROM orders {} WHERE {} ORDER BY created_at DESC, id DESC LIMIT {PAGE_SIZE}",
        case.table_hint,
        case.conditions.join(" AND ")
    )
}

fn totals_sql(case: &Case) -> String {
    format!(
        "SELECT COUNT(*), COALESCE(SUM(total_fee), 0),
             COUNT(*) FILTER (WHERE trade_state IN ('SUCCESS', 'REFUND')),
             COALESCE(SUM(total_fee) FILTER (WHERE trade_state IN ('SUCCESS', 'REFUND')), 0),
             COALESCE(SUM(refunded_fee), 0)
         FROM orders {} WHERE {}",
        case.table_hint,
        case.conditions.join(" AND ")
    )
}

fn time_store(
    store: &Store,
    case: &Case,
    repeats: usize,
) -> Result<(Latencies, Latencies), BenchError> {
    // One untimed round first, so both sides are timed with the pages cached and the
    // statements prepared.
    store.list_orders(&case.filter, None, PAGE_SIZE)?;
    store.order_totals(&case.filter)?;

    let (mut pages, mut totals) = (Latencies::default(), Latencies::default());
    for _ in 0..repeats {
        let start = Instant::now();
        let page = store.list_orders(&case.filter, None, PAGE_SIZE)?;
        pages.push(start.elapsed());
        if page.orders.is_empty() {
            return Err(BenchError::Check(format!(
                "{}: the first page is empty",
                case.name
            )));
        }

        let start = Instant::now();
        let sums = store.order_totals(&case.filter)?;
        totals.push(start.elapsed());
        if sums.count == 0 {
            return Err(BenchError::Check(format!(
                "{}: the totals count no order",
                case.name
            )));
        }
    }
    Ok((pages, totals))
}

fn time_direct(
    path: &std::path::Path,
    case: &Case,
    repeats: usize,
) -> Result<(Latencies, Latencies), BenchError> {
    let mut statements = Vec::with_capacity(repeats * 2 + 2);
    // The first pair is the untimed round, as on the store's side.
    for _ in 0..=repeats {
        statements.push(page_sql(case));
        statements.push(totals_sql(case));
    }
    let times = sqlite_cli::timed_statements(path, &statements)?;
    let (mut pages, mut totals) = (Latencies::default(), Latencies::default());
    for pair in times.chunks(2).skip(1) {
        pages.push(pair[0]);
        totals.push(pair[1]);
    }
    Ok((pages, totals))
}
