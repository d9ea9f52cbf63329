//! The sign benchmark: sign, encode, decode and verify realistic orderquery replies with
//! wxpay, then have wechatpy do the same work on the same bodies in a Python subprocess.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wxpay::{sign, xml, ApiKey, Fields, SignType};

use crate::error::BenchError;
use crate::report::{number, print_figures, Table};

const API_KEY: &str = "Bench0Key1For2Sign3Loops4567890A";
const BASELINE_SCRIPT: &str = include_str!("sign_wechatpy.py");
/// The venv that .ci/python-env makes, relative to this crate's folder.
const DEFAULT_PYTHON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../target/interop-venv/bin/python"
);
/// Passes of the wxpay loop; the median pass is reported, to damp a stray slow one.
const WXPAY_PASSES: usize = 3;

#[derive(Debug, clap::Args)]
pub struct SignOptions {
    /// Distinct bodies generated (half MD5, half HMAC-SHA256).
    #[arg(long, default_value_t = 2_000)]
    bodies: usize,
    /// Operations timed on each side; each is sign + encode + decode + verify of one body.
    #[arg(long, default_value_t = 50_000)]
    ops: usize,
    /// Seconds after which the wechatpy loop stops early and reports what it did.
    #[arg(long, default_value_t = 120)]
    time_cap_s: u64,
}

pub fn run(options: &SignOptions) -> Result<(), BenchError> {
    let key = ApiKey::new(API_KEY.to_owned())?;
    let bodies = generate_bodies(options.bodies.max(1));
    let python = python_path()?;

    let mut passes = Vec::with_capacity(WXPAY_PASSES);
    for _ in 0..WXPAY_PASSES {
        passes.push(time_wxpay(&bodies, &key, options.ops)?);
    }
    passes.sort_unstable();
    let wxpay_seconds = passes[WXPAY_PASSES / 2].as_secs_f64();
    let wxpay_rate = options.ops as f64 / wxpay_seconds;

    let stages = time_stages(&bodies, &key, options.ops)?;
    let baseline = time_wechatpy(&python, &bodies, options)?;
    let wechatpy_rate = baseline.ops as f64 / baseline.seconds;
    let ratio = wxpay_rate / wechatpy_rate;

    println!(
        "sign + encode + decode + verify of {} distinct orderquery replies (Chinese text, \
         two coupons, half MD5 and half HMAC-SHA256)",
        bodies.len()
    );
    let mut table = Table::new(&["implementation", "ops", "seconds", "ops/s"]);
    table.row(vec![
        format!("wxpay (median of {WXPAY_PASSES} passes)"),
        options.ops.to_string(),
        format!("{wxpay_seconds:.3}"),
        number(wxpay_rate),
    ]);
    table.row(vec![
        "wechatpy 1.8 + xmltodict".to_owned(),
        baseline.ops.to_string(),
        format!("{:.3}", baseline.seconds),
        number(wechatpy_rate),
    ]);
    table.print();
    println!(
        "ratio wxpay / wechatpy: {} (goal: at least 50)",
        number(ratio)
    );
    println!();
    println!(
        "wxpay by stage, each timed alone over the same {} ops",
        options.ops
    );
    let mut stage_table = Table::new(&["stage", "µs/op"]);
    for (stage, elapsed) in stages {
        let micros = elapsed.as_secs_f64() * 1e6 / options.ops.max(1) as f64;
        stage_table.row(vec![stage.to_owned(), number(micros)]);
    }
    stage_table.print();
    print_figures(
        "sign",
        &[
            ("ops", options.ops.to_string()),
            ("ops_per_s", number(wxpay_rate)),
            ("wechatpy_ops_per_s", number(wechatpy_rate)),
            ("ratio", number(ratio)),
        ],
    );
    Ok(())
}

/// Builds orderquery-like replies as WeChat sends them (9_2): coupons, Chinese body and
/// attach, an empty device_info, and sign_type on the HMAC-SHA256 half.
fn generate_bodies(count: usize) -> Vec<Fields> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let stores = ["南山店", "福田店", "宝安店", "龙华店"];
    (0..count)
        .map(|i| {
            let total_fee: i64 = rng.gen_range(100..200_000);
            let coupon_0 = rng.gen_range(1..=total_fee / 10 + 1);
            let coupon_1 = rng.gen_range(1..=total_fee / 10 + 1);
            let mut fields = Fields::new();
            let mut put = |name: &str, value: String| {
                fields.insert(name.to_owned(), value);
            };
            put("return_code", "SUCCESS".into());
            put("return_msg", "OK".into());
            put("result_code", "SUCCESS".into());
            put("appid", "wx2421b1c4370ec43b".into());
            put("mch_id", "1900000109".into());
            put("nonce_str", format!("{:032x}", rng.gen::<u128>()));
            put("device_info", String::new());
            put(
                "openid",
                format!("oUpF8uMuAJO_M2pxb1Q9zNjWeS{:06}", i % 1_000_000),
            );
            put("is_subscribe", if i % 3 == 0 { "Y" } else { "N" }.into());
            put(
                "trade_type",
                if i % 2 == 0 { "JSAPI" } else { "NATIVE" }.into(),
            );
            put("trade_state", "SUCCESS".into());
            put("trade_state_desc", "支付成功".into());
            put("bank_type", "CMB_DEBIT".into());
            put("fee_type", "CNY".into());
            put("total_fee", total_fee.to_string());
            put("coupon_fee", (coupon_0 + coupon_1).to_string());
            put(
                "cash_fee",
                (total_fee - coupon_0 - coupon_1).max(0).to_string(),
            );
            put("coupon_count", "2".into());
            put("coupon_type_0", "CASH".into());
            put(
                "coupon_id_0",
                format!("1000000{:08}", rng.gen_range(0..100_000_000)),
            );
            put("coupon_fee_0", coupon_0.to_string());
            put("coupon_type_1", "NO_CASH".into());
            put(
                "coupon_id_1",
                format!("2000000{:08}", rng.gen_range(0..100_000_000)),
            );
            put("coupon_fee_1", coupon_1.to_string());
            put("transaction_id", format!("42000012{:020}", i));
            put("out_trade_no", format!("BENCH{:010}", i));
            put(
                "attach",
                format!(
                    "门店：{}；收银台 {}号，会员 & 积分",
                    stores[i % 4],
                    i % 9 + 1
                ),
            );
            put(
                "time_end",
                format!("202611{:02}{:06}", i % 28 + 1, 103_000 + i % 50_000),
            );
            if i % 2 == 1 {
                put("sign_type", SignType::HmacSha256.as_str().into());
            }
            fields
        })
        .collect()
}

fn time_wxpay(bodies: &[Fields], key: &ApiKey, ops: usize) -> Result<Duration, BenchError> {
    let start = Instant::now();
    for i in 0..ops {
        let mut fields = bodies[i % bodies.len()].clone();
        let sign_type = match fields.get("sign_type").map(String::as_str) {
            Some("HMAC-SHA256") => SignType::HmacSha256,
            _ => SignType::Md5,
        };
        let signature = sign::sign(&fields, key, sign_type);
        fields.insert("sign".to_owned(), signature);
        let body = xml::encode(&fields);

        let received = xml::decode(body.as_bytes())?;
        let verified = sign::verify(&received, key)?;
        if verified != sign_type {
            return Err(BenchError::Check(format!(
                "body {i} verified as {} but was signed with {}",
                verified.as_str(),
                sign_type.as_str()
            )));
        }
    }
    Ok(start.elapsed())
}

/// Times each step of the loop on its own: cloning and signing, encoding, decoding and
/// verifying, so that a slow step shows.
fn time_stages(
    bodies: &[Fields],
    key: &ApiKey,
    ops: usize,
) -> Result<Vec<(&'static str, Duration)>, BenchError> {
    let sign_type_of = |fields: &Fields| match fields.get("sign_type").map(String::as_str) {
        Some("HMAC-SHA256") => SignType::HmacSha256,
        _ => SignType::Md5,
    };

    let start = Instant::now();
    let mut signed = Vec::with_capacity(bodies.len());
    for i in 0..ops {
        let mut fields = bodies[i % bodies.len()].clone();
        let signature = sign::sign(&fields, key, sign_type_of(&fields));
        fields.insert("sign".to_owned(), signature);
        if signed.len() < bodies.len() {
            signed.push(fields);
        }
    }
    let signing = start.elapsed();

    let start = Instant::now();
    let mut encoded = Vec::with_capacity(bodies.len());
    for i in 0..ops {
        let body = xml::encode(&signed[i % signed.len()]);
        if encoded.len() < signed.len() {
            encoded.push(body);
        }
    }
    let encoding = start.elapsed();

    let start = Instant::now();
    let mut decoded = Vec::with_capacity(bodies.len());
    for i in 0..ops {
        let fields = xml::decode(encoded[i % encoded.len()].as_bytes())?;
        if decoded.len() < encoded.len() {
            decoded.push(fields);
        }
    }
    let decoding = start.elapsed();

    let start = Instant::now();
    for i in 0..ops {
        sign::verify(&decoded[i % decoded.len()], key)?;
    }
    let verifying = start.elapsed();

    Ok(vec![
        ("clone + sign", signing),
        ("xml::encode", encoding),
        ("xml::decode", decoding),
        ("sign::verify", verifying),
    ])
}

struct Baseline {
    ops: usize,
    seconds: f64,
}

fn time_wechatpy(
    python: &PathBuf,
    bodies: &[Fields],
    options: &SignOptions,
) -> Result<Baseline, BenchError> {
    let dir = tempfile::tempdir().map_err(|e| BenchError::io("creating a temp folder", e))?;
    let job_path = dir.path().join("job.json");
    let job = serde_json::json!({
        "key": API_KEY,
        "bodies": bodies,
        "ops": options.ops,
        "time_cap_s": options.time_cap_s,
    });
    std::fs::write(&job_path, job.to_string())
        .map_err(|e| BenchError::io("writing the wechatpy job", e))?;
    let script_path = dir.path().join("sign_wechatpy.py");
    std::fs::write(&script_path, BASELINE_SCRIPT)
        .map_err(|e| BenchError::io("writing the wechatpy script", e))?;

    let output = Command::new(python)
        .arg(&script_path)
        .arg(&job_path)
        .output()
        .map_err(|e| BenchError::io(format!("running {}", python.display()), e))?;
    if !output.status.success() {
        return Err(BenchError::ToolFailed {
            tool: "python (wechatpy)",
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value =
        serde_json::from_str(stdout.trim()).map_err(|e| BenchError::ToolOutput {
            tool: "python (wechatpy)",
            detail: format!("{e}: {stdout}"),
        })?;
    let read = |name: &str| result.get(name).and_then(serde_json::Value::as_f64);
    let (Some(ops), Some(seconds), Some(failed)) = (read("ops"), read("seconds"), read("failed"))
    else {
        return Err(BenchError::ToolOutput {
            tool: "python (wechatpy)",
            detail: stdout.into_owned(),
        });
    };
    if failed > 0.0 {
        return Err(BenchError::Check(format!(
            "wechatpy rejected {failed} of its own signatures"
        )));
    }
    Ok(Baseline {
        ops: ops as usize,
        seconds,
    })
}

/// Returns WXMC_BENCH_PYTHON, or the venv's python from .ci/python-env.
fn python_path() -> Result<PathBuf, BenchError> {
    let path = std::env::var_os("WXMC_BENCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PYTHON));
    if path.exists() {
        Ok(path)
    } else {
        Err(BenchError::PythonMissing(path))
    }
}
