//! Append-only logs: every ad user action sent with WeChat's reply, and the audit log of who
//! did what. Both are listed newest first with keyset pagination on the row id.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::profiles::ensure_profile;
use crate::time::{json_at, optional_json_at, time_at, to_unix};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAdAction {
    pub at: DateTime<Utc>,
    /// The user action's action_type, for example "PURCHASE".
    pub action_type: String,
    /// The order the action reports, when it reports one.
    pub out_trade_no: Option<String>,
    /// The exact body sent to user_actions/add.
    pub request_json: serde_json::Value,
    /// WeChat's reply, absent when no reply arrived.
    pub response_json: Option<serde_json::Value>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdAction {
    pub id: i64,
    pub profile_id: String,
    pub at: DateTime<Utc>,
    pub action_type: String,
    pub out_trade_no: Option<String>,
    pub request_json: serde_json::Value,
    pub response_json: Option<serde_json::Value>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    /// The profile the action concerned, if any.
    pub profile_id: Option<String>,
    pub at: DateTime<Utc>,
    /// The person or part that acted, for example a staff name or "system".
    pub actor: String,
    /// The action taken, as a short machine word such as "refund" or "profile_saved".
    pub action: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub profile_id: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: serde_json::Value,
}

const AD_ACTION_COLUMNS: &str = "id, profile_id, at, action_type, out_trade_no, request_json, \
    response_json, errcode, errmsg";

impl Store {
    /// Logs one sent user action and returns its id.
    pub fn insert_ad_action(
        &self,
        profile_id: &str,
        action: &NewAdAction,
    ) -> Result<i64, StoreError> {
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            tx.prepare_cached(
                "INSERT INTO ad_actions (profile_id, at, action_type, out_trade_no, request_json,
                     response_json, errcode, errmsg)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                profile_id,
                to_unix(action.at),
                action.action_type,
                action.out_trade_no,
                action.request_json.to_string(),
                action.response_json.as_ref().map(|reply| reply.to_string()),
                action.errcode,
                action.errmsg,
            ])?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Lists logged user actions newest first, `limit` at a time, starting below the id
    /// `before_id` (the last id of the previous page).
    pub fn list_ad_actions(
        &self,
        profile_id: &str,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AdAction>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {AD_ACTION_COLUMNS} FROM ad_actions
             WHERE profile_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
        ))?;
        let rows = statement.query_map(
            params![profile_id, before_id.unwrap_or(i64::MAX), limit],
            ad_action_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Returns the latest user action logged for an order with the given action_type, so that
    /// an automatic report is sent only once per order.
    pub fn ad_action_of_order(
        &self,
        profile_id: &str,
        out_trade_no: &str,
        action_type: &str,
    ) -> Result<Option<AdAction>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {AD_ACTION_COLUMNS} FROM ad_actions
             WHERE profile_id = ?1 AND out_trade_no = ?2 AND action_type = ?3
             ORDER BY id DESC LIMIT 1"
        ))?;
        let action = statement
            .query_row(
                params![profile_id, out_trade_no, action_type],
                ad_action_from_row,
            )
            .optional()?;
        Ok(action)
    }

    /// Appends an entry to the audit log and returns its id.
    pub fn insert_audit(&self, entry: &NewAuditEntry) -> Result<i64, StoreError> {
        self.write(|tx| {
            if let Some(profile_id) = &entry.profile_id {
                ensure_profile(tx, profile_id)?;
            }
            tx.prepare_cached(
                "INSERT INTO audit_log (profile_id, at, actor, action, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                entry.profile_id,
                to_unix(entry.at),
                entry.actor,
                entry.action,
                entry.detail.to_string(),
            ])?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Lists audit entries newest first, `limit` at a time, starting below `before_id`.
    pub fn list_audit(
        &self,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT id, profile_id, at, actor, action, detail FROM audit_log
             WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(
            params![before_id.unwrap_or(i64::MAX), limit],
            audit_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn ad_action_from_row(row: &Row<'_>) -> rusqlite::Result<AdAction> {
    Ok(AdAction {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        at: time_at(row, 2)?,
        action_type: row.get(3)?,
        out_trade_no: row.get(4)?,
        request_json: json_at(row, 5)?,
        response_json: optional_json_at(row, 6)?,
        errcode: row.get(7)?,
        errmsg: row.get(8)?,
    })
}

fn audit_from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        at: time_at(row, 2)?,
        actor: row.get(3)?,
        action: row.get(4)?,
        detail: json_at(row, 5)?,
    })
}
