//! Parser throughput on one core: `cargo run --release --example parse_bench -- FILE...`.

use communique::registry::Registry;
use std::time::Instant;

fn main() {
    let registry = Registry::builtin();
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| communique::text::decode(&b).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    if bytes == 0 {
        eprintln!("no input");
        return;
    }
    let rounds = (200_000_000 / bytes).max(1);
    let start = Instant::now();
    let mut segments = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            if let Ok(st) = communique::parse::parse_text(t, &registry) {
                segments += st.segments.len();
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{mb:.0} MB in {secs:.2} s: {:.1} MB/s ({segments} segments)",
        mb / secs
    );
}
