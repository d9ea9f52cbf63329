//! The change journal beside the state snapshot: one JSON line per changed order, plus
//! a line with the merchant-wide settings and Official Account state when they change.
//! Appending a line and fsyncing it costs far less than rewriting the whole snapshot,
//! and replaying the journal over the snapshot on the next start restores every change.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use wxpay::Fen;

use crate::ledger::LedgerError;
use crate::model::{MpState, Order, State};

const JOURNAL_FILE: &str = "ledger.journal";

/// A journal line as written, borrowing from the state.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum EntryOut<'a> {
    Order(&'a Order),
    Meta(MetaOut<'a>),
}

/// A journal line as read back.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EntryIn {
    Order(Box<Order>),
    Meta(MetaIn),
}

#[derive(Serialize)]
struct MetaOut<'a> {
    balance: Fen,
    refund_delay_ms: u64,
    password_delay_ms: u64,
    mp: &'a MpState,
}

#[derive(Deserialize)]
struct MetaIn {
    balance: Fen,
    refund_delay_ms: u64,
    password_delay_ms: u64,
    mp: MpState,
}

/// The journal file and what was last written to it.
pub struct Journal {
    path: PathBuf,
    lines: usize,
    /// The meta line last written (or implied by the snapshot), to skip unchanged ones.
    last_meta: Vec<u8>,
}

impl Journal {
    pub fn new(dir: &Path, state: &State) -> Journal {
        Journal {
            path: dir.join(JOURNAL_FILE),
            lines: 0,
            last_meta: meta_line(state),
        }
    }

    /// Lines appended since the last compaction.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// Applies the journal, if there is one, to a state read from the snapshot. Orders
    /// replace the order with the same out_trade_no or are added. A torn last line (a
    /// crash during the append) is dropped; a bad line before it is an error.
    pub fn replay(&self, state: &mut State) -> Result<(), LedgerError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(self.io_error(source)),
        };
        let mut positions: HashMap<String, usize> = state
            .orders
            .iter()
            .enumerate()
            .map(|(index, order)| (order.out_trade_no.clone(), index))
            .collect();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        for (number, line) in lines.iter().enumerate() {
            let entry = match serde_json::from_str::<EntryIn>(line) {
                Ok(entry) => entry,
                Err(err) if number + 1 == lines.len() => {
                    tracing::warn!(path = %self.path.display(), %err, "dropping a torn last journal line");
                    break;
                }
                Err(source) => {
                    return Err(LedgerError::Corrupt {
                        path: self.path.clone(),
                        source,
                    })
                }
            };
            match entry {
                EntryIn::Order(order) => match positions.get(&order.out_trade_no) {
                    Some(&index) => state.orders[index] = *order,
                    None => {
                        positions.insert(order.out_trade_no.clone(), state.orders.len());
                        state.orders.push(*order);
                    }
                },
                EntryIn::Meta(meta) => {
                    state.balance = meta.balance;
                    state.refund_delay_ms = meta.refund_delay_ms;
                    state.password_delay_ms = meta.password_delay_ms;
                    state.mp = meta.mp;
                }
            }
        }
        Ok(())
    }

    /// Appends the given orders and, when it changed, the meta line, then fsyncs.
    pub fn append<'a>(
        &mut self,
        orders: impl Iterator<Item = &'a Order>,
        state: &State,
    ) -> Result<(), LedgerError> {
        let mut buffer = Vec::new();
        let mut count = 0;
        for order in orders {
            self.push_line(&mut buffer, &EntryOut::Order(order))?;
            count += 1;
        }
        let meta = meta_line(state);
        if meta != self.last_meta {
            buffer.extend_from_slice(&meta);
            buffer.push(b'\n');
            count += 1;
        }
        if count == 0 {
            return Ok(());
        }

        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.io_error(e))?;
        file.write_all(&buffer).map_err(|e| self.io_error(e))?;
        file.sync_data().map_err(|e| self.io_error(e))?;
        self.lines += count;
        self.last_meta = meta;
        Ok(())
    }

    /// Removes the journal after its changes went into a new snapshot.
    pub fn clear(&mut self, state: &State) -> Result<(), LedgerError> {
        match fs::remove_file(&self.path) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(self.io_error(source)),
        }
        self.lines = 0;
        self.last_meta = meta_line(state);
        Ok(())
    }

    fn push_line(&self, buffer: &mut Vec<u8>, entry: &EntryOut<'_>) -> Result<(), LedgerError> {
        serde_json::to_writer(&mut *buffer, entry).map_err(|source| LedgerError::Corrupt {
            path: self.path.clone(),
            source,
        })?;
        buffer.push(b'\n');
        Ok(())
    }

    fn io_error(&self, source: io::Error) -> LedgerError {
        LedgerError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

fn meta_line(state: &State) -> Vec<u8> {
    let meta = EntryOut::Meta(MetaOut {
        balance: state.balance,
        refund_delay_ms: state.refund_delay_ms,
        password_delay_ms: state.password_delay_ms,
        mp: &state.mp,
    });
    // Serialising these types into memory cannot fail, because they contain no maps with
    // non-string keys. An empty line would only force one extra meta line later.
    serde_json::to_vec(&meta).unwrap_or_default()
}
