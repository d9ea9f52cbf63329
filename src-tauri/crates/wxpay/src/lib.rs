//! WeChat Pay API v2 for the merchant console: signing, the XML envelope, typed calls,
//! notifies and bills. It owns the protocol and nothing else: no Tauri, no storage,
//! no secrets kept beyond the values a caller passes in.

pub mod enums;
pub mod key;
pub mod money;
pub mod sign;
pub mod xml;

pub use enums::{BillType, RefundStatus, TradeState, TradeType, UnknownValue};
pub use key::{ApiKey, KeyError};
pub use money::{AmountError, Fee, Fen};
pub use sign::SignType;

/// The fields of one v2 message, by name. Sorted by name in byte order, which is the
/// order signing needs.
pub type Fields = std::collections::BTreeMap<String, String>;
