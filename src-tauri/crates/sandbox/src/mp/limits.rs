//! Limits on fetching access tokens: the IP allow-list of the Official Account (40164),
//! the daily call quotas of cgi-bin/token and cgi-bin/stable_token (45009), and the
//! force_refresh rule of stable_token, 20 a day and 30 s apart (45011).

use std::net::IpAddr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::MpError;
use crate::clock::{self, SimClock};

/// Daily calls of cgi-bin/token WeChat allows an Official Account by default.
pub const TOKEN_DAILY_QUOTA: u32 = 2000;

/// Daily calls of cgi-bin/stable_token WeChat allows.
pub const STABLE_TOKEN_DAILY_QUOTA: u32 = 500_000;

/// force_refresh calls allowed a day, and the wait between two of them.
const FORCE_REFRESH_PER_DAY: usize = 20;
const FORCE_REFRESH_INTERVAL: Duration = Duration::seconds(30);

/// Which token path a call counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPath {
    Token,
    StableToken,
}

/// The limits and today's counts, in memory only: a restart starts a fresh day.
#[derive(Debug, Clone, Serialize)]
pub struct TokenLimits {
    /// Caller IPs allowed to fetch tokens; empty allows every caller.
    pub ip_allow_list: Vec<IpAddr>,
    pub token_quota: u32,
    pub stable_token_quota: u32,
    /// Beijing day the counts belong to.
    day: Option<NaiveDate>,
    pub token_calls: u32,
    pub stable_token_calls: u32,
    force_refreshes: Vec<DateTime<Utc>>,
}

impl Default for TokenLimits {
    fn default() -> TokenLimits {
        TokenLimits {
            ip_allow_list: Vec::new(),
            token_quota: TOKEN_DAILY_QUOTA,
            stable_token_quota: STABLE_TOKEN_DAILY_QUOTA,
            day: None,
            token_calls: 0,
            stable_token_calls: 0,
            force_refreshes: Vec::new(),
        }
    }
}

impl TokenLimits {
    /// Checks the caller's IP and counts the call against its path's daily quota.
    pub fn admit(
        &mut self,
        path: TokenPath,
        caller: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<(), MpError> {
        if !self.ip_allow_list.is_empty() {
            let allowed = caller.is_some_and(|ip| self.ip_allow_list.contains(&ip));
            if !allowed {
                let caller_ip = caller.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
                return Err(MpError::new(
                    40164,
                    format!("invalid ip {caller_ip}, not in whitelist"),
                ));
            }
        }
        self.roll_day(now);
        let (calls, quota) = match path {
            TokenPath::Token => (&mut self.token_calls, self.token_quota),
            TokenPath::StableToken => (&mut self.stable_token_calls, self.stable_token_quota),
        };
        if *calls >= quota {
            return Err(MpError::new(45009, "reach max api daily quota limit"));
        }
        *calls += 1;
        Ok(())
    }

    /// Records a force_refresh, or rejects it when 20 were made today or the last one
    /// is less than 30 s (shortened by the time compression) ago.
    pub fn force_refresh(&mut self, clock: &SimClock, now: DateTime<Utc>) -> Result<(), MpError> {
        self.roll_day(now);
        let too_soon = self
            .force_refreshes
            .last()
            .is_some_and(|last| now - *last < clock.scaled(FORCE_REFRESH_INTERVAL));
        if too_soon || self.force_refreshes.len() >= FORCE_REFRESH_PER_DAY {
            return Err(MpError::new(
                45011,
                "api minute-quota reach limit, mustslower, retry next minute",
            ));
        }
        self.force_refreshes.push(now);
        Ok(())
    }

    /// Starts new counts when the Beijing day changed.
    fn roll_day(&mut self, now: DateTime<Utc>) {
        let today = clock::beijing_day(now);
        if self.day != Some(today) {
            self.day = Some(today);
            self.token_calls = 0;
            self.stable_token_calls = 0;
            self.force_refreshes.clear();
        }
    }
}
