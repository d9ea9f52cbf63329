//! Every failure of this crate as one `PayError`, kept apart by level: configuration,
//! request checks before sending, transport, the reply's envelope, WeChat's return_code
//! and result_code. `explain` (in its own module) turns each into words for the merchant.

use crate::api::Api;
use crate::cert::CertError;
use crate::sign::SignError;
use crate::xml::XmlError;

/// A failure of a call, a notify or a bill download.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error("{api} failed: {kind} talking to {url}: {source}")]
    Transport {
        api: Api,
        url: String,
        kind: TransportKind,
        #[source]
        source: reqwest::Error,
    },
    #[error("{api} failed: HTTP status {status} from {url}")]
    HttpStatus { api: Api, url: String, status: u16 },
    #[error("{api} reply rejected: {source}")]
    Xml {
        api: Api,
        #[source]
        source: XmlError,
    },
    #[error("{api} reply rejected: {source}")]
    Signature {
        api: Api,
        #[source]
        source: SignError,
    },
    /// `return_code` FAIL: the request itself was rejected (signature, parameters, XML).
    #[error("{api} failed: WeChat returned return_code FAIL: {return_msg}")]
    ReturnFail { api: Api, return_msg: String },
    /// `result_code` FAIL: the request was read, but the business operation failed.
    #[error("{api} failed: {err_code}: {err_code_des}")]
    Business {
        api: Api,
        err_code: String,
        err_code_des: String,
    },
    #[error("{api} reply rejected: {source}")]
    Reply {
        api: Api,
        #[source]
        source: ReplyError,
    },
    #[error(transparent)]
    Bill(#[from] BillDownloadError),
    #[error(transparent)]
    Decrypt(#[from] DecryptError),
    #[error(transparent)]
    Cert(#[from] CertError),
}

impl PayError {
    /// Returns true when the call may or may not have taken effect, so the caller must
    /// query (or repeat the identical request) before treating it as failed. These are a
    /// timeout or broken connection after sending, an HTTP error status, a reply that
    /// could not be trusted or read, and the err_codes WeChat documents as unknown.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            PayError::Business { err_code, .. } => matches!(
                err_code.as_str(),
                "SYSTEMERROR" | "BIZERR_NEED_RETRY" | "BANKERROR" | "USERPAYING"
            ),
            PayError::Transport { kind, .. } => *kind != TransportKind::Connect,
            PayError::HttpStatus { .. }
            | PayError::Xml { .. }
            | PayError::Signature { .. }
            | PayError::Reply { .. } => true,
            PayError::Config(_)
            | PayError::Request(_)
            | PayError::ReturnFail { .. }
            | PayError::Bill(_)
            | PayError::Decrypt(_)
            | PayError::Cert(_) => false,
        }
    }
}

/// The kind of transport failure behind a missing HTTP reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection was made, so the request never reached WeChat.
    Connect,
    /// The request may have arrived, so its outcome is unknown.
    Timeout,
    Other,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connection failed",
            TransportKind::Timeout => "timed out",
            TransportKind::Other => "HTTP error",
        })
    }
}

/// A setting that makes a call impossible before anything is sent.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("refunds need the merchant client certificate (apiclient_cert.pem and apiclient_key.pem), and none is configured")]
    MissingClientCertificate,
    #[error("invalid client certificate or key: {0}")]
    InvalidClientCertificate(String),
    #[error("invalid extra root CA certificate: {0}")]
    InvalidRootCa(String),
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error("failed to build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    #[error("invalid {field}: {reason}")]
    InvalidIdentifier { field: &'static str, reason: String },
}

/// A request field that breaks WeChat's documented limits, found before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("{field} is missing")]
    Missing { field: &'static str },
    #[error("{field} is {len} bytes, over WeChat's limit of {max}")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("invalid {field} {value:?}: {reason}")]
    Invalid {
        field: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// A reply field that is missing or cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("field {0} is missing")]
    Missing(String),
    #[error("field {field} has invalid value {value:?}: {reason}")]
    Invalid {
        field: String,
        value: String,
        reason: String,
    },
    #[error("reply is for {field} {found:?}, expected {expected:?}")]
    WrongMerchant {
        field: &'static str,
        found: String,
        expected: String,
    },
}

/// A downloadbill reply that carries no bill.
#[derive(Debug, thiserror::Error)]
pub enum BillDownloadError {
    #[error("no bill for {date}: the merchant had no transactions that day")]
    NoBill { date: String },
    #[error("the bill for {date} is not ready yet")]
    NotReady { date: String },
    #[error("downloadbill failed: {return_msg} (error_code {error_code:?})")]
    Failed {
        return_msg: String,
        error_code: Option<String>,
    },
    #[error("bill body is not valid gzip: {0}")]
    Gzip(#[source] std::io::Error),
    #[error("bill body is over the {max}-byte limit")]
    TooLarge { max: usize },
    #[error("bill body is not UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
}

/// A refund notify whose req_info cannot be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    #[error("req_info is not valid base64")]
    Base64,
    #[error("req_info length {0} is not a multiple of the AES block size")]
    BlockLength(usize),
    #[error("req_info padding is invalid: the API key is probably wrong for this mch_id")]
    Padding,
}
