//! Fault injection for tests of the console's retry logic: the next requests to a path
//! can fail with SYSTEMERROR before they are handled, lose their reply after they were
//! handled (the outcome-unknown case), or be delayed.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use wxpay::SignType;

use crate::app::App;
use crate::mp;
use crate::pay;
use crate::trade::BizError;

/// Largest request body read to find the sign_type of a faulted pay request.
const MAX_BODY: usize = 2 << 20;

/// Effect of a fault on the request that meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Reply SYSTEMERROR (pay) or errcode -1 (Official Account) without handling it.
    SystemError,
    /// Handle the request, then reply as `SystemError` does: the change happened, but
    /// the caller cannot know.
    ReplyLost,
    /// Wait `delay_ms` before handling the request.
    Delay,
}

/// A fault armed for the next `count` requests to `path`.
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

/// Applies the first armed fault for the request's path, if any.
pub async fn inject(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let Some(fault) = take_fault(&app, &path) else {
        return next.run(request).await;
    };
    tracing::info!(%path, kind = ?fault.kind, "injecting a fault");

    match fault.kind {
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            next.run(request).await
        }
        FaultKind::SystemError => {
            let (parts, body) = request.into_parts();
            let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
            drop(parts);
            system_error(&app, &path, &bytes)
        }
        FaultKind::ReplyLost => {
            let (parts, body) = request.into_parts();
            let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
            let handled = next
                .run(Request::from_parts(parts, Body::from(bytes.clone())))
                .await;
            tracing::info!(%path, status = handled.status().as_u16(), "reply dropped by a fault");
            system_error(&app, &path, &bytes)
        }
    }
}

fn take_fault(app: &App, path: &str) -> Option<Fault> {
    let mut faults = app.faults();
    let index = faults.iter().position(|f| f.path == path && f.count > 0)?;
    let fault = faults[index].clone();
    faults[index].count -= 1;
    if faults[index].count == 0 {
        faults.remove(index);
    }
    Some(fault)
}

fn system_error(app: &App, path: &str, body: &[u8]) -> Response {
    let is_pay = path.starts_with("/pay/") || path.starts_with("/secapi/");
    if !is_pay {
        return mp::error(-1, "system error");
    }
    // Sign with the request's own algorithm, so the client can verify the reply.
    let sign_type = wxpay::xml::decode(body)
        .ok()
        .and_then(|fields| wxpay::sign::verify(&fields, &app.api_key).ok())
        .unwrap_or(SignType::Md5);
    pay::reject(app, sign_type, &BizError::System).into_response()
}
