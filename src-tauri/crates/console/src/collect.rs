//! Taking a payment at the counter with a Native (QR code) order: the order is stored as
//! NOTPAY before unifiedorder is sent, and only WeChat's notify or an orderquery marks it
//! paid, never the counter itself.

use chrono::Utc;
use rand::Rng;
use store::{NewEvent, OrderSource, OrderUpsert};
use wxpay::model::{UnifiedOrderRequest, UnifiedTradeType};
use wxpay::Fen;

use crate::dto::{AppError, CollectInput, CollectResult};
use crate::{errors, orders, translate, Console};

/// The address unifiedorder reports as the server's for NATIVE orders (9_1 spbill_create_ip).
const COUNTER_IP: &str = "127.0.0.1";

impl Console {
    /// Creates a Native order for `input.total_fee` and returns its code_url.
    pub async fn collect_native(&self, input: CollectInput) -> Result<CollectResult, AppError> {
        if input.total_fee <= 0 {
            return Err(errors::invalid_collect_amount(input.total_fee));
        }
        let notify_url = self
            .inner
            .clients
            .pay_notify_url()
            .ok_or_else(errors::collect_needs_notify_url)?;
        let out_trade_no = new_out_trade_no();
        let body = input.body.trim().to_owned();

        let request = UnifiedOrderRequest {
            body: body.clone(),
            out_trade_no: out_trade_no.clone(),
            total_fee: Fen(input.total_fee),
            spbill_create_ip: COUNTER_IP.to_owned(),
            notify_url,
            trade_type: UnifiedTradeType::Native {
                product_id: out_trade_no.clone(),
            },
            attach: None,
            time_start: None,
            time_expire: None,
            goods_tag: None,
        };
        // Checking the fields first keeps an order that WeChat would refuse out of the history.
        request
            .to_fields()
            .map_err(|error| translate::pay_error(error.into()))?;

        let now = Utc::now();
        let order = OrderUpsert {
            out_trade_no: out_trade_no.clone(),
            transaction_id: None,
            trade_type: Some("NATIVE".to_owned()),
            trade_state: "NOTPAY".to_owned(),
            total_fee: input.total_fee,
            cash_fee: None,
            coupon_fee: None,
            body: Some(body),
            attach: None,
            openid: None,
            bank_type: None,
            created_at: now,
            paid_at: None,
            source: OrderSource::App,
        };
        let amount = Fen(input.total_fee);
        let event = NewEvent {
            out_trade_no: out_trade_no.clone(),
            at: now,
            kind: "created".to_owned(),
            summary: format!("扫码收款 {amount} · Native order for {amount}"),
            detail: serde_json::json!({ "total_fee": input.total_fee }),
        };
        let profile_id = self.profile_id().to_owned();
        let stored = self
            .with_store(move |store| store.record_order(&profile_id, &order, &event))
            .await?;

        let reply = self
            .inner
            .clients
            .pay
            .unified_order(&request)
            .await
            .map_err(translate::pay_error)?;
        let code_url = reply
            .code_url
            .ok_or_else(errors::collect_without_code_url)?;
        tracing::info!(out_trade_no = %out_trade_no, total_fee = input.total_fee, "native order created");
        Ok(CollectResult {
            order: orders::order_row(&stored),
            code_url,
        })
    }
}

/// Makes a new out_trade_no: `C`, the time in UTC to the second and six random digits, 21
/// characters of the 32 WeChat allows.
fn new_out_trade_no() -> String {
    let suffix: u32 = rand::thread_rng().gen_range(0..1_000_000);
    format!("C{}{suffix:06}", Utc::now().format("%Y%m%d%H%M%S"))
}
