//! The ledger: the simulator's state with lookup indexes, kept in the state folder as a
//! JSON snapshot (written atomically: temporary file, fsync, rename) and a journal of
//! the changes since. Handlers save (and fsync) each change before they reply, so an
//! accepted refund survives a crash.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use wxpay::{RefundStatus, TradeState};

use crate::journal::Journal;
use crate::model::{Order, State, STATE_FORMAT};

const STATE_FILE: &str = "ledger.json";

/// The journal is folded into a new snapshot once it has this many lines.
const COMPACT_AFTER: usize = 2_000;

/// How long a new refund stays PROCESSING unless the admin API changes it.
pub const DEFAULT_REFUND_DELAY_MS: u64 = 3_000;

/// How long a payment-code customer takes to enter the password.
pub const DEFAULT_PASSWORD_DELAY_MS: u64 = 5_000;

/// Errors from reading or writing the state file.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot read or write the state file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the state file {path} is not valid: {source}")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("the state file {path} has layout version {found}, expected {STATE_FORMAT}: move it away to start afresh")]
    Format { path: PathBuf, found: u32 },
    #[error("the state file {path} belongs to appid {appid} / mch_id {mch_id}: use another state folder for this merchant")]
    OtherMerchant {
        path: PathBuf,
        appid: String,
        mch_id: String,
    },
}

/// Position of a refund: order index, then refund index within the order.
pub type RefundPos = (usize, usize);

/// The state plus indexes over it.
pub struct Ledger {
    path: PathBuf,
    pub state: State,
    by_out_trade_no: HashMap<String, usize>,
    by_transaction_id: HashMap<String, usize>,
    by_out_refund_no: HashMap<String, RefundPos>,
    by_refund_id: HashMap<String, RefundPos>,
    journal: Journal,
    /// Orders changed since the last save.
    dirty: BTreeSet<usize>,
}

/// Changes made by one settling pass.
#[derive(Debug, Default)]
pub struct Settled {
    /// Orders whose customer finished entering the password and that turned SUCCESS.
    pub orders: usize,
    /// Indexes of those orders, for their payment notifies.
    pub paid: Vec<usize>,
    /// Refunds that turned SUCCESS.
    pub refunds: Vec<RefundPos>,
}

impl Settled {
    pub fn changed(&self) -> bool {
        self.orders > 0 || !self.refunds.is_empty()
    }
}

/// Merchant identity and seed of a ledger.
pub struct LedgerSeed<'a> {
    pub appid: &'a str,
    pub mch_id: &'a str,
    pub seed: u64,
    pub history_days: u32,
}

impl Ledger {
    /// Loads the state file in `dir`, or generates the seeded history and writes it when
    /// there is none yet.
    pub fn open(
        dir: &Path,
        seed: &LedgerSeed<'_>,
        now: DateTime<Utc>,
    ) -> Result<Ledger, LedgerError> {
        let path = dir.join(STATE_FILE);
        let mut state = match fs::read(&path) {
            Ok(bytes) => parse_state(&path, &bytes, seed)?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                crate::seed::fresh_state(seed, now)
            }
            Err(source) => return Err(LedgerError::Io { path, source }),
        };
        let journal = Journal::new(dir, &state);
        journal.replay(&mut state)?;
        crate::seed::extend_history(&mut state, seed.history_days, now);
        let mut ledger = Ledger {
            path,
            state,
            by_out_trade_no: HashMap::new(),
            by_transaction_id: HashMap::new(),
            by_out_refund_no: HashMap::new(),
            by_refund_id: HashMap::new(),
            journal,
            dirty: BTreeSet::new(),
        };
        ledger.reindex();
        ledger.compact()?;
        Ok(ledger)
    }

    /// Makes the changes since the last save durable: the changed orders and settings go
    /// to the journal, which is folded into a new snapshot when it grows long.
    pub fn save(&mut self) -> Result<(), LedgerError> {
        let orders = &self.state.orders;
        self.journal
            .append(self.dirty.iter().map(|&index| &orders[index]), &self.state)?;
        self.dirty.clear();
        if self.journal.lines() > COMPACT_AFTER {
            self.compact()?;
        }
        Ok(())
    }

    /// Writes the whole state as a new snapshot, then drops the journal it contains.
    fn compact(&mut self) -> Result<(), LedgerError> {
        self.write_snapshot()?;
        self.dirty.clear();
        self.journal.clear(&self.state)
    }

    /// Writes the snapshot atomically.
    fn write_snapshot(&self) -> Result<(), LedgerError> {
        let io_err = |source| LedgerError::Io {
            path: self.path.clone(),
            source,
        };
        let bytes = serde_json::to_vec(&self.state).map_err(|source| LedgerError::Corrupt {
            path: self.path.clone(),
            source,
        })?;
        let tmp = self.path.with_extension("json.tmp");
        let mut file = fs::File::create(&tmp).map_err(io_err)?;
        file.write_all(&bytes).map_err(io_err)?;
        file.sync_all().map_err(io_err)?;
        fs::rename(&tmp, &self.path).map_err(io_err)?;
        Ok(())
    }

    fn reindex(&mut self) {
        self.by_out_trade_no.clear();
        self.by_transaction_id.clear();
        self.by_out_refund_no.clear();
        self.by_refund_id.clear();
        for index in 0..self.state.orders.len() {
            self.index_order(index);
        }
    }

    /// Adds order `index` and its refunds to the indexes.
    pub fn index_order(&mut self, index: usize) {
        let order = &self.state.orders[index];
        self.by_out_trade_no
            .insert(order.out_trade_no.clone(), index);
        if let Some(tx) = &order.transaction_id {
            self.by_transaction_id.insert(tx.clone(), index);
        }
        for (n, refund) in order.refunds.iter().enumerate() {
            self.by_out_refund_no
                .insert(refund.out_refund_no.clone(), (index, n));
            self.by_refund_id
                .insert(refund.refund_id.clone(), (index, n));
        }
    }

    /// Finds an order, preferring transaction_id over out_trade_no as WeChat does
    /// (orderquery, 9_2).
    pub fn find_order(
        &self,
        transaction_id: Option<&str>,
        out_trade_no: Option<&str>,
    ) -> Option<usize> {
        match (transaction_id, out_trade_no) {
            (Some(tx), _) => self.by_transaction_id.get(tx).copied(),
            (None, Some(no)) => self.by_out_trade_no.get(no).copied(),
            (None, None) => None,
        }
    }

    pub fn find_refund_by_out_refund_no(&self, out_refund_no: &str) -> Option<RefundPos> {
        self.by_out_refund_no.get(out_refund_no).copied()
    }

    pub fn find_refund_by_id(&self, refund_id: &str) -> Option<RefundPos> {
        self.by_refund_id.get(refund_id).copied()
    }

    pub fn order(&self, index: usize) -> &Order {
        &self.state.orders[index]
    }

    /// Returns an order for changing; the next save writes it.
    pub fn order_mut(&mut self, index: usize) -> &mut Order {
        self.dirty.insert(index);
        &mut self.state.orders[index]
    }

    /// Adds a new order, indexes it and returns its index.
    pub fn push_order(&mut self, order: Order) -> usize {
        self.state.orders.push(order);
        let index = self.state.orders.len() - 1;
        self.index_order(index);
        self.dirty.insert(index);
        index
    }

    /// Moves every processing refund whose delay has passed to SUCCESS, and every
    /// USERPAYING order whose customer has entered the password to SUCCESS.
    pub fn settle_due(&mut self, now: DateTime<Utc>) -> Settled {
        let mut settled = Settled::default();
        for (index, order) in self.state.orders.iter_mut().enumerate() {
            if order.trade_state == TradeState::UserPaying {
                if let Some(pays_at) = order.pays_at.filter(|at| *at <= now) {
                    order.trade_state = TradeState::Success;
                    order.paid_at = Some(pays_at);
                    order.pays_at = None;
                    settled.orders += 1;
                    settled.paid.push(index);
                    self.dirty.insert(index);
                }
            }
            for (n, refund) in order.refunds.iter_mut().enumerate() {
                if refund.refund_status == RefundStatus::Processing && refund.settles_at <= now {
                    refund.refund_status = RefundStatus::Success;
                    refund.success_at = Some(refund.settles_at);
                    settled.refunds.push((index, n));
                    self.dirty.insert(index);
                }
            }
        }
        settled
    }

    pub fn password_delay(&self) -> Duration {
        Duration::milliseconds(i64::try_from(self.state.password_delay_ms).unwrap_or(i64::MAX))
    }

    pub fn refund_delay(&self) -> Duration {
        Duration::milliseconds(i64::try_from(self.state.refund_delay_ms).unwrap_or(i64::MAX))
    }
}

fn parse_state(path: &Path, bytes: &[u8], seed: &LedgerSeed<'_>) -> Result<State, LedgerError> {
    let state: State = serde_json::from_slice(bytes).map_err(|source| LedgerError::Corrupt {
        path: path.to_owned(),
        source,
    })?;
    if state.format != STATE_FORMAT {
        return Err(LedgerError::Format {
            path: path.to_owned(),
            found: state.format,
        });
    }
    if state.appid != seed.appid || state.mch_id != seed.mch_id {
        return Err(LedgerError::OtherMerchant {
            path: path.to_owned(),
            appid: state.appid,
            mch_id: state.mch_id,
        });
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock;
    use wxpay::Fen;

    fn seed() -> LedgerSeed<'static> {
        LedgerSeed {
            appid: "wx2421b1c4370ec43b",
            mch_id: "1900000109",
            seed: 11,
            history_days: 5,
        }
    }

    #[test]
    fn journal_replayed_on_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = Utc::now();
        let mut ledger = Ledger::open(dir.path(), &seed(), now).expect("open");
        ledger.order_mut(0).attach = "changed".to_owned();
        ledger.state.balance = Fen(42);
        ledger.save().expect("save");
        let journal = fs::read_to_string(dir.path().join("ledger.journal")).expect("journal");
        assert_eq!(journal.lines().count(), 2);

        let reopened = Ledger::open(dir.path(), &seed(), now).expect("reopen");
        assert_eq!(reopened.state, ledger.state);
        assert!(!dir.path().join("ledger.journal").exists());
    }

    #[test]
    fn history_extended_to_yesterday() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first_start = Utc::now() - Duration::days(3);
        let first = Ledger::open(dir.path(), &seed(), first_start).expect("open");
        let count = first.state.orders.len();
        drop(first);

        let now = Utc::now();
        let later = Ledger::open(dir.path(), &seed(), now).expect("reopen");
        let yesterday = clock::beijing_day(now) - Duration::days(1);
        assert_eq!(later.state.history_end, yesterday);
        assert!(
            later.state.orders.len() > count + 150,
            "{} orders",
            later.state.orders.len()
        );

        let fresh_dir = tempfile::tempdir().expect("temp dir");
        let fresh = Ledger::open(fresh_dir.path(), &seed(), now).expect("fresh");
        let on_yesterday = |ledger: &Ledger| -> Vec<Order> {
            ledger
                .state
                .orders
                .iter()
                .filter(|o| clock::beijing_day(o.created_at) == yesterday)
                .cloned()
                .collect()
        };
        assert_eq!(on_yesterday(&later), on_yesterday(&fresh));
    }

    #[test]
    fn torn_journal_line_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = Utc::now();
        let mut ledger = Ledger::open(dir.path(), &seed(), now).expect("open");
        ledger.order_mut(1).attach = "kept".to_owned();
        ledger.save().expect("save");
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("ledger.journal"))
            .expect("journal");
        file.write_all(br#"{"order":{"out_trade_no":"#)
            .expect("torn write");

        let reopened = Ledger::open(dir.path(), &seed(), now).expect("reopen");
        assert_eq!(reopened.order(1).attach, "kept");
        assert_eq!(reopened.state.orders.len(), ledger.state.orders.len());
    }

    #[test]
    fn corrupt_journal_middle_rejected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = Utc::now();
        Ledger::open(dir.path(), &seed(), now).expect("open");
        fs::write(
            dir.path().join("ledger.journal"),
            "not json\n{\"meta\":1}\n",
        )
        .expect("write");

        let err = Ledger::open(dir.path(), &seed(), now)
            .err()
            .expect("rejected");
        assert!(matches!(err, LedgerError::Corrupt { .. }), "{err}");
    }
}
