//! Payment notifies: after the simulated payer pays, the order's fields are POSTed to its
//! notify_url, signed like WeChat's, and resent until acknowledged. Only http URLs on
//! loopback are called, so the simulator never reaches beyond this machine.

use std::time::Duration;

use wxpay::sign::{self, SignType};
use wxpay::Fields;

use crate::app::App;
use crate::ids;
use crate::model::Order;
use crate::pay::order::order_fields;
use crate::pay::put;

/// Delays before each attempt: at once, then the first steps of WeChat's schedule
/// (15 s, 15 s, 30 s, 3 min; payment notify rules, 9_7).
const ATTEMPT_DELAYS: &[Duration] = &[
    Duration::ZERO,
    Duration::from_secs(15),
    Duration::from_secs(15),
    Duration::from_secs(30),
    Duration::from_secs(180),
];

const TIMEOUT: Duration = Duration::from_secs(5);

/// Sends the payment notify of a paid order in the background, when its notify_url is
/// an http URL on loopback. Other URLs are skipped with a log line.
pub fn send_payment_notify(app: &App, order: &Order) {
    let Some(url) = order.notify_url.as_deref() else {
        return;
    };
    if !is_loopback_http(url) {
        tracing::info!(%url, out_trade_no = %order.out_trade_no, "payment notify skipped: the sandbox only calls http URLs on 127.0.0.1 or localhost");
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(out_trade_no = %order.out_trade_no, "payment notify skipped: no async runtime");
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
    let body = wxpay::xml::encode(&fields);
    let url = url.to_owned();
    let out_trade_no = order.out_trade_no.clone();
    runtime.spawn(deliver(url, body, out_trade_no));
}

async fn deliver(url: String, body: String, out_trade_no: String) {
    let client = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(%err, "cannot build the notify client");
            return;
        }
    };
    for (attempt, delay) in ATTEMPT_DELAYS.iter().enumerate() {
        tokio::time::sleep(*delay).await;
        let reply = client
            .post(&url)
            .header("Content-Type", "text/xml")
            .body(body.clone())
            .send()
            .await;
        let acknowledged = match reply {
            Ok(response) => {
                let text = response.text().await.unwrap_or_default();
                wxpay::xml::decode(text.as_bytes())
                    .is_ok_and(|f| f.get("return_code").map(String::as_str) == Some("SUCCESS"))
            }
            Err(err) => {
                tracing::info!(%url, %out_trade_no, attempt, %err, "payment notify failed");
                false
            }
        };
        if acknowledged {
            tracing::info!(%url, %out_trade_no, attempt, "payment notify acknowledged");
            return;
        }
    }
    tracing::warn!(%url, %out_trade_no, "payment notify never acknowledged");
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
