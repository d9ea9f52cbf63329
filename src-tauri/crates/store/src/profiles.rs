//! Merchant profiles: a shop's public identifiers (appid, mch_id) and whether it runs against
//! the sandbox or live WeChat. Secrets live in the keyring, never in this table.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::time::{time_at, to_unix};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileMode {
    Sandbox,
    Live,
}

impl ProfileMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileMode::Sandbox => "sandbox",
            ProfileMode::Live => "live",
        }
    }

    fn parse(value: &str) -> Result<Self, StoreError> {
        match value {
            "sandbox" => Ok(ProfileMode::Sandbox),
            "live" => Ok(ProfileMode::Live),
            _ => Err(StoreError::InvalidValue {
                field: "profile mode",
                value: value.to_owned(),
                reason: "expected sandbox or live",
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub mode: ProfileMode,
    pub appid: String,
    pub mch_id: String,
    pub created_at: DateTime<Utc>,
    pub active: bool,
}

const PROFILE_COLUMNS: &str = "id, name, mode, appid, mch_id, created_at, active";

impl Store {
    /// Inserts or updates a profile. The first creation time is kept. Saving a profile with
    /// `active` set makes it the only active one.
    pub fn save_profile(&self, profile: &Profile) -> Result<(), StoreError> {
        if profile.id.is_empty() {
            return Err(StoreError::InvalidValue {
                field: "profile id",
                value: String::new(),
                reason: "must not be empty",
            });
        }
        self.write(|tx| {
            if profile.active {
                tx.execute(
                    "UPDATE profiles SET active = 0 WHERE active = 1 AND id <> ?1",
                    [&profile.id],
                )?;
            }
            tx.execute(
                "INSERT INTO profiles (id, name, mode, appid, mch_id, created_at, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET
                     name = excluded.name, mode = excluded.mode, appid = excluded.appid,
                     mch_id = excluded.mch_id, active = excluded.active",
                params![
                    profile.id,
                    profile.name,
                    profile.mode.as_str(),
                    profile.appid,
                    profile.mch_id,
                    to_unix(profile.created_at),
                    profile.active,
                ],
            )?;
            Ok(())
        })
    }

    /// Lists profiles in creation order.
    pub fn list_profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {PROFILE_COLUMNS} FROM profiles ORDER BY created_at, id"
        ))?;
        let rows = statement.query_map([], profile_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_profile(&self, profile_id: &str) -> Result<Option<Profile>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {PROFILE_COLUMNS} FROM profiles WHERE id = ?1"
        ))?;
        Ok(statement
            .query_row([profile_id], profile_from_row)
            .optional()?)
    }

    pub fn active_profile(&self) -> Result<Option<Profile>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {PROFILE_COLUMNS} FROM profiles WHERE active = 1"
        ))?;
        Ok(statement.query_row([], profile_from_row).optional()?)
    }

    /// Makes one profile the active one and clears the flag on all others.
    pub fn set_active_profile(&self, profile_id: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("UPDATE profiles SET active = 0 WHERE active = 1", [])?;
            let changed =
                tx.execute("UPDATE profiles SET active = 1 WHERE id = ?1", [profile_id])?;
            if changed == 0 {
                return Err(StoreError::ProfileNotFound {
                    profile_id: profile_id.to_owned(),
                });
            }
            Ok(())
        })
    }
}

fn profile_from_row(row: &Row<'_>) -> rusqlite::Result<Profile> {
    let mode: String = row.get(2)?;
    let mode = ProfileMode::parse(&mode).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(err))
    })?;
    Ok(Profile {
        id: row.get(0)?,
        name: row.get(1)?,
        mode,
        appid: row.get(3)?,
        mch_id: row.get(4)?,
        created_at: time_at(row, 5)?,
        active: row.get(6)?,
    })
}

/// Fails with `ProfileNotFound` unless the profile exists, so that writes report a missing
/// profile by name instead of as a foreign key failure.
pub(crate) fn ensure_profile(
    conn: &rusqlite::Connection,
    profile_id: &str,
) -> Result<(), StoreError> {
    let found = conn
        .prepare_cached("SELECT 1 FROM profiles WHERE id = ?1")?
        .query_row([profile_id], |_| Ok(()))
        .optional()?;
    found.ok_or_else(|| StoreError::ProfileNotFound {
        profile_id: profile_id.to_owned(),
    })
}
