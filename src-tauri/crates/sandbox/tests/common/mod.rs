//! Shared setup for the sandbox's integration tests: a simulator in a temporary folder
//! and HTTPS clients that trust its CA, with and without the merchant certificate.

#![allow(dead_code)]

use std::path::Path;

use sandbox::{SandboxConfig, SandboxHandle};
use wxpay::sign::{self, SignType};
use wxpay::{ApiKey, Fields};

pub const APPID: &str = "wx8a3c5e7f9b1d2460";
pub const MCH_ID: &str = "1612345678";
pub const API_KEY: &str = "Zk3v9QpL2mN8xR4tW6yB1cD5fG7hJ0sA";
pub const APP_SECRET: &str = "3f9a1c5e7b2d4f6a8c0e1b3d5f7a9c2e";

pub fn api_key() -> ApiKey {
    ApiKey::new(API_KEY.to_owned()).expect("valid test key")
}

pub fn config(dir: &Path, seed: u64) -> SandboxConfig {
    SandboxConfig {
        appid: APPID.to_owned(),
        mch_id: MCH_ID.to_owned(),
        api_key: api_key(),
        app_secret: APP_SECRET.to_owned(),
        state_dir: dir.to_owned(),
        seed,
        history_days: 30,
        port: 0,
    }
}

/// A running simulator with its clients.
pub struct Sandbox {
    pub handle: SandboxHandle,
    /// Trusts the sandbox CA, presents no client certificate.
    pub client: reqwest::Client,
    /// Trusts the sandbox CA and presents the merchant certificate.
    pub cert_client: reqwest::Client,
}

impl Sandbox {
    pub async fn start(dir: &Path, seed: u64) -> Sandbox {
        let handle = sandbox::start(config(dir, seed))
            .await
            .expect("sandbox starts");
        let client = client_for(&handle, false);
        let cert_client = client_for(&handle, true);
        Sandbox {
            handle,
            client,
            cert_client,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url)
    }

    /// Posts a signed pay request and returns the reply fields. Signed replies are
    /// checked against the API key.
    pub async fn pay(&self, path: &str, pairs: &[(&str, &str)]) -> Fields {
        self.pay_with(&self.client, path, signed(pairs, SignType::Md5))
            .await
    }

    /// Same as `pay`, over the client with the merchant certificate.
    pub async fn pay_cert(&self, path: &str, pairs: &[(&str, &str)]) -> Fields {
        self.pay_with(&self.cert_client, path, signed(pairs, SignType::Md5))
            .await
    }

    pub async fn pay_with(&self, client: &reqwest::Client, path: &str, fields: Fields) -> Fields {
        let text = self
            .post_raw(client, path, wxpay::xml::encode(&fields))
            .await;
        let reply = wxpay::xml::decode(text.as_bytes()).expect("reply is XML");
        if reply.contains_key("sign") {
            sign::verify(&reply, &api_key()).expect("reply signature verifies");
        }
        reply
    }

    pub async fn post_raw(&self, client: &reqwest::Client, path: &str, body: String) -> String {
        client
            .post(self.url(path))
            .body(body)
            .send()
            .await
            .expect("request sent")
            .text()
            .await
            .expect("reply body")
    }

    /// Creates a JSAPI order and returns the unifiedorder reply.
    pub async fn jsapi_order(&self, out_trade_no: &str, total_fee: &str) -> Fields {
        let openid = "oAbCd1234567890abcdefghijklm";
        self.pay(
            "/pay/unifiedorder",
            &[
                ("body", "测试商品"),
                ("out_trade_no", out_trade_no),
                ("total_fee", total_fee),
                ("spbill_create_ip", "127.0.0.1"),
                ("notify_url", "https://shop.invalid/notify"),
                ("trade_type", "JSAPI"),
                ("openid", openid),
            ],
        )
        .await
    }

    /// Creates and pays an order.
    pub async fn paid_order(&self, out_trade_no: &str, total_fee: &str) {
        let reply = self.jsapi_order(out_trade_no, total_fee).await;
        assert_eq!(reply["result_code"], "SUCCESS", "{reply:?}");
        self.handle.pay_order(out_trade_no).expect("order paid");
    }
}

/// Builds a request with appid, mch_id and nonce_str, signed with the test key.
pub fn signed(pairs: &[(&str, &str)], sign_type: SignType) -> Fields {
    let mut fields: Fields = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    fields.insert("appid".into(), APPID.into());
    fields.insert("mch_id".into(), MCH_ID.into());
    fields.insert(
        "nonce_str".into(),
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into(),
    );
    if sign_type == SignType::HmacSha256 {
        fields.insert("sign_type".into(), "HMAC-SHA256".into());
    }
    let signature = sign::sign(&fields, &api_key(), sign_type);
    fields.insert("sign".into(), signature);
    fields
}

pub fn client_for(handle: &SandboxHandle, with_cert: bool) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(handle.ca_cert_pem.as_bytes()).expect("CA PEM");
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca)
        .redirect(reqwest::redirect::Policy::none());
    if with_cert {
        let pem = format!("{}\n{}", handle.client_key_pem, handle.client_cert_pem);
        let identity = reqwest::Identity::from_pem(pem.as_bytes()).expect("identity PEM");
        builder = builder.identity(identity);
    }
    builder.build().expect("client builds")
}
