//! Daily trade bills in WeChat's current downloadbill layout (9_6): a UTF-8 BOM, a header
//! of Chinese column names, rows whose cells each start with a backtick, then a summary
//! header and one summary row. Amounts are yuan with two decimals, fees with five.

use chrono::{DateTime, NaiveDate, Utc};
use wxpay::{BillType, Fee, Fen};

use crate::clock;
use crate::model::{Order, Refund};

/// The service fee rate, 0.6% as for most small merchants, in thousandths.
const FEE_RATE_PER_MILLE: i64 = 6;
const FEE_RATE_TEXT: &str = "0.60%";

const HEAD: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额";
const ALL_TAIL: &str = "微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUCCESS_TAIL: &str = "商品名称,商户数据包,手续费,费率,订单金额,费率备注";
const REFUND_TAIL: &str = "退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY_HEAD: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

/// The merchant a bill is for.
pub struct Merchant<'a> {
    pub appid: &'a str,
    pub mch_id: &'a str,
}

/// Computes the service fee on an amount, rounded to the fen per transaction.
pub fn service_fee(amount: Fen) -> Fee {
    let fen = (amount.0 * FEE_RATE_PER_MILLE + 500) / 1000;
    Fee(fen * 1000)
}

/// One bill row before rendering: the amounts feed the summary as well.
struct Row {
    time: DateTime<Utc>,
    cells: Vec<String>,
    settled: Fen,
    refunded: Fen,
    fee: Fee,
    ordered: Fen,
    requested_refund: Fen,
}

/// Renders the bill of Beijing day `day`, or `None` when the day has no rows (WeChat then
/// returns `No Bill Exist`). Payment rows are dated on the payment day, refund rows on the
/// refund's request day.
pub fn render(
    orders: &[Order],
    day: NaiveDate,
    bill_type: BillType,
    merchant: &Merchant<'_>,
) -> Option<String> {
    let on_day = |at: DateTime<Utc>| clock::beijing_day(at) == day;
    let mut rows = Vec::new();
    for order in orders {
        let paid_on_day = order.paid_at.is_some_and(on_day);
        if paid_on_day && matches!(bill_type, BillType::All | BillType::Success) {
            rows.push(payment_row(order, bill_type, merchant));
        }
        if matches!(bill_type, BillType::All | BillType::Refund) {
            for refund in order.refunds.iter().filter(|r| on_day(r.requested_at)) {
                rows.push(refund_row(order, refund, bill_type, merchant));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    rows.sort_by_key(|row| row.time);

    let tail = match bill_type {
        BillType::Success => SUCCESS_TAIL,
        BillType::Refund | BillType::RechargeRefund => REFUND_TAIL,
        BillType::All => ALL_TAIL,
    };
    let mut out = format!("\u{feff}{HEAD},{tail}\n");
    for row in &rows {
        out.push_str(&cells_line(&row.cells));
    }
    out.push_str(SUMMARY_HEAD);
    out.push('\n');
    out.push_str(&cells_line(&[
        rows.len().to_string(),
        rows.iter().map(|r| r.settled).sum::<Fen>().to_yuan_string(),
        rows.iter()
            .map(|r| r.refunded)
            .sum::<Fen>()
            .to_yuan_string(),
        Fen(0).to_yuan_string(),
        rows.iter().map(|r| r.fee).sum::<Fee>().to_yuan_string(),
        rows.iter().map(|r| r.ordered).sum::<Fen>().to_yuan_string(),
        rows.iter()
            .map(|r| r.requested_refund)
            .sum::<Fen>()
            .to_yuan_string(),
    ]));
    Some(out)
}

/// Joins backtick-prefixed cells into one CSV line, as WeChat writes every bill row.
pub fn cells_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|cell| format!("`{cell}"))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

fn head_cells(
    order: &Order,
    time: DateTime<Utc>,
    state: &str,
    settled: Fen,
    merchant: &Merchant<'_>,
) -> Vec<String> {
    vec![
        clock::bill_time(time),
        merchant.appid.to_owned(),
        merchant.mch_id.to_owned(),
        "0".to_owned(),
        order.device_info.clone().unwrap_or_default(),
        order.transaction_id.clone().unwrap_or_default(),
        order.out_trade_no.clone(),
        order.openid.clone().unwrap_or_default(),
        order.trade_type.as_str().to_owned(),
        state.to_owned(),
        order
            .bank_type
            .clone()
            .unwrap_or_else(|| "OTHERS".to_owned()),
        "CNY".to_owned(),
        settled.to_yuan_string(),
        Fen(0).to_yuan_string(),
    ]
}

fn payment_row(order: &Order, bill_type: BillType, merchant: &Merchant<'_>) -> Row {
    let time = order.paid_at.unwrap_or(order.created_at);
    let fee = service_fee(order.total_fee);
    let mut cells = head_cells(order, time, "SUCCESS", order.total_fee, merchant);
    if bill_type == BillType::All {
        cells.extend(["0", "0", "0.00", "0.00", "", ""].map(str::to_owned));
    }
    cells.push(order.body.clone());
    cells.push(order.attach.clone());
    cells.push(fee.to_yuan_string());
    cells.push(FEE_RATE_TEXT.to_owned());
    cells.push(order.total_fee.to_yuan_string());
    if bill_type == BillType::All {
        cells.push(Fen(0).to_yuan_string());
    }
    cells.push(String::new());
    Row {
        time,
        cells,
        settled: order.total_fee,
        refunded: Fen(0),
        fee,
        ordered: order.total_fee,
        requested_refund: Fen(0),
    }
}

fn refund_row(order: &Order, refund: &Refund, bill_type: BillType, merchant: &Merchant<'_>) -> Row {
    // The ALL bill dates a refund row at the refund request; the REFUND bill keeps the
    // payment time and adds the request and success times.
    let time = match bill_type {
        BillType::All => refund.requested_at,
        _ => order.paid_at.unwrap_or(order.created_at),
    };
    let fee = Fee(-service_fee(refund.refund_fee).0);
    let mut cells = head_cells(order, time, "REFUND", Fen(0), merchant);
    if bill_type != BillType::All {
        cells.push(clock::bill_time(refund.requested_at));
        cells.push(refund.success_at.map(clock::bill_time).unwrap_or_default());
    }
    cells.extend([
        refund.refund_id.clone(),
        refund.out_refund_no.clone(),
        refund.refund_fee.to_yuan_string(),
        Fen(0).to_yuan_string(),
        "ORIGINAL".to_owned(),
        refund.refund_status.as_str().to_owned(),
        order.body.clone(),
        order.attach.clone(),
        fee.to_yuan_string(),
        FEE_RATE_TEXT.to_owned(),
        Fen(0).to_yuan_string(),
        refund.refund_fee.to_yuan_string(),
        String::new(),
    ]);
    Row {
        time: refund.requested_at,
        cells,
        settled: Fen(0),
        refunded: refund.refund_fee,
        fee,
        ordered: Fen(0),
        requested_refund: refund.refund_fee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_fee_rounds_to_fen() {
        assert_eq!(service_fee(Fen(30000)).to_yuan_string(), "1.80000");
        assert_eq!(service_fee(Fen(1000)).to_yuan_string(), "0.06000");
        assert_eq!(service_fee(Fen(1234)).to_yuan_string(), "0.07000");
        assert_eq!(service_fee(Fen(50)).to_yuan_string(), "0.00000");
    }
}
