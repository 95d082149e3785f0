//! Dataset import throughput and memory.
//!
//! `cargo bench --bench dataset -- [ROWS...]` (default 10000 and 100000) writes a CSV of
//! ROWS rows in the ministry's dataset shape (`id, url, title, datetime, date,
//! internal_id, text, translations, url_id`) and its gzip, once, under `target/bench/`,
//! made from the synthetic corpus (`communique::corpus`): each page save parsed, its
//! turns written back as the body text the dataset holds (labels kept, no header lines).
//! Each file is imported into a fresh archive by the release binary under
//! `/usr/bin/time -v`; rows/s, MB/s and the peak resident memory are printed.

mod common;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::Compression;
use rayon::prelude::*;

use communique::corpus::Generator;
use communique::model::Statement;
use communique::registry::Registry;

/// Rows generated together on all cores before they are written.
const BLOCK: u64 = 2000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut sizes: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![10_000, 100_000];
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&root)?;
    for rows in sizes {
        let csv = root.join(format!("dataset-{rows}.csv"));
        let gz = root.join(format!("dataset-{rows}.csv.gz"));
        let started = Instant::now();
        if !gz.exists() {
            generate(&csv, rows)?;
            compress(&csv, &gz)?;
            eprintln!(
                "generated {} and its gzip in {:.0} s",
                csv.display(),
                started.elapsed().as_secs_f64()
            );
        }
        for file in [&csv, &gz] {
            let bytes = std::fs::metadata(file)?.len();
            let db = root.join(format!(
                "dataset-{rows}-{}.db",
                if file == &gz { "gz" } else { "csv" }
            ));
            let run = import(&db, file)?;
            println!(
                "import {} ({:.0} MB): {rows} rows in {:.1} s, {:.0} rows/s, {:.1} MB/s, peak RSS {:.0} MB",
                file.file_name().unwrap_or_default().to_string_lossy(),
                bytes as f64 / 1e6,
                run.seconds,
                rows as f64 / run.seconds,
                bytes as f64 / 1e6 / run.seconds,
                run.max_rss_kb as f64 / 1024.0
            );
            println!("  {}", run.summary);
        }
    }
    Ok(())
}

/// The body a dataset row holds for a parsed page: each turn's paragraphs, the first
/// after its label as printed (`Question (retranslated from Chinese): ...`), headings
/// on their own, paragraphs separated by blank lines.
fn body(statement: &Statement) -> String {
    let mut parts: Vec<String> = Vec::new();
    for segment in &statement.segments {
        if let Some(title) = &segment.title {
            parts.push(title.clone());
        }
        for (k, paragraph) in segment.paragraphs.iter().enumerate() {
            parts.push(match (&segment.label, &segment.note, k) {
                (Some(label), Some(note), 0) => format!("{label} ({note}): {paragraph}"),
                (Some(label), None, 0) => format!("{label}: {paragraph}"),
                _ => paragraph.clone(),
            });
        }
    }
    parts.join("\n\n")
}

/// One CSV row of document `i` of the synthetic corpus.
fn row(generator: &Generator, registry: &Registry, i: u64) -> Option<[String; 9]> {
    let doc = generator.document(i);
    let statement = communique::parse::parse_bytes(&doc.bytes, registry).ok()?;
    let date = statement
        .date
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default());
    let number = statement
        .source_number
        .clone()
        .unwrap_or_else(|| format!("{}-{}", 100_000 + i, date.format("%d-%m-%Y")));
    let translations = if statement.languages.is_empty() {
        "ru; en".to_string()
    } else {
        statement.languages.join("; ")
    };
    let lang = &statement.language;
    Some([
        i.to_string(),
        format!(
            "https://www.mid.ru/{lang}/foreign_policy/news/{}/",
            1_000_000 + i
        ),
        statement.title.clone().unwrap_or_default(),
        format!("{}T12:00:00", date.format("%Y-%m-%d")),
        date.format("%d.%m.%Y").to_string(),
        number,
        body(&statement),
        translations,
        (1_000_000 + i).to_string(),
    ])
}

fn generate(path: &Path, rows: u64) -> anyhow::Result<()> {
    let generator = Generator::new(7);
    let registry = Registry::builtin();
    let mut writer = csv::Writer::from_writer(BufWriter::new(File::create(path)?));
    writer.write_record([
        "id",
        "url",
        "title",
        "datetime",
        "date",
        "internal_id",
        "text",
        "translations",
        "url_id",
    ])?;
    let (mut written, mut next) = (0u64, 0u64);
    while written < rows {
        let block: Vec<[String; 9]> = (next..next + BLOCK)
            .into_par_iter()
            .filter_map(|i| row(&generator, &registry, i))
            .collect();
        next += BLOCK;
        for record in block {
            if written == rows {
                break;
            }
            writer.write_record(&record)?;
            written += 1;
        }
    }
    writer.flush()?;
    Ok(())
}

fn compress(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut input = std::io::BufReader::new(File::open(from)?);
    let mut out = GzEncoder::new(BufWriter::new(File::create(to)?), Compression::fast());
    std::io::copy(&mut input, &mut out)?;
    out.finish()?.flush()?;
    Ok(())
}

struct Run {
    seconds: f64,
    max_rss_kb: u64,
    summary: String,
}

/// Imports `file` into a fresh `db` with the release binary under `/usr/bin/time -v`.
fn import(db: &Path, file: &Path) -> anyhow::Result<Run> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let stats = db.with_extension("time");
    let log = File::create(db.with_extension("log"))?;
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&stats)
        .arg(env!("CARGO_BIN_EXE_communique"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(log)
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    let stats = std::fs::read_to_string(&stats)?;
    let max_rss_kb = common::max_rss_kb(&stats);
    let summary = common::last_line(&output.stdout);
    Ok(Run {
        seconds,
        max_rss_kb,
        summary,
    })
}
