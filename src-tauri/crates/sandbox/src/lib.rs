//! An in-process simulator of WeChat's servers on loopback: Pay API v2 (XML, signatures,
//! mutual TLS on the secapi paths, bills) and the Official Account and ads endpoints, over
//! HTTPS from a local CA. It serves only 127.0.0.1 and never calls out to WeChat.

mod admin;
mod app;
mod bill;
mod clock;
mod err_codes;
mod faults;
mod fund_flow;
mod history;
mod ids;
mod journal;
mod ledger;
mod log;
mod micropay;
mod model;
mod mp;
mod notify;
mod pay;
mod seed;
mod server;
mod tls;
mod trade;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use wxpay::ApiKey;

pub use admin::AdminError;
pub use clock::ClockError;
pub use err_codes::ERR_CODES;
pub use faults::{Fault, FaultKind, UnknownFaultKind};
pub use ledger::LedgerError;
pub use tls::TlsError;
pub use trade::PayerBehaviour;

use app::App;
use ledger::{Ledger, LedgerSeed};

/// The merchant the simulator plays WeChat for, and where it keeps its state.
pub struct SandboxConfig {
    pub appid: String,
    pub mch_id: String,
    pub api_key: ApiKey,
    pub app_secret: String,
    /// Folder for the certificates and the ledger; made if missing.
    pub state_dir: PathBuf,
    /// Seed of the generated history.
    pub seed: u64,
    /// Days of history generated on first start, ending yesterday (Beijing time).
    pub history_days: u32,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("appid", &self.appid)
            .field("mch_id", &self.mch_id)
            .field("api_key", &self.api_key)
            .field("app_secret", &"****")
            .field("state_dir", &self.state_dir)
            .field("seed", &self.seed)
            .field("history_days", &self.history_days)
            .field("port", &self.port)
            .finish()
    }
}

/// Errors that stop the simulator from starting.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot create the sandbox state folder {path}: {source}")]
    StateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the sandbox state folder {path} is in use by another running sandbox: stop it, or use another folder")]
    InUse { path: PathBuf },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// A running simulator. Dropping the handle stops it too, but only `shutdown` waits
/// until the listener is closed and the state folder is free for the next start.
pub struct SandboxHandle {
    /// `https://127.0.0.1:PORT`, the base URL for both pay and Official Account paths.
    pub base_url: String,
    /// The local CA that signed the server certificate: clients trust it.
    pub ca_cert_pem: String,
    /// The merchant client certificate (apiclient_cert.pem) and its key.
    pub client_cert_pem: String,
    pub client_key_pem: String,
    pub state_dir: PathBuf,
    app: Arc<App>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("base_url", &self.base_url)
            .field("state_dir", &self.state_dir)
            .field("client_key_pem", &"****")
            .finish_non_exhaustive()
    }
}

/// Starts the simulator: loads or makes the certificates and the ledger in
/// `config.state_dir`, then serves HTTPS on 127.0.0.1.
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
    std::fs::create_dir_all(&config.state_dir).map_err(|source| SandboxError::StateDir {
        path: config.state_dir.clone(),
        source,
    })?;
    let lock = lock_state_dir(&config.state_dir)?;
    let certs = tls::CertBundle::load_or_create(&config.state_dir, &config.mch_id)?;
    let tls_config = certs.server_config()?;
    let ledger = Ledger::open(
        &config.state_dir,
        &LedgerSeed {
            appid: &config.appid,
            mch_id: &config.mch_id,
            seed: config.seed,
            history_days: config.history_days,
        },
        chrono::Utc::now(),
    )?;

    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
        port: config.port,
        source,
    })?;

    let app = Arc::new(App::new(
        config.appid,
        config.mch_id,
        config.api_key,
        config.app_secret,
        ledger,
    ));
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(server::serve(
        listener,
        tls_config,
        app.clone(),
        stopped,
        lock,
    ));
    tracing::info!(%addr, state_dir = %config.state_dir.display(), "sandbox started");

    Ok(SandboxHandle {
        base_url: format!("https://{addr}"),
        ca_cert_pem: certs.ca_cert_pem,
        client_cert_pem: certs.client_cert_pem,
        client_key_pem: certs.client_key_pem,
        state_dir: config.state_dir,
        app,
        stop,
        task,
    })
}

/// Takes an exclusive lock on the state folder, because two simulators writing one
/// ledger would overwrite each other's changes. The lock ends with the server task.
fn lock_state_dir(dir: &std::path::Path) -> Result<std::fs::File, SandboxError> {
    let path = dir.join("sandbox.lock");
    let io_error = |source| SandboxError::StateDir {
        path: path.clone(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(SandboxError::InUse {
            path: dir.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(io_error(source)),
    }
}

impl SandboxHandle {
    /// Stops accepting connections, drops open ones and waits for the server task.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(err) = self.task.await {
            tracing::error!(%err, "sandbox server task failed");
        }
        tracing::info!(base_url = %self.base_url, "sandbox stopped");
    }

    /// Pays an unpaid order as the customer would; same as the admin API's pay call.
    pub fn pay_order(&self, out_trade_no: &str) -> Result<(), AdminError> {
        admin::pay_order(&self.app, out_trade_no, trade::Payer::default())
    }

    /// Applies a simulated payer's behaviour to an unpaid order: pay at once, pay after
    /// a password delay (USERPAYING meanwhile, notify when paid), cancel, or fail for
    /// lack of balance (both PAYERROR).
    pub fn pay_order_as(
        &self,
        out_trade_no: &str,
        behaviour: PayerBehaviour,
    ) -> Result<(), AdminError> {
        admin::pay_order_as(&self.app, out_trade_no, trade::Payer::default(), behaviour)
    }

    /// Sets the merchant balance that refunds are paid from.
    pub fn set_balance(&self, balance: wxpay::Fen) -> Result<(), AdminError> {
        admin::set_balance(&self.app, balance)
    }

    /// Adds to the merchant balance; returns the new balance.
    pub fn top_up(&self, amount: wxpay::Fen) -> Result<wxpay::Fen, AdminError> {
        admin::top_up(&self.app, amount)
    }

    /// Returns the merchant balance that refunds are paid from.
    pub fn balance(&self) -> wxpay::Fen {
        self.app.ledger().state.balance
    }

    /// Arms a fault for the next `count` requests to a path, or every request until
    /// cleared when `count` is 0.
    pub fn inject_fault(&self, fault: Fault) {
        self.app.faults().push(fault);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.app.faults().clear();
    }

    /// Disarms the faults of one path.
    pub fn clear_faults_for(&self, path: &str) {
        self.app.faults().retain(|fault| fault.path != path);
    }

    /// Returns the armed faults, with the requests each has left (0 = until cleared).
    pub fn faults(&self) -> Vec<Fault> {
        self.app.faults().clone()
    }

    /// Sets how long a payment-code customer takes to enter the password: orders from
    /// ¥500.00 stay USERPAYING this long.
    pub fn set_password_delay(&self, delay: std::time::Duration) -> Result<(), AdminError> {
        admin::set_password_delay(&self.app, delay)
    }

    /// Makes simulated waits run `factor` times faster than real time: notify retries,
    /// and the token rules' overlaps and intervals. 1 is real time.
    pub fn set_time_compression(&self, factor: f64) -> Result<(), ClockError> {
        self.app.clock.set_compression(factor)
    }

    /// Moves the simulated clock by `offset` from the real time (negative for the past);
    /// it dates orders, bills and tokens.
    pub fn set_clock_offset(&self, offset: chrono::TimeDelta) {
        self.app.clock.set_offset(offset);
    }

    /// Returns the simulated now.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.app.clock.now()
    }

    /// Sets whether each acknowledged notify is sent once more, 15 s (simulated) later,
    /// so merchants can test that a repeated notify changes nothing.
    pub fn set_duplicate_notifies(&self, duplicate: bool) {
        self.app
            .duplicate_notifies
            .store(duplicate, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sets the caller IPs allowed to fetch access tokens; others get 40164. An empty
    /// list allows every caller, and loopback callers are 127.0.0.1.
    pub fn set_token_ip_allow_list(&self, ips: Vec<std::net::IpAddr>) {
        self.app.token_limits().ip_allow_list = ips;
    }

    /// Sets the daily call quotas of cgi-bin/token and cgi-bin/stable_token (45009 past
    /// them; WeChat's defaults are 2000 and 500,000).
    pub fn set_token_daily_quota(&self, token: u32, stable_token: u32) {
        let mut limits = self.app.token_limits();
        limits.token_quota = token;
        limits.stable_token_quota = stable_token;
    }

    /// Sets how long new refunds stay PROCESSING before they turn SUCCESS.
    pub fn set_refund_delay(&self, delay: std::time::Duration) -> Result<(), AdminError> {
        admin::set_refund_delay(&self.app, delay)
    }
}
