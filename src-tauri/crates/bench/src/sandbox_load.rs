//! The sandbox benchmark: signed orderquery requests from many tasks through one
//! `PayClient` (reqwest, HTTPS keep-alive) against the in-process simulator on loopback,
//! every reply's signature verified, bounded by a request count and a time cap.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use wxpay::model::{OrderRef, UnifiedOrderRequest, UnifiedTradeType};
use wxpay::{ApiKey, Fen, Hosts, PayClient, PayConfig, TradeState};

use crate::error::BenchError;
use crate::report::{number, print_figures, Latencies, Table};

const APPID: &str = "wx5bench0000000001";
const MCH_ID: &str = "1900000201";
const API_KEY: &str = "SandboxBench0123456789abcdefABCD";
/// Orders the load cycles through; every other one is paid before the run.
const ORDERS: usize = 64;
/// Not on loopback, so the simulator sends no notify for the orders paid here.
const NOTIFY_URL: &str = "https://shop.example.com/wxpay/notify";

#[derive(Debug, clap::Args)]
pub struct SandboxOptions {
    /// orderquery requests sent in the timed run.
    #[arg(long, default_value_t = 50_000)]
    requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 48)]
    concurrency: usize,
    /// Seconds after which the run stops even if requests remain.
    #[arg(long, default_value_t = 60)]
    time_cap_s: u64,
}

pub async fn run(options: &SandboxOptions) -> Result<(), BenchError> {
    let dir = tempfile::tempdir().map_err(|e| BenchError::io("creating a temp folder", e))?;
    let handle = sandbox::start(sandbox::SandboxConfig {
        appid: APPID.to_owned(),
        mch_id: MCH_ID.to_owned(),
        api_key: ApiKey::new(API_KEY.to_owned())?,
        app_secret: "bench-app-secret".to_owned(),
        state_dir: dir.path().to_path_buf(),
        seed: 11,
        history_days: 30,
        port: 0,
    })
    .await?;

    let mut config = PayConfig::new(
        APPID,
        MCH_ID,
        ApiKey::new(API_KEY.to_owned())?,
        Hosts::single(handle.base_url.clone()),
    );
    config.extra_root_ca_pem = Some(handle.ca_cert_pem.clone());
    let client = Arc::new(PayClient::new(config)?);

    let orders = Arc::new(place_orders(&client, &handle).await?);
    let outcome = load(&client, &orders, options).await;
    handle.shutdown().await;
    let (completed, elapsed, latencies) = outcome?;

    let rps = completed as f64 / elapsed.as_secs_f64();
    let p50 = latencies.percentile_ms(50.0);
    let p95 = latencies.percentile_ms(95.0);
    let p99 = latencies.percentile_ms(99.0);
    println!(
        "orderquery over HTTPS to the in-process simulator on 127.0.0.1, {} tasks sharing one \
         PayClient, MD5-signed requests, every reply verified",
        options.concurrency
    );
    let mut table = Table::new(&["requests", "seconds", "req/s", "p50 ms", "p95 ms", "p99 ms"]);
    table.row(vec![
        completed.to_string(),
        format!("{:.2}", elapsed.as_secs_f64()),
        number(rps),
        number(p50),
        number(p95),
        number(p99),
    ]);
    table.print();
    println!("goal: at least 5000 req/s");
    print_figures(
        "sandbox",
        &[
            ("requests", completed.to_string()),
            ("rps", number(rps)),
            ("p50_ms", number(p50)),
            ("p95_ms", number(p95)),
        ],
    );
    Ok(())
}

/// Places NATIVE orders and pays every other one, returning each number with the trade
/// state a query must report.
async fn place_orders(
    client: &PayClient,
    handle: &sandbox::SandboxHandle,
) -> Result<Vec<(String, TradeState)>, BenchError> {
    let mut orders = Vec::with_capacity(ORDERS);
    for i in 0..ORDERS {
        let out_trade_no = format!("LOAD{i:06}");
        client
            .unified_order(&UnifiedOrderRequest {
                body: format!("压测商品 {i}"),
                out_trade_no: out_trade_no.clone(),
                total_fee: Fen(100 + i as i64),
                spbill_create_ip: "127.0.0.1".to_owned(),
                notify_url: NOTIFY_URL.to_owned(),
                trade_type: UnifiedTradeType::Native {
                    product_id: format!("SKU{i}"),
                },
                attach: None,
                time_start: None,
                time_expire: None,
                goods_tag: None,
            })
            .await?;
        let expected = if i % 2 == 0 {
            handle.pay_order(&out_trade_no)?;
            TradeState::Success
        } else {
            TradeState::NotPay
        };
        orders.push((out_trade_no, expected));
    }
    Ok(orders)
}

async fn load(
    client: &Arc<PayClient>,
    orders: &Arc<Vec<(String, TradeState)>>,
    options: &SandboxOptions,
) -> Result<(usize, Duration, Latencies), BenchError> {
    let next = Arc::new(AtomicUsize::new(0));
    let cap = Duration::from_secs(options.time_cap_s);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(options.concurrency);
    for _ in 0..options.concurrency.max(1) {
        let client = client.clone();
        let orders = orders.clone();
        let next = next.clone();
        let total = options.requests;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total || start.elapsed() > cap {
                    return Ok::<_, BenchError>(latencies);
                }
                let (out_trade_no, expected) = &orders[i % orders.len()];
                let sent = Instant::now();
                let reply = client
                    .order_query(&OrderRef::OutTradeNo(out_trade_no.clone()))
                    .await?;
                latencies.push(sent.elapsed());
                if reply.trade_state != *expected {
                    return Err(BenchError::Check(format!(
                        "{out_trade_no} reported {} instead of {}",
                        reply.trade_state.as_str(),
                        expected.as_str()
                    )));
                }
            }
        }));
    }

    let mut all = Latencies::default();
    for task in tasks {
        let latencies = task
            .await
            .map_err(|e| BenchError::Check(format!("a load task panicked: {e}")))??;
        all.extend(latencies);
    }
    let elapsed = start.elapsed();
    Ok((all.len(), elapsed, all))
}
