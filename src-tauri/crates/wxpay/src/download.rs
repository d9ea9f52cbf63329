//! The downloadbill reply body: CSV text, gzip-compressed CSV, or an XML failure.

use std::io::Read;

use flate2::read::GzDecoder;

use crate::error::{BillDownloadError, PayError};
use crate::xml;

/// Largest bill accepted, compressed or not: a generous bound for one merchant's day,
/// which also stops a gzip bomb.
pub(crate) const MAX_BILL_BYTES: usize = 256 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Turns a downloadbill reply body into bill text. gzip is recognised by its magic
/// bytes, because WeChat sends failures uncompressed even when gzip was requested.
pub(crate) fn bill_text(body: &[u8], bill_date: &str) -> Result<String, PayError> {
    let bytes = if body.starts_with(&GZIP_MAGIC) {
        gunzip(body)?
    } else {
        body.to_vec()
    };
    let text = String::from_utf8(bytes).map_err(|e| BillDownloadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        return Err(failure(&text, bill_date));
    }
    Ok(text)
}

fn gunzip(body: &[u8]) -> Result<Vec<u8>, BillDownloadError> {
    let mut out = Vec::new();
    let limit = MAX_BILL_BYTES as u64 + 1;
    GzDecoder::new(body)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(BillDownloadError::Gzip)?;
    if out.len() > MAX_BILL_BYTES {
        return Err(BillDownloadError::TooLarge {
            max: MAX_BILL_BYTES,
        });
    }
    Ok(out)
}

/// Reads the XML failure. Its return_msg names the case: `No Bill Exist` when the day had
/// no transactions, `Bill Creating` before the bill is generated (downloadbill, 9_6).
fn failure(text: &str, bill_date: &str) -> PayError {
    let fields = match xml::decode(text.as_bytes()) {
        Ok(fields) => fields,
        Err(source) => {
            return PayError::Xml {
                api: crate::api::Api::DownloadBill,
                source,
            }
        }
    };
    let return_msg = fields.get("return_msg").cloned().unwrap_or_default();
    let error_code = fields
        .get("error_code")
        .or_else(|| fields.get("err_code"))
        .cloned();
    let normalised = return_msg.to_ascii_lowercase();
    let date = bill_date.to_owned();
    let error = if normalised.contains("no bill exist") {
        BillDownloadError::NoBill { date }
    } else if normalised.contains("bill creating") {
        BillDownloadError::NotReady { date }
    } else {
        BillDownloadError::Failed {
            return_msg,
            error_code,
        }
    };
    tracing::info!(bill_date, %error, "downloadbill returned no bill");
    PayError::Bill(error)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;

    const CSV: &str = "\u{feff}交易时间,公众账号ID\n`2020-04-01 00:00:01,`wx2421b1c4370ec43b\n";

    #[test]
    fn plain_bill_is_returned() {
        assert_eq!(bill_text(CSV.as_bytes(), "20200401").unwrap(), CSV);
    }

    #[test]
    fn gzip_bill_is_unpacked() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(CSV.as_bytes()).unwrap();
        let packed = encoder.finish().unwrap();
        assert_eq!(bill_text(&packed, "20200401").unwrap(), CSV);
    }

    #[test]
    fn broken_gzip_is_rejected() {
        let error = bill_text(&[0x1f, 0x8b, 0, 1, 2], "20200401").unwrap_err();
        assert!(matches!(error, PayError::Bill(BillDownloadError::Gzip(_))));
    }

    #[test]
    fn no_bill_reply_is_typed() {
        let body = b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg><error_code><![CDATA[20002]]></error_code></xml>";
        let error = bill_text(body, "20200401").unwrap_err();
        assert!(matches!(
            error,
            PayError::Bill(BillDownloadError::NoBill { .. })
        ));
    }

    #[test]
    fn bill_creating_reply_is_not_ready() {
        let body =
            b"<xml><return_code>FAIL</return_code><return_msg>Bill Creating</return_msg></xml>";
        let error = bill_text(body, "20200401").unwrap_err();
        assert!(matches!(
            error,
            PayError::Bill(BillDownloadError::NotReady { .. })
        ));
        assert!(error.explain().retryable);
    }
}
