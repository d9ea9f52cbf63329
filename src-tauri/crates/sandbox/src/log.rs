//! Request and reply logging: one `tracing` line per exchange with the method, path,
//! status, time taken and both bodies in a readable form. AppSecrets and access tokens
//! are masked; the API key never travels in a message, only its signatures do.

use std::time::Instant;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Bodies larger than this are rejected. WeChat accepts at most 1 MiB of v2 XML.
const MAX_BODY: usize = 2 << 20;

/// Names whose values are credentials, in query strings, JSON and XML.
const SECRET_NAMES: &[&str] = &["secret", "access_token", "appsecret"];

/// Logs one exchange around the handler.
pub async fn log_exchange(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(mask_query).unwrap_or_default();

    let (parts, body) = request.into_parts();
    let request_bytes = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(%method, %path, %err, "request body rejected");
            return (
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large",
            )
                .into_response();
        }
    };
    let request_text = describe(&parts.headers, &request_bytes);
    let response = next
        .run(Request::from_parts(parts, Body::from(request_bytes)))
        .await;

    let (parts, body) = response.into_parts();
    let reply_bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    tracing::info!(
        target: "sandbox",
        %method,
        path = %path,
        query = %query,
        status = parts.status.as_u16(),
        ms = started.elapsed().as_millis() as u64,
        request = %request_text,
        reply = %describe(&parts.headers, &reply_bytes),
        "exchange"
    );
    Response::from_parts(parts, Body::from(reply_bytes))
}

/// Renders a body on one readable line: XML as `k=v` pairs, JSON compact with secrets
/// masked, bills as their size.
fn describe(headers: &HeaderMap, body: &Bytes) -> String {
    if body.is_empty() {
        return String::new();
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if body.starts_with("\u{feff}".as_bytes())
        || content_type.starts_with("application/octet-stream")
    {
        return format!("<{} bytes of bill data>", body.len());
    }
    if let Ok(fields) = wxpay::xml::decode(body) {
        return fields
            .iter()
            .map(|(k, v)| format!("{k}={}", mask_value(k, v)))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(body) {
        mask_json(&mut json);
        return json.to_string();
    }
    let text = String::from_utf8_lossy(body);
    text.chars().take(500).collect()
}

fn mask_value(name: &str, value: &str) -> String {
    if SECRET_NAMES.contains(&name) {
        mask(value)
    } else {
        value.to_owned()
    }
}

/// Keeps the first four characters, so two log lines can still be matched up.
fn mask(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}****")
}

fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => format!("{name}={}", mask_value(name, value)),
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, item) in map.iter_mut() {
                match item {
                    serde_json::Value::String(text) if SECRET_NAMES.contains(&name.as_str()) => {
                        *text = mask(text);
                    }
                    other => mask_json(other),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_masked_in_query_and_json() {
        assert_eq!(
            mask_query("grant_type=client_credential&appid=wx1&secret=abcdef123"),
            "grant_type=client_credential&appid=wx1&secret=abcd****"
        );
        let mut json = serde_json::json!({"appid": "wx1", "secret": "abcdef123", "nested": {"access_token": "TOKEN123"}});
        mask_json(&mut json);
        assert_eq!(json["secret"], "abcd****");
        assert_eq!(json["nested"]["access_token"], "TOKE****");
        assert_eq!(json["appid"], "wx1");
    }
}
