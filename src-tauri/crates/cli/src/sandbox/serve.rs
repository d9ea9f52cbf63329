//! `wxmc sandbox --port N --state DIR`: the simulator served standalone until SIGINT or
//! SIGTERM, with the merchant identity and certificate paths printed for its clients.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::identity::{self, Identity, Overrides, API_KEY_FILE, APP_SECRET_FILE};
use super::SandboxCommandError;
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1; 0 picks a free port, and the printed base_url names it
    #[arg(long, value_name = "PORT")]
    port: u16,

    /// State folder, kept across restarts: certificates, ledger and the merchant identity
    #[arg(long, value_name = "DIR")]
    state: PathBuf,

    /// Seed of the generated order history (a new state folder only); random when absent
    #[arg(long, value_name = "SEED")]
    seed: Option<u64>,

    /// appid of the simulated merchant (wx and 16 hex digits); generated when absent
    #[arg(long, value_name = "APPID")]
    appid: Option<String>,

    /// mch_id of the simulated merchant (10 digits); generated when absent
    #[arg(long, value_name = "MCH_ID")]
    mch_id: Option<String>,

    /// API key of the simulated merchant (32 letters and digits); generated when absent
    #[arg(long, value_name = "KEY")]
    key: Option<String>,

    /// Official Account AppSecret (32 hex digits); generated when absent
    #[arg(long, value_name = "SECRET")]
    secret: Option<String>,

    /// Days of order history generated on first start, ending yesterday (Beijing time)
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    days: u32,

    /// Also print the API key and the AppSecret, not only the files that contain them
    #[arg(long)]
    show_secrets: bool,

    /// Arm a fault from the start, as PATH=KIND[:COUNT] (COUNT 1 when absent, 0 until
    /// cleared), for example /pay/orderquery=timeout:2; repeat for more faults
    #[arg(long = "fault", value_name = "PATH=KIND[:COUNT]", value_parser = super::fault_arg::parse_fault)]
    faults: Vec<::sandbox::Fault>,
}

/// Certificate files the simulator keeps in its state folder, by the names the merchant
/// platform gives them.
const CERT_FILES: [(&str, &str); 4] = [
    ("ca_cert", "ca.pem"),
    ("client_cert", "apiclient_cert.pem"),
    ("client_key", "apiclient_key.pem"),
    ("client_p12", "apiclient_cert.p12"),
];

pub fn run(args: &ServeArgs) -> Result<(), CliError> {
    let state_dir = &args.state;
    let identity = identity::load_or_create(
        state_dir,
        Overrides {
            appid: args.appid.clone(),
            mch_id: args.mch_id.clone(),
            api_key: args.key.clone(),
            app_secret: args.secret.clone(),
            seed: args.seed,
        },
    )
    .map_err(SandboxCommandError::from)?;

    let runtime = super::runtime()?;
    runtime.block_on(serve(args, identity))
}

async fn serve(args: &ServeArgs, identity: Identity) -> Result<(), CliError> {
    let state_dir = args.state.clone();
    let config = ::sandbox::SandboxConfig {
        appid: identity.appid.clone(),
        mch_id: identity.mch_id.clone(),
        api_key: identity.api_key.clone(),
        app_secret: identity.app_secret.clone(),
        state_dir: state_dir.clone(),
        seed: identity.seed,
        history_days: args.days,
        port: args.port,
    };
    let handle = ::sandbox::start(config)
        .await
        .map_err(SandboxCommandError::Start)?;

    for fault in &args.faults {
        tracing::info!(path = %fault.path, kind = %fault.kind, count = fault.count, "fault armed from the command line");
        handle.inject_fault(fault.clone());
    }

    let printed = print_identity(&handle.base_url, &identity, &state_dir, args.show_secrets);
    if let Err(error) = printed {
        handle.shutdown().await;
        return Err(error.into());
    }
    eprintln!("serving {}; stop with Ctrl-C or SIGTERM", handle.base_url);

    let signal = wait_for_signal().await;
    tracing::info!(signal, "stopping the sandbox");
    handle.shutdown().await;
    Ok(())
}

fn print_identity(
    base_url: &str,
    identity: &Identity,
    state_dir: &Path,
    show_secrets: bool,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "base_url: {base_url}")?;
    writeln!(out, "appid: {}", identity.appid)?;
    writeln!(out, "mch_id: {}", identity.mch_id)?;
    writeln!(
        out,
        "api_key_file: {}",
        state_dir.join(API_KEY_FILE).display()
    )?;
    writeln!(
        out,
        "app_secret_file: {}",
        state_dir.join(APP_SECRET_FILE).display()
    )?;
    if show_secrets {
        writeln!(out, "api_key: {}", identity.api_key.expose())?;
        writeln!(out, "app_secret: {}", identity.app_secret)?;
    }
    for (label, file) in CERT_FILES {
        let path = state_dir.join(file);
        if path.is_file() {
            writeln!(out, "{label}: {}", path.display())?;
        }
    }
    writeln!(out, "state_dir: {}", state_dir.display())?;
    out.flush()
}

/// Waits for SIGINT or SIGTERM and returns the signal's name.
async fn wait_for_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = terminate.recv() => "SIGTERM",
            },
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop with Ctrl-C");
                ctrl_c().await
            }
        }
    }
    #[cfg(not(unix))]
    {
        ctrl_c().await
    }
}

async fn ctrl_c() -> &'static str {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C; stopping now");
    }
    "SIGINT"
}
