//! Exports and their re-import, through the binary and the router: JSON Lines that an
//! empty archive imports back into the same archive (ids, aliases, sources, turns), CSV
//! that the `csv` crate reads back, the list filters, the HTTP downloads and their
//! headers, bad lines in an imported export, and the command line's errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use communique::db;
use communique::export::plain_text;
use communique::model::Statement;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use sqlx::SqlitePool;
use tempfile::TempDir;
use tower::ServiceExt;

const BASE: &str = "https://archive.example.org";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn communique(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_communique"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("COMMUNIQUE_DB")
        .env_remove("COMMUNIQUE_REGISTRY")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn last_line(output: &Output) -> String {
    stdout(output).lines().last().unwrap_or_default().to_owned()
}

#[track_caller]
fn succeeded(output: &Output) {
    assert!(output.status.success(), "{}", stderr(output));
}

/// The archive the tests export: the corpus, the real transcripts (page saves, bare
/// texts and their dataset rows), the ministry's dataset rows, and two early saves of
/// the Minsk press conference that its full page proves to be one statement: one id
/// survives, the other becomes its alias.
struct Archive {
    dir: TempDir,
    db: PathBuf,
    /// The merged-away id and the id it leads to.
    alias: (String, String),
}

fn archive() -> Archive {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let page = std::fs::read_to_string(repo("corpus/002_50d26956223dd4d0.txt")).unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    let early = page
        .replace("676-12-04-2024\n", "")
        .replacen("Colleagues,", "Dear colleagues,", 1);
    let later = page
        .replace(
            "Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev make remarks and reply to questions at a joint news conference ",
            "Joint news conference of Sergey Lavrov and Sergey Lebedev ",
        )
        .replacen("Colleagues,", "Colleagues, good afternoon,", 1);
    std::fs::write(saves.join("early.txt"), early).unwrap();
    std::fs::write(saves.join("later.txt"), later).unwrap();
    let out = communique(&db, &["import", saves.to_str().unwrap()]);
    assert_eq!(
        last_line(&out),
        "imported 2, updated 0, unchanged 0, failed 0"
    );
    let out = communique(
        &db,
        &[
            "import",
            repo("corpus").to_str().unwrap(),
            repo("tests/fixtures/real").to_str().unwrap(),
            repo("tests/fixtures/datasets/ministry.csv")
                .to_str()
                .unwrap(),
        ],
    );
    succeeded(&out);
    let aliases: Vec<(String, String)> = with_pool(&db, async |pool| {
        sqlx::query_as("SELECT alias, statement_id FROM aliases")
            .fetch_all(pool)
            .await
            .unwrap()
    });
    assert_eq!(aliases.len(), 1, "{aliases:?}");
    Archive {
        alias: aliases.into_iter().next().unwrap(),
        dir,
        db,
    }
}

fn with_pool<T>(db: &Path, f: impl AsyncFnOnce(&SqlitePool) -> T) -> T {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = db::connect(db).await.unwrap();
        let out = f(&pool).await;
        pool.close().await;
        out
    })
}

/// A stored source: statement id, format, file name, content, fields.
type SourceRow = (
    String,
    String,
    Option<String>,
    String,
    Vec<u8>,
    Option<String>,
);

/// Every stored row a round trip must keep: ids, sources, aliases.
fn stored(db: &Path) -> (Vec<String>, Vec<SourceRow>, Vec<(String, String)>) {
    with_pool(db, async |pool| {
        let ids = sqlx::query_scalar("SELECT id FROM statements ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
        let sources = sqlx::query_as(
            "SELECT s.id, src.format, src.file_name, src.codec, CAST(src.content AS BLOB), src.fields
               FROM statements s JOIN sources src ON src.statement_pk = s.pk ORDER BY s.id",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let aliases = sqlx::query_as("SELECT alias, statement_id FROM aliases ORDER BY alias")
            .fetch_all(pool)
            .await
            .unwrap();
        (ids, sources, aliases)
    })
}

struct Reply {
    status: StatusCode,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

/// GETs each of `uris` from a server over the archive `db`.
fn get_all(db: &Path, uris: &[String]) -> Vec<Reply> {
    with_pool(db, async |pool| {
        let state = AppState::new(pool.clone(), Config::new(BASE));
        let app = router(state.clone());
        let mut replies = Vec::new();
        for uri in uris {
            let request = Request::get(uri.as_str()).body(Body::empty()).unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            replies.push(Reply {
                status,
                body: body.to_vec(),
            });
        }
        replies
    })
}

fn get(db: &Path, uri: &str) -> Reply {
    get_all(db, &[uri.to_owned()]).pop().unwrap()
}

fn lines(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_export_imported_into_an_empty_archive_gives_the_same_archive() {
    let a = archive();
    let out = communique(
        &a.db,
        &["export", "--format", "jsonl", "--sort", "imported"],
    );
    succeeded(&out);
    let first = stdout(&out);
    let n = first.lines().count();
    assert!(n >= 15, "{n} statements");
    assert_eq!(stderr(&out), format!("exported {n} statements\n"));

    let file = a.dir.path().join("archive.jsonl");
    std::fs::write(&file, &first).unwrap();
    let copy = a.dir.path().join("copy.db");
    let out = communique(&copy, &["import", file.to_str().unwrap()]);
    assert_eq!(
        last_line(&out),
        format!("imported {n}, updated 0, unchanged 0, failed 0")
    );

    // Byte for byte the same export, in either order; the same ids, sources and aliases;
    // and the same order of age.
    let out = communique(&copy, &["export", "--sort", "imported"]);
    succeeded(&out);
    assert!(stdout(&out) == first, "the second export differs");
    assert!(
        stdout(&communique(&copy, &["export"])) == stdout(&communique(&a.db, &["export"])),
        "the exports by date differ"
    );
    let by_age = |db: &Path| -> Vec<String> {
        with_pool(db, async |pool| {
            sqlx::query_scalar("SELECT id FROM statements ORDER BY pk")
                .fetch_all(pool)
                .await
                .unwrap()
        })
    };
    assert_eq!(by_age(&copy), by_age(&a.db));
    let (ids, sources, aliases) = stored(&a.db);
    assert_eq!(
        stored(&copy),
        (ids.clone(), sources.clone(), aliases.clone())
    );
    assert_eq!(sources.len(), n);
    assert!(sources.iter().any(|s| s.1 == "row") && sources.iter().any(|s| s.1 == "text"));
    assert_eq!(aliases, std::slice::from_ref(&a.alias));

    // The restored statements are what the parser makes of their sources.
    let out = communique(&copy, &["reparse"]);
    assert_eq!(
        last_line(&out),
        format!("reparsed {n}, changed 0, unchanged {n}, failed 0")
    );

    // The API answers alike on both archives; each line starts with that answer.
    let uris: Vec<String> = ids
        .iter()
        .map(|id| format!("/api/statements/{id}"))
        .collect();
    let before = get_all(&a.db, &uris);
    let after = get_all(&copy, &uris);
    let exported: Vec<serde_json::Value> = lines(&first);
    for ((uri, x), y) in uris.iter().zip(&before).zip(&after) {
        assert_eq!(x.status, StatusCode::OK, "{uri}");
        assert!(x.body == y.body, "{uri} differs");
        let api = x.text();
        let line = first
            .lines()
            .find(|l| {
                l.starts_with(&format!(
                    "{{\"id\":{}",
                    serde_json::to_string(&uri[16..]).unwrap()
                ))
            })
            .unwrap();
        assert!(
            line.starts_with(api.trim_end_matches('}'))
                && line[api.len() - 1..].starts_with(",\"source\":{"),
            "{uri}: the line is not the API object followed by source and aliases"
        );
    }
    // The alias redirects on the copy too.
    let moved = get(&copy, &format!("/statements/{}", a.alias.0));
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    let survivor = exported
        .iter()
        .find(|v| v["id"] == a.alias.1.as_str())
        .unwrap();
    assert_eq!(survivor["aliases"], serde_json::json!([a.alias.0]));
}

#[test]
fn an_export_imported_into_its_own_archive_restores_what_was_removed() {
    let a = archive();
    let file = a.dir.path().join("all.jsonl.gz");
    let out = communique(&a.db, &["export"]);
    succeeded(&out);
    let n = stdout(&out).lines().count();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&out.stdout).unwrap();
    std::fs::write(&file, gz.finish().unwrap()).unwrap();

    // Same documents: unchanged.
    let out = communique(&a.db, &["import", file.to_str().unwrap()]);
    assert_eq!(
        last_line(&out),
        format!("imported 0, updated 0, unchanged {n}, failed 0")
    );
    // The merged statement removed (its alias goes with it), then restored: the same
    // id and alias again.
    let before = stored(&a.db);
    let survivor = a.alias.1.clone();
    succeeded(&communique(&a.db, &["remove", &survivor]));
    assert!(stored(&a.db).2.is_empty());
    let out = communique(&a.db, &["import", file.to_str().unwrap()]);
    assert_eq!(
        last_line(&out),
        format!("imported 1, updated 0, unchanged {}, failed 0", n - 1)
    );
    assert!(stderr(&out).contains("all.jsonl.gz:"), "{}", stderr(&out));
    assert_eq!(stored(&a.db), before);

    // An id taken by another statement is not: the statement gets a free one, and keeps
    // the other archive's aliases.
    let (ids, _, _) = stored(&a.db);
    let other = ids.iter().find(|id| **id != survivor).unwrap().clone();
    let line = stdout(&communique(&a.db, &["export"]))
        .lines()
        .find(|l| l.contains(&format!("\"id\":\"{survivor}\"")))
        .unwrap()
        .to_owned();
    let fresh = a.dir.path().join("fresh.db");
    // The fresh archive holds `other` under the survivor's id.
    let mut taken: serde_json::Value = serde_json::from_str(
        stdout(&communique(&a.db, &["export"]))
            .lines()
            .find(|l| l.contains(&format!("\"id\":\"{other}\"")))
            .unwrap(),
    )
    .unwrap();
    taken["id"] = survivor.clone().into();
    taken["aliases"] = serde_json::json!([]);
    let both = a.dir.path().join("both.jsonl");
    std::fs::write(&both, format!("{taken}\n{line}\n")).unwrap();
    let out = communique(&fresh, &["import", both.to_str().unwrap()]);
    assert_eq!(
        last_line(&out),
        "imported 2, updated 0, unchanged 0, failed 0"
    );
    let (ids, _, aliases) = stored(&fresh);
    assert_eq!(ids, [survivor.clone(), format!("{survivor}-2")]);
    assert_eq!(aliases, [(a.alias.0, format!("{survivor}-2"))]);
}

/// The corpus's CICA statement: its text has commas, double quotes and many paragraphs.
const CICA: &str = "2012-09-12";

#[test]
fn csv_reads_back_with_its_quoting_and_one_row_per_statement() {
    let a = archive();
    let out = communique(&a.db, &["export", "--format", "csv", "--base-url", BASE]);
    succeeded(&out);
    let raw = stdout(&out);
    let jsonl = stdout(&communique(&a.db, &["export"]));
    let statements: Vec<Statement> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut reader = csv::Reader::from_reader(raw.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        communique::export::CSV_HEADER.as_slice()
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), statements.len());
    for (row, s) in rows.iter().zip(&statements) {
        assert_eq!(&row[0], s.id);
        assert_eq!(row[1], *s.title.as_deref().unwrap_or(""));
        assert_eq!(&row[13], format!("{BASE}/statements/{}", s.id));
        assert_eq!(&row[14], plain_text(s));
        let speakers: Vec<&str> = s.speakers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(&row[9], speakers.join("; "));
    }
    let cica = rows.iter().find(|r| &r[2] == CICA).unwrap();
    let text = &cica[14];
    assert!(
        text.contains('"') && text.contains(',') && text.contains('\n'),
        "{text}"
    );
    assert!(text.contains("\n\nS.V. Lavrov: "), "{text}");
    // In the file: the field is quoted and its quotes doubled.
    assert!(raw.contains("\"\""));
    assert!(raw.contains("\r\n"));
}

#[test]
fn filters_select_the_same_statements_on_the_command_line_and_over_http() {
    let a = archive();
    let out = communique(&a.db, &["export", "--forum", "csto"]);
    succeeded(&out);
    let csto = stdout(&out);
    let found = lines(&csto);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["forums"][0]["slug"], "csto");
    assert!(found[0]["id"].as_str().unwrap().starts_with("2018-06-11-"));

    let out = communique(&a.db, &["export", "--year", "2003", "--lang", "en"]);
    for v in lines(&stdout(&out)) {
        assert!(v["date"].as_str().unwrap().starts_with("2003-"), "{v}");
        assert_eq!(v["language"], "en");
    }
    let all = stdout(&communique(&a.db, &["export"]));
    let oldest = stdout(&communique(&a.db, &["export", "--sort", "oldest"]));
    assert_eq!(all.lines().count(), oldest.lines().count());
    assert_ne!(all, oldest);

    let replies = get_all(
        &a.db,
        &[
            "/statements.jsonl?forum=CSTO".to_owned(),
            "/statements.jsonl".to_owned(),
            "/statements.csv?forum=csto&year=".to_owned(),
            "/statements?forum=csto".to_owned(),
        ],
    );
    assert!(replies[0].text() == csto);
    assert!(replies[1].text() == all);
    let csv_rows: Vec<csv::StringRecord> = csv::Reader::from_reader(replies[2].body.as_slice())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(csv_rows.len(), 1);
    assert_eq!(&csv_rows[0][0], found[0]["id"].as_str().unwrap());
    assert!(replies[3]
        .text()
        .contains("<a href=\"/statements.csv?forum=csto\" download>CSV</a>"));
    assert!(replies[3]
        .text()
        .contains("<a href=\"/statements.jsonl?forum=csto\" download>JSONL</a>"));
}

#[test]
fn http_exports_are_attachments_streamed_past_the_page_cache() {
    let a = archive();
    with_pool(&a.db, async |pool| {
        let state = AppState::new(pool.clone(), Config::new(BASE));
        let app = router(state.clone());
        for (uri, content_type, file) in [
            (
                "/statements.csv",
                "text/csv; charset=utf-8",
                "communique-statements.csv",
            ),
            (
                "/statements.jsonl?sort=oldest",
                "application/x-ndjson",
                "communique-statements.jsonl",
            ),
        ] {
            let request = Request::get(uri)
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            let h = response.headers();
            assert_eq!(h[header::CONTENT_TYPE], content_type);
            assert_eq!(
                h[header::CONTENT_DISPOSITION],
                format!("attachment; filename={file}").as_str()
            );
            assert_eq!(h[header::CONTENT_ENCODING], "gzip");
            assert!(
                h.get(header::CONTENT_LENGTH).is_none(),
                "{uri} was buffered"
            );
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text)
                .unwrap();
            assert!(text.lines().count() >= 15, "{uri}");
        }
        assert!(state.cache.is_empty(), "an export went into the page cache");

        // Uncompressed, the body comes as the export's chunks, not as one buffer.
        let request = Request::get("/statements.jsonl")
            .body(Body::empty())
            .unwrap();
        let mut body = app.oneshot(request).await.unwrap().into_body();
        let (mut frames, mut bytes) = (0, 0);
        while let Some(frame) = body.frame().await {
            let data = frame.unwrap().into_data().unwrap();
            assert!(data.len() < 2 * communique::export::CHUNK);
            frames += 1;
            bytes += data.len();
        }
        assert!(bytes > 4 * communique::export::CHUNK, "{bytes} bytes");
        assert!(frames > 4, "{frames} frames");
    });
    for (uri, message) in [
        ("/statements.csv?forum=nowhere", "Unknown forum"),
        ("/statements.jsonl?speaker=nobody-at-all", "Unknown speaker"),
        ("/statements.csv?year=abc", "four-digit year"),
        ("/statements.jsonl?sort=relevance", "newest or oldest"),
    ] {
        let reply = get(&a.db, uri);
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(reply.text().contains(message), "{uri}: {}", reply.text());
    }
}

#[test]
fn bad_lines_of_an_export_are_reported_and_the_rest_imported() {
    let a = archive();
    let all = stdout(&communique(&a.db, &["export"]));
    let mut lines: Vec<String> = all.lines().take(5).map(str::to_owned).collect();
    lines[1] = "{\"id\": \"broken\", \"segments\": [".to_owned();
    let mut no_kind: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    no_kind.as_object_mut().unwrap().remove("kind");
    lines[2] = no_kind.to_string();
    let mut bad_id: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    bad_id["id"] = "../../etc".into();
    lines[3] = bad_id.to_string();
    let file = a.dir.path().join("bad.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = communique(
        &a.dir.path().join("new.db"),
        &["import", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        last_line(&out),
        "imported 2, updated 0, unchanged 0, failed 3"
    );
    let err = stderr(&out);
    let name = file.display();
    assert!(err.contains(&format!("{name}:2: not JSON: ")), "{err}");
    assert!(
        err.contains(&format!(
            "{name}:3: not an exported statement: missing field `kind`"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:4: id \"../../etc\" is not a slug")),
        "{err}"
    );
}

#[test]
fn the_command_line_refuses_unknown_slugs_and_bad_values() {
    let a = archive();
    let out_file = a.dir.path().join("never.jsonl");
    for (args, message) in [
        (&["--forum", "nowhere"][..], "Unknown forum `nowhere`"),
        (
            &["--speaker", "nobody-at-all"][..],
            "Unknown speaker `nobody-at-all`",
        ),
        (
            &["--year", "20x4"][..],
            "`--year` must be a four-digit year",
        ),
        (&["--kind", "poem"][..], "`--kind` must be one of"),
        (&["--sort", "relevance"][..], "newest, oldest or imported"),
    ] {
        let mut all = vec!["export", "--out", out_file.to_str().unwrap()];
        all.extend(args);
        let out = communique(&a.db, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
        assert!(!out_file.exists(), "{args:?} created the output file");
    }
    let out = communique(&a.db, &["export", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    // A known forum with no statements is an empty export, not an error.
    let out = communique(
        &a.db,
        &[
            "export",
            "--forum",
            "asean",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    succeeded(&out);
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "");
    let out = communique(&a.dir.path().join("missing.db"), &["export"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no archive at"));
}
