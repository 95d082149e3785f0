//! What every handler shares: the database pool, the registry, the configuration and the page cache.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::db::browse::{self, Count, ForumRow, SpeakerRow};
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
}

impl Config {
    /// A configuration with this base URL and the default cache size.
    pub fn new(base_url: &str) -> Config {
        Config {
            base_url: base_url.trim_end_matches('/').to_owned(),
            cache_bytes: 256 << 20,
            search_cache_entries: 256,
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
    overview: Arc<tokio::sync::Mutex<Option<Generational>>>,
}

/// The overview together with the generation it was computed for.
type Generational = (i64, Arc<Overview>);

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
            overview: Arc::default(),
        }
    }

    /// The archive-wide counts of the current generation.
    pub async fn overview(&self) -> sqlx::Result<Arc<Overview>> {
        let generation = crate::db::store::generation(&self.db).await?;
        // Held across the queries so concurrent first requests compute it once.
        let mut slot = self.overview.lock().await;
        if let Some((g, overview)) = slot.as_ref() {
            if *g == generation {
                return Ok(Arc::clone(overview));
            }
        }
        let overview = Arc::new(Overview {
            total: browse::statement_count(&self.db).await?,
            forums: browse::forums(&self.db).await?,
            speakers: browse::speakers(&self.db).await?,
            years: browse::years(&self.db, None, None).await?,
            languages: browse::languages(&self.db).await?,
        });
        *slot = Some((generation, Arc::clone(&overview)));
        Ok(overview)
    }
}
