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

#[tokio::test]
async fn explore() {
    for q in ["q=INF+Treaty", "q=negotiat*", "q=CSTO&group=statement", "q=Astana"] {
        let v = api(q).await;
        println!("{q}: {}", serde_json::to_string_pretty(&v).unwrap());
    }
}
