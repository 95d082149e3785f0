//! The JSON API over the sample corpus, through the router without a server: every
//! endpoint's status and content, pagination links, filters, errors, and every response
//! validated against the OpenAPI document the server itself serves.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::SqlitePool;
use tower::ServiceExt;

struct Archive {
    app: Router,
    pool: SqlitePool,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    text: String,
}

impl Reply {
    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Archive {
    /// The bundled corpus imported through the real importer.
    async fn corpus() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let pool = communique::db::connect(dir.path().join("archive.db"))
            .await
            .unwrap();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let summary = communique::import::import_paths(
            &pool,
            &[corpus],
            &Registry::builtin(),
            &communique::import::ImportOptions::quiet(),
        )
        .await
        .unwrap();
        assert_eq!((summary.imported, summary.failed), (5, 0));
        let app = router(AppState::new(
            pool.clone(),
            Config::new("https://archive.example.org"),
        ));
        Archive {
            app,
            pool,
            _dir: dir,
        }
    }

    async fn request(&self, method: Method, uri: &str) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let content_type = header(header::CONTENT_TYPE).unwrap_or_default();
        let location = header(header::LOCATION);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            content_type,
            location,
            text: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.request(Method::GET, uri).await
    }

    /// A 200 JSON body.
    async fn ok(&self, uri: &str) -> Value {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text);
        assert_eq!(r.content_type, "application/json", "{uri}");
        r.json()
    }

    /// An error reply: its status, and the JSON error object of Contract 2.
    async fn error(&self, uri: &str, status: StatusCode, code: &str) -> String {
        let r = self.get(uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.text);
        assert_eq!(r.content_type, "application/json", "{uri}");
        let body = r.json();
        let object = body.as_object().unwrap();
        assert_eq!(object.len(), 1, "{uri}: {body}");
        let error = body["error"].as_object().unwrap();
        assert_eq!(error.len(), 2, "{uri}: {body}");
        assert_eq!(error["code"], code, "{uri}");
        let message = error["message"].as_str().unwrap().to_owned();
        assert!(!message.is_empty());
        message
    }

    async fn id_where(&self, title_like: &str) -> String {
        sqlx::query_scalar("SELECT id FROM statements WHERE title LIKE ?")
            .bind(title_like)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

fn ids(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

// ---- Statements ----------------------------------------------------------------------

#[tokio::test]
async fn statements_list_newest_first_with_summaries_that_agree_with_the_objects() {
    let a = Archive::corpus().await;
    let list = a.ok("/api/statements").await;
    assert_eq!(
        list["pagination"],
        json!({"page": 1, "limit": 20, "total": 5, "next": null, "prev": null})
    );
    let results = list["results"].as_array().unwrap();
    let dates: Vec<&str> = results
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2024-04-12",
            "2018-06-11",
            "2016-04-28",
            "2013-09-12",
            "2012-09-12"
        ]
    );
    for summary in results {
        let id = summary["id"].as_str().unwrap();
        assert_eq!(summary["url"], format!("/statements/{id}"));
        assert_eq!(summary["api_url"], format!("/api/statements/{id}"));
        // The summary says what the whole object says.
        let whole = a.ok(summary["api_url"].as_str().unwrap()).await;
        for key in [
            "id", "title", "date", "time", "place", "kind", "language", "forums", "speakers",
        ] {
            assert_eq!(summary[key], whole[key], "{id}: {key}");
        }
        let segments = whole["segments"].as_array().unwrap();
        let answers = segments.iter().filter(|g| g["kind"] == "answer").count();
        let exchanges: BTreeSet<i64> = segments
            .iter()
            .filter_map(|g| g["exchange"].as_i64())
            .collect();
        assert_eq!(summary["answers"], answers, "{id}");
        assert_eq!(summary["exchanges"], exchanges.len(), "{id}");
    }
    let csto = &results[1];
    assert_eq!(csto["time"], "11:50");
    assert_eq!(csto["place"], "Almaty");
    assert_eq!(csto["kind"], "answers");
    assert_eq!(
        (csto["exchanges"].as_i64(), csto["answers"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        csto["forums"],
        json!([{"slug": "csto", "acronym": "CSTO", "name": "Collective Security Treaty Organization"}])
    );
}

#[tokio::test]
async fn statement_filters_give_exactly_the_matching_statements() {
    let a = Archive::corpus().await;
    let csto = a.id_where("%CSTO Council%").await;
    let cis = a.id_where("%CIS Council%").await;
    let list = a.ok("/api/statements?forum=csto").await;
    assert_eq!(ids(&list), std::slice::from_ref(&csto));
    assert_eq!(list["pagination"]["total"], 1);
    // Slugs are case-insensitive; empty values are absent.
    assert_eq!(
        ids(&a.ok("/api/statements?forum=CSTO&year=&kind=").await),
        std::slice::from_ref(&csto)
    );
    assert_eq!(
        ids(&a.ok("/api/statements?speaker=sergey-lebedev").await),
        std::slice::from_ref(&cis)
    );
    assert_eq!(ids(&a.ok("/api/statements?forum=cica").await).len(), 2);
    let y2012 = ids(&a.ok("/api/statements?year=2012").await);
    assert_eq!(y2012.len(), 1);
    assert!(y2012[0].starts_with("2012-09-12"));
    // Every kind, year and forum of the archive selects exactly its statements.
    let all = a.ok("/api/statements").await;
    let all = all["results"].as_array().unwrap();
    let mut filters: BTreeSet<String> = BTreeSet::new();
    for s in all {
        filters.insert(format!("kind={}", s["kind"].as_str().unwrap()));
        filters.insert(format!("year={}", &s["date"].as_str().unwrap()[..4]));
        for f in s["forums"].as_array().unwrap() {
            filters.insert(format!("forum={}", f["slug"].as_str().unwrap()));
        }
    }
    assert!(filters.len() >= 10, "{filters:?}");
    for filter in &filters {
        let (key, value) = filter.split_once('=').unwrap();
        let want: Vec<String> = all
            .iter()
            .filter(|s| match key {
                "kind" => s["kind"] == value,
                "year" => s["date"].as_str().unwrap().starts_with(value),
                _ => s["forums"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["slug"] == value),
            })
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            ids(&a.ok(&format!("/api/statements?{filter}")).await),
            want,
            "{filter}"
        );
    }
    let press = ids(&a.ok("/api/statements?kind=press_conference").await);
    assert!(press.contains(&cis), "{press:?}");
    assert_eq!(ids(&a.ok("/api/statements?lang=en").await).len(), 5);
    let none = a.ok("/api/statements?forum=csto&year=2012").await;
    assert_eq!(none["results"], json!([]));
    assert_eq!(none["pagination"]["total"], 0);
    // A forum the registry knows but the archive has no statement of is no error.
    assert_eq!(
        a.ok("/api/statements?forum=sco").await["pagination"]["total"],
        0
    );
}

#[tokio::test]
async fn statement_pages_link_to_each_other_and_cover_the_list_once() {
    let a = Archive::corpus().await;
    let all = ids(&a.ok("/api/statements").await);
    let first = a.ok("/api/statements?limit=2").await;
    assert_eq!(
        first["pagination"],
        json!({"page": 1, "limit": 2, "total": 5,
               "next": "/api/statements?page=2&limit=2", "prev": null})
    );
    let mut seen = Vec::new();
    let mut page = first;
    let mut pages = 1;
    loop {
        seen.extend(ids(&page));
        let Some(next) = page["pagination"]["next"].as_str().map(str::to_owned) else {
            break;
        };
        let following = a.ok(&next).await;
        // Each page's `prev` leads back to the page before it.
        let back = a
            .ok(following["pagination"]["prev"].as_str().unwrap())
            .await;
        assert_eq!(ids(&back), ids(&page));
        page = following;
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, all);
    assert_eq!(page["pagination"]["prev"], "/api/statements?page=2&limit=2");

    // Links keep the filters and the order; `oldest` reverses the list.
    let oldest = a.ok("/api/statements?sort=oldest&lang=en&limit=4").await;
    assert_eq!(
        oldest["pagination"]["next"],
        "/api/statements?lang=en&sort=oldest&page=2&limit=4"
    );
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(ids(&oldest), reversed[..4]);
    // Past the end: an empty page that still links back.
    let past = a.ok("/api/statements?page=9").await;
    assert_eq!(past["results"], json!([]));
    assert_eq!(past["pagination"]["prev"], "/api/statements?page=8");
    // A limit over 100 is read as 100, however large.
    let big = a.ok("/api/statements?limit=100000000000000000000000").await;
    assert_eq!(big["pagination"]["limit"], 100);
}

#[tokio::test]
async fn malformed_and_unknown_parameters_are_400_json_naming_the_parameter() {
    let a = Archive::corpus().await;
    for (uri, word) in [
        ("/api/statements?year=abc", "`year`"),
        ("/api/statements?page=0", "`page`"),
        ("/api/statements?page=-1", "`page`"),
        ("/api/statements?limit=0", "`limit`"),
        ("/api/statements?kind=poem", "`kind`"),
        ("/api/statements?lang=english", "`lang`"),
        ("/api/statements?sort=relevance", "`sort=relevance`"),
        ("/api/statements?forum=nowhere", "Unknown forum `nowhere`"),
        ("/api/statements?speaker=nobody", "Unknown speaker `nobody`"),
        ("/api/statements?forum=%3Cscript%3E", "`forum`"),
        ("/api/speakers?page=x", "`page`"),
        ("/api/forums?limit=-3", "`limit`"),
        ("/api/search?q=a&from=2020-02-30", "`from`"),
        ("/api/search?q=a&from=2021-01-01&to=2020-01-01", "after"),
        ("/api/search?q=a&turn=heading", "`turn`"),
        ("/api/search?q=a&group=speaker", "`group`"),
    ] {
        let message = a.error(uri, StatusCode::BAD_REQUEST, "bad_request").await;
        assert!(message.contains(word), "{uri}: {message}");
    }
    let long = format!("/api/search?q={}", "a".repeat(1001));
    let message = a.error(&long, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(message.contains("1000 characters"), "{message}");
}

#[tokio::test]
async fn statement_object_404_and_alias_redirect() {
    let a = Archive::corpus().await;
    let id = a.id_where("%CSTO Council%").await;
    let s = a.ok(&format!("/api/statements/{id}")).await;
    assert_eq!(s["id"], id);
    assert_eq!(s["segments"][1]["anchor"], "a1");
    let message = a
        .error(
            "/api/statements/1999-01-01-nothing",
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    assert!(message.contains("1999-01-01-nothing"));
    a.error("/api/statements/%FF", StatusCode::NOT_FOUND, "not_found")
        .await;

    sqlx::query("INSERT INTO aliases (alias, statement_id) VALUES ('2018-06-11-merged', ?)")
        .bind(&id)
        .execute(&a.pool)
        .await
        .unwrap();
    let r = a.get("/api/statements/2018-06-11-merged").await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(r.location.unwrap(), format!("/api/statements/{id}"));
}

// ---- Speakers and forums -------------------------------------------------------------

#[tokio::test]
async fn speakers_list_and_detail_with_counts_forums_years_and_statements_link() {
    let a = Archive::corpus().await;
    let list = a.ok("/api/speakers").await;
    assert_eq!(list["pagination"]["total"], 2);
    assert_eq!(list["results"][0]["slug"], "sergey-lavrov");
    assert_eq!(list["results"][0]["statements"], 5);
    assert_eq!(list["results"][0]["api_url"], "/api/speakers/sergey-lavrov");
    assert_eq!(list["results"][1]["slug"], "sergey-lebedev");
    assert_eq!(list["results"][1]["statements"], 1);
    let paged = a.ok("/api/speakers?limit=1&page=2").await;
    assert_eq!(paged["results"].as_array().unwrap().len(), 1);
    assert_eq!(paged["results"][0]["slug"], "sergey-lebedev");
    assert_eq!(
        paged["pagination"],
        json!({"page": 2, "limit": 1, "total": 2, "next": null, "prev": "/api/speakers?limit=1"})
    );

    let lavrov = a.ok("/api/speakers/Sergey-Lavrov").await;
    assert_eq!(lavrov["slug"], "sergey-lavrov");
    assert_eq!(lavrov["name"], "Sergey Lavrov");
    assert_eq!(lavrov["statements"], 5);
    assert_eq!(lavrov["url"], "/speakers/sergey-lavrov");
    assert_eq!(
        lavrov["forums"],
        json!([{"slug": "cica", "name": "CICA", "count": 2},
               {"slug": "cis", "name": "CIS", "count": 1},
               {"slug": "csto", "name": "CSTO", "count": 1}])
    );
    let years: Vec<i64> = lavrov["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2024, 2018, 2016, 2013, 2012]);
    // Their answers are the answer turns with their slug across their statements.
    let statements = a.ok(lavrov["statements_url"].as_str().unwrap()).await;
    assert_eq!(statements["pagination"]["total"], 5);
    let mut answers = 0;
    for id in ids(&statements) {
        let s = a.ok(&format!("/api/statements/{id}")).await;
        answers += s["segments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["kind"] == "answer" && g["speaker"] == "sergey-lavrov")
            .count();
    }
    assert!(answers > 0);
    assert_eq!(lavrov["answers"], answers);

    let message = a
        .error("/api/speakers/nobody", StatusCode::NOT_FOUND, "not_found")
        .await;
    assert!(message.contains("nobody"));
}

#[tokio::test]
async fn forums_list_and_detail_with_speakers_years_and_statements_link() {
    let a = Archive::corpus().await;
    let list = a.ok("/api/forums").await;
    let slugs: Vec<&str> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["cica", "cis", "csto"]);
    assert_eq!(list["results"][0]["statements"], 2);
    assert_eq!(list["pagination"]["total"], 3);

    let csto = a.ok("/api/forums/CSTO").await;
    assert_eq!(csto["slug"], "csto");
    assert_eq!(csto["acronym"], "CSTO");
    assert_eq!(csto["name"], "Collective Security Treaty Organization");
    assert_eq!(csto["statements"], 1);
    assert_eq!(
        csto["speakers"],
        json!([{"slug": "sergey-lavrov", "name": "Sergey Lavrov", "count": 1}])
    );
    assert_eq!(csto["years"], json!([{"year": 2018, "count": 1}]));
    assert_eq!(csto["statements_url"], "/api/statements?forum=csto");
    let statements = a.ok(csto["statements_url"].as_str().unwrap()).await;
    assert_eq!(ids(&statements), [a.id_where("%CSTO Council%").await]);

    let cis = a.ok("/api/forums/cis").await;
    let speakers: Vec<&str> = cis["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(speakers, ["sergey-lavrov", "sergey-lebedev"]);

    a.error(
        "/api/forums/nato-summit",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

// ---- Search --------------------------------------------------------------------------

#[tokio::test]
async fn search_lands_on_turns_and_groups_by_statement() {
    let a = Archive::corpus().await;
    let csto = a.id_where("%CSTO Council%").await;
    let r = a.ok("/api/search?q=INF+Treaty&forum=csto").await;
    assert_eq!(r["query"], "INF Treaty");
    let total = r["pagination"]["total"].as_i64().unwrap();
    assert!(total >= 2, "{r}");
    let hits = r["results"].as_array().unwrap();
    assert_eq!(hits.len() as i64, total);
    for hit in hits {
        assert_eq!(hit["statement"]["id"], csto.as_str());
        assert_eq!(hit["statement"]["forums"], json!(["csto"]));
        let anchor = hit["segment"]["anchor"].as_str().unwrap();
        assert_eq!(hit["url"], format!("/statements/{csto}#{anchor}"));
        assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
        assert!(hit.get("hits").is_none());
    }
    assert_eq!(
        r["facets"]["forum"],
        json!([{"slug": "csto", "name": "CSTO", "count": total}])
    );
    assert_eq!(r["facets"]["year"], json!([{"year": 2018, "count": total}]));

    let grouped = a.ok("/api/search?q=treaty&group=statement&limit=1").await;
    let first = &grouped["results"][0];
    assert!(first["hits"].as_i64().unwrap() >= 1);
    let statements = grouped["pagination"]["total"].as_i64().unwrap();
    assert!(statements >= 2, "{grouped}");
    assert_eq!(
        grouped["pagination"]["next"],
        "/api/search?q=treaty&group=statement&page=2&limit=1"
    );
    // Without a query, nothing is searched and nothing found.
    let empty = a.ok("/api/search").await;
    assert_eq!(empty["results"], json!([]));
    assert_eq!(empty["pagination"]["total"], 0);
}

// ---- Fallbacks and the page for people -----------------------------------------------

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json_errors() {
    let a = Archive::corpus().await;
    a.error("/api/nothing", StatusCode::NOT_FOUND, "not_found")
        .await;
    a.error("/api/statements/", StatusCode::NOT_FOUND, "not_found")
        .await;
    let r = a.request(Method::POST, "/api/statements").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.content_type, "application/json");
    assert_eq!(r.json()["error"]["code"], "bad_request");
}

#[tokio::test]
async fn api_page_describes_every_endpoint_and_is_linked_from_every_page() {
    let a = Archive::corpus().await;
    let r = a.get("/api").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type, "text/html; charset=utf-8");
    let doc: Value = serde_json::from_str(&openapi_text(&a).await).unwrap();
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(
            r.text.contains(&format!("<code>GET {path}</code>")),
            "{path}"
        );
    }
    assert!(r.text.contains("href=\"/api/openapi.json\""));
    assert!(r
        .text
        .contains("https://archive.example.org/api/statements?forum=csto"));
    assert!(r.text.contains("\"bad_request\""));
    // The CSP forbids inline styles and scripts.
    assert!(!r.text.contains("style="));
    assert!(!r.text.contains("<script"));
    let home = a.get("/").await;
    assert!(home.text.contains("<a href=\"/api\">"));
}

// ---- The OpenAPI document ------------------------------------------------------------

async fn openapi_text(a: &Archive) -> String {
    let r = a.get("/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type, "application/json");
    r.text
}

/// Validates bodies against the schemas of the served document, `$ref`s resolved
/// within it.
struct Conformance {
    doc: Value,
}

impl Conformance {
    /// A validator for the schema at this JSON pointer of the document.
    fn validator(&self, pointer: &str) -> jsonschema::Validator {
        let mut root = self.doc.clone();
        root["$ref"] = Value::String(format!("#{pointer}"));
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{pointer}: {e}"))
    }

    /// The pointer of the JSON response schema of `GET template` for `status`, which the
    /// document must declare.
    #[track_caller]
    fn response_pointer(&self, template: &str, status: StatusCode) -> String {
        let escaped = template.replace('~', "~0").replace('/', "~1");
        let response = &self.doc["paths"][template]["get"]["responses"][status.as_str()];
        assert!(
            response.is_object(),
            "{template}: status {status} is not documented"
        );
        assert!(
            response["content"]["application/json"]["schema"].is_object(),
            "{template} {status}: no JSON schema"
        );
        // Braces are not allowed in a URI fragment: percent-encoded, then decoded.
        format!(
            "/paths/{}/get/responses/{}/content/application~1json/schema",
            escaped.replace('{', "%7B").replace('}', "%7D"),
            status.as_str()
        )
    }

    #[track_caller]
    fn check(&self, template: &str, uri: &str, reply: &Reply) {
        assert_eq!(reply.content_type, "application/json", "{uri}");
        let pointer = self.response_pointer(template, reply.status);
        let body = reply.json();
        let validator = self.validator(&pointer);
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{uri} ({}): {errors:#?}", reply.status);
    }
}

#[tokio::test]
async fn every_response_conforms_to_the_served_document() {
    let a = Archive::corpus().await;
    let doc: Value = serde_json::from_str(&openapi_text(&a).await).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let c = Conformance { doc };
    let csto = a.id_where("%CSTO Council%").await;
    let mut cases: Vec<(&str, String)> = vec![
        ("/api/statements", "/api/statements".into()),
        (
            "/api/statements",
            "/api/statements?forum=csto&limit=1".into(),
        ),
        (
            "/api/statements",
            "/api/statements?sort=oldest&page=2&limit=2".into(),
        ),
        ("/api/statements", "/api/statements?page=50".into()),
        ("/api/statements", "/api/statements?year=abc".into()),
        ("/api/statements", "/api/statements?forum=nowhere".into()),
        ("/api/speakers", "/api/speakers".into()),
        ("/api/speakers", "/api/speakers?limit=1".into()),
        ("/api/speakers", "/api/speakers?page=0".into()),
        ("/api/speakers/{slug}", "/api/speakers/sergey-lavrov".into()),
        (
            "/api/speakers/{slug}",
            "/api/speakers/sergey-lebedev".into(),
        ),
        ("/api/speakers/{slug}", "/api/speakers/nobody".into()),
        ("/api/forums", "/api/forums".into()),
        ("/api/forums", "/api/forums?limit=abc".into()),
        ("/api/forums/{slug}", "/api/forums/cica".into()),
        ("/api/forums/{slug}", "/api/forums/nowhere".into()),
        ("/api/search", "/api/search".into()),
        ("/api/search", "/api/search?q=treaty".into()),
        ("/api/search", "/api/search?q=treaty&group=statement".into()),
        (
            "/api/search",
            "/api/search?q=%22unbalanced&sort=newest&turn=question".into(),
        ),
        (
            "/api/search",
            "/api/search?q=security&from=2012-01-01&to=2016-12-31".into(),
        ),
        ("/api/search", "/api/search?q=a&year=twenty".into()),
        (
            "/api/statements/{id}",
            "/api/statements/1999-01-01-nothing".into(),
        ),
    ];
    let all = a.ok("/api/statements").await;
    for id in ids(&all) {
        cases.push(("/api/statements/{id}", format!("/api/statements/{id}")));
    }
    cases.push(("/api/statements/{id}", format!("/api/statements/{csto}")));
    for (template, uri) in &cases {
        let reply = a.get(uri).await;
        c.check(template, uri, &reply);
    }
    // Error responses of routes the router does not know match the error schema too.
    let any_error = c.validator("/components/schemas/ErrorBody");
    for uri in ["/api/nothing", "/api/statements/a/b/c"] {
        let body = a.get(uri).await.json();
        assert!(any_error.is_valid(&body), "{uri}: {body}");
    }
}

#[tokio::test]
async fn validation_against_the_document_catches_a_body_that_breaks_it() {
    let a = Archive::corpus().await;
    let c = Conformance {
        doc: serde_json::from_str(&openapi_text(&a).await).unwrap(),
    };
    let csto = a.id_where("%CSTO Council%").await;
    let good = a.ok(&format!("/api/statements/{csto}")).await;
    let statement = c.validator(&c.response_pointer("/api/statements/{id}", StatusCode::OK));
    assert!(statement.is_valid(&good));
    let broken: Vec<(&str, Value)> = vec![
        ("extra key", {
            let mut v = good.clone();
            v["extra"] = json!(1);
            v
        }),
        ("missing key", {
            let mut v = good.clone();
            v.as_object_mut().unwrap().remove("source_url");
            v
        }),
        ("unknown kind", {
            let mut v = good.clone();
            v["kind"] = json!("poem");
            v
        }),
        ("bad date", {
            let mut v = good.clone();
            v["date"] = json!("11 June 2018");
            v
        }),
        ("segment without anchor", {
            let mut v = good.clone();
            v["segments"][0].as_object_mut().unwrap().remove("anchor");
            v
        }),
        ("null list", {
            let mut v = good.clone();
            v["tags"] = Value::Null;
            v
        }),
    ];
    for (what, body) in broken {
        assert!(!statement.is_valid(&body), "{what} passed");
    }
    // A turn hit with `hits` is neither kind of search result.
    let search = a.ok("/api/search?q=treaty").await;
    let results = c.validator(&c.response_pointer("/api/search", StatusCode::OK));
    assert!(results.is_valid(&search));
    let mut mixed = search;
    mixed["results"][0]["hits"] = json!(2);
    mixed["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("snippet");
    assert!(!results.is_valid(&mixed));
    let error = c.validator("/components/schemas/ErrorBody");
    assert!(!error.is_valid(&json!({"error": {"code": "teapot", "message": "x"}})));
    assert!(!error.is_valid(&json!({"error": {"code": "not_found"}})));
}

#[tokio::test]
async fn document_declares_closed_objects_enums_errors_and_parameter_constraints() {
    let a = Archive::corpus().await;
    let doc: Value = serde_json::from_str(&openapi_text(&a).await).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();

    // Contract objects: every key required, no other allowed.
    for name in [
        "Statement",
        "Segment",
        "ForumRef",
        "SpeakerRef",
        "StatementSummary",
        "SpeakerSummary",
        "SpeakerDetail",
        "ForumSummary",
        "ForumDetail",
        "Pagination",
        "ListResponse_StatementSummary",
        "ListResponse_SpeakerSummary",
        "ListResponse_ForumSummary",
        "SearchResponse",
        "SearchFacets",
        "TurnHit",
        "StatementHit",
        "HitStatement",
        "HitSegment",
        "NamedCount",
        "YearCount",
        "ErrorBody",
        "ErrorDetail",
    ] {
        let s = &schemas[name];
        assert_eq!(s["type"], "object", "{name}");
        let properties: BTreeSet<&str> = s["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no properties"))
            .keys()
            .map(String::as_str)
            .collect();
        let required: BTreeSet<&str> = s["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no required"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, properties, "{name}");
        assert_eq!(s["additionalProperties"], false, "{name}");
    }
    // Nullable where Contract 1 says `null`, never absent.
    let statement = &schemas["Statement"]["properties"];
    assert_eq!(statement["title"]["type"], json!(["string", "null"]));
    assert_eq!(statement["date"]["format"], "date");
    assert_eq!(statement["tags"]["type"], "array");
    assert_eq!(
        schemas["Segment"]["properties"]["exchange"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(
        schemas["SearchResult"]["oneOf"],
        json!([{"$ref": "#/components/schemas/TurnHit", "description": "One result per matching turn."},
               {"$ref": "#/components/schemas/StatementHit", "description": "One result per matching statement."}])
    );

    let enum_of = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is no enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        enum_of("Kind"),
        communique::model::Kind::ALL.map(|k| k.as_str().to_owned())
    );
    assert_eq!(
        enum_of("SegmentKind"),
        ["remarks", "question", "answer", "heading"]
    );
    assert_eq!(
        enum_of("ErrorCode"),
        ["bad_request", "not_found", "internal"]
    );
    assert_eq!(enum_of("ListSort"), ["newest", "oldest"]);
    assert_eq!(enum_of("SearchSort"), ["relevance", "newest", "oldest"]);
    assert_eq!(enum_of("Turn"), ["answer", "question", "remarks"]);
    assert_eq!(enum_of("Group"), ["statement"]);

    // Every endpoint: its errors documented with the error schema, its parameters typed.
    let error_ref = json!({"$ref": "#/components/schemas/ErrorBody"});
    let paths = doc["paths"].as_object().unwrap();
    let expected: BTreeSet<&str> = [
        "/api/openapi.json",
        "/api/statements",
        "/api/statements/{id}",
        "/api/speakers",
        "/api/speakers/{slug}",
        "/api/forums",
        "/api/forums/{slug}",
        "/api/search",
    ]
    .into();
    assert_eq!(
        paths.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        expected
    );
    // Response links name operations that exist, the way OpenAPI spells it.
    let operations: BTreeSet<&str> = paths
        .values()
        .map(|item| item["get"]["operationId"].as_str().unwrap())
        .collect();
    let mut links = 0;
    for item in paths.values() {
        for response in item["get"]["responses"].as_object().unwrap().values() {
            for link in response["links"]
                .as_object()
                .into_iter()
                .flat_map(|l| l.values())
            {
                let target = link["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{link}"));
                assert!(operations.contains(target), "{target}");
                assert!(link.get("operation_id").is_none());
                links += 1;
            }
        }
    }
    assert_eq!(links, 6);
    for (path, item) in paths {
        if path == "/api/openapi.json" {
            continue;
        }
        let op = &item["get"];
        let responses = op["responses"].as_object().unwrap();
        let has_query = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["in"] == "query");
        let errors: &[&str] = if path.contains('{') {
            &["404", "500"]
        } else {
            &["400", "500"]
        };
        assert_eq!(has_query, !path.contains('{'), "{path}");
        for status in errors {
            assert_eq!(
                responses[*status]["content"]["application/json"]["schema"], error_ref,
                "{path} {status}"
            );
        }
        for p in op["parameters"].as_array().unwrap() {
            let schema = &p["schema"];
            match p["name"].as_str().unwrap() {
                "page" => {
                    assert_eq!(schema["type"], "integer");
                    assert_eq!(schema["minimum"], 1);
                }
                "limit" => {
                    assert_eq!(schema["type"], "integer");
                    assert_eq!(schema["minimum"], 1);
                }
                "year" => {
                    assert_eq!(
                        (schema["minimum"].as_i64(), schema["maximum"].as_i64()),
                        (Some(1000), Some(9999))
                    );
                }
                "from" | "to" => {
                    assert_eq!(schema["type"], "string", "{path}");
                    assert_eq!(schema["format"], "date", "{path}");
                }
                "q" => assert_eq!(schema["maxLength"], 1000),
                "kind" => assert_eq!(schema["$ref"], "#/components/schemas/Kind"),
                "forum" | "speaker" | "lang" => assert!(schema["pattern"].is_string()),
                "sort" | "turn" | "group" => assert!(schema["$ref"].is_string()),
                "id" | "slug" => {
                    assert_eq!(p["in"], "path");
                    assert_eq!(p["required"], true);
                }
                other => panic!("{path}: undocumented parameter {other}"),
            }
        }
    }
}
