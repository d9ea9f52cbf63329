//! Fault injection for tests of the console's retry logic: the next requests to a path
//! (or every one until cleared) can fail before they are handled, be delayed or held
//! until the client gives up, lose their connection, or get a damaged reply.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use wxpay::SignType;

use crate::app::App;
use crate::err_codes;
use crate::mp;
use crate::pay;

/// Largest request or reply body read to apply a fault.
const MAX_BODY: usize = 2 << 20;

/// How long a `Timeout` fault holds a request when the fault sets no `delay_ms`: longer
/// than the usual client timeouts of 5 to 30 s.
const DEFAULT_HOLD: Duration = Duration::from_secs(60);

/// Effect of a fault on the request that meets it. On the wire (admin API, CLI) each
/// kind is a string: `system_error`, `reply_lost`, `delay`, `timeout`,
/// `connection_reset`, `http_status:503`, `bizerr_need_retry`, `frequency_limited`,
/// `bad_signature`, `truncated_xml` and `business_error:ORDERPAID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Reply SYSTEMERROR (pay) or errcode -1 (Official Account) without handling it.
    SystemError,
    /// Handle the request, then reply as `SystemError` does: the change happened, but
    /// the caller cannot know.
    ReplyLost,
    /// Wait `delay_ms` before handling the request.
    Delay,
    /// Hold the request for `delay_ms` (60 s when 0), then close the connection without
    /// a reply. The request is not handled.
    Timeout,
    /// Close the connection at once without a reply. The request is not handled.
    ConnectionReset,
    /// Reply with this HTTP status (500 when it is not a 5xx code) and an empty body,
    /// without handling the request.
    HttpStatus(u16),
    /// Reply result_code FAIL with err_code BIZERR_NEED_RETRY, signed, without handling.
    BizErrNeedRetry,
    /// Reply result_code FAIL with err_code FREQUENCY_LIMITED, signed, without handling.
    FrequencyLimited,
    /// Handle the request, then send its reply with a wrong sign. Replies without a
    /// sign (JSON, bills) go out unchanged.
    BadSignature,
    /// Handle the request, then send only the first half of its reply body.
    TruncatedXml,
    /// Reply result_code FAIL with this err_code and WeChat's err_code_des, signed,
    /// without handling. Only codes listed in the err_code table parse.
    BusinessError(&'static str),
}

/// A fault kind name that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault kind {0}: expected system_error, reply_lost, delay, timeout, connection_reset, http_status:5xx, bizerr_need_retry, frequency_limited, bad_signature, truncated_xml or business_error:ERR_CODE")]
pub struct UnknownFaultKind(pub String);

impl FromStr for FaultKind {
    type Err = UnknownFaultKind;

    fn from_str(text: &str) -> Result<FaultKind, UnknownFaultKind> {
        let unknown = || UnknownFaultKind(text.to_owned());
        let kind = match text {
            "system_error" => FaultKind::SystemError,
            "reply_lost" => FaultKind::ReplyLost,
            "delay" => FaultKind::Delay,
            "timeout" => FaultKind::Timeout,
            "connection_reset" => FaultKind::ConnectionReset,
            "bizerr_need_retry" => FaultKind::BizErrNeedRetry,
            "frequency_limited" => FaultKind::FrequencyLimited,
            "bad_signature" => FaultKind::BadSignature,
            "truncated_xml" => FaultKind::TruncatedXml,
            other => {
                if let Some(status) = other.strip_prefix("http_status:") {
                    let status: u16 = status.parse().map_err(|_| unknown())?;
                    if !(500..=599).contains(&status) {
                        return Err(unknown());
                    }
                    FaultKind::HttpStatus(status)
                } else if let Some(code) = other.strip_prefix("business_error:") {
                    let (code, _) = err_codes::lookup(code).ok_or_else(unknown)?;
                    FaultKind::BusinessError(code)
                } else {
                    return Err(unknown());
                }
            }
        };
        Ok(kind)
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::SystemError => f.write_str("system_error"),
            FaultKind::ReplyLost => f.write_str("reply_lost"),
            FaultKind::Delay => f.write_str("delay"),
            FaultKind::Timeout => f.write_str("timeout"),
            FaultKind::ConnectionReset => f.write_str("connection_reset"),
            FaultKind::HttpStatus(status) => write!(f, "http_status:{status}"),
            FaultKind::BizErrNeedRetry => f.write_str("bizerr_need_retry"),
            FaultKind::FrequencyLimited => f.write_str("frequency_limited"),
            FaultKind::BadSignature => f.write_str("bad_signature"),
            FaultKind::TruncatedXml => f.write_str("truncated_xml"),
            FaultKind::BusinessError(code) => write!(f, "business_error:{code}"),
        }
    }
}

impl Serialize for FaultKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FaultKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FaultKind, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A fault armed for the next `count` requests to `path`; a `count` of 0 keeps it
/// armed until the faults are cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub path: String,
    pub kind: FaultKind,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub delay_ms: u64,
}

fn one() -> u32 {
    1
}

/// Marks a response whose connection the server closes instead of sending it.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The error the connection's service returns for a `DropConnection` response, which
/// makes hyper close the connection without writing anything.
#[derive(Debug, thiserror::Error)]
#[error("connection closed by an injected fault")]
pub struct ConnectionDropped;

/// Applies the first armed fault for the request's path, if any.
pub async fn inject(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let Some(fault) = take_fault(&app, &path) else {
        return next.run(request).await;
    };
    tracing::info!(%path, kind = %fault.kind, "injecting a fault");

    match fault.kind {
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            next.run(request).await
        }
        FaultKind::Timeout => {
            let hold = match fault.delay_ms {
                0 => DEFAULT_HOLD,
                ms => Duration::from_millis(ms),
            };
            tokio::time::sleep(hold).await;
            drop_connection()
        }
        FaultKind::ConnectionReset => drop_connection(),
        FaultKind::HttpStatus(status) => StatusCode::from_u16(status)
            .ok()
            .filter(StatusCode::is_server_error)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
        FaultKind::SystemError => {
            let bytes = read_body(request).await;
            business_error(&app, &path, &bytes, "SYSTEMERROR")
        }
        FaultKind::BizErrNeedRetry => {
            let bytes = read_body(request).await;
            business_error(&app, &path, &bytes, "BIZERR_NEED_RETRY")
        }
        FaultKind::FrequencyLimited => {
            let bytes = read_body(request).await;
            business_error(&app, &path, &bytes, "FREQUENCY_LIMITED")
        }
        FaultKind::BusinessError(code) => {
            let bytes = read_body(request).await;
            business_error(&app, &path, &bytes, code)
        }
        FaultKind::ReplyLost => {
            let (parts, body) = request.into_parts();
            let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
            let handled = next
                .run(Request::from_parts(parts, Body::from(bytes.clone())))
                .await;
            tracing::info!(%path, status = handled.status().as_u16(), "reply dropped by a fault");
            business_error(&app, &path, &bytes, "SYSTEMERROR")
        }
        FaultKind::BadSignature => {
            let handled = next.run(request).await;
            let (parts, body) = handled.into_parts();
            let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
            Response::from_parts(parts, Body::from(break_signature(&bytes)))
        }
        FaultKind::TruncatedXml => {
            let handled = next.run(request).await;
            let (mut parts, body) = handled.into_parts();
            let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
        }
    }
}

fn take_fault(app: &App, path: &str) -> Option<Fault> {
    let mut faults = app.faults();
    let index = faults.iter().position(|f| f.path == path)?;
    let fault = faults[index].clone();
    match faults[index].count {
        // Armed until cleared.
        0 => {}
        1 => {
            faults.remove(index);
        }
        _ => faults[index].count -= 1,
    }
    Some(fault)
}

async fn read_body(request: Request) -> axum::body::Bytes {
    to_bytes(request.into_body(), MAX_BODY)
        .await
        .unwrap_or_default()
}

fn drop_connection() -> Response {
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(DropConnection);
    response
}

/// Builds the signed result_code FAIL reply with `err_code`, or errcode -1 on Official
/// Account paths, which have no such codes.
fn business_error(app: &App, path: &str, body: &[u8], err_code: &'static str) -> Response {
    let is_pay = path.starts_with("/pay/") || path.starts_with("/secapi/");
    if !is_pay {
        return mp::error(-1, "system error");
    }
    let err_code_des = err_codes::lookup(err_code).map_or("系统繁忙，请稍后再试", |(_, des)| des);
    pay::reject_code(app, request_sign_type(app, body), err_code, err_code_des).into_response()
}

/// Returns the request's own signature algorithm, so the client can verify the reply.
fn request_sign_type(app: &App, body: &[u8]) -> SignType {
    wxpay::xml::decode(body)
        .ok()
        .and_then(|fields| wxpay::sign::verify(&fields, &app.api_key).ok())
        .unwrap_or(SignType::Md5)
}

/// Replaces the sign of an XML reply with one that cannot verify.
fn break_signature(body: &[u8]) -> Vec<u8> {
    let Ok(mut fields) = wxpay::xml::decode(body) else {
        return body.to_vec();
    };
    let Some(sign) = fields.get_mut("sign") else {
        return body.to_vec();
    };
    // Flipping the first hex digit keeps the length and alphabet of a real sign.
    let flipped = match sign.chars().next() {
        Some('0') => '1',
        _ => '0',
    };
    sign.replace_range(..1.min(sign.len()), &flipped.to_string());
    wxpay::xml::encode(&fields).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        let kinds = [
            FaultKind::SystemError,
            FaultKind::ReplyLost,
            FaultKind::Delay,
            FaultKind::Timeout,
            FaultKind::ConnectionReset,
            FaultKind::HttpStatus(503),
            FaultKind::BizErrNeedRetry,
            FaultKind::FrequencyLimited,
            FaultKind::BadSignature,
            FaultKind::TruncatedXml,
            FaultKind::BusinessError("ORDERPAID"),
        ];
        for kind in kinds {
            assert_eq!(kind.to_string().parse::<FaultKind>(), Ok(kind));
        }
    }

    #[test]
    fn unknown_kinds_rejected() {
        for name in [
            "nope",
            "http_status:404",
            "http_status:x",
            "business_error:NOT_A_CODE",
        ] {
            assert!(name.parse::<FaultKind>().is_err(), "{name} parsed");
        }
    }
}
