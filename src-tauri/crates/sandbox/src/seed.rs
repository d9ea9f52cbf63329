//! The state of a sandbox before its first request: a fresh folder gets the seeded
//! history, the starting balance and one WEB data source, and a folder last used days
//! ago gets the seeded trade of the days since.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use wxpay::Fen;

use crate::clock;
use crate::history::{self, HistoryParams};
use crate::ids;
use crate::ledger::{LedgerSeed, DEFAULT_PASSWORD_DELAY_MS, DEFAULT_REFUND_DELAY_MS};
use crate::model::{DataSource, MpState, Order, State, STATE_FORMAT};

/// Money a fresh merchant has for refunds: ¥20,000.00.
const INITIAL_BALANCE: Fen = Fen(2_000_000);

/// Adds the seeded trade of the days between the end of the history and yesterday, at
/// most `history_days` of them, so a sandbox started again days later has recent bills.
pub fn extend_history(state: &mut State, history_days: u32, now: DateTime<Utc>) {
    let yesterday = clock::beijing_day(now) - Duration::days(1);
    let earliest = yesterday - Duration::days(i64::from(history_days) - 1);
    let from = (state.history_end + Duration::days(1)).max(earliest);
    let Ok(days) = u32::try_from((yesterday - from).num_days() + 1) else {
        return;
    };
    if history_days == 0 || days == 0 {
        return;
    }

    let generated = history::generate(HistoryParams {
        appid: &state.appid,
        seed: state.seed,
        days,
        end: yesterday,
    });
    let known: HashSet<&str> = state
        .orders
        .iter()
        .map(|o| o.out_trade_no.as_str())
        .collect();
    let fresh: Vec<Order> = generated
        .into_iter()
        .filter(|o| !known.contains(o.out_trade_no.as_str()))
        .collect();
    tracing::info!(days, orders = fresh.len(), %from, "extended the sandbox history");
    state.orders.extend(fresh);
    state.history_end = yesterday;
}

pub fn fresh_state(seed: &LedgerSeed<'_>, now: DateTime<Utc>) -> State {
    let end = clock::beijing_day(now) - Duration::days(1);
    let orders = history::generate(HistoryParams {
        appid: seed.appid,
        seed: seed.seed,
        days: seed.history_days,
        end,
    });
    State {
        format: STATE_FORMAT,
        appid: seed.appid.to_owned(),
        mch_id: seed.mch_id.to_owned(),
        seed: seed.seed,
        history_end: end,
        balance: INITIAL_BALANCE,
        refund_delay_ms: DEFAULT_REFUND_DELAY_MS,
        password_delay_ms: DEFAULT_PASSWORD_DELAY_MS,
        orders,
        mp: MpState {
            data_sources: vec![seeded_data_source(seed.seed, now)],
            ..MpState::default()
        },
    }
}

/// Builds the WEB data source a fresh account has, so the ads screen can send at once.
fn seeded_data_source(seed: u64, now: DateTime<Utc>) -> DataSource {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DataSource {
        user_action_set_id: ids::user_action_set_id(&mut rng),
        kind: "WEB".to_owned(),
        name: "公众号落地页".to_owned(),
        description: "公众号广告落地页的下单与购买转化".to_owned(),
        created_at: now,
    }
}
