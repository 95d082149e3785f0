//! Helpers shared by the benchmarks that time the release binary from outside.

/// Peak resident memory in kB from a `/usr/bin/time -v` report (0 when absent).
pub fn max_rss_kb(time_report: &str) -> u64 {
    time_report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// The last line a command printed: `communique import`'s summary line.
pub fn last_line(stdout: &[u8]) -> String {
    String::from_utf8_lossy(stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}
