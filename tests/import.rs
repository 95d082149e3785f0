//! The archive's writes and identity rules, and `communique import/reparse/remove`.

use chrono::NaiveDate;
use communique::db::store::Keys;
use communique::db::{self, store};
use communique::import::{self, Outcome};
use communique::model::{ForumRef, Kind, Segment, SegmentKind, SpeakerRef, Statement};
use sqlx::SqlitePool;
use tempfile::TempDir;

/// A fresh archive in a temporary folder (dropped with the folder).
async fn temp_db() -> (TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::connect(dir.path().join("test.db")).await.unwrap();
    (dir, pool)
}

fn turn(n: u32, kind: SegmentKind, speaker: Option<&str>, text: &[&str]) -> Segment {
    let exchange = matches!(kind, SegmentKind::Question | SegmentKind::Answer).then_some(1);
    Segment {
        n,
        kind,
        speaker: speaker.map(str::to_string),
        label: speaker.map(|_| "Sergey Lavrov".to_string()),
        note: None,
        exchange,
        anchor: match kind {
            SegmentKind::Question => "q1".into(),
            SegmentKind::Answer => "a1".into(),
            SegmentKind::Remarks => format!("r{n}"),
            SegmentKind::Heading => format!("h{n}"),
        },
        title: None,
        paragraphs: text.iter().map(|p| p.to_string()).collect(),
    }
}

/// A statement as the parser would give it, with every kind of part filled.
fn sample(id: &str, title: Option<&str>, date: Option<&str>, number: Option<&str>) -> Statement {
    Statement {
        id: id.to_string(),
        title: title.map(str::to_string),
        date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        time: Some("11:50".into()),
        place: Some("Almaty".into()),
        kind: Kind::Answers,
        language: "en".into(),
        languages: vec!["en".into(), "ru".into()],
        source_number: number.map(str::to_string),
        source_url: None,
        forums: vec![ForumRef {
            slug: "csto".into(),
            acronym: "CSTO".into(),
            name: "Collective Security Treaty Organization".into(),
        }],
        speakers: vec![SpeakerRef {
            slug: "sergey-lavrov".into(),
            name: "Sergey Lavrov".into(),
        }],
        tags: vec![
            "NATO (North Atlantic Treaty Organization)".into(),
            "Kazakhstan".into(),
        ],
        segments: vec![
            turn(
                1,
                SegmentKind::Question,
                None,
                &["What is the focal point of the statement?"],
            ),
            turn(
                2,
                SegmentKind::Answer,
                Some("sergey-lavrov"),
                &[
                    "Indeed, the ministers adopted a statement.",
                    "The statement is urging restraint.",
                ],
            ),
        ],
    }
}

fn text_source(name: &str) -> store::Source {
    store::Source::text(Some(name.to_string()), format!("the page saved as {name}"))
}

async fn put(pool: &SqlitePool, statement: &Statement, file: &str) -> (Outcome, String) {
    let mut conn = pool.acquire().await.unwrap();
    import::store_statement(&mut conn, statement, &text_source(file))
        .await
        .unwrap()
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_stored_statement_loads_back_exactly() {
    let (_dir, pool) = temp_db().await;
    let mut statement = sample(
        "2018-06-11-answers-csto",
        Some("Foreign Minister Sergey Lavrov’s answers, Almaty, June 11, 2018"),
        Some("2018-06-11"),
        None,
    );
    statement.segments.push(Segment {
        n: 3,
        kind: SegmentKind::Heading,
        speaker: None,
        label: None,
        note: Some("a note".into()),
        exchange: None,
        anchor: "h1".into(),
        title: Some("Back to contents".into()),
        paragraphs: vec![],
    });
    let (outcome, id) = put(&pool, &statement, "a.txt").await;
    assert_eq!(
        (outcome, id.as_str()),
        (Outcome::Imported, "2018-06-11-answers-csto")
    );
    let loaded = store::load_statement(&pool, &id).await.unwrap();
    assert_eq!(loaded.as_ref(), Some(&statement));

    // Nothing is null that can be empty: a bare statement loads with empty lists.
    let bare = Statement {
        forums: vec![],
        speakers: vec![],
        tags: vec![],
        segments: vec![],
        languages: vec![],
        title: None,
        date: None,
        time: None,
        place: None,
        ..sample("undated", None, None, None)
    };
    let (_, id) = put(&pool, &bare, "b.txt").await;
    assert_eq!(store::load_statement(&pool, &id).await.unwrap(), Some(bare));
    assert_eq!(
        store::load_statement(&pool, "no-such-id").await.unwrap(),
        None
    );
}

/// Inside a deferring transaction, turns and titles written, rewritten and deleted
/// before the commit reach the indexes exactly as they stand at the commit.
#[tokio::test]
async fn deferred_indexing_indexes_what_stands_at_the_commit() {
    let (_dir, pool) = temp_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let source = store::PackedSource::pack(&text_source("a.txt")).unwrap();
    let mut first = sample(
        "a",
        Some("Remarks on the Caspian summit"),
        Some("2020-01-01"),
        None,
    );
    let kept = sample(
        "b",
        Some("Answers on the Arctic Council"),
        Some("2020-02-02"),
        None,
    );
    let gone = sample(
        "c",
        Some("Statement on the Danube"),
        Some("2020-03-03"),
        None,
    );

    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .unwrap();
    store::defer_indexing(&mut *conn).await.unwrap();
    let pk = store::insert_statement_unguarded(&mut conn, "a", &first, &Keys::of(&first), &source)
        .await
        .unwrap();
    store::insert_statement_unguarded(&mut conn, "b", &kept, &Keys::of(&kept), &source)
        .await
        .unwrap();
    store::insert_statement_unguarded(&mut conn, "c", &gone, &Keys::of(&gone), &source)
        .await
        .unwrap();
    // Nothing is indexed yet: the turns are only listed.
    let listed: i64 = sqlx::query_scalar("SELECT count(*) FROM fts_deferred")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(listed, 3 + 3 * 2);
    first.title = Some("Remarks on the Volga summit".into());
    first.segments[1].paragraphs = vec!["The ministers spoke of the Volga.".into()];
    store::replace_statement(&mut conn, pk, &first, &Keys::of(&first), None)
        .await
        .unwrap();
    assert!(store::delete_statement(&mut conn, "c").await.unwrap());
    store::index_deferred(&mut *conn).await.unwrap();
    sqlx::raw_sql("COMMIT").execute(&mut *conn).await.unwrap();
    drop(conn);

    assert_eq!(count(&pool, "SELECT count(*) FROM fts_deferred").await, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM fts_defer").await, 0);
    assert_fts_in_sync(&pool).await;
    assert_eq!(matches(&pool, "Volga").await, 1);
    assert_eq!(matches(&pool, "restraint").await, 1);
    for (title, hits) in [("Volga", 1), ("Arctic", 1), ("Caspian", 0), ("Danube", 0)] {
        let found = count_bound(
            &pool,
            "SELECT count(*) FROM titles_fts WHERE titles_fts MATCH ?1",
            title,
        )
        .await;
        assert_eq!(found, hits, "{title}");
    }

    // Outside a deferring transaction the triggers index at once, as before.
    let mut later = sample(
        "d",
        Some("Briefing on the Baltic"),
        Some("2021-01-01"),
        None,
    );
    later.segments[1].paragraphs = vec!["Restraint is needed on the Baltic.".into()];
    assert_eq!(put(&pool, &later, "d.txt").await.0, Outcome::Imported);
    assert_eq!(count(&pool, "SELECT count(*) FROM fts_deferred").await, 0);
    assert_eq!(matches(&pool, "restraint").await, 2);
    assert_fts_in_sync(&pool).await;
}

#[tokio::test]
async fn colliding_ids_get_numbered_suffixes() {
    let (_dir, pool) = temp_db().await;
    let titles = ["Remarks one", "Remarks two", "Remarks three"];
    let mut ids = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let statement = sample("2020-01-01-remarks", Some(title), Some("2020-01-01"), None);
        let mut statement = statement;
        statement.segments[1].paragraphs = vec![format!("Different text {i}.")];
        ids.push(put(&pool, &statement, "x.txt").await.1);
    }
    assert_eq!(
        ids,
        [
            "2020-01-01-remarks",
            "2020-01-01-remarks-2",
            "2020-01-01-remarks-3"
        ]
    );
}

#[tokio::test]
async fn identity_by_number_title_and_text() {
    let (_dir, pool) = temp_db().await;
    let first = sample(
        "2020-01-01-a",
        Some("Title A"),
        Some("2020-01-01"),
        Some("1-01-01-2020"),
    );
    let (_, id) = put(&pool, &first, "a.txt").await;

    // Same number, everything else changed: the same statement, updated under its id.
    let mut renamed = sample(
        "2020-02-02-b",
        Some("Title B"),
        Some("2020-02-02"),
        Some("1-01-01-2020"),
    );
    renamed.segments[0].paragraphs = vec!["A new question?".into()];
    assert_eq!(
        put(&pool, &renamed, "b.txt").await,
        (Outcome::Updated, id.clone())
    );
    let loaded = store::load_statement(&pool, &id).await.unwrap().unwrap();
    assert_eq!(loaded.title.as_deref(), Some("Title B"));
    assert_fts_in_sync(&pool).await;

    // Same text and title, but another number: never the same statement.
    let other = sample(
        "2020-02-02-b",
        Some("Title B"),
        Some("2020-02-02"),
        Some("2-01-01-2020"),
    );
    let (outcome, other_id) = put(&pool, &other, "c.txt").await;
    assert_eq!(outcome, Outcome::Imported);
    assert_ne!(other_id, id);

    // Same text in another language: another statement.
    let mut russian = renamed.clone();
    russian.language = "ru".into();
    assert_eq!(put(&pool, &russian, "d.txt").await.0, Outcome::Imported);

    // Same date and title up to punctuation and case, no numbers: the same statement.
    let mut undated_number = sample(
        "2021-03-03-c",
        Some("Talks, Moscow, March 3, 2021"),
        Some("2021-03-03"),
        None,
    );
    undated_number.segments[1].paragraphs = vec!["The talks were useful.".into()];
    let (_, c) = put(&pool, &undated_number, "e.txt").await;
    let mut retitled = sample(
        "2021-03-03-c",
        Some("TALKS — Moscow; March 3 2021"),
        Some("2021-03-03"),
        None,
    );
    retitled.segments[1].paragraphs = vec![
        "The talks were useful.".into(),
        "One more paragraph.".into(),
    ];
    assert_eq!(
        put(&pool, &retitled, "f.txt").await,
        (Outcome::Updated, c.clone())
    );

    // The same text again: unchanged, nothing written.
    let generation = store::generation(&pool).await.unwrap();
    assert_eq!(
        put(&pool, &retitled, "g.txt").await,
        (Outcome::Unchanged, c)
    );
    assert_eq!(store::generation(&pool).await.unwrap(), generation);
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 4);
}

#[tokio::test]
async fn two_statements_found_to_be_one_merge_into_the_older() {
    let (_dir, pool) = temp_db().await;
    // A page without its number line, then the same statement's text saved under another
    // title with its number: two statements, nothing links them yet.
    let mut old = sample(
        "2019-05-05-talks",
        Some("Talks with the minister"),
        Some("2019-05-05"),
        None,
    );
    old.segments[1].paragraphs = vec!["First version of the text.".into()];
    let (_, old_id) = put(&pool, &old, "old.txt").await;
    let mut new = sample(
        "2019-05-05-press",
        Some("Press conference"),
        Some("2019-05-05"),
        Some("9-05-05-2019"),
    );
    new.segments[1].paragraphs = vec!["Second version of the text.".into()];
    let (outcome, new_id) = put(&pool, &new, "new.txt").await;
    assert_eq!(outcome, Outcome::Imported);
    // A third page with the number and the first page's title and date bridges them.
    let mut bridge = new.clone();
    bridge.title = old.title.clone();
    bridge.segments[1].paragraphs = vec!["Final version of the text.".into()];
    assert_eq!(
        put(&pool, &bridge, "bridge.txt").await,
        (Outcome::Updated, old_id.clone())
    );

    assert_eq!(
        store::resolve_alias(&pool, &new_id).await.unwrap(),
        Some(old_id.clone())
    );
    assert_eq!(store::load_statement(&pool, &new_id).await.unwrap(), None);
    let merged = store::load_statement(&pool, &old_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(merged.source_number.as_deref(), Some("9-05-05-2019"));
    assert_eq!(
        merged.segments[1].paragraphs,
        ["Final version of the text."]
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM segments").await, 2);
    // The merged id is not handed out again.
    let mut again = sample(
        "2019-05-05-press",
        Some("Something else"),
        Some("2019-05-05"),
        None,
    );
    again.segments[1].paragraphs = vec!["Unrelated.".into()];
    assert_eq!(
        put(&pool, &again, "again.txt").await.1,
        "2019-05-05-press-2"
    );

    // Removing the survivor removes its aliases.
    let unknown = import::remove(&pool, &[old_id.clone(), "nope".into()])
        .await
        .unwrap();
    assert_eq!(unknown, ["nope"]);
    assert_eq!(store::resolve_alias(&pool, &new_id).await.unwrap(), None);
}

// ---------------------------------------------------------------------------------------
// Importing real page saves (the sample corpus), in process and through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use communique::import::{ImportOptions, Summary};
use communique::registry::Registry;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn seed(name: &str) -> String {
    std::fs::read_to_string(corpus().join(name)).unwrap()
}

/// The Minsk press conference: it has a document number, a title with place and date.
const MINSK: &str = "002_50d26956223dd4d0.txt";

/// Runs the `communique` binary.
fn communique(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .env("COMMUNIQUE_DB", db)
        .env_remove("COMMUNIQUE_REGISTRY")
        .output()
        .unwrap()
}

#[track_caller]
fn last_line(output: &Output) -> String {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    stdout.lines().last().unwrap_or_default().to_string()
}

async fn import(pool: &SqlitePool, paths: &[&Path]) -> Summary {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    import::import_paths(pool, &paths, &Registry::builtin(), &ImportOptions::quiet())
        .await
        .unwrap()
}

fn summary(imported: u64, updated: u64, unchanged: u64, failed: u64) -> Summary {
    Summary {
        imported,
        updated,
        unchanged,
        failed,
    }
}

/// Every row of every table, in a stable order: equal dumps mean equal archives.
async fn dump(pool: &SqlitePool) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND name NOT LIKE '%fts%' AND name NOT LIKE '%plain%' AND name != '_sqlx_migrations'
          ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = String::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>();
        let order = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>();
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT {} FROM \"{table}\" ORDER BY {}",
            row.join(" || '|' || "),
            order.join(", ")
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        out.push_str(&format!("{table}\n{}\n", rows.join("\n")));
    }
    out
}

/// Checks both full-text indexes of turns and titles against their content tables.
async fn assert_fts_in_sync(pool: &SqlitePool) {
    for table in [
        "segments_fts",
        "segments_plain",
        "titles_fts",
        "titles_plain",
    ] {
        sqlx::query(&format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"
        ))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{table} out of sync: {e}"));
    }
    // Search's narrow copy of each turn's metadata, statement date and year included.
    let drift = count(
        pool,
        "SELECT (SELECT count(*) FROM (
                   SELECT rowid, statement_pk, kind, speaker, year, date FROM segment_meta
                   EXCEPT SELECT s.rowid, s.statement_pk, s.kind, s.speaker, st.year, st.date
                     FROM segments s JOIN statements st ON st.pk = s.statement_pk))
              + (SELECT count(*) FROM segments) - (SELECT count(*) FROM segment_meta)",
    )
    .await;
    assert_eq!(drift, 0, "segment_meta out of sync with segments");
}

async fn matches(pool: &SqlitePool, query: &str) -> i64 {
    count_bound(
        pool,
        "SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?1",
        query,
    )
    .await
}

async fn count_bound(pool: &SqlitePool, sql: &str, value: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(value)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn id_of_file(pool: &SqlitePool, file: &str) -> String {
    sqlx::query_scalar(
        "SELECT s.id FROM statements s JOIN sources src ON src.statement_pk = s.pk
          WHERE src.file_name = ?1",
    )
    .bind(file)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[test]
fn importing_the_corpus_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();

    let first = communique(&["import", corpus], &db);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        last_line(&first),
        "imported 5, updated 0, unchanged 0, failed 0"
    );
    // Per-file lines go to stderr, never to stdout.
    assert_eq!(String::from_utf8_lossy(&first.stdout).lines().count(), 1);
    assert_eq!(String::from_utf8_lossy(&first.stderr).lines().count(), 5);

    let rt = tokio::runtime::Runtime::new().unwrap();
    let before = rt.block_on(async { dump(&db::connect(&db).await.unwrap()).await });
    let second = communique(&["import", corpus], &db);
    assert!(second.status.success());
    assert_eq!(
        last_line(&second),
        "imported 0, updated 0, unchanged 5, failed 0"
    );
    rt.block_on(async {
        let pool = db::connect(&db).await.unwrap();
        assert_eq!(dump(&pool).await, before);
        // The README beside the pages was not taken for a statement.
        assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 5);
        assert_fts_in_sync(&pool).await;
    });
}

#[test]
fn bad_files_are_reported_and_skipped_and_the_status_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("a.txt"), seed(MINSK)).unwrap();
    std::fs::write(pages.join("b.txt"), "  \n\n ").unwrap();
    std::fs::write(pages.join("c.txt"), b"\x00\x01binary\x00").unwrap();
    std::fs::write(pages.join("d.txt"), seed("003_e563b7151c10cdad.txt")).unwrap();
    std::fs::write(pages.join("notes.md"), "not a page").unwrap();
    let missing = dir.path().join("missing.txt");
    // A file named on the command line is read whatever its name.
    let named = dir.path().join("page.html");
    std::fs::write(&named, seed("000_25f760081960ba59.txt")).unwrap();

    let output = communique(
        &[
            "import",
            pages.to_str().unwrap(),
            missing.to_str().unwrap(),
            named.to_str().unwrap(),
        ],
        &db,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        last_line(&output),
        "imported 3, updated 0, unchanged 0, failed 3"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}: empty", pages.join("b.txt").display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: binary", pages.join("c.txt").display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: ", missing.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("notes.md"), "{stderr}");
}

/// An import ends with its pages in the database file itself, not only in the log:
/// read as an immutable file (the log ignored), the archive already holds them all,
/// while the pool that imported them is still open.
#[tokio::test]
async fn an_import_leaves_the_database_file_whole() {
    let (dir, pool) = temp_db().await;
    assert_eq!(import(&pool, &[&corpus()]).await, summary(5, 0, 0, 0));
    let file = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join("test.db"))
        .immutable(true)
        .read_only(true);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&file)
        .await
        .unwrap();
    let (statements, turns, indexed): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM statements), (SELECT count(*) FROM segments),
                (SELECT count(*) FROM segments_fts WHERE segments_fts MATCH 'INF')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(statements, 5);
    assert_eq!(turns, count(&pool, "SELECT count(*) FROM segments").await);
    assert_eq!(indexed, matches(&pool, "INF").await);
    assert!(indexed > 0);
}

#[tokio::test]
async fn a_changed_file_updates_its_statement_under_the_same_id() {
    let (dir, pool) = temp_db().await;
    let file = dir.path().join("minsk.txt");
    let page = seed(MINSK);
    std::fs::write(&file, &page).unwrap();
    assert_eq!(import(&pool, &[&file]).await, summary(1, 0, 0, 0));
    let id = id_of_file(&pool, "minsk.txt").await;
    let before = store::load_statement(&pool, &id).await.unwrap().unwrap();
    assert_eq!(matches(&pool, "Aleinik").await, 1);

    // The publisher corrects a name, and the title (the id's source) changes too.
    let edited = page
        .replace("Sergei Aleinik", "Sergei Zaleinikov")
        .replace("joint news conference", "joint press conference");
    assert_ne!(edited, page);
    std::fs::write(&file, &edited).unwrap();
    let generation = store::generation(&pool).await.unwrap();
    assert_eq!(import(&pool, &[&file]).await, summary(0, 1, 0, 0));
    assert!(store::generation(&pool).await.unwrap() > generation);

    assert_eq!(id_of_file(&pool, "minsk.txt").await, id);
    let after = store::load_statement(&pool, &id).await.unwrap().unwrap();
    assert_eq!(after.id, id);
    assert_ne!(after, before);
    assert!(after
        .title
        .as_deref()
        .unwrap()
        .contains("joint press conference"));
    // The source kept is the new file's text, and the index follows the text.
    let sources = store::sources_after(&pool, 0, 10).await.unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].source.content, edited);
    // Stored compressed: a page save is mostly words that repeat.
    let (codec, size): (String, i64) =
        sqlx::query_as("SELECT codec, length(CAST(content AS BLOB)) FROM sources")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(codec, "deflate");
    assert!(
        (size as usize) < edited.len() / 2,
        "{size} of {}",
        edited.len()
    );
    assert_eq!(matches(&pool, "Aleinik").await, 0);
    assert_eq!(matches(&pool, "Zaleinikov").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 1);
    assert_fts_in_sync(&pool).await;
}

#[tokio::test]
async fn one_document_under_two_file_names_is_one_statement() {
    let (dir, pool) = temp_db().await;
    let page = seed(MINSK);
    std::fs::write(dir.path().join("a.txt"), &page).unwrap();
    // Saved again: another name, a BOM, Windows line ends, non-breaking spaces.
    let resaved = format!(
        "\u{feff}{}",
        page.replace('\n', "\r\n")
            .replace("Minsk, ", "Minsk,\u{a0}")
    );
    std::fs::write(dir.path().join("b.txt"), resaved).unwrap();
    assert_eq!(import(&pool, &[dir.path()]).await, summary(1, 0, 1, 0));
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 1);
    // The statement keeps the source it was first imported from.
    assert_eq!(
        id_of_file(&pool, "a.txt").await,
        id_of_file(&pool, "a.txt").await
    );
}

#[tokio::test]
async fn two_saves_that_prove_one_statement_merge_into_the_older_id() {
    let (dir, pool) = temp_db().await;
    let page = seed(MINSK);
    let number = "676-12-04-2024\n";
    assert!(page.contains(number));
    // An early save without the number line, its opening address still a draft.
    let early = page
        .replace(number, "")
        .replacen("Colleagues,", "Dear colleagues,", 1);
    // A later save with the number, under a shorter title and with a line more.
    let title_end = "following the CIS Council of Foreign Ministers, Minsk, April 12, 2024";
    assert!(page.contains(title_end));
    let later = page
        .replace(
            "Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev make remarks and reply to questions at a joint news conference ",
            "Joint news conference of Sergey Lavrov and Sergey Lebedev ",
        )
        .replacen("Colleagues,", "Colleagues, good afternoon,", 1);
    assert_ne!(later, page);
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let (early, later, full) = (
        write("early.txt", &early),
        write("later.txt", &later),
        write("full.txt", &page),
    );

    assert_eq!(import(&pool, &[&early]).await, summary(1, 0, 0, 0));
    assert_eq!(import(&pool, &[&later]).await, summary(1, 0, 0, 0));
    let early_id = id_of_file(&pool, "early.txt").await;
    let later_id = id_of_file(&pool, "later.txt").await;
    assert_ne!(early_id, later_id);

    // The full page has the early save's title and date and the later save's number.
    assert_eq!(import(&pool, &[&full]).await, summary(0, 1, 0, 0));
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 1);
    assert_eq!(id_of_file(&pool, "full.txt").await, early_id);
    assert_eq!(
        store::resolve_alias(&pool, &later_id).await.unwrap(),
        Some(early_id.clone())
    );
    let merged = store::load_statement(&pool, &early_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(merged.source_number.as_deref(), Some("676-12-04-2024"));
    assert_eq!(matches(&pool, "afternoon").await, 0);
    assert_fts_in_sync(&pool).await;

    // Every save again: all are that one statement now.
    assert_eq!(import(&pool, &[&later, &early, &full]).await.failed, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 1);
}

#[tokio::test]
async fn reparse_keeps_every_id_and_applies_a_renamed_speaker() {
    let (dir, pool) = temp_db().await;
    assert_eq!(import(&pool, &[&corpus()]).await, summary(5, 0, 0, 0));
    // An earlier version of the parser derived other ids: they stay.
    sqlx::query("UPDATE statements SET id = 'legacy-' || pk")
        .execute(&pool)
        .await
        .unwrap();
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM statements ORDER BY pk")
        .fetch_all(&pool)
        .await
        .unwrap();

    let same = import::reparse(&pool, &Registry::builtin(), &ImportOptions::quiet())
        .await
        .unwrap();
    assert_eq!(
        (same.reparsed, same.changed, same.unchanged, same.failed),
        (5, 0, 5, 0)
    );

    let registry_file = dir.path().join("mine.toml");
    std::fs::write(
        &registry_file,
        "[[speaker]]\nslug = \"sergey-lavrov\"\nname = \"Sergei V. Lavrov\"\n",
    )
    .unwrap();
    let registry = Registry::load(Some(&registry_file)).unwrap();
    let lavrov = "SELECT count(*) FROM statement_speakers WHERE speaker = 'sergey-lavrov'";
    let with_lavrov = count(&pool, lavrov).await as u64;
    assert!(with_lavrov > 0);
    let renamed = import::reparse(&pool, &registry, &ImportOptions::quiet())
        .await
        .unwrap();
    assert_eq!(
        (renamed.reparsed, renamed.changed, renamed.failed),
        (5, with_lavrov, 0)
    );

    let after: Vec<String> = sqlx::query_scalar("SELECT id FROM statements ORDER BY pk")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(after, ids);
    let name: String = sqlx::query_scalar("SELECT name FROM speakers WHERE slug = 'sergey-lavrov'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Sergei V. Lavrov");
    for id in &after {
        let statement = store::load_statement(&pool, id).await.unwrap().unwrap();
        assert_eq!(&statement.id, id);
        assert!(statement.speakers.iter().all(|s| s.name != "Sergey Lavrov"));
    }
    assert_fts_in_sync(&pool).await;
}

/// Makes every write of a turn holding `text` fail, the way a full disk or a broken
/// constraint would, with SQLite's `action` (`ABORT`: the statement; `ROLLBACK`: the
/// whole transaction).
async fn fail_writes_of(pool: &SqlitePool, text: &str, action: &str) {
    sqlx::query(&format!(
        "CREATE TRIGGER fail_write BEFORE INSERT ON segments WHEN instr(new.body, '{text}') > 0
         BEGIN SELECT RAISE({action}, 'injected failure'); END"
    ))
    .execute(pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_write_failing_midway_leaves_no_half_statement() {
    for action in ["ABORT", "ROLLBACK"] {
        let (dir, pool) = temp_db().await;
        // The Minsk page's turns are written after its row, speakers and forums: the
        // failure comes in the middle of the statement.
        fail_writes_of(&pool, "Aleinik", action).await;
        let result = import(&pool, &[&corpus()]).await;
        assert_eq!(result, summary(4, 0, 0, 1), "{action}");
        assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 4);
        assert_eq!(count(&pool, "SELECT count(*) FROM sources").await, 4);
        assert_eq!(
            count(&pool, "SELECT count(*) FROM segments WHERE statement_pk NOT IN (SELECT pk FROM statements)").await,
            0
        );
        assert_eq!(count(&pool, "SELECT count(*) FROM statement_forums").await,
                   count(&pool, "SELECT count(*) FROM statement_forums sf JOIN statements s ON s.pk = sf.statement_pk").await);
        assert_eq!(
            count_bound(
                &pool,
                "SELECT count(*) FROM sources WHERE file_name = ?1",
                MINSK
            )
            .await,
            0
        );
        assert_fts_in_sync(&pool).await;

        // An update that fails leaves the stored version as it was.
        sqlx::query("DROP TRIGGER fail_write")
            .execute(&pool)
            .await
            .unwrap();
        let file = dir.path().join("minsk.txt");
        std::fs::write(&file, seed(MINSK)).unwrap();
        assert_eq!(import(&pool, &[&file]).await, summary(1, 0, 0, 0));
        let id = id_of_file(&pool, "minsk.txt").await;
        let before = dump(&pool).await;
        fail_writes_of(&pool, "Zaleinikov", action).await;
        std::fs::write(
            &file,
            seed(MINSK).replace("Sergei Aleinik", "Sergei Zaleinikov"),
        )
        .unwrap();
        // Another page, not in the archive yet: imported.
        let other = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/real/bikovoy_05_en_midru_1810023.page.txt");
        assert_eq!(
            import(&pool, &[&file, &other]).await,
            summary(1, 0, 0, 1),
            "{action}"
        );
        assert_eq!(id_of_file(&pool, "minsk.txt").await, id);
        assert_eq!(matches(&pool, "Aleinik").await, 1);
        assert_ne!(dump(&pool).await, before);
        assert_fts_in_sync(&pool).await;
    }
}

#[test]
fn remove_deletes_statements_with_their_index_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let output = communique(&["import", corpus().to_str().unwrap()], &db);
    assert!(output.status.success());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (id, word_hits) = rt.block_on(async {
        let pool = db::connect(&db).await.unwrap();
        let id = id_of_file(&pool, MINSK).await;
        (id, matches(&pool, "Aleinik").await)
    });
    assert_eq!(word_hits, 1);

    let output = communique(&["remove", &id, "no-such-statement"], &db);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_line(&output), "removed 1");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no-such-statement: no such statement")
    );
    rt.block_on(async {
        let pool = db::connect(&db).await.unwrap();
        assert_eq!(store::load_statement(&pool, &id).await.unwrap(), None);
        assert_eq!(matches(&pool, "Aleinik").await, 0);
        assert_eq!(
            count(
                &pool,
                "SELECT count(*) FROM titles_fts WHERE titles_fts MATCH 'Minsk'"
            )
            .await,
            0
        );
        assert_eq!(count(&pool, "SELECT count(*) FROM statements").await, 4);
        // Lebedev spoke only in the removed statement.
        assert_eq!(
            count(
                &pool,
                "SELECT count(*) FROM speakers WHERE slug = 'sergey-lebedev'"
            )
            .await,
            0
        );
        assert_fts_in_sync(&pool).await;
    });
    let output = communique(&["remove", &id], &db);
    assert_eq!(output.status.code(), Some(1));
}

#[tokio::test]
async fn a_page_save_and_its_bare_text_are_one_statement() {
    let (_dir, pool) = temp_db().await;
    // Ten real transcripts, each as a dataset row (`.json`: title, date, text, URL), as
    // the dataset stored its text (no title, often no date or number) and as a page
    // save with its title line: one statement each.
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    assert_eq!(import(&pool, &[&real]).await, summary(10, 0, 20, 0));
    // Each keeps the source it was first imported from: the row, met first in name order.
    assert_eq!(
        count(&pool, "SELECT count(*) FROM sources WHERE format = 'row'").await,
        10
    );
    assert_fts_in_sync(&pool).await;
}

/// Every fixture page reads back from the archive exactly as the parser gave it: each
/// turn's paragraphs, stored joined as one text, come back as the same list.
#[tokio::test]
async fn every_fixture_reads_back_as_parsed() {
    let (_dir, pool) = temp_db().await;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = Vec::new();
    for folder in ["real", "seeds", "variants"] {
        for entry in std::fs::read_dir(fixtures.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 30, "{} fixtures", files.len());
    let mut checked = 0;
    for file in &files {
        let parsed =
            communique::parse::parse_bytes(&std::fs::read(file).unwrap(), &Registry::builtin())
                .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let source = store::Source::text(
            Some(file.display().to_string()),
            std::fs::read_to_string(file).unwrap_or_default(),
        );
        let (outcome, id) = import::store_statement(&mut conn, &parsed, &source)
            .await
            .unwrap();
        drop(conn);
        if outcome == Outcome::Unchanged {
            continue; // a twin of a page already stored (a re-encoded copy)
        }
        let loaded = store::load_statement(&pool, &id).await.unwrap().unwrap();
        assert_eq!(
            loaded,
            Statement { id, ..parsed },
            "{} reads back changed",
            file.display()
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} fixtures compared");
}
