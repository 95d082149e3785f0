//! What every handler shares: the database pool, the registry, the configuration and the page cache.

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::future::Cache;
use sqlx::SqlitePool;

use crate::db::browse::{self, Count, ForumRow, ListQuery, SpeakerRow, StatementRow};
use crate::db::search::SearchCache;
use crate::registry::Registry;
use crate::web::cache::PageCache;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute URL prefix for canonical links, Open Graph and citations, without a trailing `/`.
    pub base_url: String,
    /// How many bytes of rendered, compressed pages the page cache may hold (0 disables it).
    pub cache_bytes: usize,
    /// How many searches' totals and facets are kept for paging and re-sorting (0: none).
    pub search_cache_entries: usize,
    /// How long a read of the archive's generation is trusted before it is read again:
    /// an import by another process shows after at most this long. Zero reads it for
    /// every request.
    pub generation_ttl: Duration,
}

impl Config {
    /// A configuration with this base URL and the default cache size.
    pub fn new(base_url: &str) -> Config {
        Config {
            base_url: base_url.trim_end_matches('/').to_owned(),
            cache_bytes: 256 << 20,
            search_cache_entries: 256,
            generation_ttl: Duration::ZERO,
        }
    }
}

/// The state behind the router, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The archive.
    pub db: SqlitePool,
    /// Forums and speakers known to the registry, for validating filter slugs.
    pub registry: Arc<Registry>,
    /// Server settings.
    pub config: Arc<Config>,
    /// Rendered pages keyed by the archive generation.
    pub cache: Arc<PageCache>,
    /// Totals and facets of recent searches and the turn index, per archive generation.
    pub search: SearchCache,
    generation: Arc<Mutex<Option<(Instant, i64)>>>,
    memo: Cache<(i64, String), Arc<dyn Any + Send + Sync>>,
}

/// Archive-wide counts that lists and the home page show beside their results. They
/// change only with the generation, so they are computed once per generation.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Number of statements.
    pub total: i64,
    /// Forums with statements, most first.
    pub forums: Vec<ForumRow>,
    /// Speakers with statements, most first.
    pub speakers: Vec<SpeakerRow>,
    /// Years with statements, latest first.
    pub years: Vec<Count>,
    /// Languages with statements, most first.
    pub languages: Vec<Count>,
}

impl AppState {
    /// State over this pool with the built-in registry.
    pub fn new(db: SqlitePool, config: Config) -> AppState {
        AppState::with_registry(db, Registry::builtin(), config)
    }

    /// State over this pool with the given registry.
    pub fn with_registry(db: SqlitePool, registry: Registry, config: Config) -> AppState {
        let cache = Arc::new(PageCache::new(config.cache_bytes));
        let search = SearchCache::new(config.search_cache_entries);
        AppState {
            db,
            registry: Arc::new(registry),
            config: Arc::new(config),
            cache,
            search,
            generation: Arc::default(),
            // Entries of past generations are never read again and age out.
            memo: Cache::builder()
                .max_capacity(4096)
                .time_to_idle(Duration::from_secs(600))
                .build(),
        }
    }

    /// The value `compute` gives, computed once per archive generation and `key`: the
    /// archive's aggregates (counts, years, who spoke where) change only with an import,
    /// and some take a scan of an index that a page should not repeat. Concurrent first
    /// requests for the same key wait for one computation rather than each running it.
    pub async fn memo<T, Fut>(
        &self,
        key: String,
        compute: impl FnOnce() -> Fut,
    ) -> sqlx::Result<Arc<T>>
    where
        T: Any + Send + Sync,
        Fut: Future<Output = sqlx::Result<T>>,
    {
        let key = (self.generation().await?, key);
        let value = self
            .memo
            .try_get_with(key, async {
                compute()
                    .await
                    .map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>)
            })
            .await
            // The error was shared with every waiter; each gets its message.
            .map_err(|err| sqlx::Error::Protocol(err.to_string()))?;
        value
            .downcast::<T>()
            .map_err(|_| sqlx::Error::Protocol("memo key reused for another type".into()))
    }

    /// One page of statements matching `q`, and how many match in all (counted once
    /// per generation and filter set).
    pub async fn list_statements(&self, q: &ListQuery) -> sqlx::Result<(Vec<StatementRow>, i64)> {
        let key = format!(
            "count {:?} {:?} {:?} {:?} {:?}",
            q.forum, q.speaker, q.year, q.kind, q.lang
        );
        let total = self
            .memo(key, || browse::count_statements(&self.db, q))
            .await?;
        Ok((browse::page_statements(&self.db, q).await?, *total))
    }

    /// The archive's current generation, read at most once per `generation_ttl`.
    pub async fn generation(&self) -> sqlx::Result<i64> {
        let ttl = self.config.generation_ttl;
        if !ttl.is_zero() {
            if let Ok(slot) = self.generation.lock() {
                if let Some((read_at, generation)) = *slot {
                    if read_at.elapsed() < ttl {
                        return Ok(generation);
                    }
                }
            }
        }
        let generation = crate::db::store::generation(&self.db).await?;
        if let Ok(mut slot) = self.generation.lock() {
            *slot = Some((Instant::now(), generation));
        }
        Ok(generation)
    }

    /// The archive-wide counts of the current generation.
    pub async fn overview(&self) -> sqlx::Result<Arc<Overview>> {
        self.memo("overview".to_owned(), || async {
            Ok(Overview {
                total: browse::statement_count(&self.db).await?,
                forums: browse::forums(&self.db).await?,
                speakers: browse::speakers(&self.db).await?,
                years: browse::years(&self.db, None, None).await?,
                languages: browse::languages(&self.db).await?,
            })
        })
        .await
    }
}
