//! The record of imported bill days (Beijing dates, as downloadbill names them) and their row
//! counts, so that a sync skips days already done.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};

use crate::profiles::ensure_profile;
use crate::time::{time_at, to_unix};
use crate::{Store, StoreError};

/// Date format of the bill_date column; it sorts like the dates themselves.
const DATE_FORMAT: &str = "%Y-%m-%d";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedDay {
    pub bill_date: NaiveDate,
    pub rows: u64,
    pub synced_at: DateTime<Utc>,
}

impl Store {
    /// Records that the bill of `bill_date` was imported with `rows` rows, replacing an
    /// earlier record of that day.
    pub fn mark_synced_day(
        &self,
        profile_id: &str,
        bill_date: NaiveDate,
        rows: u64,
        synced_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let rows = i64::try_from(rows).map_err(|_| StoreError::InvalidValue {
            field: "bill rows",
            value: rows.to_string(),
            reason: "too large",
        })?;
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            tx.prepare_cached(
                "INSERT INTO synced_days (profile_id, bill_date, rows, synced_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (profile_id, bill_date) DO UPDATE SET
                     rows = excluded.rows, synced_at = excluded.synced_at",
            )?
            .execute(params![
                profile_id,
                bill_date.format(DATE_FORMAT).to_string(),
                rows,
                to_unix(synced_at),
            ])?;
            Ok(())
        })
    }

    /// Lists synced days from `from` to `to`, both included, in date order.
    pub fn list_synced_days(
        &self,
        profile_id: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SyncedDay>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT bill_date, rows, synced_at FROM synced_days
             WHERE profile_id = ?1 AND bill_date BETWEEN ?2 AND ?3 ORDER BY bill_date",
        )?;
        let rows = statement.query_map(
            params![
                profile_id,
                from.format(DATE_FORMAT).to_string(),
                to.format(DATE_FORMAT).to_string()
            ],
            synced_day_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn synced_day_from_row(row: &Row<'_>) -> rusqlite::Result<SyncedDay> {
    let text: String = row.get(0)?;
    let bill_date = NaiveDate::parse_from_str(&text, DATE_FORMAT).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
    })?;
    let rows: i64 = row.get(1)?;
    Ok(SyncedDay {
        bill_date,
        rows: rows.unsigned_abs(),
        synced_at: time_at(row, 2)?,
    })
}
