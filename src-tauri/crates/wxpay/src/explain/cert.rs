//! Words for a client certificate that cannot be imported: which file is wrong and
//! what the merchant does about it.

use super::Explained;
use crate::cert::CertError;

impl CertError {
    /// Explains the failure for the person importing the certificate.
    pub fn explain(&self) -> Explained {
        match self {
            CertError::PemUnreadable { file, reason } => Explained::new(
                "CERT_PEM_UNREADABLE",
                format!("{file} 无法读取（{reason}）。请导入商户平台下载的证书文件，不要修改其内容。"),
                format!("{file} cannot be read ({reason}). Import the file downloaded from the merchant platform, unchanged."),
                false,
            ),
            CertError::WrongPassword => Explained::new(
                "CERT_P12_WRONG_PASSWORD",
                "apiclient_cert.p12 的密码错误：apiclient_cert.p12 的密码是商户号（mch_id）。",
                "Wrong password for apiclient_cert.p12: the password of apiclient_cert.p12 is the mch_id.",
                false,
            ),
            CertError::Pkcs12Unreadable { reason } => Explained::new(
                "CERT_P12_UNREADABLE",
                format!("apiclient_cert.p12 已损坏或格式不受支持（{reason}）。请从商户平台重新下载证书，或改为导入 apiclient_cert.pem 与 apiclient_key.pem。"),
                format!("apiclient_cert.p12 is damaged or in an unsupported format ({reason}). Download the certificate from the merchant platform again, or import apiclient_cert.pem and apiclient_key.pem instead."),
                false,
            ),
            CertError::WrongMerchant { found, expected } => Explained::new(
                "CERT_WRONG_MERCHANT",
                format!("该证书属于 {found}，不是商户号 {expected} 的证书。请导入本商户号在商户平台下载的证书。"),
                format!("This certificate belongs to {found}, not to mch_id {expected}. Import the certificate downloaded for this mch_id from the merchant platform."),
                false,
            ),
            CertError::KeyMismatch => Explained::new(
                "CERT_KEY_MISMATCH",
                "私钥与证书不匹配。请确认 apiclient_key.pem 与 apiclient_cert.pem 来自同一次下载。",
                "The private key does not match the certificate. Make sure apiclient_key.pem and apiclient_cert.pem come from the same download.",
                false,
            ),
            CertError::KeyUnsupported { reason } => Explained::new(
                "CERT_KEY_UNSUPPORTED",
                format!("不支持该私钥（{reason}）。请导入商户平台下载的 apiclient_key.pem。"),
                format!("This private key is not supported ({reason}). Import the apiclient_key.pem downloaded from the merchant platform."),
                false,
            ),
            CertError::Pkcs12Write { reason } => Explained::new(
                "CERT_P12_WRITE",
                format!("无法生成 apiclient_cert.p12（{reason}）。"),
                format!("apiclient_cert.p12 could not be written ({reason})."),
                false,
            ),
        }
    }
}
