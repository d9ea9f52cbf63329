//! The local database: merchant profiles, orders, refunds, the order timeline, the ad action
//! log, the audit log and which bill days were synced, in one SQLite file.
//! Public types carry plain values (fen as i64, UTC times), never SQLite types, so that
//! another backend can sit behind the same operations. No secret is ever stored here.

mod db;
mod error;
mod events;
mod history;
mod logs;
mod orders;
mod profiles;
mod refunds;
mod states;
mod synced_days;
mod time;

pub use db::Store;
pub use error::{DatabaseError, StoreError};
pub use events::{Event, NewEvent};
pub use history::{OrderCursor, OrderFilter, OrderPage, OrderTotals, MAX_PAGE_SIZE};
pub use logs::{AdAction, AuditEntry, NewAdAction, NewAuditEntry};
pub use orders::{ImportSummary, Order, OrderSource, OrderUpsert};
pub use profiles::{Profile, ProfileMode};
pub use refunds::{BegunRefund, Refund, RefundUpdate, RefundUpsert};
pub use states::{REFUND_STATUSES, TRADE_STATES};
pub use synced_days::SyncedDay;
