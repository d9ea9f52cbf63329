//! `wxmc history` and `wxmc refund` on a fresh data folder in sandbox mode: the console
//! creates its sandbox profile in the real keyring, so these run only when the test
//! command provides one (WXMC_REAL_KEYRING=1 inside a private D-Bus session).

mod support;

use std::path::Path;

use support::{run, run_command, wxmc, Run};

fn real_keyring() -> bool {
    let enabled = std::env::var("WXMC_REAL_KEYRING").as_deref() == Ok("1");
    if !enabled {
        eprintln!(
            "note: WXMC_REAL_KEYRING is not 1, so this test is skipped: the console keeps its \
             sandbox secrets in the OS keyring (run it under .ci/session)"
        );
    }
    enabled
}

fn history(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["history", "--data-dir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all, b"")
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is JSON"))
        .collect()
}

/// Makes a data folder whose sandbox history contains the bills of the last three days.
fn synced_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sync = history(dir.path(), &["sync", "--days", "3"]);
    assert_eq!(sync.code, 0, "{}", sync.stderr);
    // Before 10:00 Beijing time yesterday's bill is still being created, as at WeChat.
    let full = sync.stdout.contains("days_synced: 3");
    let before_ten = sync.stdout.contains("days_synced: 2");
    assert!(full || before_ten, "{}", sync.stdout);
    assert!(sync.stderr.contains("day 3/3"), "progress: {}", sync.stderr);
    dir
}

/// Returns a paid order of at least ¥3.00 that has no refund yet.
fn paid_order(dir: &Path) -> serde_json::Value {
    let list = history(
        dir,
        &[
            "list",
            "--json",
            "--state",
            "SUCCESS",
            "--min-fen",
            "300",
            "--limit",
            "1",
        ],
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    json_lines(&list.stdout).remove(0)
}

#[test]
fn history_sync_list_totals() {
    if !real_keyring() {
        return;
    }
    let dir = synced_dir();

    let table = history(dir.path(), &["list", "--limit", "5"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "a header and 5 rows: {}", table.stdout);
    assert!(lines[0].contains("Asia/Shanghai"));
    assert!(lines[1].contains('¥'), "{}", lines[1]);
    assert!(table.stderr.contains("raise --limit"), "{}", table.stderr);

    let listed = history(dir.path(), &["list", "--json", "--limit", "1000"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let rows = json_lines(&listed.stdout);
    assert!(!rows.is_empty());
    let first = &rows[0];
    assert!(first["total_fee"].is_i64());
    let created = first["created_at"].as_str().unwrap();
    assert!(created.ends_with('Z'), "RFC 3339 UTC: {created}");

    let totals = history(dir.path(), &["totals", "--json"]);
    assert_eq!(totals.code, 0, "{}", totals.stderr);
    let totals = json_lines(&totals.stdout).remove(0);
    assert_eq!(totals["count"].as_u64().unwrap(), rows.len() as u64);
    let paid: i64 = rows
        .iter()
        .filter(|row| matches!(row["trade_state"].as_str(), Some("SUCCESS" | "REFUND")))
        .map(|row| row["total_fee"].as_i64().unwrap())
        .sum();
    assert_eq!(totals["total_fee"].as_i64().unwrap(), paid);

    let table = history(dir.path(), &["totals"]);
    assert!(table.stdout.contains("net"), "{}", table.stdout);
    assert!(table.stdout.contains('¥'), "{}", table.stdout);

    let order = paid_order(dir.path());
    let number = order["out_trade_no"].as_str().unwrap();
    let found = history(dir.path(), &["list", "--json", "--search", number]);
    let found = json_lines(&found.stdout);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["out_trade_no"], number);
}

#[test]
fn history_rejects_bad_date() {
    let dir = tempfile::tempdir().unwrap();
    let run = history(dir.path(), &["list", "--from", "2026-13-01"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--from"), "{}", run.stderr);
}

#[test]
fn history_import_bill_file() {
    if !real_keyring() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bill = dir.path().join("bill.csv");
    std::fs::write(&bill, import_bill()).unwrap();
    let imported = history(dir.path(), &["import", bill.to_str().unwrap(), "--json"]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let report = json_lines(&imported.stdout).remove(0);
    assert_eq!(report["rows_read"], 2);
    assert_eq!(report["summary_checked"], true);

    let found = history(
        dir.path(),
        &["list", "--json", "--search", "IMPORT20261201"],
    );
    let rows = json_lines(&found.stdout);
    assert_eq!(rows.len(), 1, "{}", found.stdout);
    assert_eq!(rows[0]["total_fee"], 1200);

    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "not a bill\n").unwrap();
    let failed = history(dir.path(), &["import", broken.to_str().unwrap()]);
    assert_eq!(failed.code, 1);
    assert!(failed.stderr.contains("broken.csv"), "{}", failed.stderr);
}

/// Builds a two-order ALL bill for a day outside the sandbox's generated history.
fn import_bill() -> String {
    let header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,\
交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,\
充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    let row = |time: &str, number: &str, yuan: &str, fee: &str| {
        format!(
            "`2026-12-01 {time},`wx8a3c5e7f9b1d2460,`1612345678,`0,`,`4200000000202612010000{number},\
             `IMPORT2026120{number},`oUser{number},`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`{yuan},`0.00,`0,`0,\
             `0.00,`0.00,`,`,`拿铁,`,`{fee},`0.60%,`{yuan},`0.00,`\n"
        )
    };
    format!(
        "\u{feff}{header}\n{}{}总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n`2,`20.00,`0.00,`0.00,`0.12000,`20.00,`0.00\n",
        row("10:00:00", "1", "12.00", "0.07200"),
        row("11:00:00", "2", "8.00", "0.04800"),
    )
}

#[test]
fn refund_follows_to_success() {
    if !real_keyring() {
        return;
    }
    let dir = synced_dir();
    let order = paid_order(dir.path());
    let number = order["out_trade_no"].as_str().unwrap();

    let refunded = run(
        &[
            "refund",
            "--data-dir",
            dir.path().to_str().unwrap(),
            number,
            "--amount-fen",
            "100",
            "--reason",
            "顾客退货",
            "--yes",
        ],
        b"",
    );
    assert_eq!(refunded.code, 0, "{}", refunded.stderr);
    let states: Vec<&str> = refunded
        .stdout
        .lines()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(states, ["PROCESSING", "SUCCESS"], "{}", refunded.stdout);
    assert!(refunded.stdout.contains("¥1.00"));
    assert!(
        refunded.stderr.contains(number),
        "the order is repeated: {}",
        refunded.stderr
    );

    let after = history(dir.path(), &["list", "--json", "--search", number]);
    let rows = json_lines(&after.stdout);
    assert_eq!(rows[0]["refunded_fee"], 100);
    assert_eq!(rows[0]["trade_state"], "REFUND");
}

#[test]
fn refund_explains_failures() {
    if !real_keyring() {
        return;
    }
    let dir = synced_dir();
    let order = paid_order(dir.path());
    let number = order["out_trade_no"].as_str().unwrap();
    let data_dir = dir.path().to_str().unwrap();

    let too_much = run(
        &[
            "refund",
            "--data-dir",
            data_dir,
            number,
            "--amount-fen",
            "99999999",
            "--yes",
        ],
        b"",
    );
    assert_eq!(too_much.code, 1);
    assert!(
        too_much.stderr.contains("退款金额"),
        "zh: {}",
        too_much.stderr
    );
    assert!(
        too_much.stderr.contains("refund amount"),
        "en: {}",
        too_much.stderr
    );

    let unknown = run(
        &[
            "refund",
            "--data-dir",
            data_dir,
            "NOSUCHORDER",
            "--amount-fen",
            "1",
            "--yes",
        ],
        b"",
    );
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("NOSUCHORDER"), "{}", unknown.stderr);

    let accepted = run(
        &[
            "refund",
            "--data-dir",
            data_dir,
            number,
            "--amount-fen",
            "50",
            "--yes",
            "--no-follow",
        ],
        b"",
    );
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(
        accepted.stdout.starts_with("PROCESSING"),
        "{}",
        accepted.stdout
    );
}

#[test]
fn refund_needs_yes_without_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_command(
        wxmc().args([
            "refund",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "ANY",
            "--amount-fen",
            "100",
        ]),
        b"y\n",
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(
        !dir.path().join("console.sqlite").exists(),
        "nothing is opened before the confirmation"
    );
}

/// Runs `wxmc ARGS` on a pseudo-terminal made by util-linux `script`, typing `typed`.
fn run_on_terminal(args: &[&str], typed: &[u8]) -> Option<Run> {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("note: /usr/bin/script is absent, so the terminal case is skipped");
        return None;
    }
    let mut line = String::from(env!("CARGO_BIN_EXE_wxmc"));
    for arg in args {
        line.push(' ');
        line.push_str(arg);
    }
    let mut command = std::process::Command::new("/usr/bin/script");
    command.args(["-qec", &line, "/dev/null"]);
    Some(run_command(&mut command, typed))
}

#[test]
fn refund_confirms_on_terminal() {
    if !real_keyring() {
        return;
    }
    let dir = synced_dir();
    let order = paid_order(dir.path());
    let number = order["out_trade_no"].as_str().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let args = [
        "refund",
        "--data-dir",
        data_dir,
        number,
        "--amount-fen",
        "120",
    ];

    let Some(declined) = run_on_terminal(&args, b"n\n") else {
        return;
    };
    assert_eq!(declined.code, 1, "{}", declined.stdout);
    assert!(
        declined
            .stdout
            .contains(&format!("Refund ¥1.20 of order {number}?")),
        "the prompt repeats amount and order: {}",
        declined.stdout
    );
    assert!(
        declined.stdout.contains("nothing was sent"),
        "{}",
        declined.stdout
    );
    let unchanged = history(dir.path(), &["list", "--json", "--search", number]);
    assert_eq!(json_lines(&unchanged.stdout)[0]["refunded_fee"], 0);

    let confirmed = run_on_terminal(&args, b"y\n").expect("script exists");
    assert_eq!(confirmed.code, 0, "{}", confirmed.stdout);
    assert!(confirmed.stdout.contains("SUCCESS"), "{}", confirmed.stdout);
}
