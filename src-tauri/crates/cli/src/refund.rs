//! `wxmc refund`: refund an order of the local history through the console, after a
//! confirmation that repeats the amount and the order. The console stores the
//! out_refund_no before sending, and refundquery follows the refund to its final state.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use console::dto::{AppError, RefundInput, RefundView};
use console::Console;
use wxpay::Fen;

use crate::data_dir::{self, DataDirArgs};
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct RefundArgs {
    #[command(flatten)]
    data_dir: DataDirArgs,

    /// out_trade_no (商户订单号) of the order to refund
    out_trade_no: String,

    /// Amount to refund, in fen (100 = ¥1.00); at most the order's refundable rest
    #[arg(long, value_name = "FEN", value_parser = clap::value_parser!(i64).range(1..))]
    amount_fen: i64,

    /// Reason shown to the payer (refund_desc), at most 80 bytes of UTF-8
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,

    /// out_refund_no of an earlier attempt, to repeat that refund instead of making a new
    /// one (after a timeout or a crash)
    #[arg(long, value_name = "NO")]
    out_refund_no: Option<String>,

    /// Skip the confirmation; required when standard input is not a terminal
    #[arg(long)]
    yes: bool,

    /// Return once WeChat has accepted the refund, without waiting for its final state
    #[arg(long)]
    no_follow: bool,
}

/// A refund that was not made or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("standard input is not a terminal, so the refund cannot be confirmed: pass --yes")]
    NeedsYes,
    #[error("failed to read the confirmation: {0}")]
    Confirmation(#[source] std::io::Error),
    #[error("refund cancelled; nothing was sent")]
    Cancelled,
    #[error("{0}")]
    Final(String),
    #[error("refund {out_refund_no} is still PROCESSING; check it later with: wxmc refund {out_trade_no} --amount-fen {amount_fen} --out-refund-no {out_refund_no} --yes")]
    StillProcessing {
        out_trade_no: String,
        out_refund_no: String,
        amount_fen: i64,
    },
}

impl RefundError {
    pub fn exit_code(&self) -> u8 {
        match self {
            RefundError::NeedsYes => 2,
            // A refund that may still succeed gets its own status, apart from one that failed.
            RefundError::StillProcessing { .. } => 3,
            RefundError::Confirmation(_) | RefundError::Cancelled | RefundError::Final(_) => 1,
        }
    }
}

pub fn run(args: &RefundArgs) -> Result<(), CliError> {
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(RefundError::NeedsYes.into());
    }
    let dir = args.data_dir.path()?;
    let runtime = data_dir::runtime().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let console = data_dir::open_console(dir).await?;
        refund(&console, args).await
    })
}

async fn refund(console: &Console, args: &RefundArgs) -> Result<(), CliError> {
    let detail = console.order_detail(&args.out_trade_no).await?;
    let amount = Fen(args.amount_fen);
    eprintln!(
        "订单 / order {}: {}, 订单金额 / amount {}, 可退 / refundable {}",
        detail.order.out_trade_no,
        detail.order.trade_state,
        Fen(detail.order.total_fee),
        Fen(detail.refundable_fee),
    );
    if !args.yes {
        confirm(amount, &args.out_trade_no)?;
    }

    let input = RefundInput {
        out_trade_no: args.out_trade_no.clone(),
        out_refund_no: args.out_refund_no.clone(),
        refund_fee: args.amount_fen,
        reason: args.reason.clone(),
    };
    let accepted = console.refund_order(input).await?;
    print_state(&accepted)?;
    if args.no_follow || accepted.is_final() {
        return finish(&accepted, args);
    }

    let mut last_status = accepted.status.clone();
    let mut printed = Ok(());
    let followed = console
        .follow_refund(&accepted.out_refund_no, |view| {
            if view.status != last_status {
                last_status = view.status.clone();
                if printed.is_ok() {
                    printed = print_state(view);
                }
            }
        })
        .await?;
    printed?;
    finish(&followed, args)
}

/// Asks on the terminal, repeating the amount and the order.
fn confirm(amount: Fen, out_trade_no: &str) -> Result<(), RefundError> {
    eprint!("退款 {amount}，订单 {out_trade_no}。确认请输入 y / Refund {amount} of order {out_trade_no}? Type y to confirm: ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(RefundError::Confirmation)?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES") {
        Ok(())
    } else {
        Err(RefundError::Cancelled)
    }
}

fn print_state(view: &RefundView) -> std::io::Result<()> {
    writeln!(
        std::io::stdout().lock(),
        "{}  {}  {}",
        view.status,
        view.out_refund_no,
        Fen(view.refund_fee)
    )
}

/// Maps the last state seen to the result. SUCCESS succeeds, and so does PROCESSING under
/// --no-follow. A closed, abnormal or failed refund returns its explanation.
fn finish(view: &RefundView, args: &RefundArgs) -> Result<(), CliError> {
    match view.status.as_str() {
        "SUCCESS" => Ok(()),
        "PROCESSING" | "PENDING" if args.no_follow => Ok(()),
        "PROCESSING" | "PENDING" => Err(RefundError::StillProcessing {
            out_trade_no: args.out_trade_no.clone(),
            out_refund_no: view.out_refund_no.clone(),
            amount_fen: args.amount_fen,
        }
        .into()),
        status => Err(RefundError::Final(final_message(status, view.error.as_ref())).into()),
    }
}

fn final_message(status: &str, error: Option<&AppError>) -> String {
    if let Some(error) = error {
        return format!(
            "{}\n{} ({})",
            error.message_zh, error.message_en, error.code
        );
    }
    match status {
        "REFUNDCLOSE" => "退款已关闭。请在商户平台查看原因。\nThe refund was closed (REFUNDCLOSE). See the merchant platform for the reason.".to_owned(),
        "CHANGE" => "退款异常：退款到银行卡失败，资金留在商户账户。请在商户平台处理。\nThe refund is abnormal (CHANGE): the payer's bank card rejected it and the money stayed with the merchant. Handle it in the merchant platform.".to_owned(),
        other => format!("退款状态为 {other}。\nThe refund ended in state {other}."),
    }
}
