//! `wxmc sandbox`: serve the simulator standalone, or drive a running one through its
//! admin API (pay an order, top up or set the balance, inject faults, show the state).

mod admin;
mod fault_arg;
mod identity;
mod serve;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use reqwest::Method;
use serde_json::{json, Value};

use crate::error::CliError;
use admin::AdminClient;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SandboxArgs {
    #[command(subcommand)]
    action: Option<SandboxAction>,

    /// Absent when a subcommand is given, which the arguments conflict with.
    #[command(flatten)]
    serve: Option<serve::ServeArgs>,
}

/// The port and state folder of a running simulator.
#[derive(Debug, Args)]
struct Endpoint {
    /// Port of the running sandbox on 127.0.0.1
    #[arg(long, value_name = "PORT")]
    port: u16,

    /// State folder the running sandbox was started with (its ca.pem is trusted)
    #[arg(long, value_name = "DIR")]
    state: PathBuf,
}

#[derive(Debug, Subcommand)]
enum SandboxAction {
    /// Pay an unpaid order as its customer would, or fail to; a payment sends the notify
    Pay(PayArgs),
    /// Add to the merchant balance that refunds are paid from
    Topup(TopUpArgs),
    /// Print the merchant balance, or set it with --set
    Balance(BalanceArgs),
    /// Make the next requests to a path fail, lose their reply, or wait
    Fault(FaultArgs),
    /// Set how long new refunds stay PROCESSING, or payment-code customers take to pay
    Delay(DelayArgs),
    /// Expire every Official Account access_token, so clients must fetch a new one
    ExpireTokens(StateArgs),
    /// Print the simulator's state: identity, balance, delays, counts
    State(StateArgs),
}

#[derive(Debug, Args)]
struct PayArgs {
    /// out_trade_no of the order to pay
    out_trade_no: String,
    /// openid of the payer; the simulator makes one when absent
    #[arg(long, value_name = "OPENID")]
    openid: Option<String>,
    /// bank_type of the payment, for example CMB_DEBIT; the simulator picks one when absent
    #[arg(long, value_name = "BANK")]
    bank_type: Option<String>,
    /// How the customer acts: pay at once, pay after --delay-ms (USERPAYING meanwhile),
    /// cancel, or lack the balance (both leave the order PAYERROR)
    #[arg(long, value_enum, default_value_t = Behaviour::Instant)]
    behaviour: Behaviour,
    /// Time a slow customer takes to enter the password, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    delay_ms: u64,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Behaviour {
    Instant,
    Slow,
    Cancel,
    NoBalance,
}

impl Behaviour {
    /// Returns the admin API's name for the behaviour.
    fn wire_name(self) -> &'static str {
        match self {
            Behaviour::Instant => "instant",
            Behaviour::Slow => "slow",
            Behaviour::Cancel => "cancel",
            Behaviour::NoBalance => "no_balance",
        }
    }
}

#[derive(Debug, Args)]
struct TopUpArgs {
    /// Amount to add, in fen (100 = ¥1.00)
    #[arg(value_parser = clap::value_parser!(i64).range(1..))]
    amount_fen: i64,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Args)]
struct BalanceArgs {
    /// New balance in fen (100 = ¥1.00); 0 makes every refund fail with NOTENOUGH
    #[arg(long, value_name = "FEN", value_parser = clap::value_parser!(i64).range(0..))]
    set: Option<i64>,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("delays").required(true).multiple(true)))]
struct DelayArgs {
    /// Time a new refund stays PROCESSING before it turns SUCCESS, in milliseconds
    #[arg(long, value_name = "MS", group = "delays")]
    refund_ms: Option<u64>,
    /// Time a payment-code (micropay) customer takes to enter the password, in
    /// milliseconds; orders from ¥500.00 stay USERPAYING this long
    #[arg(long, value_name = "MS", group = "delays")]
    password_ms: Option<u64>,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Args)]
struct StateArgs {
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Args)]
struct FaultArgs {
    #[command(subcommand)]
    action: FaultAction,
}

#[derive(Debug, Subcommand)]
enum FaultAction {
    /// Arm a fault for the next requests to one path
    #[command(alias = "add")]
    Set(FaultSetArgs),
    /// Print the armed faults
    List(StateArgs),
    /// Remove every armed fault, or those of one path with --path
    Clear(FaultClearArgs),
}

#[derive(Debug, Args)]
struct FaultSetArgs {
    /// Request path the fault applies to, for example /secapi/pay/refund
    #[arg(long, value_name = "PATH")]
    path: String,
    /// Effect on a matching request: system_error, reply_lost, delay, timeout,
    /// connection_reset, http_status:5xx, bizerr_need_retry, frequency_limited,
    /// bad_signature, truncated_xml or business_error:ERR_CODE (dashes work too)
    #[arg(long, value_name = "KIND", value_parser = fault_arg::parse_kind)]
    kind: ::sandbox::FaultKind,
    /// Number of requests the fault applies to; 0 keeps it until cleared
    #[arg(long, value_name = "N", default_value_t = 1)]
    count: u32,
    /// Wait before handling the request (kind delay), or how long to hold it before
    /// closing the connection (kind timeout, 60000 when 0), in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay_ms: u64,
    #[command(flatten)]
    endpoint: Endpoint,
}

#[derive(Debug, Args)]
struct FaultClearArgs {
    /// Remove only the faults of this request path
    #[arg(long, value_name = "PATH")]
    path: Option<String>,
    #[command(flatten)]
    endpoint: Endpoint,
}

/// A failure to serve the simulator or to reach a running one.
#[derive(Debug, thiserror::Error)]
pub enum SandboxCommandError {
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    #[error("the sandbox failed to start: {0}")]
    Start(#[source] ::sandbox::SandboxError),
    #[error("failed to start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("failed to read the sandbox CA certificate {path}: {source}. Check --state: it must be the folder the running sandbox was started with")]
    CaFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid sandbox CA certificate {path}: {source}")]
    CaInvalid {
        path: PathBuf,
        #[source]
        source: reqwest::Error,
    },
    #[error("failed to build the HTTPS client: {0}")]
    HttpClient(#[source] reqwest::Error),
    #[error("no sandbox answered at {url}: {source}. Start one with `wxmc sandbox --port N --state DIR`, and check --port")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the sandbox sent a reply that is not JSON from {url}: {source}")]
    BadReply {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the sandbox rejected the request (HTTP {status}, {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
}

pub fn run(args: &SandboxArgs) -> Result<(), CliError> {
    let action = match (&args.action, &args.serve) {
        (Some(action), _) => action,
        (None, Some(serve)) => return serve::run(serve),
        // clap requires --port and --state when no subcommand is given.
        (None, None) => unreachable!("clap requires the serve options without a subcommand"),
    };
    let runtime = runtime()?;
    let reply = runtime.block_on(call_admin(action))?;
    writeln!(std::io::stdout().lock(), "{reply}")?;
    Ok(())
}

/// Builds the Tokio runtime the simulator and the admin client run on.
fn runtime() -> Result<tokio::runtime::Runtime, SandboxCommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(SandboxCommandError::Runtime)
}

async fn call_admin(action: &SandboxAction) -> Result<Value, SandboxCommandError> {
    match action {
        SandboxAction::Pay(args) => {
            let body = json!({
                "openid": args.openid,
                "bank_type": args.bank_type,
                "behaviour": args.behaviour.wire_name(),
                "delay_ms": args.delay_ms,
            });
            let path = format!("/orders/{}/pay", args.out_trade_no);
            let reply = client(&args.endpoint)?
                .call(Method::POST, &path, Some(body))
                .await?;
            let outcome = match args.behaviour {
                Behaviour::Instant => "paid",
                Behaviour::Slow => "is being paid",
                Behaviour::Cancel => "cancelled by the customer",
                Behaviour::NoBalance => "failed for lack of balance",
            };
            eprintln!("order {} {outcome}", args.out_trade_no);
            Ok(reply)
        }
        SandboxAction::Topup(args) => {
            let body = json!({ "amount_fen": args.amount_fen });
            let reply = client(&args.endpoint)?
                .call(Method::POST, "/balance/top_up", Some(body))
                .await?;
            report_balance(&reply);
            Ok(reply)
        }
        SandboxAction::Balance(args) => {
            let admin = client(&args.endpoint)?;
            let reply = match args.set {
                Some(balance) => {
                    let body = json!({ "balance_fen": balance });
                    admin.call(Method::POST, "/balance", Some(body)).await?
                }
                None => {
                    let state = admin.call(Method::GET, "/state", None).await?;
                    json!({ "balance_fen": state["balance_fen"] })
                }
            };
            report_balance(&reply);
            Ok(reply)
        }
        SandboxAction::Delay(args) => set_delays(args).await,
        SandboxAction::ExpireTokens(args) => {
            client(&args.endpoint)?
                .call(Method::POST, "/tokens/expire", None)
                .await
        }
        SandboxAction::State(args) => {
            client(&args.endpoint)?
                .call(Method::GET, "/state", None)
                .await
        }
        SandboxAction::Fault(fault) => call_fault(&fault.action).await,
    }
}

async fn call_fault(action: &FaultAction) -> Result<Value, SandboxCommandError> {
    match action {
        FaultAction::Set(args) => {
            let body = json!({
                "path": args.path,
                "kind": args.kind.to_string(),
                "count": args.count,
                "delay_ms": args.delay_ms,
            });
            client(&args.endpoint)?
                .call(Method::POST, "/faults", Some(body))
                .await
        }
        FaultAction::List(args) => {
            client(&args.endpoint)?
                .call(Method::GET, "/faults", None)
                .await
        }
        FaultAction::Clear(args) => {
            let path = match &args.path {
                Some(path) => format!("/faults?path={}", encode_query_value(path)),
                None => "/faults".to_owned(),
            };
            client(&args.endpoint)?
                .call(Method::DELETE, &path, None)
                .await
        }
    }
}

async fn set_delays(args: &DelayArgs) -> Result<Value, SandboxCommandError> {
    let admin = client(&args.endpoint)?;
    let mut reply = serde_json::Map::new();
    for (path, delay) in [
        ("/refund_delay", args.refund_ms),
        ("/password_delay", args.password_ms),
    ] {
        let Some(delay_ms) = delay else {
            continue;
        };
        let body = json!({ "delay_ms": delay_ms });
        if let Value::Object(fields) = admin.call(Method::POST, path, Some(body)).await? {
            reply.extend(fields);
        }
    }
    Ok(Value::Object(reply))
}

/// Percent-encodes a query value, keeping the slashes of a path readable.
fn encode_query_value(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn client(endpoint: &Endpoint) -> Result<AdminClient, SandboxCommandError> {
    AdminClient::new(endpoint.port, &endpoint.state)
}

fn report_balance(reply: &Value) {
    if let Some(fen) = reply["balance_fen"].as_i64() {
        eprintln!("merchant balance: {}", wxpay::Fen(fen));
    }
}
