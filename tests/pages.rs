//! The web pages and the statement API, through the router without a server: statuses,
//! content, filters, anchors, redirects, errors, headers, caching and escaping.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use communique::db::store::{sync_registry, Source};
use communique::import::store_statement;
use communique::model::{ForumRef, Kind, Segment, SegmentKind, SpeakerRef, Statement};
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use sqlx::SqlitePool;
use tower::ServiceExt;

const BASE: &str = "https://archive.example.org";

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
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    #[track_caller]
    fn ok(reply: &Reply) {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

fn seg(
    n: u32,
    kind: SegmentKind,
    speaker: Option<&str>,
    label: Option<&str>,
    exchange: Option<u32>,
    anchor: &str,
    paragraphs: &[&str],
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
        paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn lavrov() -> SpeakerRef {
    SpeakerRef {
        slug: "sergey-lavrov".into(),
        name: "Sergey Lavrov".into(),
    }
}

fn forum(slug: &str, acronym: &str, name: &str) -> ForumRef {
    ForumRef {
        slug: slug.into(),
        acronym: acronym.into(),
        name: name.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn statement(
    id: &str,
    title: &str,
    date: &str,
    place: &str,
    kind: Kind,
    forums: Vec<ForumRef>,
    speakers: Vec<SpeakerRef>,
    segments: Vec<Segment>,
) -> Statement {
    Statement {
        id: id.into(),
        title: Some(title.into()),
        date: Some(date.parse().unwrap()),
        time: Some("11:50".into()),
        place: Some(place.into()),
        kind,
        language: "en".into(),
        languages: vec!["en".into(), "ru".into()],
        source_number: None,
        source_url: None,
        forums,
        speakers,
        tags: vec!["Kazakhstan".into()],
        segments,
    }
}

fn fixtures() -> Vec<Statement> {
    use SegmentKind::*;
    let q = Some("Question");
    let l = Some("sergey-lavrov");
    let ll = Some("Sergey Lavrov");
    vec![
        statement(
            "2018-06-11-answers-csto",
            "Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018",
            "2018-06-11",
            "Almaty",
            Kind::Answers,
            vec![forum("csto", "CSTO", "Collective Security Treaty Organization")],
            vec![lavrov()],
            vec![
                seg(1, Question, None, q, Some(1), "q1", &["What is the focal point of the CSTO statement on the INF Treaty?"]),
                seg(2, Answer, l, ll, Some(1), "a1", &["Indeed, the CSTO foreign ministers adopted a statement. It urges everyone.", "Second paragraph."]),
                seg(3, Question, None, q, Some(2), "q2", &["And the second question about Afghanistan?"]),
                seg(4, Answer, l, ll, Some(2), "a2", &["Afghanistan remains a concern for all of us here."]),
                seg(5, Answer, Some("sergey-lebedev"), Some("Sergey Lebedev"), Some(2), "a2-2", &["I would add a word on the borders."]),
            ],
        ),
        statement(
            "2024-04-12-remarks-cis",
            "Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev make remarks and reply to questions at a joint news conference following the CIS Council of Foreign Ministers, Minsk, April 12, 2024",
            "2024-04-12",
            "Minsk",
            Kind::PressConference,
            vec![forum("cis", "CIS", "Commonwealth of Independent States")],
            vec![lavrov(), SpeakerRef { slug: "sergey-lebedev".into(), name: "Sergey Lebedev".into() }],
            vec![
                seg(1, Remarks, l, None, None, "r1", &["Colleagues, we have held a meeting."]),
                seg(2, Question, None, q, Some(1), "q1", &["How do you assess the year?"]),
                seg(3, Answer, l, ll, Some(1), "a1", &["Positively, on the whole."]),
            ],
        ),
        statement(
            "2012-09-12-comment-cica",
            "Comment of S.V. Lavrov \"><img src=x onerror=alert(1)> at CICA, Astana, September, 12th, 2012",
            "2012-09-12",
            "Astana",
            Kind::Comment,
            vec![forum("cica", "CICA", "Conference on Interaction and Confidence Building Measures in Asia")],
            vec![lavrov()],
            vec![
                seg(1, Remarks, l, None, None, "r1", &["Dear colleagues, <script>alert('x')</script> and \"><img src=x onerror=alert(1)>"]),
                seg(2, Question, None, q, Some(1), "q1", &["<b>Bold</b> question?"]),
                seg(3, Answer, l, ll, Some(1), "a1", &["An answer & more."]),
            ],
        ),
        {
            let mut s = statement(
                "2012-10-04-briefing",
                "Briefing by Foreign Ministry Spokesman, Moscow, October 4, 2012",
                "2012-10-04",
                "Moscow",
                Kind::Briefing,
                vec![],
                vec![],
                vec![
                    seg(1, Heading, None, None, None, "h1", &[]),
                    seg(2, Remarks, None, None, None, "r1", &["On the visit of the minister."]),
                    seg(3, Heading, None, None, None, "h2", &[]),
                    seg(4, Question, None, q, Some(1), "q1", &["About Syria?"]),
                    seg(5, Answer, None, Some("Answer"), Some(1), "a1", &["We are concerned."]),
                ],
            );
            s.segments[0].title = Some("Visit of the minister".into());
            s.segments[2].title = Some("Answers to media questions".into());
            s.source_number = Some("2101-04-10-2012".into());
            s
        },
    ]
}

/// Writes a statement through the importer's own write path.
async fn insert(pool: &SqlitePool, s: &Statement) {
    let mut conn = pool.acquire().await.unwrap();
    let source = Source::text(Some(format!("{}.txt", s.id)), s.id.clone());
    let (_, id) = store_statement(&mut conn, s, &source).await.unwrap();
    assert_eq!(id, s.id);
}

async fn archive() -> Archive {
    let dir = tempfile::tempdir().unwrap();
    let pool = communique::db::connect(dir.path().join("archive.db"))
        .await
        .unwrap();
    for s in fixtures() {
        insert(&pool, &s).await;
    }
    let mut conn = pool.acquire().await.unwrap();
    sync_registry(&mut conn, &Registry::builtin())
        .await
        .unwrap();
    drop(conn);
    sqlx::query("INSERT INTO aliases VALUES ('2018-06-11-old-csto-id', '2018-06-11-answers-csto')")
        .execute(&pool)
        .await
        .unwrap();
    let app = router(AppState::new(pool.clone(), Config::new(BASE)));
    Archive {
        app,
        pool,
        _dir: dir,
    }
}

/// Ids of the statements a list page links to, in order.
fn listed(body: &str) -> Vec<String> {
    body.split("<a class=\"title\" href=\"/statements/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn home_lists_latest_statements_forums_speakers_and_years() {
    let a = archive().await;
    let r = a.get("/").await;
    Archive::ok(&r);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(
        listed(&r.body),
        [
            "2024-04-12-remarks-cis",
            "2018-06-11-answers-csto",
            "2012-10-04-briefing",
            "2012-09-12-comment-cica"
        ]
    );
    for needle in [
        "href=\"/forums/csto\"",
        "href=\"/forums/cis\"",
        "href=\"/speakers/sergey-lavrov\"",
        "href=\"/statements?year=2012\"",
        "action=\"/search\"",
        "name=\"q\"",
        "An archive of 4 diplomatic statements",
    ] {
        assert!(r.body.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn statement_filters_return_exactly_the_matching_statements() {
    let a = archive().await;
    for (query, want) in [
        ("forum=csto", vec!["2018-06-11-answers-csto"]),
        ("forum=CSTO", vec!["2018-06-11-answers-csto"]),
        ("forum=cis", vec!["2024-04-12-remarks-cis"]),
        (
            "year=2012",
            vec!["2012-10-04-briefing", "2012-09-12-comment-cica"],
        ),
        (
            "year=2012&sort=oldest",
            vec!["2012-09-12-comment-cica", "2012-10-04-briefing"],
        ),
        ("speaker=sergey-lebedev", vec!["2024-04-12-remarks-cis"]),
        ("kind=briefing", vec!["2012-10-04-briefing"]),
        ("lang=ru", vec![]),
        (
            "year=&forum=&speaker=&kind=&lang=&sort=&page=&limit=",
            vec![
                "2024-04-12-remarks-cis",
                "2018-06-11-answers-csto",
                "2012-10-04-briefing",
                "2012-09-12-comment-cica",
            ],
        ),
        ("forum=cica&year=2018", vec![]),
    ] {
        let r = a.get(&format!("/statements?{query}")).await;
        Archive::ok(&r);
        assert_eq!(listed(&r.body), want, "{query}");
    }
}

#[tokio::test]
async fn lists_paginate_with_links_that_keep_the_filters() {
    let a = archive().await;
    let r = a.get("/statements?year=2012&limit=1").await;
    Archive::ok(&r);
    assert_eq!(listed(&r.body), ["2012-10-04-briefing"]);
    assert!(
        r.body
            .contains("href=\"/statements?year=2012&#38;page=2&#38;limit=1\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("Page 1 of 2"));
    let r = a.get("/statements?year=2012&limit=1&page=2").await;
    assert_eq!(listed(&r.body), ["2012-09-12-comment-cica"]);
    assert!(r
        .body
        .contains("rel=\"prev\" href=\"/statements?year=2012&#38;limit=1\""));
    assert!(!r.body.contains("rel=\"next\""));
    let r = a.get("/statements?page=9").await;
    Archive::ok(&r);
    assert!(listed(&r.body).is_empty());
    // A limit over the maximum is clamped, not refused.
    Archive::ok(&a.get("/statements?limit=100000").await);
}

#[tokio::test]
async fn malformed_parameters_are_400_pages_that_say_why() {
    let a = archive().await;
    for (uri, says) in [
        ("/statements?page=-1", "`page`"),
        ("/statements?page=0", "`page`"),
        ("/statements?year=abc", "`year`"),
        ("/statements?forum=nato-plus", "Unknown forum `nato-plus`"),
        ("/statements?speaker=nobody", "Unknown speaker `nobody`"),
        ("/statements?kind=poem", "`kind`"),
        ("/statements?sort=relevance", "sort=relevance"),
        ("/statements?limit=0", "`limit`"),
        ("/speakers/sergey-lavrov?year=20x", "`year`"),
        ("/forums/csto?speaker=%3Cscript%3E", "`speaker`"),
        ("/statements?forum=%ZZ", "`forum`"),
    ] {
        let r = a.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.body.contains(says), "{uri}: {}", r.body);
        assert!(r.body.contains("<!DOCTYPE html>"), "{uri}");
        assert!(!r.body.contains("<script"), "{uri}");
    }
}

#[tokio::test]
async fn statement_page_shows_facts_contents_and_every_turn_with_its_anchor() {
    let a = archive().await;
    let r = a.get("/statements/2018-06-11-answers-csto").await;
    Archive::ok(&r);
    let b = &r.body;
    for needle in [
        "<h1>Foreign Minister Sergey Lavrov’s answers to media questions following CSTO",
        "<time datetime=\"2018-06-11\">11 June 2018</time>, 11:50",
        "<dd>Almaty</dd>",
        "<a href=\"/forums/csto\"><abbr title=\"Collective Security Treaty Organization\">CSTO</abbr></a>",
        "<a href=\"/speakers/sergey-lavrov\">Sergey Lavrov</a>",
        "Answers to questions",
        "(versions: en, ru)",
        "<li>Kazakhstan</li>",
        // Contents: each question's first words, linking to its anchor.
        "<a href=\"#q1\"><span class=\"num\">1.</span> What is the focal point of the CSTO statement on the INF Treaty?</a>",
        "<a href=\"#q2\">",
        "<a class=\"toc-answer\" href=\"#a1\">answer</a>",
        "<a class=\"toc-answer\" href=\"#a2\">answer</a>",
        // Each exchange links to its own page.
        "href=\"/statements/2018-06-11-answers-csto/answers/1\"",
        "href=\"/statements/2018-06-11-answers-csto/answers/2\"",
        "<link rel=\"canonical\" href=\"https://archive.example.org/statements/2018-06-11-answers-csto\">",
    ] {
        assert!(b.contains(needle), "missing {needle}");
    }
    for anchor in ["q1", "a1", "q2", "a2", "a2-2"] {
        assert!(b.contains(&format!("id=\"{anchor}\"")), "anchor {anchor}");
        assert!(
            b.contains(&format!("class=\"self\" href=\"#{anchor}\"")),
            "self-link {anchor}"
        );
    }
    assert!(b.contains("<section class=\"turn question\" id=\"q1\""));
    assert!(b.contains("<section class=\"turn answer\" id=\"a1\""));
    // The second answer of exchange 2 is by another speaker, named and linked.
    let a22 = &b[b.find("id=\"a2-2\"").unwrap()..];
    assert!(a22[..400].contains("href=\"/speakers/sergey-lebedev\">Sergey Lebedev</a>"));
}

#[tokio::test]
async fn briefing_headings_are_anchored_and_in_the_contents() {
    let a = archive().await;
    let r = a.get("/statements/2012-10-04-briefing").await;
    Archive::ok(&r);
    assert!(r
        .body
        .contains("<h2 class=\"heading\" id=\"h1\">Visit of the minister"));
    assert!(r
        .body
        .contains("<h2 class=\"heading\" id=\"h2\">Answers to media questions"));
    assert!(r
        .body
        .contains("<li class=\"toc-heading\"><a href=\"#h2\">Answers to media questions</a></li>"));
    assert!(r.body.contains("<dd>2101-04-10-2012</dd>"));
    // An unnamed host's answer is labelled as printed.
    assert!(r.body.contains("<span>Answer</span>"));
}

#[tokio::test]
async fn exchange_page_has_question_answers_citation_neighbours_and_cards() {
    let a = archive().await;
    let r = a.get("/statements/2018-06-11-answers-csto/answers/1").await;
    Archive::ok(&r);
    let b = &r.body;
    let permalink = "https://archive.example.org/statements/2018-06-11-answers-csto/answers/1";
    for needle in [
        "What is the focal point of the CSTO statement on the INF Treaty?",
        "Indeed, the CSTO foreign ministers adopted a statement.",
        "id=\"q1\"",
        "id=\"a1\"",
        "<dd>Almaty</dd>",
        ">CSTO</abbr>",
        &format!("<link rel=\"canonical\" href=\"{permalink}\">"),
        &format!("<meta property=\"og:url\" content=\"{permalink}\">"),
        "<meta property=\"og:title\" content=\"What is the focal point of the CSTO statement on the INF Treaty?\">",
        "<meta property=\"og:description\" content=\"Indeed, the CSTO foreign ministers adopted a statement.\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        &format!("<p class=\"citation\">Sergey Lavrov. “Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018”, Almaty, 11 June 2018, answer 1. {permalink}</p>"),
        "rel=\"next\" href=\"/statements/2018-06-11-answers-csto/answers/2\"",
        "href=\"/statements/2018-06-11-answers-csto#q1\"",
    ] {
        assert!(b.contains(needle), "missing {needle}");
    }
    assert!(!b.contains("rel=\"prev\""));
    assert!(!b.contains("Afghanistan"), "only exchange 1");

    let r = a.get("/statements/2018-06-11-answers-csto/answers/2").await;
    Archive::ok(&r);
    assert!(r
        .body
        .contains("rel=\"prev\" href=\"/statements/2018-06-11-answers-csto/answers/1\""));
    assert!(!r.body.contains("rel=\"next\""));
    assert!(r.body.contains("Sergey Lavrov and Sergey Lebedev. “"));
    assert!(r.body.contains("id=\"a2-2\""));
}

#[tokio::test]
async fn speaker_pages_show_role_counts_and_filtered_statements() {
    let a = archive().await;
    let r = a.get("/speakers").await;
    Archive::ok(&r);
    assert!(r.body.contains("<a href=\"/speakers/sergey-lavrov\">Sergey Lavrov</a></td><td>Minister of Foreign Affairs of the Russian Federation</td><td class=\"n\">3</td>"));
    let r = a.get("/speakers/sergey-lavrov").await;
    Archive::ok(&r);
    assert!(r.body.contains("<h1>Sergey Lavrov</h1>"));
    assert!(r
        .body
        .contains("<p class=\"role\">Minister of Foreign Affairs of the Russian Federation</p>"));
    assert!(r
        .body
        .contains("<strong>3</strong> statements · <strong>4</strong> answers"));
    assert_eq!(listed(&r.body).len(), 3);
    let r = a.get("/speakers/Sergey-Lavrov?forum=cis").await;
    Archive::ok(&r);
    assert_eq!(listed(&r.body), ["2024-04-12-remarks-cis"]);
    let r = a.get("/speakers/sergey-lavrov?year=2012").await;
    assert_eq!(listed(&r.body), ["2012-09-12-comment-cica"]);
    let r = a.get("/speakers/sergey-lavrov?limit=1&page=2").await;
    assert_eq!(listed(&r.body), ["2018-06-11-answers-csto"]);
    assert!(r.body.contains("href=\"/speakers/sergey-lavrov?limit=1\""));
    assert!(r
        .body
        .contains("href=\"/speakers/sergey-lavrov?page=3&#38;limit=1\""));
}

#[tokio::test]
async fn forum_pages_show_names_statements_and_who_spoke() {
    let a = archive().await;
    let r = a.get("/forums").await;
    Archive::ok(&r);
    for f in ["csto", "cis", "cica"] {
        assert!(r.body.contains(&format!("href=\"/forums/{f}\"")));
    }
    let r = a.get("/forums/cis").await;
    Archive::ok(&r);
    assert!(r
        .body
        .contains("<h1>CIS <span class=\"sub\">Commonwealth of Independent States</span></h1>"));
    assert_eq!(listed(&r.body), ["2024-04-12-remarks-cis"]);
    assert!(r
        .body
        .contains("<a href=\"/speakers/sergey-lebedev\">Sergey Lebedev</a>"));
    let r = a.get("/forums/CSTO?year=2012").await;
    Archive::ok(&r);
    assert!(listed(&r.body).is_empty());
    let r = a.get("/forums/cis?speaker=sergey-lebedev").await;
    assert_eq!(listed(&r.body), ["2024-04-12-remarks-cis"]);
}

#[tokio::test]
async fn unknown_things_are_404_pages_and_api_json() {
    let a = archive().await;
    for uri in [
        "/statements/no-such-statement",
        "/statements/2018-06-11-answers-csto/answers/9",
        "/statements/2018-06-11-answers-csto/answers/x",
        "/statements/2018-06-11-answers-csto/answers/-1",
        "/speakers/nobody",
        "/forums/nato",
        "/no/such/page",
        "/statements/%00%ff",
    ] {
        let r = a.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("<h1>404 · Not Found</h1>"), "{uri}");
    }
    let r = a.get("/api/statements/no-such-statement").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no-such-statement"));
    let r = a.get("/api/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["error"]["code"],
        "not_found"
    );
}

#[tokio::test]
async fn api_statement_is_contract_one_object() {
    let a = archive().await;
    let r = a.get("/api/statements/2018-06-11-answers-csto").await;
    Archive::ok(&r);
    let got: Statement = serde_json::from_str(&r.body).unwrap();
    let want = fixtures().into_iter().next().unwrap();
    assert_eq!(got, want);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["segments"][1]["anchor"], "a1");
    assert_eq!(v["forums"][0]["slug"], "csto");
    assert_eq!(v["source_url"], serde_json::Value::Null);
}

#[tokio::test]
async fn aliases_redirect_permanently_everywhere() {
    let a = archive().await;
    for (from, to) in [
        (
            "/statements/2018-06-11-old-csto-id",
            "/statements/2018-06-11-answers-csto",
        ),
        (
            "/statements/2018-06-11-old-csto-id/answers/2",
            "/statements/2018-06-11-answers-csto/answers/2",
        ),
        (
            "/api/statements/2018-06-11-old-csto-id",
            "/api/statements/2018-06-11-answers-csto",
        ),
    ] {
        let r = a.get(from).await;
        assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY, "{from}");
        assert_eq!(r.headers[header::LOCATION], to);
    }
}

#[tokio::test]
async fn healthz_answers_ok_while_the_database_answers() {
    let a = archive().await;
    let r = a.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    a.pool.close().await;
    let r = a.get("/healthz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn document_text_and_titles_are_escaped() {
    let a = archive().await;
    for uri in [
        "/statements/2012-09-12-comment-cica",
        "/statements/2012-09-12-comment-cica/answers/1",
        "/",
        "/forums/cica",
    ] {
        let r = a.get(uri).await;
        Archive::ok(&r);
        assert!(!r.body.contains("<script"), "{uri}");
        assert!(!r.body.contains("<img"), "{uri}");
        assert!(!r.body.contains("<b>Bold"), "{uri}");
        assert!(
            r.body
                .contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"),
            "{uri}"
        );
    }
    let r = a.get("/statements/2012-09-12-comment-cica").await;
    assert!(
        r.body
            .contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"),
        "{}",
        r.body
    );
    assert!(r.body.contains("An answer &#38; more."));
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let a = archive().await;
    for uri in [
        "/",
        "/statements/2018-06-11-answers-csto",
        "/nope",
        "/api/statements/x",
        "/healthz",
    ] {
        let r = a.get(uri).await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{uri}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}");
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(
            r.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
        assert!(r.headers.contains_key(header::REFERRER_POLICY), "{uri}");
    }
    // No inline styles or scripts anywhere.
    let r = a.get("/statements/2018-06-11-answers-csto").await;
    assert!(
        !r.body.contains("style=") && !r.body.contains("<style") && !r.body.contains("<script")
    );
}

#[tokio::test]
async fn stylesheet_is_versioned_and_cached_for_long() {
    let a = archive().await;
    let home = a.get("/").await;
    let href = home
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(href.starts_with("/static/style.css?v="));
    let r = a.get(&href).await;
    Archive::ok(&r);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(r.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    assert!(r.body.contains("prefers-color-scheme: dark") && r.body.contains("@media print"));
}

#[tokio::test]
async fn pages_carry_an_etag_and_answer_304_until_the_archive_changes() {
    let a = archive().await;
    let uri = "/statements/2018-06-11-answers-csto";
    let r = a.get(uri).await;
    let etag = r.headers[header::ETAG].clone();
    let conditional = |tag: axum::http::HeaderValue| {
        Request::get(uri)
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .unwrap()
    };
    let r = a.request(conditional(etag.clone())).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());
    // Another page has another tag.
    assert_ne!(a.get("/statements").await.headers[header::ETAG], etag);
    // An import bumps the generation: the old tag no longer matches.
    sqlx::query("UPDATE archive_meta SET value = '7' WHERE key = 'generation'")
        .execute(&a.pool)
        .await
        .unwrap();
    let r = a.request(conditional(etag.clone())).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.headers[header::ETAG], etag);
}

#[tokio::test]
async fn pages_are_compressed_and_cached_per_coding() {
    let a = archive().await;
    let uri = "/statements/2018-06-11-answers-csto";
    let gz = |enc: &'static str| {
        Request::get(uri)
            .header(header::ACCEPT_ENCODING, enc)
            .body(Body::empty())
            .unwrap()
    };
    for (accept, coding) in [
        ("gzip", Some("gzip")),
        ("gzip, br", Some("br")),
        ("identity", None),
    ] {
        // Twice: rendered, then from the cache; both must be the same representation.
        for _ in 0..2 {
            let response = a.app.clone().oneshot(gz(accept)).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response
                    .headers()
                    .get(header::CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                coding,
                "{accept}"
            );
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            if coding.is_none() {
                assert!(String::from_utf8_lossy(&bytes).contains("id=\"a2-2\""));
            } else {
                assert!(!bytes.starts_with(b"<!DOCTYPE"));
            }
        }
    }
}

// ---- The sample corpus through the real importer -------------------------------------

const HOSTILE: &str = "5 May 201910:00\n\nRemarks by Foreign Minister Sergey Lavrov \"><img src=x onerror=alert(1)> <script>alert(1)</script> at a news conference, Moscow, May 5, 2019\n\nSergey Lavrov: Dear colleagues, <script>alert('x')</script> and \"><img src=x onerror=alert(1)> are only words here.\n\nQuestion: What about <b>bold</b> & other tags?\n\nSergey Lavrov: They stay text, as every document does.\n";

async fn corpus_archive() -> Archive {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile");
    std::fs::create_dir(&hostile).unwrap();
    std::fs::write(hostile.join("hostile.txt"), HOSTILE).unwrap();
    let pool = communique::db::connect(dir.path().join("archive.db"))
        .await
        .unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let summary = communique::import::import_paths(
        &pool,
        &[corpus, hostile],
        &Registry::builtin(),
        &communique::import::ImportOptions::quiet(),
    )
    .await
    .unwrap();
    assert_eq!((summary.imported, summary.failed), (6, 0));
    let app = router(AppState::new(pool.clone(), Config::new(BASE)));
    Archive {
        app,
        pool,
        _dir: dir,
    }
}

/// Titles of the statements a list page shows, in order.
fn listed_titles(body: &str) -> Vec<String> {
    body.split("<a class=\"title\" href=\"/statements/")
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').unwrap() + 1;
            rest[start..rest.find("</a>").unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn corpus_filters_by_forum_and_year_give_exactly_the_right_statements() {
    let a = corpus_archive().await;
    let r = a.get("/statements?forum=csto").await;
    Archive::ok(&r);
    let titles = listed_titles(&r.body);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0]
        .contains("following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018"));

    let titles = listed_titles(&a.get("/statements?forum=cis").await.body);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(
        titles[0].contains("following the CIS Council of Foreign Ministers, Minsk, April 12, 2024")
    );

    let titles = listed_titles(&a.get("/statements?forum=cica").await.body);
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].contains("Beijing, April 28, 2016")
            && titles[1].contains("Astana, September, 12th, 2012")
    );

    let titles = listed_titles(&a.get("/statements?year=2012").await.body);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with(
        "Comment and answers of the Minister of Foreign Affairs of Russia S.V. Lavrov"
    ));

    let r = a.get("/statements").await;
    assert!(r.body.contains("<p class=\"total\">6 statements</p>"));
    let r = a.get("/statements?forum=csto&year=2012").await;
    assert!(listed_titles(&r.body).is_empty());
}

#[tokio::test]
async fn corpus_every_turn_has_its_anchor_and_every_exchange_its_page() {
    let a = corpus_archive().await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM statements ORDER BY id")
        .fetch_all(&a.pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), 6);
    let mut answers = 0;
    for id in &ids {
        let api = a.get(&format!("/api/statements/{id}")).await;
        Archive::ok(&api);
        let s: Statement = serde_json::from_str(&api.body).unwrap();
        let page = a.get(&format!("/statements/{id}")).await;
        Archive::ok(&page);
        for seg in &s.segments {
            assert!(
                page.body.contains(&format!("id=\"{}\"", seg.anchor)),
                "{id}#{}",
                seg.anchor
            );
            assert!(
                page.body.contains(&format!("href=\"#{}\"", seg.anchor)),
                "{id}#{}",
                seg.anchor
            );
            if seg.kind == SegmentKind::Answer {
                answers += 1;
                let e = seg.exchange.unwrap();
                let ex = a.get(&format!("/statements/{id}/answers/{e}")).await;
                Archive::ok(&ex);
                assert!(ex.body.contains(&format!("id=\"{}\"", seg.anchor)));
                assert!(ex.body.contains(&format!(
                    "<link rel=\"canonical\" href=\"{BASE}/statements/{id}/answers/{e}\">"
                )));
            }
        }
    }
    // CIS 5, CSTO 3, Astana 2013 1, Astana 2012 2, and the hostile file's 1.
    assert_eq!(answers, 12);
}

#[tokio::test]
async fn corpus_statement_with_markup_in_title_and_text_renders_escaped() {
    let a = corpus_archive().await;
    let r = a.get("/statements?year=2019").await;
    let href = r
        .body
        .split("<a class=\"title\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for uri in [
        href.clone(),
        format!("{href}/answers/1"),
        "/".into(),
        "/statements?year=2019".into(),
    ] {
        let r = a.get(&uri).await;
        Archive::ok(&r);
        assert!(!r.body.contains("<script"), "{uri}");
        assert!(!r.body.contains("<img"), "{uri}");
        assert!(!r.body.contains("<b>bold"), "{uri}");
        assert!(
            r.body
                .contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"),
            "{uri}"
        );
    }
    let r = a.get(&href).await;
    assert!(r
        .body
        .contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"));
    assert!(r
        .body
        .contains("&#60;b&#62;bold&#60;/b&#62; &#38; other tags?"));
}

#[tokio::test]
async fn corpus_alias_redirects_to_the_surviving_statement() {
    let a = corpus_archive().await;
    let id: String = sqlx::query_scalar("SELECT id FROM statements WHERE title LIKE '%CSTO%'")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO aliases (alias, statement_id) VALUES ('2018-06-11-merged-csto', ?)")
        .bind(&id)
        .execute(&a.pool)
        .await
        .unwrap();
    let r = a.get("/statements/2018-06-11-merged-csto/answers/3").await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        r.headers[header::LOCATION],
        format!("/statements/{id}/answers/3")
    );
    Archive::ok(&a.get(&format!("/statements/{id}/answers/3")).await);
}

#[test]
fn the_bundled_corpus_is_the_corpus_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut on_disk: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    on_disk.sort();
    let bundled: Vec<(String, Vec<u8>)> = communique::web::serve::BUNDLED_CORPUS
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
        .collect();
    assert_eq!(bundled, on_disk);
}

#[tokio::test]
async fn a_real_listener_serves_until_shutdown_then_finishes() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let a = archive().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(communique::web::launch_with_listener(
        listener,
        AppState::new(a.pool.clone(), Config::new(BASE)),
        async {
            let _ = stopped.await;
        },
    ));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.ends_with("\r\n\r\nok"), "{reply}");
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("the server stops after the shutdown signal")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
