//! Client certificate import: the PEM pair and apiclient_cert.p12, from certificates made
//! here with rcgen. Legacy RC2-40 / 3DES files are made with the openssl command when it
//! is installed and has the legacy provider; those cases are skipped otherwise.

mod common;

use std::path::Path;
use std::process::Command;

use common::server::{signed_success, Reply};
use common::tls::{start_tls, TestCa};
use common::{demo_key, APPID, MCH_ID};
use rcgen::{CertificateParams, DnType, KeyPair};
use wxpay::model::{OrderRef, RefundRequest};
use wxpay::{
    identity_from_pem, identity_from_pkcs12, write_pkcs12, CertError, ClientIdentity, Fen, Hosts,
    PayClient, PayConfig, PayError,
};

/// Makes a self-signed certificate with `common_name` as the subject CN, and its key.
fn self_signed(common_name: &str, key: &KeyPair) -> String {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Test shop");
    params.self_signed(key).unwrap().pem()
}

fn merchant() -> (String, String) {
    let key = KeyPair::generate().unwrap();
    (self_signed(MCH_ID, &key), key.serialize_pem())
}

#[test]
fn pem_pair_is_accepted() {
    let (cert_pem, key_pem) = merchant();
    let identity = identity_from_pem(&cert_pem, &key_pem, MCH_ID).unwrap();
    assert_eq!(identity.cert_pem.trim(), cert_pem.trim());
    assert_eq!(identity.key_pem.trim(), key_pem.trim());
}

#[test]
fn pem_text_around_blocks_is_ignored() {
    let (cert_pem, key_pem) = merchant();
    let noisy_cert = format!("Bag Attributes\n    friendlyName: tenpay\n{cert_pem}");
    let identity = identity_from_pem(&noisy_cert, &key_pem, MCH_ID).unwrap();
    assert_eq!(identity.cert_pem.trim(), cert_pem.trim());
}

#[test]
fn pem_other_merchant_is_rejected() {
    let key = KeyPair::generate().unwrap();
    let cert_pem = self_signed("1900000109", &key);
    let error = identity_from_pem(&cert_pem, &key.serialize_pem(), MCH_ID).unwrap_err();
    match &error {
        CertError::WrongMerchant { found, expected } => {
            assert!(found.contains("1900000109"), "{found}");
            assert_eq!(expected, MCH_ID);
        }
        other => panic!("expected WrongMerchant, got {other:?}"),
    }
    let explained = PayError::from(error).explain();
    assert_eq!(explained.code, "CERT_WRONG_MERCHANT");
    assert!(explained.en.contains(MCH_ID));
    assert!(explained.zh.contains("商户号"));
}

#[test]
fn pem_without_common_name_is_rejected() {
    let key = KeyPair::generate().unwrap();
    let cert_pem = CertificateParams::new(Vec::<String>::new())
        .unwrap()
        .self_signed(&key)
        .unwrap()
        .pem();
    let error = identity_from_pem(&cert_pem, &key.serialize_pem(), MCH_ID).unwrap_err();
    assert!(
        matches!(error, CertError::WrongMerchant { .. }),
        "{error:?}"
    );
}

#[test]
fn pem_key_of_other_certificate_is_rejected() {
    let (cert_pem, _) = merchant();
    let (_, other_key) = merchant();
    let error = identity_from_pem(&cert_pem, &other_key, MCH_ID).unwrap_err();
    assert_eq!(error, CertError::KeyMismatch);
    let explained = error.explain();
    assert_eq!(explained.code, "CERT_KEY_MISMATCH");
    assert!(explained.en.contains("same download"));
}

#[test]
fn pem_garbage_names_the_file() {
    let (cert_pem, key_pem) = merchant();
    let error = identity_from_pem("not a certificate", &key_pem, MCH_ID).unwrap_err();
    assert!(
        matches!(
            error,
            CertError::PemUnreadable {
                file: "apiclient_cert.pem",
                ..
            }
        ),
        "{error:?}"
    );
    let error = identity_from_pem(&cert_pem, &cert_pem, MCH_ID).unwrap_err();
    assert!(
        matches!(
            error,
            CertError::PemUnreadable {
                file: "apiclient_key.pem",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.explain().en.contains("apiclient_key.pem"));
}

#[test]
fn pkcs12_round_trips() {
    let (cert_pem, key_pem) = merchant();
    let p12 = write_pkcs12(&cert_pem, &key_pem, MCH_ID).unwrap();
    let identity = identity_from_pkcs12(&p12, MCH_ID, MCH_ID).unwrap();
    assert_eq!(
        identity,
        identity_from_pem(&cert_pem, &key_pem, MCH_ID).unwrap()
    );
}

#[test]
fn pkcs12_wrong_password_names_mch_id() {
    let (cert_pem, key_pem) = merchant();
    let p12 = write_pkcs12(&cert_pem, &key_pem, MCH_ID).unwrap();
    let error = identity_from_pkcs12(&p12, "123456", MCH_ID).unwrap_err();
    assert_eq!(error, CertError::WrongPassword);
    let explained = error.explain();
    assert_eq!(explained.code, "CERT_P12_WRONG_PASSWORD");
    assert!(explained
        .en
        .contains("the password of apiclient_cert.p12 is the mch_id"));
    assert!(explained.zh.contains("密码是商户号"));
    assert!(!explained.retryable);
}

#[test]
fn pkcs12_damaged_is_unreadable() {
    let (cert_pem, key_pem) = merchant();
    let p12 = write_pkcs12(&cert_pem, &key_pem, MCH_ID).unwrap();
    for damaged in [
        &p12[..p12.len() / 2],
        b"PK\x03\x04 not a p12".as_slice(),
        &[],
    ] {
        let error = identity_from_pkcs12(damaged, MCH_ID, MCH_ID).unwrap_err();
        assert!(
            matches!(error, CertError::Pkcs12Unreadable { .. }),
            "{error:?}"
        );
        assert_eq!(error.explain().code, "CERT_P12_UNREADABLE");
    }
}

#[test]
fn pkcs12_other_merchant_is_rejected() {
    let key = KeyPair::generate().unwrap();
    let cert_pem = self_signed("1900000109", &key);
    let p12 = write_pkcs12(&cert_pem, &key.serialize_pem(), "1900000109").unwrap();
    let error = identity_from_pkcs12(&p12, "1900000109", MCH_ID).unwrap_err();
    assert!(
        matches!(error, CertError::WrongMerchant { .. }),
        "{error:?}"
    );
}

#[test]
fn pkcs12_with_foreign_key_is_rejected() {
    let (cert_pem, _) = merchant();
    let (_, other_key) = merchant();
    let p12 = write_pkcs12(&cert_pem, &other_key, MCH_ID).unwrap();
    let error = identity_from_pkcs12(&p12, MCH_ID, MCH_ID).unwrap_err();
    assert_eq!(error, CertError::KeyMismatch);
}

#[test]
fn write_pkcs12_needs_pkcs8_key() {
    let (cert_pem, _) = merchant();
    let error = write_pkcs12(
        &cert_pem,
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        MCH_ID,
    )
    .unwrap_err();
    assert!(
        matches!(error, CertError::KeyUnsupported { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn pkcs12_identity_signs_refund_over_mtls() {
    let ca = TestCa::new("wxpay test CA");
    let issued = ca.merchant_identity(MCH_ID);
    let chain = format!("{}{}", issued.cert_pem, ca.cert_pem);
    let p12 = write_pkcs12(&chain, &issued.key_pem, MCH_ID).unwrap();
    let identity = identity_from_pkcs12(&p12, MCH_ID, MCH_ID).unwrap();
    assert!(identity.cert_pem.starts_with(issued.cert_pem.trim()));

    let server = start_tls(&ca, |_| {
        Reply::Body(signed_success(&[
            ("transaction_id", "4200000000202601010000000001"),
            ("out_trade_no", "20260101120000001"),
            ("out_refund_no", "R1"),
            ("refund_id", "50300000002026010100000000001"),
            ("refund_fee", "100"),
            ("total_fee", "100"),
        ]))
    })
    .await;
    let mut config = PayConfig::new(APPID, MCH_ID, demo_key(), Hosts::single(&server.base_url));
    config.extra_root_ca_pem = Some(ca.cert_pem.clone());
    config.client_identity = Some(identity);
    let reply = PayClient::new(config)
        .unwrap()
        .refund(&RefundRequest {
            order: OrderRef::OutTradeNo("20260101120000001".into()),
            out_refund_no: "R1".into(),
            total_fee: Fen(100),
            refund_fee: Fen(100),
            refund_desc: None,
            refund_account: None,
            notify_url: None,
        })
        .await
        .unwrap();
    assert_eq!(reply.refund_fee, Fen(100));
    assert!(server.requests()[0].client_certificate);
}

/// Runs openssl with `args` in `dir`, returning false (after a note) when it is missing or
/// fails, as it does without the legacy provider.
fn openssl(dir: &Path, args: &[&str]) -> bool {
    match Command::new("openssl").args(args).current_dir(dir).output() {
        Ok(output) if output.status.success() => true,
        Ok(output) => {
            eprintln!(
                "skipped: openssl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
            false
        }
        Err(error) => {
            eprintln!("skipped: openssl not runnable ({error})");
            false
        }
    }
}

/// Writes an RSA 2048 merchant key (generated by openssl, because ring cannot generate
/// RSA keys) and an rcgen certificate for it, as WeChat's certificates are RSA.
fn rsa_merchant(dir: &Path) -> Option<ClientIdentity> {
    let made = openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "apiclient_key.pem",
        ],
    );
    if !made {
        return None;
    }
    let key_pem = std::fs::read_to_string(dir.join("apiclient_key.pem")).unwrap();
    let key = KeyPair::from_pem(&key_pem).unwrap();
    let cert_pem = self_signed(MCH_ID, &key);
    std::fs::write(dir.join("apiclient_cert.pem"), &cert_pem).unwrap();
    Some(ClientIdentity { cert_pem, key_pem })
}

#[test]
fn legacy_rc2_3des_pkcs12_opens() {
    let dir = tempfile::tempdir().unwrap();
    let Some(expected) = rsa_merchant(dir.path()) else {
        return;
    };
    let password = format!("pass:{MCH_ID}");
    let exported = openssl(
        dir.path(),
        &[
            "pkcs12",
            "-export",
            "-legacy",
            "-certpbe",
            "PBE-SHA1-RC2-40",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
            "-in",
            "apiclient_cert.pem",
            "-inkey",
            "apiclient_key.pem",
            "-name",
            "Tenpay Certificate",
            "-passout",
            &password,
            "-out",
            "apiclient_cert.p12",
        ],
    );
    if !exported {
        return;
    }
    let p12 = std::fs::read(dir.path().join("apiclient_cert.p12")).unwrap();

    let identity = identity_from_pkcs12(&p12, MCH_ID, MCH_ID).unwrap();
    let from_pem = identity_from_pem(&expected.cert_pem, &expected.key_pem, MCH_ID).unwrap();
    assert_eq!(identity.cert_pem, from_pem.cert_pem);
    assert!(identity.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(
        identity_from_pkcs12(&p12, "wrong", MCH_ID).unwrap_err(),
        CertError::WrongPassword
    );
}

#[test]
fn openssl_default_pkcs12_opens() {
    let dir = tempfile::tempdir().unwrap();
    let Some(expected) = rsa_merchant(dir.path()) else {
        return;
    };
    let password = format!("pass:{MCH_ID}");
    let exported = openssl(
        dir.path(),
        &[
            "pkcs12",
            "-export",
            "-in",
            "apiclient_cert.pem",
            "-inkey",
            "apiclient_key.pem",
            "-passout",
            &password,
            "-out",
            "apiclient_cert.p12",
        ],
    );
    if !exported {
        return;
    }
    let p12 = std::fs::read(dir.path().join("apiclient_cert.p12")).unwrap();
    let identity = identity_from_pkcs12(&p12, MCH_ID, MCH_ID).unwrap();
    assert_eq!(identity.cert_pem.trim(), expected.cert_pem.trim());
}

#[test]
fn pkcs1_rsa_key_pem_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let Some(merchant) = rsa_merchant(dir.path()) else {
        return;
    };
    let converted = openssl(
        dir.path(),
        &[
            "rsa",
            "-traditional",
            "-in",
            "apiclient_key.pem",
            "-out",
            "apiclient_key_pkcs1.pem",
        ],
    );
    if !converted {
        return;
    }
    let pkcs1 = std::fs::read_to_string(dir.path().join("apiclient_key_pkcs1.pem")).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let identity = identity_from_pem(&merchant.cert_pem, &pkcs1, MCH_ID).unwrap();
    assert!(identity
        .key_pem
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    PayClient::new({
        let mut config = PayConfig::new(
            APPID,
            MCH_ID,
            demo_key(),
            Hosts::single("http://127.0.0.1:1"),
        );
        config.client_identity = Some(identity);
        config
    })
    .unwrap();
}

#[test]
fn written_pkcs12_opens_in_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let (cert_pem, key_pem) = merchant();
    let p12 = write_pkcs12(&cert_pem, &key_pem, MCH_ID).unwrap();
    std::fs::write(dir.path().join("apiclient_cert.p12"), p12).unwrap();
    let password = format!("pass:{MCH_ID}");
    let read = openssl(
        dir.path(),
        &[
            "pkcs12",
            "-in",
            "apiclient_cert.p12",
            "-passin",
            &password,
            "-nodes",
            "-out",
            "unpacked.pem",
        ],
    );
    if !read {
        return;
    }
    let unpacked = std::fs::read_to_string(dir.path().join("unpacked.pem")).unwrap();
    let identity = identity_from_pem(&unpacked, &unpacked, MCH_ID).unwrap();
    assert_eq!(identity.cert_pem.trim(), cert_pem.trim());
}
