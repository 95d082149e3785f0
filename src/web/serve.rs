//! `communique serve`: open the archive, import what was asked for, and serve until
//! Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tokio::net::TcpListener;

use sqlx::SqlitePool;

use crate::db::browse;
use crate::import::{import_paths, ImportOptions, Summary};
use crate::registry::Registry;
use crate::web::{launch_with_listener, AppState, Config};

/// Options of `communique serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
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

/// The sample corpus, built into the binary so a fresh `serve` shows a working archive
/// from any directory.
pub const BUNDLED_CORPUS: &[(&str, &[u8])] = &[
    (
        "000_25f760081960ba59.txt",
        include_bytes!("../../corpus/000_25f760081960ba59.txt"),
    ),
    (
        "001_1ddf46fd7ad83b62.txt",
        include_bytes!("../../corpus/001_1ddf46fd7ad83b62.txt"),
    ),
    (
        "002_50d26956223dd4d0.txt",
        include_bytes!("../../corpus/002_50d26956223dd4d0.txt"),
    ),
    (
        "003_e563b7151c10cdad.txt",
        include_bytes!("../../corpus/003_e563b7151c10cdad.txt"),
    ),
    (
        "004_8de327bb625e098c.txt",
        include_bytes!("../../corpus/004_8de327bb625e098c.txt"),
    ),
];

/// Imports the bundled corpus (written to a temporary folder for the importer).
pub async fn import_bundled_corpus(
    db: &SqlitePool,
    registry: &Registry,
) -> anyhow::Result<Summary> {
    let dir = std::env::temp_dir().join(format!("communique-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let written = BUNDLED_CORPUS.iter().try_for_each(|(name, bytes)| {
        std::fs::write(dir.join(name), bytes).with_context(|| format!("writing {name}"))
    });
    let summary = match written {
        Ok(()) => {
            import_paths(
                db,
                std::slice::from_ref(&dir),
                registry,
                &ImportOptions::quiet(),
            )
            .await
        }
        Err(err) => Err(err),
    };
    let _ = std::fs::remove_dir_all(&dir);
    summary
}

/// `communique serve`: runs the server on its own runtime until a shutdown signal.
pub fn main(global: &crate::cli::GlobalArgs, args: ServeArgs) -> anyhow::Result<ExitCode> {
    tokio::runtime::Runtime::new()
        .context("starting the runtime")?
        .block_on(run(&global.db, global.load_registry()?, args))?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the archive at `db_path`, imports what was asked for (or the bundled corpus
/// into an empty archive), and runs the server until a shutdown signal.
pub async fn run(db_path: &Path, registry: Registry, args: ServeArgs) -> anyhow::Result<()> {
    let db = crate::db::connect(db_path).await?;
    if !args.import.is_empty() {
        let summary = import_paths(&db, &args.import, &registry, &ImportOptions::quiet()).await?;
        tracing::info!("import: {summary}");
    } else if browse::statement_count(&db).await? == 0 {
        let summary = import_bundled_corpus(&db, &registry).await?;
        tracing::info!("the archive was empty; imported the bundled sample corpus: {summary}");
    }
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let local = listener.local_addr()?;
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let mut config = Config::new(&base_url);
    config.cache_bytes = args.cache_mb << 20;
    // An import from another process reaches readers within a quarter of a second;
    // meanwhile no request pays a database round trip just to learn nothing changed.
    config.generation_ttl = std::time::Duration::from_millis(250);
    let state = AppState::with_registry(db, registry, config);
    tracing::info!("serving {} on http://{local}", db_path.display());
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
