//! Browsing the local history (pages, totals, one order's detail) and asking WeChat for an
//! order's current state with orderquery, whose verified reply is written back.

use chrono::{DateTime, Utc};
use store::{Order, OrderSource, OrderUpsert};
use wxpay::model::{OrderQueryReply, OrderRef};

use crate::dto::{
    AppError, OrderCursor, OrderDetail, OrderField, OrderFilter, OrderPage, OrderRow, OrderTotals,
    RefundView,
};
use crate::{errors, refunds, timeline, translate, zone, Console};

/// Largest page the UI may request. The table requests a few hundred rows at a time.
const MAX_PAGE_ROWS: u32 = 500;

impl Console {
    pub async fn list_orders(
        &self,
        filter: OrderFilter,
        cursor: Option<OrderCursor>,
        limit: u32,
    ) -> Result<OrderPage, AppError> {
        let filter = self.store_filter(&filter)?;
        let after = cursor.map(|cursor| store::OrderCursor {
            created_at: cursor.created_at,
            id: cursor.id,
        });
        let limit = limit.clamp(1, MAX_PAGE_ROWS);
        let page = self
            .with_store(move |store| store.list_orders(&filter, after, limit))
            .await?;
        Ok(OrderPage {
            rows: page.orders.iter().map(order_row).collect(),
            next: page.next.map(|next| OrderCursor {
                created_at: next.created_at,
                id: next.id,
            }),
        })
    }

    pub async fn order_totals(&self, filter: OrderFilter) -> Result<OrderTotals, AppError> {
        let filter = self.store_filter(&filter)?;
        let totals = self
            .with_store(move |store| store.order_totals(&filter))
            .await?;
        Ok(OrderTotals {
            count: totals.count as i64,
            total_fee: totals.paid_fee,
            refunded_fee: totals.refunded_fee,
            net_fee: totals.net_fee,
        })
    }

    pub async fn order_detail(&self, out_trade_no: &str) -> Result<OrderDetail, AppError> {
        let profile_id = self.profile_id().to_owned();
        let number = out_trade_no.to_owned();
        let (order, refunds, events, refundable) = self
            .with_store(move |store| {
                let Some(order) = store.get_order(&profile_id, &number)? else {
                    return Ok(None);
                };
                let refunds = store.refunds_of_order(&profile_id, &number)?;
                let events = store.events_of_order(&profile_id, &number)?;
                let refundable = store.refundable_fee(&profile_id, &number)?;
                Ok(Some((order, refunds, events, refundable)))
            })
            .await?
            .ok_or_else(|| errors::order_not_found(out_trade_no))?;

        let paid = matches!(order.trade_state.as_str(), "SUCCESS" | "REFUND");
        Ok(OrderDetail {
            fields: order_fields(&order),
            order: order_row(&order),
            refunds: refunds
                .iter()
                .map(refunds::refund_view)
                .collect::<Vec<RefundView>>(),
            timeline: timeline::build(&order, &refunds, &events),
            refundable_fee: if paid { refundable.max(0) } else { 0 },
        })
    }

    /// Calls orderquery and writes WeChat's verified reply into the history.
    pub async fn query_order(&self, out_trade_no: &str) -> Result<OrderDetail, AppError> {
        let reply = self
            .inner
            .clients
            .pay
            .order_query(&OrderRef::OutTradeNo(out_trade_no.to_owned()))
            .await
            .map_err(translate::pay_error)?;

        let profile_id = self.profile_id().to_owned();
        let number = out_trade_no.to_owned();
        let known = self
            .with_store({
                let profile_id = profile_id.clone();
                move |store| store.get_order(&profile_id, &number)
            })
            .await?;
        let upsert = upsert_from_query(&reply, known.as_ref());
        self.with_store(move |store| store.record_order_query(&profile_id, &upsert, Utc::now()))
            .await?;
        self.order_detail(out_trade_no).await
    }

    pub(crate) fn store_filter(
        &self,
        filter: &OrderFilter,
    ) -> Result<store::OrderFilter, AppError> {
        let from_utc = match &filter.from_date {
            Some(day) if !day.is_empty() => Some(utc(zone::day_start_utc(zone::parse_day(day)?))),
            _ => None,
        };
        let to_utc = match &filter.to_date {
            Some(day) if !day.is_empty() => Some(utc(zone::day_end_utc(zone::parse_day(day)?))),
            _ => None,
        };
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned);
        Ok(store::OrderFilter {
            profile_id: self.profile_id().to_owned(),
            from_utc,
            to_utc,
            states: filter.states.clone(),
            trade_types: filter.trade_types.clone(),
            search,
            min_fee: filter.min_fee,
            max_fee: filter.max_fee,
        })
    }
}

fn utc(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default()
}

pub fn order_row(order: &Order) -> OrderRow {
    OrderRow {
        id: order.id,
        out_trade_no: order.out_trade_no.clone(),
        transaction_id: order.transaction_id.clone(),
        trade_type: order.trade_type.clone().unwrap_or_default(),
        trade_state: order.trade_state.clone(),
        total_fee: order.total_fee,
        refunded_fee: order.refunded_fee,
        body: order.body.clone().unwrap_or_default(),
        openid: order.openid.clone(),
        created_at: order.created_at.timestamp(),
        paid_at: order.paid_at.map(|at| at.timestamp()),
    }
}

/// Lists the order's fields under WeChat's names, amounts in fen and times in the
/// merchant's zone, for the detail drawer.
fn order_fields(order: &Order) -> Vec<OrderField> {
    let fen = |value: i64| wxpay::Fen(value).to_string();
    let candidates = [
        ("out_trade_no", Some(order.out_trade_no.clone())),
        ("transaction_id", order.transaction_id.clone()),
        ("trade_type", order.trade_type.clone()),
        ("trade_state", Some(order.trade_state.clone())),
        ("total_fee", Some(fen(order.total_fee))),
        ("cash_fee", order.cash_fee.map(fen)),
        ("coupon_fee", order.coupon_fee.map(fen)),
        ("refund_fee", Some(fen(order.refunded_fee))),
        ("body", order.body.clone()),
        ("attach", order.attach.clone()),
        ("openid", order.openid.clone()),
        ("bank_type", order.bank_type.clone()),
        (
            "time_start",
            Some(zone::format_local(order.created_at.timestamp())),
        ),
        (
            "time_end",
            order.paid_at.map(|at| zone::format_local(at.timestamp())),
        ),
        ("source", Some(order.source.as_str().to_owned())),
        (
            "updated_at",
            Some(zone::format_local(order.updated_at.timestamp())),
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(name, value)| {
            value
                .filter(|value| !value.is_empty())
                .map(|value| OrderField {
                    name: name.to_owned(),
                    value,
                })
        })
        .collect()
}

/// Builds the history's view of an orderquery reply. Fields the reply leaves out (an
/// unpaid order has no transaction_id) keep what the history knew.
fn upsert_from_query(reply: &OrderQueryReply, known: Option<&Order>) -> OrderUpsert {
    let now = Utc::now();
    OrderUpsert {
        out_trade_no: reply.out_trade_no.clone(),
        transaction_id: reply.transaction_id.clone(),
        trade_type: reply.trade_type.map(|kind| kind.as_str().to_owned()),
        trade_state: reply.trade_state.as_str().to_owned(),
        total_fee: reply
            .total_fee
            .map(|fee| fee.0)
            .or(known.map(|order| order.total_fee))
            .unwrap_or(0),
        cash_fee: reply.cash_fee.map(|fee| fee.0),
        coupon_fee: reply.coupon_fee.map(|fee| fee.0),
        body: None,
        attach: reply.attach.clone(),
        openid: reply.openid.clone(),
        bank_type: reply.bank_type.clone(),
        created_at: known.map(|order| order.created_at).unwrap_or(now),
        paid_at: reply.time_end,
        source: OrderSource::Query,
    }
}
