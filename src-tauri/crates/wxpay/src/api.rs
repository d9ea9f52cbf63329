//! The pay API v2 calls and notifies this crate speaks, with their paths and the rules
//! that differ between them (client certificate, safe to repeat).

use std::fmt;

/// One v2 call, or one kind of notify WeChat sends to the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    UnifiedOrder,
    OrderQuery,
    CloseOrder,
    Refund,
    RefundQuery,
    DownloadBill,
    Micropay,
    Reverse,
    DownloadFundFlow,
    PayNotify,
    RefundNotify,
}

impl Api {
    /// Returns the URL path under the base URL, or None for a notify (WeChat calls us).
    pub fn path(self) -> Option<&'static str> {
        match self {
            Api::UnifiedOrder => Some("/pay/unifiedorder"),
            Api::OrderQuery => Some("/pay/orderquery"),
            Api::CloseOrder => Some("/pay/closeorder"),
            Api::Refund => Some("/secapi/pay/refund"),
            Api::RefundQuery => Some("/pay/refundquery"),
            Api::DownloadBill => Some("/pay/downloadbill"),
            Api::Micropay => Some("/pay/micropay"),
            Api::Reverse => Some("/secapi/pay/reverse"),
            Api::DownloadFundFlow => Some("/pay/downloadfundflow"),
            Api::PayNotify | Api::RefundNotify => None,
        }
    }

    /// Returns true for the calls that WeChat only accepts over mutual TLS with the
    /// merchant's client certificate (the /secapi paths and downloadfundflow).
    pub fn needs_client_certificate(self) -> bool {
        matches!(self, Api::Refund | Api::Reverse | Api::DownloadFundFlow)
    }

    /// Returns true when the backup host may be sent the same signed request after a
    /// connection failure to the primary. Failover resends the identical body, so:
    /// - orderquery, refundquery, downloadbill, downloadfundflow only read.
    /// - closeorder and reverse end in the same state however often they run, and
    ///   reverse replies recall=Y when it must be called again (reverse, 9_11).
    /// - refund is keyed by out_refund_no, and a repeat with the same number and fields
    ///   never refunds twice (refund, 9_4).
    /// - unifiedorder with the same out_trade_no and parameters places no second order,
    ///   because WeChat answers OUT_TRADE_NO_USED only when the parameters differ.
    ///
    /// micropay is left out. It charges the customer's balance at once with a one-time
    /// auth_code, and after a network failure WeChat's rule is to query the order and
    /// reverse it if unresolved (micropay, 9_10), not to charge again elsewhere. So a
    /// failed connection returns to the counter, which decides with the customer present.
    pub fn safe_to_repeat(self) -> bool {
        !matches!(self, Api::Micropay | Api::PayNotify | Api::RefundNotify)
    }

    /// WeChat's name for the call, as the docs title it.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::UnifiedOrder => "unifiedorder",
            Api::OrderQuery => "orderquery",
            Api::CloseOrder => "closeorder",
            Api::Refund => "refund",
            Api::RefundQuery => "refundquery",
            Api::DownloadBill => "downloadbill",
            Api::Micropay => "micropay",
            Api::Reverse => "reverse",
            Api::DownloadFundFlow => "downloadfundflow",
            Api::PayNotify => "pay notify",
            Api::RefundNotify => "refund notify",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
