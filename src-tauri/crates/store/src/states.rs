//! The state words the store accepts. They are WeChat's words (pay API v2, orderquery and
//! refundquery), plus PENDING and FAILED, refund states that only this console records.

use crate::StoreError;

/// trade_state values of orderquery.
pub const TRADE_STATES: [&str; 7] = [
    "SUCCESS",
    "REFUND",
    "NOTPAY",
    "CLOSED",
    "REVOKED",
    "USERPAYING",
    "PAYERROR",
];

/// Refund statuses: PENDING (written before the request leaves), WeChat's PROCESSING,
/// SUCCESS, REFUNDCLOSE and CHANGE, and FAILED (WeChat rejected the request).
pub const REFUND_STATUSES: [&str; 6] = [
    "PENDING",
    "PROCESSING",
    "SUCCESS",
    "REFUNDCLOSE",
    "CHANGE",
    "FAILED",
];

/// Refund statuses whose amount is no longer taken from the order's refundable rest.
pub(crate) const RELEASED_REFUND_STATUSES: [&str; 2] = ["FAILED", "REFUNDCLOSE"];

pub(crate) fn check_trade_state(value: &str) -> Result<(), StoreError> {
    check_word("trade_state", value, &TRADE_STATES)
}

pub(crate) fn check_refund_status(value: &str) -> Result<(), StoreError> {
    check_word("refund status", value, &REFUND_STATUSES)
}

fn check_word(field: &'static str, value: &str, known: &[&str]) -> Result<(), StoreError> {
    if known.contains(&value) {
        return Ok(());
    }
    Err(StoreError::InvalidValue {
        field,
        value: value.to_owned(),
        reason: "not one of the known WeChat state words",
    })
}
