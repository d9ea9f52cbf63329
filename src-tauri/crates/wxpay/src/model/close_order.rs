//! closeorder (关闭订单, 9_3): closes an unpaid order so it can no longer be paid.

use serde::{Deserialize, Serialize};

/// The outcome of closeorder. WeChat returns ORDERCLOSED for an order that was closed
/// before; for the merchant that is the same result, so it is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseOrderReply {
    Closed,
    AlreadyClosed,
}
