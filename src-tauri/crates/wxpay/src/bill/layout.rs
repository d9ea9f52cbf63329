//! The bill layouts downloadbill and the merchant platform produce, recognised by their
//! header row, and the position of each named column in that header.

use std::collections::HashMap;

/// One known bill layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillLayout {
    /// bill_type ALL: 27 columns, payments and refunds.
    All,
    /// bill_type SUCCESS: 20 columns, payments only.
    Success,
    /// bill_type REFUND: 29 columns, adds 退款申请时间 and 退款成功时间.
    Refund,
    /// The older ALL layout of 24 columns (总金额, 代金券或立减优惠金额, 子商户号).
    LegacyAll,
}

const COMMON: &[&str] = &[
    "交易时间",
    "公众账号ID",
    "商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
];
const CURRENT: &[&str] = &[
    "特约商户号",
    "应结订单金额",
    "代金券金额",
    "订单金额",
    "费率备注",
];
const REFUND_COLUMNS: &[&str] = &[
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "申请退款金额",
];
const REFUND_TIMES: &[&str] = &["退款申请时间", "退款成功时间"];
const LEGACY: &[&str] = &[
    "子商户号",
    "总金额",
    "代金券或立减优惠金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "代金券或立减优惠退款金额",
    "退款类型",
    "退款状态",
];

impl BillLayout {
    /// The header names this layout must have, beyond the common ones.
    fn own_columns(self) -> Vec<&'static str> {
        match self {
            BillLayout::All => [CURRENT, REFUND_COLUMNS].concat(),
            BillLayout::Success => CURRENT.to_vec(),
            BillLayout::Refund => [CURRENT, REFUND_COLUMNS, REFUND_TIMES].concat(),
            BillLayout::LegacyAll => LEGACY.to_vec(),
        }
    }

    /// Returns the number of columns WeChat documents for this layout.
    pub fn column_count(self) -> usize {
        match self {
            BillLayout::All => 27,
            BillLayout::Success => 20,
            BillLayout::Refund => 29,
            BillLayout::LegacyAll => 24,
        }
    }
}

/// Column positions of a header row, by name.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub width: usize,
    positions: HashMap<String, usize>,
}

impl Columns {
    pub fn from_names(names: &[String]) -> Columns {
        Columns {
            width: names.len(),
            positions: names
                .iter()
                .enumerate()
                .map(|(i, name)| (name.clone(), i))
                .collect(),
        }
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.positions.get(name).copied()
    }
}

/// The header of one bill: its layout and where each column sits.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub layout: BillLayout,
    pub columns: Columns,
}

impl Header {
    /// Recognises a header row, or returns None when no known layout has these names.
    /// The most specific layout is tried first, because REFUND has every ALL column.
    pub fn recognise(names: &[String]) -> Option<Header> {
        let columns = Columns::from_names(names);
        let has = |name: &str| columns.position(name).is_some();
        if !COMMON.iter().all(|name| has(name)) {
            return None;
        }
        let layout = [
            BillLayout::Refund,
            BillLayout::All,
            BillLayout::Success,
            BillLayout::LegacyAll,
        ]
        .into_iter()
        .find(|layout| layout.own_columns().iter().all(|name| has(name)))?;
        Some(Header { layout, columns })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(layout: BillLayout) -> Vec<String> {
        let mut all: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
        all.extend(layout.own_columns().iter().map(|s| s.to_string()));
        all
    }

    #[test]
    fn layouts_have_documented_widths() {
        for layout in [
            BillLayout::All,
            BillLayout::Success,
            BillLayout::Refund,
            BillLayout::LegacyAll,
        ] {
            assert_eq!(names(layout).len(), layout.column_count(), "{layout:?}");
            assert_eq!(Header::recognise(&names(layout)).unwrap().layout, layout);
        }
    }

    #[test]
    fn unknown_header_is_not_recognised() {
        let fundflow: Vec<String> = ["记账时间", "微信支付业务单号", "资金流水单号"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(Header::recognise(&fundflow).is_none());
    }
}
