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

    /// Returns true when sending the same request twice cannot do harm, so a backup host
    /// may be tried after a connection failure. Refunds and payment-code charges are
    /// left to the caller's own retry after a query, because they move money.
    pub fn safe_to_repeat(self) -> bool {
        !matches!(
            self,
            Api::Refund | Api::Micropay | Api::PayNotify | Api::RefundNotify
        )
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
