//! Daily fund-flow bills of the basic account in the downloadfundflow layout (9_18):
//! income for each payment, an expense for its service fee and one for each refund, with
//! the running balance, in the same backtick CSV style as trade bills.

use chrono::{DateTime, NaiveDate, Utc};
use wxpay::Fen;

use crate::bill::{cells_line, service_fee};
use crate::clock;
use crate::model::Order;

const HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";
const SUMMARY_HEAD: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

struct Entry {
    time: DateTime<Utc>,
    business_no: String,
    flow_no: String,
    name: &'static str,
    income: bool,
    amount: Fen,
    note: String,
    voucher: String,
}

/// Renders the basic account's flow for Beijing day `day`, or `None` when nothing moved.
/// The balance column starts from zero at the first day in the ledger.
// NOTE: the running balance ignores top-ups made through the admin API.
pub fn render(orders: &[Order], day: NaiveDate, mch_id: &str) -> Option<String> {
    let mut entries = entries(orders, mch_id);
    entries.sort_by_key(|e| e.time);

    let mut balance = Fen(0);
    let mut lines = Vec::new();
    let (mut income_count, mut income, mut expense_count, mut expense) = (0, Fen(0), 0, Fen(0));
    for entry in &entries {
        if entry.income {
            balance = balance + entry.amount;
        } else {
            balance = balance - entry.amount;
        }
        if clock::beijing_day(entry.time) != day {
            continue;
        }
        if entry.income {
            income_count += 1;
            income = income + entry.amount;
        } else {
            expense_count += 1;
            expense = expense + entry.amount;
        }
        lines.push(cells_line(&[
            clock::bill_time(entry.time),
            entry.business_no.clone(),
            entry.flow_no.clone(),
            entry.name.to_owned(),
            entry.name.to_owned(),
            if entry.income { "收入" } else { "支出" }.to_owned(),
            entry.amount.to_yuan_string(),
            balance.to_yuan_string(),
            "system".to_owned(),
            entry.note.clone(),
            entry.voucher.clone(),
        ]));
    }
    if lines.is_empty() {
        return None;
    }

    let mut out = format!("\u{feff}{HEADER}\n");
    lines.iter().for_each(|line| out.push_str(line));
    out.push_str(SUMMARY_HEAD);
    out.push('\n');
    out.push_str(&cells_line(&[
        (income_count + expense_count).to_string(),
        income_count.to_string(),
        income.to_yuan_string(),
        expense_count.to_string(),
        expense.to_yuan_string(),
    ]));
    Some(out)
}

fn entries(orders: &[Order], mch_id: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for order in orders {
        let (Some(transaction_id), Some(paid_at)) = (&order.transaction_id, order.paid_at) else {
            continue;
        };
        // A flow number is the mch_id, the day and a tail of the business number.
        let flow_no = |business_no: &str, at: DateTime<Utc>, kind: char| {
            let tail = &business_no[business_no.len().saturating_sub(9)..];
            format!(
                "{mch_id}{}{kind}{tail}",
                clock::beijing_day(at).format("%Y%m%d")
            )
        };
        entries.push(Entry {
            time: paid_at,
            business_no: transaction_id.clone(),
            flow_no: flow_no(transaction_id, paid_at, '1'),
            name: "交易",
            income: true,
            amount: order.total_fee,
            note: String::new(),
            voucher: order.out_trade_no.clone(),
        });
        let fee = service_fee(order.total_fee);
        if fee.0 > 0 {
            entries.push(Entry {
                time: paid_at,
                business_no: transaction_id.clone(),
                flow_no: flow_no(transaction_id, paid_at, '2'),
                name: "扣除交易手续费",
                income: false,
                amount: Fen(fee.0 / 1000),
                note: String::new(),
                voucher: order.out_trade_no.clone(),
            });
        }
        for refund in &order.refunds {
            entries.push(Entry {
                time: refund.requested_at,
                business_no: refund.refund_id.clone(),
                flow_no: flow_no(&refund.refund_id, refund.requested_at, '3'),
                name: "退款",
                income: false,
                amount: refund.refund_fee,
                note: refund.refund_desc.clone().unwrap_or_default(),
                voucher: format!("REF{transaction_id}"),
            });
        }
    }
    entries
}
