//! A loopback HTTPS server from a throwaway CA, asking every connection for a client
//! certificate signed by that CA, as WeChat's /secapi paths require one.

use std::sync::Arc;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use wxpay::ClientIdentity;

use super::server::{Recorded, Reply, ServerState, TestServer};

/// A CA that signs the server's certificate and client certificates.
pub struct TestCa {
    pub cert_pem: String,
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            cert_pem: cert.pem(),
            cert,
            key,
        }
    }

    fn issue(
        &self,
        names: Vec<String>,
        purpose: ExtendedKeyUsagePurpose,
    ) -> (rcgen::Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![purpose];
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (cert, key)
    }

    /// Issues a client certificate whose subject CN is `mch_id`, as WeChat issues them.
    pub fn merchant_identity(&self, mch_id: &str) -> ClientIdentity {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, mch_id);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        ClientIdentity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    /// Issues a merchant client certificate, as apiclient_cert.pem and apiclient_key.pem.
    pub fn client_identity(&self) -> ClientIdentity {
        let (cert, key) = self.issue(Vec::new(), ExtendedKeyUsagePurpose::ClientAuth);
        ClientIdentity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// Starts an HTTPS server on 127.0.0.1 whose certificate `ca` signed. Connections
/// without a client certificate are served too, and recorded as such; a certificate
/// from another CA fails the handshake.
pub async fn start_tls(
    ca: &TestCa,
    handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> TestServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (cert, key) = ca.issue(
        vec!["127.0.0.1".into()],
        ExtendedKeyUsagePurpose::ServerAuth,
    );
    let mut roots = RootCertStore::empty();
    roots.add(ca.cert.der().clone()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .allow_unauthenticated()
        .build()
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![CertificateDer::from(cert.der().to_vec())], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));

    let state = ServerState::new(handler);
    let requests = state.requests_handle();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let state = state.clone();
            tokio::spawn(async move {
                // A rejected client certificate ends the handshake here; the client sees
                // the failure.
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let has_certificate = tls.get_ref().1.peer_certificates().is_some();
                let service = TowerToHyperService::new(state.router(has_certificate));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    TestServer {
        base_url: format!("https://{address}"),
        requests,
        task,
    }
}
