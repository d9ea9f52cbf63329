//! Beijing time, in which WeChat writes every time field (`yyyyMMddHHmmss` in API replies,
//! `yyyy-MM-dd HH:mm:ss` in bills and refund times) and dates its daily bills, and the
//! simulated clock: an offset from the real time and a compression factor for waits.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// A rejected clock setting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClockError {
    #[error("invalid time compression {0}: expected a finite number above 0, such as 1 (real time) or 60 (a minute a second)")]
    InvalidCompression(f64),
}

/// The simulated clock, shared by the handlers and the notify tasks. Atomics, because
/// notify tasks read it between attempts without taking the ledger lock.
#[derive(Debug)]
pub struct SimClock {
    offset_ms: AtomicI64,
    /// The f64 bits of the compression factor.
    compression: AtomicU64,
}

impl Default for SimClock {
    fn default() -> SimClock {
        SimClock {
            offset_ms: AtomicI64::new(0),
            compression: AtomicU64::new(1.0_f64.to_bits()),
        }
    }
}

impl SimClock {
    /// Returns the simulated now: the real time plus the offset.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    pub fn set_offset(&self, offset: Duration) {
        self.offset_ms
            .store(offset.num_milliseconds(), Ordering::Relaxed);
    }

    /// Returns how many times faster than real time the simulated waits run.
    pub fn compression(&self) -> f64 {
        f64::from_bits(self.compression.load(Ordering::Relaxed))
    }

    /// Sets the compression factor, which must be finite and positive.
    pub fn set_compression(&self, factor: f64) -> Result<(), ClockError> {
        if !factor.is_finite() || factor <= 0.0 {
            return Err(ClockError::InvalidCompression(factor));
        }
        self.compression.store(factor.to_bits(), Ordering::Relaxed);
        Ok(())
    }

    /// Returns the real time that a simulated wait of `simulated` takes now.
    pub fn real(&self, simulated: std::time::Duration) -> std::time::Duration {
        simulated.div_f64(self.compression())
    }

    /// Returns the simulated length of a WeChat rule's `rule` time span, shortened by
    /// the compression factor, for comparisons with simulated instants.
    pub fn scaled(&self, rule: Duration) -> Duration {
        let ms = rule.num_milliseconds() as f64 / self.compression();
        Duration::milliseconds(ms as i64)
    }
}

/// Returns the Beijing calendar day of an instant.
pub fn beijing_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Shanghai).date_naive()
}

/// Returns the Beijing time of day of an instant.
pub fn beijing_time(at: DateTime<Utc>) -> chrono::NaiveTime {
    at.with_timezone(&Shanghai).time()
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
    fn compression_shortens_waits() {
        let clock = SimClock::default();
        clock.set_compression(60.0).expect("valid factor");
        assert!(clock.set_compression(0.0).is_err());
        assert!(clock.set_compression(f64::NAN).is_err());
        assert_eq!(
            clock.real(std::time::Duration::from_secs(180)),
            std::time::Duration::from_secs(3)
        );
        assert_eq!(clock.scaled(Duration::minutes(5)), Duration::seconds(5));
        clock.set_offset(Duration::hours(2));
        assert!(clock.now() - Utc::now() > Duration::minutes(119));
    }

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
