//! Money as integers: `Fen` for amounts (WeChat's total_fee and refund_fee are fen) and
//! `Fee` for the bill's five-decimal service fees. Yuan text converts by string
//! arithmetic, never through f64.

use std::fmt;

/// An amount in fen (分, 1/100 yuan). Serialised as a plain integer.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// A service fee in 1/100000 yuan, because bills give 手续费 to five decimals
/// (for example `0.18000`) and rounding them to fen would break the bill's sums.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Fee(pub i64);

/// Yuan text that is not a plain decimal number of the expected precision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error(
        "invalid amount {text:?}: expected a decimal number of yuan with at most {scale} decimals"
    )]
    Invalid { text: String, scale: u32 },
    #[error("amount {0:?} is too large")]
    TooLarge(String),
}

impl Fen {
    /// Parses yuan text such as `300.00`, `-12.5` or `7` into fen.
    pub fn from_yuan(text: &str) -> Result<Fen, AmountError> {
        parse_scaled(text, 2).map(Fen)
    }

    /// Parses an integer count of fen as WeChat sends it (`total_fee`, `refund_fee`).
    pub fn from_fen_text(text: &str) -> Result<Fen, AmountError> {
        let invalid = || AmountError::Invalid {
            text: text.to_owned(),
            scale: 0,
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        text.parse::<i64>()
            .map(Fen)
            .map_err(|_| AmountError::TooLarge(text.to_owned()))
    }

    /// Yuan text with two decimals, `-` for negatives: `12.34`.
    pub fn to_yuan_string(self) -> String {
        format_scaled(i128::from(self.0), 2)
    }
}

impl fmt::Display for Fen {
    /// Renders `¥12.34`, or `-¥12.34` for a negative amount.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format_scaled(i128::from(self.0), 2);
        match text.strip_prefix('-') {
            Some(abs) => write!(f, "-¥{abs}"),
            None => write!(f, "¥{text}"),
        }
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl std::ops::Sub for Fen {
    type Output = Fen;
    fn sub(self, other: Fen) -> Fen {
        Fen(self.0 - other.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

impl Fee {
    /// Parses yuan text with up to five decimals, such as `17.92000` or `-0.35`.
    pub fn from_yuan(text: &str) -> Result<Fee, AmountError> {
        parse_scaled(text, 5).map(Fee)
    }

    /// Yuan text with five decimals, as bills print it: `0.18000`.
    pub fn to_yuan_string(self) -> String {
        format_scaled(i128::from(self.0), 5)
    }
}

impl fmt::Display for Fee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_yuan_string())
    }
}

impl std::iter::Sum for Fee {
    fn sum<I: Iterator<Item = Fee>>(iter: I) -> Fee {
        Fee(iter.map(|f| f.0).sum())
    }
}

/// Parses `[-+]digits[.digits]` into an integer of `10^-scale` units.
fn parse_scaled(text: &str, scale: u32) -> Result<i64, AmountError> {
    let invalid = || AmountError::Invalid {
        text: text.to_owned(),
        scale,
    };
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(invalid());
    }
    if unsigned.contains('.') && fraction.is_empty() {
        return Err(invalid());
    }
    if fraction.len() > scale as usize {
        return Err(invalid());
    }

    let too_large = || AmountError::TooLarge(text.to_owned());
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let padded = format!("{fraction:0<width$}", width = scale as usize);
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| invalid())?
    };
    let units = whole
        .checked_mul(10_i64.pow(scale))
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(too_large)?;
    Ok(if negative { -units } else { units })
}

/// Formats `units` of `10^-scale` yuan. It takes i128 so that sums of many i64 amounts,
/// such as a bill's totals, print without overflow.
pub(crate) fn format_scaled(units: i128, scale: u32) -> String {
    let divisor = 10_u128.pow(scale);
    let abs = units.unsigned_abs();
    let sign = if units < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:0width$}",
        abs / divisor,
        abs % divisor,
        width = scale as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_parses_yuan_text() {
        assert_eq!(Fen::from_yuan("300.00"), Ok(Fen(30000)));
        assert_eq!(Fen::from_yuan("0.01"), Ok(Fen(1)));
        assert_eq!(Fen::from_yuan("12.5"), Ok(Fen(1250)));
        assert_eq!(Fen::from_yuan("7"), Ok(Fen(700)));
        assert_eq!(Fen::from_yuan("-18705.73"), Ok(Fen(-1870573)));
    }

    #[test]
    fn fen_rejects_bad_yuan_text() {
        for text in [
            "", "-", ".5", "1.", "1.234", "1,000.00", "1e3", "¥1.00", " 1.00", "--1",
        ] {
            assert!(Fen::from_yuan(text).is_err(), "accepted {text:?}");
        }
        assert_eq!(
            Fen::from_yuan("99999999999999999999.00"),
            Err(AmountError::TooLarge("99999999999999999999.00".into()))
        );
    }

    #[test]
    fn fen_display_has_yuan_sign() {
        assert_eq!(Fen(1234).to_string(), "¥12.34");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-1234).to_string(), "-¥12.34");
        assert_eq!(Fen(-5).to_yuan_string(), "-0.05");
    }

    #[test]
    fn fen_parses_integer_fen() {
        assert_eq!(Fen::from_fen_text("30000"), Ok(Fen(30000)));
        assert!(Fen::from_fen_text("-1").is_err());
        assert!(Fen::from_fen_text("1.00").is_err());
        assert!(Fen::from_fen_text("").is_err());
    }

    #[test]
    fn fen_serialises_as_integer() {
        assert_eq!(serde_json::to_string(&Fen(1234)).unwrap(), "1234");
        assert_eq!(serde_json::from_str::<Fen>("-7").unwrap(), Fen(-7));
    }

    #[test]
    fn fee_keeps_five_decimals() {
        assert_eq!(Fee::from_yuan("17.92000"), Ok(Fee(1_792_000)));
        assert_eq!(Fee::from_yuan("-112.22000"), Ok(Fee(-11_222_000)));
        assert_eq!(Fee::from_yuan("0.00001"), Ok(Fee(1)));
        assert_eq!(Fee::from_yuan("0.35"), Ok(Fee(35_000)));
        assert_eq!(Fee(-1).to_yuan_string(), "-0.00001");
        assert!(Fee::from_yuan("0.000001").is_err());
    }
}
