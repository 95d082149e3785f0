//! The SQLite archive: pool setup, migrations, and query functions per resource.

/// Read queries behind the web pages: lists, counts, speakers, forums, years.
pub mod browse;
/// bm25 in Rust from FTS5's per-row frequencies and the turn index's row lengths.
pub mod rank;
/// Full-text search: matching turns, totals, facets and snippets.
pub mod search;
/// Writes and whole-statement reads: statements, turns, sources, aliases.
pub mod store;
/// What search needs of every turn, in memory per archive generation.
pub mod turn_index;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// The schema, embedded from `migrations/`; every command runs it on connect.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// Connection settings for the archive file at `path`, created when missing.
///
/// WAL lets the server read while an import writes; `synchronous=NORMAL` is durable
/// across application crashes in WAL mode and only risks the last commits on power loss.
/// Reads go through a memory map of up to 1 GiB (pages shared with the OS cache rather
/// than copied into each connection's cache) and each connection keeps 32 MiB of pages:
/// a search touches thousands of index pages, which the default 2 MiB cache evicts.
pub fn connect_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        // Only takes effect when the file is created; 8 KiB pages suit the FTS5 blobs.
        .page_size(8192)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
        .pragma("mmap_size", "1073741824")
        .pragma("cache_size", "-32768")
}

/// Opens (or creates) the archive at `path` and brings its schema up to date.
pub async fn connect(path: impl AsRef<Path>) -> anyhow::Result<SqlitePool> {
    connect_with(connect_options(path.as_ref())).await
}

/// Opens a pool with explicit options and runs the migrations.
pub async fn connect_with(options: SqliteConnectOptions) -> anyhow::Result<SqlitePool> {
    let name = options.get_filename().display().to_string();
    let pool = SqlitePoolOptions::new()
        .after_connect(|conn, _| {
            Box::pin(async move {
                rank::register(conn).await?;
                search::prepare_connection(conn).await
            })
        })
        .connect_with(options)
        .await
        .with_context(|| format!("opening database {name}"))?;
    MIGRATOR
        .run(&pool)
        .await
        .with_context(|| format!("migrating database {name}"))?;
    Ok(pool)
}
