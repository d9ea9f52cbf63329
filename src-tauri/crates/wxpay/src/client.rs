//! `PayClient`: sends signed v2 requests over reqwest (rustls) and accepts a reply only
//! after its signature checks out. Refunds, reverse and downloadfundflow go through a
//! second HTTP client that carries the merchant's certificate.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::distributions::Alphanumeric;
use rand::Rng;
use reqwest::header::CONTENT_TYPE;

use crate::api::Api;
use crate::config::PayConfig;
use crate::download;
use crate::error::{ConfigError, PayError, ReplyError, TransportKind};
use crate::model::{
    CloseOrderReply, MicropayPayment, MicropayReply, MicropayRequest, OrderQueryReply, OrderRef,
    RefundQueryReply, RefundQueryRequest, RefundReply, RefundRequest, ReverseReply,
    UnifiedOrderReply, UnifiedOrderRequest,
};
use crate::{sign, xml, AccountType, BillType, Fields, SignType};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Bounds a hung connection; bills, which can be large, get longer below.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
const BILL_TIMEOUT: Duration = Duration::from_secs(120);

/// A client for one merchant. Share it behind an `Arc`, because it keeps connection pools.
#[derive(Debug)]
pub struct PayClient {
    config: PayConfig,
    primary: String,
    backup: Option<String>,
    sign_type: SignType,
    http: reqwest::Client,
    /// The client with the merchant certificate, when one is configured.
    secure: Option<reqwest::Client>,
}

impl PayClient {
    /// Builds the HTTP clients. Fails on an invalid base URL, CA or client certificate.
    pub fn new(config: PayConfig) -> Result<PayClient, PayError> {
        let (primary, backup) = config.validated_hosts()?;
        let http = http_builder(&config)?
            .build()
            .map_err(ConfigError::HttpClient)?;
        let secure = match &config.client_identity {
            None => None,
            Some(identity) => {
                // rustls reads the key and the certificate from one PEM buffer.
                let pem = format!("{}\n{}", identity.key_pem.trim_end(), identity.cert_pem);
                let identity = reqwest::Identity::from_pem(pem.as_bytes())
                    .map_err(|e| ConfigError::InvalidClientCertificate(error_chain(&e)))?;
                let client = http_builder(&config)?
                    .identity(identity)
                    .build()
                    .map_err(|e| ConfigError::InvalidClientCertificate(error_chain(&e)))?;
                Some(client)
            }
        };
        Ok(PayClient {
            config,
            primary,
            backup,
            sign_type: SignType::Md5,
            http,
            secure,
        })
    }

    /// Signs requests with `sign_type` from now on (MD5 unless set).
    pub fn with_sign_type(mut self, sign_type: SignType) -> PayClient {
        self.sign_type = sign_type;
        self
    }

    pub fn config(&self) -> &PayConfig {
        &self.config
    }

    /// Places an order (unifiedorder).
    pub async fn unified_order(
        &self,
        request: &UnifiedOrderRequest,
    ) -> Result<UnifiedOrderReply, PayError> {
        let api = Api::UnifiedOrder;
        let fields = self.call(api, request.to_fields()?).await?;
        UnifiedOrderReply::from_fields(&fields).map_err(|source| PayError::Reply { api, source })
    }

    /// Reads an order's payment state (orderquery).
    pub async fn order_query(&self, order: &OrderRef) -> Result<OrderQueryReply, PayError> {
        let api = Api::OrderQuery;
        let fields = self.call(api, order.to_fields()?).await?;
        OrderQueryReply::from_fields(&fields).map_err(|source| PayError::Reply { api, source })
    }

    /// Closes an unpaid order (closeorder). An order closed before counts as closed.
    pub async fn close_order(&self, out_trade_no: &str) -> Result<CloseOrderReply, PayError> {
        let fields = OrderRef::OutTradeNo(out_trade_no.to_owned()).to_fields()?;
        match self.call(Api::CloseOrder, fields).await {
            Ok(_) => Ok(CloseOrderReply::Closed),
            Err(PayError::Business { err_code, .. }) if err_code == "ORDERCLOSED" => {
                Ok(CloseOrderReply::AlreadyClosed)
            }
            Err(error) => Err(error),
        }
    }

    /// Requests a refund over mutual TLS. Success means accepted, not yet refunded.
    pub async fn refund(&self, request: &RefundRequest) -> Result<RefundReply, PayError> {
        let api = Api::Refund;
        let fields = self.call(api, request.to_fields()?).await?;
        RefundReply::from_fields(&fields).map_err(|source| PayError::Reply { api, source })
    }

    /// Reads the refunds of an order or one refund (refundquery).
    pub async fn refund_query(
        &self,
        request: &RefundQueryRequest,
    ) -> Result<RefundQueryReply, PayError> {
        let api = Api::RefundQuery;
        let fields = self.call(api, request.to_fields()?).await?;
        RefundQueryReply::from_fields(&fields).map_err(|source| PayError::Reply { api, source })
    }

    /// Downloads one day's bill as CSV text, asking for gzip when `gzip` is set. A bill
    /// carries no signature; a failure comes back as XML and becomes a typed error.
    pub async fn download_bill(
        &self,
        date: NaiveDate,
        bill_type: BillType,
        gzip: bool,
    ) -> Result<String, PayError> {
        let api = Api::DownloadBill;
        let bill_date = crate::time::format_bill_date(date);
        let mut fields = Fields::new();
        fields.insert("bill_date".into(), bill_date.clone());
        fields.insert("bill_type".into(), bill_type.as_str().into());
        if gzip {
            fields.insert("tar_type".into(), "GZIP".into());
        }
        let body = self.signed_body(fields, self.sign_type);
        let reply = self
            .post(api, body, download::MAX_BILL_BYTES, BILL_TIMEOUT)
            .await?;
        download::bill_text(&reply, &bill_date)
    }

    /// Downloads one day's fund flow of a merchant account as CSV text, over mutual TLS.
    /// WeChat accepts only HMAC-SHA256 here, whatever the client's sign type.
    pub async fn download_fund_flow(
        &self,
        date: NaiveDate,
        account_type: AccountType,
        gzip: bool,
    ) -> Result<String, PayError> {
        let api = Api::DownloadFundFlow;
        let bill_date = crate::time::format_bill_date(date);
        let mut fields = Fields::new();
        fields.insert("bill_date".into(), bill_date.clone());
        fields.insert("account_type".into(), account_type.as_str().into());
        if gzip {
            fields.insert("tar_type".into(), "GZIP".into());
        }
        let body = self.signed_body(fields, SignType::HmacSha256);
        let reply = self
            .post(api, body, download::MAX_BILL_BYTES, BILL_TIMEOUT)
            .await?;
        download::bill_text(&reply, &bill_date)
    }

    /// Charges a customer's payment code (micropay). USERPAYING is not an error: the
    /// caller polls order_query until the customer has confirmed.
    pub async fn micropay(&self, request: &MicropayRequest) -> Result<MicropayReply, PayError> {
        let api = Api::Micropay;
        match self.call(api, request.to_fields()?).await {
            Ok(fields) => MicropayPayment::from_fields(&fields)
                .map(MicropayReply::Paid)
                .map_err(|source| PayError::Reply { api, source }),
            Err(PayError::Business { err_code, .. }) if err_code == "USERPAYING" => {
                Ok(MicropayReply::UserPaying)
            }
            Err(error) => Err(error),
        }
    }

    /// Cancels a payment-code order (reverse), refunding it if it was paid. Needs the
    /// client certificate; WeChat allows it within 7 days of the payment.
    pub async fn reverse(&self, order: &OrderRef) -> Result<ReverseReply, PayError> {
        let api = Api::Reverse;
        let fields = self.call(api, order.to_fields()?).await?;
        ReverseReply::from_fields(&fields).map_err(|source| PayError::Reply { api, source })
    }

    /// Signs, sends and checks one call, returning the verified reply's fields.
    async fn call(&self, api: Api, fields: Fields) -> Result<Fields, PayError> {
        let body = self.signed_body(fields, self.sign_type);
        let reply = self
            .post(api, body, xml::MAX_BODY_BYTES, REPLY_TIMEOUT)
            .await?;
        let fields = xml::decode(&reply).map_err(|source| PayError::Xml { api, source })?;
        self.check_reply(api, fields)
    }

    fn signed_body(&self, mut fields: Fields, sign_type: SignType) -> String {
        fields.insert("appid".into(), self.config.appid.clone());
        fields.insert("mch_id".into(), self.config.mch_id.clone());
        fields.insert("nonce_str".into(), nonce());
        // MD5 is the default, so sign_type is sent only for HMAC-SHA256 (security rules, 4_3).
        if sign_type == SignType::HmacSha256 {
            fields.insert("sign_type".into(), sign_type.as_str().into());
        }
        let signature = sign::sign(&fields, &self.config.key, sign_type);
        fields.insert("sign".into(), signature);
        xml::encode(&fields)
    }

    /// Accepts a reply in WeChat's order of levels: an unsigned return_code FAIL reports
    /// return_msg, anything else must carry a valid signature before any field is read,
    /// and only then is result_code looked at.
    fn check_reply(&self, api: Api, fields: Fields) -> Result<Fields, PayError> {
        let return_code = fields.get("return_code").map(String::as_str);
        let return_msg = || fields.get("return_msg").cloned().unwrap_or_default();
        if return_code == Some("FAIL") && !fields.contains_key("sign") {
            tracing::warn!(%api, return_msg = %return_msg(), "return_code FAIL");
            return Err(PayError::ReturnFail {
                api,
                return_msg: return_msg(),
            });
        }

        sign::verify(&fields, &self.config.key).map_err(|source| {
            tracing::warn!(%api, error = %source, "reply signature rejected");
            PayError::Signature { api, source }
        })?;

        match return_code {
            Some("SUCCESS") => {}
            Some(_) => {
                return Err(PayError::ReturnFail {
                    api,
                    return_msg: return_msg(),
                })
            }
            None => {
                return Err(PayError::Reply {
                    api,
                    source: ReplyError::Missing("return_code".into()),
                })
            }
        }
        self.check_merchant(api, &fields)?;

        match fields.get("result_code").map(String::as_str) {
            Some("SUCCESS") => Ok(fields),
            Some("FAIL") => {
                let err_code = fields.get("err_code").cloned().unwrap_or_default();
                let err_code_des = fields.get("err_code_des").cloned().unwrap_or_default();
                tracing::info!(%api, %err_code, %err_code_des, "result_code FAIL");
                Err(PayError::Business {
                    api,
                    err_code,
                    err_code_des,
                })
            }
            Some(other) => Err(PayError::Reply {
                api,
                source: ReplyError::Invalid {
                    field: "result_code".into(),
                    value: other.to_owned(),
                    reason: "expected SUCCESS or FAIL".into(),
                },
            }),
            None => Err(PayError::Reply {
                api,
                source: ReplyError::Missing("result_code".into()),
            }),
        }
    }

    /// Rejects a validly signed reply meant for another merchant sharing the API key.
    fn check_merchant(&self, api: Api, fields: &Fields) -> Result<(), PayError> {
        let checks = [
            ("appid", &self.config.appid),
            ("mch_id", &self.config.mch_id),
        ];
        for (field, expected) in checks {
            if let Some(found) = fields.get(field).filter(|v| !v.is_empty()) {
                if found != expected {
                    return Err(PayError::Reply {
                        api,
                        source: ReplyError::WrongMerchant {
                            field,
                            found: found.clone(),
                            expected: expected.clone(),
                        },
                    });
                }
            }
        }
        Ok(())
    }

    /// Posts to the primary host, and to the backup when the primary cannot be reached
    /// and the call is safe to repeat.
    async fn post(
        &self,
        api: Api,
        body: String,
        max_bytes: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, PayError> {
        let client = self.client_for(api)?;
        let first = self.post_to(client, api, &self.primary, &body, max_bytes, timeout);
        match (first.await, &self.backup) {
            (
                Err(PayError::Transport {
                    kind: TransportKind::Connect,
                    url,
                    source,
                    ..
                }),
                Some(backup),
            ) if api.safe_to_repeat() => {
                tracing::warn!(%api, %url, error = %source, %backup, "primary host unreachable, trying backup");
                self.post_to(client, api, backup, &body, max_bytes, timeout)
                    .await
            }
            (result, _) => result,
        }
    }

    fn client_for(&self, api: Api) -> Result<&reqwest::Client, PayError> {
        if !api.needs_client_certificate() {
            return Ok(&self.http);
        }
        self.secure
            .as_ref()
            .ok_or(PayError::Config(ConfigError::MissingClientCertificate))
    }

    async fn post_to(
        &self,
        client: &reqwest::Client,
        api: Api,
        base: &str,
        body: &str,
        max_bytes: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, PayError> {
        let path = api.path().unwrap_or_default();
        let url = format!("{base}{path}");
        let started = Instant::now();
        let transport = |source: reqwest::Error| {
            let kind = if source.is_connect() {
                TransportKind::Connect
            } else if source.is_timeout() {
                TransportKind::Timeout
            } else {
                TransportKind::Other
            };
            tracing::warn!(%api, %url, error = %source, "{kind}");
            PayError::Transport {
                api,
                url: url.clone(),
                kind,
                source,
            }
        };

        let mut response = client
            .post(&url)
            .header(CONTENT_TYPE, "text/xml; charset=utf-8")
            .timeout(timeout)
            .body(body.to_owned())
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            tracing::warn!(%api, %url, status = status.as_u16(), "HTTP error status");
            return Err(PayError::HttpStatus {
                api,
                url: url.clone(),
                status: status.as_u16(),
            });
        }

        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(too_large(api, bytes.len() + chunk.len(), max_bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        tracing::debug!(%api, %url, elapsed_ms = started.elapsed().as_millis() as u64, "reply received");
        Ok(bytes)
    }
}

/// Reports a reply body over its limit, as a bill error for the bill downloads.
fn too_large(api: Api, len: usize, max: usize) -> PayError {
    match api {
        Api::DownloadBill | Api::DownloadFundFlow => {
            PayError::Bill(crate::error::BillDownloadError::TooLarge { max })
        }
        _ => PayError::Xml {
            api,
            source: xml::XmlError::TooLarge { len, max },
        },
    }
}

fn http_builder(config: &PayConfig) -> Result<reqwest::ClientBuilder, ConfigError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("wxpay/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = &config.extra_root_ca_pem {
        let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| ConfigError::InvalidRootCa(error_chain(&e)))?;
        if certificates.is_empty() {
            return Err(ConfigError::InvalidRootCa(
                "no certificate in the PEM text".into(),
            ));
        }
        for certificate in certificates {
            check_root(&certificate)?;
            builder = builder.add_root_certificate(certificate);
        }
    }
    Ok(builder)
}

/// Rejects a root certificate that rustls cannot use. reqwest only parses the DER when
/// the client is built, so a client with this one root is built to find out.
fn check_root(certificate: &reqwest::Certificate) -> Result<(), ConfigError> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(certificate.clone())
        .build()
        .map(drop)
        .map_err(|e| ConfigError::InvalidRootCa(error_chain(&e)))
}

/// Joins an error and its sources, because reqwest's own message is only "builder error".
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Generates a random 32-character nonce_str, the maximum length WeChat allows.
fn nonce() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}
