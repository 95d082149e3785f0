//! Import throughput against its floor.
//!
//! `cargo bench --bench import -- [DOCS...] [--no-floor]` (default 10000) generates a
//! corpus of DOCS page saves of about 8 kB (once, under `target/bench/`), imports it
//! with the release binary under `/usr/bin/time -v`, and reports documents/s, MB/s,
//! the database size and the peak resident memory. The floor is what SQLite alone needs
//! to store and index the same turn texts: a table of bodies with the two FTS5 indexes
//! of the archive, fed by the same triggers, nothing else; the importer's target is 0.8×.
//! A second floor line indexes each transaction's bodies in one pass per index, as the
//! importer does, to show what that way of indexing is worth on its own.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
            for (label, indexing) in [
                ("floor", Indexing::PerRow),
                ("floor indexed per transaction", Indexing::PerTransaction),
            ] {
                let seconds = runtime.block_on(floor_run(&db, &floor_db, indexing))?;
                println!(
                    "{label} {docs} docs: {seconds:.1} s, {:.0} docs/s, {:.1} MB/s, db {:.0} MB; import/{label} = {:.2}",
                    docs as f64 / seconds,
                    mb / seconds,
                    db_size(&floor_db) as f64 / 1e6,
                    seconds / run.seconds
                );
            }
            remove_db(&floor_db);
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
    // Exit status 1 means some files failed: the summary line says how many and the log
    // names them; the figures still stand for what was imported.
    let summary = common::last_line(&output.stdout);
    anyhow::ensure!(
        output.status.success()
            || (output.status.code() == Some(1) && summary.starts_with("imported ")),
        "import failed: see {}",
        db.with_extension("log").display()
    );
    let stats = std::fs::read_to_string(&stats)?;
    let max_rss_kb = common::max_rss_kb(&stats);
    Ok(Run {
        seconds,
        max_rss_kb,
        summary,
    })
}

/// How the floor feeds its FTS5 tables.
#[derive(Clone, Copy, PartialEq)]
enum Indexing {
    /// By triggers, as each body is inserted: the floor as defined.
    PerRow,
    /// One `INSERT … SELECT` per index over the transaction's bodies before it commits,
    /// as the importer does: the same work, for comparison.
    PerTransaction,
}

/// The floor: the same turn texts, read from the imported archive, stored and indexed
/// by SQLite with the archive's page size, pragmas, FTS5 tables and triggers, one
/// statement per document and a transaction per 500 documents. Only the writes count.
async fn floor_run(archive: &Path, floor: &Path, indexing: Indexing) -> anyhow::Result<f64> {
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
             tokenize = 'unicode61 remove_diacritics 2', detail = none);",
    )
    .execute(&mut conn)
    .await?;
    if indexing == Indexing::PerRow {
        sqlx::raw_sql(
            "CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
                 INSERT INTO segments_fts (rowid, body) VALUES (new.rowid, new.body);
                 INSERT INTO segments_plain (rowid, body) VALUES (new.rowid, new.body);
             END;",
        )
        .execute(&mut conn)
        .await?;
    }
    let mut indexed = 0i64;
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
        if indexing == Indexing::PerTransaction {
            for index in ["segments_fts", "segments_plain"] {
                sqlx::query(&format!(
                    "INSERT INTO {index} (rowid, body)
                          SELECT rowid, body FROM segments WHERE rowid > ?1 ORDER BY rowid"
                ))
                .bind(indexed)
                .execute(&mut conn)
                .await?;
            }
            indexed = sqlx::query_scalar("SELECT max(rowid) FROM segments")
                .fetch_one(&mut conn)
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

/// Writes `docs` page saves of the synthetic corpus (`communique::corpus`, seed 1)
/// under `dir` unless a complete corpus is there; returns its size in bytes.
fn generate(dir: &Path, docs: usize) -> anyhow::Result<u64> {
    let done = dir.join(".complete");
    if let Ok(bytes) = std::fs::read_to_string(&done) {
        return Ok(bytes.trim().parse()?);
    }
    let generator = communique::corpus::Generator::new(1);
    let mut total = 0u64;
    for i in 0..docs {
        let folder = dir.join(format!("{:03}", i / PER_FOLDER));
        if i % PER_FOLDER == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let doc = generator.document(i as u64);
        total += doc.bytes.len() as u64;
        std::fs::write(folder.join(&doc.meta.file), &doc.bytes)?;
    }
    std::fs::write(&done, total.to_string())?;
    Ok(total)
}
