//! WeChat's enumerated words (trade_state, refund_status, trade_type, bill_type) as Rust
//! enums, each with its protocol word and the merchant platform's Chinese and English
//! labels.

use std::fmt;
use std::str::FromStr;

/// A word WeChat sent that this crate does not know for that field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {field} value {value:?}")]
pub struct UnknownValue {
    pub field: &'static str,
    pub value: String,
}

macro_rules! wechat_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $field:literal {
            $($variant:ident = $word:literal, $zh:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every value, in WeChat's documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// WeChat's word for this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// Returns the merchant platform's Chinese label.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            /// Returns the English label shown beside the Chinese one.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    other => Err(UnknownValue { field: $field, value: other.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wechat_enum! {
    /// The state of a payment, from orderquery or a notify (orderquery, 9_2).
    TradeState, "trade_state" {
        Success = "SUCCESS", "支付成功", "Paid";
        Refund = "REFUND", "转入退款", "Refunded";
        NotPay = "NOTPAY", "未支付", "Unpaid";
        Closed = "CLOSED", "已关闭", "Closed";
        Revoked = "REVOKED", "已撤销", "Reversed";
        UserPaying = "USERPAYING", "用户支付中", "Paying";
        PayError = "PAYERROR", "支付失败", "Failed";
    }
}

wechat_enum! {
    /// The state of one refund (refundquery, 9_5). CHANGE means the money could not reach
    /// the customer and needs handling in the merchant platform.
    RefundStatus, "refund_status" {
        Success = "SUCCESS", "退款成功", "Refunded";
        Processing = "PROCESSING", "退款处理中", "Processing";
        RefundClose = "REFUNDCLOSE", "退款关闭", "Closed";
        Change = "CHANGE", "退款异常", "Abnormal";
    }
}

wechat_enum! {
    /// The payment method (trade_type).
    TradeType, "trade_type" {
        Jsapi = "JSAPI", "公众号支付", "JSAPI";
        Native = "NATIVE", "扫码支付", "Native";
        Micropay = "MICROPAY", "付款码支付", "Payment code";
        App = "APP", "APP支付", "App";
        Mweb = "MWEB", "H5支付", "H5";
    }
}

wechat_enum! {
    /// The set of rows downloadbill returns.
    BillType, "bill_type" {
        All = "ALL", "所有订单", "All orders";
        Success = "SUCCESS", "成功支付的订单", "Paid orders";
        Refund = "REFUND", "退款订单", "Refunds";
        RechargeRefund = "RECHARGE_REFUND", "充值退款订单", "Refunds from recharge funds";
    }
}

wechat_enum! {
    /// The merchant account a downloadfundflow bill covers.
    AccountType, "account_type" {
        Basic = "Basic", "基本账户", "Basic account";
        Operation = "Operation", "运营账户", "Operation account";
        Fees = "Fees", "手续费账户", "Fees account";
    }
}

impl TradeState {
    /// Returns true unless WeChat may still move this state without the merchant acting.
    pub fn is_final(self) -> bool {
        !matches!(self, TradeState::NotPay | TradeState::UserPaying)
    }
}

impl RefundStatus {
    /// Returns true once the refund has left the processing state.
    pub fn is_final(self) -> bool {
        !matches!(self, RefundStatus::Processing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_words() {
        for state in TradeState::ALL {
            assert_eq!(state.as_str().parse::<TradeState>(), Ok(*state));
        }
        for status in RefundStatus::ALL {
            assert_eq!(status.as_str().parse::<RefundStatus>(), Ok(*status));
        }
        for kind in TradeType::ALL {
            assert_eq!(kind.as_str().parse::<TradeType>(), Ok(*kind));
        }
        for kind in BillType::ALL {
            assert_eq!(kind.as_str().parse::<BillType>(), Ok(*kind));
        }
    }

    #[test]
    fn enums_use_wechat_words() {
        assert_eq!(TradeState::NotPay.as_str(), "NOTPAY");
        assert_eq!(RefundStatus::RefundClose.as_str(), "REFUNDCLOSE");
        assert_eq!(TradeType::Mweb.as_str(), "MWEB");
        assert_eq!(BillType::RechargeRefund.as_str(), "RECHARGE_REFUND");
        assert_eq!(
            serde_json::to_string(&TradeState::UserPaying).unwrap(),
            "\"USERPAYING\""
        );
    }

    #[test]
    fn enums_reject_unknown_words() {
        let error = "PAID".parse::<TradeState>().unwrap_err();
        assert_eq!(error.field, "trade_state");
        assert_eq!(error.to_string(), "unknown trade_state value \"PAID\"");
    }

    #[test]
    fn labels_follow_merchant_platform() {
        assert_eq!(TradeState::Refund.label_zh(), "转入退款");
        assert_eq!(RefundStatus::Change.label_en(), "Abnormal");
        assert_eq!(TradeType::Native.label_zh(), "扫码支付");
    }
}
