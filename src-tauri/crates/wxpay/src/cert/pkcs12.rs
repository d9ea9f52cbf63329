//! apiclient_cert.p12: unpacked to the PEM pair with a pure-Rust PKCS#12 reader, which
//! also opens the RC2-40 / 3DES files that OpenSSL 3 reads only with its legacy provider.

use p12_keystore::error::Error as P12Error;
use p12_keystore::{
    Certificate, KeyStore, KeyStoreEntry, LocalKeyId, Pkcs12Archive, PrivateKey, PrivateKeyChain,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::{
    check_identity, encode_pem, pem_blocks, public_key_of, CertError, CERT_FILE, KEY_FILE,
};
use crate::ClientIdentity;

/// Reads apiclient_cert.p12. WeChat sets its password to the mch_id, so pass the mch_id
/// as `password` unless the merchant exported the file again with another one.
pub fn identity_from_pkcs12(
    der: &[u8],
    password: &str,
    mch_id: &str,
) -> Result<ClientIdentity, CertError> {
    let archive = Pkcs12Archive::from_pkcs12(der, password).map_err(read_error)?;
    let [key_bag] = archive.keys.as_slice() else {
        return Err(unreadable(format!(
            "expected one private key, found {}",
            archive.keys.len()
        )));
    };
    if archive.certs.is_empty() {
        return Err(unreadable("no certificate inside".into()));
    }

    // Bags need not carry local key ids, so the merchant certificate is found by its key.
    let key = PrivateKeyDer::from(PrivatePkcs8KeyDer::from(key_bag.key.as_der()));
    let public_key = public_key_of(&key)?;
    let leaf = archive
        .certs
        .iter()
        .position(|bag| spki_of(bag.cert.as_der()).as_deref() == Some(public_key.as_slice()))
        .ok_or(CertError::KeyMismatch)?;
    check_identity(archive.certs[leaf].cert.as_der(), &key, mch_id)?;

    let leaf_first = std::iter::once(&archive.certs[leaf]).chain(
        archive
            .certs
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != leaf)
            .map(|(_, bag)| bag),
    );
    let certificates: Vec<pem::Pem> = leaf_first
        .map(|bag| pem::Pem::new("CERTIFICATE", bag.cert.as_der()))
        .collect();
    Ok(ClientIdentity {
        cert_pem: encode_pem(&certificates),
        key_pem: encode_pem(&[pem::Pem::new("PRIVATE KEY", key_bag.key.as_der())]),
    })
}

/// Packs a certificate and its PKCS#8 key into a PKCS#12 file with AES-256 (PBES2) and
/// an HMAC-SHA256 MAC, as OpenSSL 3 writes by default. The simulator uses it to hand a
/// merchant apiclient_cert.p12 with the mch_id as `password`.
pub fn write_pkcs12(cert_pem: &str, key_pem: &str, password: &str) -> Result<Vec<u8>, CertError> {
    let certificates = pem_blocks(cert_pem, CERT_FILE, &["CERTIFICATE"])?;
    let keys =
        pem_blocks(key_pem, KEY_FILE, &["PRIVATE KEY"]).map_err(|_| CertError::KeyUnsupported {
            reason: "PKCS#12 needs a PKCS#8 key (a PEM block labelled PRIVATE KEY)".into(),
        })?;

    let key = PrivateKey::from_der(keys[0].contents()).map_err(|e| CertError::KeyUnsupported {
        reason: e.to_string(),
    })?;
    let chain = certificates
        .iter()
        .map(|block| Certificate::from_der(block.contents()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CertError::PemUnreadable {
            file: CERT_FILE,
            reason: format!("not an X.509 certificate: {e}"),
        })?;

    // The local key id links the key bag to its certificate bag; a digest of the
    // certificate is unique and stable, as OpenSSL's (a SHA-1 of it) is.
    let local_key_id = LocalKeyId(Sha256::digest(certificates[0].contents()).to_vec());
    let mut store = KeyStore::new();
    store.add_entry(
        "apiclient_cert",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_key_id, key, chain)),
    );
    store
        .writer(password)
        .write()
        .map_err(|e| CertError::Pkcs12Write {
            reason: e.to_string(),
        })
}

fn spki_of(cert_der: &[u8]) -> Option<Vec<u8>> {
    let (_, certificate) = X509Certificate::from_der(cert_der).ok()?;
    Some(certificate.public_key().raw.to_vec())
}

/// Sorts the reader's failures: a MAC that does not verify, or a decryption whose padding
/// breaks when the file has no MAC, almost always means the wrong password.
/// NOTE: a file damaged inside its encrypted contents fails the MAC the same way, so it is
/// reported as a wrong password; only a file whose structure breaks is `Pkcs12Unreadable`.
fn read_error(error: P12Error) -> CertError {
    match error {
        P12Error::MacError(_) | P12Error::UnpadError => CertError::WrongPassword,
        other => unreadable(other.to_string()),
    }
}

fn unreadable(reason: String) -> CertError {
    CertError::Pkcs12Unreadable { reason }
}
