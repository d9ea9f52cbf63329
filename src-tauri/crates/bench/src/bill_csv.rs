//! A generated ALL bill (downloadbill 9_6, current 27-column layout) in two forms: as WeChat
//! writes it (BOM, backtick cells, summary) and as plain CSV rows for `sqlite3 .import`.

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Asia::Shanghai;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wxpay::{Fee, Fen};

pub const COLUMNS: [&str; 27] = [
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
];
const SUMMARY_COLUMNS: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const BODIES: [&str; 4] = [
    "美式咖啡（大杯）",
    "拿铁 + 可颂套餐",
    "抹茶蛋糕, 两块",
    "会员充值 200 元",
];
/// The service fee rate, 0.6% in thousandths, the rate the simulator's bills use too.
const FEE_PER_MILLE: i64 = 6;

/// The two renderings of the same rows.
pub struct GeneratedBill {
    pub wechat_text: String,
    pub plain_csv: String,
    pub rows: usize,
}

#[derive(Default)]
struct Sums {
    settled: i64,
    refunded: i64,
    fee: i64,
    ordered: i64,
    refund_requested: i64,
}

/// Generates `rows` rows over November 2026: about one in ten refunds half of an earlier
/// payment of the same bill.
pub fn generate(rows: usize) -> GeneratedBill {
    let mut rng = ChaCha8Rng::seed_from_u64(9_6);
    let mut header = COLUMNS.join(",");
    header.insert(0, '\u{feff}');
    let mut wechat_text = header + "\n";
    let mut plain_csv = String::new();
    let mut sums = Sums::default();
    let mut payments: Vec<(usize, i64)> = Vec::new();
    let start = Shanghai
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(2026, 11, 1)
                .and_then(|day| day.and_hms_opt(8, 0, 0))
                .expect("2026-11-01 08:00 is a valid time"),
        )
        .single()
        .expect("Beijing time has no gaps");
    let step_seconds = (30 * 24 * 3600 / rows.max(1)).max(1) as i64;

    for i in 0..rows {
        let time = (start + Duration::seconds(i as i64 * step_seconds))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        // Each payment is refunded at most once, so no refund exceeds its order.
        let refund_of = (i % 10 == 9 && !payments.is_empty())
            .then(|| payments.swap_remove(rng.gen_range(0..payments.len())));
        let cells = match refund_of {
            Some((order, total_fee)) => refund_cells(&time, order, i, total_fee, &mut sums),
            None => {
                let total_fee = rng.gen_range(100..50_000);
                payments.push((i, total_fee));
                payment_cells(&time, i, total_fee, &mut rng, &mut sums)
            }
        };
        push_wechat_line(&mut wechat_text, &cells);
        push_csv_line(&mut plain_csv, &cells);
    }

    wechat_text.push_str(SUMMARY_COLUMNS);
    wechat_text.push('\n');
    let summary = [
        rows.to_string(),
        Fen(sums.settled).to_yuan_string(),
        Fen(sums.refunded).to_yuan_string(),
        Fen(0).to_yuan_string(),
        Fee(sums.fee).to_yuan_string(),
        Fen(sums.ordered).to_yuan_string(),
        Fen(sums.refund_requested).to_yuan_string(),
    ];
    push_wechat_line(&mut wechat_text, &summary);
    GeneratedBill {
        wechat_text,
        plain_csv,
        rows,
    }
}

/// Computes the service fee of an amount in Fee units (1/100000 yuan), rounded to the fen.
fn service_fee(fen: i64) -> i64 {
    (fen * FEE_PER_MILLE + 500) / 1000 * 1000
}

fn head(time: &str, order: usize, state: &str, settled: i64) -> Vec<String> {
    vec![
        time.to_owned(),
        "wx5bench0000000001".to_owned(),
        "1900000201".to_owned(),
        "0".to_owned(),
        String::new(),
        format!("42000{order:023}"),
        format!("B{order:011}"),
        format!("oBill{:08}", order % 50_000),
        "NATIVE".to_owned(),
        state.to_owned(),
        "CMB_DEBIT".to_owned(),
        "CNY".to_owned(),
        Fen(settled).to_yuan_string(),
        "0.00".to_owned(),
    ]
}

fn payment_cells(
    time: &str,
    order: usize,
    total_fee: i64,
    rng: &mut ChaCha8Rng,
    sums: &mut Sums,
) -> Vec<String> {
    let fee = service_fee(total_fee);
    sums.settled += total_fee;
    sums.fee += fee;
    sums.ordered += total_fee;
    let mut cells = head(time, order, "SUCCESS", total_fee);
    cells.extend(["0", "0", "0.00", "0.00", "", ""].map(str::to_owned));
    cells.push(BODIES[rng.gen_range(0..BODIES.len())].to_owned());
    cells.push(format!("门店{}", order % 7));
    cells.push(Fee(fee).to_yuan_string());
    cells.push("0.60%".to_owned());
    cells.push(Fen(total_fee).to_yuan_string());
    cells.push("0.00".to_owned());
    cells.push(String::new());
    cells
}

fn refund_cells(
    time: &str,
    order: usize,
    row: usize,
    total_fee: i64,
    sums: &mut Sums,
) -> Vec<String> {
    let refund_fee = (total_fee / 2).max(1);
    let fee = -service_fee(refund_fee);
    sums.refunded += refund_fee;
    sums.fee += fee;
    sums.refund_requested += refund_fee;
    let mut cells = head(time, order, "REFUND", 0);
    cells.extend([
        format!("50000{row:023}"),
        format!("RB{row:010}"),
        Fen(refund_fee).to_yuan_string(),
        "0.00".to_owned(),
        "ORIGINAL".to_owned(),
        "SUCCESS".to_owned(),
        BODIES[order % BODIES.len()].to_owned(),
        format!("门店{}", order % 7),
        Fee(fee).to_yuan_string(),
        "0.60%".to_owned(),
        "0.00".to_owned(),
        Fen(refund_fee).to_yuan_string(),
        String::new(),
    ]);
    cells
}

fn push_wechat_line(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('`');
        out.push_str(cell);
    }
    out.push('\n');
}

/// Writes one RFC 4180 line, quoting cells that hold a comma or a quote.
fn push_csv_line(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}
