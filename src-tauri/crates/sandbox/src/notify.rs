//! Notifies: the payment notify after the simulated payer pays (signed order fields) and
//! the refund notify when a refund settles (encrypted req_info), POSTed to the notify_url
//! and resent until acknowledged. Only http URLs on loopback are called, so the simulator
//! never reaches beyond this machine.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use wxpay::refund_notify::encrypt_req_info;
use wxpay::sign::{self, SignType};
use wxpay::Fields;

use crate::app::App;
use crate::clock::{self, SimClock};
use crate::ids;
use crate::model::{Order, Refund};
use crate::pay::order::order_fields;
use crate::pay::put;
use crate::pay::refund_query::receiving_account;

/// Delays before each attempt in simulated time: at once, then WeChat's retry schedule
/// of 15 s, 15 s, 30 s, 3 min, 10 min, 20 min, 30 min, 30 min, 30 min, 60 min, 3 h, 3 h,
/// 3 h, 6 h and 6 h (payment notify rules, 9_7). The clock's compression shortens them.
const ATTEMPT_DELAYS: &[Duration] = &[
    Duration::ZERO,
    Duration::from_secs(15),
    Duration::from_secs(15),
    Duration::from_secs(30),
    Duration::from_secs(3 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(20 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(6 * 3600),
];

/// How a notify is delivered: the clock that paces the retries, and whether one copy is
/// sent again after it was acknowledged.
struct Delivery {
    clock: Arc<SimClock>,
    duplicate: bool,
}

const TIMEOUT: Duration = Duration::from_secs(5);

/// Sends the payment notify of a paid order in the background.
pub fn send_payment_notify(app: &App, order: &Order) {
    let Some(url) = order.notify_url.as_deref() else {
        return;
    };
    let mut fields: Fields = order_fields(order);
    fields.remove("trade_state");
    fields.remove("trade_state_desc");
    put(&mut fields, "return_code", "SUCCESS");
    put(&mut fields, "appid", app.appid.as_str());
    put(&mut fields, "mch_id", app.mch_id.as_str());
    put(
        &mut fields,
        "nonce_str",
        ids::nonce(&mut rand::thread_rng()),
    );
    put(&mut fields, "result_code", "SUCCESS");
    let signature = sign::sign(&fields, &app.api_key, SignType::Md5);
    put(&mut fields, "sign", signature);
    let delivery = Delivery {
        clock: app.clock.clone(),
        duplicate: app.duplicate_notifies.load(Ordering::Relaxed),
    };
    dispatch(
        url,
        wxpay::xml::encode(&fields),
        &order.out_trade_no,
        delivery,
    );
}

/// Sends the refund notify of a settled refund in the background. Refund notifies carry
/// no sign: the details travel encrypted in req_info (refund notify rules, 9_16).
pub fn send_refund_notify(app: &App, order: &Order, refund: &Refund) {
    let Some(url) = refund.notify_url.as_deref() else {
        return;
    };
    let mut details = Fields::new();
    if let Some(transaction_id) = &order.transaction_id {
        put(&mut details, "transaction_id", transaction_id.as_str());
    }
    put(&mut details, "out_trade_no", order.out_trade_no.as_str());
    put(&mut details, "refund_id", refund.refund_id.as_str());
    put(&mut details, "out_refund_no", refund.out_refund_no.as_str());
    put(&mut details, "total_fee", order.total_fee.0.to_string());
    put(
        &mut details,
        "settlement_total_fee",
        order.total_fee.0.to_string(),
    );
    put(&mut details, "refund_fee", refund.refund_fee.0.to_string());
    put(
        &mut details,
        "settlement_refund_fee",
        refund.refund_fee.0.to_string(),
    );
    put(&mut details, "refund_status", refund.refund_status.as_str());
    if let Some(at) = refund.success_at {
        put(&mut details, "success_time", clock::bill_time(at));
    }
    put(&mut details, "refund_recv_accout", receiving_account(order));
    put(
        &mut details,
        "refund_account",
        refund.refund_account.as_str(),
    );
    put(&mut details, "refund_request_source", "API");

    let mut fields = Fields::new();
    put(&mut fields, "return_code", "SUCCESS");
    put(&mut fields, "appid", app.appid.as_str());
    put(&mut fields, "mch_id", app.mch_id.as_str());
    put(
        &mut fields,
        "nonce_str",
        ids::nonce(&mut rand::thread_rng()),
    );
    put(
        &mut fields,
        "req_info",
        encrypt_req_info(&details, &app.api_key),
    );
    let delivery = Delivery {
        clock: app.clock.clone(),
        duplicate: app.duplicate_notifies.load(Ordering::Relaxed),
    };
    dispatch(
        url,
        wxpay::xml::encode(&fields),
        &refund.out_refund_no,
        delivery,
    );
}

/// Spawns the delivery of a notify when `url` is an http URL on loopback; other URLs
/// are skipped with a log line.
fn dispatch(url: &str, body: String, id: &str, delivery: Delivery) {
    if !is_loopback_http(url) {
        tracing::info!(%url, %id, "notify skipped: the sandbox only calls http URLs on 127.0.0.1 or localhost");
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(%id, "notify skipped: no async runtime");
        return;
    };
    runtime.spawn(deliver(url.to_owned(), body, id.to_owned(), delivery));
}

/// Sends a notify until it is acknowledged or the schedule ends.
async fn deliver(url: String, body: String, id: String, delivery: Delivery) {
    let client = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(%err, "cannot build the notify client");
            return;
        }
    };
    for (attempt, delay) in ATTEMPT_DELAYS.iter().enumerate() {
        tokio::time::sleep(delivery.clock.real(*delay)).await;
        if send_once(&client, &url, &body, &id, attempt).await {
            tracing::info!(%url, %id, attempt, "notify acknowledged");
            if delivery.duplicate {
                // WeChat may notify again after an acknowledgement, so merchants must
                // treat a repeated notify as a no-op (payment notify rules, 9_7).
                tokio::time::sleep(delivery.clock.real(ATTEMPT_DELAYS[1])).await;
                send_once(&client, &url, &body, &id, attempt + 1).await;
                tracing::info!(%url, %id, "duplicate notify sent");
            }
            return;
        }
    }
    tracing::warn!(%url, %id, "notify never acknowledged");
}

/// Posts the notify once and returns whether the reply acknowledged it: HTTP 2xx and
/// XML whose return_code is SUCCESS, as in
/// `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`.
async fn send_once(
    client: &reqwest::Client,
    url: &str,
    body: &str,
    id: &str,
    attempt: usize,
) -> bool {
    let reply = client
        .post(url)
        .header("Content-Type", "text/xml")
        .body(body.to_owned())
        .send()
        .await;
    match reply {
        Ok(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            let acknowledged = status.is_success()
                && wxpay::xml::decode(text.as_bytes())
                    .is_ok_and(|f| f.get("return_code").map(String::as_str) == Some("SUCCESS"));
            if !acknowledged {
                tracing::info!(%url, %id, attempt, status = status.as_u16(), "notify not acknowledged");
            }
            acknowledged
        }
        Err(err) => {
            tracing::info!(%url, %id, attempt, %err, "notify failed");
            false
        }
    }
}

fn is_loopback_http(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    parsed.scheme() == "http"
        && matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_is_called() {
        assert!(is_loopback_http("http://127.0.0.1:8080/notify"));
        assert!(is_loopback_http("http://localhost/notify"));
        assert!(!is_loopback_http("https://127.0.0.1/notify"));
        assert!(!is_loopback_http("http://192.168.1.10/notify"));
        assert!(!is_loopback_http("http://shop.example.com/notify"));
    }
}
