//! `communique serve`: open the archive, import what was asked for, and serve until
//! Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tokio::net::TcpListener;

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

/// `communique serve`: runs the server on its own runtime until a shutdown signal.
pub fn main(global: &crate::cli::GlobalArgs, args: ServeArgs) -> anyhow::Result<ExitCode> {
    tokio::runtime::Runtime::new()
        .context("starting the runtime")?
        .block_on(run(&global.db, args))?;
    Ok(ExitCode::SUCCESS)
}

/// Runs the server until a shutdown signal.
pub async fn run(db_path: &Path, args: ServeArgs) -> anyhow::Result<()> {
    let db = crate::db::connect(db_path).await?;
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
    let state = AppState::new(db, config);
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
