//! One bill row and the bill's summary, read from cells by column name. Columns a
//! layout lacks are None.

use chrono::{DateTime, Utc};

use super::layout::Columns;
use crate::money::format_scaled;
use crate::{Fee, Fen};

/// One transaction line of a bill: a payment, or a refund of one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillRow {
    /// The line number in the file, from 1.
    pub line: usize,
    /// 交易时间, read as Beijing time.
    pub trade_time: DateTime<Utc>,
    pub appid: String,
    pub mch_id: String,
    /// 特约商户号 (子商户号 in the legacy layout); `0` when there is none.
    pub sub_mch_id: Option<String>,
    pub device_info: Option<String>,
    pub transaction_id: String,
    pub out_trade_no: String,
    /// 用户标识: the payer's openid.
    pub openid: String,
    pub trade_type: String,
    /// 交易状态: SUCCESS for a payment row, REFUND for a refund row, or REVOKED.
    pub trade_state: String,
    pub bank_type: String,
    pub fee_type: String,
    /// 应结订单金额: the settled amount (absent in the legacy layout).
    pub settlement_total_fee: Option<Fen>,
    /// 代金券金额 (代金券或立减优惠金额 in the legacy layout).
    pub coupon_fee: Fen,
    /// 微信退款单号, None on payment rows (where WeChat writes `0`).
    pub refund_id: Option<String>,
    pub out_refund_no: Option<String>,
    pub refund_fee: Option<Fen>,
    /// 充值券退款金额 (代金券或立减优惠退款金额 in the legacy layout).
    pub coupon_refund_fee: Option<Fen>,
    pub refund_type: Option<String>,
    pub refund_status: Option<String>,
    /// 商品名称, which may contain commas.
    pub body: String,
    /// 商户数据包: the order's attach.
    pub attach: Option<String>,
    /// 手续费, negative on refund rows, kept to five decimals.
    pub fee: Fee,
    /// 费率, as printed (for example `0.60%`).
    pub fee_rate: String,
    /// 订单金额 (总金额 in the legacy layout).
    pub total_fee: Option<Fen>,
    /// 申请退款金额.
    pub refund_request_fee: Option<Fen>,
    pub fee_remark: Option<String>,
    pub refund_apply_time: Option<DateTime<Utc>>,
    pub refund_success_time: Option<DateTime<Utc>>,
}

/// The totals block at the end of a bill (总交易单数, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillSummary {
    /// 总交易单数: the number of rows.
    pub count: u64,
    /// 应结订单总金额 (absent in the legacy layout).
    pub settlement_total_fee: Option<Fen>,
    /// 退款总金额 (总退款金额 in the legacy layout).
    pub refund_fee: Fen,
    /// 充值券退款总金额 (总代金券或立减优惠退款金额 in the legacy layout).
    pub coupon_refund_fee: Fen,
    /// 手续费总金额.
    pub fee: Fee,
    /// 订单总金额 (总交易额 in the legacy layout).
    pub total_fee: Option<Fen>,
    /// 申请退款总金额 (absent in the legacy layout).
    pub refund_request_fee: Option<Fen>,
}

/// A cell that cannot be read; the caller adds the line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellError(pub String);

/// Cells of one line, addressed by header name.
pub(crate) struct Cells<'a> {
    pub columns: &'a Columns,
    pub cells: &'a [&'a str],
}

impl<'a> Cells<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        self.columns
            .position(name)
            .and_then(|i| self.cells.get(i).copied())
    }

    fn text(&self, name: &str) -> Result<String, CellError> {
        self.get(name)
            .map(str::to_owned)
            .ok_or_else(|| CellError(format!("column {name} is missing")))
    }

    /// Returns the cell of the first name this layout has, for columns renamed between
    /// layouts.
    fn first_of(&self, names: &[&str]) -> Option<(&'a str, String)> {
        names
            .iter()
            .find_map(|name| self.get(name).map(|cell| (cell, (*name).to_owned())))
    }

    fn optional_text(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    /// Reads a number column where WeChat writes `0` for "none".
    fn optional_id(&self, name: &str) -> Option<String> {
        self.optional_text(name).filter(|v| v != "0")
    }

    fn fen(&self, names: &[&str]) -> Result<Option<Fen>, CellError> {
        let Some((cell, name)) = self.first_of(names) else {
            return Ok(None);
        };
        Fen::from_yuan(cell)
            .map(Some)
            .map_err(|e| CellError(format!("column {name}: {e}")))
    }

    fn required_fen(&self, names: &[&str]) -> Result<Fen, CellError> {
        self.fen(names)?
            .ok_or_else(|| CellError(format!("column {} is missing", names[0])))
    }

    fn fee(&self, name: &str) -> Result<Fee, CellError> {
        let cell = self.text(name)?;
        Fee::from_yuan(&cell).map_err(|e| CellError(format!("column {name}: {e}")))
    }

    fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, CellError> {
        let Some(cell) = self.optional_text(name) else {
            return Ok(None);
        };
        // The legacy sample in WeChat's docs prints full-width colons (16：33：45).
        let normalised = cell.replace('：', ":");
        crate::time::parse_dashed(&normalised)
            .map(Some)
            .map_err(|e| CellError(format!("column {name}: {e}")))
    }

    /// Reads one transaction row.
    pub fn row(&self, line: usize) -> Result<BillRow, CellError> {
        let trade_time = self
            .time("交易时间")?
            .ok_or_else(|| CellError("column 交易时间 is empty".into()))?;
        Ok(BillRow {
            line,
            trade_time,
            appid: self.text("公众账号ID")?,
            mch_id: self.text("商户号")?,
            sub_mch_id: self
                .first_of(&["特约商户号", "子商户号"])
                .map(|(cell, _)| cell.to_owned())
                .filter(|v| !v.is_empty()),
            device_info: self.optional_text("设备号"),
            transaction_id: self.text("微信订单号")?,
            out_trade_no: self.text("商户订单号")?,
            openid: self.text("用户标识")?,
            trade_type: self.text("交易类型")?,
            trade_state: self.text("交易状态")?,
            bank_type: self.text("付款银行")?,
            fee_type: self.text("货币种类")?,
            settlement_total_fee: self.fen(&["应结订单金额"])?,
            coupon_fee: self.required_fen(&["代金券金额", "代金券或立减优惠金额"])?,
            refund_id: self.optional_id("微信退款单号"),
            out_refund_no: self.optional_id("商户退款单号"),
            refund_fee: self.fen(&["退款金额"])?,
            coupon_refund_fee: self.fen(&["充值券退款金额", "代金券或立减优惠退款金额"])?,
            refund_type: self.optional_text("退款类型"),
            refund_status: self.optional_text("退款状态"),
            body: self.text("商品名称")?,
            attach: self.optional_text("商户数据包"),
            fee: self.fee("手续费")?,
            fee_rate: self.text("费率")?,
            total_fee: self.fen(&["订单金额", "总金额"])?,
            refund_request_fee: self.fen(&["申请退款金额"])?,
            fee_remark: self.optional_text("费率备注"),
            refund_apply_time: self.time("退款申请时间")?,
            refund_success_time: self.time("退款成功时间")?,
        })
    }

    /// Reads the summary row under the summary header.
    pub fn summary(&self) -> Result<BillSummary, CellError> {
        let count = self.text("总交易单数")?;
        let count = count
            .parse::<u64>()
            .map_err(|_| CellError(format!("column 总交易单数: invalid count {count:?}")))?;
        let fee = self.fee("手续费总金额")?;
        Ok(BillSummary {
            count,
            settlement_total_fee: self.fen(&["应结订单总金额"])?,
            refund_fee: self.required_fen(&["退款总金额", "总退款金额"])?,
            coupon_refund_fee: self
                .required_fen(&["充值券退款总金额", "总代金券或立减优惠退款金额"])?,
            fee,
            total_fee: self.fen(&["订单总金额", "总交易额"])?,
            refund_request_fee: self.fen(&["申请退款总金额"])?,
        })
    }
}

/// The sums of the rows read so far, to check against the summary. They are i128, so
/// no file, however hostile, can overflow them.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    pub count: u64,
    pub settlement_total_fee: i128,
    pub refund_fee: i128,
    pub coupon_refund_fee: i128,
    pub fee: i128,
    pub total_fee: i128,
    pub refund_request_fee: i128,
}

impl Totals {
    pub fn add(&mut self, row: &BillRow) {
        let fen = |value: Option<Fen>| value.map(|f| i128::from(f.0)).unwrap_or(0);
        self.count += 1;
        self.settlement_total_fee += fen(row.settlement_total_fee);
        self.refund_fee += fen(row.refund_fee);
        self.coupon_refund_fee += fen(row.coupon_refund_fee);
        self.fee += i128::from(row.fee.0);
        self.total_fee += fen(row.total_fee);
        self.refund_request_fee += fen(row.refund_request_fee);
    }

    /// Returns the first summary figure that differs from the rows' sum, as
    /// (column, summary text, sum text).
    pub fn mismatch(&self, summary: &BillSummary) -> Option<(&'static str, String, String)> {
        if summary.count != self.count {
            return Some((
                "总交易单数",
                summary.count.to_string(),
                self.count.to_string(),
            ));
        }
        let fen_checks = [
            (
                "应结订单总金额",
                summary.settlement_total_fee,
                self.settlement_total_fee,
            ),
            ("退款总金额", Some(summary.refund_fee), self.refund_fee),
            (
                "充值券退款总金额",
                Some(summary.coupon_refund_fee),
                self.coupon_refund_fee,
            ),
            ("订单总金额", summary.total_fee, self.total_fee),
            (
                "申请退款总金额",
                summary.refund_request_fee,
                self.refund_request_fee,
            ),
        ];
        for (name, expected, actual) in fen_checks {
            if let Some(expected) = expected {
                if i128::from(expected.0) != actual {
                    return Some((name, expected.to_yuan_string(), format_scaled(actual, 2)));
                }
            }
        }
        if i128::from(summary.fee.0) != self.fee {
            return Some((
                "手续费总金额",
                summary.fee.to_yuan_string(),
                format_scaled(self.fee, 5),
            ));
        }
        None
    }
}
