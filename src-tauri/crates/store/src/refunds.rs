//! Refunds: the PENDING row written before a refund request leaves (so a retry reuses the
//! same out_refund_no and never refunds twice), status updates, and reads for resuming.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::events::{insert_event, NewEvent};
use crate::orders::{recompute_refunded, select_order};
use crate::profiles::ensure_profile;
use crate::states::{check_refund_status, RELEASED_REFUND_STATUSES};
use crate::time::{now_unix, optional_time_at, time_at, to_unix};
use crate::{Store, StoreError};

/// Maximum length of an out_refund_no (refund API, 9_4).
const MAX_OUT_REFUND_NO_LEN: usize = 64;

/// The facts a source (a bill, refundquery, a refund notify) reports about a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundUpsert {
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub refund_id: Option<String>,
    pub refund_fee: i64,
    pub reason: Option<String>,
    pub status: String,
    pub err_code: Option<String>,
    pub err_message: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub succeeded_at: Option<DateTime<Utc>>,
}

/// An outcome of a refund request or refundquery. `None` fields leave stored values as
/// they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundUpdate {
    pub status: String,
    pub refund_id: Option<String>,
    pub err_code: Option<String>,
    pub err_message: Option<String>,
    pub succeeded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    pub id: i64,
    pub profile_id: String,
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub refund_id: Option<String>,
    pub refund_fee: i64,
    pub reason: Option<String>,
    pub status: String,
    pub err_code: Option<String>,
    pub err_message: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub succeeded_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// The refund row a refund request must use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BegunRefund {
    pub refund: Refund,
    /// False when the same out_refund_no, order and amount were stored already, for example
    /// after a double click or a crash. The caller then follows the stored status: PENDING
    /// is sent again with the same number, PROCESSING is resolved with refundquery.
    pub created: bool,
}

const REFUND_COLUMNS: &str = "id, profile_id, out_refund_no, out_trade_no, refund_id, refund_fee, \
    reason, status, err_code, err_message, requested_at, succeeded_at, updated_at";

/// Replaces a status only by one of higher rank (see refund_status_ranks in the schema). The
/// error fields follow the status they describe. SQLite evaluates every SET expression on the
/// row as it was before the update, so the rank comparison holds for all three columns.
const UPSERT_REFUND: &str = "
    INSERT INTO refunds (profile_id, out_refund_no, out_trade_no, refund_id, refund_fee, reason,
        status, err_code, err_message, requested_at, succeeded_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (profile_id, out_refund_no) DO UPDATE SET
        refund_id = COALESCE(excluded.refund_id, refunds.refund_id),
        refund_fee = excluded.refund_fee,
        reason = COALESCE(refunds.reason, excluded.reason),
        status = CASE WHEN
            (SELECT rank FROM refund_status_ranks WHERE status = excluded.status)
            > (SELECT rank FROM refund_status_ranks WHERE status = refunds.status)
        THEN excluded.status ELSE refunds.status END,
        err_code = CASE WHEN
            (SELECT rank FROM refund_status_ranks WHERE status = excluded.status)
            > (SELECT rank FROM refund_status_ranks WHERE status = refunds.status)
        THEN excluded.err_code ELSE refunds.err_code END,
        err_message = CASE WHEN
            (SELECT rank FROM refund_status_ranks WHERE status = excluded.status)
            > (SELECT rank FROM refund_status_ranks WHERE status = refunds.status)
        THEN excluded.err_message ELSE refunds.err_message END,
        requested_at = MIN(refunds.requested_at, excluded.requested_at),
        succeeded_at = COALESCE(excluded.succeeded_at, refunds.succeeded_at),
        updated_at = excluded.updated_at";

/// Applies an update. Parameter ?3 is true when the new status outranks the stored one.
const UPDATE_REFUND: &str = "
    UPDATE refunds SET
        status = CASE WHEN ?3 THEN ?4 ELSE status END,
        err_code = CASE WHEN ?3 THEN ?5 ELSE err_code END,
        err_message = CASE WHEN ?3 THEN ?6 ELSE err_message END,
        refund_id = COALESCE(?7, refund_id),
        succeeded_at = COALESCE(?8, succeeded_at),
        updated_at = ?9
    WHERE profile_id = ?1 AND out_refund_no = ?2";

impl Store {
    /// Reserves a refund before its request leaves: in one transaction it rejects an amount
    /// above the refundable rest (total_fee minus refunds not FAILED or REFUNDCLOSE) and
    /// stores the refund as PENDING. Calling it again with the same out_refund_no, order and
    /// amount returns the stored refund instead of a second one. A FAILED refund is reset to
    /// PENDING, so the same number can be retried once the cause is fixed.
    pub fn begin_refund(
        &self,
        profile_id: &str,
        out_trade_no: &str,
        out_refund_no: &str,
        refund_fee: i64,
        reason: Option<&str>,
    ) -> Result<BegunRefund, StoreError> {
        check_out_refund_no(out_refund_no)?;
        check_refund_fee(refund_fee)?;

        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            let existing = select_refund(tx, profile_id, out_refund_no)?;
            if let Some(refund) = &existing {
                if refund.out_trade_no != out_trade_no || refund.refund_fee != refund_fee {
                    return Err(StoreError::RefundNoReused {
                        out_refund_no: out_refund_no.to_owned(),
                        existing_out_trade_no: refund.out_trade_no.clone(),
                        existing_fee: refund.refund_fee,
                    });
                }
                if refund.status != "FAILED" {
                    return Ok(BegunRefund {
                        refund: refund.clone(),
                        created: false,
                    });
                }
            }

            check_refundable(tx, profile_id, out_trade_no, out_refund_no, refund_fee)?;
            let now = now_unix();
            tx.prepare_cached(
                "INSERT INTO refunds (profile_id, out_refund_no, out_trade_no, refund_fee, reason,
                     status, requested_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING', ?6, ?6)
                 ON CONFLICT (profile_id, out_refund_no) DO UPDATE SET
                     status = 'PENDING', err_code = NULL, err_message = NULL,
                     reason = COALESCE(excluded.reason, refunds.reason),
                     requested_at = excluded.requested_at, updated_at = excluded.updated_at",
            )?
            .execute(params![
                profile_id,
                out_refund_no,
                out_trade_no,
                refund_fee,
                reason,
                now
            ])?;

            let event = NewEvent {
                out_trade_no: out_trade_no.to_owned(),
                at: Utc::now(),
                kind: "refund_requested".to_owned(),
                summary: format!("refund {out_refund_no} of {refund_fee} fen requested"),
                detail: serde_json::json!({
                    "out_refund_no": out_refund_no,
                    "refund_fee": refund_fee,
                    "reason": reason,
                    "retry_of_failed": existing.is_some(),
                }),
            };
            insert_event(tx, profile_id, &event)?;

            let refund = select_refund(tx, profile_id, out_refund_no)?
                .ok_or_else(|| refund_not_found(profile_id, out_refund_no))?;
            tracing::info!(
                profile_id,
                out_trade_no,
                out_refund_no,
                refund_fee,
                "refund reserved"
            );
            Ok(BegunRefund {
                refund,
                created: true,
            })
        })
    }

    /// Applies the outcome of a refund request or refundquery. A status never moves back
    /// (SUCCESS stays SUCCESS); a changed status is noted on the order's timeline and the
    /// order's refunded_fee is recomputed.
    pub fn update_refund(
        &self,
        profile_id: &str,
        out_refund_no: &str,
        update: &RefundUpdate,
    ) -> Result<Refund, StoreError> {
        check_refund_status(&update.status)?;
        self.write(|tx| {
            let before = select_refund(tx, profile_id, out_refund_no)?
                .ok_or_else(|| refund_not_found(profile_id, out_refund_no))?;
            let advances = status_advances(tx, &before.status, &update.status)?;
            tx.prepare_cached(UPDATE_REFUND)?.execute(params![
                profile_id,
                out_refund_no,
                advances,
                update.status,
                update.err_code,
                update.err_message,
                update.refund_id,
                update.succeeded_at.map(to_unix),
                now_unix(),
            ])?;
            let after = select_refund(tx, profile_id, out_refund_no)?
                .ok_or_else(|| refund_not_found(profile_id, out_refund_no))?;

            if after.status != before.status {
                tracing::info!(
                    profile_id,
                    out_refund_no,
                    status = %after.status,
                    err_code = after.err_code.as_deref(),
                    "refund status changed"
                );
                let event = NewEvent {
                    out_trade_no: after.out_trade_no.clone(),
                    at: Utc::now(),
                    kind: "refund_status".to_owned(),
                    summary: format!("refund {out_refund_no}: {}", after.status),
                    detail: serde_json::json!({
                        "out_refund_no": out_refund_no,
                        "status": after.status,
                        "err_code": after.err_code,
                        "err_message": after.err_message,
                    }),
                };
                insert_event(tx, profile_id, &event)?;
            }
            recompute_refunded(tx, profile_id, &after.out_trade_no)?;
            Ok(after)
        })
    }

    /// Lists refunds whose outcome is not final yet (PENDING or PROCESSING), oldest first,
    /// so that after a crash each is sent again or resolved with refundquery.
    pub fn pending_refunds(&self, profile_id: &str) -> Result<Vec<Refund>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {REFUND_COLUMNS} FROM refunds
             WHERE profile_id = ?1 AND status IN ('PENDING', 'PROCESSING')
             ORDER BY requested_at, id"
        ))?;
        let rows = statement.query_map([profile_id], refund_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn refunds_of_order(
        &self,
        profile_id: &str,
        out_trade_no: &str,
    ) -> Result<Vec<Refund>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {REFUND_COLUMNS} FROM refunds
             WHERE profile_id = ?1 AND out_trade_no = ?2 ORDER BY requested_at, id"
        ))?;
        let rows = statement.query_map(params![profile_id, out_trade_no], refund_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_refund(
        &self,
        profile_id: &str,
        out_refund_no: &str,
    ) -> Result<Option<Refund>, StoreError> {
        let conn = self.conn();
        select_refund(&conn, profile_id, out_refund_no)
    }

    /// Returns the amount that can still be refunded on an order: total_fee minus refunds
    /// that are not FAILED or REFUNDCLOSE.
    pub fn refundable_fee(&self, profile_id: &str, out_trade_no: &str) -> Result<i64, StoreError> {
        let conn = self.conn();
        let order = select_order(&conn, profile_id, out_trade_no)?
            .ok_or_else(|| order_not_found(profile_id, out_trade_no))?;
        let reserved = reserved_fee(&conn, profile_id, out_trade_no, "")?;
        Ok(order.total_fee - reserved)
    }
}

pub(crate) fn upsert_refund_row(
    tx: &Transaction<'_>,
    profile_id: &str,
    refund: &RefundUpsert,
    now: i64,
) -> Result<(), StoreError> {
    check_out_refund_no(&refund.out_refund_no)?;
    check_refund_status(&refund.status)?;
    check_refund_fee(refund.refund_fee)?;
    let inserted = tx.prepare_cached(UPSERT_REFUND)?.execute(params![
        profile_id,
        refund.out_refund_no,
        refund.out_trade_no,
        refund.refund_id,
        refund.refund_fee,
        refund.reason,
        refund.status,
        refund.err_code,
        refund.err_message,
        to_unix(refund.requested_at),
        refund.succeeded_at.map(to_unix),
        now,
    ]);
    match inserted {
        Err(rusqlite::Error::SqliteFailure(failure, _))
            if failure.code == rusqlite::ErrorCode::ConstraintViolation
                && failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            Err(order_not_found(profile_id, &refund.out_trade_no))
        }
        other => other.map(|_| ()).map_err(StoreError::from),
    }
}

/// Tells whether `new_status` outranks `old_status` (see refund_status_ranks in the schema).
fn status_advances(
    tx: &Transaction<'_>,
    old_status: &str,
    new_status: &str,
) -> Result<bool, StoreError> {
    let advances = tx
        .prepare_cached(
            "SELECT next.rank > stored.rank
             FROM refund_status_ranks AS next, refund_status_ranks AS stored
             WHERE next.status = ?1 AND stored.status = ?2",
        )?
        .query_row(params![new_status, old_status], |row| row.get(0))?;
    Ok(advances)
}

fn check_refundable(
    tx: &Transaction<'_>,
    profile_id: &str,
    out_trade_no: &str,
    out_refund_no: &str,
    refund_fee: i64,
) -> Result<(), StoreError> {
    let order = select_order(tx, profile_id, out_trade_no)?
        .ok_or_else(|| order_not_found(profile_id, out_trade_no))?;
    if order.trade_state != "SUCCESS" && order.trade_state != "REFUND" {
        return Err(StoreError::NotRefundable {
            out_trade_no: out_trade_no.to_owned(),
            trade_state: order.trade_state,
        });
    }

    let refundable_fee =
        order.total_fee - reserved_fee(tx, profile_id, out_trade_no, out_refund_no)?;
    if refund_fee > refundable_fee {
        return Err(StoreError::OverRefund {
            out_trade_no: out_trade_no.to_owned(),
            requested_fee: refund_fee,
            refundable_fee,
        });
    }
    Ok(())
}

/// Sums the refunds of an order that still hold money back, leaving out `except_out_refund_no`.
fn reserved_fee(
    conn: &rusqlite::Connection,
    profile_id: &str,
    out_trade_no: &str,
    except_out_refund_no: &str,
) -> Result<i64, StoreError> {
    let [first, second] = RELEASED_REFUND_STATUSES;
    let reserved = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(refund_fee), 0) FROM refunds
             WHERE profile_id = ?1 AND out_trade_no = ?2 AND out_refund_no <> ?3
               AND status NOT IN (?4, ?5)",
        )?
        .query_row(
            params![
                profile_id,
                out_trade_no,
                except_out_refund_no,
                first,
                second
            ],
            |row| row.get(0),
        )?;
    Ok(reserved)
}

fn check_refund_fee(refund_fee: i64) -> Result<(), StoreError> {
    if refund_fee > 0 {
        return Ok(());
    }
    Err(StoreError::InvalidValue {
        field: "refund_fee",
        value: refund_fee.to_string(),
        reason: "must be at least 1 fen",
    })
}

/// Checks out_refund_no against WeChat's rule (refund API, 9_4): 1 to 64 characters of
/// digits, letters and `_-|*@`.
fn check_out_refund_no(out_refund_no: &str) -> Result<(), StoreError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-|*@".contains(c);
    let valid = !out_refund_no.is_empty()
        && out_refund_no.len() <= MAX_OUT_REFUND_NO_LEN
        && out_refund_no.chars().all(allowed);
    if valid {
        return Ok(());
    }
    Err(StoreError::InvalidValue {
        field: "out_refund_no",
        value: out_refund_no.to_owned(),
        reason: "expected 1 to 64 characters of digits, letters and _-|*@",
    })
}

fn select_refund(
    conn: &rusqlite::Connection,
    profile_id: &str,
    out_refund_no: &str,
) -> Result<Option<Refund>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE profile_id = ?1 AND out_refund_no = ?2"
    ))?;
    Ok(statement
        .query_row(params![profile_id, out_refund_no], refund_from_row)
        .optional()?)
}

fn refund_from_row(row: &Row<'_>) -> rusqlite::Result<Refund> {
    Ok(Refund {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        out_refund_no: row.get(2)?,
        out_trade_no: row.get(3)?,
        refund_id: row.get(4)?,
        refund_fee: row.get(5)?,
        reason: row.get(6)?,
        status: row.get(7)?,
        err_code: row.get(8)?,
        err_message: row.get(9)?,
        requested_at: time_at(row, 10)?,
        succeeded_at: optional_time_at(row, 11)?,
        updated_at: time_at(row, 12)?,
    })
}

fn refund_not_found(profile_id: &str, out_refund_no: &str) -> StoreError {
    StoreError::RefundNotFound {
        profile_id: profile_id.to_owned(),
        out_refund_no: out_refund_no.to_owned(),
    }
}

fn order_not_found(profile_id: &str, out_trade_no: &str) -> StoreError {
    StoreError::OrderNotFound {
        profile_id: profile_id.to_owned(),
        out_trade_no: out_trade_no.to_owned(),
    }
}
