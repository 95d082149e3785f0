//! Conditional requests and the page cache. Pages change only when an import bumps the
//! archive generation, so a page's ETag is the generation plus its path and query, and
//! its rendered, compressed bytes can be kept until the generation moves on.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use moka::sync::Cache;

use crate::web::state::AppState;

/// The largest single page kept in the cache.
const MAX_PAGE_BYTES: usize = 4 << 20;

/// Content codings the cache keeps apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    /// Brotli.
    Br,
    /// Gzip.
    Gzip,
    /// No compression.
    Identity,
}

impl Coding {
    /// The coding a client's `Accept-Encoding` gets: brotli, else gzip, else none.
    pub fn negotiate(headers: &HeaderMap) -> Coding {
        let mut br = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                // `q=0` means "not this one".
                let refused = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match name.as_str() {
                    "br" => br = true,
                    "gzip" | "x-gzip" => gzip = true,
                    _ => {}
                }
            }
        }
        if br {
            Coding::Br
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }

    fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Br => Some(HeaderValue::from_static("br")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Identity => None,
        }
    }
}

/// Marks a response whose body is streamed (an export): it gets an ETag and may be
/// answered 304, but is never read into memory to be cached.
#[derive(Debug, Clone, Copy)]
pub struct Streamed;

#[derive(Clone)]
struct CachedPage {
    headers: HeaderMap,
    body: Bytes,
}

/// Rendered, compressed pages of the current archive generation, bounded in bytes. The
/// least useful pages make room for new ones (moka's TinyLFU: recency and frequency), so
/// a stream of pages read once does not push out the lists everyone reads.
pub struct PageCache {
    pages: Option<Cache<(String, Coding), CachedPage>>,
    /// The generation the held pages belong to.
    generation: AtomicI64,
}

impl PageCache {
    /// A cache holding at most `max_bytes` of page bodies (0 disables it).
    pub fn new(max_bytes: usize) -> PageCache {
        let pages = (max_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(max_bytes as u64)
                .weigher(|key: &(String, Coding), page: &CachedPage| {
                    u32::try_from(key.0.len() + page.body.len()).unwrap_or(u32::MAX)
                })
                .build()
        });
        PageCache {
            pages,
            generation: AtomicI64::new(i64::MIN),
        }
    }

    /// Bytes of page bodies held now (after pending evictions are applied).
    pub fn bytes(&self) -> usize {
        self.pages.as_ref().map_or(0, |pages| {
            pages.run_pending_tasks();
            usize::try_from(pages.weighted_size()).unwrap_or(usize::MAX)
        })
    }

    /// Number of pages held now (after pending evictions are applied).
    pub fn len(&self) -> usize {
        self.pages.as_ref().map_or(0, |pages| {
            pages.run_pending_tasks();
            usize::try_from(pages.entry_count()).unwrap_or(usize::MAX)
        })
    }

    /// Whether the cache holds no page.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, generation: i64, key: &(String, Coding)) -> Option<CachedPage> {
        let pages = self.pages.as_ref()?;
        if self.generation.load(Ordering::Acquire) != generation {
            return None;
        }
        pages.get(key)
    }

    fn put(&self, generation: i64, key: (String, Coding), page: CachedPage) {
        let Some(pages) = self.pages.as_ref() else {
            return;
        };
        if page.body.len() > MAX_PAGE_BYTES {
            return;
        }
        let held = self.generation.load(Ordering::Acquire);
        if generation < held {
            // Rendered before an import that has since been seen: it must not come back.
            return;
        }
        if generation > held
            && self
                .generation
                .compare_exchange(held, generation, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            pages.invalidate_all();
        }
        if self.generation.load(Ordering::Acquire) == generation {
            pages.insert(key, page);
        }
    }
}

/// The weak ETag of a URI in an archive generation.
pub fn etag(generation: i64, path_and_query: &str) -> HeaderValue {
    let mut hasher = DefaultHasher::new();
    path_and_query.hash(&mut hasher);
    HeaderValue::from_str(&format!("W/\"g{generation}-{:016x}\"", hasher.finish()))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

fn matches(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let Some(Ok(value)) = if_none_match.map(HeaderValue::to_str) else {
        return false;
    };
    let want = etag.to_str().unwrap_or("");
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    value
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(want))
}

const PAGE_CACHE_CONTROL: &str = "public, no-cache";

/// Middleware: answers `304 Not Modified` to a matching `If-None-Match`, serves pages
/// from the cache, and stores successful GET responses in it.
pub async fn conditional_and_cached(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD)
        && !path.starts_with("/static/")
        && path != "/healthz";
    if !cacheable {
        return next.run(request).await;
    }
    let Ok(generation) = state.generation().await else {
        // The handler will meet the same database failure and report it.
        return next.run(request).await;
    };
    let uri = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let tag = etag(generation, &uri);
    if matches(request.headers().get(header::IF_NONE_MATCH), &tag) {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, tag),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(PAGE_CACHE_CONTROL),
                ),
            ],
        )
            .into_response();
    }

    // Pin the coding so the compression layer's choice is exactly the cache key's.
    let coding = Coding::negotiate(request.headers());
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    if let Some(value) = coding.header() {
        request.headers_mut().insert(header::ACCEPT_ENCODING, value);
    }
    let key = (uri, coding);
    let head = request.method() == Method::HEAD;
    if let Some(page) = state.cache.get(generation, &key) {
        let mut response = Response::new(if head {
            Body::empty()
        } else {
            Body::from(page.body)
        });
        *response.headers_mut() = page.headers;
        return response;
    }

    let mut response = next.run(request).await;
    // `no-store` marks a response that varies with more than the archive (a download
    // stamped with today's date): neither cached nor tagged.
    let no_store = response
        .headers()
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v.as_bytes().starts_with(b"no-store"));
    if response.status() != StatusCode::OK
        || no_store
        || response
            .extensions()
            .get::<crate::web::error::ErrorInfo>()
            .is_some()
    {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(header::ETAG, tag);
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(PAGE_CACHE_CONTROL));
    if head || response.extensions().get::<Streamed>().is_some() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            return crate::web::Error::Internal(anyhow::anyhow!("reading a page body: {err}"))
                .into_response()
        }
    };
    // The body is whole now, so the streaming length hint no longer applies.
    parts.headers.remove(header::CONTENT_LENGTH);
    state.cache.put(
        generation,
        key,
        CachedPage {
            headers: parts.headers.clone(),
            body: bytes.clone(),
        },
    );
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_q_zero() {
        assert_eq!(Coding::negotiate(&accept("gzip, deflate, br")), Coding::Br);
        assert_eq!(Coding::negotiate(&accept("gzip")), Coding::Gzip);
        assert_eq!(
            Coding::negotiate(&accept("br;q=0, gzip;q=0.5")),
            Coding::Gzip
        );
        assert_eq!(Coding::negotiate(&accept("identity")), Coding::Identity);
        assert_eq!(Coding::negotiate(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn etags_match_weakly_and_by_list() {
        let tag = etag(3, "/statements?page=2");
        assert_ne!(tag, etag(4, "/statements?page=2"));
        assert_ne!(tag, etag(3, "/statements?page=3"));
        let strong = tag.to_str().unwrap().trim_start_matches("W/").to_owned();
        assert!(matches(
            Some(&HeaderValue::from_str(&strong).unwrap()),
            &tag
        ));
        let list = format!("\"x\", {}", tag.to_str().unwrap());
        assert!(matches(Some(&HeaderValue::from_str(&list).unwrap()), &tag));
        assert!(!matches(Some(&HeaderValue::from_static("\"x\"")), &tag));
        assert!(!matches(None, &tag));
    }

    #[test]
    fn a_new_generation_empties_the_cache_and_the_budget_holds() {
        let cache = PageCache::new(1000);
        let page = |n: usize| CachedPage {
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        };
        let key = |k: &str| (k.to_owned(), Coding::Gzip);
        cache.put(1, key("/a"), page(300));
        cache.put(1, key("/b"), page(300));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(1, &key("/a")).is_some());
        // A reader who has seen a newer generation never gets an older page.
        assert!(cache.get(2, &key("/a")).is_none());
        // The first page of a new generation empties the cache of the old one.
        cache.put(2, key("/b"), page(4));
        assert_eq!((cache.len(), cache.bytes()), (1, 6));
        assert!(cache.get(2, &key("/a")).is_none());
        // A page rendered for the old generation does not come back.
        cache.put(1, key("/c"), page(1));
        assert!(cache.get(2, &key("/c")).is_none() && cache.get(1, &key("/c")).is_none());
        // Many pages never hold more than the budget.
        for i in 0..50 {
            cache.put(2, key(&format!("/p{i}")), page(100));
        }
        assert!(cache.bytes() <= 1000, "{} bytes held", cache.bytes());
        assert!(cache.len() >= 5, "{} pages held", cache.len());
        // Zero bytes disables it.
        let off = PageCache::new(0);
        off.put(1, key("/a"), page(1));
        assert!(off.is_empty() && off.get(1, &key("/a")).is_none());
    }
}
