//! Citations through the router: the BibTeX and CSL-JSON downloads of statements and
//! exchanges (parsed back and checked field by field), their headers, and the plain
//! citation and download links on the pages. The archive is the sample corpus imported
//! by the real importer, plus two statements built to exercise escaping and edge cases.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use communique::db::store::{sync_registry, Source};
use communique::import::{import_paths, store_statement, ImportOptions};
use communique::model::{Kind, Segment, SegmentKind, SpeakerRef, Statement};
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::SqlitePool;
use tower::ServiceExt;

const BASE: &str = "https://archive.example.org";
const SPECIAL: &str = "2019-03-05-special-remarks";
const SPECIAL_TITLE: &str = r"Lavrov’s remarks on 50% & $5 #1 a_b {x} ~ ^ \ — Сергей Лавров";
const INTERVIEW: &str = "undated-interview-izvestia";
const PUBLISHER: &str = "Ministry of Foreign Affairs of the Russian Federation";

struct Archive {
    app: Router,
    pool: SqlitePool,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Archive {
    async fn get(&self, uri: &str) -> Reply {
        let request = Request::get(uri).body(Body::empty()).unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
        }
    }

    async fn ok(&self, uri: &str) -> Reply {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        r
    }
}

fn seg(
    n: u32,
    kind: SegmentKind,
    speaker: Option<&str>,
    label: Option<&str>,
    exchange: Option<u32>,
    anchor: &str,
    text: &str,
) -> Segment {
    Segment {
        n,
        kind,
        speaker: speaker.map(str::to_owned),
        label: label.map(str::to_owned),
        note: None,
        exchange,
        anchor: anchor.to_owned(),
        title: None,
        paragraphs: vec![text.to_owned()],
    }
}

fn person(slug: &str, name: &str) -> SpeakerRef {
    SpeakerRef {
        slug: slug.into(),
        name: name.into(),
    }
}

fn fixtures() -> Vec<Statement> {
    use SegmentKind::*;
    let (l, b) = (Some("sergey-lavrov"), Some("sergey-lebedev"));
    let q = Some("Question");
    vec![
        Statement {
            id: SPECIAL.into(),
            title: Some(SPECIAL_TITLE.into()),
            date: Some("2019-03-05".parse().unwrap()),
            time: Some("12:00".into()),
            place: Some("Moscow".into()),
            kind: Kind::Remarks,
            language: "en".into(),
            languages: vec!["en".into(), "ru".into()],
            source_number: Some("123-05-03-2019".into()),
            source_url: None,
            forums: vec![],
            speakers: vec![
                person("sergey-lavrov", "Sergey Lavrov"),
                person("sergey-lebedev", "Sergey Lebedev"),
            ],
            tags: vec![],
            segments: vec![
                seg(1, Remarks, l, None, None, "r1", "Good afternoon."),
                seg(2, Question, None, q, Some(1), "q1", "A question to both?"),
                seg(3, Answer, l, Some("Sergey Lavrov"), Some(1), "a1", "First."),
                seg(
                    4,
                    Answer,
                    b,
                    Some("Sergey Lebedev"),
                    Some(1),
                    "a1-2",
                    "Second.",
                ),
                seg(5, Question, None, q, Some(2), "q2", "And to the host?"),
                seg(6, Answer, None, Some("Answer"), Some(2), "a2", "Unnamed."),
            ],
        },
        Statement {
            id: INTERVIEW.into(),
            title: Some("Интервью С.В.Лаврова газете «Известия»".into()),
            date: None,
            time: None,
            place: None,
            kind: Kind::Interview,
            language: "ru".into(),
            languages: vec![],
            source_number: None,
            source_url: None,
            forums: vec![],
            speakers: vec![person("sergey-lavrov", "Сергей Лавров")],
            tags: vec![],
            segments: vec![
                seg(
                    1,
                    Question,
                    None,
                    Some("Вопрос"),
                    Some(1),
                    "q1",
                    "Как дела?",
                ),
                seg(2, Answer, l, Some("С.В.Лавров"), Some(1), "a1", "Хорошо."),
            ],
        },
    ]
}

async fn archive() -> Archive {
    let dir = tempfile::tempdir().unwrap();
    let pool = communique::db::connect(dir.path().join("archive.db"))
        .await
        .unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let summary = import_paths(
        &pool,
        &[corpus],
        &Registry::builtin(),
        &ImportOptions::quiet(),
    )
    .await
    .unwrap();
    assert_eq!((summary.imported, summary.failed), (5, 0));
    let mut conn = pool.acquire().await.unwrap();
    for s in fixtures() {
        let source = Source::text(Some(format!("{}.txt", s.id)), s.id.clone());
        let (_, id) = store_statement(&mut conn, &s, &source).await.unwrap();
        assert_eq!(id, s.id);
    }
    sync_registry(&mut conn, &Registry::builtin())
        .await
        .unwrap();
    drop(conn);
    let app = router(AppState::new(pool.clone(), Config::new(BASE)));
    Archive {
        app,
        pool,
        _dir: dir,
    }
}

/// One BibTeX entry read back: type, key and raw field values (braces included).
#[derive(Debug)]
struct BibEntry {
    kind: String,
    key: String,
    fields: BTreeMap<String, String>,
}

/// Whether the braces of a BibTeX value balance, `\{` and `\}` not counting.
fn balanced(value: &str) -> bool {
    let mut depth = 0i32;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Reads the one entry of a download, checking its syntax on the way.
#[track_caller]
fn parse_bib(text: &str) -> BibEntry {
    let mut lines = text.lines();
    let head = lines.next().expect("an entry");
    let (kind, key) = head
        .strip_prefix('@')
        .and_then(|h| h.strip_suffix(','))
        .and_then(|h| h.split_once('{'))
        .unwrap_or_else(|| panic!("bad entry head {head:?}"));
    assert!(
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c)),
        "bad key {key:?}"
    );
    let mut fields = BTreeMap::new();
    let mut closed = false;
    for line in lines {
        if line == "}" {
            closed = true;
            continue;
        }
        assert!(!closed, "text after the entry: {line:?}");
        let (name, value) = line
            .trim()
            .strip_suffix(',')
            .and_then(|l| l.split_once(" = "))
            .unwrap_or_else(|| panic!("bad field line {line:?}"));
        let value = value.trim().to_owned();
        assert!(balanced(&value), "unbalanced braces in {value:?}");
        assert!(
            value.starts_with('{') || value.chars().all(|c| c.is_ascii_lowercase()),
            "{name}: a value is braced or a macro, not {value:?}"
        );
        assert!(
            fields.insert(name.trim().to_owned(), value).is_none(),
            "{name} twice"
        );
    }
    assert!(closed, "entry not closed");
    BibEntry {
        kind: kind.to_owned(),
        key: key.to_owned(),
        fields,
    }
}

/// A BibTeX value back to text: outer braces off, escapes undone.
fn unbib(value: &str) -> String {
    let inner = value
        .strip_prefix("{{")
        .and_then(|v| v.strip_suffix("}}"))
        .or_else(|| value.strip_prefix('{').and_then(|v| v.strip_suffix('}')))
        .unwrap_or(value);
    inner
        .replace(r"\textasciitilde{}", "~")
        .replace(r"\textasciicircum{}", "^")
        .replace(r"\textbackslash{}", "\u{0}")
        .replace(r"\{", "{")
        .replace(r"\}", "}")
        .replace(r"\%", "%")
        .replace(r"\&", "&")
        .replace(r"\$", "$")
        .replace(r"\#", "#")
        .replace(r"\_", "_")
        .replace('\u{0}', "\\")
}

fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn statement_bibtex_is_exact_escaped_and_reads_back() {
    let a = archive().await;
    let r = a.ok(&format!("/statements/{SPECIAL}/cite.bib")).await;
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/x-bibtex; charset=utf-8"
    );
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"{SPECIAL}.bib\"")
    );
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    assert!(r.headers.get(header::ETAG).is_none());
    let want = format!(
        r"@misc{{{SPECIAL},
  author       = {{Lavrov, Sergey and Lebedev, Sergey}},
  title        = {{{{Lavrov’s remarks on 50\% \& \$5 \#1 a\_b \{{x\}} \textasciitilde{{}} \textasciicircum{{}} \textbackslash{{}} — Сергей Лавров}}}},
  date         = {{2019-03-05}},
  year         = {{2019}},
  month        = mar,
  address      = {{Moscow}},
  organization = {{{PUBLISHER}}},
  howpublished = {{{PUBLISHER}}},
  type         = {{Remarks}},
  langid       = {{english}},
  url          = {{{BASE}/statements/{SPECIAL}}},
  urldate      = {{{}}},
  note         = {{Document 123-05-03-2019}},
}}
",
        today()
    );
    assert_eq!(r.body, want);
    let entry = parse_bib(&r.body);
    assert_eq!((entry.kind.as_str(), entry.key.as_str()), ("misc", SPECIAL));
    assert_eq!(unbib(&entry.fields["title"]), SPECIAL_TITLE);
}

#[tokio::test]
async fn exchange_bibtex_is_by_the_answerers_or_the_ministry() {
    let a = archive().await;
    let r = a
        .ok(&format!("/statements/{SPECIAL}/answers/1/cite.bib"))
        .await;
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"{SPECIAL}-answer-1.bib\"")
    );
    let e = parse_bib(&r.body);
    assert_eq!(e.key, format!("{SPECIAL}:answer-1"));
    assert_eq!(e.fields["author"], "{Lavrov, Sergey and Lebedev, Sergey}");
    assert_eq!(
        unbib(&e.fields["title"]),
        format!("{SPECIAL_TITLE} — answer 1")
    );
    assert_eq!(
        e.fields["url"],
        format!("{{{BASE}/statements/{SPECIAL}/answers/1}}")
    );
    // An unnamed host's answer is the ministry's, as one corporate author.
    let e = parse_bib(
        &a.ok(&format!("/statements/{SPECIAL}/answers/2/cite.bib"))
            .await
            .body,
    );
    assert_eq!(e.fields["author"], format!("{{{{{PUBLISHER}}}}}"));
    // Undated, placeless, numberless, in Russian: those fields are absent, the rest UTF-8.
    let e = parse_bib(
        &a.ok(&format!("/statements/{INTERVIEW}/cite.bib"))
            .await
            .body,
    );
    assert_eq!(e.fields["author"], "{Лавров, Сергей}");
    assert_eq!(e.fields["langid"], "{russian}");
    assert_eq!(e.fields["type"], "{Interview}");
    for absent in ["date", "year", "month", "address", "note"] {
        assert!(!e.fields.contains_key(absent), "{absent}");
    }
}

/// The item properties the CSL 1.0 input schema (csl-data.json) allows; it forbids others.
const CSL_PROPERTIES: &[&str] = &[
    "type",
    "id",
    "categories",
    "language",
    "journalAbbreviation",
    "shortTitle",
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "interviewer",
    "illustrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "translator",
    "accessed",
    "available-date",
    "container",
    "event-date",
    "issued",
    "original-date",
    "submitted",
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-number",
    "citation-label",
    "collection-number",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "edition",
    "event",
    "event-place",
    "first-reference-note-number",
    "genre",
    "ISAN",
    "ISBN",
    "ISCI",
    "ISMN",
    "ISRC",
    "ISSN",
    "ISWC",
    "issue",
    "jurisdiction",
    "keyword",
    "locator",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "page",
    "page-first",
    "part",
    "part-title",
    "PMCID",
    "PMID",
    "printing",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "supplement",
    "title",
    "title-short",
    "translated-title",
    "translated-title-short",
    "URL",
    "version",
    "volume",
    "year-suffix",
    "custom",
];

/// Checks an item against the schema's rules that apply to what is emitted.
#[track_caller]
fn check_csl(body: &str) -> serde_json::Map<String, Value> {
    let v: Value = serde_json::from_str(body).expect("CSL-JSON parses");
    let items = v.as_array().expect("an array of items");
    assert_eq!(items.len(), 1);
    let item = items[0].as_object().unwrap().clone();
    for key in item.keys() {
        assert!(CSL_PROPERTIES.contains(&key.as_str()), "{key} is not CSL");
    }
    for required in [
        "id",
        "type",
        "title",
        "author",
        "URL",
        "publisher",
        "accessed",
    ] {
        assert!(item.contains_key(required), "{required} missing");
    }
    assert!(["speech", "interview"].contains(&item["type"].as_str().unwrap()));
    for name in item["author"].as_array().unwrap() {
        let name = name.as_object().unwrap();
        let personal = name.contains_key("family") && name.contains_key("given");
        let literal = name.len() == 1 && name.contains_key("literal");
        assert!(personal || literal, "{name:?}");
        assert!(name.values().all(Value::is_string));
    }
    for date in ["issued", "accessed"] {
        if let Some(d) = item.get(date) {
            let parts = d["date-parts"].as_array().unwrap();
            assert_eq!(parts.len(), 1);
            let ymd = parts[0].as_array().unwrap();
            assert!((1..=3).contains(&ymd.len()) && ymd.iter().all(Value::is_number));
        }
    }
    for key in [
        "title",
        "URL",
        "publisher",
        "genre",
        "language",
        "event-place",
        "number",
    ] {
        if let Some(v) = item.get(key) {
            assert!(v.is_string(), "{key}");
        }
    }
    item
}

#[tokio::test]
async fn csl_json_has_the_schema_fields_and_headers() {
    let a = archive().await;
    let r = a.ok(&format!("/statements/{SPECIAL}/cite.json")).await;
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.citationstyles.csl+json"
    );
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"{SPECIAL}.json\"")
    );
    let item = check_csl(&r.body);
    let (y, m, d): (i32, u32, u32) = {
        use chrono::Datelike;
        let t = chrono::Utc::now().date_naive();
        (t.year(), t.month(), t.day())
    };
    assert_eq!(
        Value::Object(item),
        serde_json::json!({
            "id": SPECIAL,
            "type": "speech",
            "title": SPECIAL_TITLE,
            "author": [{"family": "Lavrov", "given": "Sergey"}, {"family": "Lebedev", "given": "Sergey"}],
            "issued": {"date-parts": [[2019, 3, 5]]},
            "event-place": "Moscow",
            "publisher": PUBLISHER,
            "genre": "Remarks",
            "language": "en",
            "number": "123-05-03-2019",
            "URL": format!("{BASE}/statements/{SPECIAL}"),
            "accessed": {"date-parts": [[y, m, d]]},
        })
    );

    let item = check_csl(
        &a.ok(&format!("/statements/{INTERVIEW}/cite.json"))
            .await
            .body,
    );
    assert_eq!(item["type"], "interview");
    assert_eq!(item["language"], "ru");
    assert_eq!(
        item["author"][0],
        serde_json::json!({"family": "Лавров", "given": "Сергей"})
    );
    assert!(!item.contains_key("issued") && !item.contains_key("number"));

    let item = check_csl(
        &a.ok(&format!("/statements/{SPECIAL}/answers/2/cite.json"))
            .await
            .body,
    );
    assert_eq!(item["id"], format!("{SPECIAL}:answer-2"));
    assert_eq!(item["author"], serde_json::json!([{"literal": PUBLISHER}]));
    assert_eq!(
        item["URL"],
        format!("{BASE}/statements/{SPECIAL}/answers/2")
    );
}

#[tokio::test]
async fn every_corpus_statement_and_exchange_has_both_downloads() {
    let a = archive().await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM statements ORDER BY id")
        .fetch_all(&a.pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), 7);
    let mut exchanges = 0;
    for id in &ids {
        let s: Statement =
            serde_json::from_str(&a.ok(&format!("/api/statements/{id}")).await.body).unwrap();
        let e = parse_bib(&a.ok(&format!("/statements/{id}/cite.bib")).await.body);
        assert_eq!(e.key, *id);
        assert_eq!(e.fields["url"], format!("{{{BASE}/statements/{id}}}"));
        if let Some(date) = s.date {
            assert_eq!(e.fields["date"], format!("{{{date}}}"));
        }
        let item = check_csl(&a.ok(&format!("/statements/{id}/cite.json")).await.body);
        assert_eq!(item["title"].as_str(), s.title.as_deref());
        let mut numbers: Vec<u32> = s.segments.iter().filter_map(|g| g.exchange).collect();
        numbers.dedup();
        for n in numbers {
            exchanges += 1;
            let base = format!("/statements/{id}/answers/{n}");
            let e = parse_bib(&a.ok(&format!("{base}/cite.bib")).await.body);
            assert_eq!(e.fields["url"], format!("{{{BASE}{base}}}"));
            let item = check_csl(&a.ok(&format!("{base}/cite.json")).await.body);
            assert_eq!(item["URL"], format!("{BASE}{base}"));
            let page = a.ok(&base).await;
            assert!(page.body.contains(&format!("href=\"{base}/cite.bib\"")));
            assert!(page.body.contains(&format!("href=\"{base}/cite.json\"")));
        }
    }
    assert!(exchanges >= 12, "{exchanges}");
}

#[tokio::test]
async fn pages_show_the_plain_citation_and_link_the_downloads() {
    let a = archive().await;
    let id: String = sqlx::query_scalar("SELECT id FROM statements WHERE title LIKE '%CSTO%'")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    let title = "Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018";
    let r = a.ok(&format!("/statements/{id}")).await;
    for needle in [
        format!("<p class=\"citation\">Sergey Lavrov. “{title}”, Almaty, 11 June 2018. {BASE}/statements/{id}</p>"),
        format!("href=\"/statements/{id}/cite.bib\""),
        format!("href=\"/statements/{id}/cite.json\""),
        "<h2 id=\"cite-h\">Cite this statement</h2>".to_owned(),
    ] {
        assert!(r.body.contains(&needle), "missing {needle}");
    }
    let r = a.ok(&format!("/statements/{id}/answers/2")).await;
    for needle in [
        format!("<p class=\"citation\">Sergey Lavrov. “{title}”, Almaty, 11 June 2018, answer 2. {BASE}/statements/{id}/answers/2</p>"),
        format!("href=\"/statements/{id}/answers/2/cite.bib\""),
        format!("href=\"/statements/{id}/answers/2/cite.json\""),
        "<h2 id=\"cite-h\">Cite this answer</h2>".to_owned(),
    ] {
        assert!(r.body.contains(&needle), "missing {needle}");
    }
    // The plain citation escapes like the rest of the page.
    let r = a.ok(&format!("/statements/{SPECIAL}")).await;
    assert!(r.body.contains(
        "<p class=\"citation\">Sergey Lavrov and Sergey Lebedev. “Lavrov’s remarks on 50% &#38; $5"
    ));
}

#[tokio::test]
async fn unknown_citations_are_404_and_aliases_redirect() {
    let a = archive().await;
    for uri in [
        "/statements/no-such-statement/cite.bib".to_owned(),
        "/statements/no-such-statement/cite.json".to_owned(),
        format!("/statements/{SPECIAL}/answers/99/cite.bib"),
        format!("/statements/{SPECIAL}/answers/x/cite.json"),
        format!("/statements/{SPECIAL}/answers/-1/cite.bib"),
    ] {
        let r = a.get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("<!DOCTYPE html>"), "{uri}");
    }
    sqlx::query("INSERT INTO aliases (alias, statement_id) VALUES ('2019-03-05-old-id', ?)")
        .bind(SPECIAL)
        .execute(&a.pool)
        .await
        .unwrap();
    for (from, to) in [
        (
            "/statements/2019-03-05-old-id/cite.bib",
            format!("/statements/{SPECIAL}/cite.bib"),
        ),
        (
            "/statements/2019-03-05-old-id/answers/1/cite.json",
            format!("/statements/{SPECIAL}/answers/1/cite.json"),
        ),
    ] {
        let r = a.get(from).await;
        assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY, "{from}");
        assert_eq!(r.headers[header::LOCATION], to);
    }
}
