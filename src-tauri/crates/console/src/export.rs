//! CSV export of the filtered order history. Orders are read in keyset pages and written as
//! they come, so the whole history is never in memory. The file is UTF-8 with a BOM for
//! Excel's sake, with amounts in yuan and times in Beijing time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use store::{Order, Store};

use crate::dto::{AppError, ExportProgress, ExportReport, OrderFilter};
use crate::{errors, translate, zone, Console};

/// Rows read per page: the store's largest page.
const PAGE_ROWS: u32 = store::MAX_PAGE_SIZE;

/// The UTF-8 byte order mark. Excel reads a CSV without it in the system code page (GBK on
/// Chinese Windows), which garbles UTF-8 Chinese text.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Column names as the merchant platform's trade bill spells them.
pub const CSV_HEADER: [&str; 14] = [
    "交易时间",
    "支付完成时间",
    "商户订单号",
    "微信支付订单号",
    "交易类型",
    "交易状态",
    "订单金额",
    "现金支付金额",
    "代金券金额",
    "退款金额",
    "商品名称",
    "商户数据包",
    "用户标识",
    "付款银行",
];

/// Excel keeps 15 significant digits, so a longer number (a 28-digit transaction_id)
/// would show as 4.2E+27. The merchant platform's bills prefix such values with a
/// backtick to keep them text, and this export does the same.
const EXCEL_DIGITS: usize = 15;

/// A flag the caller sets to stop an export after the page being written.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Suggests a file name for an export started now, for example `订单-20261105-143000.csv`.
pub fn default_file_name() -> String {
    let now = chrono::Utc::now().with_timezone(&zone::MERCHANT_ZONE);
    format!("订单-{}.csv", now.format("%Y%m%d-%H%M%S"))
}

impl Console {
    /// Writes every order `filter` matches to a CSV file at `path`, newest first, calling
    /// `on_progress` after each page. The rows go to `<path>.part` first, which is renamed
    /// to `path` at the end, so a cancelled or failed export leaves no half-written file.
    pub async fn export_orders_csv(
        &self,
        filter: OrderFilter,
        path: PathBuf,
        cancel: CancelToken,
        on_progress: impl FnMut(ExportProgress) + Send + 'static,
    ) -> Result<ExportReport, AppError> {
        let filter = self.store_filter(&filter)?;
        let store = Arc::clone(&self.inner.store);
        let report = tokio::task::spawn_blocking(move || {
            export(&store, &filter, &path, &cancel, on_progress)
        })
        .await
        .map_err(|error| errors::internal("导出订单 / exporting the orders", error))??;
        tracing::info!(
            rows = report.rows_written,
            cancelled = report.cancelled,
            "order export finished"
        );
        Ok(report)
    }
}

fn export(
    store: &Store,
    filter: &store::OrderFilter,
    path: &Path,
    cancel: &CancelToken,
    mut on_progress: impl FnMut(ExportProgress),
) -> Result<ExportReport, AppError> {
    let rows_total = store
        .order_totals(filter)
        .map_err(translate::store_error)?
        .count as i64;
    let partial = partial_path(path);
    let written = write_rows(store, filter, &partial, cancel, |rows_written| {
        on_progress(ExportProgress {
            rows_written,
            rows_total,
        })
    });
    let finished = match written {
        Ok(Some(rows)) => rows,
        Ok(None) => {
            remove_partial(&partial);
            return Ok(ExportReport {
                path: None,
                rows_written: 0,
                cancelled: true,
            });
        }
        Err(error) => {
            remove_partial(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, path).map_err(|error| {
        remove_partial(&partial);
        write_failed(path, &error)
    })?;
    Ok(ExportReport {
        path: Some(path.display().to_string()),
        rows_written: finished,
        cancelled: false,
    })
}

/// Writes the BOM, the header and every page to `partial`; returns the row count, or
/// `None` when the export was cancelled.
fn write_rows(
    store: &Store,
    filter: &store::OrderFilter,
    partial: &Path,
    cancel: &CancelToken,
    mut on_page: impl FnMut(i64),
) -> Result<Option<i64>, AppError> {
    let io_failed = |error: std::io::Error| write_failed(partial, &error);
    let csv_failed = |error: csv::Error| write_failed(partial, &error);

    let file = File::create(partial).map_err(io_failed)?;
    let mut out = BufWriter::new(file);
    out.write_all(UTF8_BOM).map_err(io_failed)?;
    // Excel and RFC 4180 both expect CRLF line ends.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(CSV_HEADER).map_err(csv_failed)?;

    let mut after = None;
    let mut rows = 0_i64;
    loop {
        if cancel.is_cancelled() {
            return Ok(None);
        }
        let page = store
            .list_orders(filter, after, PAGE_ROWS)
            .map_err(translate::store_error)?;
        for order in &page.orders {
            writer.write_record(record(order)).map_err(csv_failed)?;
        }
        rows += page.orders.len() as i64;
        on_page(rows);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }

    let out = writer
        .into_inner()
        .map_err(|error| io_failed(error.into_error()))?;
    let file = out
        .into_inner()
        .map_err(|error| io_failed(error.into_error()))?;
    file.sync_all().map_err(io_failed)?;
    Ok(Some(rows))
}

/// Builds one CSV row in the order of [`CSV_HEADER`].
fn record(order: &Order) -> [String; 14] {
    let yuan = |fen: i64| wxpay::Fen(fen).to_yuan_string();
    let optional_yuan = |fen: Option<i64>| fen.map(yuan).unwrap_or_default();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    [
        zone::format_local(order.created_at.timestamp()),
        order
            .paid_at
            .map(|at| zone::format_local(at.timestamp()))
            .unwrap_or_default(),
        excel_number_text(&order.out_trade_no),
        excel_number_text(&text(&order.transaction_id)),
        text(&order.trade_type),
        order.trade_state.clone(),
        yuan(order.total_fee),
        optional_yuan(order.cash_fee),
        optional_yuan(order.coupon_fee),
        yuan(order.refunded_fee),
        formula_safe(&text(&order.body)),
        formula_safe(&text(&order.attach)),
        text(&order.openid),
        text(&order.bank_type),
    ]
}

/// Keeps a long run of digits as text in Excel (see [`EXCEL_DIGITS`]).
fn excel_number_text(value: &str) -> String {
    if value.len() > EXCEL_DIGITS && value.bytes().all(|byte| byte.is_ascii_digit()) {
        format!("`{value}")
    } else {
        value.to_owned()
    }
}

/// Prefixes a cell that a spreadsheet would run as a formula (CSV injection) with an
/// apostrophe, so that a product name such as `=HYPERLINK(...)` stays text.
fn formula_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

fn remove_partial(partial: &Path) {
    match std::fs::remove_file(partial) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %partial.display(), %error, "could not remove a partial export");
        }
        _ => {}
    }
}

fn write_failed(path: &Path, error: &dyn std::fmt::Display) -> AppError {
    tracing::warn!(path = %path.display(), %error, "order export failed");
    AppError {
        code: "EXPORT_WRITE_FAILED".to_owned(),
        message_zh: format!(
            "无法写入导出文件 {}：{error}。请选择有写入权限、空间充足的文件夹后重试。",
            path.display()
        ),
        message_en: format!(
            "The export file {} could not be written: {error}. Choose a folder you can write \
             to with enough free space, then try again.",
            path.display()
        ),
        retryable: true,
    }
}

/// Returns the error for a save dialog that returned a location that is not a local file.
pub fn not_a_local_path() -> AppError {
    AppError {
        code: "NOT_A_LOCAL_FILE".to_owned(),
        message_zh: "所选位置不在本机磁盘上，请选择本机上的文件夹保存导出文件。".to_owned(),
        message_en: "The chosen location is not on a local disk. Choose a folder on this \
                     computer for the export."
            .to_owned(),
        retryable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_digit_ids_keep_text() {
        assert_eq!(
            excel_number_text("4200000123202611050123456789"),
            "`4200000123202611050123456789"
        );
        assert_eq!(
            excel_number_text("WX2026110500000001"),
            "WX2026110500000001"
        );
        assert_eq!(excel_number_text("123456789012345"), "123456789012345");
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(formula_safe("=1+1"), "'=1+1");
        assert_eq!(formula_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula_safe("拿铁 大杯"), "拿铁 大杯");
    }

    #[test]
    fn partial_file_sits_beside_target() {
        let partial = partial_path(Path::new("/tmp/订单.csv"));
        assert_eq!(partial, PathBuf::from("/tmp/订单.csv.part"));
    }

    /// A store of `count` orders, more than one page of them.
    fn store_with_orders(dir: &Path, count: usize) -> (Store, store::OrderFilter) {
        let store = Store::open(&dir.join("history.sqlite")).expect("store");
        store
            .save_profile(&store::Profile {
                id: "export-test".to_owned(),
                name: "导出测试".to_owned(),
                mode: store::ProfileMode::Sandbox,
                appid: "wx2421b1c4370ec43b".to_owned(),
                mch_id: "10000100".to_owned(),
                created_at: chrono::Utc::now(),
                active: true,
            })
            .expect("save profile");
        // Midnight of 2026-11-05 in Beijing.
        let start = chrono::DateTime::from_timestamp(1_793_808_000, 0).expect("time");
        let orders: Vec<store::OrderUpsert> = (0..count)
            .map(|index| store::OrderUpsert {
                out_trade_no: format!("EXPORT{index:08}"),
                transaction_id: Some(format!("42000{index:023}")),
                trade_type: Some("NATIVE".to_owned()),
                trade_state: "SUCCESS".to_owned(),
                total_fee: 100 + index as i64,
                cash_fee: None,
                coupon_fee: None,
                body: Some(format!("拿铁 {index}")),
                attach: None,
                openid: None,
                bank_type: None,
                created_at: start + chrono::Duration::seconds(index as i64),
                paid_at: None,
                source: store::OrderSource::Bill,
            })
            .collect();
        store
            .import_batch("export-test", &orders, &[])
            .expect("import orders");
        let filter = store::OrderFilter {
            profile_id: "export-test".to_owned(),
            ..store::OrderFilter::default()
        };
        (store, filter)
    }

    #[test]
    fn export_reads_page_by_page() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, filter) = store_with_orders(dir.path(), 2_345);
        let path = dir.path().join("orders.csv");
        let mut steps = Vec::new();

        let report = export(&store, &filter, &path, &CancelToken::new(), |step| {
            steps.push(step.rows_written)
        })
        .expect("export");

        assert_eq!(report.rows_written, 2_345);
        assert_eq!(steps, vec![1_000, 2_000, 2_345]);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 2_346);
        let newest = text.lines().nth(1).expect("first row");
        assert!(
            newest.contains("EXPORT00002344"),
            "not newest first: {newest}"
        );
        assert!(newest.contains(",24.44,"), "amount not in yuan: {newest}");
        assert!(
            newest.starts_with("2026-11-05 00:39:04,"),
            "not Beijing time: {newest}"
        );
    }

    #[test]
    fn cancel_stops_after_a_page() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, filter) = store_with_orders(dir.path(), 2_100);
        let path = dir.path().join("orders.csv");
        let cancel = CancelToken::new();
        let stopper = cancel.clone();
        let mut pages = 0;

        let report = export(&store, &filter, &path, &cancel, |_| {
            pages += 1;
            stopper.cancel();
        })
        .expect("export");

        assert!(report.cancelled);
        assert_eq!(pages, 1);
        assert!(!path.exists());
        assert!(!partial_path(&path).exists());
    }

    #[test]
    fn cancel_token_is_shared() {
        let token = CancelToken::new();
        let copy = token.clone();
        copy.cancel();
        assert!(token.is_cancelled());
    }
}
