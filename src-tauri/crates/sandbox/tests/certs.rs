//! Client certificates on the secapi paths: one from another CA fails the handshake, and
//! one from the sandbox CA for another merchant is rejected like a missing one.

mod common;

use common::{signed, Sandbox};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use wxpay::sign::SignType;

fn client_with(sandbox: &Sandbox, cert_pem: &str, key_pem: &str) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(sandbox.handle.ca_cert_pem.as_bytes()).expect("CA");
    let identity =
        reqwest::Identity::from_pem(format!("{key_pem}\n{cert_pem}").as_bytes()).expect("identity");
    reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca)
        .identity(identity)
        .build()
        .expect("client builds")
}

fn client_params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cn);
    params.distinguished_name = name;
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    params
}

fn refund_body() -> String {
    let fields = signed(
        &[
            ("out_trade_no", "C1"),
            ("out_refund_no", "C1R"),
            ("total_fee", "100"),
            ("refund_fee", "1"),
        ],
        SignType::Md5,
    );
    wxpay::xml::encode(&fields)
}

#[tokio::test]
async fn foreign_ca_cert_fails_handshake() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let key = KeyPair::generate().expect("key");
    let cert = client_params(common::MCH_ID)
        .self_signed(&key)
        .expect("cert");
    let client = client_with(&sandbox, &cert.pem(), &key.serialize_pem());

    let result = client
        .post(sandbox.url("/secapi/pay/refund"))
        .body(refund_body())
        .send()
        .await;
    assert!(
        result.is_err(),
        "a certificate from another CA was accepted"
    );
}

#[tokio::test]
async fn other_merchant_cert_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let ca_pem = std::fs::read_to_string(dir.path().join("ca.pem")).expect("CA cert");
    let ca_key =
        KeyPair::from_pem(&std::fs::read_to_string(dir.path().join("ca-key.pem")).expect("CA key"))
            .expect("CA key parses");
    let ca = CertificateParams::from_ca_cert_pem(&ca_pem)
        .expect("CA parses")
        .self_signed(&ca_key)
        .expect("CA rebuilt");
    let key = KeyPair::generate().expect("key");
    let cert = client_params("1999999999")
        .signed_by(&key, &ca, &ca_key)
        .expect("cert");
    let client = client_with(&sandbox, &cert.pem(), &key.serialize_pem());

    let text = sandbox
        .post_raw(&client, "/secapi/pay/refund", refund_body())
        .await;
    let reply = wxpay::xml::decode(text.as_bytes()).expect("XML reply");
    assert_eq!(reply["return_code"], "FAIL");
    assert!(reply["return_msg"].contains("证书"), "{reply:?}");
}

#[tokio::test]
async fn pkcs12_opens_with_mch_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = Sandbox::start(dir.path(), 1).await;
    let der = std::fs::read(dir.path().join("apiclient_cert.p12")).expect("p12 written");

    let wrong = wxpay::identity_from_pkcs12(&der, "wrong-password", common::MCH_ID);
    assert!(wrong.is_err(), "a wrong password opened the p12");
    let identity = wxpay::identity_from_pkcs12(&der, common::MCH_ID, common::MCH_ID)
        .expect("p12 opens with the mch_id as password");
    assert!(identity
        .cert_pem
        .contains(sandbox.handle.client_cert_pem.trim()));

    // The unpacked pair is accepted on a secapi path.
    let client = client_with(&sandbox, &identity.cert_pem, &identity.key_pem);
    let text = sandbox
        .post_raw(&client, "/secapi/pay/refund", refund_body())
        .await;
    let reply = wxpay::xml::decode(text.as_bytes()).expect("XML reply");
    assert_eq!(reply["return_code"], "SUCCESS", "{reply:?}");
}
