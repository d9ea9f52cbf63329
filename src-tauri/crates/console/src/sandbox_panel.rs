//! The sandbox panel: the simulator's merchant balance, refund delay and armed faults, and
//! paying an unpaid order as the simulated customer. Everything goes through the
//! simulator's handle except the refund delay, which is read from its admin API.

use std::time::Duration;

use sandbox::{Fault, FaultKind, SandboxHandle};
use serde::Deserialize;

use crate::dto::{AppError, FaultView, OrderDetail, SandboxState};
use crate::{errors, Console};

/// Upper bound on one admin request to the simulator.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest refund delay the panel sets: one day.
const MAX_REFUND_DELAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Fault kinds the panel offers, by the simulator's own names. `business_error:` takes any
/// err_code of WeChat's table, and the ones listed are those a shop most needs to rehearse.
const FAULT_KINDS: [&str; 15] = [
    "system_error",
    "reply_lost",
    "delay",
    "timeout",
    "connection_reset",
    "http_status:500",
    "http_status:502",
    "http_status:503",
    "bizerr_need_retry",
    "frequency_limited",
    "bad_signature",
    "truncated_xml",
    "business_error:NOTENOUGH",
    "business_error:ORDERPAID",
    "business_error:ORDERCLOSED",
];

/// Request paths the simulator serves, in the order the fault table lists them.
const FAULT_PATHS: [&str; 15] = [
    "/pay/unifiedorder",
    "/pay/orderquery",
    "/pay/closeorder",
    "/pay/micropay",
    "/secapi/pay/reverse",
    "/secapi/pay/refund",
    "/pay/refundquery",
    "/pay/downloadbill",
    "/pay/downloadfundflow",
    "/cgi-bin/stable_token",
    "/sns/oauth2/access_token",
    "/connect/oauth2/authorize",
    "/marketing/user_action_sets/add",
    "/marketing/user_action_sets/get",
    "/marketing/user_actions/add",
];

#[derive(Deserialize)]
struct AdminState {
    refund_delay_ms: u64,
}

impl Console {
    /// Reads the simulator's balance, refund delay and armed faults.
    pub async fn sandbox_state(&self) -> Result<SandboxState, AppError> {
        let handle = self.sandbox().ok_or_else(not_sandbox)?;
        let client = loopback_client(handle, ADMIN_TIMEOUT)?;
        let state: AdminState = admin_get(&client, handle, "/sandbox/admin/state").await?;
        Ok(SandboxState {
            base_url: handle.base_url.clone(),
            balance_fen: handle.balance().0,
            refund_delay_ms: state.refund_delay_ms,
            faults: handle.faults().iter().map(fault_view).collect(),
            // A kind this simulator does not parse (an err_code missing from its table)
            // is left out rather than offered and rejected.
            fault_kinds: FAULT_KINDS
                .iter()
                .filter(|kind| kind.parse::<FaultKind>().is_ok())
                .map(|kind| (*kind).to_owned())
                .collect(),
            fault_paths: FAULT_PATHS.iter().map(|path| (*path).to_owned()).collect(),
        })
    }

    /// Adds `amount_fen` to the simulator's merchant balance, which refunds are paid from.
    pub async fn sandbox_top_up(&self, amount_fen: i64) -> Result<SandboxState, AppError> {
        if amount_fen <= 0 {
            return Err(invalid_amount(amount_fen));
        }
        self.with_sandbox(move |handle| handle.top_up(wxpay::Fen(amount_fen)).map(drop))
            .await?;
        tracing::info!(amount_fen, "sandbox balance topped up");
        self.sandbox_state().await
    }

    /// Sets the simulator's merchant balance; 0 makes the next refund fail with NOTENOUGH.
    pub async fn sandbox_set_balance(&self, balance_fen: i64) -> Result<SandboxState, AppError> {
        if balance_fen < 0 {
            return Err(invalid_amount(balance_fen));
        }
        self.with_sandbox(move |handle| handle.set_balance(wxpay::Fen(balance_fen)))
            .await?;
        tracing::info!(balance_fen, "sandbox balance set");
        self.sandbox_state().await
    }

    /// Sets how long new refunds stay PROCESSING in the simulator.
    pub async fn sandbox_set_refund_delay(&self, delay_ms: u64) -> Result<SandboxState, AppError> {
        if delay_ms > MAX_REFUND_DELAY_MS {
            return Err(invalid_delay(delay_ms));
        }
        self.with_sandbox(move |handle| handle.set_refund_delay(Duration::from_millis(delay_ms)))
            .await?;
        self.sandbox_state().await
    }

    /// Pays an unpaid order as the simulated customer, then sends orderquery to the simulator
    /// so that the history records the payment the way it would in live mode.
    pub async fn sandbox_pay_order(&self, out_trade_no: &str) -> Result<OrderDetail, AppError> {
        let number = out_trade_no.trim().to_owned();
        let paying = number.clone();
        self.with_sandbox(move |handle| handle.pay_order(&paying))
            .await?;
        tracing::info!(out_trade_no = %number, "sandbox order paid by the simulated customer");
        self.query_order(&number).await
    }

    /// Arms a fault for the next `count` requests to a path, or for every request until
    /// cleared when `count` is 0.
    pub async fn sandbox_add_fault(&self, fault: FaultView) -> Result<SandboxState, AppError> {
        let handle = self.sandbox().ok_or_else(not_sandbox)?;
        let kind = parse_kind(&fault.kind)?;
        if !FAULT_PATHS.contains(&fault.path.as_str()) {
            return Err(invalid_fault(
                &format!("模拟器没有接口 {}", fault.path),
                &format!("the simulator serves no path {}", fault.path),
            ));
        }
        handle.inject_fault(Fault {
            path: fault.path.clone(),
            kind,
            count: fault.count,
            delay_ms: fault.delay_ms,
        });
        tracing::info!(path = %fault.path, kind = %fault.kind, count = fault.count, "sandbox fault armed");
        self.sandbox_state().await
    }

    /// Disarms every fault.
    pub async fn sandbox_clear_faults(&self) -> Result<SandboxState, AppError> {
        self.sandbox().ok_or_else(not_sandbox)?.clear_faults();
        self.sandbox_state().await
    }

    /// Disarms the faults of one path.
    pub async fn sandbox_clear_faults_for(&self, path: &str) -> Result<SandboxState, AppError> {
        self.sandbox()
            .ok_or_else(not_sandbox)?
            .clear_faults_for(path);
        self.sandbox_state().await
    }

    /// Runs a simulator call that saves its ledger to disk on a blocking thread.
    async fn with_sandbox<T, F>(&self, operation: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&SandboxHandle) -> Result<T, sandbox::AdminError> + Send + 'static,
    {
        let console = self.clone();
        tokio::task::spawn_blocking(move || {
            let handle = console.sandbox().ok_or_else(not_sandbox)?;
            operation(handle).map_err(admin_error)
        })
        .await
        .map_err(|error| errors::internal("操作沙箱模拟器 / changing the simulator", error))?
    }
}

/// Builds an HTTPS client for the simulator on loopback that trusts its CA and follows no
/// redirect, so that a redirect can be read instead of followed.
pub(crate) fn loopback_client(
    handle: &SandboxHandle,
    timeout: Duration,
) -> Result<reqwest::Client, AppError> {
    let ca = reqwest::Certificate::from_pem(handle.ca_cert_pem.as_bytes())
        .map_err(|error| unreachable_sandbox(&error.to_string()))?;
    reqwest::Client::builder()
        .add_root_certificate(ca)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .build()
        .map_err(|error| unreachable_sandbox(&error.to_string()))
}

async fn admin_get<T: for<'de> Deserialize<'de>>(
    client: &reqwest::Client,
    handle: &SandboxHandle,
    path: &str,
) -> Result<T, AppError> {
    let reply = client
        .get(format!("{}{path}", handle.base_url))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| unreachable_sandbox(&error.to_string()))?;
    reply
        .json()
        .await
        .map_err(|error| unreachable_sandbox(&error.to_string()))
}

fn fault_view(fault: &Fault) -> FaultView {
    FaultView {
        path: fault.path.clone(),
        kind: fault.kind.to_string(),
        count: fault.count,
        delay_ms: fault.delay_ms,
    }
}

fn parse_kind(name: &str) -> Result<FaultKind, AppError> {
    name.parse().map_err(|_| {
        invalid_fault(
            &format!("没有名为 {name} 的故障"),
            &format!("the fault kind {name} is unknown"),
        )
    })
}

pub(crate) fn not_sandbox() -> AppError {
    AppError {
        code: "NOT_SANDBOX".to_owned(),
        message_zh: "当前商户是正式环境，没有沙箱模拟器。请切换到沙箱商户后再使用。".to_owned(),
        message_en: "The current profile is live and has no simulator. Switch to a sandbox \
                     profile to use this."
            .to_owned(),
        retryable: false,
    }
}

fn admin_error(error: sandbox::AdminError) -> AppError {
    let (code, zh, en) = match &error {
        sandbox::AdminError::OrderNotFound(number) => (
            "SANDBOX_ORDER_NOT_FOUND",
            format!("模拟器中没有商户订单号为 {number} 的订单。请检查订单号。"),
            format!("The simulator has no order {number}. Check the number."),
        ),
        sandbox::AdminError::NotPayable { out_trade_no, .. } => (
            "SANDBOX_NOT_PAYABLE",
            format!("订单 {out_trade_no} 不是未支付状态，不能再支付（{error}）。"),
            format!("Order {out_trade_no} is not unpaid, so it cannot be paid ({error})."),
        ),
        sandbox::AdminError::InvalidAmount(fen) => return invalid_amount(*fen),
        sandbox::AdminError::Save(_) => (
            "SANDBOX_SAVE_FAILED",
            format!("模拟器无法保存状态：{error}。请检查数据目录的磁盘空间后重试。"),
            format!(
                "The simulator could not save its state: {error}. Check the free space of the \
                 data folder, then try again."
            ),
        ),
    };
    tracing::warn!(%error, "sandbox admin call failed");
    AppError {
        code: code.to_owned(),
        message_zh: zh,
        message_en: en,
        retryable: false,
    }
}

fn invalid_amount(fen: i64) -> AppError {
    let shown = wxpay::Fen(fen);
    AppError {
        code: "INVALID_AMOUNT".to_owned(),
        message_zh: format!("金额 {shown} 无效：充值金额必须大于 0，余额不能为负。"),
        message_en: format!(
            "The amount {shown} is invalid: a top-up must be above 0 and a balance cannot be \
             negative."
        ),
        retryable: false,
    }
}

fn invalid_delay(delay_ms: u64) -> AppError {
    AppError {
        code: "INVALID_DELAY".to_owned(),
        message_zh: format!("退款处理时长 {delay_ms} 毫秒无效：最多 24 小时（86400000 毫秒）。"),
        message_en: format!(
            "The refund delay of {delay_ms} ms is invalid: it may be at most 24 hours \
             (86400000 ms)."
        ),
        retryable: false,
    }
}

fn invalid_fault(detail_zh: &str, detail_en: &str) -> AppError {
    AppError {
        code: "INVALID_FAULT".to_owned(),
        message_zh: format!("故障设置无效：{detail_zh}。请修改后重试。"),
        message_en: format!("The fault is invalid: {detail_en}. Correct it, then try again."),
        retryable: false,
    }
}

fn unreachable_sandbox(detail: &str) -> AppError {
    tracing::warn!(detail, "the simulator's admin API failed");
    AppError {
        code: "SANDBOX_UNREACHABLE".to_owned(),
        message_zh: format!("无法读取沙箱模拟器的状态：{detail}。请重试；如仍失败，请重启应用。"),
        message_en: format!(
            "The simulator's state could not be read: {detail}. Try again; if it still fails, \
             restart the app."
        ),
        retryable: true,
    }
}
