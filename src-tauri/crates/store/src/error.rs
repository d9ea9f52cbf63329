//! Errors of the store. Each variant names the value involved and what to do about it.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("database schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),

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
