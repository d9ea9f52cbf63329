//! `wxmc bill parse` on ALL bills generated here, plain and GZIP, on a broken one, and on
//! WeChat's sample bill when the shared fixtures are on this machine.

mod support;

use std::io::Write;

use support::{fixtures, run};

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,\
交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,\
充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";

/// Builds an ALL bill of `count` payments of ¥(n+1).00, each followed by a refund of
/// ¥0.50 on every third order, with the summary that WeChat would write.
fn generated_bill(count: u32) -> String {
    let mut text = format!("\u{feff}{HEADER}\n");
    let (mut rows, mut paid, mut refunded, mut fee_e5) = (0u32, 0i64, 0i64, 0i64);
    for n in 0..count {
        let amount = i64::from(n + 1) * 100;
        let fee = amount * 6; // 0.6% of the amount, in 1/100000 yuan
        text.push_str(&format!(
            "`2026-12-03 {:02}:{:02}:05,`wx8a3c5e7f9b1d2460,`1612345678,`0,`,`42000000002026120300{n:08},\
             `T2026120300{n:04},`oUser{n},`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`{yuan},`0.00,`0,`0,`0.00,\
             `0.00,`,`,`咖啡, 大杯,`,`{fee},`0.60%,`{yuan},`0.00,`\n",
            8 + n / 60,
            n % 60,
            yuan = format_yuan(amount),
            fee = format_fee(fee),
        ));
        rows += 1;
        paid += amount;
        fee_e5 += fee;
        if n % 3 == 0 {
            text.push_str(&format!(
                "`2026-12-03 {:02}:{:02}:30,`wx8a3c5e7f9b1d2460,`1612345678,`0,`,`42000000002026120300{n:08},\
                 `T2026120300{n:04},`oUser{n},`NATIVE,`REFUND,`CMB_DEBIT,`CNY,`0.00,`0.00,\
                 `5030000000202612030{n:09},`R2026120300{n:04},`0.50,`0.00,`ORIGINAL,`SUCCESS,\
                 `咖啡, 大杯,`,`-0.00300,`0.60%,`0.00,`0.50,`\n",
                8 + n / 60,
                n % 60,
            ));
            rows += 1;
            refunded += 50;
            fee_e5 -= 300;
        }
    }
    text.push_str("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n");
    text.push_str(&format!(
        "`{rows},`{paid},`{refunded},`0.00,`{fee},`{paid},`{refunded}\n",
        paid = format_yuan(paid),
        refunded = format_yuan(refunded),
        fee = format_fee(fee_e5),
    ));
    text
}

fn format_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn format_fee(units: i64) -> String {
    let sign = if units < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:05}",
        units.abs() / 100_000,
        units.abs() % 100_000
    )
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is JSON"))
        .collect()
}

#[test]
fn parse_generated_bill_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bill.csv");
    std::fs::write(&path, generated_bill(10)).unwrap();

    let run = run(&["bill", "parse", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = json_lines(&run.stdout);
    // 10 payments and 4 refunds, then the summary.
    assert_eq!(lines.len(), 15);

    let first = &lines[0];
    assert_eq!(first["out_trade_no"], "T20261203000000");
    assert_eq!(first["total_fee"], 100);
    assert_eq!(first["settlement_total_fee"], 100);
    assert_eq!(first["fee"], "0.00600");
    assert_eq!(first["body"], "咖啡, 大杯");
    // 08:00:05 in Beijing is midnight UTC.
    assert_eq!(first["trade_time"], "2026-12-03T00:00:05Z");
    assert_eq!(first["line"], 2);

    let refund = &lines[1];
    assert_eq!(refund["trade_state"], "REFUND");
    assert_eq!(refund["refund_fee"], 50);
    assert_eq!(refund["fee"], "-0.00300");

    let summary = &lines[14]["summary"];
    assert_eq!(summary["count"], 14);
    assert_eq!(summary["total_fee"], 5500);
    assert_eq!(summary["refund_fee"], 200);
    assert_eq!(summary["fee"], "0.31800");
    assert_eq!(lines[14]["layout"], "all");
}

#[test]
fn parse_gzip_bill_by_content() {
    let dir = tempfile::tempdir().unwrap();
    // The name says CSV: GZIP is recognised by its magic bytes, not by the name.
    let path = dir.path().join("bill.csv");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(generated_bill(70).as_bytes()).unwrap();
    std::fs::write(&path, encoder.finish().unwrap()).unwrap();

    let run = run(&["bill", "parse", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = json_lines(&run.stdout);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["count"], 94);
    assert_eq!(lines.len(), 95);
}

#[test]
fn parse_broken_row_names_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.csv");
    let text = generated_bill(5);
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(index, line)| {
            if index == 3 {
                line.replacen("`2.00", "`2.0x", 1)
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&path, broken.join("\n")).unwrap();

    let run = run(&["bill", "parse", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("line 4"), "{}", run.stderr);
    assert!(run.stderr.contains("broken.csv"), "{}", run.stderr);
    assert!(!run.stdout.contains("summary"));
}

#[test]
fn parse_mismatched_summary_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bill.csv");
    let text = generated_bill(3).replace("`4,`6.00", "`4,`7.00");
    std::fs::write(&path, text).unwrap();

    let run = run(&["bill", "parse", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("add up"), "{}", run.stderr);
}

#[test]
fn parse_missing_file_fails() {
    let run = run(&["bill", "parse", "/nonexistent/bill.csv"], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("/nonexistent/bill.csv"),
        "{}",
        run.stderr
    );
}

#[test]
fn parse_fixture_sample_bill() {
    let Some(dir) = fixtures() else {
        return;
    };
    let path = dir.join("bill_all_sample.csv");
    let run = run(&["bill", "parse", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 154);
    assert_eq!(lines[0]["trade_time"], "2020-04-01T05:44:57Z");
    assert_eq!(lines[153]["summary"]["refund_fee"], 1_870_573);
    assert_eq!(lines[153]["summary"]["fee"], "17.92000");
}
