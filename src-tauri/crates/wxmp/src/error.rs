//! The error type of every wxmp call, and its explanation for the console in Chinese and
//! English. Transport errors drop the request URL, whose query string carries the
//! AppSecret or the access_token.

use thiserror::Error;

use crate::actions::ActionsError;
use crate::explain::{explain_errcode, Explained};

#[derive(Debug, Error)]
pub enum MpError {
    #[error("the extra root CA certificate is not valid PEM: {0}")]
    InvalidRootCa(String),
    #[error("failed to build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// Failure to send the request or read the reply. The URL is stripped because its
    /// query string carries the access_token or the AppSecret.
    #[error("request to {endpoint} failed: {source}")]
    Http {
        endpoint: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("{endpoint} returned HTTP {status}: {body}")]
    HttpStatus {
        endpoint: &'static str,
        status: u16,
        body: String,
    },
    #[error("{endpoint} returned a reply that is not the expected JSON: {detail}")]
    BadReply {
        endpoint: &'static str,
        detail: String,
    },
    #[error("{endpoint} returned errcode {errcode}: {errmsg}")]
    WeChat {
        endpoint: &'static str,
        errcode: i64,
        errmsg: String,
    },
    #[error(transparent)]
    InvalidActions(#[from] ActionsError),
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
}

impl MpError {
    /// Explains the error for a person: WeChat errcodes through [`explain_errcode`],
    /// transport and input failures with codes of their own.
    pub fn explain(&self) -> Explained {
        match self {
            Self::WeChat {
                errcode, errmsg, ..
            } => explain_errcode(*errcode, errmsg),
            Self::InvalidActions(error) => error.explain(),
            Self::InvalidRootCa(_) | Self::Client(_) => Explained::new(
                "CONFIG",
                format!("无法建立 HTTPS 客户端：{self}。请检查沙箱 CA 证书设置。"),
                format!("{self}. Check the sandbox CA certificate setting."),
                false,
            ),
            Self::Http { source, .. } if source.is_timeout() => Explained::new(
                "TIMEOUT",
                "请求微信超时。请检查网络后重试。",
                format!("{self}. The request timed out: check the network, then try again."),
                true,
            ),
            Self::Http { .. } => Explained::new(
                "NETWORK",
                format!("无法连接微信服务器：{self}。请检查网络后重试。"),
                format!("{self}. Check the network, then try again."),
                true,
            ),
            Self::HttpStatus { status, .. } => Explained::new(
                "HTTP_STATUS",
                format!("微信服务器返回 HTTP {status}。请稍后重试。"),
                format!("{self}. Try again later."),
                *status >= 500,
            ),
            Self::BadReply { .. } => Explained::new(
                "BAD_REPLY",
                format!("微信返回了无法识别的内容：{self}。请把这条记录提交给开发者。"),
                format!("{self}. Report this to the developers."),
                false,
            ),
            Self::InvalidInput { .. } => Explained::new(
                "INVALID_INPUT",
                format!("输入无效：{self}。请修改后重试。"),
                format!("{self}. Correct it, then try again."),
                false,
            ),
        }
    }
}
