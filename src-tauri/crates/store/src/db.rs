//! Opening the SQLite file: connection settings, schema migrations and the single writer
//! connection that every operation goes through.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use crate::StoreError;

const MIGRATIONS: &[M<'static>] = &[M::up(include_str!("../migrations/0001_initial.sql"))];

/// How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The console's database. One connection behind a mutex serves writes and, for now, reads.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens or creates the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        let store = Self::prepare(conn, true)?;
        tracing::info!(path = %path.display(), "store opened");
        Ok(store)
    }

    /// Opens a private in-memory database, for unit tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::prepare(conn, false)
    }

    fn prepare(mut conn: Connection, wal: bool) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if wal {
            // WAL lets readers in other processes run while one writer commits.
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // NORMAL in WAL mode loses at most the last commits on power loss, never consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;

        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;

        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // Every write runs inside a transaction that rolls back when dropped, so a panic
        // while the lock was held leaves no half-written change behind.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in one IMMEDIATE transaction. It takes the write lock up front, so two
    /// writers (here or in another process) cannot both hold a read lock and then fail with
    /// SQLITE_BUSY when each tries to upgrade it.
    pub(crate) fn write<T>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        let migrations = Migrations::from_slice(MIGRATIONS);

        assert!(migrations.validate().is_ok());
    }

    #[test]
    fn open_sets_pragmas() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("console.db")).expect("open");
        let conn = store.conn();

        let journal: String = conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .expect("journal");
        let foreign_keys: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .expect("fk");
        let synchronous: i64 = conn
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .expect("sync");

        assert_eq!(journal, "wal");
        assert_eq!(foreign_keys, 1);
        assert_eq!(synchronous, 1, "1 is NORMAL");
    }

    #[test]
    fn reopen_keeps_schema_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("console.db");
        drop(Store::open(&path).expect("first open"));

        let store = Store::open(&path).expect("second open");
        let version: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("version");

        assert_eq!(version, MIGRATIONS.len() as i64);
    }
}
