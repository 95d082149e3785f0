//! Search over the sample corpus, through the router: hits landing on the exact turn,
//! the query language, filters, facets and totals, grouping, titles, pages.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// The sample corpus imported once into a temporary database shared by every test.
async fn state() -> AppState {
    static DB: OnceCell<(tempfile::TempDir, AppState)> = OnceCell::const_new();
    let (_, state) = DB
        .get_or_init(|| async {
            let dir = tempfile::tempdir().unwrap();
            let pool = communique::db::connect(dir.path().join("archive.db"))
                .await
                .unwrap();
            let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
            let summary = communique::import::import_paths(
                &pool,
                &[corpus],
                &Registry::builtin(),
                &communique::import::ImportOptions::quiet(),
            )
            .await
            .unwrap();
            assert_eq!(summary.imported, 5);
            let mut config = Config::new("http://localhost");
            config.cache_bytes = 0;
            (dir, AppState::new(pool, config))
        })
        .await;
    state.clone()
}

async fn get(uri: &str) -> (StatusCode, String) {
    let response = router(state().await)
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[track_caller]
fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn api(query: &str) -> Value {
    let (status, body) = get(&format!("/api/search?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    json(&body)
}

/// `(statement id, anchor)` of every result, in order.
fn landing(v: &Value) -> Vec<(String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["statement"]["id"].as_str().unwrap().to_owned(),
                r["segment"]["anchor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const CICA_2012: &str =
    "2012-09-12-comment-answers-to-questions-of-mass-media-results-of-participation-meeting";
const CICA_2016: &str =
    "2016-04-28-speech-meeting-of-foreign-ministers-of-countries-that-are-parties";
const CIS_2024: &str = "2024-04-12-cis-make-remarks-reply-to-questions-joint-news-conference";
const CSTO_2018: &str =
    "2018-06-11-answers-to-media-questions-csto-council-of-foreign-ministers-meeting";
const KZ_2013: &str =
    "2013-09-12-speech-answers-to-questions-mass-media-press-conference-summarising";

fn hits(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[track_caller]
fn total(v: &Value) -> i64 {
    v["pagination"]["total"].as_i64().unwrap()
}

#[tokio::test]
async fn inf_treaty_lands_on_the_first_exchange_of_the_csto_statement() {
    let v = api("q=INF+Treaty").await;
    assert_eq!(v["query"], "INF Treaty");
    assert_eq!(total(&v), 2);
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CSTO_2018, "a1"), (CSTO_2018, "q1")])
    );
    // The answer says "INF Treaty" and "treaty" three times: it ranks first.
    let first = &v["results"][0];
    assert_eq!(first["url"], format!("/statements/{CSTO_2018}#a1").as_str());
    assert_eq!(
        first["segment"],
        serde_json::json!({"n": 2, "kind": "answer", "speaker": "sergey-lavrov", "exchange": 1, "anchor": "a1"})
    );
    assert_eq!(first["statement"]["date"], "2018-06-11");
    assert_eq!(first["statement"]["forums"], serde_json::json!(["csto"]));
    let snippet = first["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("a statement on the <mark>INF</mark> <mark>Treaty</mark>"),
        "{snippet}"
    );
    assert_eq!(
        v["facets"],
        serde_json::json!({
            "forum": [{"slug": "csto", "name": "CSTO", "count": 2}],
            "speaker": [{"slug": "sergey-lavrov", "name": "Sergey Lavrov", "count": 1}],
            "year": [{"year": 2018, "count": 2}],
        })
    );
    assert_eq!(
        v["pagination"],
        serde_json::json!({"page": 1, "limit": 20, "total": 2, "next": null, "prev": null})
    );
    // Case does not matter.
    assert_eq!(total(&api("q=inf+TREATY").await), 2);
}

#[tokio::test]
async fn prefixes_match_words_as_written() {
    // "negotiations" / "negotiation" in six turns of four statements; the stemmed index
    // holds "negoti", which `negotiat*` could not find there.
    let v = api("q=negotiat*").await;
    assert_eq!(total(&v), 6);
    assert_eq!(
        sorted(landing(&v)),
        hits(&[
            (CICA_2012, "r1"),
            (CICA_2012, "a1"),
            (CICA_2016, "r1"),
            (CIS_2024, "q2"),
            (CIS_2024, "a2"),
            (KZ_2013, "r1"),
        ])
    );
    for r in v["results"].as_array().unwrap() {
        let snippet = r["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>negotiation"), "{snippet}");
    }
    assert_eq!(
        v["facets"],
        serde_json::json!({
            "forum": [{"slug": "cica", "name": "CICA", "count": 3}, {"slug": "cis", "name": "CIS", "count": 2}],
            "speaker": [{"slug": "sergey-lavrov", "name": "Sergey Lavrov", "count": 5}],
            "year": [
                {"year": 2012, "count": 2}, {"year": 2013, "count": 1},
                {"year": 2016, "count": 1}, {"year": 2024, "count": 2},
            ],
        })
    );
}

#[tokio::test]
async fn forum_filter_narrows_to_the_cis_statement() {
    let v = api("q=negotiat*&forum=cis").await;
    assert_eq!(total(&v), 2);
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CIS_2024, "q2"), (CIS_2024, "a2")])
    );
    assert_eq!(
        v["facets"]["forum"],
        serde_json::json!([{"slug": "cis", "name": "CIS", "count": 2}])
    );
    // Slugs are case-insensitive.
    assert_eq!(total(&api("q=negotiat*&forum=CIS").await), 2);
}

#[tokio::test]
async fn stemming_finds_other_forms() {
    // Only "sanctions" is in the corpus (CICA 2012, a1).
    let v = api("q=sanction").await;
    assert_eq!(landing(&v), hits(&[(CICA_2012, "a1")]));
    assert!(v["results"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>sanctions</mark>"));
    // "negotiating" and "negotiations" share the stem "negoti".
    assert_eq!(total(&api("q=negotiating").await), 6);
}

#[tokio::test]
async fn phrases_keep_words_together() {
    let v = api("q=%22Nuclear+Forces%22").await;
    assert_eq!(landing(&v), hits(&[(CSTO_2018, "q1")]));
    // Three turns hold both words, two the phrase ("Conference for Interaction" is not it).
    assert_eq!(total(&api("q=Conference+Interaction").await), 3);
    let v = api("q=%22Conference+on+Interaction%22").await;
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CICA_2012, "r1"), (KZ_2013, "r1")])
    );
}

#[tokio::test]
async fn exclusion_drops_turns() {
    assert_eq!(total(&api("q=Afghanistan").await), 5);
    // NATO is named beside Afghanistan in the CSTO answer a2 only ("coordinator" in the
    // 2016 speech does not count).
    let v = api("q=Afghanistan+-NATO").await;
    assert_eq!(
        sorted(landing(&v)),
        hits(&[
            (CICA_2012, "r1"),
            (CICA_2016, "r1"),
            (CSTO_2018, "q2"),
            (KZ_2013, "r1")
        ])
    );
    // An excluded prefix.
    let v = api("q=Afghanistan+-negotiat*").await;
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CSTO_2018, "q2"), (CSTO_2018, "a2")])
    );
}

#[tokio::test]
async fn or_takes_either() {
    let v = api("q=Iraq+OR+Istanbul").await;
    assert_eq!(
        sorted(landing(&v)),
        hits(&[
            (CICA_2012, "a2"),
            (CICA_2016, "r1"),
            (CIS_2024, "q2"),
            (CIS_2024, "a2"),
            (CSTO_2018, "a2"),
        ])
    );
    // A word or a prefix: the two indexes combined by row.
    let v = api("q=sanctions+OR+Istanb*").await;
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CICA_2012, "a1"), (CIS_2024, "q2"), (CIS_2024, "a2")])
    );
}

#[tokio::test]
async fn diacritics_do_not_matter() {
    assert_eq!(total(&api("q=%C3%81fghanist%C3%A1n").await), 5);
}

#[tokio::test]
async fn group_by_statement_counts_statements() {
    let v = api("q=negotiat*&group=statement").await;
    assert_eq!(total(&v), 4);
    let mut by_statement: Vec<(String, i64)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["statement"]["id"].as_str().unwrap().to_owned();
            let anchor = r["segment"]["anchor"].as_str().unwrap();
            assert_eq!(r["url"], format!("/statements/{id}#{anchor}").as_str());
            (id, r["hits"].as_i64().unwrap())
        })
        .collect();
    by_statement.sort();
    assert_eq!(
        by_statement,
        vec![
            (CICA_2012.to_owned(), 2),
            (KZ_2013.to_owned(), 1),
            (CICA_2016.to_owned(), 1),
            (CIS_2024.to_owned(), 2),
        ]
    );
    assert_eq!(
        v["facets"],
        serde_json::json!({
            "forum": [{"slug": "cica", "name": "CICA", "count": 2}, {"slug": "cis", "name": "CIS", "count": 1}],
            "speaker": [{"slug": "sergey-lavrov", "name": "Sergey Lavrov", "count": 4}],
            "year": [
                {"year": 2012, "count": 1}, {"year": 2013, "count": 1},
                {"year": 2016, "count": 1}, {"year": 2024, "count": 1},
            ],
        })
    );
}

#[tokio::test]
async fn a_title_alone_is_represented_by_the_first_turn() {
    // "Almaty" is in the CSTO statement's title only, and in the body of the CIS remarks.
    let v = api("q=Almaty").await;
    assert_eq!(total(&v), 2);
    assert_eq!(
        sorted(landing(&v)),
        hits(&[(CIS_2024, "r1"), (CSTO_2018, "q1")])
    );
    let title_hit = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["statement"]["id"] == CSTO_2018)
        .unwrap();
    assert_eq!(
        title_hit["snippet"],
        "Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of \
         Foreign Ministers meeting, <mark>Almaty</mark>, June 11, 2018"
    );
    // A title match weighs more than a body match.
    assert_eq!(v["results"][0]["statement"]["id"], CSTO_2018);
    // A statement with a matching turn is not a title-only hit, even when filters hide
    // that turn: the 2013 title says "negotiations", and so do its remarks.
    assert_eq!(total(&api("q=negotiat*&turn=question").await), 1);
    // Filters apply to the representative turn too.
    assert_eq!(
        landing(&api("q=Almaty&turn=answer").await),
        hits(&[(CSTO_2018, "a1")])
    );
}

#[tokio::test]
async fn snippets_escape_document_text() {
    let v = api("q=six&turn=answer").await;
    let snippet = v["results"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("&quot;<mark>six</mark>&quot;"),
        "{snippet}"
    );
    assert!(!snippet
        .replace("<mark>", "")
        .replace("</mark>", "")
        .contains('<'));
}

#[tokio::test]
async fn filters_turn_speaker_year_dates_kind_lang() {
    let cases: &[(&str, i64)] = &[
        ("q=negotiat*&turn=question", 1),
        ("q=negotiat*&turn=remarks", 3),
        ("q=negotiat*&speaker=sergey-lavrov", 5),
        ("q=negotiat*&year=2012", 2),
        ("q=negotiat*&from=2013-01-01&to=2016-12-31", 2),
        ("q=negotiat*&from=2024-04-12", 2),
        // The 2013 speech's title also says "press conference", which is tried first.
        ("q=negotiat*&kind=speech", 1),
        ("q=negotiat*&kind=press_conference", 3),
        ("q=negotiat*&lang=en", 6),
        ("q=negotiat*&lang=ru", 0),
        ("q=negotiat*&year=&forum=", 6),
    ];
    for (query, expected) in cases {
        assert_eq!(total(&api(query).await), *expected, "{query}");
    }
}

#[tokio::test]
async fn sorting_by_date_and_stable_pages() {
    let v = api("q=negotiat*&sort=newest").await;
    assert_eq!(v["results"][0]["statement"]["id"], CIS_2024);
    assert_eq!(v["results"][0]["segment"]["anchor"], "q2");
    let v = api("q=negotiat*&sort=oldest").await;
    assert_eq!(v["results"][0]["statement"]["id"], CICA_2012);
    assert_eq!(v["results"][5]["statement"]["id"], CIS_2024);

    for sort in ["relevance", "newest", "oldest"] {
        let all = landing(&api(&format!("q=negotiat*&sort={sort}")).await);
        let mut paged = Vec::new();
        let mut next = Some(format!("/api/search?q=negotiat*&sort={sort}&limit=4"));
        let mut pages = 0;
        while let Some(uri) = next {
            let (status, body) = get(&uri).await;
            assert_eq!(status, StatusCode::OK);
            let v = json(&body);
            assert_eq!(total(&v), 6);
            paged.extend(landing(&v));
            next = v["pagination"]["next"].as_str().map(str::to_owned);
            pages += 1;
        }
        assert_eq!(pages, 2);
        assert_eq!(paged, all, "{sort}");
    }
    let v = api("q=negotiat*&limit=4&page=2").await;
    assert_eq!(v["pagination"]["prev"], "/api/search?q=negotiat%2A&limit=4");
    assert_eq!(v["pagination"]["next"], Value::Null);
}

#[tokio::test]
async fn queries_without_words_find_nothing() {
    for q in ["", "q=", "q=%22%22", "q=***", "q=-", "q=%28%29"] {
        let v = api(q).await;
        assert_eq!(total(&v), 0, "{q}");
        assert_eq!(v["results"], serde_json::json!([]));
        assert_eq!(
            v["facets"],
            serde_json::json!({"forum": [], "speaker": [], "year": []})
        );
    }
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message() {
    for query in [
        "q=x&forum=nowhere",
        "q=x&speaker=nobody-at-all",
        "q=x&year=abc",
        "q=x&page=-1",
        "q=x&turn=heading",
        "q=x&group=forum",
        "q=x&from=2020-13-01",
    ] {
        let (status, body) = get(&format!("/api/search?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let v = json(&body);
        assert_eq!(v["error"]["code"], "bad_request");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let long = "a".repeat(1001);
    let (status, body) = get(&format!("/api/search?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("1000"), "{body}");
    let (status, _) = get(&format!("/search?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get(&format!("/api/search?q={}", "a".repeat(1000))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_page_shows_hits_facets_and_the_chart() {
    let (status, html) = get("/search?q=negotiat*").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/statements/{CIS_2024}#a2\"")));
    assert!(html.contains("<mark>negotiation"));
    assert!(html.contains("6 matching turns"));
    // Facets link to the narrowed search; the speaker facet answers who says it most.
    assert!(
        html.contains("href=\"/search?q=negotiat%2A&#38;forum=cica\""),
        "{html}"
    );
    assert!(html.contains("Who says this most"));
    assert!(html.contains("href=\"/search?q=negotiat%2A&#38;speaker=sergey-lavrov\""));
    // One bar per year with a match, each a link with a title, in date order.
    let bars: Vec<&str> = html
        .match_indices("<title>20")
        .map(|(i, _)| &html[i..i + 30])
        .collect();
    assert_eq!(bars.len(), 4, "{bars:?}");
    assert!(bars[0].starts_with("<title>2012: 2 matches"));
    assert!(bars[3].starts_with("<title>2024: 2 matches"));
    assert!(html.contains("<a href=\"/search?q=negotiat%2A&#38;year=2016\"><rect"));
    assert!(!html.contains("style="), "no inline styles");
}

#[tokio::test]
async fn the_empty_page_explains_the_query_language() {
    let (status, html) = get("/search").await;
    assert_eq!(status, StatusCode::OK);
    for needle in ["How to search", "exact phrase", "OR", "negotiat*", "-NATO"] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn no_results_offers_to_drop_each_filter() {
    let (status, html) = get("/search?q=Istanbul&forum=csto&year=2018").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nothing matches"));
    assert!(
        html.contains("href=\"/search?q=Istanbul&#38;year=2018\""),
        "{html}"
    );
    assert!(html.contains("href=\"/search?q=Istanbul&#38;forum=csto\""));
}

/// A Russian statement, alone in its own archive.
async fn russian() -> AppState {
    static DB: OnceCell<(tempfile::TempDir, AppState)> = OnceCell::const_new();
    let (_, state) = DB
        .get_or_init(|| async {
            let dir = tempfile::tempdir().unwrap();
            let pool = communique::db::connect(dir.path().join("ru.db"))
                .await
                .unwrap();
            let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/real/bikovoy_01_ru_midru_1867466.page.txt");
            let summary = communique::import::import_paths(
                &pool,
                &[file],
                &Registry::builtin(),
                &communique::import::ImportOptions::quiet(),
            )
            .await
            .unwrap();
            assert_eq!(summary.imported, 1);
            let mut config = Config::new("http://localhost");
            config.cache_bytes = 0;
            (dir, AppState::new(pool, config))
        })
        .await;
    state.clone()
}

async fn russian_api(query: &str) -> Value {
    let response = router(russian().await)
        .oneshot(
            Request::get(format!("/api/search?{query}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    json(std::str::from_utf8(&body).unwrap())
}

#[tokio::test]
async fn cyrillic_words_prefixes_and_case() {
    // "Шанхайской", "Шанхайская", "шанхайские": each once in the text.
    let forms = russian_api("q=%D1%88%D0%B0%D0%BD%D1%85%D0%B0%D0%B9%D1%81%D0%BA%D0%BE%D0%B9+OR+%D1%88%D0%B0%D0%BD%D1%85%D0%B0%D0%B9%D1%81%D0%BA%D0%B0%D1%8F+OR+%D1%88%D0%B0%D0%BD%D1%85%D0%B0%D0%B9%D1%81%D0%BA%D0%B8%D0%B5").await;
    let prefix = russian_api("q=%D0%A8%D0%90%D0%9D%D0%A5%D0%90*").await; // ШАНХА*
    assert!(total(&forms) >= 1);
    assert_eq!(sorted(landing(&prefix)), sorted(landing(&forms)));
    for r in prefix["results"].as_array().unwrap() {
        let s = r["snippet"].as_str().unwrap().to_lowercase();
        assert!(s.contains("<mark>шанхайск"), "{s}");
    }
    // ШОС, any case; the statement is Russian.
    let upper = russian_api("q=%D0%A8%D0%9E%D0%A1").await;
    let lower = russian_api("q=%D1%88%D0%BE%D1%81&lang=ru").await;
    assert!(total(&upper) > 1);
    assert_eq!(total(&upper), total(&lower));
    assert!(upper["results"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>ШОС</mark>"));
    assert_eq!(total(&russian_api("q=%D1%88%D0%BE%D1%81&lang=en").await), 0);
}
