//! The axum web server: router, state, errors, pages and JSON.
//!
//! Every route is listed in [`router`]. Pages are rendered by askama templates, cached
//! compressed per archive generation, and answered with an ETag so readers revalidate
//! cheaply.

use std::future::Future;
use std::sync::LazyLock;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The JSON API: lists, details and search as JSON, and the `/api` page describing them.
pub mod api;
/// The page cache and the ETag/304 logic.
pub mod cache;
/// Citations: plain text, BibTeX and CSL-JSON downloads.
pub mod cite;
/// The error type and its HTML and JSON renderings.
pub mod error;
/// `/statements.csv` and `/statements.jsonl`: the list's selection, streamed as a file.
pub mod exports;
/// Atom feeds of the archive, forums, speakers and searches.
pub mod feeds;
/// `/forums` and `/forums/{slug}`.
pub mod forums;
/// `/healthz`.
pub mod health;
/// `/`: the archive at a glance.
pub mod home;
/// The OpenAPI document of the JSON API.
pub mod openapi;
/// Query parameter parsing and validation shared by lists and search.
pub mod params;
/// `/search` and `/api/search`: full-text search landing on the exact turn.
pub mod search;
/// `communique serve`: options, startup import, signals.
pub mod serve;
/// `/speakers` and `/speakers/{slug}`.
pub mod speakers;
/// Shared state and configuration.
pub mod state;
/// `/statements`, `/statements/{id}`, `/statements/{id}/answers/{e}`.
pub mod statements;

pub use error::{Error, Result};
pub use state::{AppState, Config};

/// The stylesheet, embedded in the binary.
const STYLE_CSS: &str = include_str!("../../static/style.css");

/// Path of the stylesheet, versioned by its content so it can be cached for a year.
static STYLE_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLE_CSS.as_bytes());
    format!("/static/style.css?v={}", &hex::encode(digest)[..12])
});

/// gzip level 2 (brotli quality 2): the fast deflate strategy. Most pages are compressed
/// once per request, not read from the cache, so compression time is page time; level 2
/// costs about half of level 4's time for 3% more bytes.
const COMPRESSION_LEVEL: i32 = 2;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route of the server, with its middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(home::show_home))
        .route("/statements", get(statements::list_statements))
        .route("/statements.csv", get(exports::statements_csv))
        .route("/statements.jsonl", get(exports::statements_jsonl))
        .route("/statements/{id}", get(statements::show_statement))
        .route(
            "/statements/{id}/answers/{e}",
            get(statements::show_exchange),
        )
        .route("/statements/{id}/cite.bib", get(cite::statement_bib))
        .route("/statements/{id}/cite.json", get(cite::statement_csl))
        .route(
            "/statements/{id}/answers/{e}/cite.bib",
            get(cite::exchange_bib),
        )
        .route(
            "/statements/{id}/answers/{e}/cite.json",
            get(cite::exchange_csl),
        )
        .route("/feed.atom", get(feeds::archive_feed))
        .route("/forums/{slug}/feed.atom", get(feeds::forum_feed))
        .route("/speakers/{slug}/feed.atom", get(feeds::speaker_feed))
        .route("/search/feed.atom", get(feeds::search_feed))
        .route("/speakers", get(speakers::list_speakers))
        .route("/speakers/{slug}", get(speakers::show_speaker))
        .route("/forums", get(forums::list_forums))
        .route("/forums/{slug}", get(forums::show_forum))
        .route("/search", get(search::search_page))
        .route("/api", get(api::page))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/statements", get(api::statements))
        .route("/api/statements/{id}", get(api::statement))
        .route("/api/speakers", get(api::speakers))
        .route("/api/speakers/{slug}", get(api::speaker))
        .route("/api/forums", get(api::forums))
        .route("/api/forums/{slug}", get(api::forum))
        .route("/api/search", get(api::search))
        .route("/healthz", get(health::healthz))
        .route("/static/style.css", get(style_css))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);

    with_layers(routes, state, REQUEST_TIMEOUT)
}

/// How long a request may take before it is answered with a 503.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The middleware around `routes`, listed inside out: a handler's panic or overrun
/// becomes an error, errors become pages (or JSON under `/api/`), then bodies are
/// compressed, then cached; the security headers go on every response.
fn with_layers(routes: Router<AppState>, state: AppState, timeout: Duration) -> Router {
    routes
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            deadline(timeout, request, next)
        }))
        .layer(middleware::from_fn(render_errors))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(COMPRESSION_LEVEL)))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            cache::conditional_and_cached,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // The last resort for what runs outside the inner limits (cache, compression).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout + Duration::from_secs(5),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, then lets open
/// requests finish.
pub async fn launch_with_listener(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Values every page's layout needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title, before the site name.
    pub title: String,
    /// Versioned stylesheet path.
    pub style: &'static str,
    /// Absolute canonical URL, when the page has one.
    pub canonical: Option<String>,
    /// The navigation section to mark as current: `statements`, `speakers`, `forums`.
    pub section: &'static str,
    /// The language of the page's main text.
    pub lang: String,
    /// The Atom feed of what the page lists, announced in the head and linked visibly.
    pub feed: Option<feeds::FeedLink>,
}

impl Layout {
    /// A layout with this title and nothing else set.
    pub fn new(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            style: STYLE_HREF.as_str(),
            canonical: None,
            section: "",
            lang: "en".to_owned(),
            feed: None,
        }
    }

    /// Marks a navigation section as current.
    pub fn section(mut self, section: &'static str) -> Layout {
        self.section = section;
        self
    }

    /// Announces the Atom feed at `href` (a path of this site) under `title`.
    pub fn feed(mut self, title: impl Into<String>, href: impl Into<String>) -> Layout {
        self.feed = Some(feeds::FeedLink {
            title: title.into(),
            href: href.into(),
        });
        self
    }
}

/// Renders a template into an HTML response.
pub fn html(page: &impl askama::Template) -> Result<Response> {
    let body = page.render()?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

/// A permanent redirect to a path of this site.
pub fn moved(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
        Err(_) => Error::bad_request("Invalid redirect target.").into_response(),
    }
}

/// A path parameter, or a 404 when the path cannot be read (not UTF-8, for one).
pub fn path_param<T>(
    param: std::result::Result<axum::extract::Path<T>, axum::extract::rejection::PathRejection>,
) -> Result<T> {
    param
        .map(|p| p.0)
        .map_err(|_| Error::not_found("There is no page at this address."))
}

async fn style_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLE_CSS,
    )
        .into_response()
}

async fn not_found() -> Error {
    Error::not_found("There is no page at this address.")
}

async fn method_not_allowed() -> Response {
    let mut response = Error::bad_request("Only GET and HEAD are supported here.").into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

/// Gives errors their body: JSON under `/api/`, the HTML error page elsewhere.
/// A panic in a handler: logged, answered as a 500 that the error renderer formats.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    Error::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// Answers a 503 error when the handler takes longer than `timeout`.
async fn deadline(timeout: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Error::Timeout.into_response(),
    }
}

async fn render_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    match response.extensions().get::<error::ErrorInfo>() {
        Some(info) => {
            let info = info.clone();
            error::render(response.status(), &info, api)
        }
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    async fn app(timeout: Duration) -> Router {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let state = AppState::new(pool, Config::new("http://127.0.0.1"));
        let routes = Router::new()
            .route("/api/boom", get(boom))
            .route("/boom", get(boom))
            .route(
                "/api/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            );
        with_layers(routes, state, timeout)
    }

    async fn get_path(app: Router, path: &str) -> (StatusCode, String, String) {
        let response = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, kind, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_panic_is_a_json_error_under_api_and_a_page_elsewhere() {
        let (status, kind, body) = get_path(app(REQUEST_TIMEOUT).await, "/api/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(kind.starts_with("application/json"), "{kind}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal");
        assert!(!body.contains("boom"), "{body}");

        let (status, kind, body) = get_path(app(REQUEST_TIMEOUT).await, "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(body.contains("Something went wrong on the server."));
    }

    #[tokio::test]
    async fn an_overrun_is_a_json_503_under_api() {
        let (status, kind, body) =
            get_path(app(Duration::from_millis(50)).await, "/api/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(kind.starts_with("application/json"), "{kind}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal");
        assert!(json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("too long"));
    }
}
