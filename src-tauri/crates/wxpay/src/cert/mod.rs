//! The merchant's API client certificate: reads apiclient_cert.pem + apiclient_key.pem or
//! apiclient_cert.p12 into a `ClientIdentity`, after checking that the certificate belongs
//! to this mch_id and matches the key. Also writes apiclient_cert.p12 for the simulator.

mod pkcs12;

pub use pkcs12::{identity_from_pkcs12, write_pkcs12};

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::ClientIdentity;

/// A client certificate that cannot be used for this merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("{file} is not a readable PEM file: {reason}")]
    PemUnreadable { file: &'static str, reason: String },
    #[error(
        "wrong password for apiclient_cert.p12: the password of apiclient_cert.p12 is the mch_id"
    )]
    WrongPassword,
    #[error("apiclient_cert.p12 is damaged or in an unsupported format: {reason}")]
    Pkcs12Unreadable { reason: String },
    #[error("the certificate was issued to {found:?}, not to mch_id {expected}")]
    WrongMerchant { found: String, expected: String },
    #[error("the private key does not match the certificate")]
    KeyMismatch,
    #[error("unsupported private key: {reason}")]
    KeyUnsupported { reason: String },
    #[error("failed to write apiclient_cert.p12: {reason}")]
    Pkcs12Write { reason: String },
}

pub(crate) const CERT_FILE: &str = "apiclient_cert.pem";
pub(crate) const KEY_FILE: &str = "apiclient_key.pem";

/// Reads the PEM pair downloaded from the merchant platform. `cert_pem` may carry the
/// merchant certificate's chain after it; the first certificate must be the merchant's.
pub fn identity_from_pem(
    cert_pem: &str,
    key_pem: &str,
    mch_id: &str,
) -> Result<ClientIdentity, CertError> {
    let certificates = pem_blocks(cert_pem, CERT_FILE, &["CERTIFICATE"])?;
    let keys = pem_blocks(key_pem, KEY_FILE, &KEY_TAGS)?;
    let [key] = keys.as_slice() else {
        return Err(CertError::PemUnreadable {
            file: KEY_FILE,
            reason: format!("expected one private key, found {}", keys.len()),
        });
    };

    check_identity(certificates[0].contents(), &private_key_der(key)?, mch_id)?;
    Ok(ClientIdentity {
        cert_pem: encode_pem(&certificates),
        key_pem: encode_pem(std::slice::from_ref(key)),
    })
}

/// PEM labels of the private key encodings rustls accepts: PKCS#8, PKCS#1 (RSA) and SEC1 (EC).
const KEY_TAGS: [&str; 3] = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

/// Parses the PEM blocks with one of `tags`, ignoring any other text, and requires at least one.
pub(crate) fn pem_blocks(
    text: &str,
    file: &'static str,
    tags: &[&str],
) -> Result<Vec<pem::Pem>, CertError> {
    let unreadable = |reason: String| CertError::PemUnreadable { file, reason };
    let blocks: Vec<pem::Pem> = pem::parse_many(text)
        .map_err(|e| unreadable(e.to_string()))?
        .into_iter()
        .filter(|block| tags.contains(&block.tag()))
        .collect();
    if blocks.is_empty() {
        return Err(unreadable(format!("no {} block found", tags.join(" or "))));
    }
    Ok(blocks)
}

/// Writes PEM blocks with LF line endings, as OpenSSL writes them on Unix.
pub(crate) fn encode_pem(blocks: &[pem::Pem]) -> String {
    let config = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_many_config(blocks, config)
}

fn private_key_der(block: &pem::Pem) -> Result<PrivateKeyDer<'static>, CertError> {
    let der = block.contents().to_vec();
    match block.tag() {
        "RSA PRIVATE KEY" => Ok(PrivatePkcs1KeyDer::from(der).into()),
        "EC PRIVATE KEY" => Ok(PrivateSec1KeyDer::from(der).into()),
        _ => Ok(PrivatePkcs8KeyDer::from(der).into()),
    }
}

/// Checks that the certificate names this merchant and that the key is its key.
/// WeChat issues merchant certificates with the mch_id as the subject's CN.
pub(crate) fn check_identity(
    cert_der: &[u8],
    key: &PrivateKeyDer<'_>,
    mch_id: &str,
) -> Result<(), CertError> {
    let (_, certificate) =
        X509Certificate::from_der(cert_der).map_err(|e| CertError::PemUnreadable {
            file: CERT_FILE,
            reason: format!("not an X.509 certificate: {e}"),
        })?;

    let common_name = certificate
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .unwrap_or_default();
    if common_name != mch_id {
        return Err(CertError::WrongMerchant {
            found: certificate.subject().to_string(),
            expected: mch_id.to_owned(),
        });
    }

    let public_key = public_key_of(key)?;
    if public_key.as_slice() != certificate.public_key().raw {
        return Err(CertError::KeyMismatch);
    }
    Ok(())
}

/// Derives the SubjectPublicKeyInfo DER of a private key, in the form a certificate
/// carries it.
pub(crate) fn public_key_of(key: &PrivateKeyDer<'_>) -> Result<Vec<u8>, CertError> {
    let signing_key = rustls::crypto::ring::sign::any_supported_type(key).map_err(|e| {
        CertError::KeyUnsupported {
            reason: e.to_string(),
        }
    })?;
    let public_key = signing_key
        .public_key()
        .ok_or_else(|| CertError::KeyUnsupported {
            reason: "its public key cannot be derived".into(),
        })?;
    Ok(public_key.as_ref().to_vec())
}
