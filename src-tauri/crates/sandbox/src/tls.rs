//! The simulator's certificates: a local CA, a server certificate for 127.0.0.1 and
//! localhost, and a merchant client certificate shaped like WeChat's apiclient_cert
//! (subject CN = mch_id), also packed as apiclient_cert.p12. Made on first start, kept in
//! the state folder, reused after.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};

const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca-key.pem";
const SERVER_CERT: &str = "server.pem";
const SERVER_KEY: &str = "server-key.pem";
const CLIENT_CERT: &str = "apiclient_cert.pem";
const CLIENT_KEY: &str = "apiclient_key.pem";
const CLIENT_P12: &str = "apiclient_cert.p12";

/// Errors from making, loading or using the certificates.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{path} holds no usable PEM {what}")]
    Pem { path: PathBuf, what: &'static str },
    #[error("cannot build the TLS server configuration: {0}")]
    Config(#[from] rustls::Error),
    #[error("cannot build the client certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("cannot pack apiclient_cert.p12: {0}")]
    Pkcs12(#[from] wxpay::CertError),
}

/// The PEM texts of every certificate and key the simulator uses.
#[derive(Clone)]
pub struct CertBundle {
    pub ca_cert_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
}

impl CertBundle {
    /// Loads the bundle from `dir`, making whatever is missing. The client certificate is
    /// issued again when its CN is not `mch_id` (the folder was used for another merchant).
    pub fn load_or_create(dir: &Path, mch_id: &str) -> Result<CertBundle, TlsError> {
        let ca_pair = match (read_opt(dir, CA_CERT)?, read_opt(dir, CA_KEY)?) {
            (Some(cert), Some(key)) => (cert, key),
            _ => {
                let (cert, key) = make_ca()?;
                write(dir, CA_KEY, &key, true)?;
                write(dir, CA_CERT, &cert, false)?;
                // A new CA makes the old leaf certificates worthless.
                remove(dir, SERVER_CERT)?;
                remove(dir, CLIENT_CERT)?;
                (cert, key)
            }
        };
        let ca_key = KeyPair::from_pem(&ca_pair.1)?;
        let ca_params = CertificateParams::from_ca_cert_pem(&ca_pair.0)?;
        let ca_cert = ca_params.self_signed(&ca_key)?;
        let issuer = Issuer {
            cert: &ca_cert,
            key: &ca_key,
        };

        let server = match (read_opt(dir, SERVER_CERT)?, read_opt(dir, SERVER_KEY)?) {
            (Some(cert), Some(key)) => (cert, key),
            _ => {
                let (cert, key) = make_server_cert(&issuer)?;
                write(dir, SERVER_KEY, &key, true)?;
                write(dir, SERVER_CERT, &cert, false)?;
                (cert, key)
            }
        };

        let existing_client = match (read_opt(dir, CLIENT_CERT)?, read_opt(dir, CLIENT_KEY)?) {
            (Some(cert), Some(key)) if cert_pem_common_name(&cert).as_deref() == Some(mch_id) => {
                Some((cert, key))
            }
            _ => None,
        };
        let client = match existing_client {
            Some(pair) => pair,
            None => {
                let (cert, key) = make_client_cert(&issuer, mch_id)?;
                write(dir, CLIENT_KEY, &key, true)?;
                write(dir, CLIENT_CERT, &cert, false)?;
                remove(dir, CLIENT_P12)?;
                (cert, key)
            }
        };
        if !dir.join(CLIENT_P12).is_file() {
            // WeChat's download sets the password of apiclient_cert.p12 to the mch_id.
            let p12 = wxpay::write_pkcs12(&client.0, &client.1, mch_id)?;
            write_bytes(dir, CLIENT_P12, &p12, true)?;
        }

        Ok(CertBundle {
            ca_cert_pem: ca_pair.0,
            server_cert_pem: server.0,
            server_key_pem: server.1,
            client_cert_pem: client.0,
            client_key_pem: client.1,
        })
    }

    /// Builds the rustls server configuration. Every connection is asked for a client
    /// certificate, but one without a certificate is still accepted, because only the
    /// secapi paths and downloadfundflow need it (pay API certificate rules).
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());

        let mut roots = RootCertStore::empty();
        for cert in parse_certs(&self.ca_cert_pem, CA_CERT)? {
            roots.add(cert)?;
        }
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .allow_unauthenticated()
                .build()?;

        let chain = parse_certs(&self.server_cert_pem, SERVER_CERT)?;
        let key = parse_key(&self.server_key_pem, SERVER_KEY)?;
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// Reads the subject common name of a DER certificate, if it has one.
pub fn common_name(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let cn = cert.subject().iter_common_name().next()?;
    cn.as_str().ok().map(str::to_owned)
}

fn cert_pem_common_name(pem: &str) -> Option<String> {
    let der = rustls_pemfile::certs(&mut pem.as_bytes()).next()?.ok()?;
    common_name(&der)
}

struct Issuer<'a> {
    cert: &'a rcgen::Certificate,
    key: &'a KeyPair,
}

fn make_ca() -> Result<(String, String), TlsError> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = name(&[
        (DnType::CommonName, "WeChat Merchant Console Sandbox CA"),
        (DnType::OrganizationName, "Sandbox"),
    ]);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let cert = params.self_signed(&key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn make_server_cert(issuer: &Issuer<'_>) -> Result<(String, String), TlsError> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
    params
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    params.distinguished_name = name(&[(DnType::CommonName, "127.0.0.1")]);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, issuer.cert, issuer.key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Issues the merchant certificate. WeChat's apiclient_cert names the merchant number as
/// CN and 微信商户系统 as O, which is what clients and this server look at.
fn make_client_cert(issuer: &Issuer<'_>, mch_id: &str) -> Result<(String, String), TlsError> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = name(&[
        (DnType::CommonName, mch_id),
        (DnType::OrganizationName, "微信商户系统"),
        (DnType::OrganizationalUnitName, "Sandbox merchant"),
        (DnType::CountryName, "CN"),
    ]);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, issuer.cert, issuer.key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn name(parts: &[(DnType, &str)]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for (kind, value) in parts {
        dn.push(kind.clone(), *value);
    }
    dn
}

fn parse_certs(pem: &str, file: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs: Vec<_> = rustls_pemfile::certs(&mut pem.as_bytes())
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(TlsError::Pem {
            path: PathBuf::from(file),
            what: "certificate",
        });
    }
    Ok(certs)
}

fn parse_key(pem: &str, file: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    match rustls_pemfile::private_key(&mut pem.as_bytes()) {
        Ok(Some(key)) => Ok(key),
        _ => Err(TlsError::Pem {
            path: PathBuf::from(file),
            what: "private key",
        }),
    }
}

fn read_opt(dir: &Path, file: &str) -> Result<Option<String>, TlsError> {
    let path = dir.join(file);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(TlsError::Io { path, source }),
    }
}

fn remove(dir: &Path, file: &str) -> Result<(), TlsError> {
    let path = dir.join(file);
    match fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(TlsError::Io { path, source }),
    }
}

/// Writes a PEM file; private keys are readable by the owner only.
fn write(dir: &Path, file: &str, text: &str, private: bool) -> Result<(), TlsError> {
    write_bytes(dir, file, text.as_bytes(), private)
}

fn write_bytes(dir: &Path, file: &str, text: &[u8], private: bool) -> Result<(), TlsError> {
    let path = dir.join(file);
    let io_err = |source| TlsError::Io {
        path: path.clone(),
        source,
    };
    fs::write(&path, text).map_err(io_err)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).map_err(io_err)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_reused_on_second_load() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = CertBundle::load_or_create(dir.path(), "1900000109").expect("create");
        let second = CertBundle::load_or_create(dir.path(), "1900000109").expect("load");
        assert_eq!(first.ca_cert_pem, second.ca_cert_pem);
        assert_eq!(first.server_cert_pem, second.server_cert_pem);
        assert_eq!(first.client_cert_pem, second.client_cert_pem);
        assert_eq!(
            cert_pem_common_name(&first.client_cert_pem).as_deref(),
            Some("1900000109")
        );
        first.server_config().expect("server config");
    }

    #[test]
    fn client_cert_reissued_for_other_mch_id() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = CertBundle::load_or_create(dir.path(), "1900000109").expect("create");
        let other = CertBundle::load_or_create(dir.path(), "1230000001").expect("reissue");
        assert_eq!(first.ca_cert_pem, other.ca_cert_pem);
        assert_ne!(first.client_cert_pem, other.client_cert_pem);
        assert_eq!(
            cert_pem_common_name(&other.client_cert_pem).as_deref(),
            Some("1230000001")
        );
    }
}
