//! The merchant's time zone. WeChat states times in Beijing time; the console stores UTC
//! and turns the UI's calendar days into UTC bounds here.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use chrono_tz::Tz;

use crate::dto::AppError;
use crate::errors;

pub const MERCHANT_ZONE: Tz = Shanghai;
pub const MERCHANT_ZONE_NAME: &str = "Asia/Shanghai";

/// Parses a `YYYY-MM-DD` day of the UI.
pub fn parse_day(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| errors::invalid_date(text))
}

/// Returns the first second of `day` in the merchant's zone, as UTC unix seconds.
pub fn day_start_utc(day: NaiveDate) -> i64 {
    // Asia/Shanghai has had no daylight saving time since 1991, so every midnight exists once.
    MERCHANT_ZONE
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .expect("Asia/Shanghai midnights are never skipped")
        .timestamp()
}

/// Returns the first second after `day` in the merchant's zone, as UTC unix seconds.
pub fn day_end_utc(day: NaiveDate) -> i64 {
    day_start_utc(day.checked_add_days(Days::new(1)).unwrap_or(day))
}

/// Returns today's date in the merchant's zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&MERCHANT_ZONE).date_naive()
}

/// Formats UTC unix seconds in the merchant's zone, to the second.
pub fn format_local(unix_seconds: i64) -> String {
    DateTime::from_timestamp(unix_seconds, 0)
        .map(|at| {
            at.with_timezone(&MERCHANT_ZONE)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bounds_are_beijing_midnights() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 5).expect("valid date");
        assert_eq!(day_start_utc(day), 1_793_808_000);
        assert_eq!(day_end_utc(day) - day_start_utc(day), 86_400);
    }

    #[test]
    fn format_local_adds_eight_hours() {
        assert_eq!(format_local(0), "1970-01-01 08:00:00");
    }

    #[test]
    fn parse_day_rejects_other_shapes() {
        assert!(parse_day("2026-11-05").is_ok());
        assert!(parse_day("20261105").is_err());
        assert!(parse_day("2026-13-01").is_err());
    }
}
