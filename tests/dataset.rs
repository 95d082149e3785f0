//! Dataset import through the binary: each shape of row file, gzip, bad rows beside good
//! ones, `--map`, re-import, re-parse of stored rows, and one statement for a row and a
//! page save of the same document.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use communique::db;
use communique::model::Statement;
use sqlx::SqlitePool;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn datasets() -> PathBuf {
    fixture("datasets")
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

fn import(db: &Path, paths: &[&Path]) -> Output {
    let mut args = vec!["import"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    communique(db, &args)
}

fn last_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A runtime and a pool on the archive `db`, for reading back what the binary stored.
fn with_pool<T>(db: &Path, f: impl AsyncFnOnce(&SqlitePool) -> T) -> T {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = db::connect(db).await.unwrap();
        let out = f(&pool).await;
        pool.close().await;
        out
    })
}

/// Every stored statement, by id.
fn statements(db: &Path) -> Vec<Statement> {
    with_pool(db, async |pool| {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM statements ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
        let mut out = Vec::new();
        for id in ids {
            out.push(
                communique::db::store::load_statement(pool, &id)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        out
    })
}

fn by_number<'a>(all: &'a [Statement], number: &str) -> &'a Statement {
    all.iter()
        .find(|s| s.source_number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("no statement numbered {number}"))
}

fn row_json(name: &str) -> serde_json::Value {
    let bytes = std::fs::read(fixture(&format!("real/{name}.json"))).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn ministry_csv_rows_become_statements() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = import(&db, &[&datasets().join("ministry.csv")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        last_line(&out),
        "imported 3, updated 0, unchanged 0, failed 0"
    );
    let all = statements(&db);
    assert_eq!(all.len(), 3);

    let india = by_number(&all, "787-19-04-2022");
    let row = row_json("bikovoy_05_en_midru_1810023");
    assert_eq!(india.title.as_deref(), row["title"].as_str());
    assert_eq!(india.date, "2022-04-19".parse().ok());
    assert_eq!(india.place.as_deref(), Some("Moscow"));
    assert_eq!(india.kind.as_str(), "interview");
    assert_eq!(india.language, "en");
    assert_eq!(india.languages, ["en", "es", "fr", "ru"]);
    assert_eq!(india.source_url.as_deref(), row["url"].as_str());
    assert_eq!(india.speakers[0].slug, "sergey-lavrov");
    assert_eq!(india.segments[0].kind.as_str(), "question");
    assert_eq!(india.segments[1].speaker.as_deref(), Some("sergey-lavrov"));
    // Every paragraph of the row's text is in the statement, label aside.
    let text = row["text"].as_str().unwrap();
    let paragraphs: usize = india.segments.iter().map(|s| s.paragraphs.len()).sum();
    assert_eq!(
        paragraphs,
        text.split("\n\n").filter(|p| !p.trim().is_empty()).count()
    );

    let russian = by_number(&all, "230-22-02-2022");
    assert_eq!(russian.language, "ru");
    assert_eq!(russian.languages, ["en", "ru"]);
    assert_eq!(russian.date, "2022-02-22".parse().ok());

    let old = by_number(&all, "131-23-01-2004");
    assert_eq!(old.date, "2004-01-23".parse().ok());
    assert_eq!(old.segments[0].speaker.as_deref(), Some("igor-ivanov"));

    // The row is kept as the source: its fields as a JSON object.
    let (format, content): (String, String) = with_pool(&db, async |pool| {
        sqlx::query_as(
            "SELECT format, content FROM sources JOIN statements ON pk = statement_pk
              WHERE source_number = '787-19-04-2022'",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    });
    assert_eq!(format, "row");
    let content: serde_json::Value = serde_json::from_str(&content).unwrap();
    assert_eq!(content["text"].as_str(), Some(text));
    assert_eq!(content["date"].as_str(), Some("19.04.2022"));
    assert_eq!(content["number"].as_str(), Some("787-19-04-2022"));
    assert_eq!(content["translations"].as_str(), Some("ru; en; fr; es"));
}

#[test]
fn research_rows_in_json_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let out = import(
        &db,
        &[
            &datasets().join("research.json"),
            &datasets().join("research.jsonl"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        last_line(&out),
        "imported 5, updated 0, unchanged 0, failed 0"
    );
    let err = stderr(&out);
    assert!(
        err.contains("research.jsonl:3: imported 2023-05-05-"),
        "{err}"
    );
    let all = statements(&db);
    // Rows 08 and 12 share title and URL but not date or text: two statements.
    let mut dates: Vec<String> = all
        .iter()
        .map(|s| s.date.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    dates.sort();
    assert_eq!(
        dates,
        [
            "2002-08-07",
            "2003-01-23",
            "2003-02-27",
            "2003-12-02",
            "2023-05-05"
        ]
    );
    // Row 01 has no date (`NA`): the title gives it; its number is the text's.
    let sco = by_number(&all, "867-05-05-2023");
    assert_eq!(sco.language, "ru");
    assert_eq!(
        sco.source_url.as_deref(),
        row_json("bikovoy_01_ru_midru_1867466")["url"].as_str()
    );
    assert!(all.iter().all(|s| s.source_url.is_some()));
}

#[test]
fn gzipped_files_read_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ministry.csv", "research.jsonl"] {
        let gz = dir.path().join(format!("{name}.gz"));
        let mut encoder = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        encoder
            .write_all(&std::fs::read(datasets().join(name)).unwrap())
            .unwrap();
        encoder.finish().unwrap();
    }
    let plain = dir.path().join("plain.db");
    let zipped = dir.path().join("zipped.db");
    let out = import(
        &plain,
        &[
            &datasets().join("ministry.csv"),
            &datasets().join("research.jsonl"),
        ],
    );
    assert_eq!(
        last_line(&out),
        "imported 6, updated 0, unchanged 0, failed 0"
    );
    // The folder walk takes the gzipped files.
    let out = import(&zipped, &[dir.path()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        last_line(&out),
        "imported 6, updated 0, unchanged 0, failed 0"
    );
    assert_eq!(statements(&plain), statements(&zipped));

    // A truncated gzip: the rows before the break are imported, the break is reported
    // as a failure of the row being read.
    let whole = std::fs::read(dir.path().join("ministry.csv.gz")).unwrap();
    let cut = dir.path().join("cut.csv.gz");
    std::fs::write(&cut, &whole[..whole.len() - 20]).unwrap();
    let out = import(&dir.path().join("cut.db"), &[&cut]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cut.csv.gz:2: imported"), "{err}");
    assert!(err.contains("cut.csv.gz:3: "), "{err}");
    assert_eq!(
        last_line(&out),
        "imported 2, updated 0, unchanged 0, failed 1"
    );
}

#[test]
fn bad_rows_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let file = datasets().join("malformed.csv");
    let out = import(&db, &[&file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        last_line(&out),
        "imported 2, updated 0, unchanged 0, failed 3"
    );
    let name = file.display().to_string();
    let err = stderr(&out);
    for line in [
        format!("{name}:2: missing text"),
        format!("{name}:3: 7 fields where the header has 5 (bad quoting?)"),
        format!("{name}:4: unparsable date \"sometime in 2003\""),
    ] {
        assert!(err.lines().any(|l| l == line), "no {line:?} in\n{err}");
    }
    let dates: Vec<_> = statements(&db).iter().map(|s| s.date).collect();
    assert!(dates.contains(&"2003-03-03".parse().ok()));
    assert!(dates.contains(&"2003-03-07".parse().ok()));

    // JSON Lines: a line that is not JSON, an object without text.
    let jsonl = dir.path().join("bad.jsonl");
    std::fs::write(
        &jsonl,
        "{\"title\": \"A statement\", \"text\": \"Russia calls for restraint.\", \"date\": \"2003-03-06\"}\n\
         {\"title\": \"No text\"}\n\
         {\"text\": \"cut off\n",
    )
    .unwrap();
    let out = import(&dir.path().join("d.db"), &[&jsonl]);
    assert_eq!(
        last_line(&out),
        "imported 1, updated 0, unchanged 0, failed 2"
    );
    let err = stderr(&out);
    assert!(err.contains("bad.jsonl:2: missing text"), "{err}");
    assert!(err.contains("bad.jsonl:3: not JSON"), "{err}");
}

#[test]
fn folders_take_dataset_files_and_pass_over_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let out = import(&db, &[&datasets()]);
    let err = stderr(&out);
    // ministry 3 + research 2 + 3 + malformed 2 good, 3 bad; README.md ignored; the
    // file of unknown columns passed over with a message; the export's one line is not
    // a whole statement (no anchors): a bad row.
    assert_eq!(
        last_line(&out),
        "imported 10, updated 0, unchanged 0, failed 4"
    );
    assert!(!err.contains("README"), "{err}");
    assert!(
        err.contains("export.jsonl:1: not an exported statement: missing field `anchor`"),
        "{err}"
    );
    assert!(err.contains("mapped.csv: skipped: no text column"), "{err}");

    // Named on the command line, the same files fail.
    let out = import(
        &dir.path().join("f.db"),
        &[
            &datasets().join("export.jsonl"),
            &datasets().join("mapped.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        last_line(&out),
        "imported 0, updated 0, unchanged 0, failed 2"
    );
    assert!(stderr(&out).contains("export.jsonl:1: not an exported statement"));
}

#[test]
fn map_names_the_columns_of_another_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    let file = datasets().join("mapped.csv");
    let out = communique(
        &db,
        &[
            "import",
            "--map",
            "title=headline,text=body,date=published,url=link,number=doc_no,translations=langs,language=lang,speaker=who",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        last_line(&out),
        "imported 1, updated 0, unchanged 0, failed 0"
    );
    let all = statements(&db);
    let s = by_number(&all, "1401-08-07-2022");
    let row = row_json("bikovoy_07_ru_midru_1821243");
    assert_eq!(s.title.as_deref(), row["title"].as_str());
    assert_eq!(s.date, "2022-07-08".parse().ok());
    assert_eq!(s.language, "ru");
    assert_eq!(s.languages, ["en", "ru"]);
    assert_eq!(
        s.source_url.as_deref(),
        Some("https://www.mid.ru/ru/foreign_policy/news/1821243/")
    );
    assert_eq!(s.speakers[0].slug, "sergey-lavrov");
    assert_eq!(
        s.forums.iter().map(|f| f.slug.as_str()).collect::<Vec<_>>(),
        ["g20"]
    );

    // An unknown field is a usage error.
    let out = communique(
        &db,
        &["import", "--map", "body=text", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown field"), "{}", stderr(&out));
}

#[test]
fn reimport_is_unchanged_and_reparse_reproduces_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let files = [
        datasets().join("ministry.csv"),
        datasets().join("research.json"),
    ];
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    assert_eq!(
        last_line(&import(&db, &files)),
        "imported 5, updated 0, unchanged 0, failed 0"
    );
    let before = statements(&db);
    let again = import(&db, &files);
    assert!(again.status.success());
    assert_eq!(
        last_line(&again),
        "imported 0, updated 0, unchanged 5, failed 0"
    );
    let reparse = communique(&db, &["reparse"]);
    assert!(reparse.status.success(), "{}", stderr(&reparse));
    assert_eq!(
        last_line(&reparse),
        "reparsed 5, changed 0, unchanged 5, failed 0"
    );
    assert_eq!(statements(&db), before);

    // A re-parse reads the stored row, not the file: edit the stored row's date
    // (the text does not give one for this statement) and the statement follows it.
    with_pool(&db, async |pool| {
        sqlx::query(
            "UPDATE sources SET content = json_set(content, '$.date', '24.01.2004')
              WHERE statement_pk = (SELECT pk FROM statements WHERE source_number = '131-23-01-2004')",
        )
        .execute(pool)
        .await
        .unwrap();
    });
    let reparse = communique(&db, &["reparse"]);
    let after = statements(&db);
    let old = by_number(&after, "131-23-01-2004");
    // The title's date (January 23, 2004) wins over the row's: the row only fills gaps.
    assert_eq!(old.date, "2004-01-23".parse().ok());
    assert_eq!(
        last_line(&reparse),
        "reparsed 5, changed 0, unchanged 5, failed 0"
    );
    with_pool(&db, async |pool| {
        sqlx::query(
            "UPDATE sources SET content = json_set(content, '$.url', 'https://example.org/moved')
              WHERE statement_pk = (SELECT pk FROM statements WHERE source_number = '131-23-01-2004')",
        )
        .execute(pool)
        .await
        .unwrap();
    });
    let reparse = communique(&db, &["reparse"]);
    assert_eq!(
        last_line(&reparse),
        "reparsed 5, changed 1, unchanged 4, failed 0"
    );
    let after = statements(&db);
    let old = by_number(&after, "131-23-01-2004");
    assert_eq!(old.source_url.as_deref(), Some("https://example.org/moved"));
    assert_eq!(old.id, by_number(&before, "131-23-01-2004").id);
}

/// The page save of `name` with a document-number line under its title.
fn page_with_number(dir: &Path, name: &str, number: &str) -> PathBuf {
    let page = std::fs::read_to_string(fixture(&format!("real/{name}.page.txt"))).unwrap();
    let (title, body) = page.split_once("\n\n").unwrap();
    let path = dir.join(format!("{name}-{number}.txt"));
    std::fs::write(&path, format!("{title}\n\n{number}\n\n{body}")).unwrap();
    path
}

#[test]
fn a_row_and_a_page_save_of_one_document_are_one_statement() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let page = page_with_number(&pages, "bikovoy_05_en_midru_1810023", "787-19-04-2022");
    let csv = datasets().join("ministry.csv");

    // Page first, then the dataset: the row updates or leaves the page's statement.
    let db = dir.path().join("i.db");
    let out = import(&db, &[&page]);
    assert_eq!(
        last_line(&out),
        "imported 1, updated 0, unchanged 0, failed 0"
    );
    let id = statements(&db)[0].id.clone();
    let out = import(&db, &[&csv]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = last_line(&out);
    assert!(
        line == "imported 2, updated 1, unchanged 0, failed 0"
            || line == "imported 2, updated 0, unchanged 1, failed 0",
        "{line}"
    );
    let all = statements(&db);
    assert_eq!(all.len(), 3);
    assert_eq!(by_number(&all, "787-19-04-2022").id, id);

    // Dataset first, then the page: the same.
    let db = dir.path().join("j.db");
    import(&db, &[&csv]);
    let id = by_number(&statements(&db), "787-19-04-2022").id.clone();
    let out = import(&db, &[&page]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        last_line(&out).starts_with("imported 0,"),
        "{}",
        last_line(&out)
    );
    let all = statements(&db);
    assert_eq!(all.len(), 3);
    assert_eq!(by_number(&all, "787-19-04-2022").id, id);

    // Another number is another statement, whatever else matches.
    let other = page_with_number(&pages, "bikovoy_05_en_midru_1810023", "999-19-04-2022");
    let out = import(&db, &[&other]);
    assert_eq!(
        last_line(&out),
        "imported 1, updated 0, unchanged 0, failed 0"
    );
    assert_eq!(statements(&db).len(), 4);
}
