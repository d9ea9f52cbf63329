//! WeChat Pay API v2 for the merchant console: signing, the XML envelope, typed calls,
//! notifies and bills. It owns the protocol and nothing else: no Tauri, no storage,
//! no secrets kept beyond the values a caller passes in.

pub mod api;
pub mod bill;
pub mod cert;
pub mod client;
pub mod config;
mod download;
pub mod enums;
pub mod error;
pub mod explain;
pub mod jsapi;
pub mod key;
pub mod micropay_flow;
pub mod model;
pub mod money;
pub mod notify;
pub mod refund_notify;
pub mod sign;
pub mod time;
pub mod xml;

pub use api::Api;
pub use cert::{identity_from_pem, identity_from_pkcs12, write_pkcs12, CertError};
pub use client::PayClient;
pub use config::{ClientIdentity, Hosts, PayConfig};
pub use enums::{AccountType, BillType, RefundStatus, TradeState, TradeType, UnknownValue};
pub use error::{
    BillDownloadError, ConfigError, DecryptError, PayError, ReplyError, RequestError, TransportKind,
};
pub use explain::Explained;
pub use jsapi::JsapiPayParams;
pub use key::{ApiKey, KeyError};
pub use micropay_flow::{MicropayOutcome, PollPolicy};
pub use money::{AmountError, Fee, Fen};
pub use notify::{parse_pay_notify, PayNotify, NOTIFY_ACK};
pub use refund_notify::{parse_refund_notify, RefundNotify};
pub use sign::SignType;

/// The fields of one v2 message, by name. Sorted by name in byte order, which is the
/// order signing needs.
pub type Fields = std::collections::BTreeMap<String, String>;
