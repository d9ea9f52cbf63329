//! `wxmc sandbox` served on a free port from a temporary state folder, driven over HTTPS
//! with signed pay requests and through the admin subcommands, stopped with SIGTERM and
//! restarted on the same state.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use support::run;
use wxpay::sign::{self, SignType};
use wxpay::{ApiKey, Fields};

/// A `wxmc sandbox` process and what it printed on start.
struct Served {
    child: Child,
    info: HashMap<String, String>,
    /// Reads standard error as it comes, so a full pipe never blocks the server's logging.
    stderr: std::thread::JoinHandle<String>,
}

impl Served {
    fn start(state: &Path, extra: &[&str]) -> Served {
        let mut child = support::wxmc()
            .args(["sandbox", "--port", "0", "--state", state.to_str().unwrap()])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wxmc sandbox starts");
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stderr_pipe, &mut text).expect("read stderr");
            text
        });
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut info = HashMap::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("read stdout");
            let (name, value) = line.split_once(": ").expect("name: value lines");
            info.insert(name.to_owned(), value.to_owned());
            if name == "state_dir" {
                break;
            }
        }
        assert!(info.contains_key("base_url"), "printed {info:?}");
        Served {
            child,
            info,
            stderr,
        }
    }

    fn port(&self) -> String {
        self.info["base_url"]
            .rsplit(':')
            .next()
            .expect("base_url has a port")
            .to_owned()
    }

    /// Sends SIGTERM and returns the exit code and what was logged.
    fn stop(self) -> (i32, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let output = self.child.wait_with_output().expect("sandbox exits");
        let stderr = self.stderr.join().expect("stderr reader ends");
        (output.status.code().unwrap_or(-1), stderr)
    }
}

fn https_client(ca_path: &str) -> reqwest::Client {
    let ca = std::fs::read(ca_path).expect("ca.pem exists");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .tls_built_in_root_certs(false)
        .build()
        .unwrap()
}

/// Posts a request signed with `key` and returns the verified reply fields.
async fn pay_call(served: &Served, key: &ApiKey, path: &str, pairs: &[(&str, &str)]) -> Fields {
    let mut fields: Fields = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    fields.insert("appid".into(), served.info["appid"].clone());
    fields.insert("mch_id".into(), served.info["mch_id"].clone());
    fields.insert(
        "nonce_str".into(),
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into(),
    );
    fields.insert("sign".into(), sign::sign(&fields, key, SignType::Md5));

    let url = format!("{}{path}", served.info["base_url"]);
    let text = https_client(&served.info["ca_cert"])
        .post(url)
        .body(wxpay::xml::encode(&fields))
        .send()
        .await
        .expect("the sandbox answers")
        .text()
        .await
        .unwrap();
    let reply = wxpay::xml::decode(text.as_bytes()).expect("reply is XML");
    assert_eq!(reply["return_code"], "SUCCESS", "{reply:?}");
    sign::verify(&reply, key).expect("reply signature verifies");
    reply
}

async fn order_query(served: &Served, key: &ApiKey, out_trade_no: &str) -> Fields {
    pay_call(
        served,
        key,
        "/pay/orderquery",
        &[("out_trade_no", out_trade_no)],
    )
    .await
}

fn admin(served: &Served, state: &Path, args: &[&str]) -> serde_json::Value {
    let port = served.port();
    let mut all = vec!["sandbox"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--port", &port, "--state", state.to_str().unwrap()]);
    let run = run(&all, b"");
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(run.stdout.trim()).expect("admin reply is JSON")
}

#[tokio::test]
async fn sandbox_serves_pays_and_persists() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(state.path(), &["--show-secrets", "--days", "3"]);
    let key = ApiKey::new(served.info["api_key"].clone()).expect("printed key is valid");
    let key_file = std::fs::read_to_string(&served.info["api_key_file"]).unwrap();
    assert_eq!(key_file.trim(), key.expose());
    assert!(served.info["appid"].starts_with("wx"));
    assert_eq!(served.info["mch_id"].len(), 10);
    for name in ["ca_cert", "client_cert", "client_key"] {
        assert!(Path::new(&served.info[name]).is_file(), "{name}");
    }

    let created = pay_call(
        &served,
        &key,
        "/pay/unifiedorder",
        &[
            ("body", "咖啡"),
            ("out_trade_no", "CLI20261204000001"),
            ("total_fee", "1800"),
            ("spbill_create_ip", "127.0.0.1"),
            ("notify_url", "https://shop.example.com/wxpay/notify"),
            ("trade_type", "NATIVE"),
            ("product_id", "coffee"),
        ],
    )
    .await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    let unpaid = order_query(&served, &key, "CLI20261204000001").await;
    assert_eq!(unpaid["trade_state"], "NOTPAY");

    let paid = admin(&served, state.path(), &["pay", "CLI20261204000001"]);
    assert_eq!(paid["paid"], true);
    let queried = order_query(&served, &key, "CLI20261204000001").await;
    assert_eq!(queried["trade_state"], "SUCCESS");
    assert_eq!(queried["total_fee"], "1800");

    let mch_id = served.info["mch_id"].clone();
    let (code, stderr) = served.stop();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("sandbox stopped"), "{stderr}");
    assert!(
        stderr.contains("/pay/orderquery"),
        "exchanges are logged: {stderr}"
    );
    assert!(!stderr.contains(key.expose()), "the key is never logged");

    let restarted = Served::start(state.path(), &[]);
    assert_eq!(restarted.info["mch_id"], mch_id);
    assert!(
        !restarted.info.contains_key("api_key"),
        "secrets need --show-secrets"
    );
    let again = order_query(&restarted, &key, "CLI20261204000001").await;
    assert_eq!(again["trade_state"], "SUCCESS");
    assert_eq!(again["transaction_id"], queried["transaction_id"]);
    let (code, stderr) = restarted.stop();
    assert_eq!(code, 0, "{stderr}");
}

/// Accepts one HTTP request on a loopback listener, replies with `reply`, and returns
/// the request body.
fn receive_one_post(listener: std::net::TcpListener, reply: &'static str) -> Vec<u8> {
    use std::io::{Read, Write};

    let (mut stream, _) = listener.accept().expect("the sandbox connects");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let body_start = loop {
        let read = stream.read(&mut buffer).expect("read the request");
        assert!(read > 0, "the request ended before its headers");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let headers = String::from_utf8_lossy(&received[..body_start]).to_ascii_lowercase();
    let length: usize = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse().expect("a numeric content-length"))
        .expect("the notify has a content-length");
    while received.len() < body_start + length {
        let read = stream.read(&mut buffer).expect("read the body");
        assert!(read > 0, "the body ended early");
        received.extend_from_slice(&buffer[..read]);
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
    stream.write_all(response.as_bytes()).unwrap();
    received[body_start..body_start + length].to_vec()
}

#[tokio::test]
async fn sandbox_notify_decodes_with_key_file() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(state.path(), &["--days", "1"]);
    let key_file = served.info["api_key_file"].clone();
    let key = ApiKey::new(
        std::fs::read_to_string(&key_file)
            .unwrap()
            .trim()
            .to_owned(),
    )
    .unwrap();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let notify_url = format!("http://{}/wxpay/notify", listener.local_addr().unwrap());
    let receiver = std::thread::spawn(move || receive_one_post(listener, wxpay::NOTIFY_ACK));

    let created = pay_call(
        &served,
        &key,
        "/pay/unifiedorder",
        &[
            ("body", "拿铁"),
            ("out_trade_no", "CLI20261204000002"),
            ("total_fee", "2500"),
            ("spbill_create_ip", "127.0.0.1"),
            ("notify_url", &notify_url),
            ("trade_type", "NATIVE"),
            ("product_id", "latte"),
        ],
    )
    .await;
    assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    admin(&served, state.path(), &["pay", "CLI20261204000002"]);
    let body = tokio::task::spawn_blocking(move || receiver.join().expect("receiver ends"))
        .await
        .unwrap();

    let decoded = run(&["notify", "decode", "--key-file", &key_file], &body);
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    let line = decoded.stdout.lines().next().unwrap();
    let json: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(json["out_trade_no"], "CLI20261204000002");
    assert_eq!(json["total_fee"], "2500");
    assert_eq!(
        json["mch_id"].as_str(),
        Some(served.info["mch_id"].as_str())
    );
    assert_eq!(decoded.stdout.lines().nth(1), Some(wxpay::NOTIFY_ACK));

    let (code, _) = served.stop();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn sandbox_admin_balance_and_faults() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(state.path(), &["--days", "2"]);
    let key_text = std::fs::read_to_string(&served.info["api_key_file"]).unwrap();
    let key = ApiKey::new(key_text.trim().to_owned()).unwrap();

    let before = admin(&served, state.path(), &["balance"])["balance_fen"]
        .as_i64()
        .unwrap();
    let topped = admin(&served, state.path(), &["topup", "500"]);
    assert_eq!(topped["balance_fen"], before + 500);
    let set = admin(&served, state.path(), &["balance", "--set", "0"]);
    assert_eq!(set["balance_fen"], 0);
    assert_eq!(admin(&served, state.path(), &["balance"])["balance_fen"], 0);

    let armed = admin(
        &served,
        state.path(),
        &[
            "fault",
            "add",
            "--path",
            "/pay/orderquery",
            "--kind",
            "system-error",
        ],
    );
    assert_eq!(armed["faults"][0]["kind"], "system_error");
    let failed = order_query(&served, &key, "ANY20261204").await;
    assert_eq!(failed["err_code"], "SYSTEMERROR", "{failed:?}");
    let listed = admin(&served, state.path(), &["fault", "list"]);
    assert_eq!(listed["faults"].as_array().unwrap().len(), 0, "used up");

    let delays = admin(
        &served,
        state.path(),
        &["delay", "--refund-ms", "100", "--password-ms", "200"],
    );
    assert_eq!(delays["refund_delay_ms"], 100);
    assert_eq!(delays["password_delay_ms"], 200);
    let current = admin(&served, state.path(), &["state"]);
    assert_eq!(current["refund_delay_ms"], 100);
    assert_eq!(current["password_delay_ms"], 200);
    assert!(admin(&served, state.path(), &["expire-tokens"])["expired"].is_u64());

    let port = served.port();
    let missing = run(
        &[
            "sandbox",
            "pay",
            "NOSUCHORDER",
            "--port",
            &port,
            "--state",
            state.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("ORDER_NOT_FOUND"),
        "{}",
        missing.stderr
    );

    let (code, _) = served.stop();
    assert_eq!(code, 0);
}

#[test]
fn sandbox_admin_without_server_fails() {
    let state = tempfile::tempdir().unwrap();
    let missing_ca = run(
        &[
            "sandbox",
            "balance",
            "--port",
            "1",
            "--state",
            state.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(missing_ca.code, 1);
    assert!(
        missing_ca.stderr.contains("ca.pem"),
        "{}",
        missing_ca.stderr
    );
}

#[test]
fn sandbox_serve_needs_port_and_state() {
    let run = run(&["sandbox"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

#[test]
fn sandbox_state_in_use_fails() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(state.path(), &["--days", "1"]);
    let second = run(
        &[
            "sandbox",
            "--port",
            "0",
            "--state",
            state.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(second.code, 1);
    assert!(second.stderr.contains("in use"), "{}", second.stderr);
    let (code, _) = served.stop();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn sandbox_fault_set_list_clear() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(
        state.path(),
        &[
            "--days",
            "1",
            "--fault",
            "/pay/orderquery=frequency_limited:2",
            "--fault",
            "/pay/closeorder=http_status:503:0",
        ],
    );
    let key_text = std::fs::read_to_string(&served.info["api_key_file"]).unwrap();
    let key = ApiKey::new(key_text.trim().to_owned()).unwrap();

    let limited = order_query(&served, &key, "ANY20261204").await;
    assert_eq!(limited["err_code"], "FREQUENCY_LIMITED", "{limited:?}");
    let listed = admin(&served, state.path(), &["fault", "list"]);
    let faults = listed["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 2, "{listed}");
    assert_eq!(faults[0]["count"], 1);
    assert_eq!(faults[1]["kind"], "http_status:503");
    assert_eq!(faults[1]["count"], 0);

    let cleared = admin(
        &served,
        state.path(),
        &["fault", "clear", "--path", "/pay/orderquery"],
    );
    assert_eq!(cleared["faults"].as_array().unwrap().len(), 1, "{cleared}");
    let normal = order_query(&served, &key, "ANY20261204").await;
    assert_eq!(normal["err_code"], "ORDERNOTEXIST", "{normal:?}");

    let armed = admin(
        &served,
        state.path(),
        &[
            "fault",
            "set",
            "--path",
            "/pay/orderquery",
            "--kind",
            "business-error:SYSTEMERROR",
            "--count",
            "0",
        ],
    );
    assert_eq!(armed["faults"][1]["kind"], "business_error:SYSTEMERROR");
    for _ in 0..2 {
        let failed = order_query(&served, &key, "ANY20261204").await;
        assert_eq!(failed["err_code"], "SYSTEMERROR", "{failed:?}");
    }
    let none = admin(&served, state.path(), &["fault", "clear"]);
    assert_eq!(none["faults"].as_array().unwrap().len(), 0);

    let port = served.port();
    let bad_kind = run(
        &[
            "sandbox",
            "fault",
            "set",
            "--path",
            "/pay/orderquery",
            "--kind",
            "melt",
            "--port",
            &port,
            "--state",
            state.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(bad_kind.code, 2, "{}", bad_kind.stderr);
    assert!(
        bad_kind.stderr.contains("unknown fault kind melt"),
        "{}",
        bad_kind.stderr
    );

    let (code, _) = served.stop();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn sandbox_pay_behaviours() {
    let state = tempfile::tempdir().unwrap();
    let served = Served::start(state.path(), &["--days", "1"]);
    let key_text = std::fs::read_to_string(&served.info["api_key_file"]).unwrap();
    let key = ApiKey::new(key_text.trim().to_owned()).unwrap();
    for out_trade_no in ["CLIB1", "CLIB2", "CLIB3"] {
        let created = pay_call(
            &served,
            &key,
            "/pay/unifiedorder",
            &[
                ("body", "豆浆"),
                ("out_trade_no", out_trade_no),
                ("total_fee", "500"),
                ("spbill_create_ip", "127.0.0.1"),
                ("notify_url", "https://shop.example.com/wxpay/notify"),
                ("trade_type", "NATIVE"),
                ("product_id", "soy"),
            ],
        )
        .await;
        assert_eq!(created["result_code"], "SUCCESS", "{created:?}");
    }

    let slow = admin(
        &served,
        state.path(),
        &["pay", "CLIB1", "--behaviour", "slow", "--delay-ms", "800"],
    );
    assert_eq!(slow["paid"], false);
    assert_eq!(
        order_query(&served, &key, "CLIB1").await["trade_state"],
        "USERPAYING"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        order_query(&served, &key, "CLIB1").await["trade_state"],
        "SUCCESS"
    );

    admin(
        &served,
        state.path(),
        &["pay", "CLIB2", "--behaviour", "cancel"],
    );
    assert_eq!(
        order_query(&served, &key, "CLIB2").await["trade_state"],
        "PAYERROR"
    );
    admin(
        &served,
        state.path(),
        &["pay", "CLIB3", "--behaviour", "no-balance"],
    );
    assert_eq!(
        order_query(&served, &key, "CLIB3").await["trade_state"],
        "PAYERROR"
    );
    let instant = admin(
        &served,
        state.path(),
        &["pay", "CLIB3", "--behaviour", "instant"],
    );
    assert_eq!(instant["paid"], true);

    let (code, _) = served.stop();
    assert_eq!(code, 0);
}
