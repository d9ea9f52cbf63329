//! An order's timeline as the detail drawer shows it: creation and payment from the order
//! itself, refunds known only from bills, and the stored events (queries, refund requests
//! and status changes), each summed up in Chinese and English.

use std::collections::HashSet;

use store::{Event, Order, Refund};
use wxpay::{Fen, RefundStatus, TradeState, TradeType};

use crate::dto::TimelineEvent;

/// Builds the timeline, oldest first.
pub fn build(order: &Order, refunds: &[Refund], events: &[Event]) -> Vec<TimelineEvent> {
    let mut timeline = vec![TimelineEvent {
        at: order.created_at.timestamp(),
        kind: "created".to_owned(),
        summary: format!("下单 {} · Order created", trade_type_label(order)),
    }];
    if let Some(paid_at) = order.paid_at {
        let amount = Fen(order.total_fee);
        timeline.push(TimelineEvent {
            at: paid_at.timestamp(),
            kind: "paid".to_owned(),
            summary: format!("支付成功 {amount} · Paid {amount}"),
        });
    }

    let mut refunds_with_events = HashSet::new();
    for event in events {
        if let Some(number) = event
            .detail
            .get("out_refund_no")
            .and_then(|value| value.as_str())
        {
            refunds_with_events.insert(number.to_owned());
        }
        timeline.push(TimelineEvent {
            at: event.at.timestamp(),
            kind: event.kind.clone(),
            summary: summary_of(event, refunds),
        });
    }

    // Refunds imported from bills have no stored events: show when they succeeded.
    for refund in refunds {
        if refunds_with_events.contains(&refund.out_refund_no) {
            continue;
        }
        let amount = Fen(refund.refund_fee);
        let number = &refund.out_refund_no;
        timeline.push(TimelineEvent {
            at: refund
                .succeeded_at
                .unwrap_or(refund.requested_at)
                .timestamp(),
            kind: "refund_status".to_owned(),
            summary: format!(
                "{} {amount}（{number}）· Refund {amount} ({number}): {}",
                refund_status_zh(&refund.status),
                refund.status
            ),
        });
    }

    timeline.sort_by_key(|event| event.at);
    timeline
}

fn summary_of(event: &Event, refunds: &[Refund]) -> String {
    let text = |name: &str| {
        event
            .detail
            .get(name)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    match event.kind.as_str() {
        "refund_requested" => {
            let number = text("out_refund_no");
            let fee = event
                .detail
                .get("refund_fee")
                .and_then(|value| value.as_i64());
            let amount = Fen(fee.unwrap_or_default());
            format!("申请退款 {amount}（{number}）· Refund of {amount} requested ({number})")
        }
        "refund_status" => {
            let number = text("out_refund_no");
            let status = text("status");
            let amount = refunds
                .iter()
                .find(|refund| refund.out_refund_no == number)
                .map(|refund| Fen(refund.refund_fee).to_string())
                .unwrap_or_default();
            format!(
                "{} {amount}（{number}）· Refund {amount} ({number}): {status}",
                refund_status_zh(&status)
            )
        }
        "queried" => {
            let state = text("trade_state");
            format!(
                "查询微信：{} · Queried WeChat: {state}",
                trade_state_zh(&state)
            )
        }
        _ => event.summary.clone(),
    }
}

fn trade_type_label(order: &Order) -> &'static str {
    order
        .trade_type
        .as_deref()
        .and_then(|kind| kind.parse::<TradeType>().ok())
        .map(TradeType::label_zh)
        .unwrap_or_default()
}

fn trade_state_zh(state: &str) -> &'static str {
    state
        .parse::<TradeState>()
        .map(TradeState::label_zh)
        .unwrap_or("未知状态")
}

/// Labels WeChat's refund_status words, plus the console's own PENDING (stored, not yet
/// accepted) and FAILED (rejected by WeChat).
fn refund_status_zh(status: &str) -> &'static str {
    match status {
        "FAILED" => "退款失败",
        "PENDING" => "退款待发送",
        other => other
            .parse::<RefundStatus>()
            .map(RefundStatus::label_zh)
            .unwrap_or("退款状态未知"),
    }
}
