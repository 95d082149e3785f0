//! `communique serve`: open the archive, import what was asked for, and serve until
//! Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use tokio::net::TcpListener;

use crate::web::{launch_with_listener, AppState, Config};

/// Options of `communique serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The archive database.
    #[arg(long, env = "COMMUNIQUE_DB", default_value = "communique.db")]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Absolute URL prefix for canonical links and citations [default: http://ADDR].
    #[arg(long)]
    pub base_url: Option<String>,
    /// Files or folders to import before serving.
    #[arg(long, num_args = 1..)]
    pub import: Vec<PathBuf>,
    /// Megabytes of rendered pages to keep in memory (0 disables the page cache).
    #[arg(long, default_value_t = 256)]
    pub cache_mb: usize,
}

/// Opens (creating and migrating when needed) the archive at `path`.
async fn open(path: &std::path::Path) -> anyhow::Result<SqlitePool> {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .journal_mode(SqliteJournalMode::Wal)
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new().connect_with(opts).await?;
    sqlx::migrate!().run(&pool).await?;
    Ok(pool)
}

/// Runs the server until a shutdown signal.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let db = open(&args.db)
        .await
        .with_context(|| format!("opening {}", args.db.display()))?;
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let mut config = Config::new(&base_url);
    config.cache_bytes = args.cache_mb << 20;
    let state = AppState::new(db, config);
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    tracing::info!("serving {} on http://{}", args.db.display(), args.addr);
    launch_with_listener(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = ?err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = ?err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
