//! The seeded trade history a fresh simulator starts with: about a hundred orders a day
//! for a small shop, busier at lunch, in the evening and at weekends, with some refunds
//! and a few unpaid or closed orders. A day's orders depend only on the seed, the appid,
//! the day and the history's end, so later starts can add the days in between.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wxpay::{Fen, RefundStatus, TradeState, TradeType};

use crate::clock;
use crate::ids;
use crate::model::{Order, Refund};

/// What the history depends on.
#[derive(Debug, Clone, Copy)]
pub struct HistoryParams<'a> {
    pub appid: &'a str,
    pub seed: u64,
    pub days: u32,
    /// Last Beijing day of trade (yesterday when the simulator starts).
    pub end: NaiveDate,
}

/// Products of a café and corner shop with their unit price range in fen.
const PRODUCTS: &[(&str, i64, i64)] = &[
    ("美式咖啡", 1500, 2200),
    ("拿铁咖啡", 1800, 2800),
    ("生椰拿铁", 2000, 3000),
    ("手冲咖啡豆 250g", 6800, 12800),
    ("抹茶蛋糕", 2200, 3200),
    ("芝士蛋糕", 2500, 3600),
    ("可颂面包", 900, 1500),
    ("鲜榨橙汁", 1200, 1800),
    ("珍珠奶茶（大杯）", 1300, 1900),
    ("牛肉面", 2200, 3200),
    ("小笼包（一笼）", 1200, 1800),
    ("矿泉水", 300, 500),
    ("酸奶", 600, 1200),
    ("文具套装", 1990, 4990),
    ("保温杯", 6900, 15900),
    ("会员储值卡充值", 10000, 50000),
    ("生日蛋糕（6寸）", 16800, 26800),
    ("下午茶套餐", 4800, 8800),
];

/// Relative busyness of each Beijing hour of the day.
const HOUR_WEIGHTS: [u32; 24] = [
    1, 0, 0, 0, 0, 0, 1, 4, 8, 8, 7, 10, 14, 12, 7, 6, 7, 9, 12, 11, 8, 5, 3, 2,
];

const BANKS: &[(&str, u32)] = &[
    ("OTHERS", 40),
    ("CMB_DEBIT", 10),
    ("ICBC_DEBIT", 10),
    ("CCB_DEBIT", 9),
    ("ABC_DEBIT", 7),
    ("BOC_DEBIT", 5),
    ("COMM_DEBIT", 4),
    ("CMB_CREDIT", 6),
    ("SPDB_CREDIT", 4),
    ("CITIC_CREDIT", 5),
];

/// Generates the history in creation order.
pub fn generate(params: HistoryParams<'_>) -> Vec<Order> {
    let mut customer_rng = ChaCha8Rng::seed_from_u64(params.seed);
    let prefix = ids::openid_prefix(params.appid);
    let customers: Vec<String> = (0..600)
        .map(|_| ids::openid(&mut customer_rng, &prefix))
        .collect();
    let history_end = clock::day_start(params.end + Duration::days(1));

    let mut orders = Vec::new();
    for offset in (0..params.days).rev() {
        let day = params.end - Duration::days(i64::from(offset));
        let mut rng = ChaCha8Rng::seed_from_u64(day_seed(params.seed, day));
        let count = orders_on(&mut rng, day);
        let mut day_orders: Vec<Order> = (0..count)
            .map(|_| make_order(&mut rng, day, &customers))
            .collect();
        day_orders.sort_by_key(|o| o.created_at);
        for order in &mut day_orders {
            add_refunds(&mut rng, order, history_end);
        }
        orders.extend(day_orders);
    }
    orders
}

/// Mixes the seed with the day, so each day has its own random stream.
fn day_seed(seed: u64, day: NaiveDate) -> u64 {
    let days = u64::try_from(day.num_days_from_ce()).unwrap_or_default();
    seed ^ days.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn orders_on(rng: &mut ChaCha8Rng, day: NaiveDate) -> u32 {
    let weekday_factor = match day.weekday() {
        Weekday::Mon | Weekday::Tue => 0.85,
        Weekday::Wed | Weekday::Thu => 0.9,
        Weekday::Fri => 1.05,
        Weekday::Sat => 1.3,
        Weekday::Sun => 1.2,
    };
    let jitter: f64 = rng.gen_range(0.85..1.15);
    (100.0 * weekday_factor * jitter).round() as u32
}

fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

fn make_order(rng: &mut ChaCha8Rng, day: NaiveDate, customers: &[String]) -> Order {
    let hours: Vec<(u32, u32)> = HOUR_WEIGHTS
        .iter()
        .enumerate()
        .map(|(hour, weight)| (hour as u32, *weight))
        .collect();
    let hour = *weighted(rng, &hours);
    let created_at = clock::day_start(day)
        + Duration::hours(i64::from(hour))
        + Duration::seconds(rng.gen_range(0..3600));

    let trade_type = *weighted(
        rng,
        &[
            (TradeType::Jsapi, 45),
            (TradeType::Native, 25),
            (TradeType::Micropay, 30),
        ],
    );
    let (name, low, high) = PRODUCTS[rng.gen_range(0..PRODUCTS.len())];
    let quantity: i64 = *weighted(rng, &[(1, 80), (2, 15), (3, 5)]);
    // Shop prices end in whole jiao, so round the unit price to 10 fen.
    let unit = rng.gen_range(low..=high) / 10 * 10;
    let body = if quantity > 1 {
        format!("{name} x{quantity}")
    } else {
        name.to_owned()
    };

    let roll: u32 = rng.gen_range(0..100);
    let trade_state = match (trade_type, roll) {
        (TradeType::Micropay, _) => TradeState::Success,
        (_, 0..=2) => TradeState::NotPay,
        (_, 3..=4) => TradeState::Closed,
        _ => TradeState::Success,
    };
    let paid = trade_state == TradeState::Success;

    // Repeat customers: a quarter of the pool makes most of the orders. A Native or
    // payment-code order learns its payer only when paid.
    let regular = rng.gen_bool(0.6);
    let pool = if regular {
        &customers[..customers.len() / 4]
    } else {
        customers
    };
    let openid = if paid || trade_type == TradeType::Jsapi {
        pool.choose(rng).cloned()
    } else {
        None
    };
    let paid_at = paid.then(|| created_at + Duration::seconds(rng.gen_range(5..90)));
    let stamp = clock::stamp(created_at);

    Order {
        out_trade_no: format!("{stamp}{}", ids::digits(rng, 6)),
        transaction_id: paid.then(|| ids::transaction_id(rng, day)),
        trade_type,
        trade_state,
        body,
        attach: if rng.gen_bool(0.2) {
            format!("table={}", rng.gen_range(1..=20))
        } else {
            String::new()
        },
        total_fee: Fen(unit * quantity),
        openid,
        product_id: (trade_type == TradeType::Native)
            .then(|| format!("SKU{:04}", rng.gen_range(1..=300))),
        device_info: (trade_type == TradeType::Micropay).then(|| "POS-01".to_owned()),
        bank_type: paid.then(|| (*weighted(rng, BANKS)).to_owned()),
        spbill_create_ip: "127.0.0.1".to_owned(),
        notify_url: None,
        created_at,
        paid_at,
        closed_at: (trade_state == TradeState::Closed)
            .then(|| created_at + Duration::minutes(rng.gen_range(10..120))),
        pays_at: None,
        prepay_id: (trade_type != TradeType::Micropay).then(|| ids::prepay_id(rng, &stamp)),
        prepay_expires_at: (trade_type != TradeType::Micropay)
            .then(|| created_at + Duration::hours(2)),
        code_url: (trade_type == TradeType::Native).then(|| ids::code_url(rng)),
        refunds: Vec::new(),
    }
}

/// Refunds about one paid order in sixteen: mostly in full, otherwise in one or two parts.
fn add_refunds(
    rng: &mut ChaCha8Rng,
    order: &mut Order,
    history_end: chrono::DateTime<chrono::Utc>,
) {
    let Some(paid_at) = order.paid_at else {
        return;
    };
    if !rng.gen_bool(0.06) {
        return;
    }
    let parts: Vec<Fen> = if rng.gen_bool(0.6) || order.total_fee.0 < 200 {
        vec![order.total_fee]
    } else {
        let first = Fen(order.total_fee.0 * rng.gen_range(20..60) / 100);
        if rng.gen_bool(0.3) {
            let second = Fen((order.total_fee.0 - first.0) * rng.gen_range(20..80) / 100);
            vec![first, second]
        } else {
            vec![first]
        }
    };

    let mut at = paid_at;
    for refund_fee in parts {
        at += Duration::minutes(rng.gen_range(10..2 * 24 * 60));
        let success_at = at + Duration::seconds(rng.gen_range(3..60));
        if success_at >= history_end {
            break;
        }
        let day = clock::beijing_day(at);
        order.refunds.push(Refund {
            out_refund_no: format!("RF{}{}", clock::stamp(at), ids::digits(rng, 4)),
            refund_id: ids::refund_id(rng, day),
            refund_fee,
            total_fee: order.total_fee,
            refund_desc: Some("顾客申请退款".to_owned()),
            refund_account: "REFUND_SOURCE_UNSETTLED_FUNDS".to_owned(),
            refund_status: RefundStatus::Success,
            requested_at: at,
            settles_at: success_at,
            success_at: Some(success_at),
            notify_url: None,
        });
    }
    if !order.refunds.is_empty() {
        order.trade_state = TradeState::Refund;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(seed: u64) -> HistoryParams<'static> {
        HistoryParams {
            appid: "wx2421b1c4370ec43b",
            seed,
            days: 30,
            end: NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid date"),
        }
    }

    #[test]
    fn history_same_for_same_seed() {
        assert_eq!(generate(params(42)), generate(params(42)));
        assert_ne!(generate(params(42)), generate(params(43)));
    }

    #[test]
    fn history_has_realistic_mix() {
        let orders = generate(params(1));
        assert!(
            (2000..5000).contains(&orders.len()),
            "{} orders",
            orders.len()
        );

        let first_day = clock::beijing_day(orders[0].created_at);
        let last_day = clock::beijing_day(orders[orders.len() - 1].created_at);
        assert_eq!(
            first_day,
            NaiveDate::from_ymd_opt(2026, 2, 8).expect("valid")
        );
        assert_eq!(
            last_day,
            NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid")
        );

        let count = |state| orders.iter().filter(|o| o.trade_state == state).count();
        assert!(count(TradeState::Refund) > 50);
        assert!(count(TradeState::NotPay) > 10);
        assert!(count(TradeState::Closed) > 5);
        for order in &orders {
            assert!(
                order.refunded() <= order.total_fee,
                "{}",
                order.out_trade_no
            );
            if let Some(tx) = &order.transaction_id {
                assert_eq!(tx.len(), 28);
            }
            for refund in &order.refunds {
                assert_eq!(refund.refund_id.len(), 29);
            }
        }
        let jsapi = orders
            .iter()
            .filter(|o| o.trade_type == TradeType::Jsapi)
            .count();
        let micropay = orders
            .iter()
            .filter(|o| o.trade_type == TradeType::Micropay)
            .count();
        assert!(jsapi > orders.len() / 3);
        assert!(micropay > orders.len() / 5);
    }
}
