//! Beijing time, in which WeChat writes every time field (`yyyyMMddHHmmss` in API replies,
//! `yyyy-MM-dd HH:mm:ss` in bills and refund times) and dates its daily bills.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// Returns the Beijing calendar day of an instant.
pub fn beijing_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Shanghai).date_naive()
}

/// Formats `yyyyMMddHHmmss` in Beijing time, as time_end and time_start are written.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai)
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// Formats `yyyy-MM-dd HH:mm:ss` in Beijing time, as bills and refund_success_time are
/// written.
pub fn bill_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Returns the first instant of a Beijing day. Beijing has had no daylight saving since 1991, so
/// midnight always exists and is unique.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match Shanghai.from_local_datetime(&midnight).earliest() {
        Some(local) => local.with_timezone(&Utc),
        None => midnight.and_utc() - Duration::hours(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_is_eight_hours_ahead() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 8, 17, 30, 5)
            .single()
            .expect("valid");
        assert_eq!(stamp(at), "20260309013005");
        assert_eq!(bill_time(at), "2026-03-09 01:30:05");
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid");
        assert_eq!(beijing_day(at), day);
        assert_eq!(
            day_start(day),
            Utc.with_ymd_and_hms(2026, 3, 8, 16, 0, 0).unwrap()
        );
    }
}
