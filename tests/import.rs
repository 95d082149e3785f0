//! The archive's writes and identity rules, and `communique import/reparse/remove`.

use chrono::NaiveDate;
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
    let undated_number = sample(
        "2021-03-03-c",
        Some("Talks, Moscow, March 3, 2021"),
        Some("2021-03-03"),
        None,
    );
    let (_, c) = put(&pool, &undated_number, "e.txt").await;
    let mut retitled = sample(
        "2021-03-03-c",
        Some("TALKS — Moscow; March 3 2021"),
        Some("2021-03-03"),
        None,
    );
    retitled.segments[1]
        .paragraphs
        .push("One more paragraph.".into());
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
