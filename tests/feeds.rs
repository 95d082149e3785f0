//! The Atom feeds through the router, on the sample corpus imported by the real importer
//! plus one statement whose title and text hold markup, `&` and control characters: each
//! feed is parsed back with a feed library and checked against the archive itself.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use communique::db::store::{sync_registry, Source};
use communique::import::{import_paths, store_statement, ImportOptions};
use communique::model::{Kind, Segment, SegmentKind, SpeakerRef, Statement};
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use sqlx::SqlitePool;
use tower::ServiceExt;

const BASE: &str = "https://archive.example.org";
const HOSTILE_ID: &str = "undated-hostile-remarks";

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
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn request(&self, request: Request<Body>) -> Reply {
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

    /// Fetches a feed, checks it is a well-formed Atom document, and parses it.
    async fn feed(&self, uri: &str) -> (feed_rs::model::Feed, String) {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/atom+xml; charset=utf-8",
            "{uri}"
        );
        well_formed(&r.body);
        let feed = feed_rs::parser::parse(r.body.as_bytes())
            .unwrap_or_else(|e| panic!("{uri}: {e}\n{}", r.body));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{uri}");
        (feed, r.body)
    }

    async fn ids(&self, sql: &str) -> BTreeSet<String> {
        sqlx::query_scalar(sql)
            .fetch_all(&self.pool)
            .await
            .unwrap()
            .into_iter()
            .collect()
    }
}

/// A strict XML check: every tag closes in order, every entity is known, and no
/// character is one that XML 1.0 forbids (feed readers reject such a document whole).
#[track_caller]
fn well_formed(xml: &str) {
    for c in xml.chars() {
        let ok =
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
        assert!(ok, "forbidden character U+{:04X} in the feed", c as u32);
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let named = matches!(&*r, "lt" | "gt" | "amp" | "quot" | "apos");
                let numeric = r.is_char_ref() && r.resolve_char_ref().is_ok_and(|c| c.is_some());
                assert!(named || numeric, "unknown entity &{};", &*r);
            }
            Ok(_) => {}
            Err(e) => panic!("malformed XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
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

/// An undated statement whose title and text hold markup, `&` and control characters.
fn hostile() -> Statement {
    use SegmentKind::*;
    let l = Some("sergey-lavrov");
    Statement {
        id: HOSTILE_ID.into(),
        title: Some("Remarks <script>alert(1)</script> & \u{1}answers\u{b} on Ünïcödé".into()),
        date: None,
        time: None,
        place: None,
        kind: Kind::Remarks,
        language: "en".into(),
        languages: vec![],
        source_number: None,
        source_url: None,
        forums: vec![],
        speakers: vec![SpeakerRef {
            slug: "sergey-lavrov".into(),
            name: "Sergey Lavrov".into(),
        }],
        tags: vec![],
        segments: vec![
            seg(
                1,
                Remarks,
                l,
                None,
                None,
                "r1",
                "Colleagues, <b>zanzibar</b> & friends\u{1}\u{1f} are here.",
            ),
            seg(
                2,
                Question,
                None,
                Some("Question"),
                Some(1),
                "q1",
                "What about <script>alert('zanzibar')</script>?",
            ),
            seg(
                3,
                Answer,
                l,
                Some("Sergey Lavrov"),
                Some(1),
                "a1",
                "Tags & \u{c}control characters stay text. Zanzibar.",
            ),
        ],
    }
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
    let source = Source::text(Some("hostile.txt".into()), "hostile".into());
    let (_, id) = store_statement(&mut conn, &hostile(), &source)
        .await
        .unwrap();
    assert_eq!(id, HOSTILE_ID);
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

fn link(entry: &feed_rs::model::Entry) -> String {
    assert_eq!(entry.links.len(), 1, "{:?}", entry.links);
    entry.links[0].href.clone()
}

fn statement_id(url: &str) -> String {
    url.strip_prefix(&format!("{BASE}/statements/"))
        .unwrap_or_else(|| panic!("not an absolute statement link: {url}"))
        .split('#')
        .next()
        .unwrap()
        .to_owned()
}

fn self_and_alternate(feed: &feed_rs::model::Feed) -> (String, String) {
    let find = |rel: &str| {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref() == Some(rel))
            .map(|l| l.href.clone())
            .unwrap_or_else(|| panic!("no rel={rel} link"))
    };
    (find("self"), find("alternate"))
}

#[tokio::test]
async fn archive_feed_lists_every_statement_newest_first_with_absolute_links() {
    let a = archive().await;
    let (feed, _) = a.feed("/feed.atom").await;
    assert_eq!(feed.id, format!("{BASE}/feed.atom"));
    assert!(feed
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("latest statements"));
    assert_eq!(
        self_and_alternate(&feed),
        (format!("{BASE}/feed.atom"), format!("{BASE}/statements"))
    );
    assert_eq!(
        feed.authors[0].name.as_deref(),
        Some("Ministry of Foreign Affairs of the Russian Federation")
    );

    let want: Vec<String> =
        sqlx::query_scalar("SELECT id FROM statements ORDER BY date IS NULL, date DESC, pk")
            .fetch_all(&a.pool)
            .await
            .unwrap();
    assert_eq!(want.len(), 6);
    let got: Vec<String> = feed
        .entries
        .iter()
        .map(|e| statement_id(&link(e)))
        .collect();
    assert_eq!(got, want);

    for e in &feed.entries {
        let url = link(e);
        assert_eq!(e.id, url, "the id is the permalink");
        let title = e.title.as_ref().unwrap().content.clone();
        assert!(!title.is_empty());
        assert!(!e.authors.is_empty(), "{title}: speakers are the authors");
        assert!(
            e.summary.as_ref().is_some_and(|s| !s.content.is_empty()),
            "{title}: summary"
        );
        let kind = e
            .categories
            .iter()
            .find(|c| c.scheme.as_deref() == Some(&format!("{BASE}/statements?kind=")))
            .unwrap_or_else(|| panic!("{title}: no kind category"));
        assert!(Kind::from_name(&kind.term).is_some(), "{}", kind.term);
    }

    // Dated entries carry the statement's date and time (Moscow time) as `published`.
    let csto = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content.contains("CSTO Council"))
        .unwrap();
    assert_eq!(
        csto.published.unwrap().to_rfc3339(),
        "2018-06-11T08:50:00+00:00"
    );
    assert_eq!(csto.updated, csto.published);
    assert!(csto
        .summary
        .as_ref()
        .unwrap()
        .content
        .starts_with("Indeed, the CSTO foreign ministers adopted a statement on the INF Treaty."));
    assert!(csto
        .categories
        .iter()
        .any(|c| c.term == "csto" && c.scheme.as_deref() == Some(&format!("{BASE}/forums/"))));

    // The feed's `updated` is its latest entry's.
    let latest = feed.entries.iter().map(|e| e.updated.unwrap()).max();
    assert_eq!(feed.updated, latest);
}

#[tokio::test]
async fn a_statement_with_markup_ampersands_and_control_characters_gives_a_valid_feed() {
    let a = archive().await;
    let (feed, body) = a.feed("/feed.atom").await;
    assert!(!body.contains("<script"), "markup is escaped");
    assert!(!body.contains('\u{1}') && !body.contains('\u{b}') && !body.contains('\u{c}'));
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id == format!("{BASE}/statements/{HOSTILE_ID}"))
        .expect("the hostile statement is in the feed");
    // The text survives as text, with only the forbidden characters gone.
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "Remarks <script>alert(1)</script> & answers on Ünïcödé"
    );
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        "Tags & control characters stay text."
    );
    // Undated: no `published`, and `updated` is when the archive imported it.
    assert_eq!(entry.published, None);
    let imported: String = sqlx::query_scalar("SELECT imported_at FROM statements WHERE id = ?")
        .bind(HOSTILE_ID)
        .fetch_one(&a.pool)
        .await
        .unwrap();
    assert_eq!(
        entry.updated.unwrap(),
        chrono::DateTime::parse_from_rfc3339(&imported).unwrap()
    );

    // The same text as search hits: snippets are HTML inside the XML.
    let (feed, body) = a.feed("/search/feed.atom?q=zanzibar").await;
    assert!(!body.contains("<script"));
    assert_eq!(feed.entries.len(), 3, "{body}");
    for e in &feed.entries {
        let summary = e.summary.as_ref().unwrap();
        assert!(summary.content.contains("<mark>"), "{}", summary.content);
        assert!(!summary.content.contains("<script"), "{}", summary.content);
    }
}

#[tokio::test]
async fn forum_and_speaker_feeds_hold_exactly_their_statements() {
    let a = archive().await;
    let forums = a.ids("SELECT DISTINCT forum FROM statement_forums").await;
    assert!(forums.len() >= 3, "{forums:?}");
    for forum in &forums {
        let (feed, _) = a.feed(&format!("/forums/{forum}/feed.atom")).await;
        let want = a
            .ids(&format!(
                "SELECT s.id FROM statements s JOIN statement_forums f ON f.statement_pk = s.pk \
                 WHERE f.forum = '{forum}'"
            ))
            .await;
        let got: BTreeSet<String> = feed
            .entries
            .iter()
            .map(|e| statement_id(&link(e)))
            .collect();
        assert_eq!(got, want, "{forum}");
        assert_eq!(
            self_and_alternate(&feed),
            (
                format!("{BASE}/forums/{forum}/feed.atom"),
                format!("{BASE}/forums/{forum}")
            )
        );
        for e in &feed.entries {
            assert!(e.categories.iter().any(|c| &c.term == forum), "{forum}");
        }
    }
    // Slugs are case-insensitive, as on the forum page.
    let (feed, _) = a.feed("/forums/CICA/feed.atom").await;
    assert_eq!(feed.entries.len(), 2);

    let (feed, _) = a.feed("/speakers/sergey-lavrov/feed.atom").await;
    let want = a
        .ids(
            "SELECT s.id FROM statements s JOIN statement_speakers p ON p.statement_pk = s.pk \
             WHERE p.speaker = 'sergey-lavrov'",
        )
        .await;
    assert_eq!(want.len(), 6);
    let got: BTreeSet<String> = feed
        .entries
        .iter()
        .map(|e| statement_id(&link(e)))
        .collect();
    assert_eq!(got, want);
    let (feed, _) = a.feed("/speakers/sergey-lebedev/feed.atom").await;
    assert_eq!(feed.entries.len(), 1);
    assert!(feed
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("Sergey Lebedev"));
}

#[tokio::test]
async fn unknown_forums_and_speakers_are_404_pages_and_bad_searches_400() {
    let a = archive().await;
    for uri in [
        "/forums/nato-plus/feed.atom",
        "/speakers/nobody/feed.atom",
        "/forums/%FF/feed.atom",
    ] {
        let r = a.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("<!DOCTYPE html>"), "{uri}");
    }
    let long = "a".repeat(1001);
    for (uri, says) in [
        ("/search/feed.atom?q=x&year=abc".to_owned(), "`year`"),
        ("/search/feed.atom?q=x&page=0".to_owned(), "`page`"),
        (
            "/search/feed.atom?q=x&forum=nato-plus".to_owned(),
            "Unknown forum",
        ),
        ("/search/feed.atom?q=x&sort=best".to_owned(), "`sort`"),
        ("/search/feed.atom?q=x&group=turn".to_owned(), "`group`"),
        (format!("/search/feed.atom?q={long}"), "longer than"),
    ] {
        let r = a.get(&uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.body.contains(says), "{uri}: {}", r.body);
        assert!(r.body.contains("<!DOCTYPE html>"), "{uri}");
    }
    // Unreadable query syntax is searched as words, never an error.
    let (feed, _) = a.feed("/search/feed.atom?q=%22unbalanced+(OR").await;
    assert!(feed.entries.len() < 20);
    let (feed, _) = a.feed("/search/feed.atom").await;
    assert!(feed.entries.is_empty());
}

/// The API's result paths for the same search, in order.
async fn api_urls(a: &Archive, query: &str) -> Vec<String> {
    let r = a.get(&format!("/api/search?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{BASE}{}", h["url"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn search_feed_entries_are_the_matching_turns_linking_to_their_anchors() {
    let a = archive().await;
    let (feed, _) = a.feed("/search/feed.atom?q=CSTO").await;
    assert!(
        !feed
            .links
            .iter()
            .any(|l| matches!(l.rel.as_deref(), Some("next" | "previous"))),
        "one page only"
    );
    let links: Vec<String> = feed.entries.iter().map(link).collect();
    assert!(links.len() >= 3, "{links:?}");
    // Newest first by default, the same turns as the API's search.
    assert_eq!(links, api_urls(&a, "q=CSTO&sort=newest").await);
    for (e, url) in feed.entries.iter().zip(&links) {
        assert_eq!(&e.id, url, "a turn's id is its permalink");
        let (id, anchor) = url.split_once('#').expect("a turn anchor");
        let page = a.get(&id[BASE.len()..]).await;
        assert!(page.body.contains(&format!("id=\"{anchor}\"")), "{url}");
    }
    let title = feed.title.clone().unwrap().content;
    assert!(title.contains("CSTO"), "{title}");
    // Entry titles say whose turn it is, then the statement.
    let titled = |suffix: &str| {
        feed.entries
            .iter()
            .find(|e| {
                link(e).contains("answers-to-media-questions-csto") && link(e).ends_with(suffix)
            })
            .map(|e| e.title.clone().unwrap().content)
            .unwrap_or_else(|| panic!("no entry for {suffix}"))
    };
    assert!(
        titled("#q1").starts_with("Question 1: Foreign Minister Sergey Lavrov’s answers"),
        "{}",
        titled("#q1")
    );
    assert!(
        titled("#a1").starts_with("Sergey Lavrov, answer 1: Foreign Minister"),
        "{}",
        titled("#a1")
    );
    assert_eq!(
        self_and_alternate(&feed),
        (
            format!("{BASE}/search/feed.atom?q=CSTO"),
            format!("{BASE}/search?q=CSTO")
        )
    );

    // A search of several pages links its neighbours (RFC 5005 paging).
    let (feed, _) = a.feed("/search/feed.atom?q=CSTO&limit=2&page=2").await;
    assert_eq!(feed.entries.len(), 2);
    let rel = |rel: &str| {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref() == Some(rel))
            .map(|l| l.href.clone())
    };
    assert_eq!(
        rel("previous").as_deref(),
        Some(format!("{BASE}/search/feed.atom?q=CSTO&limit=2").as_str())
    );
    assert_eq!(
        rel("next").as_deref(),
        Some(format!("{BASE}/search/feed.atom?q=CSTO&page=3&limit=2").as_str())
    );
    assert_eq!(
        feed.entries.iter().map(link).collect::<Vec<_>>(),
        api_urls(&a, "q=CSTO&sort=newest&limit=2&page=2").await
    );

    // `sort` is honoured when given.
    let (feed, _) = a.feed("/search/feed.atom?q=CSTO&sort=oldest").await;
    let links: Vec<String> = feed.entries.iter().map(link).collect();
    assert_eq!(links, api_urls(&a, "q=CSTO&sort=oldest").await);

    // Filters narrow the feed as they narrow the search.
    let (feed, _) = a
        .feed("/search/feed.atom?q=CSTO&forum=cis&turn=answer")
        .await;
    for e in &feed.entries {
        assert!(e.categories.iter().any(|c| c.term == "cis"));
        assert!(link(e).contains("#a"), "{}", link(e));
    }

    // Grouped: one entry per statement, identified by the statement's permalink.
    let (feed, _) = a
        .feed("/search/feed.atom?q=terrorism&group=statement")
        .await;
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(ids.len() >= 2, "{ids:?}");
    for e in &feed.entries {
        assert_eq!(e.id, format!("{BASE}/statements/{}", statement_id(&e.id)));
        assert!(link(e).contains('#'));
    }
    assert_eq!(
        feed.entries.iter().map(link).collect::<Vec<_>>(),
        api_urls(&a, "q=terrorism&group=statement&sort=newest").await
    );
}

#[tokio::test]
async fn pages_announce_their_feeds_in_the_head_and_in_the_text() {
    let a = archive().await;
    for (page, feed) in [
        ("/", "/feed.atom"),
        ("/statements", "/feed.atom"),
        ("/statements?year=2018", "/feed.atom"),
        ("/forums/csto", "/forums/csto/feed.atom"),
        (
            "/speakers/sergey-lavrov",
            "/speakers/sergey-lavrov/feed.atom",
        ),
        (
            "/search?q=CSTO&year=2018&sort=oldest",
            "/search/feed.atom?q=CSTO&#38;year=2018&#38;sort=oldest",
        ),
    ] {
        let r = a.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let head = &r.body[..r.body.find("</head>").unwrap()];
        assert!(
            head.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
                && head.contains(&format!("href=\"{feed}\">")),
            "{page}: {head}"
        );
        let main = &r.body[r.body.find("<main").unwrap()..];
        assert!(
            main.contains(&format!(
                "<a href=\"{feed}\" type=\"application/atom+xml\">"
            )),
            "{page}"
        );
        // The announced feed exists.
        let (parsed, _) = a.feed(&feed.replace("&#38;", "&")).await;
        assert!(!parsed.entries.is_empty(), "{feed}");
    }
    // Pages without a list of their own announce no feed.
    for page in ["/search", "/speakers", "/forums"] {
        let r = a.get(page).await;
        assert!(!r.body.contains("application/atom+xml"), "{page}");
    }
}

#[tokio::test]
async fn feeds_carry_an_etag_and_answer_304_until_the_archive_changes() {
    let a = archive().await;
    let r = a.get("/forums/csto/feed.atom").await;
    let tag = r.headers[header::ETAG].clone();
    let again = a
        .request(
            Request::get("/forums/csto/feed.atom")
                .header(header::IF_NONE_MATCH, tag.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    communique::db::store::bump_generation(&a.pool)
        .await
        .unwrap();
    let changed = a
        .request(
            Request::get("/forums/csto/feed.atom")
                .header(header::IF_NONE_MATCH, tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.starts_with("<?xml"));
}
