//! Explanations of bill files that could not be read, for the sync and import screens.

use super::Explained;
use crate::bill::BillError;

impl BillError {
    /// Explains why a bill file could not be read, with the line to look at.
    pub fn explain(&self) -> Explained {
        let (code, zh, en) = match self {
            BillError::Empty => (
                "BILL_EMPTY",
                "对账单文件是空的。请重新下载。".to_owned(),
                "The bill file is empty. Download it again.".to_owned(),
            ),
            BillError::MissingHeader { line } => (
                "BILL_NO_HEADER",
                format!("第 {line} 行不是对账单表头（交易时间,公众账号ID,…）。请确认选择的是微信支付交易账单。"),
                format!("Line {line} is not a bill header (交易时间,公众账号ID,...). Make sure the file is a WeChat Pay transaction bill."),
            ),
            BillError::UnknownLayout { line, .. } => (
                "BILL_UNKNOWN_LAYOUT",
                format!("第 {line} 行的表头格式无法识别。请下载“全部订单”“成功订单”或“退款订单”账单。"),
                format!("The header on line {line} has an unknown layout. Download an ALL, SUCCESS or REFUND bill."),
            ),
            BillError::MalformedRow { line, reason } => (
                "BILL_BAD_ROW",
                format!("第 {line} 行无法读取（{reason}）。文件可能被表格软件改动过，请使用原始文件。"),
                format!("Line {line} cannot be read ({reason}). A spreadsheet program may have changed the file; use the original."),
            ),
            BillError::MissingSummary => (
                "BILL_TRUNCATED",
                "对账单缺少末尾的汇总（总交易单数），文件可能不完整。请重新下载。".to_owned(),
                "The bill has no closing summary (总交易单数), so the file may be incomplete. Download it again.".to_owned(),
            ),
            BillError::SummaryMismatch { line, column, summary, rows } => (
                "BILL_SUMMARY_MISMATCH",
                format!("第 {line} 行汇总的{column}为 {summary}，但明细合计为 {rows}。文件可能不完整或被改动，请重新下载。"),
                format!("The summary on line {line} gives {column} {summary}, but the rows add up to {rows}. The file may be incomplete or altered; download it again."),
            ),
            BillError::TrailingContent { line } => (
                "BILL_TRAILING_CONTENT",
                format!("汇总之后的第 {line} 行还有内容。请使用原始的对账单文件。"),
                format!("Line {line} follows the summary. Use the original bill file."),
            ),
            BillError::Io { line, source } => (
                "BILL_UNREADABLE",
                format!("读取对账单第 {line} 行失败（{source}）。请确认文件是 UTF-8 文本。"),
                format!("Reading line {line} of the bill failed ({source}). Make sure the file is UTF-8 text."),
            ),
        };
        Explained::new(code, zh, en, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_errors_name_their_line() {
        let error = BillError::MalformedRow {
            line: 42,
            reason: "column 交易时间: invalid time".into(),
        };
        let explained = error.explain();
        assert_eq!(explained.code, "BILL_BAD_ROW");
        assert!(explained.zh.contains("第 42 行"));
        assert!(explained.en.contains("Line 42"));
        assert_eq!(BillError::MissingSummary.explain().code, "BILL_TRUNCATED");
    }
}
