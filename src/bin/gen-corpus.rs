//! `gen-corpus`: writes a synthetic corpus of page saves (see `communique::corpus`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rayon::prelude::*;

use communique::corpus::Generator;

/// Writes COUNT synthetic page saves into OUT, the same bytes for the same seed, and
/// `manifest.jsonl` describing what each one holds.
#[derive(Debug, Parser)]
#[command(name = "gen-corpus", version, about)]
struct Args {
    /// Seed of the corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of documents.
    #[arg(long, default_value_t = 1000)]
    count: u64,
    /// Folder to write into (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of the first document (to extend a corpus).
    #[arg(long, default_value_t = 0)]
    start: u64,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let generator = Generator::new(args.seed);
    // Files are written in parallel; each document depends only on (seed, index), so
    // the bytes do not depend on the threads.
    let metas = (args.start..args.start + args.count)
        .into_par_iter()
        .map(|i| {
            let doc = generator.document(i);
            let path = args.out.join(&doc.meta.file);
            std::fs::write(&path, &doc.bytes)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(doc.meta)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let manifest = args.out.join("manifest.jsonl");
    let file = std::fs::File::create(&manifest)
        .with_context(|| format!("writing {}", manifest.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let mut bytes = 0u64;
    for m in &metas {
        serde_json::to_writer(&mut w, m)?;
        w.write_all(b"\n")?;
        bytes += m.bytes as u64;
    }
    w.flush()?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} documents, {:.1} MB, to {} in {:.1} s ({:.0} MB/s)",
        metas.len(),
        bytes as f64 / 1e6,
        args.out.display(),
        secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
