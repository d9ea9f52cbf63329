//! Follow-up of a payment-code charge to its end. When micropay's outcome is not known at
//! once (USERPAYING, SYSTEMERROR, BANKERROR, a timeout), WeChat's rule is to query the
//! order. An order still unpaid at the deadline is reversed, so that the customer cannot
//! be charged later without the merchant knowing.

use std::time::Duration;

use tokio::time::{sleep, Instant};

use crate::api::Api;
use crate::client::PayClient;
use crate::error::{PayError, ReplyError, TransportKind};
use crate::model::{MicropayReply, MicropayRequest, OrderQueryReply, OrderRef};
use crate::TradeState;

/// Timing of the follow-up. The default interval is the 5 seconds WeChat advises after
/// USERPAYING; the 30-second deadline is this crate's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    pub interval: Duration,
    pub deadline: Duration,
    /// The maximum number of reverse calls while WeChat returns recall=Y.
    pub max_reverse_calls: u32,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            interval: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
            max_reverse_calls: 5,
        }
    }
}

/// The final state of a payment-code charge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MicropayOutcome {
    /// Paid at once, with the micropay reply's transaction_id.
    Paid { transaction_id: String },
    /// Paid after the customer confirmed; the order as the last query returned it.
    PaidAfterQuery(Box<OrderQueryReply>),
    /// Not paid: the order reached this final state (PAYERROR, CLOSED, REVOKED).
    Failed(TradeState),
    /// Still unpaid at the deadline, so the order was reversed.
    Reversed,
}

impl PayClient {
    /// Charges a payment code and follows it until it is paid, failed or reversed. A
    /// business error that WeChat calls final (an expired code, a low balance) returns at
    /// once as `PayError::Business`. Reversing needs the client certificate.
    pub async fn micropay_until_final(
        &self,
        request: &MicropayRequest,
        policy: PollPolicy,
    ) -> Result<MicropayOutcome, PayError> {
        match self.micropay(request).await {
            Ok(MicropayReply::Paid(payment)) => {
                return Ok(MicropayOutcome::Paid {
                    transaction_id: payment.transaction_id,
                })
            }
            Ok(MicropayReply::UserPaying) => {}
            Err(error) if error.outcome_unknown() => {
                tracing::warn!(out_trade_no = %request.out_trade_no, %error, "micropay outcome unknown, querying");
            }
            Err(error) => return Err(error),
        }

        let order = OrderRef::OutTradeNo(request.out_trade_no.clone());
        let started = Instant::now();
        while started.elapsed() < policy.deadline {
            sleep(policy.interval).await;
            let reply = match self.order_query(&order).await {
                Ok(reply) => reply,
                Err(error) if error.outcome_unknown() || is_connect_failure(&error) => {
                    tracing::warn!(out_trade_no = %request.out_trade_no, %error, "orderquery failed while following micropay");
                    continue;
                }
                Err(error) => return Err(error),
            };
            match reply.trade_state {
                TradeState::Success => return Ok(MicropayOutcome::PaidAfterQuery(Box::new(reply))),
                TradeState::UserPaying | TradeState::NotPay => continue,
                final_state => return Ok(MicropayOutcome::Failed(final_state)),
            }
        }

        tracing::info!(out_trade_no = %request.out_trade_no, "micropay unpaid at the deadline, reversing");
        self.reverse_until_done(&order, policy.max_reverse_calls)
            .await?;
        Ok(MicropayOutcome::Reversed)
    }

    /// Calls reverse until WeChat stops asking for another call (recall=Y) or an
    /// unknown-outcome error (SYSTEMERROR, USERPAYING), at most `max_calls` times.
    async fn reverse_until_done(&self, order: &OrderRef, max_calls: u32) -> Result<(), PayError> {
        let max_calls = max_calls.max(1);
        let mut last_error = None;
        for call in 1..=max_calls {
            match self.reverse(order).await {
                Ok(reply) if !reply.recall => return Ok(()),
                Ok(_) => tracing::info!(call, "reverse returned recall=Y"),
                Err(error) if error.outcome_unknown() => {
                    tracing::warn!(call, %error, "reverse outcome unknown, calling again");
                    last_error = Some(error);
                    continue;
                }
                Err(error) => return Err(error),
            }
            last_error = None;
        }
        Err(last_error.unwrap_or(PayError::Reply {
            api: Api::Reverse,
            source: ReplyError::Invalid {
                field: "recall".into(),
                value: "Y".into(),
                reason: format!("still Y after {max_calls} reverse calls"),
            },
        }))
    }
}

/// Returns true when a query did not reach WeChat; the next poll tries again.
fn is_connect_failure(error: &PayError) -> bool {
    matches!(
        error,
        PayError::Transport {
            kind: TransportKind::Connect,
            ..
        }
    )
}
