//! The pay API v2 envelope shared by every pay path: decode the XML, check the merchant
//! and the signature, and build replies signed like WeChat's (return_code for the
//! communication level, result_code for the business level; API rules, 4_2).

pub mod bill;
pub mod micropay;
pub mod order;
pub mod refund;
pub mod refund_query;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use wxpay::sign::{self, SignError, SignType};
use wxpay::{Fen, Fields};

use crate::app::App;
use crate::ids;
use crate::server::ClientCert;
use crate::trade::BizError;

/// A request that passed the envelope checks.
pub struct PayRequest {
    pub fields: Fields,
    pub sign_type: SignType,
}

impl PayRequest {
    /// Returns a field's value. WeChat treats an empty value as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Returns a required field, or the failure naming it.
    pub fn require(&self, name: &str) -> Result<&str, Fail> {
        self.get(name)
            .ok_or_else(|| Fail::new(format!("缺少参数{name}")))
    }

    /// Returns a required amount in fen, which must be a positive integer.
    pub fn require_fen(&self, name: &str) -> Result<Fen, Fail> {
        let text = self.require(name)?;
        match Fen::from_fen_text(text) {
            Ok(fen) if fen.0 > 0 => Ok(fen),
            _ => Err(Fail::new(format!("invalid {name}"))),
        }
    }

    /// Returns an optional field of at most `max` bytes, or the failure for a longer one.
    pub fn optional_max(&self, name: &str, max: usize) -> Result<Option<&str>, Fail> {
        match self.get(name) {
            Some(value) if value.len() > max => Err(Fail::new(format!("{name}参数长度有误"))),
            other => Ok(other),
        }
    }
}

/// Decodes and checks a pay request: XML, known merchant, valid signature, matching
/// appid. Failures are communication-level and unsigned, as WeChat sends them.
pub fn accept(app: &App, body: &[u8]) -> Result<PayRequest, Fail> {
    if body.is_empty() {
        return Err(Fail::new("post数据为空"));
    }
    let fields = wxpay::xml::decode(body).map_err(|err| {
        tracing::info!(%err, "pay request is not valid XML");
        Fail::new("XML格式错误")
    })?;
    let get = |name: &str| {
        fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };

    match get("mch_id") {
        None => return Err(Fail::new("缺少参数mch_id")),
        Some(mch_id) if mch_id != app.mch_id => {
            return Err(Fail::new("mch_id参数错误，商户号不存在"))
        }
        Some(_) => {}
    }
    match get("nonce_str") {
        None => return Err(Fail::new("缺少参数nonce_str")),
        Some(nonce) if nonce.len() > 32 => return Err(Fail::new("nonce_str参数长度有误")),
        Some(_) => {}
    }
    let sign_type = match sign::verify(&fields, &app.api_key) {
        Ok(sign_type) => sign_type,
        Err(SignError::UnknownSignType(_)) => return Err(Fail::new("sign_type参数错误")),
        Err(SignError::Missing) => return Err(Fail::new("缺少参数sign")),
        Err(err) => {
            tracing::info!(%err, "pay request signature rejected");
            return Err(Fail::new("签名错误"));
        }
    };
    match get("appid") {
        None => Err(Fail::new("缺少参数appid")),
        Some(appid) if appid != app.appid => Err(Fail::new("appid和mch_id不匹配")),
        Some(_) => Ok(PayRequest { fields, sign_type }),
    }
}

/// A communication-level failure: return_code FAIL with return_msg (and error_code for
/// bills), unsigned, as WeChat sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    pub return_msg: String,
    pub error_code: Option<&'static str>,
}

impl Fail {
    pub fn new(return_msg: impl Into<String>) -> Fail {
        Fail {
            return_msg: return_msg.into(),
            error_code: None,
        }
    }

    pub fn with_code(return_msg: impl Into<String>, error_code: &'static str) -> Fail {
        Fail {
            return_msg: return_msg.into(),
            error_code: Some(error_code),
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let mut fields = Fields::new();
        fields.insert("return_code".into(), "FAIL".into());
        fields.insert("return_msg".into(), self.return_msg);
        if let Some(code) = self.error_code {
            fields.insert("error_code".into(), code.into());
        }
        xml_response(&fields)
    }
}

/// Builds the response of a communication-level failure.
pub fn fail(message: &str) -> Response {
    Fail::new(message).into_response()
}

/// Builds a signed business reply with result_code SUCCESS and the given fields.
pub fn success(app: &App, sign_type: SignType, fields: Fields) -> Response {
    signed(app, sign_type, "SUCCESS", fields)
}

/// Builds a signed business rejection: result_code FAIL with err_code and err_code_des.
pub fn reject(app: &App, sign_type: SignType, err: &BizError) -> Response {
    reject_code(app, sign_type, err.err_code(), &err.to_string())
}

/// Builds a signed business rejection from an err_code and its err_code_des.
pub fn reject_code(app: &App, sign_type: SignType, err_code: &str, err_code_des: &str) -> Response {
    let mut fields = Fields::new();
    fields.insert("err_code".into(), err_code.into());
    fields.insert("err_code_des".into(), err_code_des.into());
    signed(app, sign_type, "FAIL", fields)
}

/// Builds the signed SYSTEMERROR reply for a save that failed, because retrying with the
/// same parameters is safe.
pub fn system_error(app: &App, sign_type: SignType) -> Response {
    reject(app, sign_type, &BizError::System)
}

fn signed(app: &App, sign_type: SignType, result_code: &str, mut fields: Fields) -> Response {
    fields.insert("return_code".into(), "SUCCESS".into());
    fields.insert("return_msg".into(), "OK".into());
    fields.insert("appid".into(), app.appid.clone());
    fields.insert("mch_id".into(), app.mch_id.clone());
    fields.insert("nonce_str".into(), ids::nonce(&mut rand::thread_rng()));
    fields.insert("result_code".into(), result_code.into());
    let signature = sign::sign(&fields, &app.api_key, sign_type);
    fields.insert("sign".into(), signature);
    xml_response(&fields)
}

fn xml_response(fields: &Fields) -> Response {
    (
        [(CONTENT_TYPE, "text/xml; charset=utf-8")],
        wxpay::xml::encode(fields),
    )
        .into_response()
}

/// Rejects requests without the merchant's client certificate. The TLS layer already
/// checked that a presented certificate chains to the sandbox CA; this checks that one
/// was presented and that it names this merchant (CN = mch_id).
pub async fn require_client_cert(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let cert = request
        .extensions()
        .get::<ClientCert>()
        .cloned()
        .unwrap_or_default();
    if !cert.presented {
        tracing::info!(path = %request.uri().path(), "request without a client certificate");
        return fail("证书错误：请求未携带商户API证书（apiclient_cert）");
    }
    if cert.common_name.as_deref() != Some(app.mch_id.as_str()) {
        tracing::info!(cn = ?cert.common_name, "client certificate of another merchant");
        return fail("证书错误：客户端证书不属于该商户号");
    }
    next.run(request).await
}

/// Inserts `name=value` into reply fields.
pub fn put(fields: &mut Fields, name: &str, value: impl Into<String>) {
    fields.insert(name.to_owned(), value.into());
}
