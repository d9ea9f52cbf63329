//! Orders: writing what WeChat reports (bills, orderquery, notify) or what the console created,
//! without ever moving a state backwards, and reading one order back.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::events::{insert_event, NewEvent};
use crate::profiles::ensure_profile;
use crate::refunds::{upsert_refund_row, RefundUpsert};
use crate::states::check_trade_state;
use crate::time::{now_unix, optional_time_at, time_at, to_unix};
use crate::{Store, StoreError};

/// Origin of the latest write of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderSource {
    Bill,
    Query,
    Notify,
    App,
}

impl OrderSource {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderSource::Bill => "bill",
            OrderSource::Query => "query",
            OrderSource::Notify => "notify",
            OrderSource::App => "app",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "bill" => Some(OrderSource::Bill),
            "query" => Some(OrderSource::Query),
            "notify" => Some(OrderSource::Notify),
            "app" => Some(OrderSource::App),
            _ => None,
        }
    }
}

/// The facts one source reports about an order. `None` fields leave the stored value unchanged.
/// Amounts are fen, states are WeChat's words (for example "SUCCESS").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderUpsert {
    pub out_trade_no: String,
    pub transaction_id: Option<String>,
    pub trade_type: Option<String>,
    pub trade_state: String,
    pub total_fee: i64,
    pub cash_fee: Option<i64>,
    pub coupon_fee: Option<i64>,
    pub body: Option<String>,
    pub attach: Option<String>,
    pub openid: Option<String>,
    pub bank_type: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub source: OrderSource,
}

/// An order as stored. `refunded_fee` is the sum of this order's successful refunds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub profile_id: String,
    pub out_trade_no: String,
    pub transaction_id: Option<String>,
    pub trade_type: Option<String>,
    pub trade_state: String,
    pub total_fee: i64,
    pub cash_fee: Option<i64>,
    pub coupon_fee: Option<i64>,
    pub refunded_fee: i64,
    pub body: Option<String>,
    pub attach: Option<String>,
    pub openid: Option<String>,
    pub bank_type: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub source: OrderSource,
}

/// Counts of one import batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Orders that were not stored before the batch.
    pub new_orders: u64,
    /// Order rows written, new or updated.
    pub orders_written: u64,
    /// Refund rows written, new or updated.
    pub refunds_written: u64,
}

pub(crate) const ORDER_COLUMNS: &str = "id, profile_id, out_trade_no, transaction_id, trade_type, \
    trade_state, total_fee, cash_fee, coupon_fee, refunded_fee, body, attach, openid, bank_type, \
    created_at, paid_at, updated_at, source";

/// Inserts an order or merges it into the stored one. A trade state is replaced only by one
/// of higher rank (see trade_state_ranks in the schema), known optional fields are never
/// erased, and the earliest creation time wins.
const UPSERT_ORDER: &str = "
    INSERT INTO orders (profile_id, out_trade_no, transaction_id, trade_type, trade_state,
        total_fee, cash_fee, coupon_fee, body, attach, openid, bank_type, created_at, paid_at,
        updated_at, source)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
    ON CONFLICT (profile_id, out_trade_no) DO UPDATE SET
        transaction_id = COALESCE(excluded.transaction_id, orders.transaction_id),
        trade_type = COALESCE(excluded.trade_type, orders.trade_type),
        trade_state = CASE
            WHEN (SELECT rank FROM trade_state_ranks WHERE state = excluded.trade_state)
               > (SELECT rank FROM trade_state_ranks WHERE state = orders.trade_state)
            THEN excluded.trade_state
            ELSE orders.trade_state
        END,
        total_fee = excluded.total_fee,
        cash_fee = COALESCE(excluded.cash_fee, orders.cash_fee),
        coupon_fee = COALESCE(excluded.coupon_fee, orders.coupon_fee),
        body = COALESCE(excluded.body, orders.body),
        attach = COALESCE(excluded.attach, orders.attach),
        openid = COALESCE(excluded.openid, orders.openid),
        bank_type = COALESCE(excluded.bank_type, orders.bank_type),
        created_at = MIN(orders.created_at, excluded.created_at),
        paid_at = COALESCE(excluded.paid_at, orders.paid_at),
        updated_at = excluded.updated_at,
        source = excluded.source";

/// Recomputes refunded_fee from successful refunds. An order with money refunded reads
/// REFUND, as orderquery reports it, instead of SUCCESS. Orders without refunds are left
/// untouched, so that a bill import does not rewrite every row twice.
const RECOMPUTE_REFUNDED: &str = "
    UPDATE orders SET
        refunded_fee = (
            SELECT COALESCE(SUM(refund_fee), 0) FROM refunds
            WHERE refunds.profile_id = orders.profile_id
              AND refunds.out_trade_no = orders.out_trade_no
              AND refunds.status = 'SUCCESS'),
        trade_state = CASE
            WHEN trade_state = 'SUCCESS' AND EXISTS (
                SELECT 1 FROM refunds
                WHERE refunds.profile_id = orders.profile_id
                  AND refunds.out_trade_no = orders.out_trade_no
                  AND refunds.status = 'SUCCESS')
            THEN 'REFUND'
            ELSE trade_state
        END
    WHERE profile_id = ?1 AND out_trade_no = ?2
      AND (refunded_fee <> 0 OR EXISTS (
          SELECT 1 FROM refunds WHERE profile_id = ?1 AND out_trade_no = ?2))";

impl Store {
    /// Writes a batch of orders and refunds, for example one day's bill, in one transaction.
    /// Orders are written first, so a refund may belong to an order of the same batch.
    pub fn import_batch(
        &self,
        profile_id: &str,
        orders: &[OrderUpsert],
        refunds: &[RefundUpsert],
    ) -> Result<ImportSummary, StoreError> {
        for order in orders {
            check_order(order)?;
        }
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            let before = count_orders(tx, profile_id)?;
            let now = now_unix();
            for order in orders {
                upsert_order_row(tx, profile_id, order, now)?;
            }
            for refund in refunds {
                upsert_refund_row(tx, profile_id, refund, now)?;
            }

            let touched = orders
                .iter()
                .map(|order| order.out_trade_no.as_str())
                .chain(refunds.iter().map(|refund| refund.out_trade_no.as_str()));
            let mut seen = std::collections::HashSet::new();
            for out_trade_no in touched.filter(|no| seen.insert(*no)) {
                recompute_refunded(tx, profile_id, out_trade_no)?;
            }

            let after = count_orders(tx, profile_id)?;
            let summary = ImportSummary {
                new_orders: after.saturating_sub(before),
                orders_written: orders.len() as u64,
                refunds_written: refunds.len() as u64,
            };
            tracing::info!(
                profile_id,
                new_orders = summary.new_orders,
                orders = summary.orders_written,
                refunds = summary.refunds_written,
                "batch imported"
            );
            Ok(summary)
        })
    }

    /// Writes one order and appends a timeline event about it, in one transaction, and
    /// returns the order as stored.
    pub fn record_order(
        &self,
        profile_id: &str,
        order: &OrderUpsert,
        event: &NewEvent,
    ) -> Result<Order, StoreError> {
        check_order(order)?;
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            upsert_order_row(tx, profile_id, order, now_unix())?;
            recompute_refunded(tx, profile_id, &order.out_trade_no)?;
            insert_event(tx, profile_id, event)?;
            select_order(tx, profile_id, &order.out_trade_no)?.ok_or_else(|| {
                StoreError::OrderNotFound {
                    profile_id: profile_id.to_owned(),
                    out_trade_no: order.out_trade_no.clone(),
                }
            })
        })
    }

    /// Writes an orderquery result back and notes the query on the order's timeline.
    pub fn record_order_query(
        &self,
        profile_id: &str,
        order: &OrderUpsert,
        queried_at: DateTime<Utc>,
    ) -> Result<Order, StoreError> {
        let queried = OrderUpsert {
            source: OrderSource::Query,
            ..order.clone()
        };
        let event = NewEvent {
            out_trade_no: order.out_trade_no.clone(),
            at: queried_at,
            kind: "queried".to_owned(),
            summary: format!("orderquery: {}", order.trade_state),
            detail: serde_json::json!({ "trade_state": order.trade_state }),
        };
        self.record_order(profile_id, &queried, &event)
    }

    pub fn get_order(
        &self,
        profile_id: &str,
        out_trade_no: &str,
    ) -> Result<Option<Order>, StoreError> {
        let conn = self.conn();
        select_order(&conn, profile_id, out_trade_no)
    }
}

fn check_order(order: &OrderUpsert) -> Result<(), StoreError> {
    if order.out_trade_no.is_empty() {
        return Err(StoreError::InvalidValue {
            field: "out_trade_no",
            value: String::new(),
            reason: "must not be empty",
        });
    }
    if order.total_fee < 0 {
        return Err(StoreError::InvalidValue {
            field: "total_fee",
            value: order.total_fee.to_string(),
            reason: "must not be negative",
        });
    }
    check_trade_state(&order.trade_state)
}

fn upsert_order_row(
    tx: &Transaction<'_>,
    profile_id: &str,
    order: &OrderUpsert,
    now: i64,
) -> Result<(), StoreError> {
    let mut statement = tx.prepare_cached(UPSERT_ORDER)?;
    statement.execute(params![
        profile_id,
        order.out_trade_no,
        order.transaction_id,
        order.trade_type,
        order.trade_state,
        order.total_fee,
        order.cash_fee,
        order.coupon_fee,
        order.body,
        order.attach,
        order.openid,
        order.bank_type,
        to_unix(order.created_at),
        order.paid_at.map(to_unix),
        now,
        order.source.as_str(),
    ])?;
    Ok(())
}

pub(crate) fn recompute_refunded(
    tx: &Transaction<'_>,
    profile_id: &str,
    out_trade_no: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(RECOMPUTE_REFUNDED)?
        .execute(params![profile_id, out_trade_no])?;
    Ok(())
}

fn count_orders(tx: &Transaction<'_>, profile_id: &str) -> Result<u64, StoreError> {
    let count: i64 = tx.query_row(
        "SELECT COUNT(*) FROM orders WHERE profile_id = ?1",
        [profile_id],
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs())
}

pub(crate) fn select_order(
    conn: &rusqlite::Connection,
    profile_id: &str,
    out_trade_no: &str,
) -> Result<Option<Order>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE profile_id = ?1 AND out_trade_no = ?2"
    ))?;
    Ok(statement
        .query_row(params![profile_id, out_trade_no], order_from_row)
        .optional()?)
}

pub(crate) fn order_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    let source: String = row.get(17)?;
    let source = OrderSource::parse(&source).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            17,
            rusqlite::types::Type::Text,
            format!("unknown order source {source:?}").into(),
        )
    })?;
    Ok(Order {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        out_trade_no: row.get(2)?,
        transaction_id: row.get(3)?,
        trade_type: row.get(4)?,
        trade_state: row.get(5)?,
        total_fee: row.get(6)?,
        cash_fee: row.get(7)?,
        coupon_fee: row.get(8)?,
        refunded_fee: row.get(9)?,
        body: row.get(10)?,
        attach: row.get(11)?,
        openid: row.get(12)?,
        bank_type: row.get(13)?,
        created_at: time_at(row, 14)?,
        paid_at: optional_time_at(row, 15)?,
        updated_at: time_at(row, 16)?,
        source,
    })
}
