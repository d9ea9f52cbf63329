//! The bill reader on WeChat's public sample bills and on bills generated here.

mod common;

use common::fixture;
use wxpay::bill::{parse_bill, parse_fund_flow, BillError, BillLayout, BillReader};
use wxpay::{Fee, Fen};

fn sample(name: &str) -> Option<String> {
    fixture(name).map(|bytes| String::from_utf8(bytes).expect("sample bills are UTF-8"))
}

#[test]
fn all_sample_reads_every_row() {
    let Some(text) = sample("bill_all_sample.csv") else {
        return;
    };
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.layout, BillLayout::All);
    assert_eq!(bill.rows.len(), 153);
    assert_eq!(bill.summary.count, 153);
    assert_eq!(bill.summary.settlement_total_fee, Some(Fen(2_169_000)));
    assert_eq!(bill.summary.refund_fee, Fen(1_870_573));
    assert_eq!(bill.summary.fee, Fee(1_792_000));

    let first = &bill.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.trade_time.to_rfc3339(), "2020-04-01T05:44:57+00:00");
    assert_eq!(first.out_trade_no, "70379370416862011154184363335444");
    assert_eq!(first.trade_state, "SUCCESS");
    assert_eq!(first.settlement_total_fee, Some(Fen(30000)));
    assert_eq!(first.fee, Fee(180_000));
    assert_eq!(first.fee_rate, "0.60%");
    assert_eq!(first.body, "押金支付");
    assert_eq!(first.refund_id, None);
    assert_eq!(first.fee_remark, None);

    let refund = &bill.rows[1];
    assert_eq!(refund.trade_state, "REFUND");
    assert_eq!(
        refund.refund_id.as_deref(),
        Some("50300000002020040100000000001")
    );
    assert_eq!(refund.refund_fee, Some(Fen(26000)));
    assert_eq!(refund.fee, Fee(-156_000));
    assert_eq!(refund.refund_status.as_deref(), Some("SUCCESS"));
    let refunds = bill
        .rows
        .iter()
        .filter(|r| r.trade_state == "REFUND")
        .count();
    assert_eq!(refunds, 72);
}

#[test]
fn success_sample_has_twenty_columns() {
    let Some(text) = sample("bill_success_sample.csv") else {
        return;
    };
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.layout, BillLayout::Success);
    assert_eq!(bill.rows.len(), 81);
    assert_eq!(bill.summary.fee, Fee(13_014_000));
    assert!(bill.rows.iter().all(|r| r.refund_fee.is_none()));
    assert!(bill.rows.iter().all(|r| r.trade_state == "SUCCESS"));
}

#[test]
fn refund_sample_reads_refund_times() {
    let Some(text) = sample("bill_refund_sample.csv") else {
        return;
    };
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.layout, BillLayout::Refund);
    assert_eq!(bill.rows.len(), 72);
    assert_eq!(bill.summary.fee, Fee(-11_222_000));
    let first = &bill.rows[0];
    assert_eq!(
        first.refund_apply_time.unwrap().to_rfc3339(),
        "2020-04-01T06:16:13+00:00"
    );
    assert_eq!(
        first.refund_success_time.unwrap().to_rfc3339(),
        "2020-04-01T06:16:17+00:00"
    );
    assert_eq!(first.refund_request_fee, Some(Fen(26000)));
}

#[test]
fn legacy_sample_reads_full_width_colons() {
    let Some(text) = sample("bill_all_legacy_official.csv") else {
        return;
    };
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.layout, BillLayout::LegacyAll);
    assert_eq!(bill.rows.len(), 2);
    let first = &bill.rows[0];
    assert_eq!(first.trade_time.to_rfc3339(), "2014-11-10T08:33:45+00:00");
    assert_eq!(first.total_fee, Some(Fen(1)));
    assert_eq!(first.settlement_total_fee, None);
    assert_eq!(first.coupon_fee, Fen(0));
    assert_eq!(first.sub_mch_id.as_deref(), Some("0"));
    assert_eq!(first.attach.as_deref(), Some("订单额外描述"));
    assert_eq!(bill.summary.total_fee, Some(Fen(2)));
    assert_eq!(bill.summary.settlement_total_fee, None);
}

#[test]
fn fundflow_sample_is_not_a_bill() {
    let Some(text) = sample("fundflow_sample_official.csv") else {
        return;
    };
    assert!(matches!(
        parse_bill(&text),
        Err(BillError::MissingHeader { line: 1 })
    ));
}

/// Builds an ALL bill of `count` rows, with payment and refund rows alternating.
fn generated_bill(count: usize, newline: &str, bom: bool) -> String {
    let header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(header);
    out.push_str(newline);

    let (mut settled, mut refunded, mut fees) = (0i64, 0i64, 0i64);
    for i in 0..count {
        let amount = 100 + i as i64 * 7;
        let fee = amount * 600 / 1000;
        let refund = i % 2 == 1;
        let time = format!(
            "2026-01-01 {:02}:{:02}:{:02}",
            i / 3600 % 24,
            i / 60 % 60,
            i % 60
        );
        let fen = |f: i64| Fen(f).to_yuan_string();
        let cells: Vec<String> = if refund {
            refunded += amount;
            fees -= fee;
            vec![
                time,
                "wx2421b1c4370ec43b".into(),
                "10000100".into(),
                "0".into(),
                String::new(),
                format!("42000000002026010100000{i:05}"),
                format!("T{i}"),
                format!("oFakeOpenId{i:017}"),
                "NATIVE".into(),
                "REFUND".into(),
                "CMB_DEBIT".into(),
                "CNY".into(),
                "0.00".into(),
                "0.00".into(),
                format!("5030000000202601010000{i:07}"),
                format!("R{i}"),
                fen(amount),
                "0.00".into(),
                "ORIGINAL".into(),
                "SUCCESS".into(),
                "拿铁,大杯,双份".into(),
                String::new(),
                Fee(-fee).to_yuan_string(),
                "0.60%".into(),
                "0.00".into(),
                fen(amount),
                String::new(),
            ]
        } else {
            settled += amount;
            fees += fee;
            vec![
                time,
                "wx2421b1c4370ec43b".into(),
                "10000100".into(),
                "0".into(),
                "1000".into(),
                format!("42000000002026010100000{i:05}"),
                format!("T{i}"),
                format!("oFakeOpenId{i:017}"),
                "NATIVE".into(),
                "SUCCESS".into(),
                "CMB_DEBIT".into(),
                "CNY".into(),
                fen(amount),
                "0.00".into(),
                "0".into(),
                "0".into(),
                "0.00".into(),
                "0.00".into(),
                String::new(),
                String::new(),
                "拿铁,大杯".into(),
                "桌号 7".into(),
                Fee(fee).to_yuan_string(),
                "0.60%".into(),
                fen(amount),
                "0.00".into(),
                String::new(),
            ]
        };
        out.push('`');
        out.push_str(&cells.join(",`"));
        out.push_str(newline);
    }
    out.push_str("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额");
    out.push_str(newline);
    out.push_str(&format!(
        "`{count},`{},`{},`0.00,`{},`{},`{}{newline}",
        Fen(settled).to_yuan_string(),
        Fen(refunded).to_yuan_string(),
        Fee(fees).to_yuan_string(),
        Fen(settled).to_yuan_string(),
        Fen(refunded).to_yuan_string(),
    ));
    out
}

#[test]
fn generated_bill_with_crlf_and_bom() {
    let text = generated_bill(500, "\r\n", true);
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.rows.len(), 500);
    assert_eq!(bill.rows[0].body, "拿铁,大杯");
    assert_eq!(bill.rows[0].attach.as_deref(), Some("桌号 7"));
    assert_eq!(bill.rows[0].device_info.as_deref(), Some("1000"));
    assert_eq!(bill.rows[1].out_refund_no.as_deref(), Some("R1"));
    assert_eq!(bill.rows[1].fee, Fee(-64));
    assert_eq!(bill.rows[499].line, 501);
}

#[test]
fn generated_bill_with_lf() {
    let text = generated_bill(3, "\n", false);
    let bill = parse_bill(&text).unwrap();
    assert_eq!(bill.rows.len(), 3);
    assert_eq!(bill.summary.count, 3);
}

#[test]
fn reader_streams_rows_before_summary() {
    let text = generated_bill(4, "\n", false);
    let mut reader = BillReader::new(text.as_bytes()).unwrap();
    assert_eq!(reader.layout(), BillLayout::All);
    let first = reader.next().unwrap().unwrap();
    assert_eq!(first.out_trade_no, "T0");
    assert!(reader.summary().is_none());
    assert_eq!(reader.by_ref().count(), 3);
    assert_eq!(reader.summary().unwrap().count, 4);
}

#[test]
fn empty_bill_is_rejected() {
    assert!(matches!(parse_bill(""), Err(BillError::Empty)));
    assert!(matches!(parse_bill("\n\r\n"), Err(BillError::Empty)));
}

#[test]
fn bill_without_header_is_rejected() {
    let text = generated_bill(2, "\n", false);
    let headless: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    assert!(matches!(
        parse_bill(&headless),
        Err(BillError::MissingHeader { line: 1 })
    ));
}

#[test]
fn unknown_layout_is_rejected() {
    let text = "交易时间,公众账号ID,商户号\n`2026-01-01 00:00:00,`wx,`1\n";
    assert!(matches!(
        parse_bill(text),
        Err(BillError::UnknownLayout { line: 1, .. })
    ));
}

#[test]
fn malformed_row_names_its_line() {
    let text = generated_bill(3, "\n", false);
    let broken = text.replacen("`2026-01-01 00:00:01", "`2026-01-01 00:00:61", 1);
    match parse_bill(&broken) {
        Err(BillError::MalformedRow { line, reason }) => {
            assert_eq!(line, 3);
            assert!(reason.contains("交易时间"), "{reason}");
        }
        other => panic!("expected MalformedRow, got {other:?}"),
    }

    let short = text.replacen(",`0.60%", "", 1);
    assert!(matches!(
        parse_bill(&short),
        Err(BillError::MalformedRow { line: 2, .. })
    ));

    let bad_amount = text.replacen("`1.00,", "`1.0O,", 1);
    assert!(matches!(
        parse_bill(&bad_amount),
        Err(BillError::MalformedRow { line: 2, .. })
    ));
}

#[test]
fn summary_mismatch_is_rejected() {
    let text = generated_bill(3, "\n", false);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(2);
    let missing_row = lines.join("\n");
    match parse_bill(&missing_row) {
        Err(BillError::SummaryMismatch { column, .. }) => assert_eq!(column, "总交易单数"),
        other => panic!("expected SummaryMismatch, got {other:?}"),
    }
}

#[test]
fn truncated_bill_is_rejected() {
    let text = generated_bill(3, "\n", false);
    let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert!(matches!(parse_bill(&cut), Err(BillError::MissingSummary)));
}

#[test]
fn content_after_summary_is_rejected() {
    let mut text = generated_bill(1, "\n", false);
    text.push_str("`extra\n");
    assert!(matches!(
        parse_bill(&text),
        Err(BillError::TrailingContent { .. })
    ));
}

#[test]
fn fundflow_sample_summary_is_checked() {
    let Some(text) = sample("fundflow_sample_official.csv") else {
        return;
    };
    // The documentation sample's summary (20 entries) does not describe its one row.
    match parse_fund_flow(&text) {
        Err(BillError::SummaryMismatch { column, .. }) => assert_eq!(column, "资金流水总笔数"),
        other => panic!("expected SummaryMismatch, got {other:?}"),
    }

    let corrected = text.replace("`20.0,`17.0,`0.35,`3.0,`0.18", "`1.0,`0.0,`0.00,`1.0,`0.02");
    let flow = parse_fund_flow(&corrected).unwrap();
    assert_eq!(flow.rows.len(), 1);
    let row = &flow.rows[0];
    assert_eq!(row.time.to_rfc3339(), "2018-01-31T20:21:23+00:00");
    assert_eq!(row.business_no, "50000305742018020103387128253");
    assert_eq!(row.business_name, "退款");
    assert!(!row.income);
    assert_eq!(row.amount, Fen(2));
    assert_eq!(row.balance, Fen(17));
    assert_eq!(row.remark.as_deref(), Some("缺货"));
    assert_eq!(
        row.voucher_no.as_deref(),
        Some("REF4200000068201801293084726067")
    );
    assert_eq!(flow.summary.expense, Fen(2));
}

#[test]
fn fundflow_ascii_brackets_and_crlf() {
    let text = "\u{feff}记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号\r\n\
        `2026-01-01 12:01:05,`4200000000202601010000000001,`100001002026010110000000001,`交易,`交易,`收入,`18.00,`18.00,`system,`,`T1\r\n\
        `2026-01-01 12:01:05,`4200000000202601010000000001,`100001002026010120000000001,`扣除交易手续费,`扣除交易手续费,`支出,`0.11,`17.89,`system,`,`T1\r\n\
        资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n\
        `2,`1,`18.00,`1,`0.11\r\n";
    let flow = parse_fund_flow(text).unwrap();
    assert_eq!(flow.rows.len(), 2);
    assert!(flow.rows[0].income);
    assert_eq!(flow.rows[1].balance, Fen(1789));
    assert_eq!(flow.rows[1].remark, None);
    assert_eq!(flow.summary.income, Fen(1800));

    let bad = text.replace("`收入,", "`转入,");
    assert!(matches!(
        parse_fund_flow(&bad),
        Err(BillError::MalformedRow { line: 2, .. })
    ));
    let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert!(matches!(
        parse_fund_flow(&cut),
        Err(BillError::MissingSummary)
    ));
}

#[test]
fn huge_amounts_do_not_overflow() {
    // Two payment rows of 9 * 10^16 yuan: each fits in i64 fen, their sum does not.
    let huge = "`90000000000000000.00,`0.00,`0,`0,";
    let text = generated_bill(3, "\n", false)
        .replace("`1.00,`0.00,`0,`0,", huge)
        .replace("`1.14,`0.00,`0,`0,", huge);
    assert_eq!(text.matches(huge).count(), 2);
    match parse_bill(&text) {
        Err(BillError::SummaryMismatch { column, rows, .. }) => {
            assert_eq!(column, "应结订单总金额");
            assert_eq!(rows, "180000000000000000.00");
        }
        other => panic!("expected SummaryMismatch, got {other:?}"),
    }
}

#[test]
fn mutated_bills_never_panic() {
    use rand::{Rng, SeedableRng};
    let original: Vec<char> = generated_bill(6, "\r\n", true).chars().collect();
    let noise: Vec<char> = "`,\r\n.-0９：中\u{feff}".chars().collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    for _ in 0..2000 {
        let mut text = original.clone();
        for _ in 0..rng.gen_range(1..6) {
            let at = rng.gen_range(0..text.len());
            match rng.gen_range(0..3) {
                0 => text[at] = noise[rng.gen_range(0..noise.len())],
                1 => {
                    text.remove(at);
                }
                _ => text.insert(at, noise[rng.gen_range(0..noise.len())]),
            }
        }
        let text: String = text.into_iter().collect();
        let _ = parse_bill(&text);
        let _ = parse_fund_flow(&text);
    }
}
