//! A deterministic order history for the history benchmark: a year of orders of several
//! trade types and states, with refunds on the refunded ones, made from a fixed seed.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::{OrderSource, OrderUpsert, RefundUpsert};

pub const PROFILE_ID: &str = "bench-shop";
/// Spread of creation times: one year ending at `history_end()`.
const SPAN_SECONDS: i64 = 365 * 24 * 3600;
/// Distinct payers; the history search looks one of them up.
pub const PAYERS: u64 = 20_000;

const BODIES: [&str; 6] = [
    "美式咖啡（大杯）",
    "拿铁 + 可颂套餐",
    "会员充值 200 元",
    "手冲咖啡豆 250g",
    "抹茶蛋糕, 两块",
    "外卖配送费",
];
const TRADE_TYPES: [&str; 3] = ["JSAPI", "NATIVE", "MICROPAY"];

/// Returns the creation time just after the newest generated order.
pub fn history_end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0)
        .single()
        .expect("2026-11-30 16:00 UTC is a valid time")
}

pub fn payer_openid(payer: u64) -> String {
    format!("oBench{payer:08}")
}

/// Generates orders `first..first + count` of a history of `total` orders, with the
/// refunds of the refunded ones. The same arguments always give the same rows.
pub fn generate(first: u64, count: u64, total: u64) -> (Vec<OrderUpsert>, Vec<RefundUpsert>) {
    let mut orders = Vec::with_capacity(count as usize);
    let mut refunds = Vec::new();
    let start = history_end() - Duration::seconds(SPAN_SECONDS);
    let step = SPAN_SECONDS as f64 / total.max(1) as f64;
    for i in first..first + count {
        // One generator per order, so a batch does not depend on the batches before it.
        let mut rng = ChaCha8Rng::seed_from_u64(i);
        let created_at = start + Duration::seconds((i as f64 * step) as i64);
        let trade_state = match rng.gen_range(0..100) {
            0..=69 => "SUCCESS",
            70..=77 => "REFUND",
            78..=87 => "NOTPAY",
            88..=97 => "CLOSED",
            _ => "PAYERROR",
        };
        let paid = matches!(trade_state, "SUCCESS" | "REFUND");
        let total_fee: i64 = rng.gen_range(100..50_000);
        let coupon_fee = if rng.gen_range(0..10) == 0 {
            total_fee / 10
        } else {
            0
        };
        let paid_at = paid.then(|| created_at + Duration::seconds(rng.gen_range(5..120)));
        let out_trade_no = format!("H{i:011}");
        if trade_state == "REFUND" {
            let requested_at = paid_at.unwrap_or(created_at) + Duration::hours(2);
            refunds.push(RefundUpsert {
                out_refund_no: format!("R{i:011}"),
                out_trade_no: out_trade_no.clone(),
                refund_id: Some(format!("50000{i:023}")),
                refund_fee: (total_fee / 2).max(1),
                reason: Some("顾客退货".to_owned()),
                status: "SUCCESS".to_owned(),
                err_code: None,
                err_message: None,
                requested_at,
                succeeded_at: Some(requested_at + Duration::minutes(1)),
            });
        }
        orders.push(OrderUpsert {
            out_trade_no,
            transaction_id: paid.then(|| format!("42000{i:023}")),
            trade_type: Some(TRADE_TYPES[rng.gen_range(0..TRADE_TYPES.len())].to_owned()),
            trade_state: trade_state.to_owned(),
            total_fee,
            cash_fee: paid.then_some(total_fee - coupon_fee),
            coupon_fee: paid.then_some(coupon_fee),
            body: Some(BODIES[rng.gen_range(0..BODIES.len())].to_owned()),
            attach: None,
            openid: Some(payer_openid(rng.gen_range(0..PAYERS))),
            bank_type: paid.then(|| "CMB_DEBIT".to_owned()),
            created_at,
            paid_at,
            source: OrderSource::Bill,
        });
    }
    (orders, refunds)
}
