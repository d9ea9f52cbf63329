//! Reading and printing figures: latency percentiles, the process's memory, a plain text
//! table, and the closing `key=value` line that scripts read.

use std::time::Duration;

/// Latencies of one kind of operation, in the order they were measured.
#[derive(Debug, Default)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub fn push(&mut self, latency: Duration) {
        self.0.push(latency);
    }

    pub fn extend(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns the nearest-rank percentile `p` (0 to 100) in milliseconds, or 0 when empty.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        let index = rank.clamp(1, sorted.len()) - 1;
        sorted[index].as_secs_f64() * 1000.0
    }
}

/// Returns the resident set size of this process in MiB from /proc/self/status, or 0 where
/// that file is missing (outside Linux). `field` is `VmRSS` (now) or `VmHWM` (peak).
pub fn memory_mb(field: &str) -> f64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0.0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// A table printed with columns padded to their widest cell.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn print(&self) {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        println!("{}", line(&self.header));
        let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
        println!("{}", rule.join("  "));
        for row in &self.rows {
            println!("{}", line(row));
        }
    }
}

/// Prints the closing line: the benchmark's name, then `key=value` pairs.
pub fn print_figures(name: &str, figures: &[(&str, String)]) {
    let pairs: Vec<String> = figures.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("{name} {}", pairs.join(" "));
}

/// Formats a rate or duration with a precision that suits its size.
pub fn number(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

/// Prints the 1-minute load average from /proc/loadavg, because on a machine shared with
/// builds the figures below move with it.
pub fn print_load_average() {
    if let Ok(text) = std::fs::read_to_string("/proc/loadavg") {
        let one_minute = text.split_whitespace().next().unwrap_or("unknown");
        println!("load average (1 min) at start: {one_minute}");
    }
}
