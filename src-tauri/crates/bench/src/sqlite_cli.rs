//! The baseline of the history and import benchmarks: the sqlite3 command-line shell run on
//! the same database file, timed by its own `.timer` or by the wall clock.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BenchError;

/// Returns the sqlite3 shell's version line, or an error telling how to install it.
pub fn version() -> Result<String, BenchError> {
    let output = Command::new("sqlite3")
        .arg("-version")
        .output()
        .map_err(|_| BenchError::SqliteMissing)?;
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .split_whitespace()
        .next()
        .unwrap_or("unknown")
        .to_owned())
}

/// Runs `statements` in one sqlite3 process on `db` and returns the CPU time (user + sys)
/// that the shell's `.timer` reports for each. Rows go to /dev/null. CPU time is used
/// because `.timer` prints wall time in whole milliseconds only, too coarse for queries
/// served from the page cache.
pub fn timed_statements(db: &Path, statements: &[String]) -> Result<Vec<Duration>, BenchError> {
    let mut script = String::from(".bail on\n.output /dev/null\n.timer on\n");
    for statement in statements {
        script.push_str(statement.trim_end().trim_end_matches(';'));
        script.push_str(";\n");
    }
    let stdout = run_script(db, &script)?;

    let times: Vec<Duration> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Run Time: "))
        .map(cpu_time)
        .collect::<Result<_, _>>()?;
    if times.len() != statements.len() {
        return Err(BenchError::ToolOutput {
            tool: "sqlite3",
            detail: format!(
                "expected {} timer lines, found {}",
                statements.len(),
                times.len()
            ),
        });
    }
    Ok(times)
}

/// Runs a script in a fresh sqlite3 process and returns its wall time, process start
/// included.
pub fn timed_script(db: &Path, script: &str) -> Result<Duration, BenchError> {
    let start = Instant::now();
    run_script(db, script)?;
    Ok(start.elapsed())
}

fn run_script(db: &Path, script: &str) -> Result<String, BenchError> {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| BenchError::SqliteMissing)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(script.as_bytes())
            .map_err(|e| BenchError::io("writing to sqlite3", e))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| BenchError::io("waiting for sqlite3", e))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() || !stderr.trim().is_empty() {
        return Err(BenchError::ToolFailed {
            tool: "sqlite3",
            status: output.status,
            stderr,
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Reads `real 0.001 user 0.000340 sys 0.000012` and returns user + sys.
fn cpu_time(line: &str) -> Result<Duration, BenchError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let seconds_after = |name: &str| {
        words
            .iter()
            .position(|word| *word == name)
            .and_then(|i| words.get(i + 1)?.parse::<f64>().ok())
    };
    match (seconds_after("user"), seconds_after("sys")) {
        (Some(user), Some(sys)) => Ok(Duration::from_secs_f64(user + sys)),
        _ => Err(BenchError::ToolOutput {
            tool: "sqlite3",
            detail: format!("unreadable timer line: {line}"),
        }),
    }
}

/// Quotes a text value as an SQL string literal.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Runs one query and returns its output, trimmed.
pub fn query(db: &Path, sql: &str) -> Result<String, BenchError> {
    let output = run_script(db, &format!("{};\n", sql.trim_end_matches(';')))?;
    Ok(output.trim().to_owned())
}
