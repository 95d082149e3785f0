//! Search latency end to end over HTTP, against the FTS5 floor.
//!
//! `cargo bench --bench search -- [DOCS] [--seconds N] [--only WORD]` (default 100000
//! documents, 10 s per class; `--only` runs the classes whose name holds WORD) opens
//! `target/bench/search-DOCS.db`, importing the generated corpus `target/bench/corpus-DOCS`
//! (made by `cargo bench --bench import -- DOCS`) when the database is missing. It serves the archive on 127.0.0.1 with the page cache off, so
//! every request runs its search, and drives `/api/search` with `wrk` at 4 connections
//! for each class of query, by relevance and by date. Query words are picked from the
//! archive's own vocabulary by the share of turns holding them. For the words in most
//! turns it also times the FTS5 floor: the bare `MATCH ... ORDER BY rank LIMIT 20`, which
//! ranks every match, on the same database.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use communique::registry::Registry;
use communique::web::{launch_with_listener, AppState, Config};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// One class of query: a name and the query strings (`q=...&...`) it cycles through.
struct Class {
    name: String,
    queries: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let docs: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let seconds: u64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let db = root.join(format!("search-{docs}.db"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(&root, &db, docs, seconds, only.as_deref()))
}

async fn run(
    root: &Path,
    db: &Path,
    docs: usize,
    seconds: u64,
    only: Option<&str>,
) -> anyhow::Result<()> {
    if !db.exists() {
        let corpus = root.join(format!("corpus-{docs}"));
        anyhow::ensure!(
            corpus.join(".complete").exists(),
            "no corpus at {}: run `cargo bench --bench import -- {docs}` first",
            corpus.display()
        );
        let partial = db.with_extension("partial.db");
        let _ = std::fs::remove_file(&partial);
        let pool = communique::db::connect(&partial).await?;
        let started = Instant::now();
        let summary = communique::import::import_paths(
            &pool,
            &[corpus],
            &Registry::builtin(),
            &communique::import::ImportOptions::quiet(),
        )
        .await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&pool)
            .await?;
        pool.close().await;
        std::fs::rename(&partial, db)?;
        println!(
            "imported {} statements in {:.0} s",
            summary.imported,
            started.elapsed().as_secs_f64()
        );
    }
    let pool = communique::db::connect(db).await?;
    let (statements, turns): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM statements), (SELECT count(*) FROM segments)")
            .fetch_one(&pool)
            .await?;
    println!(
        "archive: {statements} statements, {turns} turns, {:.0} MB",
        std::fs::metadata(db)?.len() as f64 / 1e6
    );

    let mut classes = classes(&pool, turns).await?;
    if let Some(only) = only {
        classes.retain(|c| c.name.contains(only));
    }
    let mut config = Config::new("http://127.0.0.1");
    config.cache_bytes = 0;
    // Nor are totals and facets kept between requests: the queries cycle, and each
    // request must count its matches.
    config.search_cache_entries = 0;
    let state = AppState::new(pool.clone(), config);
    // The server reads its turn index in the background on the first search; here it is
    // read before any timing, so no run measures the reading.
    let started = Instant::now();
    state.search.load_index(&pool).await?;
    println!(
        "turn index read in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(launch_with_listener(listener, state, async {
        let _ = stopped.await;
    }));

    let script_dir = root.join("search-wrk");
    std::fs::create_dir_all(&script_dir)?;
    println!(
        "\n| class | sort | queries | requests/s | p50 ms | p99 ms | 1 client p50 ms | mean hits |\n|---|---|---|---|---|---|---|---|"
    );
    // Every class at 4 connections; the words in most turns also one request at a time
    // against their floor, below.
    for class in &classes {
        let mean_hits = mean_total(&addr.to_string(), &class.queries).await;
        for sort in ["relevance", "newest"] {
            let urls: Vec<String> = class
                .queries
                .iter()
                .map(|q| format!("/api/search?{q}&sort={sort}"))
                .collect();
            let script = script_dir.join(format!("{}-{sort}.lua", slug(&class.name)));
            std::fs::write(&script, lua(&urls))?;
            let out = tokio::task::spawn_blocking({
                let script = script.clone();
                let addr = addr.to_string();
                move || wrk(&addr, &script, seconds)
            })
            .await??;
            let alone = sequential_p50(&addr.to_string(), &urls).await;
            println!(
                "| {} | {sort} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {mean_hits:.0} |",
                class.name,
                class.queries.len(),
                out.rps,
                out.p50_ms,
                out.p99_ms,
                alone * 1e3
            );
        }
    }

    if let Some(common) = classes.iter().find(|c| c.name.starts_with("common")) {
        println!("\nFTS5 floor for the common words (one connection, ranking every match):");
        println!("| word | matching turns | floor p50 ms | end-to-end p50 ms (1 client) | ratio |\n|---|---|---|---|---|");
        for q in &common.queries {
            let word = q.trim_start_matches("q=");
            let floor = floor(&pool, word).await?;
            let e2e = single_client(&addr.to_string(), q).await;
            let n: i64 =
                sqlx::query("SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?1")
                    .bind(format!("\"{word}\""))
                    .fetch_one(&pool)
                    .await?
                    .get(0);
            println!(
                "| {word} | {n} | {:.1} | {:.1} | {:.2} |",
                floor * 1e3,
                e2e * 1e3,
                e2e / floor
            );
        }
    }
    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}

/// Terms of the plain index held by between `lo` and `hi` of the turns, in a fixed
/// pseudo-random order.
async fn band(
    conn: &mut SqliteConnection,
    turns: i64,
    lo: f64,
    hi: f64,
) -> anyhow::Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT term, doc FROM temp.vocab
          WHERE doc >= ?1 AND doc <= ?2 AND length(term) >= 5
            AND term GLOB '[a-z]*' AND term NOT GLOB '*[0-9]*'
          ORDER BY (rowid * 2654435761) % 1000003 LIMIT 12",
    )
    .bind((lo * turns as f64).ceil() as i64)
    .bind((hi * turns as f64).floor() as i64)
    .fetch_all(conn)
    .await?)
}

/// Picks query words from the plain index's vocabulary by document frequency.
async fn classes(pool: &SqlitePool, turns: i64) -> anyhow::Result<Vec<Class>> {
    // The vocabulary table is a temp table: one connection for all of it.
    let mut conn = pool.acquire().await?;
    let conn = &mut *conn;
    sqlx::query(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.plain_vocab USING fts5vocab(main, segments_plain, row)",
    )
    .execute(&mut *conn)
    .await?;
    // Materialise it once: each query over fts5vocab walks the whole index.
    sqlx::query("CREATE TEMP TABLE vocab AS SELECT term, doc FROM temp.plain_vocab")
        .execute(&mut *conn)
        .await?;
    let rare = band(conn, turns, 0.00002, 0.001).await?;
    let medium = band(conn, turns, 0.01, 0.05).await?;
    let common: Vec<(String, i64)> =
        sqlx::query_as("SELECT term, doc FROM temp.vocab WHERE doc > ?1 ORDER BY doc LIMIT 4")
            .bind(turns / 2)
            .fetch_all(&mut *conn)
            .await?;
    let words = |v: &[(String, i64)]| v.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>();
    let medium_words = words(&medium);
    // Phrases that occur: two adjacent words of a turn that holds a medium word.
    let mut phrases = Vec::new();
    for word in medium_words.iter().take(8) {
        let body: Option<String> = sqlx::query_scalar(
            "SELECT body FROM segments WHERE rowid IN
               (SELECT rowid FROM segments_plain WHERE segments_plain MATCH ?1 LIMIT 1)",
        )
        .bind(format!("\"{word}\""))
        .fetch_optional(pool)
        .await?;
        if let Some(body) = body {
            let tokens: Vec<String> = body
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            if let Some(i) = tokens.iter().position(|t| t == word) {
                if i + 1 < tokens.len() {
                    phrases.push(format!("\"{} {}\"", tokens[i], tokens[i + 1]));
                }
            }
        }
    }
    let prefixes: Vec<String> = medium_words
        .iter()
        .map(|w| format!("{}*", w.chars().take(5).collect::<String>()))
        .collect();
    // A word with the prefix of another medium word, both ways of joining them.
    let with_prefix = |join: &str| -> Vec<String> {
        medium_words
            .iter()
            .zip(prefixes.iter().cycle().skip(1))
            .map(|(w, p)| format!("{w}{join}{p}"))
            .collect()
    };
    let (word_and_prefix, word_or_prefix) = (with_prefix(" "), with_prefix(" OR "));
    let year_forum: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT year, (SELECT forum FROM statement_forums WHERE statement_pk = pk LIMIT 1)
           FROM statements WHERE year IS NOT NULL ORDER BY pk LIMIT 12",
    )
    .fetch_all(pool)
    .await?;
    let filtered: Vec<String> = medium_words
        .iter()
        .zip(year_forum.iter().cycle())
        .enumerate()
        .map(|(i, (w, (year, forum)))| match (i % 3, forum) {
            (0, _) => format!("q={w}&year={year}"),
            (1, Some(f)) => format!("q={w}&forum={f}"),
            _ => format!("q={w}&turn=answer&from={year}-01-01"),
        })
        .collect();
    let q = |v: Vec<String>| v.into_iter().map(|w| format!("q={}", encode(&w))).collect();
    let share = |v: &[(String, i64)]| {
        let (lo, hi) = (
            v.iter().map(|x| x.1).min().unwrap_or(0),
            v.iter().map(|x| x.1).max().unwrap_or(0),
        );
        format!(
            "{:.3}–{:.3}%",
            lo as f64 * 100.0 / turns as f64,
            hi as f64 * 100.0 / turns as f64
        )
    };
    let mut out = vec![
        Class {
            name: format!("rare words ({})", share(&rare)),
            queries: q(words(&rare)),
        },
        Class {
            name: format!("medium words ({})", share(&medium)),
            queries: q(medium_words.clone()),
        },
        Class {
            name: "phrases of two words".into(),
            queries: q(phrases),
        },
        Class {
            name: "prefixes (5 letters)".into(),
            queries: q(prefixes),
        },
        Class {
            name: "word and prefix".into(),
            queries: q(word_and_prefix),
        },
        Class {
            name: "word OR prefix".into(),
            queries: q(word_or_prefix),
        },
        Class {
            name: "medium word + filter".into(),
            queries: filtered,
        },
        Class {
            name: format!("common words ({})", share(&common)),
            queries: q(words(&common)),
        },
    ];
    out.retain(|c| !c.queries.is_empty());
    for c in &out {
        println!("{}: {}", c.name, c.queries.join("  "));
    }
    Ok(out)
}

/// Median seconds of the bare FTS5 ranking of every match of `word`, best 20.
async fn floor(pool: &SqlitePool, word: &str) -> anyhow::Result<f64> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let rows = sqlx::query(
            "SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?1 ORDER BY rank LIMIT 20",
        )
        .bind(format!("\"{word}\""))
        .fetch_all(pool)
        .await?;
        times.push(started.elapsed().as_secs_f64());
        assert!(!rows.is_empty());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// Median seconds of one request at a time.
async fn single_client(addr: &str, query: &str) -> f64 {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        http_get(addr, &format!("/api/search?{query}")).await;
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Median seconds of the paths requested one at a time, twice each: the cost of a
/// request without others waiting for the same cores.
async fn sequential_p50(addr: &str, paths: &[String]) -> f64 {
    let mut times = Vec::new();
    for _ in 0..2 {
        for path in paths {
            let started = Instant::now();
            http_get(addr, path).await;
            times.push(started.elapsed().as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The mean `total` of the queries, for the table.
async fn mean_total(addr: &str, queries: &[String]) -> f64 {
    let mut sum = 0.0;
    for q in queries {
        let body = http_get(addr, &format!("/api/search?{q}")).await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        sum += v["pagination"]["total"].as_f64().unwrap_or(0.0);
    }
    sum / queries.len().max(1) as f64
}

/// A minimal HTTP/1.1 GET, body returned (the server answers with Content-Length).
async fn http_get(addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    text.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default()
}

struct WrkResult {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn wrk(addr: &str, script: &Path, seconds: u64) -> anyhow::Result<WrkResult> {
    let output = Command::new("wrk")
        .args(["-t2", "-c4", "--latency", "--timeout", "10s"])
        .arg(format!("-d{seconds}s"))
        .arg("-s")
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let pick = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| millis(v.trim()))
            .unwrap_or(f64::NAN)
    };
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    anyhow::ensure!(
        !text.contains("Non-2xx"),
        "wrk saw errors for {}:\n{text}",
        script.display()
    );
    Ok(WrkResult {
        rps,
        p50_ms: pick("50%"),
        p99_ms: pick("99%"),
    })
}

/// wrk prints `812.00us`, `12.34ms`, `1.20s`.
fn millis(v: &str) -> f64 {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
    let n: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1e3,
        "ms" => n,
        "s" => n * 1e3,
        "m" => n * 60e3,
        _ => f64::NAN,
    }
}

/// A wrk script that cycles through the paths.
fn lua(paths: &[String]) -> String {
    let mut s = String::from("local paths = {\n");
    for p in paths {
        let _ = writeln!(s, "  \"{}\",", p.replace('\\', "\\\\").replace('"', "\\\""));
    }
    s.push_str(
        "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
    );
    s
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
