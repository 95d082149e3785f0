//! Parsing throughput on a synthetic corpus, one thread, release build.
//!
//! `cargo bench --bench parse [-- COUNT]`: generates COUNT documents (default 5,000)
//! in memory with the corpus generator (seed 1), parses each once as a warm-up and then
//! three times, and prints MB/s and documents/s of the best round, with the share of
//! time spent decoding and in the registry's title lookups.

use std::hint::black_box;
use std::time::{Duration, Instant};

use communique::corpus::Generator;
use communique::parse::parse_bytes;
use communique::registry::Registry;

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat` (ns);
/// `None` elsewhere. On a shared machine wall time also counts the time other
/// processes held the CPU, so both are reported.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Best wall time and best CPU time of `rounds` runs of `f`.
fn best_of<F: FnMut()>(rounds: usize, mut f: F) -> (Duration, Option<Duration>) {
    let mut wall = Duration::MAX;
    let mut cpu: Option<Duration> = None;
    for _ in 0..rounds {
        let (t, c) = (Instant::now(), cpu_time());
        f();
        wall = wall.min(t.elapsed());
        if let (Some(before), Some(after)) = (c, cpu_time()) {
            let spent = after.saturating_sub(before);
            cpu = Some(cpu.map_or(spent, |best| best.min(spent)));
        }
    }
    (wall, cpu)
}

fn main() {
    let count: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5_000);
    let started = Instant::now();
    let generator = Generator::new(1);
    let docs: Vec<Vec<u8>> = (0..count).map(|i| generator.document(i).bytes).collect();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {count} documents, {mb:.1} MB (mean {:.1} kB), generated in {:.2} s",
        bytes as f64 / count as f64 / 1e3,
        started.elapsed().as_secs_f64()
    );
    let registry = Registry::builtin();

    let mut failures = 0usize;
    for d in &docs {
        failures += usize::from(parse_bytes(d, &registry).is_err());
    }
    let parse = best_of(3, || {
        for d in &docs {
            let _ = black_box(parse_bytes(black_box(d), &registry));
        }
    });
    let decode = best_of(3, || {
        for d in &docs {
            let _ = black_box(communique::text::decode(black_box(d)));
        }
    });
    // The title lookups, on each document's first long line (its title, mostly).
    let titles: Vec<String> = docs
        .iter()
        .filter_map(|d| communique::text::decode(d).ok())
        .filter_map(|t| t.lines().find(|l| l.len() > 60).map(str::to_owned))
        .collect();
    let lookups = best_of(3, || {
        for t in &titles {
            black_box(registry.forums_in_title(black_box(t)));
            black_box(registry.speakers_in_title(black_box(t)));
        }
    });

    let report = |what: &str, secs: f64| {
        println!(
            "parse ({what}): {:.1} MB/s, {:.0} documents/s ({:.3} s for {count}; {failures} failed)",
            mb / secs,
            count as f64 / secs,
            secs
        );
    };
    report("wall time", parse.0.as_secs_f64());
    // The share of parts is taken in CPU time where it is known.
    let pick = |(wall, cpu): (Duration, Option<Duration>)| cpu.unwrap_or(wall).as_secs_f64();
    if let Some(cpu) = parse.1 {
        report("CPU time", cpu.as_secs_f64());
    }
    let secs = pick(parse);
    println!(
        "  decode: {:.3} s ({:.0}% of parse); title lookups: {:.3} s ({:.0}%)",
        pick(decode),
        100.0 * pick(decode) / secs,
        pick(lookups),
        100.0 * pick(lookups) / secs
    );
}
