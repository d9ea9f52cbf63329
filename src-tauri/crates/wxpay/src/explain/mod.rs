//! Words for a shop owner: each `PayError` becomes a stable code the UI can branch on,
//! a Chinese and an English message stating what happened and what to do, and whether
//! repeating the same request may succeed.

mod bill_file;
mod cert;
mod err_code;

pub use err_code::explain_err_code;

use crate::error::{
    BillDownloadError, ConfigError, DecryptError, PayError, ReplyError, RequestError, TransportKind,
};

/// An explained failure, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Explained {
    /// WeChat's err_code when there is one, else this crate's own upper-case code.
    pub code: String,
    pub zh: String,
    pub en: String,
    /// True when sending the same request again (same parameters, same numbers) may
    /// succeed.
    pub retryable: bool,
}

impl Explained {
    fn new(code: &str, zh: impl Into<String>, en: impl Into<String>, retryable: bool) -> Self {
        Explained {
            code: code.to_owned(),
            zh: zh.into(),
            en: en.into(),
            retryable,
        }
    }
}

impl PayError {
    /// Explains the failure for the person at the counter.
    pub fn explain(&self) -> Explained {
        match self {
            PayError::Config(error) => explain_config(error),
            PayError::Request(error) => explain_request(error),
            PayError::Transport { kind, url, .. } => explain_transport(*kind, url),
            PayError::HttpStatus { status, .. } => Explained::new(
                "HTTP_STATUS",
                format!("微信支付服务器返回 HTTP {status}。请稍后重试；若持续出现，请检查接口地址设置。"),
                format!("WeChat Pay's server returned HTTP {status}. Try again later; if it keeps happening, check the API address in the settings."),
                true,
            ),
            PayError::Xml { source, .. } => Explained::new(
                "REPLY_MALFORMED",
                format!("收到的应答格式不正确，已拒绝（{source}）。请检查接口地址是否指向微信支付。"),
                format!("The reply was malformed and was rejected ({source}). Check that the API address points to WeChat Pay."),
                false,
            ),
            PayError::Signature { .. } => Explained::new(
                "SIGNATURE_INVALID",
                "应答签名校验失败：内容可能被篡改，或 API 密钥填写错误。请核对商户平台中的 API 密钥。",
                "The signature check failed: the message may have been tampered with, or the API key is wrong. Check the API key set in the merchant platform.",
                false,
            ),
            PayError::ReturnFail { return_msg, .. } => Explained::new(
                "RETURN_FAIL",
                format!("微信支付拒绝了请求：{return_msg}。请检查参数、API 密钥和签名方式。"),
                format!("WeChat Pay rejected the request: {return_msg}. Check the parameters, the API key and the signature type."),
                false,
            ),
            PayError::Business {
                api,
                err_code,
                err_code_des,
            } => explain_err_code(*api, err_code, err_code_des),
            PayError::Reply { source, .. } => explain_reply(source),
            PayError::Bill(error) => explain_bill(error),
            PayError::Decrypt(error) => explain_decrypt(error),
            PayError::Cert(error) => error.explain(),
        }
    }
}

fn explain_config(error: &ConfigError) -> Explained {
    match error {
        ConfigError::MissingClientCertificate => Explained::new(
            "CLIENT_CERT_MISSING",
            "退款需要商户 API 证书（apiclient_cert.pem 与 apiclient_key.pem）。请在设置中导入证书后再退款。",
            "Refunds need the merchant API certificate (apiclient_cert.pem and apiclient_key.pem). Import it in the settings, then refund again.",
            false,
        ),
        ConfigError::InvalidClientCertificate(reason) => Explained::new(
            "CLIENT_CERT_INVALID",
            format!("商户 API 证书无法读取（{reason}）。请重新导入商户平台下载的证书文件。"),
            format!("The merchant API certificate cannot be read ({reason}). Import the certificate files downloaded from the merchant platform again."),
            false,
        ),
        ConfigError::InvalidRootCa(reason) => Explained::new(
            "ROOT_CA_INVALID",
            format!("附加的根证书无法读取（{reason}）。"),
            format!("The extra root CA certificate cannot be read ({reason})."),
            false,
        ),
        ConfigError::InvalidBaseUrl { url, reason } => Explained::new(
            "BASE_URL_INVALID",
            format!("接口地址 {url} 无效：{reason}。请在设置中修正。"),
            format!("The API address {url} is invalid: {reason}. Correct it in the settings."),
            false,
        ),
        ConfigError::HttpClient(source) => Explained::new(
            "HTTP_CLIENT",
            format!("无法建立网络客户端（{source}）。"),
            format!("The HTTP client could not be built ({source})."),
            false,
        ),
        ConfigError::InvalidIdentifier { field, reason } => Explained::new(
            "CONFIG_INVALID",
            format!("商户设置中的 {field} 无效：{reason}。"),
            format!("The {field} in the merchant settings is invalid: {reason}."),
            false,
        ),
    }
}

fn explain_request(error: &RequestError) -> Explained {
    Explained::new(
        "REQUEST_INVALID",
        format!("请求未发送：{error}。请修改后重试。"),
        format!("The request was not sent: {error}. Correct it and try again."),
        false,
    )
}

fn explain_transport(kind: TransportKind, url: &str) -> Explained {
    match kind {
        TransportKind::Connect => Explained::new(
            "NETWORK_UNREACHABLE",
            format!("无法连接微信支付服务器（{url}）。请求没有发出，请检查网络后重试。"),
            format!("Could not connect to WeChat Pay's server ({url}). Nothing was sent; check the network and try again."),
            true,
        ),
        TransportKind::Timeout => Explained::new(
            "NETWORK_TIMEOUT",
            "连接微信支付超时，结果未知。请先查询订单或退款状态，再用相同参数重试。",
            "WeChat Pay did not reply in time, so the outcome is unknown. Query the order or refund first, then retry with the same parameters.",
            true,
        ),
        TransportKind::Other => Explained::new(
            "NETWORK_ERROR",
            format!("与微信支付服务器通信失败（{url}）。请检查网络后重试。"),
            format!("Talking to WeChat Pay's server failed ({url}). Check the network and try again."),
            true,
        ),
    }
}

fn explain_reply(error: &ReplyError) -> Explained {
    match error {
        ReplyError::WrongMerchant { .. } => Explained::new(
            "REPLY_WRONG_MERCHANT",
            format!("应答不属于当前商户（{error}），已拒绝。请检查商户号与接口地址。"),
            format!("The reply is for another merchant ({error}) and was rejected. Check the mch_id and the API address."),
            false,
        ),
        ReplyError::Missing(_) | ReplyError::Invalid { .. } => Explained::new(
            "REPLY_INVALID",
            format!("应答内容不完整或无法识别（{error}）。请稍后查询确认结果。"),
            format!("The reply is incomplete or unreadable ({error}). Query again later to confirm the outcome."),
            false,
        ),
    }
}

fn explain_bill(error: &BillDownloadError) -> Explained {
    match error {
        BillDownloadError::NoBill { date } => Explained::new(
            "NO_BILL",
            format!("{date} 没有对账单：当天没有成交的订单。"),
            format!("There is no bill for {date}: the merchant had no transactions that day."),
            false,
        ),
        BillDownloadError::NotReady { date } => Explained::new(
            "BILL_NOT_READY",
            format!("{date} 的对账单尚未生成。次日上午 10 点后再下载。"),
            format!("The bill for {date} is not ready yet. Download it after 10:00 the next day."),
            true,
        ),
        BillDownloadError::Failed {
            return_msg,
            error_code,
        } => Explained::new(
            error_code.as_deref().unwrap_or("BILL_FAILED"),
            format!("下载对账单失败：{return_msg}。请检查日期与账单类型。"),
            format!("Downloading the bill failed: {return_msg}. Check the date and the bill type."),
            false,
        ),
        BillDownloadError::Gzip(_) | BillDownloadError::NotUtf8 { .. } => Explained::new(
            "BILL_UNREADABLE",
            format!("对账单内容无法读取（{error}）。请重新下载。"),
            format!("The bill cannot be read ({error}). Download it again."),
            true,
        ),
        BillDownloadError::TooLarge { .. } => Explained::new(
            "BILL_TOO_LARGE",
            format!("对账单过大（{error}），已停止读取。"),
            format!("The bill is too large ({error}), so reading stopped."),
            false,
        ),
    }
}

fn explain_decrypt(error: &DecryptError) -> Explained {
    match error {
        DecryptError::Padding => Explained::new(
            "REQ_INFO_KEY_MISMATCH",
            "退款通知解密失败：此商户号的 API 密钥很可能填写错误。请核对商户平台中的 API 密钥。",
            "The refund notify could not be decrypted: the API key is probably wrong for this mch_id. Check the API key set in the merchant platform.",
            false,
        ),
        DecryptError::Base64 | DecryptError::BlockLength(_) => Explained::new(
            "REQ_INFO_MALFORMED",
            format!("退款通知的 req_info 已损坏（{error}），无法解密。"),
            format!("The refund notify's req_info is damaged ({error}) and cannot be decrypted."),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Api;

    #[test]
    fn missing_certificate_is_explained() {
        let explained = PayError::Config(ConfigError::MissingClientCertificate).explain();
        assert_eq!(explained.code, "CLIENT_CERT_MISSING");
        assert!(explained.en.contains("certificate"));
    }

    #[test]
    fn bad_padding_blames_api_key() {
        let explained = PayError::Decrypt(DecryptError::Padding).explain();
        assert!(explained
            .en
            .contains("API key is probably wrong for this mch_id"));
    }

    #[test]
    fn signature_failure_mentions_tampering() {
        let error = PayError::Signature {
            api: Api::OrderQuery,
            source: crate::sign::SignError::Mismatch(crate::SignType::Md5),
        };
        let explained = error.explain();
        assert_eq!(explained.code, "SIGNATURE_INVALID");
        assert!(explained.en.contains("tampered"));
        assert!(explained.en.contains("API key"));
    }
}
