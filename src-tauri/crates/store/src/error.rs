//! Errors of the store. Each variant names the value involved and what to do about it.
//! SQLite's own errors are wrapped in an opaque type, so callers never name a rusqlite type.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[source] DatabaseError),

    #[error(
        "the database is locked by another process; close other copies of the console and \
         try again"
    )]
    Busy,

    #[error("database schema migration failed: {0}")]
    Migration(#[source] DatabaseError),

    #[error("invalid {field} {value:?}: {reason}")]
    InvalidValue {
        field: &'static str,
        value: String,
        reason: &'static str,
    },

    #[error("profile {profile_id} not found")]
    ProfileNotFound { profile_id: String },

    #[error("order {out_trade_no} not found in profile {profile_id}; sync or query it first")]
    OrderNotFound {
        profile_id: String,
        out_trade_no: String,
    },

    #[error("refund {out_refund_no} not found in profile {profile_id}")]
    RefundNotFound {
        profile_id: String,
        out_refund_no: String,
    },

    #[error(
        "order {out_trade_no} cannot be refunded in state {trade_state}; only paid orders \
         (SUCCESS or REFUND) can"
    )]
    NotRefundable {
        out_trade_no: String,
        trade_state: String,
    },

    #[error(
        "refund of {requested_fee} fen on order {out_trade_no} exceeds the refundable \
         {refundable_fee} fen (amount paid minus refunds not failed or closed)"
    )]
    OverRefund {
        out_trade_no: String,
        requested_fee: i64,
        refundable_fee: i64,
    },

    #[error(
        "out_refund_no {out_refund_no} is already used for {existing_fee} fen on order \
         {existing_out_trade_no}; choose a new refund number"
    )]
    RefundNoReused {
        out_refund_no: String,
        existing_out_trade_no: String,
        existing_fee: i64,
    },
}

/// An error of the database engine, kept opaque so that callers do not depend on it.
#[derive(Debug)]
pub struct DatabaseError(Box<dyn std::error::Error + Send + Sync>);

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        let busy = matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        if busy {
            StoreError::Busy
        } else {
            StoreError::Database(DatabaseError(Box::new(err)))
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(err: rusqlite_migration::Error) -> Self {
        StoreError::Migration(DatabaseError(Box::new(err)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_failure(code: std::ffi::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn busy_and_locked_map_to_busy() {
        let busy = StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_BUSY));
        let locked = StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_LOCKED));

        assert!(matches!(busy, StoreError::Busy), "{busy:?}");
        assert!(matches!(locked, StoreError::Busy), "{locked:?}");
    }

    #[test]
    fn other_failures_stay_database_errors() {
        let error = StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_CORRUPT));

        assert!(matches!(error, StoreError::Database(_)), "{error:?}");
        assert!(error.to_string().starts_with("database error: "));
    }
}
