//! Files into the database: parse in parallel, write one statement per savepoint.
//!
//! A producer walks the given files and folders in order and parses them in chunks on
//! all cores; one writer applies the results in the same order, each statement inside
//! its own savepoint of a batched transaction. A bounded channel between the two keeps
//! memory flat however large the corpus is.

use std::collections::VecDeque;
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::mpsc;

use crate::dataset::{self, ColumnMap};
use crate::db::store::{Candidate, Keys, PackedSource, Source, SourceFormat, StoredSource};
use crate::db::{self, store};
use crate::export::{self, Record};
use crate::model::Statement;
use crate::parse;
use crate::registry::Registry;

/// Files parsed together before their results go to the writer.
const CHUNK: usize = 64;
/// Chunks waiting for the writer: with [`CHUNK`], bounds the statements in memory.
const QUEUE: usize = 2;
/// A batch transaction commits after this many statements...
const BATCH: usize = 1000;
/// ...or when it has been open this long.
const BATCH_TIME: Duration = Duration::from_secs(2);

/// How an import or re-parse shows its progress on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// A progress bar when stderr is a terminal, else one line per file.
    #[default]
    Auto,
    /// One line per file.
    Lines,
    /// Nothing but failures, logged with `tracing` (for the server's start-up import).
    Quiet,
}

/// Settings of an import or re-parse.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// How progress is shown.
    pub progress: Progress,
    /// Which columns of dataset files hold which fields.
    pub columns: ColumnMap,
}

impl ImportOptions {
    /// Options for an import nobody watches: failures go to the log only.
    pub fn quiet() -> ImportOptions {
        ImportOptions {
            progress: Progress::Quiet,
            ..ImportOptions::default()
        }
    }
}

/// What an import did: the counts of its summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// New statements.
    pub imported: u64,
    /// Stored statements whose text changed, or that were merged.
    pub updated: u64,
    /// Files whose statement is stored with the same text.
    pub unchanged: u64,
    /// Files that could not be read, parsed or written.
    pub failed: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {}, updated {}, unchanged {}, failed {}",
            self.imported, self.updated, self.unchanged, self.failed
        )
    }
}

/// What a re-parse did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReparseSummary {
    /// Statements parsed again successfully (changed + unchanged).
    pub reparsed: u64,
    /// Statements whose stored object changed.
    pub changed: u64,
    /// Statements the current parser reads exactly as stored.
    pub unchanged: u64,
    /// Statements whose source the current parser rejects, or whose write failed:
    /// they are kept as they were.
    pub failed: u64,
}

impl fmt::Display for ReparseSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "reparsed {}, changed {}, unchanged {}, failed {}",
            self.reparsed, self.changed, self.unchanged, self.failed
        )
    }
}

/// What storing one statement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new statement.
    Imported,
    /// A stored statement got new content, or absorbed others.
    Updated,
    /// The stored statement has the same text: nothing written.
    Unchanged,
    /// Re-parse: the stored object changed.
    Changed,
    /// Re-parse: the stored object is what the parser gives.
    Same,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Changed => "changed",
            Outcome::Same => "unchanged",
        }
    }
}

/// The stored statements that are one statement with an incoming one whose keys are
/// `keys`, given the candidates [`store::find_candidates`] found (by rule, then age).
///
/// Different document numbers never match: once the incoming statement or an accepted
/// candidate has a number, candidates with another number are left out.
pub fn same_statement(keys: &Keys, candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut number = keys.source_number.clone();
    let mut group: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if group.iter().any(|c| c.pk == candidate.pk) {
            continue;
        }
        match (&number, &candidate.source_number) {
            (Some(n), Some(m)) if n != m => continue,
            (None, Some(m)) => number = Some(m.clone()),
            _ => {}
        }
        group.push(candidate);
    }
    group
}

/// The id a new statement asks for: the parser's slug, kept to ASCII letters, digits
/// and hyphens whatever the parser gives.
fn id_base(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let base = cleaned
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if base.is_empty() {
        "undated".to_string()
    } else {
        base
    }
}

/// Stores one parsed statement by the identity rules: a new statement gets a free id;
/// one that matches a stored statement updates it under its id (or leaves it when the
/// text is the same); one that matches several merges them into the oldest, the others
/// becoming its aliases. Returns what happened and the statement's id.
pub async fn store_statement(
    conn: &mut SqliteConnection,
    statement: &Statement,
    source: &Source,
) -> sqlx::Result<(Outcome, String)> {
    let keys = Keys::of(statement);
    let source = PackedSource::pack(source)?;
    let plan = plan_statement(conn, statement, &keys).await?;
    apply_plan(conn, plan, statement, &keys, &source).await
}

/// What storing a statement will do, decided by reading only.
enum Plan {
    /// A new statement, under this free id.
    Insert(String),
    /// The stored statement with this id has the same text.
    Unchanged(String),
    /// Update `survivor`, after merging `merged` into it.
    Update {
        survivor: Candidate,
        merged: Vec<Candidate>,
    },
}

/// One read: the stored statements `statement` is, and the ids its own would collide with.
async fn plan_statement(
    conn: &mut SqliteConnection,
    statement: &Statement,
    keys: &Keys,
) -> sqlx::Result<Plan> {
    let base = id_base(&statement.id);
    let (candidates, taken) = store::find_candidates_and_taken(conn, keys, Some(&base)).await?;
    let mut group = same_statement(keys, candidates);
    group.sort_by_key(|c| c.pk);
    let mut group = group.into_iter();
    let Some(survivor) = group.next() else {
        return Ok(Plan::Insert(store::first_free_id(&base, &taken)));
    };
    let merged: Vec<Candidate> = group.collect();
    if merged.is_empty() && survivor.text_hash == keys.text_hash {
        return Ok(Plan::Unchanged(survivor.id));
    }
    Ok(Plan::Update { survivor, merged })
}

async fn apply_plan(
    conn: &mut SqliteConnection,
    plan: Plan,
    statement: &Statement,
    keys: &Keys,
    source: &PackedSource,
) -> sqlx::Result<(Outcome, String)> {
    match plan {
        Plan::Insert(id) => {
            store::insert_statement(conn, &id, statement, keys, source).await?;
            Ok((Outcome::Imported, id))
        }
        Plan::Unchanged(id) => Ok((Outcome::Unchanged, id)),
        Plan::Update { survivor, merged } => {
            for other in &merged {
                store::merge_into(conn, other, &survivor.id).await?;
            }
            store::replace_statement(conn, survivor.pk, statement, keys, Some(source)).await?;
            Ok((Outcome::Updated, survivor.id))
        }
    }
}

/// Stores an exported statement by the identity rules, as an import of its source would,
/// except that a new statement keeps the exported id when it is free and the statement
/// is stored as exported (a later `reparse` parses its source again). The exported id
/// and aliases that no statement or alias holds become aliases of the stored statement,
/// so links into the exporting archive keep working.
async fn restore_record(
    conn: &mut SqliteConnection,
    plan: Plan,
    record: &Record,
    keys: &Keys,
    source: &Source,
) -> sqlx::Result<(Outcome, String)> {
    let source = PackedSource::pack(source)?;
    let (outcome, id) = match plan {
        Plan::Insert(_) => {
            let id = store::free_id(conn, &record.statement.id).await?;
            store::insert_statement(conn, &id, &record.statement, keys, &source).await?;
            (Outcome::Imported, id)
        }
        plan => apply_plan(conn, plan, &record.statement, keys, &source).await?,
    };
    let mut added = 0;
    for alias in std::iter::once(&record.statement.id).chain(&record.aliases) {
        if *alias != id && store::add_alias(conn, alias, &id).await? {
            added += 1;
        }
    }
    Ok(match outcome {
        Outcome::Unchanged if added > 0 => (Outcome::Updated, id),
        _ => (outcome, id),
    })
}

/// Replaces a stored statement with a new parse of its source, keeping its id;
/// nothing is written when the parse gives the stored object.
async fn restore_statement(
    conn: &mut SqliteConnection,
    pk: i64,
    statement: &Statement,
) -> sqlx::Result<Outcome> {
    let stored = store::load_statement(&mut *conn, &statement.id).await?;
    if stored.as_ref() == Some(statement) {
        return Ok(Outcome::Same);
    }
    store::replace_statement(conn, pk, statement, &Keys::of(statement), None).await?;
    Ok(Outcome::Changed)
}

/// One unit of work for the writer.
enum Job {
    /// A parsed file to store, with its identity keys and its source ready to be written.
    Import {
        name: String,
        statement: Box<Statement>,
        keys: Box<Keys>,
        source: Box<PackedSource>,
    },
    /// An exported statement to restore with its id, source and aliases.
    Restore {
        name: String,
        record: Box<Record>,
        source: Source,
    },
    /// A new parse of the stored statement `pk` (its `id` already set to the stored id).
    Reparse { pk: i64, statement: Box<Statement> },
    /// A file or source that could not be read or parsed.
    Failed { name: String, reason: String },
}

impl Job {
    /// The job of storing `statement` parsed from `source`: the text hash is computed
    /// and the source compressed here, on the parsing threads, not by the writer.
    fn import(name: String, statement: Statement, source: &Source) -> Job {
        match PackedSource::pack(source) {
            Ok(source) => Job::Import {
                name,
                keys: Box::new(Keys::of(&statement)),
                statement: Box::new(statement),
                source: Box::new(source),
            },
            Err(error) => Job::Failed {
                name,
                reason: format!("storing the source: {error}"),
            },
        }
    }

    fn name(&self) -> &str {
        match self {
            Job::Import { name, .. } | Job::Restore { name, .. } | Job::Failed { name, .. } => name,
            Job::Reparse { statement, .. } => &statement.id,
        }
    }
}

/// Where progress and failures go.
enum Reporter {
    Bar(ProgressBar),
    Lines,
    Quiet,
}

impl Reporter {
    fn new(progress: Progress, what: &str) -> Reporter {
        let terminal = std::io::stderr().is_terminal();
        match progress {
            Progress::Auto if terminal => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template(&format!(
                    "{{spinner}} {{pos}} {what} ({{per_sec}}, {{elapsed}}) {{wide_msg}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
                bar.set_style(style);
                bar.enable_steady_tick(Duration::from_millis(200));
                Reporter::Bar(bar)
            }
            Progress::Auto | Progress::Lines => Reporter::Lines,
            Progress::Quiet => Reporter::Quiet,
        }
    }

    fn done(&self, name: &str, outcome: Outcome, id: &str) {
        match self {
            Reporter::Bar(bar) => {
                bar.inc(1);
                bar.set_message(name.to_string());
            }
            Reporter::Lines if name == id => eprintln!("{name}: {}", outcome.as_str()),
            Reporter::Lines => eprintln!("{name}: {} {id}", outcome.as_str()),
            Reporter::Quiet => {}
        }
    }

    fn failed(&self, name: &str, reason: &str) {
        match self {
            Reporter::Bar(bar) => {
                bar.inc(1);
                bar.println(format!("{name}: {reason}"));
            }
            Reporter::Lines => eprintln!("{name}: {reason}"),
            Reporter::Quiet => tracing::warn!("{name}: {reason}"),
        }
    }

    fn finish(&self) {
        if let Reporter::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// Counts of every outcome.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    imported: u64,
    updated: u64,
    unchanged: u64,
    changed: u64,
    same: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Imported => self.imported += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Changed => self.changed += 1,
            Outcome::Same => self.same += 1,
        }
    }
}

/// What trying one job inside the open transaction gave.
enum Attempt {
    Applied(Outcome, String),
    Failed(String),
    /// The job failed and SQLite rolled back the whole transaction with it (some
    /// errors do: a full disk, `RAISE(ROLLBACK)`): the batch must be applied again.
    Lost(String),
}

/// The single writer: applies jobs in order, one savepoint each, in batch transactions.
///
/// Transactions are driven with plain SQL rather than sqlx's `Transaction` so that a
/// transaction SQLite rolled back on its own is noticed and the batch replayed: a
/// failing statement never takes the ones before it down with it.
struct Writer {
    conn: PoolConnection<Sqlite>,
    /// When the open transaction began; `None` when none is open.
    open: Option<Instant>,
    /// Jobs applied in the open transaction, kept until it commits.
    batch: Vec<(Job, Outcome)>,
    committed: Tally,
    reporter: Reporter,
}

impl Writer {
    async fn new(pool: &SqlitePool, reporter: Reporter) -> anyhow::Result<Writer> {
        let mut conn = pool.acquire().await?;
        // A larger page cache for the bulk writes (FTS5 segments in particular), and
        // fewer checkpoints: index pages rewritten by many batches reach the database
        // file once per checkpoint rather than once per megabytes of log. No memory map:
        // the writer reads few pages, and every mapped page it touched would count
        // against the import's memory however large the archive grows.
        sqlx::raw_sql(
            "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192; PRAGMA mmap_size = 0",
        )
        .execute(&mut *conn)
        .await?;
        Ok(Writer {
            conn,
            open: None,
            batch: Vec::new(),
            committed: Tally::default(),
            reporter,
        })
    }

    /// Applies jobs from `rx` until it closes, committing every [`BATCH`] statements or
    /// [`BATCH_TIME`], and when no job comes while a transaction is open.
    async fn run(&mut self, mut rx: mpsc::Receiver<Vec<Job>>) -> anyhow::Result<()> {
        loop {
            let next = match self.open {
                Some(began) => {
                    match tokio::time::timeout_at((began + BATCH_TIME).into(), rx.recv()).await {
                        Ok(next) => next,
                        Err(_) => {
                            self.commit().await?;
                            continue;
                        }
                    }
                }
                None => rx.recv().await,
            };
            let Some(jobs) = next else { break };
            for job in jobs {
                self.push(job).await?;
                if self
                    .open
                    .is_some_and(|began| self.batch.len() >= BATCH || began.elapsed() >= BATCH_TIME)
                {
                    self.commit().await?;
                }
            }
        }
        self.commit().await
    }

    async fn push(&mut self, job: Job) -> anyhow::Result<()> {
        let mut queue = VecDeque::from([(job, false)]);
        while let Some((job, replay)) = queue.pop_front() {
            match self.attempt(&job).await? {
                Attempt::Applied(outcome, id) => {
                    if !replay {
                        self.reporter.done(job.name(), outcome, &id);
                    }
                    self.batch.push((job, outcome));
                }
                Attempt::Failed(reason) => {
                    self.committed.failed += 1;
                    self.reporter.failed(job.name(), &reason);
                }
                Attempt::Lost(reason) => {
                    self.committed.failed += 1;
                    self.reporter.failed(job.name(), &reason);
                    for (earlier, _) in std::mem::take(&mut self.batch).into_iter().rev() {
                        queue.push_front((earlier, true));
                    }
                }
            }
        }
        Ok(())
    }

    async fn attempt(&mut self, job: &Job) -> anyhow::Result<Attempt> {
        let conn = &mut *self.conn;
        if let Job::Failed { reason, .. } = job {
            return Ok(Attempt::Failed(reason.clone()));
        }
        if self.open.is_none() {
            // IMMEDIATE: take the write lock now rather than fail to upgrade later.
            sqlx::raw_sql("BEGIN IMMEDIATE")
                .execute(&mut *conn)
                .await
                .context("starting a transaction")?;
            store::defer_indexing(&mut *conn)
                .await
                .context("deferring full-text indexing")?;
            self.open = Some(Instant::now());
        }
        // Reading first, outside any savepoint: an unchanged file (the common case of a
        // re-import) then costs one query, and a new one two.
        let mut import = None;
        if let Job::Import {
            statement,
            source,
            keys,
            ..
        } = job
        {
            match plan_statement(conn, statement, keys).await {
                Ok(Plan::Unchanged(id)) => return Ok(Attempt::Applied(Outcome::Unchanged, id)),
                Ok(Plan::Insert(id)) => {
                    // No savepoint (FTS5 would flush its terms at each): a failure rolls
                    // the batch back and the statements before it are applied again.
                    return match store::insert_statement_unguarded(
                        conn, &id, statement, keys, source,
                    )
                    .await
                    {
                        Ok(_) => Ok(Attempt::Applied(Outcome::Imported, id)),
                        Err(error) => {
                            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *self.conn).await;
                            self.open = None;
                            Ok(Attempt::Lost(format!("database error: {error}")))
                        }
                    };
                }
                Ok(plan) => import = Some((plan, None)),
                Err(error) => return Ok(Attempt::Failed(format!("database error: {error}"))),
            }
        } else if let Job::Restore { record, .. } = job {
            let keys = Keys::of(&record.statement);
            match plan_statement(conn, &record.statement, &keys).await {
                // A restored statement may still bring aliases: it goes on.
                Ok(plan) => import = Some((plan, Some(keys))),
                Err(error) => return Ok(Attempt::Failed(format!("database error: {error}"))),
            }
        }
        sqlx::raw_sql("SAVEPOINT statement")
            .execute(&mut *conn)
            .await
            .context("starting a savepoint")?;
        let result = match job {
            Job::Import {
                statement,
                source,
                keys,
                ..
            } => {
                let (plan, _) = import.expect("planned above");
                apply_plan(conn, plan, statement, keys, source).await
            }
            Job::Restore { record, source, .. } => {
                let (plan, keys) = import.expect("planned above");
                let keys = keys.expect("planned above");
                restore_record(conn, plan, record, &keys, source).await
            }
            Job::Reparse { pk, statement } => restore_statement(conn, *pk, statement)
                .await
                .map(|outcome| (outcome, statement.id.clone())),
            Job::Failed { .. } => unreachable!("handled above"),
        };
        match result {
            Ok((outcome, id)) => {
                sqlx::raw_sql("RELEASE statement")
                    .execute(&mut *conn)
                    .await
                    .context("releasing a savepoint")?;
                Ok(Attempt::Applied(outcome, id))
            }
            Err(error) => {
                let reason = format!("database error: {error}");
                match sqlx::raw_sql("ROLLBACK TO statement; RELEASE statement")
                    .execute(&mut *conn)
                    .await
                {
                    Ok(_) => Ok(Attempt::Failed(reason)),
                    Err(_) => {
                        // No savepoint any more: the transaction is gone. Make sure.
                        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                        self.open = None;
                        Ok(Attempt::Lost(reason))
                    }
                }
            }
        }
    }

    async fn commit(&mut self) -> anyhow::Result<()> {
        if self.open.is_none() {
            return Ok(());
        }
        let changed = self
            .batch
            .iter()
            .any(|(_, o)| !matches!(o, Outcome::Unchanged | Outcome::Same));
        if changed {
            store::bump_generation(&mut *self.conn).await?;
        }
        store::index_deferred(&mut *self.conn)
            .await
            .context("indexing the batch's turns")?;
        sqlx::raw_sql("COMMIT")
            .execute(&mut *self.conn)
            .await
            .context("committing")?;
        self.open = None;
        for (_, outcome) in self.batch.drain(..) {
            self.committed.add(outcome);
        }
        Ok(())
    }

    /// Commits, tidies speakers and forums, and returns the counts.
    async fn finish(mut self, registry: &Registry) -> anyhow::Result<Tally> {
        self.commit().await?;
        self.reporter.finish();
        let tally = self.committed;
        let conn = &mut *self.conn;
        sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        store::prune_orphans(conn).await?;
        store::sync_registry(conn, registry).await?;
        sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
        if tally.imported + tally.updated + tally.changed > 0 {
            // Fresh statistics for the query planner after a large change, from a sample
            // of each index: a full ANALYZE of a large archive takes many seconds.
            sqlx::raw_sql("PRAGMA analysis_limit = 1000; PRAGMA optimize")
                .execute(&mut *conn)
                .await?;
        }
        sqlx::raw_sql(
            "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 1000; \
             PRAGMA mmap_size = 1073741824",
        )
        .execute(&mut *conn)
        .await?;
        // The import's last pages into the database file now, without waiting for
        // readers: the file is whole when the import ends, and the next command to open
        // it has no log to replay.
        sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut *conn)
            .await?;
        Ok(tally)
    }
}

/// Walks `paths` in order: a folder's `.txt` and dataset files, recursively, in name order
/// (hidden entries and other files skipped); a file named directly is always taken.
/// Calls `emit` with each file, or with the reason a path cannot be walked, until it
/// returns `false`.
fn walk(paths: &[PathBuf], mut emit: impl FnMut(PathBuf, Option<String>) -> bool) {
    // Pending entries, the next on top; `true` marks a path given by the user.
    let mut stack: Vec<(PathBuf, bool)> = paths.iter().rev().map(|p| (p.clone(), true)).collect();
    while let Some((path, given)) = stack.pop() {
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                if !emit(path, Some(e.to_string())) {
                    return;
                }
                continue;
            }
        };
        if meta.is_dir() {
            let entries = std::fs::read_dir(&path).and_then(|dir| {
                dir.map(|entry| entry.map(|e| e.path()))
                    .collect::<Result<Vec<_>, _>>()
            });
            match entries {
                Ok(mut entries) => {
                    entries.retain(|p| {
                        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                        !name.starts_with('.')
                            && (is_text_file(p)
                                || dataset::is_dataset_file(p)
                                || std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
                    });
                    entries.sort();
                    stack.extend(entries.into_iter().rev().map(|p| (p, false)));
                }
                Err(e) => {
                    if !emit(path, Some(e.to_string())) {
                        return;
                    }
                }
            }
        } else if (given || is_text_file(&path) || dataset::is_dataset_file(&path))
            && !emit(path, None)
        {
            return;
        }
    }
}

fn is_text_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Reads and parses one file; a panic in the parser fails the file, not the import.
fn parse_file(path: &Path, registry: &Registry) -> Job {
    let name = path.display().to_string();
    let failed = |reason: String| Job::Failed {
        name: name.clone(),
        reason,
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return failed(e.to_string()),
    };
    let text = match crate::text::decode(&bytes) {
        Ok(text) => text,
        Err(e) => return failed(e.to_string()),
    };
    drop(bytes);
    match catch_parse(|| parse::parse_text(&text, registry)) {
        Ok(statement) => Job::import(
            name.clone(),
            statement,
            &Source::text(
                path.file_name().map(|n| n.to_string_lossy().into_owned()),
                text,
            ),
        ),
        Err(reason) => failed(reason),
    }
}

fn catch_parse<T, E: fmt::Display>(parse: impl FnOnce() -> Result<T, E>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)) {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("parser failed: {message}"))
        }
    }
}

/// Streams the rows of the dataset file `path` to `send` in chunks parsed on all cores,
/// each row named `FILE:ROW`; a file that cannot be read (further) is one failure.
/// Returns `false` once `send` does (the writer is gone).
///
/// A file met in a folder that holds no rows of statements (another program's JSON) is
/// passed over with a message; named on the command line, it fails. The lines of a
/// statement export become [`Job::Restore`]s.
fn read_rows(
    path: &Path,
    given: bool,
    columns: &ColumnMap,
    registry: &Registry,
    progress: Progress,
    send: &dyn Fn(Vec<Job>) -> bool,
) -> bool {
    let name = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let parse_chunk = |items: Vec<dataset::Item>| -> Vec<Job> {
        items
            .into_par_iter()
            .map(|item| parse_row(&name, file_name.as_deref(), item, registry))
            .collect()
    };
    let mut pending = Vec::with_capacity(CHUNK);
    let mut open = true;
    let read = dataset::read_file(path, columns, &mut |item| {
        pending.push(item);
        if pending.len() == CHUNK {
            open = send(parse_chunk(std::mem::replace(
                &mut pending,
                Vec::with_capacity(CHUNK),
            )));
        }
        open
    });
    if open && !pending.is_empty() {
        open = send(parse_chunk(pending));
    }
    if let (true, Err(error)) = (open, read) {
        if error.not_rows && !given {
            match progress {
                Progress::Quiet => tracing::info!("{name}: skipped: {}", error.reason),
                _ => eprintln!("{name}: skipped: {}", error.reason),
            }
            return true;
        }
        let name = match error.row {
            Some(n) => format!("{name}:{n}"),
            None => name.clone(),
        };
        open = send(vec![Job::Failed {
            name,
            reason: error.reason,
        }]);
    }
    open
}

/// Parses one dataset row; its source is the row's fields as a JSON object.
fn parse_row(file: &str, file_name: Option<&str>, item: dataset::Item, registry: &Registry) -> Job {
    let (n, row) = match item {
        dataset::Item::Row { n, row } => (n, row),
        dataset::Item::Statement { n, record } => {
            let name = format!("{file}:{n}");
            return match export::check_record(&record) {
                Ok(source) => Job::Restore {
                    name,
                    record,
                    source,
                },
                Err(reason) => Job::Failed { name, reason },
            };
        }
        dataset::Item::Bad { n, reason } => {
            return Job::Failed {
                name: format!("{file}:{n}"),
                reason,
            }
        }
    };
    let name = format!("{file}:{n}");
    match catch_parse(|| row.parse(registry)) {
        Ok((statement, hints)) => Job::import(
            name,
            statement,
            &Source {
                file_name: file_name.map(str::to_string),
                format: SourceFormat::Row,
                content: row.to_json(),
                hints: Some(hints),
            },
        ),
        Err(reason) => Job::Failed { name, reason },
    }
}

/// Parses a stored source again with the current parser, for the statement `stored.id`.
fn reparse_source(stored: StoredSource, registry: &Registry) -> Job {
    let StoredSource { pk, id, source } = stored;
    let parsed = match source.format {
        SourceFormat::Text => catch_parse(|| match &source.hints {
            Some(hints) => parse::parse_with_hints(&source.content, hints, registry),
            None => parse::parse_text(&source.content, registry),
        }),
        SourceFormat::Row => catch_parse(|| {
            dataset::Row::from_json(&source.content)?
                .parse(registry)
                .map(|(statement, _)| statement)
        }),
    };
    match parsed {
        Ok(mut statement) => {
            statement.id = id;
            Job::Reparse {
                pk,
                statement: Box::new(statement),
            }
        }
        Err(reason) => Job::Failed { name: id, reason },
    }
}

/// Imports the files and folders `paths` into the archive (see [`walk`] for which files).
/// Per-file failures are counted and reported, not returned: an error means the
/// database itself failed, and the statements committed before it stay.
pub async fn import_paths(
    pool: &SqlitePool,
    paths: &[PathBuf],
    registry: &Registry,
    options: &ImportOptions,
) -> anyhow::Result<Summary> {
    let (tx, rx) = mpsc::channel::<Vec<Job>>(QUEUE);
    let registry = Arc::new(registry.clone());
    let paths = paths.to_vec();
    let parse_registry = Arc::clone(&registry);
    let columns = options.columns.clone();
    let progress = options.progress;
    let producer = tokio::task::spawn_blocking(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        let send_jobs = |jobs: Vec<Job>| tx.blocking_send(jobs).is_ok();
        let send = |chunk: Vec<(PathBuf, Option<String>)>| {
            let jobs: Vec<Job> = chunk
                .into_par_iter()
                .map(|(path, error)| match error {
                    Some(reason) => Job::Failed {
                        name: path.display().to_string(),
                        reason,
                    },
                    None => parse_file(&path, &parse_registry),
                })
                .collect();
            send_jobs(jobs)
        };
        let mut open = true;
        walk(&paths, |path, error| {
            if error.is_none() && dataset::is_dataset_file(&path) {
                // A dataset file is many statements: its rows go in their own chunks,
                // after the files before it.
                if !chunk.is_empty() {
                    open = send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                }
                let given = paths.contains(&path);
                open = open
                    && read_rows(
                        &path,
                        given,
                        &columns,
                        &parse_registry,
                        progress,
                        &send_jobs,
                    );
                return open;
            }
            chunk.push((path, error));
            if chunk.len() == CHUNK {
                open = send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
            }
            open
        });
        if open && !chunk.is_empty() {
            send(chunk);
        }
    });
    let mut writer = Writer::new(pool, Reporter::new(options.progress, "files")).await?;
    let written = writer.run(rx).await;
    // The producer stops once the writer is gone; wait for it either way.
    producer.await.context("reading files")?;
    written?;
    let tally = writer.finish(&registry).await?;
    Ok(Summary {
        imported: tally.imported,
        updated: tally.updated,
        unchanged: tally.unchanged,
        failed: tally.failed,
    })
}

/// Parses every stored source again with the current parser and `registry`, keeping
/// every id, and stores what changed.
pub async fn reparse(
    pool: &SqlitePool,
    registry: &Registry,
    options: &ImportOptions,
) -> anyhow::Result<ReparseSummary> {
    let (tx, rx) = mpsc::channel::<Vec<Job>>(QUEUE);
    let registry = Arc::new(registry.clone());
    let reader = pool.clone();
    let parse_registry = Arc::clone(&registry);
    let producer = tokio::spawn(async move {
        let mut after = 0;
        loop {
            // Short reads page by page: no read transaction stays open across the
            // writer's commits, so the WAL can be checkpointed as it goes.
            let page = store::sources_after(&reader, after, CHUNK as u32).await?;
            let Some(last) = page.last() else { break };
            after = last.pk;
            let registry = Arc::clone(&parse_registry);
            let jobs = tokio::task::spawn_blocking(move || {
                page.into_par_iter()
                    .map(|stored| reparse_source(stored, &registry))
                    .collect::<Vec<_>>()
            })
            .await?;
            if tx.send(jobs).await.is_err() {
                break;
            }
        }
        anyhow::Ok(())
    });
    let mut writer = Writer::new(pool, Reporter::new(options.progress, "statements")).await?;
    let written = writer.run(rx).await;
    producer.await.context("reading sources")??;
    written?;
    let tally = writer.finish(&registry).await?;
    Ok(ReparseSummary {
        reparsed: tally.changed + tally.same,
        changed: tally.changed,
        unchanged: tally.same,
        failed: tally.failed,
    })
}

/// Removes the statements `ids`; returns the ids that name no statement (an alias is
/// not a statement: its target is removed by its own id).
pub async fn remove(pool: &SqlitePool, ids: &[String]) -> anyhow::Result<Vec<String>> {
    let mut tx = pool.begin().await?;
    let mut unknown = Vec::new();
    let mut removed = 0;
    for id in ids {
        if store::delete_statement(&mut tx, id).await? {
            removed += 1;
        } else {
            unknown.push(id.clone());
        }
    }
    if removed > 0 {
        store::prune_orphans(&mut tx).await?;
        store::bump_generation(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(unknown)
}

/// Options of `communique import` (the database and registry are global options).
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Files and folders to import (folders: their `.txt` files and dataset files —
    /// `.csv`, `.jsonl`, `.json`, optionally `.gz` — recursively). A `.jsonl` written by
    /// `communique export` restores its statements with their ids, aliases and sources.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Which columns of dataset files hold which fields, for files of another shape:
    /// `title=headline,text=body,date=published,url=link,number=doc_no,...` (fields:
    /// title, text, date, url, number, translations, language, speaker).
    #[arg(long, value_name = "FIELD=COLUMN", value_delimiter = ',')]
    pub map: Vec<dataset::Mapping>,
}

/// Options of `communique remove`.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoveArgs {
    /// Ids of the statements to remove.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

fn block_on<T>(work: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Runtime::new()
        .context("starting the runtime")?
        .block_on(work)
}

/// `communique import PATH...` into the archive `db`: per-file lines (or a progress bar)
/// on stderr, the summary line last on stdout; status 1 when any file failed.
pub fn run_import(
    db: &Path,
    registry: Option<&Path>,
    args: &ImportArgs,
) -> anyhow::Result<ExitCode> {
    let registry = Registry::load(registry)?;
    let summary = block_on(async {
        let pool = db::connect(db).await?;
        let options = ImportOptions {
            columns: ColumnMap::with_mappings(&args.map),
            ..ImportOptions::default()
        };
        let summary = import_paths(&pool, &args.paths, &registry, &options).await;
        pool.close().await;
        summary
    })?;
    println!("{summary}");
    Ok(status(summary.failed))
}

/// `communique reparse`: every stored source parsed again with the current parser and
/// registry; the summary line last on stdout; status 1 when any failed.
pub fn run_reparse(db: &Path, registry: Option<&Path>) -> anyhow::Result<ExitCode> {
    let registry = Registry::load(registry)?;
    let summary = block_on(async {
        let pool = db::connect(db).await?;
        let summary = reparse(&pool, &registry, &ImportOptions::default()).await;
        pool.close().await;
        summary
    })?;
    println!("{summary}");
    Ok(status(summary.failed))
}

/// `communique remove ID...`: `removed N` on stdout; each unknown id on stderr and
/// status 1.
pub fn run_remove(db: &Path, args: &RemoveArgs) -> anyhow::Result<ExitCode> {
    let unknown = block_on(async {
        let pool = db::connect(db).await?;
        let unknown = async {
            let mut reasons = Vec::new();
            for id in remove(&pool, &args.ids).await? {
                let reason = match store::resolve_alias(&pool, &id).await? {
                    Some(target) => format!("no such statement (an alias of {target})"),
                    None => "no such statement".to_string(),
                };
                reasons.push((id, reason));
            }
            anyhow::Ok(reasons)
        }
        .await;
        pool.close().await;
        unknown
    })?;
    for (id, reason) in &unknown {
        eprintln!("{id}: {reason}");
    }
    println!("removed {}", args.ids.len() - unknown.len());
    Ok(status(unknown.len() as u64))
}

fn status(failures: u64) -> ExitCode {
    if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::store::Rule;

    fn candidate(pk: i64, number: Option<&str>, rule: Rule) -> Candidate {
        Candidate {
            pk,
            id: format!("s{pk}"),
            source_number: number.map(str::to_string),
            text_hash: String::new(),
            rule,
        }
    }

    fn keys(number: Option<&str>) -> Keys {
        Keys {
            language: "en".into(),
            source_number: number.map(str::to_string),
            date: None,
            norm_title: None,
            text_hash: String::new(),
        }
    }

    fn pks(group: &[Candidate]) -> Vec<i64> {
        group.iter().map(|c| c.pk).collect()
    }

    #[test]
    fn different_numbers_never_match() {
        let found = vec![
            candidate(1, Some("1-01-01-2020"), Rule::DateTitle),
            candidate(2, None, Rule::TextHash),
        ];
        assert_eq!(
            pks(&same_statement(&keys(Some("2-01-01-2020")), found)),
            [2]
        );
    }

    #[test]
    fn the_first_number_found_binds_the_rest() {
        let found = vec![
            candidate(3, Some("7-01-01-2020"), Rule::DateTitle),
            candidate(1, Some("8-01-01-2020"), Rule::TextHash),
            candidate(2, None, Rule::TextHash),
            candidate(3, Some("7-01-01-2020"), Rule::TextHash),
        ];
        assert_eq!(pks(&same_statement(&keys(None), found)), [3, 2]);
    }

    #[test]
    fn ids_are_ascii_slugs() {
        assert_eq!(id_base("2020-01-01-Foo--bar "), "2020-01-01-foo-bar");
        assert_eq!(id_base("—"), "undated");
    }
}
