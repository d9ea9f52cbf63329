//! Checks of request fields against the limits in WeChat's API tables, so a request that
//! WeChat would reject is caught with a precise message before it is sent.

use crate::error::RequestError;

/// Requires a non-empty value of at most `max` bytes (WeChat counts bytes, so a Chinese
/// character takes three).
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<(), RequestError> {
    if value.is_empty() {
        return Err(RequestError::Missing { field });
    }
    if value.len() > max {
        return Err(RequestError::TooLong {
            field,
            len: value.len(),
            max,
        });
    }
    Ok(())
}

/// Checks a merchant number (out_trade_no, out_refund_no): `[0-9A-Za-z_\-|*@]`, at most
/// `max` characters.
pub(crate) fn merchant_no(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), RequestError> {
    text(field, value, max)?;
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b);
    if !value.bytes().all(allowed) {
        return Err(RequestError::Invalid {
            field,
            value: value.to_owned(),
            reason: "only letters, digits and _ - | * @ are allowed",
        });
    }
    Ok(())
}

/// Checks a notify_url: http or https, at most 256 bytes, no query string (WeChat drops
/// parameters from notify URLs).
pub(crate) fn notify_url(field: &'static str, value: &str) -> Result<(), RequestError> {
    text(field, value, 256)?;
    let invalid = |reason| RequestError::Invalid {
        field,
        value: value.to_owned(),
        reason,
    };
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| invalid("must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(invalid("has no host"));
    }
    if value.contains('?') {
        return Err(invalid("must not carry a query string"));
    }
    if value.contains(char::is_whitespace) {
        return Err(invalid("must not contain spaces"));
    }
    Ok(())
}

/// Requires a positive amount.
pub(crate) fn positive(field: &'static str, fen: crate::Fen) -> Result<(), RequestError> {
    if fen.0 <= 0 {
        return Err(RequestError::Invalid {
            field,
            value: fen.0.to_string(),
            reason: "must be at least 1 fen",
        });
    }
    Ok(())
}

/// Requires an IPv4 or IPv6 address (spbill_create_ip).
pub(crate) fn ip(field: &'static str, value: &str) -> Result<(), RequestError> {
    text(field, value, 64)?;
    if value.parse::<std::net::IpAddr>().is_err() {
        return Err(RequestError::Invalid {
            field,
            value: value.to_owned(),
            reason: "must be an IP address",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_no_checks_charset_and_length() {
        assert!(merchant_no("out_trade_no", "20190705_a-b|c*d@e", 32).is_ok());
        assert!(merchant_no("out_trade_no", &"1".repeat(32), 32).is_ok());
        assert_eq!(
            merchant_no("out_trade_no", &"1".repeat(33), 32),
            Err(RequestError::TooLong {
                field: "out_trade_no",
                len: 33,
                max: 32
            })
        );
        assert!(merchant_no("out_trade_no", "abc#1", 32).is_err());
        assert!(merchant_no("out_trade_no", "订单1", 32).is_err());
        assert_eq!(
            merchant_no("out_trade_no", "", 32),
            Err(RequestError::Missing {
                field: "out_trade_no"
            })
        );
    }

    #[test]
    fn notify_url_rejects_query_and_length() {
        assert!(notify_url("notify_url", "https://shop.example/wxpay/notify").is_ok());
        assert!(notify_url("notify_url", "https://shop.example/notify?id=1").is_err());
        assert!(notify_url("notify_url", "ftp://shop.example/notify").is_err());
        assert!(notify_url("notify_url", "https:///notify").is_err());
        let long = format!("https://shop.example/{}", "a".repeat(240));
        assert!(matches!(
            notify_url("notify_url", &long),
            Err(RequestError::TooLong { .. })
        ));
    }

    #[test]
    fn text_counts_bytes() {
        assert!(text("body", &"中".repeat(42), 128).is_ok());
        assert!(text("body", &"中".repeat(43), 128).is_err());
    }

    #[test]
    fn ip_requires_address() {
        assert!(ip("spbill_create_ip", "127.0.0.1").is_ok());
        assert!(ip("spbill_create_ip", "::1").is_ok());
        assert!(ip("spbill_create_ip", "localhost").is_err());
    }
}
