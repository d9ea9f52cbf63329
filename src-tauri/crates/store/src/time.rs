//! Conversion between UTC times and the unix seconds stored in SQLite, and reading stored
//! JSON text back into values.

use chrono::{DateTime, Utc};
use rusqlite::types::Type;
use rusqlite::Row;

pub(crate) fn to_unix(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn now_unix() -> i64 {
    Utc::now().timestamp()
}

/// Reads a column of unix seconds as a UTC time.
pub(crate) fn time_at(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let seconds: i64 = row.get(index)?;
    DateTime::from_timestamp(seconds, 0)
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(index, seconds))
}

pub(crate) fn optional_time_at(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let seconds: Option<i64> = row.get(index)?;
    seconds
        .map(|value| {
            DateTime::from_timestamp(value, 0)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(index, value))
        })
        .transpose()
}

/// Reads a column of JSON text as a value.
pub(crate) fn json_at(row: &Row<'_>, index: usize) -> rusqlite::Result<serde_json::Value> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text)
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(err)))
}

pub(crate) fn optional_json_at(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<serde_json::Value>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| {
        serde_json::from_str(&text).map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(err))
        })
    })
    .transpose()
}
