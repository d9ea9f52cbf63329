//! The order timeline: one row per thing that happened to an order (created, paid, notified,
//! queried, refund requested, refund status changed), each with a JSON detail.

use chrono::{DateTime, Utc};
use rusqlite::{params, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::profiles::ensure_profile;
use crate::time::{json_at, time_at, to_unix};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    pub out_trade_no: String,
    pub at: DateTime<Utc>,
    /// A short machine word such as "created", "paid", "notified" or "queried".
    pub kind: String,
    /// One line for the timeline.
    pub summary: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub profile_id: String,
    pub out_trade_no: String,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub summary: String,
    pub detail: serde_json::Value,
}

impl Store {
    /// Appends an event to an order's timeline and returns its id.
    pub fn append_event(&self, profile_id: &str, event: &NewEvent) -> Result<i64, StoreError> {
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            insert_event(tx, profile_id, event)
        })
    }

    /// Lists an order's events, oldest first.
    pub fn events_of_order(
        &self,
        profile_id: &str,
        out_trade_no: &str,
    ) -> Result<Vec<Event>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT id, profile_id, out_trade_no, at, kind, summary, detail FROM events
             WHERE profile_id = ?1 AND out_trade_no = ?2 ORDER BY at, id",
        )?;
        let rows = statement.query_map(params![profile_id, out_trade_no], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn insert_event(
    tx: &Transaction<'_>,
    profile_id: &str,
    event: &NewEvent,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO events (profile_id, out_trade_no, at, kind, summary, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        profile_id,
        event.out_trade_no,
        to_unix(event.at),
        event.kind,
        event.summary,
        event.detail.to_string(),
    ])?;
    Ok(tx.last_insert_rowid())
}

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        out_trade_no: row.get(2)?,
        at: time_at(row, 3)?,
        kind: row.get(4)?,
        summary: row.get(5)?,
        detail: json_at(row, 6)?,
    })
}
