//! Prints a readable outline of how files parse (a debugging aid).
//!
//! `cargo run --example parse_dump -- FILE...`; a `.txt` with a `.json` row beside it
//! gets the row's title, date and URL as hints.

use communique::model::Hints;
use communique::registry::Registry;

fn main() {
    let registry = Registry::builtin();
    let full = std::env::var("DUMP_FULL").is_ok();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read");
        let text = communique::text::decode(&bytes).expect("decode");
        let mut hints = Hints::default();
        let row = std::path::Path::new(&path).with_extension("json");
        if let Ok(json) = std::fs::read_to_string(&row) {
            let v: serde_json::Value = serde_json::from_str(&json).expect("json");
            hints.title = v["title"].as_str().map(str::to_string);
            hints.source_url = v["url"].as_str().map(str::to_string);
            hints.speaker = v["speaker"].as_str().map(str::to_string);
        }
        println!("==== {path}");
        match communique::parse::parse_with_hints(&text, &hints, &registry) {
            Err(e) => println!("ERROR {e}"),
            Ok(mut st) => {
                let segs = std::mem::take(&mut st.segments);
                let mut head = serde_json::to_value(&st).expect("json");
                head.as_object_mut().map(|o| o.remove("segments"));
                println!("{head}");
                for s in segs {
                    let first = s.paragraphs.first().map(String::as_str).unwrap_or("");
                    let last = s.paragraphs.last().map(String::as_str).unwrap_or("");
                    let cut = |t: &str, n: usize| t.chars().take(n).collect::<String>();
                    println!(
                        "{:>3} {:<8} {:<6} sp={:<14} label={:?} note={:?} title={:?} pars={} | {} … {}",
                        s.n,
                        s.kind.as_str(),
                        s.anchor,
                        s.speaker.as_deref().unwrap_or("-"),
                        s.label,
                        s.note,
                        s.title,
                        s.paragraphs.len(),
                        cut(first, if full { 400 } else { 60 }),
                        cut(last.chars().rev().take(40).collect::<String>().chars().rev().collect::<String>().as_str(), 40)
                    );
                }
            }
        }
    }
}
