//! Turning a parsed bill into history rows: each payment row becomes an order, each refund row
//! a refund of its order. A bill file from the merchant platform goes through the same path as
//! a downloaded one, and a file that does not parse changes nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use store::{OrderSource, OrderUpsert, RefundUpsert, Store, StoreError};
use wxpay::bill::{Bill, BillRow};

use crate::dto::{AppError, ImportReport};
use crate::{errors, Console};

/// Largest bill file accepted: a busy shop's month of ALL bills is a few tens of MiB.
const MAX_BILL_FILE_BYTES: u64 = 512 * 1024 * 1024;

impl Console {
    /// Imports a bill file (CSV text, optionally GZIP) exported from the merchant platform.
    pub async fn import_bill_file(&self, path: &Path) -> Result<ImportReport, AppError> {
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let text = read_bill_text(path, &file_name).await?;
        let mut report = self.import_bill_text(&text, &file_name).await?;
        report.file_name = file_name;
        tracing::info!(file = %report.file_name, rows = report.rows_read, "imported a bill file");
        Ok(report)
    }
}

async fn read_bill_text(path: &Path, file_name: &str) -> Result<String, AppError> {
    let unreadable = |detail: String| errors::bill_file_unreadable(file_name, &detail);
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|error| unreadable(error.to_string()))?
        .len();
    if size == 0 {
        return Err(unreadable("文件是空的 / the file is empty".to_owned()));
    }
    if size > MAX_BILL_FILE_BYTES {
        return Err(unreadable(format!(
            "文件大小 {size} 字节超过上限 / the file's {size} bytes are over the {MAX_BILL_FILE_BYTES}-byte limit"
        )));
    }
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|error| unreadable(error.to_string()))?;
    decode_bill_bytes(&bytes).map_err(unreadable)
}

/// Unpacks a GZIP file (recognised by its magic bytes, whatever its name) and checks that
/// the bill is UTF-8 text.
fn decode_bill_bytes(bytes: &[u8]) -> Result<String, String> {
    const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
    let bytes = if bytes.starts_with(&GZIP_MAGIC) {
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_BILL_FILE_BYTES)
            .read_to_end(&mut unpacked)
            .map_err(|error| format!("GZIP 解压失败 / the GZIP data is damaged: {error}"))?;
        unpacked
    } else {
        bytes.to_vec()
    };
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        format!(
            "文件不是 UTF-8 文本（第 {offset} 字节）/ the file is not UTF-8 text (byte {offset})"
        )
    })
}

/// Stores every row of `bill` in one transaction and reports what was written.
pub fn store_bill(
    store: &Store,
    profile_id: &str,
    bill: &Bill,
    source_name: &str,
) -> Result<ImportReport, StoreError> {
    let mut orders: HashMap<&str, OrderUpsert> = HashMap::new();
    let mut refunds = Vec::new();
    for row in &bill.rows {
        if let Some(refund) = refund_of(row) {
            refunds.push(refund);
            if !orders.contains_key(row.out_trade_no.as_str()) {
                let order = refunded_order_of(store, profile_id, row)?;
                orders.insert(&row.out_trade_no, order);
            }
        } else {
            // A payment row always wins over the stand-in made for a refund row.
            orders.insert(&row.out_trade_no, paid_order_of(row));
        }
    }

    let orders: Vec<OrderUpsert> = orders.into_values().collect();
    let summary = store.import_batch(profile_id, &orders, &refunds)?;
    Ok(ImportReport {
        file_name: source_name.to_owned(),
        rows_read: bill.rows.len() as i64,
        orders_upserted: summary.orders_written as i64,
        refunds_upserted: summary.refunds_written as i64,
        // parse_bill rejects a bill whose summary is missing or disagrees with its rows.
        summary_checked: true,
    })
}

fn paid_order_of(row: &BillRow) -> OrderUpsert {
    OrderUpsert {
        out_trade_no: row.out_trade_no.clone(),
        transaction_id: non_empty(&row.transaction_id),
        trade_type: non_empty(&row.trade_type),
        trade_state: row.trade_state.clone(),
        total_fee: row
            .total_fee
            .or(row.settlement_total_fee)
            .unwrap_or_default()
            .0,
        cash_fee: None,
        coupon_fee: Some(row.coupon_fee.0),
        body: non_empty(&row.body),
        attach: row.attach.as_deref().and_then(non_empty),
        openid: non_empty(&row.openid),
        bank_type: non_empty(&row.bank_type),
        created_at: row.trade_time,
        paid_at: (row.trade_state == "SUCCESS").then_some(row.trade_time),
        source: OrderSource::Bill,
    }
}

/// Builds the order write for a refund row. The row names its order but carries no payment
/// amount, so the order is written only to mark it REFUND, with the amount the history
/// already has. An order paid before the synced range gets the refunded amount as a stand-in
/// until its payment row arrives.
fn refunded_order_of(
    store: &Store,
    profile_id: &str,
    row: &BillRow,
) -> Result<OrderUpsert, StoreError> {
    let known = store.get_order(profile_id, &row.out_trade_no)?;
    let (total_fee, created_at) = match &known {
        Some(order) => (order.total_fee, order.created_at),
        None => (refund_amount(row), row.trade_time),
    };
    Ok(OrderUpsert {
        out_trade_no: row.out_trade_no.clone(),
        transaction_id: non_empty(&row.transaction_id),
        trade_type: non_empty(&row.trade_type),
        trade_state: "REFUND".to_owned(),
        total_fee,
        cash_fee: None,
        coupon_fee: None,
        body: non_empty(&row.body),
        attach: row.attach.as_deref().and_then(non_empty),
        openid: non_empty(&row.openid),
        bank_type: non_empty(&row.bank_type),
        created_at,
        paid_at: known.and_then(|order| order.paid_at),
        source: OrderSource::Bill,
    })
}

fn refund_of(row: &BillRow) -> Option<RefundUpsert> {
    let out_refund_no = row
        .out_refund_no
        .as_deref()
        .filter(|no| !no.is_empty() && *no != "0")?;
    let status = match row.refund_status.as_deref() {
        Some("SUCCESS") => "SUCCESS",
        Some("REFUNDCLOSE") | Some("FAIL") => "REFUNDCLOSE",
        Some("CHANGE") => "CHANGE",
        _ => "PROCESSING",
    };
    Some(RefundUpsert {
        out_refund_no: out_refund_no.to_owned(),
        out_trade_no: row.out_trade_no.clone(),
        refund_id: row
            .refund_id
            .clone()
            .filter(|id| !id.is_empty() && id != "0"),
        refund_fee: refund_amount(row),
        reason: None,
        status: status.to_owned(),
        err_code: None,
        err_message: None,
        requested_at: row.refund_apply_time.unwrap_or(row.trade_time),
        succeeded_at: match status {
            "SUCCESS" => Some(row.refund_success_time.unwrap_or(row.trade_time)),
            _ => None,
        },
    })
}

/// Returns the refund's amount: 申请退款金额 in the current layout, 退款金额 in the legacy one.
fn refund_amount(row: &BillRow) -> i64 {
    row.refund_request_fee
        .or(row.refund_fee)
        .unwrap_or_default()
        .0
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
