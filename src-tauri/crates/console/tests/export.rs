//! CSV export of the order history against a synced sandbox history in a real SQLite file:
//! the file's encoding and header, amounts and times, the new filters, and cancelling.

mod support;

use std::sync::{Arc, Mutex};

use chrono::DateTime;
use chrono_tz::Asia::Shanghai;
use console::dto::{ExportProgress, OrderFilter};
use console::export::{CancelToken, CSV_HEADER};
use console::Console;

const BOM: &[u8] = b"\xEF\xBB\xBF";

struct Exported {
    bytes: Vec<u8>,
    rows: Vec<csv::StringRecord>,
    progress: Vec<ExportProgress>,
    rows_written: i64,
}

async fn export(console: &Console, filter: OrderFilter, dir: &std::path::Path) -> Exported {
    let path = dir.join("订单.csv");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&progress);
    let report = console
        .export_orders_csv(filter, path.clone(), CancelToken::new(), move |step| {
            sink.lock().expect("progress lock").push(step)
        })
        .await
        .unwrap_or_else(|error| panic!("export failed: {}", error.message_en));
    assert!(!report.cancelled);
    assert_eq!(
        report.path.as_deref(),
        Some(path.display().to_string().as_str())
    );
    assert!(
        !dir.join("订单.csv.part").exists(),
        "the partial file was left behind"
    );

    let bytes = std::fs::read(&path).expect("read the export");
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), CSV_HEADER.to_vec());
    let rows = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("CSV rows");
    let progress = progress.lock().expect("progress lock").clone();
    Exported {
        bytes,
        rows,
        progress,
        rows_written: report.rows_written,
    }
}

fn column(name: &str) -> usize {
    CSV_HEADER
        .iter()
        .position(|held| *held == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn fen_of(yuan: &str) -> i64 {
    wxpay::Fen::from_yuan(yuan)
        .unwrap_or_else(|error| panic!("{yuan} is not yuan: {error}"))
        .0
}

#[tokio::test]
async fn export_writes_every_order() {
    let opened = support::synced_console().await;
    let console = &opened.console;
    let totals = console
        .order_totals(OrderFilter::default())
        .await
        .expect("totals");
    let dir = tempfile::tempdir().expect("temp dir");

    let exported = export(console, OrderFilter::default(), dir.path()).await;

    assert!(exported.bytes.starts_with(BOM), "the file has no UTF-8 BOM");
    assert!(
        exported.bytes.windows(2).any(|pair| pair == b"\r\n"),
        "rows do not end with CRLF"
    );
    assert_eq!(exported.rows.len() as i64, totals.count);
    assert_eq!(exported.rows_written, totals.count);
    let last = exported.progress.last().expect("progress was reported");
    assert_eq!(last.rows_written, totals.count);
    assert_eq!(last.rows_total, totals.count);

    let amounts: i64 = exported
        .rows
        .iter()
        .map(|row| fen_of(&row[column("订单金额")]))
        .sum();
    let listed = console
        .list_orders(OrderFilter::default(), None, 500)
        .await
        .expect("list");
    let first = &listed.rows[0];
    let row = &exported.rows[0];
    assert_eq!(
        row[column("商户订单号")].trim_start_matches('`'),
        first.out_trade_no
    );
    assert_eq!(fen_of(&row[column("订单金额")]), first.total_fee);
    assert_eq!(fen_of(&row[column("退款金额")]), first.refunded_fee);
    let beijing = DateTime::from_timestamp(first.created_at, 0)
        .expect("time")
        .with_timezone(&Shanghai)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert_eq!(&row[column("交易时间")], beijing.as_str());
    assert_eq!(&row[column("交易状态")], first.trade_state.as_str());
    assert!(amounts > 0);

    for row in &exported.rows {
        let id = &row[column("微信支付订单号")];
        assert!(
            id.is_empty() || id.starts_with('`'),
            "a long transaction_id is not kept as text: {id}"
        );
    }
}

#[tokio::test]
async fn filters_by_trade_type_and_amount() {
    let opened = support::synced_console().await;
    let console = &opened.console;
    let any = console
        .list_orders(OrderFilter::default(), None, 1)
        .await
        .expect("list");
    let trade_type = any.rows[0].trade_type.clone();
    let filter = OrderFilter {
        trade_types: vec![trade_type.clone()],
        min_fee: Some(500),
        max_fee: Some(20_000),
        ..OrderFilter::default()
    };

    let totals = console.order_totals(filter.clone()).await.expect("totals");
    let all = console
        .order_totals(OrderFilter::default())
        .await
        .expect("totals");
    assert!(
        totals.count > 0,
        "no {trade_type} order between ¥5 and ¥200"
    );
    assert!(totals.count < all.count, "the filter matched every order");

    let page = console
        .list_orders(filter.clone(), None, 500)
        .await
        .expect("list");
    for row in &page.rows {
        assert_eq!(row.trade_type, trade_type);
        assert!(
            (500..=20_000).contains(&row.total_fee),
            "{} out of range",
            row.total_fee
        );
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let exported = export(console, filter, dir.path()).await;
    assert_eq!(exported.rows.len() as i64, totals.count);
    for row in &exported.rows {
        assert_eq!(&row[column("交易类型")], trade_type.as_str());
        let fee = fen_of(&row[column("订单金额")]);
        assert!((500..=20_000).contains(&fee), "{fee} out of range");
    }
}

#[tokio::test]
async fn filter_without_new_fields_deserialises() {
    let filter: OrderFilter = serde_json::from_str(
        r#"{"from_date":null,"to_date":null,"states":["SUCCESS"],"search":null}"#,
    )
    .expect("an older UI's filter");
    assert!(filter.trade_types.is_empty());
    assert_eq!(filter.min_fee, None);
    assert_eq!(filter.max_fee, None);
}

#[tokio::test]
async fn cancelled_export_leaves_no_file() {
    let opened = support::synced_console().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("orders.csv");
    let cancel = CancelToken::new();
    cancel.cancel();

    let report = opened
        .console
        .export_orders_csv(OrderFilter::default(), path.clone(), cancel, |_| {})
        .await
        .expect("export");

    assert!(report.cancelled);
    assert_eq!(report.path, None);
    assert!(!path.exists());
    assert!(!dir.path().join("orders.csv.part").exists());
}

#[tokio::test]
async fn unwritable_folder_explained() {
    let opened = support::open_console().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("missing-folder").join("orders.csv");

    let error = opened
        .console
        .export_orders_csv(OrderFilter::default(), path, CancelToken::new(), |_| {})
        .await
        .expect_err("the folder does not exist");

    assert_eq!(error.code, "EXPORT_WRITE_FAILED");
    assert!(error.message_zh.contains("missing-folder"));
}
