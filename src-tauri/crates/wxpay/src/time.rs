//! WeChat's timestamps are Beijing time (Asia/Shanghai) without a zone: `yyyyMMddHHmmss`
//! in replies and notifies, `yyyy-MM-dd HH:mm:ss` in bills and refund times. This module
//! converts them to and from UTC.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// A timestamp that does not match WeChat's format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {text:?}: expected Beijing time as {format}")]
pub struct TimeError {
    pub text: String,
    pub format: &'static str,
}

const COMPACT: &str = "%Y%m%d%H%M%S";
const DASHED: &str = "%Y-%m-%d %H:%M:%S";

/// Parses `yyyyMMddHHmmss` (time_end, time_start, time_expire).
pub fn parse_compact(text: &str) -> Result<DateTime<Utc>, TimeError> {
    parse_with(text, COMPACT, "yyyyMMddHHmmss")
}

/// Parses `yyyy-MM-dd HH:mm:ss` (bills, refund_success_time).
pub fn parse_dashed(text: &str) -> Result<DateTime<Utc>, TimeError> {
    parse_with(text, DASHED, "yyyy-MM-dd HH:mm:ss")
}

/// Formats a UTC instant as Beijing `yyyyMMddHHmmss`.
pub fn format_compact(time: DateTime<Utc>) -> String {
    time.with_timezone(&Shanghai).format(COMPACT).to_string()
}

/// Formats a bill date as downloadbill's `bill_date`, `yyyyMMdd`.
pub fn format_bill_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn parse_with(text: &str, pattern: &str, format: &'static str) -> Result<DateTime<Utc>, TimeError> {
    let invalid = || TimeError {
        text: text.to_owned(),
        format,
    };
    // chrono accepts a shorter field where the pattern has two digits, so the length is
    // checked first: every WeChat timestamp is zero-padded.
    if text.len() != format.len() {
        return Err(invalid());
    }
    let naive = NaiveDateTime::parse_from_str(text, pattern).map_err(|_| invalid())?;
    // China has had no daylight saving time since 1991, so every local time is unique.
    match Shanghai.from_local_datetime(&naive) {
        LocalResult::Single(local) => Ok(local.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) | LocalResult::None => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_time_is_beijing() {
        let time = parse_compact("20141111170043").unwrap();
        assert_eq!(time.to_rfc3339(), "2014-11-11T09:00:43+00:00");
        assert_eq!(format_compact(time), "20141111170043");
    }

    #[test]
    fn dashed_time_is_beijing() {
        let time = parse_dashed("2019-07-05 17:15:51").unwrap();
        assert_eq!(time.to_rfc3339(), "2019-07-05T09:15:51+00:00");
    }

    #[test]
    fn times_reject_bad_text() {
        for text in [
            "2014111117004",
            "201411111700431",
            "20141311170043",
            "2014-11-11 17:00:43",
        ] {
            assert!(parse_compact(text).is_err(), "accepted {text:?}");
        }
        assert!(parse_dashed("2019-7-05 17:15:51").is_err());
        assert!(parse_dashed("2019-07-05T17:15:51").is_err());
    }

    #[test]
    fn bill_date_is_compact() {
        let date = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
        assert_eq!(format_bill_date(date), "20200401");
    }
}
