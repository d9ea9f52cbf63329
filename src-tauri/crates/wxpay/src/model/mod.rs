//! Typed requests and replies of the v2 calls. Requests check WeChat's field limits
//! before anything is sent. Replies are read from fields whose signature was already
//! verified, and keep those fields for callers that need a field this crate does not name.

mod check;
mod close_order;
pub(crate) mod coupon;
mod micropay;
mod order_query;
mod reader;
mod refund;
mod refund_query;
mod unified_order;

pub use close_order::CloseOrderReply;
pub use coupon::Coupon;
pub use micropay::{MicropayPayment, MicropayReply, MicropayRequest, ReverseReply};
pub use order_query::{OrderQueryReply, OrderRef};
pub use refund::{RefundReply, RefundRequest};
pub use refund_query::{RefundItem, RefundQueryRef, RefundQueryReply, RefundQueryRequest};
pub use unified_order::{UnifiedOrderReply, UnifiedOrderRequest, UnifiedTradeType};

pub(crate) use reader::FieldReader;
