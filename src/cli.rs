//! The command line: `parse`, `import`, `reparse`, `remove`, `serve`, `export`.
//!
//! Each subcommand is a variant of [`Command`] holding its own `clap::Args` struct and
//! dispatching to one function of the module that does the work; the options every
//! command shares are in [`GlobalArgs`].

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::registry::Registry;

/// Communique: a self-hosted archive of diplomatic statements.
#[derive(Debug, Parser)]
#[command(name = "communique", version, about)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The archive database (an SQLite file).
    #[arg(
        long,
        global = true,
        env = "COMMUNIQUE_DB",
        default_value = "communique.db"
    )]
    pub db: PathBuf,
    /// A registry file or folder (TOML) merged over the built-in speakers and forums.
    #[arg(long, global = true, env = "COMMUNIQUE_REGISTRY")]
    pub registry: Option<PathBuf>,
}

impl GlobalArgs {
    /// The built-in registry with the user's `--registry` merged over it.
    pub fn load_registry(&self) -> anyhow::Result<Registry> {
        Registry::load(self.registry.as_deref())
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse page saves and print one JSON statement per line (nothing is stored).
    Parse(ParseArgs),
    /// Import files and folders into the archive.
    Import(crate::import::ImportArgs),
    /// Re-parse every stored source with the current parser and registry, keeping ids.
    Reparse,
    /// Remove statements by id.
    Remove(crate::import::RemoveArgs),
    /// Serve the archive as web pages and JSON.
    Serve(crate::web::serve::ServeArgs),
    /// Write statements as JSON Lines (re-importable) or CSV, to stdout or a file.
    Export(crate::export::ExportArgs),
}

/// Options of `communique parse`.
#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// Page saves to parse (UTF-8 or Windows-1251 text).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs the command line and returns the process status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(matches!(cli.command, Command::Serve(_)));
    match run(cli) {
        Ok(status) => status,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: warnings and errors; for the
/// server also its start-up lines and request log).
fn init_tracing(server: bool) {
    let default = if server { "info,sqlx=warn" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // A second initialisation (tests calling `run`) is harmless: keep the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Parse(args) => parse(&cli.global, &args),
        Command::Import(args) => {
            crate::import::run_import(&cli.global.db, cli.global.registry.as_deref(), &args)
        }
        Command::Reparse => {
            crate::import::run_reparse(&cli.global.db, cli.global.registry.as_deref())
        }
        Command::Remove(args) => crate::import::run_remove(&cli.global.db, &args),
        Command::Serve(args) => crate::web::serve::main(&cli.global, args),
        Command::Export(args) => crate::export::run_export(&cli.global, &args),
    }
}

/// `communique parse FILE...` (Contract 1): one compact JSON object per parsed file on
/// stdout, in the order given; `FILE: reason` on stderr for each file that cannot be
/// read as a statement, and exit status 1 after all files were tried.
pub fn parse(global: &GlobalArgs, args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let registry = global.load_registry()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for file in &args.files {
        let parsed = std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                crate::parse::parse_bytes(&bytes, &registry).map_err(|e| e.to_string())
            });
        match parsed {
            Ok(statement) => {
                serde_json::to_writer(&mut out, &statement).context("writing JSON")?;
                out.write_all(b"\n").context("writing to stdout")?;
            }
            Err(reason) => {
                // Keep stdout and stderr in step for whoever reads both.
                out.flush().context("writing to stdout")?;
                eprintln!("{}: {reason}", file.display());
                failed += 1;
            }
        }
    }
    out.flush().context("writing to stdout")?;
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
