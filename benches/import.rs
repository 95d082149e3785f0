//! Import throughput against its floor.
//!
//! `cargo bench --bench import -- [DOCS...] [--no-floor]` (default 10000) generates a
//! corpus of DOCS page saves of about 8 kB (once, under `target/bench/`), imports it
//! with the release binary under `/usr/bin/time -v`, and reports documents/s, MB/s,
//! the database size and the peak resident memory. The floor is what SQLite alone needs
//! to store and index the same turn texts: a table of bodies with the two FTS5 indexes
//! of the archive, fed by the same triggers, nothing else; the importer's target is 0.8×.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

/// Documents per generated folder, so no folder is huge.
const PER_FOLDER: usize = 1000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let floor = !args.iter().any(|a| a == "--no-floor");
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes.push(10_000);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&root)?;
    let runtime = tokio::runtime::Runtime::new()?;
    for docs in sizes {
        let corpus = root.join(format!("corpus-{docs}"));
        let bytes = generate(&corpus, docs)?;
        let db = root.join(format!("import-{docs}.db"));
        let run = import(&db, &corpus)?;
        let size = db_size(&db);
        let mb = bytes as f64 / 1e6;
        println!(
            "import {docs} docs ({mb:.0} MB): {:.1} s, {:.0} docs/s, {:.1} MB/s, db {:.0} MB, peak RSS {:.0} MB",
            run.seconds,
            docs as f64 / run.seconds,
            mb / run.seconds,
            size as f64 / 1e6,
            run.max_rss_kb as f64 / 1024.0
        );
        println!("  {}", run.summary);
        if floor {
            let floor_db = root.join(format!("floor-{docs}.db"));
            let seconds = runtime.block_on(floor_run(&db, &floor_db))?;
            println!(
                "floor  {docs} docs: {seconds:.1} s, {:.0} docs/s, {:.1} MB/s, db {:.0} MB; import/floor = {:.2}",
                docs as f64 / seconds,
                mb / seconds,
                db_size(&floor_db) as f64 / 1e6,
                seconds / run.seconds
            );
        }
    }
    Ok(())
}

struct Run {
    seconds: f64,
    max_rss_kb: u64,
    summary: String,
}

/// Imports `corpus` into a fresh `db` with the release binary.
fn import(db: &Path, corpus: &Path) -> anyhow::Result<Run> {
    remove_db(db);
    let stats = db.with_extension("time");
    let log = std::fs::File::create(db.with_extension("log"))?;
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&stats)
        .arg(env!("CARGO_BIN_EXE_communique"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(corpus)
        .stdout(Stdio::piped())
        .stderr(log)
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        output.status.success(),
        "import failed: see {}",
        db.with_extension("log").display()
    );
    let stats = std::fs::read_to_string(&stats)?;
    let max_rss_kb = stats
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let summary = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_string();
    Ok(Run {
        seconds,
        max_rss_kb,
        summary,
    })
}

/// The floor: the same turn texts, read from the imported archive, stored and indexed
/// by SQLite with the archive's page size, pragmas, FTS5 tables and triggers, one
/// statement per document and a transaction per 500 documents. Only the writes count.
async fn floor_run(archive: &Path, floor: &Path) -> anyhow::Result<f64> {
    remove_db(floor);
    let mut source = SqliteConnection::connect_with(
        &SqliteConnectOptions::new()
            .filename(archive)
            .read_only(true),
    )
    .await?;
    let mut conn = SqliteConnection::connect_with(&communique::db::connect_options(floor)).await?;
    sqlx::raw_sql("PRAGMA cache_size = -65536")
        .execute(&mut conn)
        .await?;
    sqlx::raw_sql(
        "CREATE TABLE segments (rowid INTEGER PRIMARY KEY, body TEXT NOT NULL);
         CREATE VIRTUAL TABLE segments_fts USING fts5 (
             body, content = 'segments', content_rowid = 'rowid',
             tokenize = 'porter unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE segments_plain USING fts5 (
             body, content = 'segments', content_rowid = 'rowid',
             tokenize = 'unicode61 remove_diacritics 2', detail = none);
         CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
             INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
             INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
         END;",
    )
    .execute(&mut conn)
    .await?;
    let mut spent = Duration::ZERO;
    let mut after = 0i64;
    loop {
        // Each document's bodies as one JSON array, 500 documents at a time (untimed).
        let batch: Vec<(i64, String)> = sqlx::query_as(
            "SELECT statement_pk, json_group_array(body ORDER BY n) FROM segments
              WHERE statement_pk IN (SELECT pk FROM statements WHERE pk > ?1 ORDER BY pk LIMIT 500)
              GROUP BY statement_pk ORDER BY statement_pk",
        )
        .bind(after)
        .fetch_all(&mut source)
        .await?;
        let Some(&(last, _)) = batch.last() else {
            break;
        };
        after = last;
        let started = Instant::now();
        sqlx::raw_sql("BEGIN").execute(&mut conn).await?;
        for (_, bodies) in &batch {
            sqlx::query("INSERT INTO segments (body) SELECT value FROM json_each(?1)")
                .bind(bodies)
                .execute(&mut conn)
                .await?;
        }
        sqlx::raw_sql("COMMIT").execute(&mut conn).await?;
        spent += started.elapsed();
    }
    let started = Instant::now();
    conn.close().await?;
    spent += started.elapsed();
    Ok(spent.as_secs_f64())
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

fn db_size(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// Writes `docs` page saves under `dir` unless a complete corpus is there; returns its
/// size in bytes. Deterministic: the same seed gives the same corpus.
fn generate(dir: &Path, docs: usize) -> anyhow::Result<u64> {
    let done = dir.join(".complete");
    if let Ok(bytes) = std::fs::read_to_string(&done) {
        return Ok(bytes.trim().parse()?);
    }
    let words = vocabulary()?;
    let mut rng = SmallRng::seed_from_u64(docs as u64);
    let mut total = 0u64;
    for i in 0..docs {
        let folder = dir.join(format!("{:03}", i / PER_FOLDER));
        if i % PER_FOLDER == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let page = page(i, &words, &mut rng);
        total += page.len() as u64;
        std::fs::write(folder.join(format!("{i:06}.txt")), page)?;
    }
    std::fs::write(&done, total.to_string())?;
    Ok(total)
}

/// Words of the sample pages and real transcripts, with their frequencies (a word
/// appears as often as in the texts), English and Russian apart.
struct Words {
    en: Vec<String>,
    ru: Vec<String>,
}

fn vocabulary() -> anyhow::Result<Words> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["corpus", "tests/fixtures/real"] {
        for entry in std::fs::read_dir(root.join(dir))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut words = Words {
        en: Vec::new(),
        ru: Vec::new(),
    };
    for file in files {
        let text = std::fs::read_to_string(&file)?;
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 1)
        {
            if word
                .chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
            {
                words.ru.push(word.to_string());
            } else if word.is_ascii() {
                words.en.push(word.to_string());
            }
        }
    }
    Ok(words)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const PLACES: [&str; 8] = [
    "Moscow", "Minsk", "Astana", "Beijing", "New York", "Geneva", "Almaty", "Tashkent",
];
const FORUMS: [&str; 6] = ["CSTO", "CIS", "SCO", "BRICS", "OSCE", "CICA"];

fn sentence(words: &[String], rng: &mut SmallRng) -> String {
    let n = rng.random_range(8..28);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = &words[rng.random_range(0..words.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push_str(&w.to_lowercase());
        }
    }
    s.push('.');
    s
}

fn paragraph(words: &[String], rng: &mut SmallRng) -> String {
    let n = rng.random_range(2..6);
    (0..n)
        .map(|_| sentence(words, rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One page save of about 8 kB: date line, title with place and date, document number,
/// language versions, opening remarks, questions and answers, footer tags. One in five
/// is Russian.
fn page(i: usize, words: &Words, rng: &mut SmallRng) -> String {
    let russian = i % 5 == 4;
    let year = 2004 + (i % 20);
    let month = rng.random_range(0..12);
    let day = rng.random_range(1..29);
    let place = PLACES[rng.random_range(0..PLACES.len())];
    let forum = FORUMS[rng.random_range(0..FORUMS.len())];
    let mut out = String::new();
    let vocab = if russian { &words.ru } else { &words.en };
    if russian {
        let _ = writeln!(out, "{day} {} {year}12:00\n", MONTHS_RU[month]);
        let topic = sentence(vocab, rng);
        let _ = writeln!(
            out,
            "Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова ({topic}), Москва, {day} {} {year} года\n",
            MONTHS_RU[month]
        );
    } else {
        let _ = writeln!(out, "{day} {} {year}12:00\n", MONTHS[month]);
        let topic = sentence(vocab, rng);
        let _ = writeln!(
            out,
            "Foreign Minister Sergey Lavrov’s remarks and answers to media questions following the {forum} ministerial meeting ({}), {place}, {} {day}, {year}\n",
            topic.trim_end_matches('.'),
            MONTHS[month]
        );
    }
    let _ = writeln!(out, "{}-{day:02}-{:02}-{year}\n", 100 + i, month + 1);
    let _ = writeln!(out, "  • en-GB1 ru-RU1\n");
    let (question, answer) = if russian {
        ("Вопрос", "С.В.Лавров")
    } else {
        ("Question", "Sergey Lavrov")
    };
    for _ in 0..3 {
        let _ = writeln!(out, "{}\n", paragraph(vocab, rng));
    }
    while out.len() < 7800 {
        let _ = writeln!(out, "{question}: {}\n", paragraph(vocab, rng));
        let _ = writeln!(out, "{answer}: {}\n", paragraph(vocab, rng));
        if rng.random_bool(0.5) {
            let _ = writeln!(out, "{}\n", paragraph(vocab, rng));
        }
    }
    if russian {
        out.push_str("Дополнительные материалы\n\n\nСодружество Независимых Государств (СНГ)\n");
    } else {
        out.push_str("Additional materials\n\n\nCommonwealth of Independent States (CIS)\n");
    }
    out
}
