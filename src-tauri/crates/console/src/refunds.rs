//! Refunds that never happen twice: the out_refund_no is stored as PENDING before the request
//! leaves, a request whose outcome is unknown is repeated only with that same number, and
//! refundquery brings each refund to its final state.

use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use store::{Refund, RefundUpdate};
use wxpay::model::{OrderRef, RefundQueryRef, RefundQueryRequest, RefundRequest};
use wxpay::PayError;

use crate::dto::{AppError, RefundInput, RefundView};
use crate::{errors, translate, Console};

/// WeChat's limit on refund_desc (refund API, 9_4), in UTF-8 bytes.
const MAX_REASON_BYTES: usize = 80;
/// How long `follow_refund` polls before it returns a refund that is still processing.
const FOLLOW_LIMIT: Duration = Duration::from_secs(120);
const FIRST_POLL_DELAY: Duration = Duration::from_millis(800);
const MAX_POLL_DELAY: Duration = Duration::from_secs(5);

impl Console {
    /// Stores the refund as PENDING, sends it, and returns it once WeChat has accepted it
    /// (PROCESSING) or rejected it. Passing the `out_refund_no` of an earlier attempt repeats
    /// that refund instead of making a new one.
    pub async fn refund_order(&self, input: RefundInput) -> Result<RefundView, AppError> {
        if let Some(reason) = &input.reason {
            if reason.len() > MAX_REASON_BYTES {
                return Err(errors::reason_too_long());
            }
        }
        let profile_id = self.profile_id().to_owned();
        let out_refund_no = match &input.out_refund_no {
            Some(number) if !number.trim().is_empty() => number.trim().to_owned(),
            _ => new_out_refund_no(),
        };
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|reason| !reason.is_empty())
            .map(str::to_owned);

        let (order, begun) = {
            let out_trade_no = input.out_trade_no.clone();
            let out_refund_no = out_refund_no.clone();
            let reason = reason.clone();
            let refund_fee = input.refund_fee;
            self.with_store(move |store| {
                let begun = store.begin_refund(
                    &profile_id,
                    &out_trade_no,
                    &out_refund_no,
                    refund_fee,
                    reason.as_deref(),
                )?;
                let order = store.get_order(&profile_id, &out_trade_no)?;
                Ok((order, begun))
            })
            .await?
        };
        let order = order.ok_or_else(|| errors::order_not_found(&input.out_trade_no))?;
        if begun.refund.status != "PENDING" {
            // Already sent under this number (a double click or a retry): report, never resend.
            return Ok(refund_view(&begun.refund));
        }

        self.send_refund(&begun.refund, order.total_fee).await
    }

    /// Polls refundquery until the refund reaches a final state or the time limit passes,
    /// calling `on_update` with each state seen.
    pub async fn follow_refund(
        &self,
        out_refund_no: &str,
        mut on_update: impl FnMut(&RefundView) + Send,
    ) -> Result<RefundView, AppError> {
        let started = tokio::time::Instant::now();
        let mut delay = FIRST_POLL_DELAY;
        loop {
            let view = self.refresh_refund(out_refund_no).await?;
            on_update(&view);
            if view.is_final() || started.elapsed() >= FOLLOW_LIMIT {
                return Ok(view);
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(MAX_POLL_DELAY);
        }
    }

    /// Asks WeChat for one refund's state with refundquery and stores it. A refund still
    /// PENDING whose request never reached WeChat is sent again with the same number.
    pub async fn refresh_refund(&self, out_refund_no: &str) -> Result<RefundView, AppError> {
        let refund = self.stored_refund(out_refund_no).await?;
        if refund.status == "FAILED" {
            return Ok(refund_view(&refund));
        }

        let query = self
            .inner
            .clients
            .pay
            .refund_query(&RefundQueryRequest {
                by: RefundQueryRef::OutRefundNo(out_refund_no.to_owned()),
                offset: None,
            })
            .await;
        let reply = match query {
            Ok(reply) => reply,
            Err(error) if is_refund_not_found(&error) && refund.status == "PENDING" => {
                let order = self.stored_order_total(&refund.out_trade_no).await?;
                return self.send_refund(&refund, order).await;
            }
            Err(error) => return Err(translate::pay_error(error)),
        };

        let Some(item) = reply
            .refunds
            .iter()
            .find(|item| item.out_refund_no == out_refund_no)
        else {
            return Ok(refund_view(&refund));
        };
        let update = RefundUpdate {
            status: item.refund_status.as_str().to_owned(),
            refund_id: Some(item.refund_id.clone()),
            err_code: None,
            err_message: None,
            succeeded_at: item.refund_success_time,
        };
        self.apply_update(out_refund_no, update).await
    }

    /// Resumes refunds left PENDING or PROCESSING by a crash or a closed window.
    pub async fn resume_refunds(&self) {
        let profile_id = self.profile_id().to_owned();
        let pending = match self
            .with_store(move |store| store.pending_refunds(&profile_id))
            .await
        {
            Ok(pending) => pending,
            Err(error) => {
                tracing::warn!(code = %error.code, "could not list unfinished refunds");
                return;
            }
        };
        for refund in pending {
            match self.refresh_refund(&refund.out_refund_no).await {
                Ok(view) => {
                    tracing::info!(out_refund_no = %view.out_refund_no, status = %view.status, "resumed refund")
                }
                Err(error) => {
                    tracing::warn!(out_refund_no = %refund.out_refund_no, code = %error.code, "could not resume refund")
                }
            }
        }
    }

    async fn send_refund(&self, refund: &Refund, total_fee: i64) -> Result<RefundView, AppError> {
        let request = RefundRequest {
            order: OrderRef::OutTradeNo(refund.out_trade_no.clone()),
            out_refund_no: refund.out_refund_no.clone(),
            total_fee: wxpay::Fen(total_fee),
            refund_fee: wxpay::Fen(refund.refund_fee),
            refund_desc: refund.reason.clone(),
            refund_account: None,
            notify_url: self.inner.clients.refund_notify_url(),
        };
        tracing::info!(out_trade_no = %refund.out_trade_no, out_refund_no = %refund.out_refund_no, refund_fee = refund.refund_fee, "sending refund");

        match self.inner.clients.pay.refund(&request).await {
            Ok(reply) => {
                let update = RefundUpdate {
                    status: "PROCESSING".to_owned(),
                    refund_id: Some(reply.refund_id),
                    err_code: None,
                    err_message: None,
                    succeeded_at: None,
                };
                self.apply_update(&refund.out_refund_no, update).await
            }
            Err(error) => {
                // A request that may have reached WeChat stays PENDING: only the same number may
                // be sent again, and refundquery reports what happened. One that surely did not
                // becomes FAILED, and the same number may be retried once the cause is fixed.
                let outcome_unknown = error.outcome_unknown();
                let explained = translate::pay_error(error);
                if !outcome_unknown {
                    let update = RefundUpdate {
                        status: "FAILED".to_owned(),
                        refund_id: None,
                        err_code: Some(explained.code.clone()),
                        // Both languages are kept, one per line, so the view can show either.
                        err_message: Some(format!(
                            "{}\n{}",
                            explained.message_zh, explained.message_en
                        )),
                        succeeded_at: None,
                    };
                    self.apply_update(&refund.out_refund_no, update).await?;
                }
                Err(explained)
            }
        }
    }

    async fn apply_update(
        &self,
        out_refund_no: &str,
        update: RefundUpdate,
    ) -> Result<RefundView, AppError> {
        let profile_id = self.profile_id().to_owned();
        let number = out_refund_no.to_owned();
        let refund = self
            .with_store(move |store| store.update_refund(&profile_id, &number, &update))
            .await?;
        Ok(refund_view(&refund))
    }

    async fn stored_refund(&self, out_refund_no: &str) -> Result<Refund, AppError> {
        let profile_id = self.profile_id().to_owned();
        let number = out_refund_no.to_owned();
        self.with_store(move |store| store.get_refund(&profile_id, &number))
            .await?
            .ok_or_else(|| errors::refund_not_found(out_refund_no))
    }

    async fn stored_order_total(&self, out_trade_no: &str) -> Result<i64, AppError> {
        let profile_id = self.profile_id().to_owned();
        let number = out_trade_no.to_owned();
        self.with_store(move |store| store.get_order(&profile_id, &number))
            .await?
            .map(|order| order.total_fee)
            .ok_or_else(|| errors::order_not_found(out_trade_no))
    }
}

fn is_refund_not_found(error: &PayError) -> bool {
    matches!(error, PayError::Business { err_code, .. } if err_code == "REFUNDNOTEXIST")
}

/// Makes a new out_refund_no: `R`, the time in UTC to the second and six random digits,
/// well inside WeChat's 64 characters of `[0-9A-Za-z_-|*@]`.
fn new_out_refund_no() -> String {
    let suffix: u32 = rand::thread_rng().gen_range(0..1_000_000);
    format!("R{}{suffix:06}", Utc::now().format("%Y%m%d%H%M%S"))
}

pub fn refund_view(refund: &Refund) -> RefundView {
    let error = refund.err_code.as_ref().map(|code| {
        let message = refund.err_message.as_deref().unwrap_or_default();
        let (zh, en) = message.split_once('\n').unwrap_or((message, message));
        AppError {
            code: code.clone(),
            message_zh: zh.to_owned(),
            message_en: en.to_owned(),
            retryable: false,
        }
    });
    RefundView {
        out_refund_no: refund.out_refund_no.clone(),
        out_trade_no: refund.out_trade_no.clone(),
        refund_id: refund.refund_id.clone(),
        refund_fee: refund.refund_fee,
        reason: refund.reason.clone(),
        status: refund.status.clone(),
        error,
        requested_at: refund.requested_at.timestamp(),
        succeeded_at: refund.succeeded_at.map(|at| at.timestamp()),
    }
}
