//! The state every request handler shares: the merchant's identity and secrets, and the
//! ledger behind one mutex (each request is short, and saving under the lock keeps the
//! state file in the same order as the changes).

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use wxpay::ApiKey;

use crate::clock::SimClock;
use crate::faults::Fault;
use crate::ledger::{Ledger, LedgerError};
use crate::mp::limits::TokenLimits;
use crate::notify;

/// Shared handler state.
pub struct App {
    pub appid: String,
    pub mch_id: String,
    pub api_key: ApiKey,
    pub app_secret: String,
    ledger: Mutex<Ledger>,
    /// OAuth codes handed out by the authorize page; they live five minutes, so they
    /// are not persisted.
    oauth_codes: Mutex<HashMap<String, OAuthCode>>,
    /// Faults armed through the admin API; kept in memory only.
    faults: Mutex<Vec<Fault>>,
    /// Simulated clock offset and time compression; kept in memory only.
    pub clock: Arc<SimClock>,
    /// Whether acknowledged notifies are sent once more, as WeChat sometimes does.
    pub duplicate_notifies: AtomicBool,
    /// Access token limits and today's counts; kept in memory only.
    token_limits: Mutex<TokenLimits>,
}

/// An OAuth code and the visitor it stands for.
#[derive(Debug, Clone)]
pub struct OAuthCode {
    pub openid: String,
    pub scope: String,
    pub issued_at: DateTime<Utc>,
    pub used: bool,
}

impl App {
    pub fn new(
        appid: String,
        mch_id: String,
        api_key: ApiKey,
        app_secret: String,
        ledger: Ledger,
    ) -> App {
        App {
            appid,
            mch_id,
            api_key,
            app_secret,
            ledger: Mutex::new(ledger),
            oauth_codes: Mutex::new(HashMap::new()),
            faults: Mutex::new(Vec::new()),
            clock: Arc::new(SimClock::default()),
            duplicate_notifies: AtomicBool::new(false),
            token_limits: Mutex::new(TokenLimits::default()),
        }
    }

    /// Locks the ledger. A handler that panicked mid-change leaves the data as it was
    /// in memory, which the next save writes out; the simulator keeps serving.
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the ledger after settling whatever came due (refunds leaving PROCESSING,
    /// customers who entered their password), saving when anything changed and sending
    /// the notifies of settled refunds and payments.
    pub fn settled_ledger(&self) -> MutexGuard<'_, Ledger> {
        let mut ledger = self.ledger();
        let settled = ledger.settle_due(self.clock.now());
        if settled.changed() {
            // The reply reports the settled state either way; a failed save only means
            // the next start settles the same records again.
            let _ = App::save(&mut ledger);
        }
        for index in settled.paid {
            notify::send_payment_notify(self, ledger.order(index));
        }
        for (index, n) in settled.refunds {
            let order = ledger.order(index);
            notify::send_refund_notify(self, order, &order.refunds[n]);
        }
        ledger
    }

    pub fn faults(&self) -> MutexGuard<'_, Vec<Fault>> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn token_limits(&self) -> MutexGuard<'_, TokenLimits> {
        self.token_limits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn oauth_codes(&self) -> MutexGuard<'_, HashMap<String, OAuthCode>> {
        self.oauth_codes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Saves the ledger, logging a failure: the reply then reports a system error, and
    /// WeChat's rule to retry with the same parameters makes the retry safe.
    pub fn save(ledger: &mut Ledger) -> Result<(), LedgerError> {
        ledger
            .save()
            .inspect_err(|err| tracing::error!(%err, "cannot save the sandbox state"))
    }
}
