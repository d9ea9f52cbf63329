//! Seed inputs for each target, generated with wxpay's own encoders so that no sample
//! file from elsewhere is copied: signed replies, bills in two layouts and a fund flow with
//! their summaries, and refund notifies encrypted with the fuzz key.

use wxpay::refund_notify::encrypt_req_info;
use wxpay::{sign, xml, ApiKey, Fields, SignType};

use crate::FUZZ_KEY;

/// One seed: the target it feeds, a file name, and its bytes.
pub struct Seed {
    pub target: &'static str,
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Returns every seed of every target.
pub fn all() -> Vec<Seed> {
    let key = ApiKey::new(FUZZ_KEY.to_owned()).expect("FUZZ_KEY has the API key format");
    let seed = |target, name, bytes: Vec<u8>| Seed {
        target,
        name,
        bytes,
    };
    vec![
        seed("xml_decode", "orderquery_reply", order_query_reply(&key)),
        seed("xml_decode", "return_fail", RETURN_FAIL.as_bytes().to_vec()),
        seed("xml_decode", "doctype", DOCTYPE.as_bytes().to_vec()),
        seed("bill_parse", "success_layout", success_bill().into_bytes()),
        seed("bill_parse", "all_layout_crlf_bom", all_bill().into_bytes()),
        seed("bill_parse", "fund_flow", fund_flow().into_bytes()),
        seed(
            "refund_notify_decrypt",
            "notify",
            refund_notify(&key).into_bytes(),
        ),
        seed(
            "refund_notify_decrypt",
            "req_info",
            encrypt_req_info(&refund_info(), &key).into_bytes(),
        ),
    ]
}

const RETURN_FAIL: &str =
    "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg>签名错误</return_msg></xml>";

const DOCTYPE: &str =
    "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e \"x\">]><xml><a>&e;</a></xml>";

fn pairs(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn order_query_reply(key: &ApiKey) -> Vec<u8> {
    let mut fields = pairs(&[
        ("return_code", "SUCCESS"),
        ("return_msg", "OK"),
        ("appid", "wx2421b1c4370ec43b"),
        ("mch_id", "10000100"),
        ("nonce_str", "TN55wO9Pba5yENl8"),
        ("result_code", "SUCCESS"),
        ("trade_state", "SUCCESS"),
        ("out_trade_no", "20260101120000001"),
        ("transaction_id", "4200000000202601010000000001"),
        ("total_fee", "1800"),
        ("coupon_count", "1"),
        ("coupon_fee_0", "100"),
        ("attach", "桌号 7 ]]> <b>"),
    ]);
    let signature = sign::sign(&fields, key, SignType::HmacSha256);
    fields.insert("sign".into(), signature);
    xml::encode(&fields).into_bytes()
}

const ALL_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUCCESS_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注";
const SUMMARY_HEADER: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

fn cells(values: &[&str]) -> String {
    format!("`{}", values.join(",`"))
}

fn success_bill() -> String {
    let row = cells(&[
        "2026-01-01 12:00:01",
        "wx2421b1c4370ec43b",
        "10000100",
        "0",
        "1000",
        "4200000000202601010000000001",
        "T1",
        "oFakeOpenId00000000000000001",
        "NATIVE",
        "SUCCESS",
        "CMB_DEBIT",
        "CNY",
        "18.00",
        "0.00",
        "拿铁,大杯",
        "桌号 7",
        "0.10800",
        "0.60%",
        "18.00",
        "",
    ]);
    let summary = cells(&["1", "18.00", "0.00", "0.00", "0.10800", "18.00", "0.00"]);
    format!("{SUCCESS_HEADER}\n{row}\n{SUMMARY_HEADER}\n{summary}\n")
}

fn all_bill() -> String {
    let payment = cells(&[
        "2026-01-01 12:00:01",
        "wx2421b1c4370ec43b",
        "10000100",
        "0",
        "",
        "4200000000202601010000000001",
        "T1",
        "oFakeOpenId00000000000000001",
        "JSAPI",
        "SUCCESS",
        "CMB_DEBIT",
        "CNY",
        "18.00",
        "0.00",
        "0",
        "0",
        "0.00",
        "0.00",
        "",
        "",
        "拿铁",
        "",
        "0.10800",
        "0.60%",
        "18.00",
        "0.00",
        "",
    ]);
    let refund = cells(&[
        "2026-01-01 12:10:00",
        "wx2421b1c4370ec43b",
        "10000100",
        "0",
        "",
        "4200000000202601010000000001",
        "T1",
        "oFakeOpenId00000000000000001",
        "JSAPI",
        "REFUND",
        "CMB_DEBIT",
        "CNY",
        "0.00",
        "0.00",
        "50300000002026010100000000001",
        "R1",
        "8.00",
        "0.00",
        "ORIGINAL",
        "SUCCESS",
        "拿铁",
        "",
        "-0.04800",
        "0.60%",
        "0.00",
        "8.00",
        "",
    ]);
    let summary = cells(&["2", "18.00", "8.00", "0.00", "0.06000", "18.00", "8.00"]);
    format!("\u{feff}{ALL_HEADER}\r\n{payment}\r\n{refund}\r\n{SUMMARY_HEADER}\r\n{summary}\r\n")
}

fn fund_flow() -> String {
    let header = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";
    let row = cells(&[
        "2026-01-01 12:00:01",
        "4200000000202601010000000001",
        "1900000109202601010000000001",
        "交易",
        "交易",
        "收入",
        "18.00",
        "118.00",
        "system",
        "",
        "4200000000202601010000000001",
    ]);
    let summary_header = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";
    let summary = cells(&["1", "1", "18.00", "0", "0.00"]);
    format!("{header}\n{row}\n{summary_header}\n{summary}\n")
}

fn refund_info() -> Fields {
    pairs(&[
        ("transaction_id", "4200000000202601010000000001"),
        ("out_trade_no", "20260101120000001"),
        ("refund_id", "50300000002026010100000000001"),
        ("out_refund_no", "R1"),
        ("total_fee", "1800"),
        ("refund_fee", "800"),
        ("settlement_refund_fee", "800"),
        ("refund_status", "SUCCESS"),
        ("success_time", "2026-01-01 12:10:05"),
        ("refund_recv_accout", "招商银行信用卡0403"),
        ("refund_account", "REFUND_SOURCE_RECHARGE_FUNDS"),
        ("refund_request_source", "API"),
    ])
}

fn refund_notify(key: &ApiKey) -> String {
    let envelope = pairs(&[
        ("return_code", "SUCCESS"),
        ("appid", "wx2421b1c4370ec43b"),
        ("mch_id", "10000100"),
        ("nonce_str", "TeqClE3i0mvn3DrK"),
        ("req_info", &encrypt_req_info(&refund_info(), key)),
    ]);
    xml::encode(&envelope)
}
