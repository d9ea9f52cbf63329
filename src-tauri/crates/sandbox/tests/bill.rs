//! Bills over real HTTPS: downloadbill in WeChat's current layout (checked cell by cell
//! and against the summary row), GZIP, days without trade, and downloadfundflow.

mod common;

use std::io::Read;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate, Utc};
use common::{signed, Sandbox};
use wxpay::sign::SignType;
use wxpay::{Fee, Fen};

const ALL_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY_HEADER: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

fn yesterday() -> NaiveDate {
    (Utc::now().with_timezone(&chrono_tz::Asia::Shanghai) - Duration::days(1)).date_naive()
}

async fn bill(
    sandbox: &Sandbox,
    day: NaiveDate,
    bill_type: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let date = day.format("%Y%m%d").to_string();
    let mut pairs = vec![("bill_date", date.as_str()), ("bill_type", bill_type)];
    pairs.extend_from_slice(extra);
    sandbox
        .client
        .post(sandbox.url("/pay/downloadbill"))
        .body(wxpay::xml::encode(&signed(&pairs, SignType::Md5)))
        .send()
        .await
        .expect("bill request")
}

/// A parsed bill: header names, rows of cells without their backticks, summary.
struct Parsed {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    summary_header: String,
    summary: Vec<String>,
}

fn cells(line: &str) -> Vec<String> {
    assert!(line.starts_with('`'), "row without backtick: {line}");
    line[1..].split(",`").map(str::to_owned).collect()
}

fn parse(text: &str) -> Parsed {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("bill starts with a BOM");
    let lines: Vec<&str> = text.lines().collect();
    let summary_at = lines
        .iter()
        .position(|l| l.starts_with("总交易单数"))
        .expect("summary header present");
    assert_eq!(
        summary_at + 2,
        lines.len(),
        "one summary row closes the bill"
    );
    Parsed {
        header: lines[0].split(',').map(str::to_owned).collect(),
        rows: lines[1..summary_at].iter().map(|l| cells(l)).collect(),
        summary_header: lines[summary_at].to_owned(),
        summary: cells(lines[summary_at + 1]),
    }
}

fn column(parsed: &Parsed, name: &str) -> usize {
    parsed
        .header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} missing"))
}

fn fen_sum(parsed: &Parsed, name: &str) -> Fen {
    let index = column(parsed, name);
    parsed
        .rows
        .iter()
        .map(|row| Fen::from_yuan(&row[index]).expect("yuan amount"))
        .sum()
}

/// Finds a history day whose ALL bill has both payment and refund rows.
async fn day_with_refunds(sandbox: &Sandbox) -> (NaiveDate, String) {
    for back in 0..30 {
        let day = yesterday() - Duration::days(back);
        let text = bill(sandbox, day, "ALL", &[])
            .await
            .text()
            .await
            .expect("bill text");
        if text.contains(",`REFUND,") {
            return (day, text);
        }
    }
    panic!("no day with refunds in the seeded history");
}

#[tokio::test]
async fn all_bill_parses_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;
    let (day, text) = day_with_refunds(&sandbox).await;
    let parsed = parse(&text);

    assert_eq!(parsed.header.join(","), ALL_HEADER);
    assert_eq!(parsed.summary_header, SUMMARY_HEADER);
    assert!(parsed.rows.len() > 50, "{} rows", parsed.rows.len());
    for row in &parsed.rows {
        assert_eq!(row.len(), 27, "{row:?}");
        assert!(
            row[0].starts_with(&day.format("%Y-%m-%d").to_string()),
            "{row:?}"
        );
    }

    let summary = &parsed.summary;
    assert_eq!(summary.len(), 7);
    assert_eq!(summary[0], parsed.rows.len().to_string());
    assert_eq!(
        Fen::from_yuan(&summary[1]).expect("amount"),
        fen_sum(&parsed, "应结订单金额")
    );
    assert_eq!(
        Fen::from_yuan(&summary[2]).expect("amount"),
        fen_sum(&parsed, "退款金额")
    );
    assert_eq!(summary[3], "0.00");
    let fee_index = column(&parsed, "手续费");
    let fees: Fee = parsed
        .rows
        .iter()
        .map(|row| Fee::from_yuan(&row[fee_index]).expect("fee"))
        .sum();
    assert_eq!(Fee::from_yuan(&summary[4]).expect("fee"), fees);
    assert_eq!(summary[4].split('.').nth(1).map(str::len), Some(5));
    assert_eq!(
        Fen::from_yuan(&summary[5]).expect("amount"),
        fen_sum(&parsed, "订单金额")
    );
    assert_eq!(
        Fen::from_yuan(&summary[6]).expect("amount"),
        fen_sum(&parsed, "申请退款金额")
    );

    let state = column(&parsed, "交易状态");
    let refund_rows: Vec<_> = parsed
        .rows
        .iter()
        .filter(|r| r[state] == "REFUND")
        .collect();
    assert!(!refund_rows.is_empty());
    for row in refund_rows {
        assert_eq!(row[column(&parsed, "微信退款单号")].len(), 29);
        assert_eq!(row[column(&parsed, "应结订单金额")], "0.00");
        assert!(row[fee_index].starts_with('-'), "{row:?}");
    }
}

#[tokio::test]
async fn success_and_refund_layouts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;
    let (day, _) = day_with_refunds(&sandbox).await;

    let success = parse(
        &bill(&sandbox, day, "SUCCESS", &[])
            .await
            .text()
            .await
            .expect("text"),
    );
    assert_eq!(success.header.len(), 20);
    assert!(success.rows.iter().all(|r| r.len() == 20));
    assert_eq!(success.summary[0], success.rows.len().to_string());

    let refund = parse(
        &bill(&sandbox, day, "REFUND", &[])
            .await
            .text()
            .await
            .expect("text"),
    );
    assert_eq!(refund.header.len(), 29);
    assert_eq!(refund.header[14], "退款申请时间");
    assert_eq!(refund.header[15], "退款成功时间");
    assert!(refund.rows.iter().all(|r| r.len() == 29));
    assert_eq!(
        Fen::from_yuan(&refund.summary[2]).expect("amount"),
        fen_sum(&refund, "退款金额")
    );
    assert_eq!(refund.summary[1], "0.00");

    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures");
    if !fixtures.is_dir() {
        eprintln!(
            "note: {} is absent, skipping the comparison with sample bills",
            fixtures.display()
        );
        return;
    }
    for (file, ours) in [
        ("bill_success_sample.csv", &success),
        ("bill_refund_sample.csv", &refund),
    ] {
        let sample = std::fs::read_to_string(fixtures.join(file)).expect("fixture readable");
        let sample = parse(&sample);
        assert_eq!(sample.header, ours.header, "{file}");
        assert_eq!(sample.summary_header, ours.summary_header, "{file}");
    }
}

#[tokio::test]
async fn gzip_bill_matches_plain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;
    let day = yesterday() - Duration::days(2);

    let plain = bill(&sandbox, day, "ALL", &[])
        .await
        .bytes()
        .await
        .expect("bytes");
    let gzip = bill(&sandbox, day, "ALL", &[("tar_type", "GZIP")])
        .await
        .bytes()
        .await
        .expect("bytes");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut unpacked)
        .expect("valid gzip");
    assert_eq!(unpacked, plain.to_vec());
}

#[tokio::test]
async fn days_without_bills() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;

    let before_history = bill(&sandbox, yesterday() - Duration::days(40), "ALL", &[]).await;
    let text = before_history.text().await.expect("text");
    let reply = wxpay::xml::decode(text.as_bytes()).expect("XML reply");
    assert_eq!(reply["return_code"], "FAIL");
    assert_eq!(reply["return_msg"], "No Bill Exist");

    let today = bill(&sandbox, yesterday() + Duration::days(1), "ALL", &[]).await;
    let reply = wxpay::xml::decode(today.text().await.expect("text").as_bytes()).expect("XML");
    assert_eq!(reply["return_msg"], "invalid bill_date");
    assert_eq!(reply["error_code"], "20001");
}

#[tokio::test]
async fn fund_flow_needs_cert_and_hmac() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;
    let date = (yesterday() - Duration::days(1))
        .format("%Y%m%d")
        .to_string();
    let pairs = [("bill_date", date.as_str()), ("account_type", "Basic")];

    let without_cert = sandbox
        .pay_with(
            &sandbox.client,
            "/pay/downloadfundflow",
            signed(&pairs, SignType::HmacSha256),
        )
        .await;
    assert_eq!(without_cert["return_code"], "FAIL");
    assert!(without_cert["return_msg"].contains("证书"));

    let md5 = sandbox
        .pay_with(
            &sandbox.cert_client,
            "/pay/downloadfundflow",
            signed(&pairs, SignType::Md5),
        )
        .await;
    assert_eq!(md5["return_code"], "FAIL");

    let text = sandbox
        .post_raw(
            &sandbox.cert_client,
            "/pay/downloadfundflow",
            wxpay::xml::encode(&signed(&pairs, SignType::HmacSha256)),
        )
        .await;
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("记账时间,微信支付业务单号,资金流水单号"));
    assert_eq!(
        lines[lines.len() - 2],
        "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额"
    );
    let summary = cells(lines[lines.len() - 1]);
    assert_eq!(summary[0], (lines.len() - 3).to_string());
}

/// Returns the offset that puts the simulated clock at `hour:30` Beijing time today.
fn offset_to_today_at(hour: u32) -> Duration {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let local = today.and_hms_opt(hour, 30, 0).expect("valid time");
    let target = local
        .and_local_timezone(chrono_tz::Asia::Shanghai)
        .single()
        .expect("Beijing has no DST")
        .with_timezone(&Utc);
    target - Utc::now()
}

#[tokio::test]
async fn yesterday_creating_until_ten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 5).await;

    sandbox.handle.set_clock_offset(offset_to_today_at(9));
    let early = bill(&sandbox, yesterday(), "ALL", &[]).await;
    let reply = wxpay::xml::decode(early.text().await.expect("text").as_bytes()).expect("XML");
    assert_eq!(reply["return_code"], "FAIL");
    assert_eq!(reply["return_msg"], "Bill Creating");
    let older = bill(&sandbox, yesterday() - Duration::days(1), "ALL", &[]).await;
    let text = older.text().await.expect("text");
    assert!(
        text.trim_start_matches('\u{feff}').starts_with(ALL_HEADER),
        "{text}"
    );

    // The admin API moves the clock past 10:00 the same way.
    let offset_secs = offset_to_today_at(10).num_seconds();
    let set = sandbox
        .client
        .post(sandbox.url("/sandbox/admin/clock"))
        .json(&serde_json::json!({ "offset_secs": offset_secs }))
        .send()
        .await
        .expect("admin call");
    assert_eq!(set.status(), 200);
    let ready = bill(&sandbox, yesterday(), "ALL", &[]).await;
    let text = ready.text().await.expect("text");
    assert!(
        text.trim_start_matches('\u{feff}').starts_with(ALL_HEADER),
        "{text}"
    );
}
