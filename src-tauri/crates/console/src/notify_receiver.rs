//! The console's own receiver of WeChat's payment and refund notifies, on 127.0.0.1 in
//! sandbox mode (a live merchant's notify_url is on the shop's public server instead). Each
//! notify is verified with the merchant key before anything is stored, and a repeated
//! notify changes nothing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use chrono::Utc;
use store::{NewEvent, OrderSource, OrderUpsert, RefundUpdate, Store};
use wxpay::notify::{notify_reject, parse_pay_notify, NOTIFY_ACK};
use wxpay::refund_notify::parse_refund_notify;
use wxpay::{ApiKey, Fen};

use crate::dto::AppError;
use crate::errors;

pub const PAY_NOTIFY_PATH: &str = "/wechat/pay-notify";
pub const REFUND_NOTIFY_PATH: &str = "/wechat/refund-notify";

/// A running receiver; it stops when dropped.
pub struct NotifyReceiver {
    pub base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for NotifyReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl NotifyReceiver {
    pub fn pay_notify_url(&self) -> String {
        format!("{}{PAY_NOTIFY_PATH}", self.base_url)
    }

    pub fn refund_notify_url(&self) -> String {
        format!("{}{REFUND_NOTIFY_PATH}", self.base_url)
    }
}

struct Receiver {
    store: Arc<Store>,
    profile_id: String,
    key: ApiKey,
}

/// Starts the receiver on a free port of 127.0.0.1.
pub async fn start(
    store: Arc<Store>,
    profile_id: String,
    key: ApiKey,
) -> Result<NotifyReceiver, AppError> {
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|error| errors::internal("启动通知接收 / starting the notify receiver", error))?;
    let address = listener
        .local_addr()
        .map_err(|error| errors::internal("启动通知接收 / starting the notify receiver", error))?;
    let state = Arc::new(Receiver {
        store,
        profile_id,
        key,
    });
    let router = Router::new()
        .route(PAY_NOTIFY_PATH, post(pay_notify))
        .route(REFUND_NOTIFY_PATH, post(refund_notify))
        .with_state(state);
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "the notify receiver stopped");
        }
    });
    tracing::info!(%address, "notify receiver listening");
    Ok(NotifyReceiver {
        base_url: format!("http://{address}"),
        task,
    })
}

async fn pay_notify(State(receiver): State<Arc<Receiver>>, body: Bytes) -> String {
    let notify = match parse_pay_notify(&body, &receiver.key) {
        Ok(notify) => notify,
        Err(error) => {
            tracing::warn!(%error, "rejected a payment notify");
            return notify_reject("invalid notify");
        }
    };
    let receiver = Arc::clone(&receiver);
    let outcome = tokio::task::spawn_blocking(move || record_payment(&receiver, &notify)).await;
    match outcome {
        Ok(Ok(())) => NOTIFY_ACK.to_owned(),
        Ok(Err(message)) => {
            tracing::warn!(%message, "payment notify not recorded");
            notify_reject(&message)
        }
        Err(error) => {
            tracing::error!(%error, "payment notify task failed");
            notify_reject("internal error")
        }
    }
}

/// Stores a verified payment, once. The amount must equal the order's: WeChat's rule for
/// notify handlers, because a notify for another amount means a mixed-up or forged order.
fn record_payment(receiver: &Receiver, notify: &wxpay::notify::PayNotify) -> Result<(), String> {
    let profile_id = &receiver.profile_id;
    let known = receiver
        .store
        .get_order(profile_id, &notify.out_trade_no)
        .map_err(|error| error.to_string())?
        .ok_or_else(|| format!("unknown out_trade_no {}", notify.out_trade_no))?;
    if known.total_fee != notify.total_fee.0 {
        return Err(format!(
            "total_fee {} differs from the order's {}",
            notify.total_fee.0, known.total_fee
        ));
    }
    if known.paid_at.is_some() && known.transaction_id.as_deref() == Some(&notify.transaction_id) {
        return Ok(());
    }

    let order = OrderUpsert {
        out_trade_no: notify.out_trade_no.clone(),
        transaction_id: Some(notify.transaction_id.clone()),
        trade_type: notify.trade_type.map(|kind| kind.as_str().to_owned()),
        trade_state: "SUCCESS".to_owned(),
        total_fee: notify.total_fee.0,
        cash_fee: notify.cash_fee.map(|fee| fee.0),
        coupon_fee: notify.coupon_fee.map(|fee| fee.0),
        body: None,
        attach: notify.attach.clone(),
        openid: notify.openid.clone(),
        bank_type: notify.bank_type.clone(),
        created_at: known.created_at,
        paid_at: Some(notify.time_end),
        source: OrderSource::Notify,
    };
    let amount = Fen(notify.total_fee.0);
    let event = NewEvent {
        out_trade_no: notify.out_trade_no.clone(),
        at: Utc::now(),
        kind: "notified".to_owned(),
        summary: format!("收到支付通知 {amount} · Payment notify {amount}"),
        detail: serde_json::json!({ "transaction_id": notify.transaction_id }),
    };
    receiver
        .store
        .record_order(profile_id, &order, &event)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

async fn refund_notify(State(receiver): State<Arc<Receiver>>, body: Bytes) -> String {
    let notify = match parse_refund_notify(&body, &receiver.key) {
        Ok(notify) => notify,
        Err(error) => {
            tracing::warn!(%error, "rejected a refund notify");
            return notify_reject("invalid notify");
        }
    };
    let receiver = Arc::clone(&receiver);
    let outcome = tokio::task::spawn_blocking(move || {
        let update = RefundUpdate {
            status: notify.refund_status.as_str().to_owned(),
            refund_id: Some(notify.refund_id.clone()),
            err_code: None,
            err_message: None,
            succeeded_at: notify.success_time,
        };
        receiver
            .store
            .update_refund(&receiver.profile_id, &notify.out_refund_no, &update)
            .map(|_| ())
            .map_err(|error| error.to_string())
    })
    .await;
    match outcome {
        Ok(Ok(())) => NOTIFY_ACK.to_owned(),
        Ok(Err(message)) => {
            tracing::warn!(%message, "refund notify not recorded");
            notify_reject(&message)
        }
        Err(error) => {
            tracing::error!(%error, "refund notify task failed");
            notify_reject("internal error")
        }
    }
}
