//! A loopback HTTP server for client tests: it records each request and replies with
//! whatever the test's handler returns, signed or not as the test chooses.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;
use wxpay::{sign, xml, Fields, SignType};

use super::demo_key;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Whether the connection presented a client certificate (always false over HTTP).
    pub client_certificate: bool,
    pub path: String,
    pub content_type: String,
    pub fields: Fields,
}

/// What the handler sends back.
pub enum Reply {
    Body(Vec<u8>),
    Status(u16),
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

#[derive(Clone)]
pub(crate) struct ServerState {
    handler: Handler,
    requests: Arc<Mutex<Vec<Recorded>>>,
    client_certificate: bool,
}

impl ServerState {
    pub(crate) fn new(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        ServerState {
            handler: Arc::new(handler),
            requests: Arc::new(Mutex::new(Vec::new())),
            client_certificate: false,
        }
    }

    pub(crate) fn requests_handle(&self) -> Arc<Mutex<Vec<Recorded>>> {
        self.requests.clone()
    }

    /// Builds the router for one connection, recording whether it had a client certificate.
    pub(crate) fn router(&self, client_certificate: bool) -> Router {
        let mut state = self.clone();
        state.client_certificate = client_certificate;
        Router::new().fallback(handle).with_state(state)
    }
}

pub struct TestServer {
    pub base_url: String,
    pub(crate) requests: Arc<Mutex<Vec<Recorded>>>,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a server on 127.0.0.1 with a free port.
pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
    let state = ServerState::new(handler);
    let requests = state.requests_handle();
    let router = state.router(false);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    TestServer {
        base_url: format!("http://{address}"),
        requests,
        task,
    }
}

async fn handle(
    State(state): State<ServerState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = xml::decode(&body).unwrap_or_default();
    let recorded = Recorded {
        client_certificate: state.client_certificate,
        path: uri.path().to_owned(),
        content_type: headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        fields,
    };
    state.requests.lock().unwrap().push(recorded.clone());
    match (state.handler)(&recorded) {
        Reply::Body(bytes) => bytes.into_response(),
        Reply::Status(code) => StatusCode::from_u16(code).unwrap().into_response(),
    }
}

/// Builds fields from pairs.
pub fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Builds a SUCCESS envelope for the demo merchant with the given business fields, signed MD5.
pub fn signed_success(extra: &[(&str, &str)]) -> Vec<u8> {
    let mut reply = fields(&[
        ("return_code", "SUCCESS"),
        ("return_msg", "OK"),
        ("appid", super::APPID),
        ("mch_id", super::MCH_ID),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("result_code", "SUCCESS"),
    ]);
    reply.extend(fields(extra));
    sign_fields(reply)
}

/// Signs fields with the demo key (MD5) and encodes them.
pub fn sign_fields(mut reply: Fields) -> Vec<u8> {
    let signature = sign::sign(&reply, &demo_key(), SignType::Md5);
    reply.insert("sign".into(), signature);
    xml::encode(&reply).into_bytes()
}
