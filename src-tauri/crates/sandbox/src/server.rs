//! The HTTPS server: a TLS accept loop that records each connection's client
//! certificate, hyper serving every connection, and the router of pay, Official Account
//! and admin paths.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::app::App;
use crate::{admin, faults, log, mp, pay, tls};

/// A slow or stuck handshake is dropped after this long.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often processing refunds and waiting payments are checked for being due.
const SETTLE_INTERVAL: Duration = Duration::from_millis(500);

/// The client certificate of the connection a request came on, put into every request's
/// extensions. The TLS layer has already checked it against the sandbox CA.
#[derive(Debug, Clone, Default)]
pub struct ClientCert {
    /// Whether the client presented a certificate at all.
    pub presented: bool,
    /// Its subject CN, which for a merchant certificate is the mch_id.
    pub common_name: Option<String>,
}

/// The address of the client a request came from, put into every request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// Builds the router of every path the simulator serves.
pub fn router(app: Arc<App>) -> Router {
    // Pay API certificate rules: refunds, reversals and fund-flow bills need the
    // merchant's client certificate.
    let with_cert = Router::new()
        .route("/secapi/pay/refund", post(pay::refund::refund))
        .route("/secapi/pay/reverse", post(pay::micropay::reverse))
        .route("/pay/downloadfundflow", post(pay::bill::download_fund_flow))
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            pay::require_client_cert,
        ));

    Router::new()
        .route("/pay/unifiedorder", post(pay::order::unified_order))
        .route("/pay/orderquery", post(pay::order::order_query))
        .route("/pay/closeorder", post(pay::order::close_order))
        .route("/pay/micropay", post(pay::micropay::micropay))
        .route("/pay/refundquery", post(pay::refund_query::refund_query))
        .route("/pay/downloadbill", post(pay::bill::download_bill))
        .merge(with_cert)
        .route("/cgi-bin/stable_token", post(mp::token::stable_token))
        .route("/cgi-bin/token", get(mp::token::token))
        .route("/marketing/user_action_sets/add", post(mp::sets::add))
        .route("/marketing/user_action_sets/get", get(mp::sets::get))
        .route("/marketing/user_actions/add", post(mp::actions::add))
        .route("/sns/oauth2/access_token", get(mp::oauth::exchange))
        .route("/connect/oauth2/authorize", get(mp::oauth::authorize))
        .layer(middleware::from_fn_with_state(app.clone(), faults::inject))
        .nest("/sandbox/admin", admin::routes())
        .layer(middleware::from_fn(log::log_exchange))
        .with_state(app)
}

/// Accepts connections until `stopped` flips (or its sender is dropped), then drops
/// every open connection and releases the state folder lock. Meanwhile settles due
/// refunds and payments every `SETTLE_INTERVAL`, so their notifies go out without
/// waiting for a query.
pub async fn serve(
    listener: TcpListener,
    tls_config: Arc<rustls::ServerConfig>,
    app: Arc<App>,
    mut stopped: watch::Receiver<bool>,
    state_lock: std::fs::File,
) {
    let router = router(app.clone());
    let acceptor = TlsAcceptor::from(tls_config);
    let mut connections = JoinSet::new();
    let mut settle = tokio::time::interval(SETTLE_INTERVAL);
    settle.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        while connections.try_join_next().is_some() {}
        tokio::select! {
            _ = settle.tick() => {
                drop(app.settled_ledger());
            }
            changed = stopped.changed() => {
                if changed.is_err() || *stopped.borrow() {
                    break;
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    connections.spawn(serve_connection(acceptor.clone(), tcp, peer, router.clone()));
                }
                Err(err) => {
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    connections.shutdown().await;
    drop(state_lock);
}

async fn serve_connection(acceptor: TlsAcceptor, tcp: TcpStream, peer: SocketAddr, router: Router) {
    let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(err)) => {
            tracing::info!(%peer, %err, "TLS handshake failed");
            return;
        }
        Err(_) => {
            tracing::info!(%peer, "TLS handshake timed out");
            return;
        }
    };

    let leaf = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first());
    let client_cert = ClientCert {
        presented: leaf.is_some(),
        common_name: leaf.and_then(|der| tls::common_name(der)),
    };

    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(client_cert.clone());
        request.extensions_mut().insert(Peer(peer));
        let router = router.clone();
        async move {
            let response = match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            // A service error makes hyper close the connection without a reply.
            if response
                .extensions()
                .get::<faults::DropConnection>()
                .is_some()
            {
                return Err(faults::ConnectionDropped);
            }
            Ok(response)
        }
    });
    if let Err(err) = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(%peer, %err, "connection ended with an error");
    }
}
