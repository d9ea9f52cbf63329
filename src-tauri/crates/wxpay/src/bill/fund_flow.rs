//! downloadfundflow bills: one row per movement of money in a merchant account, and a
//! summary of income and expense counted against the rows. Same backtick-cell style as
//! the transaction bill.

use chrono::{DateTime, Utc};

use super::layout::Columns;
use super::{split_cells, BillError};
use crate::Fen;

/// One movement of money.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FundFlowRow {
    pub line: usize,
    /// 记账时间, read as Beijing time.
    pub time: DateTime<Utc>,
    /// 微信支付业务单号: the transaction_id or refund_id behind the movement.
    pub business_no: String,
    /// 资金流水单号.
    pub flow_no: String,
    /// 业务名称, for example 交易, 退款, 扣除交易手续费.
    pub business_name: String,
    pub business_type: String,
    /// True for 收入 (income), false for 支出 (expense).
    pub income: bool,
    /// 收支金额, always positive; `income` gives the direction.
    pub amount: Fen,
    /// 账户结余 after this movement.
    pub balance: Fen,
    /// 资金变更提交申请人.
    pub applicant: String,
    pub remark: Option<String>,
    /// 业务凭证号.
    pub voucher_no: Option<String>,
}

/// The summary block (资金流水总笔数, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FundFlowSummary {
    pub count: u64,
    pub income_count: u64,
    pub income: Fen,
    pub expense_count: u64,
    pub expense: Fen,
}

/// A whole fund-flow bill.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FundFlow {
    pub rows: Vec<FundFlowRow>,
    pub summary: FundFlowSummary,
}

const HEADER_FIRST: &str = "记账时间";
const SUMMARY_FIRST: &str = "资金流水总笔数";

/// Reads a fund-flow bill and checks its summary against the rows.
pub fn parse_fund_flow(text: &str) -> Result<FundFlow, BillError> {
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());

    let (header_line, header) = lines.next().ok_or(BillError::Empty)?;
    let header = header.trim_start_matches('\u{feff}');
    if !header.starts_with(HEADER_FIRST) {
        return Err(BillError::MissingHeader { line: header_line });
    }
    // Public samples spell the amount columns with full-width and with ASCII brackets.
    let names: Vec<String> = header
        .split(',')
        .map(|name| {
            name.trim()
                .replace(['（', '('], "(")
                .replace(['）', ')'], ")")
        })
        .collect();
    let columns = Columns::from_names(&names);

    let mut rows = Vec::new();
    for (line, text) in lines.by_ref() {
        if text.starts_with(SUMMARY_FIRST) {
            let (summary, summary_line) = read_summary(text, lines.next())?;
            check(&rows, &summary, summary_line)?;
            if let Some((line, _)) = lines.next() {
                return Err(BillError::TrailingContent { line });
            }
            return Ok(FundFlow { rows, summary });
        }
        rows.push(read_row(&columns, text, line)?);
    }
    Err(BillError::MissingSummary)
}

fn malformed(line: usize, reason: impl Into<String>) -> BillError {
    BillError::MalformedRow {
        line,
        reason: reason.into(),
    }
}

fn cell<'a>(
    columns: &Columns,
    cells: &[&'a str],
    name: &str,
    line: usize,
) -> Result<&'a str, BillError> {
    columns
        .position(name)
        .and_then(|i| cells.get(i).copied())
        .ok_or_else(|| malformed(line, format!("column {name} is missing")))
}

fn read_row(columns: &Columns, text: &str, line: usize) -> Result<FundFlowRow, BillError> {
    let cells = split_cells(text, line)?;
    if cells.len() != columns.width {
        return Err(malformed(
            line,
            format!(
                "{} cells, expected {} as in the header",
                cells.len(),
                columns.width
            ),
        ));
    }
    let get = |name: &str| cell(columns, &cells, name, line);
    let fen = |name: &str| {
        let value = get(name)?;
        Fen::from_yuan(value).map_err(|e| malformed(line, format!("column {name}: {e}")))
    };
    let optional = |name: &str| get(name).ok().filter(|v| !v.is_empty()).map(str::to_owned);

    let time_text = get("记账时间")?.replace('：', ":");
    let time = crate::time::parse_dashed(&time_text)
        .map_err(|e| malformed(line, format!("column 记账时间: {e}")))?;
    let income = match get("收支类型")? {
        "收入" => true,
        "支出" => false,
        other => {
            return Err(malformed(
                line,
                format!("column 收支类型: unknown value {other:?}"),
            ))
        }
    };
    Ok(FundFlowRow {
        line,
        time,
        business_no: get("微信支付业务单号")?.to_owned(),
        flow_no: get("资金流水单号")?.to_owned(),
        business_name: get("业务名称")?.to_owned(),
        business_type: get("业务类型")?.to_owned(),
        income,
        amount: fen("收支金额(元)")?,
        balance: fen("账户结余(元)")?,
        applicant: get("资金变更提交申请人")?.to_owned(),
        remark: optional("备注"),
        voucher_no: optional("业务凭证号"),
    })
}

fn read_summary(
    header: &str,
    values: Option<(usize, &str)>,
) -> Result<(FundFlowSummary, usize), BillError> {
    let (line, values) = values.ok_or(BillError::MissingSummary)?;
    let names: Vec<String> = header.split(',').map(|n| n.trim().to_owned()).collect();
    let columns = Columns::from_names(&names);
    let cells = split_cells(values, line)?;
    let get = |name: &str| cell(&columns, &cells, name, line);
    // Counts appear as `20.0` in WeChat's documentation sample.
    let count = |name: &str| {
        let value = get(name)?;
        let whole = value.strip_suffix(".0").unwrap_or(value);
        whole
            .parse::<u64>()
            .map_err(|_| malformed(line, format!("column {name}: invalid count {value:?}")))
    };
    let fen = |name: &str| {
        let value = get(name)?;
        Fen::from_yuan(value).map_err(|e| malformed(line, format!("column {name}: {e}")))
    };
    let summary = FundFlowSummary {
        count: count("资金流水总笔数")?,
        income_count: count("收入笔数")?,
        income: fen("收入金额")?,
        expense_count: count("支出笔数")?,
        expense: fen("支出金额")?,
    };
    Ok((summary, line))
}

/// Adds amounts in i128, so that no file can overflow the sum.
fn sum_yuan<'a>(rows: impl Iterator<Item = &'a FundFlowRow>) -> String {
    let total: i128 = rows.map(|r| i128::from(r.amount.0)).sum();
    crate::money::format_scaled(total, 2)
}

fn check(rows: &[FundFlowRow], summary: &FundFlowSummary, line: usize) -> Result<(), BillError> {
    let incomes = rows.iter().filter(|r| r.income);
    let expenses = rows.iter().filter(|r| !r.income);
    let checks = [
        (
            "资金流水总笔数",
            summary.count.to_string(),
            rows.len().to_string(),
        ),
        (
            "收入笔数",
            summary.income_count.to_string(),
            incomes.clone().count().to_string(),
        ),
        (
            "收入金额",
            summary.income.to_yuan_string(),
            sum_yuan(incomes),
        ),
        (
            "支出笔数",
            summary.expense_count.to_string(),
            expenses.clone().count().to_string(),
        ),
        (
            "支出金额",
            summary.expense.to_yuan_string(),
            sum_yuan(expenses),
        ),
    ];
    for (column, summary, rows) in checks {
        if summary != rows {
            return Err(BillError::SummaryMismatch {
                line,
                column,
                summary,
                rows,
            });
        }
    }
    Ok(())
}
