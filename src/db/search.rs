//! Full-text search in SQL: the page of hits (ranked or by date, only the page kept in
//! order), the total and facets (one unranked pass over the matches, cached per archive
//! generation), and highlighted snippets for the page only.
//!
//! Turn bodies are matched in `segments_fts` (stemmed) and `segments_plain` (prefixes),
//! combined by rowid; titles likewise in `titles_fts` / `titles_plain`. A statement whose
//! title matches but none of whose turns do is represented by its first turn (the first
//! that passes the turn filters).
//!
//! With the [`TurnIndex`] in memory, SQLite only lists the matches (handed to a
//! [`rank::Collector`] when one table's match is the whole search) with their phrase
//! frequencies; totals, facets, and pages by date or by bm25 (computed as FTS5 does, see
//! [`rank`]) are worked out in Rust. Without it, or for what it cannot answer, the same
//! search runs in SQL.

use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;

use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Row, SqliteConnection, SqlitePool};

use crate::db::rank::{self, Bm25};
use crate::db::turn_index::{self, TurnIndex};
use crate::search::Plan;

/// How much more a title match weighs than a match in a turn's body.
const TITLE_WEIGHT: f64 = 2.0;
/// Characters of body text a snippet shows around its best cluster of matches.
const SNIPPET_CHARS: usize = 240;
/// Markers FTS5 puts around matches: private-use characters, replaced by `<mark>` only
/// after the text is escaped, so document text can never turn into markup.
const OPEN: char = '\u{F0000}';
const CLOSE: char = '\u{F0001}';

/// Filters of a search, already validated; `None` means absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Forum slug.
    pub forum: Option<String>,
    /// Speaker slug of the turn.
    pub speaker: Option<String>,
    /// Year of the statement.
    pub year: Option<i64>,
    /// First date, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last date, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// Statement kind (`briefing`, ...).
    pub kind: Option<String>,
    /// Turn kind: `answer`, `question` or `remarks`.
    pub turn: Option<String>,
    /// ISO 639-1 language of the statement.
    pub lang: Option<String>,
}

/// Order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best bm25 first; title matches weigh more. Prefix-only queries have no scores
    /// (the plain tables keep no positions) and keep archive order after title matches.
    #[default]
    Relevance,
    /// Latest statements first.
    Newest,
    /// Earliest statements first.
    Oldest,
}

/// One search to run.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// What to match.
    pub plan: &'a Plan,
    /// Which turns count.
    pub filters: &'a Filters,
    /// Order of hits.
    pub sort: Sort,
    /// One hit per statement instead of one per turn.
    pub group: bool,
    /// Page size.
    pub limit: u32,
    /// Hits skipped before the page.
    pub offset: u32,
    /// Where totals and facets of recent searches are kept, if anywhere.
    pub cache: Option<&'a SearchCache>,
}

/// The statement a hit belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitStatement {
    /// Public id (slug).
    pub id: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Title as HTML with matches in `<mark>`, escaped.
    pub title_html: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Forum slugs, in title order.
    pub forums: Vec<String>,
}

/// The turn a hit lands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitSegment {
    /// Position in the statement, from 1.
    pub n: i64,
    /// `answer`, `question`, `remarks`.
    pub kind: String,
    /// Speaker slug.
    pub speaker: Option<String>,
    /// Speaker display name.
    pub speaker_name: Option<String>,
    /// Label as printed (`Question`, `Sergey Lavrov`).
    pub label: Option<String>,
    /// Exchange number.
    pub exchange: Option<i64>,
    /// Anchor in the statement page (`a1`).
    pub anchor: String,
}

/// One result: a turn, or with grouping a statement and its best turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The statement.
    pub statement: HitStatement,
    /// The turn.
    pub segment: HitSegment,
    /// Matching turns of the statement (grouped searches only).
    pub hits: Option<i64>,
    /// Only the title matched: the turn stands for the statement.
    pub title_only: bool,
    /// HTML: escaped text, matches in `<mark>`.
    pub snippet: String,
}

/// A facet value and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Slug (forum, speaker) or year.
    pub key: String,
    /// Display name: a forum's acronym, a speaker's name, the year.
    pub name: String,
    /// Matching turns (statements when grouped).
    pub count: i64,
}

/// Facets of all matching hits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// By forum, count descending.
    pub forum: Vec<Bucket>,
    /// By speaker of the turn, count descending.
    pub speaker: Vec<Bucket>,
    /// By year, in date order.
    pub year: Vec<Bucket>,
}

/// What a search finds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// The page of hits.
    pub hits: Vec<Hit>,
    /// All matching turns (statements when grouped).
    pub total: i64,
    /// Counts by forum, speaker and year.
    pub facets: Facets,
}

/// SQL text with numbered parameters, each value bound once however often it is used.
#[derive(Default)]
struct Sql {
    values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Int(i64),
}

impl Sql {
    /// Appends `?N` for a value, reusing the number of an equal value.
    fn param(&mut self, value: Value) -> String {
        let n = match self.values.iter().position(|v| *v == value) {
            Some(i) => i + 1,
            None => {
                self.values.push(value);
                self.values.len()
            }
        };
        format!("?{n}")
    }

    fn text(&mut self, s: &str) -> String {
        self.param(Value::Text(s.to_string()))
    }

    fn arguments(&self) -> SqliteArguments<'static> {
        let mut args = SqliteArguments::default();
        for v in &self.values {
            // Adding a String or i64 to SQLite arguments cannot fail.
            let _ = match v {
                Value::Text(s) => args.add(s.clone()),
                Value::Int(i) => args.add(*i),
            };
        }
        args
    }
}

/// The two table pairs a plan runs against.
struct Tables {
    stemmed: &'static str,
    plain: &'static str,
}

const BODIES: Tables = Tables {
    stemmed: "segments_fts",
    plain: "segments_plain",
};
const TITLES: Tables = Tables {
    stemmed: "titles_fts",
    plain: "titles_plain",
};

/// `SELECT rowid, score` of the rows of `tables` matching the plan. `None` when the plan
/// has nothing to match.
/// What `matching` gives each matching row as its `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scoring {
    /// Nothing to order by (0.0).
    Unranked,
    /// FTS5's bm25 (`rank`), title matches of the plain table -1.0.
    Rank,
    /// The phrase frequencies of the stemmed table (`communique_tf`), for bm25 in Rust;
    /// only meaningful when the plan has a stemmed expression.
    Frequencies,
    /// Each row of the driving table handed to the [`rank::Collector`] of `token`, with
    /// the stemmed table's phrase frequencies when `frequencies`; the score is 1.
    Collect { token: i64, frequencies: bool },
}

impl Scoring {
    fn ranked(ranked: bool) -> Scoring {
        if ranked {
            Scoring::Rank
        } else {
            Scoring::Unranked
        }
    }
}

/// Whether the plan's matches are exactly the rows of one table's match (the driver of
/// [`matching`]), with no condition on other tables around it.
fn single_driver(plan: &Plan) -> bool {
    let unconditioned = plan.mixed.is_empty() && plan.excluded_plain.is_none();
    match (&plan.stemmed, &plan.plain) {
        (Some(_), None) => unconditioned,
        (None, Some(_)) => unconditioned && plan.excluded_stemmed.is_none(),
        _ => false,
    }
}

/// The stemmed table's expression of a plan, exclusions included: what the driver of
/// [`matching`] matches, and so what its phrase numbers refer to.
fn stemmed_expression(plan: &Plan) -> Option<String> {
    let expr = plan.stemmed.as_ref()?;
    // Excluded words go inside the stemmed expression, where FTS5 does them cheaply.
    Some(match &plan.excluded_stemmed {
        Some(not) => format!("({expr}) NOT ({not})"),
        None => expr.clone(),
    })
}

fn matching(sql: &mut Sql, plan: &Plan, tables: &Tables, scoring: Scoring) -> Option<String> {
    let ranked = scoring != Scoring::Unranked;
    let Tables { stemmed, plain } = *tables;
    // The plain tables keep no positions to rank by: a prefix match in a title still
    // counts as a title match, ahead of bodies that only match.
    let plain_score = if ranked && plain == TITLES.plain {
        "-1.0"
    } else {
        "0.0"
    };
    let token = match scoring {
        Scoring::Collect { token, .. } => sql.param(Value::Int(token)),
        _ => String::new(),
    };
    let score = |table: &str| match scoring {
        Scoring::Rank if table == stemmed => "rank".to_owned(),
        Scoring::Frequencies if table == stemmed => format!("{}({stemmed})", rank::TF),
        Scoring::Collect { frequencies, .. } => {
            let frequencies = i32::from(frequencies && table == stemmed);
            format!("{}({table}, {token}, {frequencies})", rank::COLLECT)
        }
        _ => "0.0".to_owned(),
    };
    let plain_score = match scoring {
        Scoring::Collect { .. } => score(plain),
        _ => plain_score.to_owned(),
    };
    // An auxiliary function works only in the query over its own table: `LIMIT -1`
    // keeps SQLite from flattening that query into the one around it.
    let unflattened = match scoring {
        Scoring::Frequencies | Scoring::Collect { .. } => " LIMIT -1",
        _ => "",
    };
    // Conditions test `+rowid`: on a bare `rowid IN (...)` SQLite may hand the list to
    // the driving FTS5 table once the queries are flattened, and FTS5 then runs the
    // whole match again for each listed rowid (seconds for a list of 50,000).
    let mut conditions = Vec::new();
    let driver;
    if let Some(expr) = stemmed_expression(plan) {
        let p = sql.text(&expr);
        driver = format!(
            "SELECT rowid, {} AS score FROM {stemmed} WHERE {stemmed} MATCH {p}{unflattened}",
            score(stemmed)
        );
        if let Some(expr) = &plan.plain {
            let p = sql.text(expr);
            conditions.push(format!(
                "+rowid IN (SELECT rowid FROM {plain} WHERE {plain} MATCH {p})"
            ));
        }
    } else {
        if let Some(not) = &plan.excluded_stemmed {
            let p = sql.text(not);
            conditions.push(format!(
                "rowid NOT IN (SELECT rowid FROM {stemmed} WHERE {stemmed} MATCH {p})"
            ));
        }
        if let Some(expr) = &plan.plain {
            let p = sql.text(expr);
            driver = format!(
                "SELECT rowid, {plain_score} AS score FROM {plain} WHERE {plain} MATCH {p}{unflattened}"
            );
        } else {
            let first = plan.mixed.first()?;
            let (ps, pp) = (sql.text(&first.stemmed), sql.text(&first.plain));
            driver = format!(
                "SELECT rowid, min(score) AS score FROM (\
                 SELECT rowid, {} AS score FROM {stemmed} WHERE {stemmed} MATCH {ps} \
                 UNION ALL SELECT rowid, {plain_score} FROM {plain} WHERE {plain} MATCH {pp}) \
                 GROUP BY rowid",
                score(stemmed)
            );
        }
    }
    let skip = usize::from(plan.stemmed.is_none() && plan.plain.is_none());
    for m in plan.mixed.iter().skip(skip) {
        let (ps, pp) = (sql.text(&m.stemmed), sql.text(&m.plain));
        conditions.push(format!(
            "(+rowid IN (SELECT rowid FROM {stemmed} WHERE {stemmed} MATCH {ps}) \
             OR +rowid IN (SELECT rowid FROM {plain} WHERE {plain} MATCH {pp}))"
        ));
    }
    if let Some(not) = &plan.excluded_plain {
        let p = sql.text(not);
        conditions.push(format!(
            "rowid NOT IN (SELECT rowid FROM {plain} WHERE {plain} MATCH {p})"
        ));
    }
    if conditions.is_empty() {
        Some(driver)
    } else {
        Some(format!(
            "SELECT rowid, score FROM ({driver}) WHERE {}",
            conditions.join(" AND ")
        ))
    }
}

/// Conditions from the filters: on the turn (columns `kind`, `speaker` of alias `seg`)
/// and on its statement, through the turn's `segment_meta` row `m` (statement, year,
/// date) and, only when `true` is returned, a joined `statements` row `st`.
fn filter_sql(sql: &mut Sql, f: &Filters, seg: &str) -> (String, String, bool) {
    let mut turn = vec![format!("{seg}.kind <> 'heading'")];
    if let Some(v) = &f.speaker {
        turn.push(format!("{seg}.speaker = {}", sql.text(v)));
    }
    if let Some(v) = &f.turn {
        turn.push(format!("{seg}.kind = {}", sql.text(v)));
    }
    let mut st = vec!["1 = 1".to_string()];
    if let Some(v) = &f.forum {
        st.push(format!(
            "EXISTS (SELECT 1 FROM statement_forums sf WHERE sf.statement_pk = m.statement_pk AND sf.forum = {})",
            sql.text(v)
        ));
    }
    if let Some(v) = f.year {
        st.push(format!("m.year = {}", sql.param(Value::Int(v))));
    }
    if let Some(v) = &f.from {
        st.push(format!("m.date >= {}", sql.text(v)));
    }
    if let Some(v) = &f.to {
        st.push(format!("m.date <= {}", sql.text(v)));
    }
    if let Some(v) = &f.kind {
        st.push(format!("st.kind = {}", sql.text(v)));
    }
    if let Some(v) = &f.lang {
        st.push(format!("st.language = {}", sql.text(v)));
    }
    let join = f.kind.is_some() || f.lang.is_some();
    (turn.join(" AND "), st.join(" AND "), join)
}

/// Totals and facets of one search: what the cache keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// All matching turns (statements when grouped).
    pub total: i64,
    /// Counts by forum, speaker and year, named and ordered.
    pub facets: Facets,
}

/// What a server keeps between searches: the totals and facets of recent searches, least
/// recently used first out (a search's counts do not depend on its sort or page, so
/// paging or re-sorting counts once), and the [`TurnIndex`] of the current archive
/// generation. Both are dropped when the generation moves on. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SearchCache {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    capacity: usize,
    counts: std::sync::Mutex<CountsLru>,
    index: std::sync::Mutex<Option<Arc<TurnIndex>>>,
    loading: AtomicBool,
}

#[derive(Debug, Default)]
struct CountsLru {
    generation: i64,
    tick: u64,
    entries: HashMap<String, (u64, Arc<Counts>)>,
}

impl SearchCache {
    /// Keeps the counts of at most `capacity` searches (0: none) and the turn index.
    pub fn new(capacity: usize) -> SearchCache {
        SearchCache {
            shared: Arc::new(Shared {
                capacity,
                counts: std::sync::Mutex::default(),
                index: std::sync::Mutex::default(),
                loading: AtomicBool::new(false),
            }),
        }
    }

    fn counts_get(&self, generation: i64, key: &str) -> Option<Arc<Counts>> {
        let mut lru = lock(&self.shared.counts);
        if lru.generation != generation {
            return None;
        }
        lru.tick += 1;
        let tick = lru.tick;
        let entry = lru.entries.get_mut(key)?;
        entry.0 = tick;
        Some(Arc::clone(&entry.1))
    }

    fn counts_put(&self, generation: i64, key: String, counts: Arc<Counts>) {
        if self.shared.capacity == 0 {
            return;
        }
        let mut lru = lock(&self.shared.counts);
        if lru.generation != generation {
            // Counts of an older generation must not displace the current ones.
            if generation < lru.generation {
                return;
            }
            lru.entries.clear();
            lru.generation = generation;
        }
        if lru.entries.len() >= self.shared.capacity && !lru.entries.contains_key(&key) {
            let oldest = lru
                .entries
                .iter()
                .min_by_key(|(_, (tick, _))| *tick)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                lru.entries.remove(&oldest);
            }
        }
        lru.tick += 1;
        let tick = lru.tick;
        lru.entries.insert(key, (tick, counts));
    }

    /// Number of searches whose counts are kept.
    pub fn len(&self) -> usize {
        lock(&self.shared.counts).entries.len()
    }

    /// Whether no search's counts are kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the turn index of the current generation now, and waits for it.
    pub async fn load_index(&self, pool: &SqlitePool) -> sqlx::Result<()> {
        let index = Arc::new(TurnIndex::load(pool).await?);
        *lock(&self.shared.index) = Some(index);
        Ok(())
    }

    /// The generation of the index held, if any.
    pub fn index_generation(&self) -> Option<i64> {
        lock(&self.shared.index).as_ref().map(|i| i.generation)
    }

    /// The index held, whatever its generation; none yet starts reading one.
    fn index(&self, pool: &SqlitePool) -> Option<Arc<TurnIndex>> {
        let index = lock(&self.shared.index).clone();
        if index.is_none() {
            self.refresh(pool);
        }
        index
    }

    /// Reads the index again in the background (once at a time); searches use SQL alone
    /// until it is there.
    fn refresh(&self, pool: &SqlitePool) {
        if self.shared.loading.swap(true, AtomicOrdering::SeqCst) {
            return;
        }
        let (cache, pool) = (self.clone(), pool.clone());
        tokio::spawn(async move {
            if let Err(err) = cache.load_index(&pool).await {
                tracing::warn!("search keeps to SQL: reading the turn index failed: {err}");
            }
            cache.shared.loading.store(false, AtomicOrdering::SeqCst);
        });
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An SQL statement and its bound values.
struct Statement {
    text: String,
    sql: Sql,
}

impl Statement {
    /// What identifies the statement's result in one archive generation.
    fn key(&self) -> String {
        let mut key = self.text.clone();
        for v in &self.sql.values {
            key.push('\u{0}');
            match v {
                Value::Text(s) => key.push_str(s),
                Value::Int(i) => key.push_str(&i.to_string()),
            }
        }
        key
    }
}

/// A `titles` subquery that matches nothing, for plans without title terms.
const NO_TITLES: &str = "SELECT 0 AS rowid, 0.0 AS score WHERE 0";
/// The same for turns.
const NO_TURNS: &str = NO_TITLES;

/// The first turn of statement `t.pk` that passes the turn filters: what represents a
/// statement whose title alone matches.
fn first_turn(seg_filter: &str) -> String {
    format!(
        "SELECT s.rowid FROM segments s WHERE s.statement_pk = t.pk AND {seg_filter}
          ORDER BY s.n LIMIT 1"
    )
}

/// The statement counting every match, without ranking: one pass over the matching
/// rowids joined to their narrow `segment_meta` rows, grouped by statement, speaker and
/// whether the filters pass (the statements with any match, filtered or not, decide
/// which title-only statements count), then the total and the three facets from those
/// groups. Counts count turns, or statements when grouped.
fn counts_statement(req: &Request<'_>) -> Option<Statement> {
    let mut sql = Sql::default();
    let bodies = matching(&mut sql, req.plan, &BODIES, Scoring::Unranked)?;
    let titles = matching(&mut sql, req.plan, &TITLES, Scoring::Unranked)
        .unwrap_or_else(|| NO_TITLES.into());
    let (meta_filter, st_filter, join_st) = filter_sql(&mut sql, req.filters, "m");
    let (seg_filter, _, _) = filter_sql(&mut sql, req.filters, "s");
    let st_join = if join_st {
        "JOIN statements st ON st.pk = m.statement_pk"
    } else {
        ""
    };
    let first = first_turn(&seg_filter);
    let count = if req.group {
        "count(DISTINCT pk)"
    } else {
        "sum(n)"
    };
    let text = format!(
        "WITH body(rowid, score) AS ({bodies}),
         matched(pk, speaker, year, ok, n) AS MATERIALIZED (
           SELECT m.statement_pk, m.speaker, m.year, ({meta_filter} AND {st_filter}), count(*)
             FROM body b JOIN segment_meta m ON m.rowid = b.rowid {st_join}
            GROUP BY m.statement_pk, m.speaker, 4),
         titles(pk, score) AS MATERIALIZED ({titles}),
         hits(pk, speaker, year, n) AS MATERIALIZED (
           SELECT pk, speaker, year, n FROM matched WHERE ok
           UNION ALL
           SELECT m.statement_pk, m.speaker, m.year, 1
             FROM titles t JOIN segment_meta m ON m.rowid = ({first}) {st_join}
            WHERE {st_filter} AND t.pk NOT IN (SELECT pk FROM matched))
         SELECT 'total', NULL, coalesce({count}, 0), NULL FROM hits
         UNION ALL SELECT 'forum', sf.forum, {count}, NULL
            FROM hits CROSS JOIN statement_forums sf ON sf.statement_pk = hits.pk
           GROUP BY sf.forum
         UNION ALL SELECT 'speaker', speaker, {count}, NULL
            FROM hits WHERE speaker IS NOT NULL GROUP BY speaker
         UNION ALL SELECT 'year', NULL, {count}, year
            FROM hits WHERE year IS NOT NULL GROUP BY year"
    );
    Some(Statement { text, sql })
}

/// The statement for the page: the best `offset + limit` body hits and, separately, the
/// best as many title-only statements, each ordered and cut by SQLite's bounded sorter
/// so only the page's worth of rows is ever kept in order; the two are merged in Rust.
/// Ranking scores every match (bm25 needs each one) but never sorts them all.
fn page_statement(req: &Request<'_>) -> Option<Statement> {
    let ranked = req.sort == Sort::Relevance;
    let mut sql = Sql::default();
    let bodies = matching(&mut sql, req.plan, &BODIES, Scoring::ranked(ranked))?;
    let unranked = if ranked {
        matching(&mut sql, req.plan, &BODIES, Scoring::Unranked)?
    } else {
        bodies.clone()
    };
    let titles = matching(&mut sql, req.plan, &TITLES, Scoring::ranked(ranked))
        .unwrap_or_else(|| NO_TITLES.into());
    let (meta_filter, st_filter, join_st) = filter_sql(&mut sql, req.filters, "m");
    let (seg_filter, _, _) = filter_sql(&mut sql, req.filters, "s");
    let st_join = if join_st {
        "JOIN statements st ON st.pk = m.statement_pk"
    } else {
        ""
    };
    let first = first_turn(&seg_filter);
    let w = TITLE_WEIGHT;
    let order = match req.sort {
        Sort::Relevance => "score, rowid",
        Sort::Newest => "date IS NULL, date DESC, rowid",
        Sort::Oldest => "date IS NULL, date, rowid",
    };
    let k = sql.param(Value::Int(i64::from(req.limit) + i64::from(req.offset)));
    let body_hits = format!(
        "SELECT m.rowid AS rowid, m.statement_pk AS pk,
                b.score + {w} * COALESCE(t.score, 0.0) AS score, m.date AS date
           FROM ({bodies}) b JOIN segment_meta m ON m.rowid = b.rowid {st_join}
           LEFT JOIN titles t ON t.pk = m.statement_pk
          WHERE {meta_filter} AND {st_filter}"
    );
    let title_hits = format!(
        "SELECT m.rowid AS rowid, {w} * t.score AS score, m.date AS date
           FROM titles t JOIN segment_meta m ON m.rowid = ({first}) {st_join}
          WHERE {st_filter} AND t.pk NOT IN (
                SELECT m2.statement_pk FROM ({unranked}) b2
                  JOIN segment_meta m2 ON m2.rowid = b2.rowid)"
    );
    let body_page = if req.group {
        // The best turn of each statement: lowest score, or its first matching turn.
        let best = if ranked {
            "min(score) AS score, rowid"
        } else {
            "0.0 AS score, min(rowid) AS rowid"
        };
        format!(
            "SELECT rowid, n, 0 AS title_only, score, date FROM (
               SELECT {best}, count(*) AS n, max(date) AS date
                 FROM ({body_hits}) GROUP BY pk)
              ORDER BY {order} LIMIT {k}"
        )
    } else {
        format!(
            "SELECT rowid, NULL AS n, 0 AS title_only, score, date FROM ({body_hits})
              ORDER BY {order} LIMIT {k}"
        )
    };
    let n = if req.group { "1" } else { "NULL" };
    let text = format!(
        "WITH titles(pk, score) AS MATERIALIZED ({titles})
         SELECT * FROM ({body_page})
         UNION ALL
         SELECT * FROM (SELECT rowid, {n} AS n, 1 AS title_only, score, date
                          FROM ({title_hits}) ORDER BY {order} LIMIT {k})"
    );
    Some(Statement { text, sql })
}

/// Runs a search: the page of hits with snippets, the total and the facets.
///
/// With a cache holding the turn index of the current generation, the total, facets and
/// a page in date order come from the list of matching rowids and the index; otherwise
/// from the counting statement in SQL. A page by relevance always comes from the page
/// statement, run beside the counting on another connection so a large search uses two
/// cores. Counts already kept for the same search in this generation are reused.
pub async fn search(pool: &SqlitePool, req: &Request<'_>) -> sqlx::Result<Results> {
    let (Some(counts_sql), Some(page_sql)) = (counts_statement(req), page_statement(req)) else {
        return Ok(Results::default());
    };
    let ranked = req.sort == Sort::Relevance;
    let key = counts_sql.key();
    let (generation, cached) = match req.cache {
        Some(cache) if cache.shared.capacity > 0 => {
            let generation = crate::db::store::generation(pool).await?;
            (generation, cache.counts_get(generation, &key))
        }
        _ => (0, None),
    };
    let index = req.cache.and_then(|c| c.index(pool));
    // The index gives every page but a grouped one by relevance.
    let sql_page_now = ranked && (index.is_none() || req.group);
    let (indexed, early_page) = tokio::try_join!(
        async {
            match &index {
                Some(index) => from_index(pool, req, index).await,
                None => Ok(None),
            }
        },
        async {
            if sql_page_now {
                run_page(pool, req, &page_sql).await.map(Some)
            } else {
                Ok(None)
            }
        }
    )?;
    if index.is_some() && indexed.is_none() {
        // The archive moved on since the index was read.
        if let Some(cache) = req.cache {
            cache.refresh(pool);
        }
    }
    let (counts, page) = match indexed {
        Some((answer, index_page)) => {
            let counts = match cached {
                Some(counts) => counts,
                None => {
                    let mut counts = answer.counts;
                    name_facets(pool, &mut counts.facets).await?;
                    Arc::new(counts)
                }
            };
            let page = match early_page.or(index_page) {
                Some(page) => page,
                None if ranked => run_page(pool, req, &page_sql).await?,
                None => date_page(req, answer.page),
            };
            (counts, page)
        }
        None => {
            let counts = async {
                match cached {
                    Some(counts) => Ok(counts),
                    None => run_counts(pool, &counts_sql).await.map(Arc::new),
                }
            };
            let page = async {
                match early_page {
                    Some(page) => Ok(page),
                    None => run_page(pool, req, &page_sql).await,
                }
            };
            tokio::try_join!(counts, page)?
        }
    };
    if let Some(cache) = req.cache {
        if cache.shared.capacity > 0 {
            cache.counts_put(generation, key, Arc::clone(&counts));
        }
    }
    Ok(Results {
        hits: load_hits(pool, req.plan, &page).await?,
        total: counts.total,
        facets: counts.facets.clone(),
    })
}

/// The page of a search in date order, from the index's best hits.
fn date_page(
    req: &Request<'_>,
    best: Vec<(i64, Option<String>, Option<i64>, bool)>,
) -> Vec<PageHit> {
    best.into_iter()
        .skip(req.offset as usize)
        .take(req.limit as usize)
        .map(|(rowid, date, hits, title_only)| {
            let key = match req.sort {
                Sort::Oldest => PageKey::Oldest(date.is_none(), date, rowid),
                _ => PageKey::Newest(date.is_none(), std::cmp::Reverse(date), rowid),
            };
            (key, rowid, hits, title_only)
        })
        .collect()
}

/// Counts and the page from the turn index: the matching turns and title-matching
/// statements (with their phrase frequencies when ranked here) come from SQLite, read in
/// one snapshot with the generation; `None` when that is not the index's generation.
async fn from_index(
    pool: &SqlitePool,
    req: &Request<'_>,
    index: &TurnIndex,
) -> sqlx::Result<Option<(turn_index::Answer, Option<Vec<PageHit>>)>> {
    let mut sql = Sql::default();
    // Prefix clauses and excluded prefixes are answered from the index's word list
    // (`prefix_rows`), below: a plan of prefixes alone takes its turns from there; a plan
    // with words takes the stemmed matches the prefixes keep; a plan of one clause of
    // words or prefixes (`union`) adds the prefixes' turns to the words' matches.
    let plan = req.plan;
    let by_words = plan.mixed.is_empty()
        && plan.stemmed.is_none()
        && plan.excluded_stemmed.is_none()
        && !plan.prefix_clauses.is_empty();
    let prefix_filter = plan.mixed.is_empty()
        && plan.stemmed.is_some()
        && !(plan.prefix_clauses.is_empty() && plan.excluded_prefixes.is_empty());
    let union = match plan.mixed.as_slice() {
        [one]
            if plan.stemmed.is_none()
                && plan.plain.is_none()
                && plan.excluded_stemmed.is_none()
                && plan.excluded_plain.is_none() =>
        {
            Some(one)
        }
        _ => None,
    };
    let body_plan = if let Some(one) = union {
        Plan {
            stemmed: Some(one.stemmed.clone()),
            mixed: Vec::new(),
            ..plan.clone()
        }
    } else if prefix_filter {
        Plan {
            plain: None,
            prefix_clauses: Vec::new(),
            excluded_plain: None,
            excluded_prefixes: Vec::new(),
            ..plan.clone()
        }
    } else {
        plan.clone()
    };
    // With `union` the titles' words are matched apart from their prefixes too.
    let title_plan = if union.is_some() { &body_plan } else { plan };
    // A page by relevance of turns scored by the stemmed tables' bm25 alone is ranked
    // here, from each match's phrase frequencies and the index's row lengths.
    let stemmed = stemmed_expression(&body_plan);
    let scored = req.sort == Sort::Relevance && !req.group && stemmed.is_some();
    // Matches of a single table are handed over directly; others as text lists.
    let body_collector = single_driver(&body_plan).then(rank::Collector::new);
    let title_collector = single_driver(title_plan).then(rank::Collector::new);
    let scoring = |collector: Option<&rank::Collector>| match collector {
        Some(c) => Scoring::Collect {
            token: c.token(),
            frequencies: scored,
        },
        None if scored => Scoring::Frequencies,
        None => Scoring::Unranked,
    };
    let Some(bodies) = (if by_words {
        Some(NO_TURNS.to_owned())
    } else {
        matching(
            &mut sql,
            &body_plan,
            &BODIES,
            scoring(body_collector.as_ref()),
        )
    }) else {
        return Ok(None);
    };
    let titles = matching(
        &mut sql,
        title_plan,
        &TITLES,
        scoring(title_collector.as_ref()),
    )
    .unwrap_or_else(|| NO_TITLES.into());
    let (frequencies, stats) = if let (true, Some(expr)) = (scored, &stemmed) {
        let p = sql.text(expr);
        // With no condition beside the stemmed match, a one-phrase query's matches are
        // its phrase's hits: listed here, not counted again.
        let stats = |table: &str, whole: bool| {
            format!(
                "(SELECT {}({table}, {}) FROM {table} WHERE {table} MATCH {p} LIMIT 1)",
                rank::STATS,
                i32::from(whole)
            )
        };
        (
            "score",
            format!(
                "{}, {}",
                stats(
                    BODIES.stemmed,
                    body_collector.is_some() && !prefix_filter && union.is_none()
                ),
                stats(TITLES.stemmed, title_collector.is_some() && union.is_none())
            ),
        )
    } else {
        ("NULL", "NULL, NULL".to_owned())
    };
    // Collected rows go to their collector, and SQLite returns only how many there
    // were; others come as two lists, rowids and frequencies, from one pass.
    let side = |rows: &str, collected: bool| {
        if collected {
            format!(
                "SELECT CAST(count(score) AS TEXT) AS rowids, NULL AS frequencies FROM ({rows})"
            )
        } else {
            format!(
                "SELECT group_concat(rowid) AS rowids, group_concat({frequencies}) AS frequencies
                   FROM ({rows})"
            )
        }
    };
    let text = format!(
        "SELECT (SELECT CAST(value AS INTEGER) FROM archive_meta WHERE key = 'generation'),
                b.rowids, b.frequencies, t.rowids, t.frequencies, {stats}
           FROM ({}) b, ({}) t",
        side(&bodies, body_collector.is_some()),
        side(&titles, title_collector.is_some()),
    );
    // One read transaction: the rowids, the generation and the first turns agree.
    let mut tx = pool.begin().await?;
    type Lists = (
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (generation, body_rowids, body_tf, title_rowids, title_tf, body_stats, title_stats): Lists =
        sqlx::query_as_with(&text, sql.arguments())
            .fetch_one(&mut *tx)
            .await?;
    if generation != index.generation {
        return Ok(None);
    }
    let mut body_scored = Scored::read(
        body_collector.as_ref(),
        body_rowids.as_deref(),
        body_tf.as_deref(),
    )?;
    let mut title_scored = Scored::read(
        title_collector.as_ref(),
        title_rowids.as_deref(),
        title_tf.as_deref(),
    )?;
    // Statements whose title holds one of a `union`'s prefixes.
    let mut title_prefixed = Vec::new();
    if let Some(one) = union {
        let Some(rows) = prefix_rows(&mut tx, index, std::slice::from_ref(&one.prefixes)).await?
        else {
            return Ok(None);
        };
        let text = format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid",
            table = TITLES.plain
        );
        title_prefixed = sqlx::query_scalar(&text)
            .bind(&one.plain)
            .fetch_all(&mut *tx)
            .await?;
        if !(body_scored.add(&rows.rowids()) && title_scored.add(&title_prefixed)) {
            return Ok(None);
        }
    }
    if by_words || prefix_filter {
        let Some(wanted) = optional_prefix_rows(&mut tx, index, &plan.prefix_clauses).await? else {
            return Ok(None);
        };
        let excluded = std::slice::from_ref(&plan.excluded_prefixes);
        let Some(unwanted) = optional_prefix_rows(&mut tx, index, excluded).await? else {
            return Ok(None);
        };
        if by_words {
            body_scored.rowids = wanted.as_ref().map(RowSet::rowids).unwrap_or_default();
        }
        body_scored.retain(|rowid| {
            wanted.as_ref().is_none_or(|w| w.contains(rowid))
                && !unwanted.as_ref().is_some_and(|u| u.contains(rowid))
        });
    }
    let body = &body_scored.rowids;
    let title_pks = &title_scored.rowids;
    let Some(gathered) = index.gather(body) else {
        return Ok(None);
    };
    let candidates = index.title_candidates(&gathered, title_pks);
    let mut reps = Vec::new();
    if !candidates.is_empty() {
        let mut sql = Sql::default();
        let (seg_filter, _, _) = filter_sql(&mut sql, req.filters, "s");
        let p = sql.text(&serde_json::to_string(&candidates).unwrap_or_default());
        let text = format!(
            "SELECT (SELECT s.rowid FROM segments s WHERE s.statement_pk = j.value
                       AND {seg_filter} ORDER BY s.n LIMIT 1)
               FROM json_each({p}) j"
        );
        let first: Vec<Option<i64>> = sqlx::query_scalar_with(&text, sql.arguments())
            .fetch_all(&mut *tx)
            .await?;
        reps = first.into_iter().flatten().collect();
    }
    let k = req.offset as usize + req.limit as usize;
    let Some(answer) = index.answer(req.filters, body, &gathered, &reps, req.sort, req.group, k)
    else {
        return Ok(None);
    };
    let bm25 = |stats: Option<&str>, matches: usize| {
        stats.and_then(|s| Bm25::from_stats(s, i64::try_from(matches).unwrap_or(i64::MAX)))
    };
    let page = if req.sort != Sort::Relevance || req.group {
        None
    } else if req.plan.stemmed.is_none() && req.plan.mixed.is_empty() {
        Some(unscored_page(req, title_pks, &answer))
    } else if let Some(page) = scored
        .then(|| {
            scored_page(
                req,
                index,
                (
                    &body_scored,
                    bm25(body_stats.as_deref(), body_scored.rowids.len()),
                ),
                (
                    &title_scored,
                    bm25(title_stats.as_deref(), title_scored.rowids.len()),
                ),
                &title_prefixed,
                &answer,
            )
        })
        .flatten()
    {
        Some(page)
    } else if let Some(statement) = ranked_page_statement(req, body, title_pks, &answer) {
        Some(run_page_with(&mut *tx, req, &statement).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(Some((answer, page)))
}

/// The turns matching the prefix clauses of a plan (`clauses`, each a list of
/// alternative prefixes): the words each clause stands for are read from the index's word
/// list and matched one by one in the plain table, each clause's rows united in a bitmap
/// and the clauses intersected. FTS5's own `"prefix"*` merges the words' rowid lists
/// row by row, comparing every list at each step; matching the words one after another
/// reads the same lists at a third of the cost. Reads in the caller's transaction;
/// `None` when a row is beyond the index (it was read before the row existed).
async fn prefix_rows(
    conn: &mut SqliteConnection,
    index: &TurnIndex,
    clauses: &[Vec<String>],
) -> sqlx::Result<Option<RowSet>> {
    let bound = index.rowid_bound();
    let mut matched: Option<RowSet> = None;
    for clause in clauses {
        let mut words: Vec<&str> = clause
            .iter()
            .flat_map(|prefix| index.words_starting(prefix))
            .map(|w| &**w)
            .collect();
        words.sort_unstable();
        words.dedup();
        if words.is_empty() {
            return Ok(Some(RowSet::new(0)));
        }
        let quoted: Vec<String> = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        let collector = rank::Collector::new();
        // `CROSS JOIN` keeps the words outside: FTS5 runs one match per word.
        let text = format!(
            "SELECT count({keep}(?1, {table}.rowid)) FROM json_each(?2) AS w
               CROSS JOIN {table} WHERE {table} MATCH w.value",
            keep = rank::KEEP,
            table = BODIES.plain,
        );
        let count: i64 = sqlx::query_scalar(&text)
            .bind(collector.token())
            .bind(serde_json::to_string(&quoted).unwrap_or_default())
            .fetch_one(&mut *conn)
            .await?;
        let rowids = collector.take().rowids;
        if usize::try_from(count).ok() != Some(rowids.len()) {
            return Err(sqlx::Error::Protocol(
                "collected matches differ from their count".into(),
            ));
        }
        let mut rows = RowSet::new(bound);
        for rowid in rowids {
            if usize::try_from(rowid).map_or(true, |i| i >= bound) {
                return Ok(None);
            }
            rows.insert(rowid);
        }
        matched = Some(match matched {
            None => rows,
            Some(all) => all.intersection(&rows),
        });
    }
    Ok(Some(matched.unwrap_or_else(|| RowSet::new(0))))
}

/// [`prefix_rows`] of `clauses`, `Some(None)` when they hold no prefix at all.
async fn optional_prefix_rows(
    conn: &mut SqliteConnection,
    index: &TurnIndex,
    clauses: &[Vec<String>],
) -> sqlx::Result<Option<Option<RowSet>>> {
    if clauses.iter().all(Vec::is_empty) {
        return Ok(Some(None));
    }
    Ok(prefix_rows(conn, index, clauses).await?.map(Some))
}

/// A set of rowids, one bit each.
#[derive(Debug)]
struct RowSet(Vec<u64>);

impl RowSet {
    /// An empty set for rowids below `bound`.
    fn new(bound: usize) -> RowSet {
        RowSet(vec![0; bound.div_ceil(64)])
    }

    /// Adds `rowid`, if it is below the set's bound.
    fn insert(&mut self, rowid: i64) {
        if let Some(word) = usize::try_from(rowid)
            .ok()
            .and_then(|i| self.0.get_mut(i / 64))
        {
            *word |= 1 << (rowid % 64);
        }
    }

    /// The rowids in both sets.
    fn intersection(mut self, other: &RowSet) -> RowSet {
        self.0.truncate(other.0.len());
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
        self
    }

    fn contains(&self, rowid: i64) -> bool {
        usize::try_from(rowid).is_ok_and(|i| {
            self.0
                .get(i / 64)
                .is_some_and(|word| word & (1 << (i % 64)) != 0)
        })
    }

    /// The rowids, in order.
    fn rowids(&self) -> Vec<i64> {
        let mut rowids = Vec::new();
        for (w, &word) in self.0.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let bit = word.trailing_zeros() as usize;
                rowids.push((w * 64 + bit) as i64);
                word &= word - 1;
            }
        }
        rowids
    }
}

/// The matching rows of one table as `group_concat` listed them: rowids and, when
/// scoring, each row's phrase frequencies (`communique_tf`), flat, `phrases` a row.
#[derive(Debug, Default)]
struct Scored {
    rowids: Vec<i64>,
    frequencies: Vec<u32>,
    phrases: usize,
}

impl From<rank::Collected> for Scored {
    fn from(c: rank::Collected) -> Scored {
        Scored {
            rowids: c.rowids,
            frequencies: c.frequencies,
            phrases: c.phrases,
        }
    }
}

impl Scored {
    /// The rows of one table: from its collector, which must hold the `count` SQLite
    /// returned, or else from the lists.
    fn read(
        collector: Option<&rank::Collector>,
        rowids: Option<&str>,
        frequencies: Option<&str>,
    ) -> sqlx::Result<Scored> {
        let Some(collector) = collector else {
            return Ok(Scored::parse(rowids, frequencies));
        };
        let scored = Scored::from(collector.take());
        if rowids.and_then(|c| c.parse::<usize>().ok()) != Some(scored.rowids.len()) {
            return Err(sqlx::Error::Protocol(
                "collected matches differ from their count".into(),
            ));
        }
        Ok(scored)
    }

    /// Keeps the rows whose rowid passes `keep`, with their frequencies.
    fn retain(&mut self, keep: impl Fn(i64) -> bool) {
        let phrases = self.phrases;
        let mut frequencies = Vec::new();
        let mut listed = 0;
        self.rowids.retain(|&rowid| {
            let kept = keep(rowid);
            if kept && phrases > 0 {
                let at = listed * phrases;
                frequencies
                    .extend_from_slice(self.frequencies.get(at..at + phrases).unwrap_or_default());
            }
            listed += 1;
            kept
        });
        self.frequencies = frequencies;
    }

    fn parse(rowids: Option<&str>, frequencies: Option<&str>) -> Scored {
        let mut parsed = Scored {
            rowids: self::rowids(rowids),
            ..Scored::default()
        };
        let Some(frequencies) = frequencies else {
            return parsed;
        };
        let (mut rows, mut readable) = (0, true);
        for row in frequencies.split(',') {
            for f in row.split('/') {
                match f.parse() {
                    Ok(f) => parsed.frequencies.push(f),
                    Err(_) => readable = false,
                }
            }
            rows += 1;
        }
        parsed.phrases = parsed.frequencies.len() / rows.max(1);
        if !readable
            || rows != parsed.rowids.len()
            || parsed.phrases * rows != parsed.frequencies.len()
        {
            // Not one frequency list per row: nothing to score with.
            parsed.frequencies.clear();
            parsed.phrases = 0;
        }
        parsed
    }

    /// The phrase frequencies of the `i`th listed row.
    fn frequencies(&self, i: usize) -> Option<&[u32]> {
        let n = self.phrases;
        (n > 0)
            .then(|| self.frequencies.get(i * n..(i + 1) * n))
            .flatten()
    }

    /// The bm25 of the `i`th row, `length` tokens long. A row without a single phrase
    /// hit was added by a `union`'s prefixes and scores 0.0, as in [`matching`]. `None`
    /// when the row cannot be scored.
    fn score(&self, i: usize, bm25: Option<&Bm25>, length: u32) -> Option<f64> {
        let tf = self.frequencies(i)?;
        if tf.iter().all(|&f| f == 0) {
            return Some(0.0);
        }
        bm25?.score(tf, length)
    }

    /// Adds the rows of `rowids` (ascending) not listed yet, with frequencies of 0: a
    /// union's prefix rows. `false` when either list is out of order.
    fn add(&mut self, rowids: &[i64]) -> bool {
        if !(self.rowids.is_sorted() && rowids.is_sorted()) {
            return false;
        }
        let n = self.phrases;
        let mut merged = Vec::with_capacity(self.rowids.len() + rowids.len());
        let mut frequencies = Vec::with_capacity(merged.capacity() * n);
        let (mut i, mut j) = (0, 0);
        while i < self.rowids.len() || j < rowids.len() {
            let mine = self.rowids.get(i).copied();
            let added = rowids.get(j).copied();
            match (mine, added) {
                (Some(r), a) if a.is_none_or(|a| r <= a) => {
                    let Some(listed) = self.frequencies.get(i * n..(i + 1) * n) else {
                        return false;
                    };
                    merged.push(r);
                    frequencies.extend_from_slice(listed);
                    i += 1;
                    j += usize::from(a == Some(r));
                }
                (_, Some(a)) => {
                    merged.push(a);
                    frequencies.extend(std::iter::repeat_n(0, n));
                    j += 1;
                }
                _ => break,
            }
        }
        self.rowids = merged;
        self.frequencies = frequencies;
        true
    }
}

/// The page by relevance computed in Rust: the same scores as [`page_statement`]'s
/// (bm25 of the turn, plus [`TITLE_WEIGHT`] times its statement's title bm25; title-only
/// statements the weighted title score), from the phrase frequencies listed with the
/// matches and the index's row lengths. `None` when something cannot be scored (the
/// SQL page is used then).
fn scored_page(
    req: &Request<'_>,
    index: &TurnIndex,
    (body, body_bm25): (&Scored, Option<Bm25>),
    (titles, title_bm25): (&Scored, Option<Bm25>),
    title_prefixed: &[i64],
    answer: &turn_index::Answer,
) -> Option<Vec<PageHit>> {
    let w = TITLE_WEIGHT;
    let mut title_scores = HashMap::new();
    for (i, &pk) in titles.rowids.iter().enumerate() {
        let score = titles.score(i, title_bm25.as_ref(), index.title_length(pk)?)?;
        title_scores.insert(pk, score);
    }
    // A title a union's prefix matches scores -1.0 at most, as in `matching`.
    for &pk in title_prefixed {
        let score = title_scores.entry(pk).or_insert(-1.0);
        *score = score.min(-1.0);
    }
    let mut best = TopK::new(req);
    for hit in &answer.body_hits {
        let score = body.score(hit.listed, body_bm25.as_ref(), hit.length)?;
        let title = if title_scores.is_empty() {
            0.0
        } else {
            title_scores.get(&hit.statement).copied().unwrap_or(0.0)
        };
        best.offer(score + w * title, hit.rowid, false);
    }
    for &(rowid, pk) in &answer.title_hits {
        best.offer(w * title_scores.get(&pk)?, rowid, true);
    }
    Some(best.page(req))
}

/// The first `offset + limit` rows by relevance of all those offered, kept in a heap
/// whose top is the worst kept: a search with hundreds of thousands of matches sorts
/// only a page's worth of them.
struct TopK {
    k: usize,
    /// `(key, rowid, title only)`: keys are unique, as rowids are.
    heap: BinaryHeap<(PageKey, i64, bool)>,
}

impl TopK {
    fn new(req: &Request<'_>) -> TopK {
        TopK {
            k: req.offset as usize + req.limit as usize,
            heap: BinaryHeap::new(),
        }
    }

    fn offer(&mut self, score: f64, rowid: i64, title_only: bool) {
        let row = (PageKey::Score(score, rowid), rowid, title_only);
        if self.heap.len() < self.k {
            self.heap.push(row);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if row < *worst {
                *worst = row;
            }
        }
    }

    /// The page: the kept rows in order, `offset` skipped.
    fn page(self, req: &Request<'_>) -> Vec<PageHit> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .skip(req.offset as usize)
            .map(|(key, rowid, title_only)| (key, rowid, None, title_only))
            .collect()
    }
}

/// The page by relevance of a search of prefixes only, which the plain tables cannot
/// score: a turn scores 0, raised by a title match (scored -1) as in [`page_statement`],
/// so the order is title matches first, then archive order; no SQL needed.
fn unscored_page(
    req: &Request<'_>,
    title_pks: &[i64],
    answer: &turn_index::Answer,
) -> Vec<PageHit> {
    let titled = sorted(title_pks);
    let w = TITLE_WEIGHT;
    // The plain title tables' score of a match, as in `matching`.
    let matched = -1.0;
    let mut best = TopK::new(req);
    for hit in &answer.body_hits {
        let title = if titled.binary_search(&hit.statement).is_ok() {
            matched
        } else {
            0.0
        };
        best.offer(0.0 + w * title, hit.rowid, false);
    }
    for &(rowid, _) in &answer.title_hits {
        best.offer(w * matched, rowid, true);
    }
    best.page(req)
}

/// The page by relevance when the index knows which matches pass the filters and which
/// statements' titles match: bm25 is computed only for the matches that pass (SQLite
/// reads `rank` only for rows its WHERE keeps), and no match is joined to its
/// `segment_meta` row except those whose statement's title matches too, whose score the
/// title raises. Three halves, each cut to the page by the bounded sorter: matches
/// without a title boost, matches with one, title-only statements. The scores are the
/// same expressions as in [`page_statement`]. `None` when titles raise so many matches
/// (a fifth or more) that joining every match, as [`page_statement`] does, costs less.
fn ranked_page_statement(
    req: &Request<'_>,
    body: &[i64],
    title_pks: &[i64],
    answer: &turn_index::Answer,
) -> Option<Statement> {
    let mut sql = Sql::default();
    // Both exist: the caller matched this plan already.
    let bodies = matching(&mut sql, req.plan, &BODIES, Scoring::Rank).unwrap_or_default();
    let titles =
        matching(&mut sql, req.plan, &TITLES, Scoring::Rank).unwrap_or_else(|| NO_TITLES.into());
    let w = TITLE_WEIGHT;
    let k = sql.param(Value::Int(i64::from(req.limit) + i64::from(req.offset)));
    let titled = sorted(title_pks);
    let (mut boosted, mut plain) = (Vec::new(), Vec::new());
    for hit in &answer.body_hits {
        if titled.binary_search(&hit.statement).is_ok() {
            boosted.push(hit.rowid);
        } else {
            plain.push(hit.rowid);
        }
    }
    if boosted.len() * 5 >= answer.body_hits.len().max(1) && !boosted.is_empty() {
        return None;
    }
    let json = |v: &[i64]| serde_json::to_string(v).unwrap_or_default();
    let ctes = [format!("titles(pk, score) AS MATERIALIZED ({titles})")];
    let mut arms = Vec::new();
    if !plain.is_empty() {
        // `+` keeps SQLite from handing the rowid list to FTS5, which would run the
        // whole match once per listed rowid.
        let filter = if answer.body_hits.len() < body.len() {
            // Some matches fail the filters: keep the listed ones.
            let p = sql.text(&json(&plain));
            format!("WHERE +x.rowid IN (SELECT value FROM json_each({p}))")
        } else if !boosted.is_empty() {
            let p = sql.text(&json(&boosted));
            format!("WHERE +x.rowid NOT IN (SELECT value FROM json_each({p}))")
        } else {
            String::new()
        };
        arms.push(format!(
            "SELECT * FROM (SELECT x.rowid AS rowid, NULL AS n, 0 AS title_only,
                    x.score + {w} * 0.0 AS score, NULL AS date
               FROM ({bodies}) x {filter} ORDER BY score, rowid LIMIT {k})"
        ));
    }
    if !boosted.is_empty() {
        let p = sql.text(&json(&boosted));
        arms.push(format!(
            "SELECT * FROM (SELECT x.rowid AS rowid, NULL AS n, 0 AS title_only,
                    x.score + {w} * t.score AS score, NULL AS date
               FROM ({bodies}) x CROSS JOIN segment_meta m ON m.rowid = x.rowid
               CROSS JOIN titles t ON t.pk = m.statement_pk
              WHERE +x.rowid IN (SELECT value FROM json_each({p}))
              ORDER BY score, rowid LIMIT {k})"
        ));
    }
    if !answer.title_hits.is_empty() {
        let pairs: Vec<[i64; 2]> = answer.title_hits.iter().map(|&(r, pk)| [r, pk]).collect();
        let p = sql.text(&serde_json::to_string(&pairs).unwrap_or_default());
        arms.push(format!(
            "SELECT * FROM (SELECT json_extract(j.value, '$[0]') AS rowid, NULL AS n,
                    1 AS title_only, {w} * t.score AS score, NULL AS date
               FROM json_each({p}) j JOIN titles t ON t.pk = json_extract(j.value, '$[1]')
              ORDER BY score, rowid LIMIT {k})"
        ));
    }
    if arms.is_empty() {
        arms.push("SELECT 0, NULL, 0, 0.0, NULL WHERE 0".into());
    }
    let text = format!("WITH {} {}", ctes.join(", "), arms.join(" UNION ALL "));
    Some(Statement { text, sql })
}

/// The numbers, sorted for `binary_search`.
fn sorted(numbers: &[i64]) -> Vec<i64> {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted
}

/// The numbers of a `group_concat` of rowids.
fn rowids(list: Option<&str>) -> Vec<i64> {
    list.map(|l| l.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default()
}

/// Runs the counting statement and names the facets.
async fn run_counts(pool: &SqlitePool, statement: &Statement) -> sqlx::Result<Counts> {
    let rows = sqlx::query_with(&statement.text, statement.sql.arguments())
        .fetch_all(pool)
        .await?;
    let mut counts = Counts::default();
    for row in rows {
        let what: String = row.try_get(0)?;
        let key: Option<String> = row.try_get(1)?;
        let n: i64 = row.try_get(2)?;
        match what.as_str() {
            "total" => counts.total = n,
            "forum" | "speaker" => {
                let bucket = Bucket {
                    name: key.clone().unwrap_or_default(),
                    key: key.unwrap_or_default(),
                    count: n,
                };
                if what == "forum" {
                    counts.facets.forum.push(bucket);
                } else {
                    counts.facets.speaker.push(bucket);
                }
            }
            _ => {
                let year: i64 = row.try_get(3)?;
                counts.facets.year.push(Bucket {
                    key: year.to_string(),
                    name: year.to_string(),
                    count: n,
                });
            }
        }
    }
    name_facets(pool, &mut counts.facets).await?;
    Ok(counts)
}

/// One hit of the page before its turn is loaded: sort key, rowid, matching turns of its
/// statement (grouped), whether only the title matched.
type PageHit = (PageKey, i64, Option<i64>, bool);

/// Runs the page statement and merges its two halves into the requested page.
async fn run_page(
    pool: &SqlitePool,
    req: &Request<'_>,
    statement: &Statement,
) -> sqlx::Result<Vec<PageHit>> {
    run_page_with(pool, req, statement).await
}

async fn run_page_with(
    executor: impl sqlx::SqliteExecutor<'_>,
    req: &Request<'_>,
    statement: &Statement,
) -> sqlx::Result<Vec<PageHit>> {
    let rows = sqlx::query_with(&statement.text, statement.sql.arguments())
        .fetch_all(executor)
        .await?;
    let mut page: Vec<PageHit> = Vec::with_capacity(rows.len());
    for row in rows {
        let rowid: i64 = row.try_get(0)?;
        let hits: Option<i64> = row.try_get(1)?;
        let title_only: i64 = row.try_get(2)?;
        let score: f64 = row.try_get(3)?;
        let date: Option<String> = row.try_get(4)?;
        let key = match req.sort {
            Sort::Relevance => PageKey::Score(score, rowid),
            Sort::Newest => PageKey::Newest(date.is_none(), std::cmp::Reverse(date), rowid),
            Sort::Oldest => PageKey::Oldest(date.is_none(), date, rowid),
        };
        page.push((key, rowid, hits, title_only != 0));
    }
    page.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(page
        .into_iter()
        .skip(req.offset as usize)
        .take(req.limit as usize)
        .collect())
}

/// The order of a page's hits, as the SQL orders them (rowid breaks ties).
#[derive(Debug, PartialEq)]
enum PageKey {
    Score(f64, i64),
    Newest(bool, std::cmp::Reverse<Option<String>>, i64),
    Oldest(bool, Option<String>, i64),
}

impl Eq for PageKey {}

impl PartialOrd for PageKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PageKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use PageKey::{Newest, Oldest, Score};
        match (self, other) {
            (Score(a, x), Score(b, y)) => a.total_cmp(b).then(x.cmp(y)),
            (Newest(a, b, c), Newest(d, e, f)) => (a, b, c).cmp(&(d, e, f)),
            (Oldest(a, b, c), Oldest(d, e, f)) => (a, b, c).cmp(&(d, e, f)),
            // One search has one sort.
            _ => std::cmp::Ordering::Equal,
        }
    }
}

/// Gives forum buckets their acronyms and speaker buckets their names, and orders them.
async fn name_facets(pool: &SqlitePool, facets: &mut Facets) -> sqlx::Result<()> {
    for (bucket_list, sql) in [
        (
            &mut facets.forum,
            "SELECT slug, acronym FROM forums WHERE slug IN (SELECT value FROM json_each(?1))",
        ),
        (
            &mut facets.speaker,
            "SELECT slug, name FROM speakers WHERE slug IN (SELECT value FROM json_each(?1))",
        ),
    ] {
        let keys: Vec<&str> = bucket_list.iter().map(|b| b.key.as_str()).collect();
        let names: HashMap<String, String> = sqlx::query_as(sql)
            .bind(serde_json::to_string(&keys).unwrap_or_default())
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
        for b in bucket_list.iter_mut() {
            if let Some(name) = names.get(&b.key) {
                b.name = name.clone();
            }
        }
        bucket_list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
    facets
        .year
        .sort_by_key(|b| b.key.parse::<i64>().unwrap_or_default());
    Ok(())
}

/// Loads the page's turns and statements and builds their snippets.
async fn load_hits(pool: &SqlitePool, plan: &Plan, page: &[PageHit]) -> sqlx::Result<Vec<Hit>> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let rowids: Vec<i64> = page.iter().map(|p| p.1).collect();
    let ids_json = serde_json::to_string(&rowids).unwrap_or_default();
    let rows = sqlx::query(
        "SELECT s.rowid, s.n, s.kind, s.speaker, sp.name, s.label, s.exchange, s.anchor, s.body,
                st.pk, st.id, st.title, st.date,
                (SELECT json_group_array(forum) FROM
                   (SELECT forum FROM statement_forums WHERE statement_pk = st.pk ORDER BY position))
           FROM segments s JOIN statements st ON st.pk = s.statement_pk
           LEFT JOIN speakers sp ON sp.slug = s.speaker
          WHERE s.rowid IN (SELECT value FROM json_each(?1))",
    )
    .bind(&ids_json)
    .fetch_all(pool)
    .await?;
    let mut by_rowid = HashMap::new();
    for row in rows {
        let rowid: i64 = row.try_get(0)?;
        let pk: i64 = row.try_get(9)?;
        let forums: String = row.try_get(13)?;
        let body: String = row.try_get(8)?;
        let hit = Hit {
            statement: HitStatement {
                id: row.try_get(10)?,
                title: row.try_get(11)?,
                title_html: None,
                date: row.try_get(12)?,
                forums: serde_json::from_str(&forums).unwrap_or_default(),
            },
            segment: HitSegment {
                n: row.try_get(1)?,
                kind: row.try_get(2)?,
                speaker: row.try_get(3)?,
                speaker_name: row.try_get(4)?,
                label: row.try_get(5)?,
                exchange: row.try_get(6)?,
                anchor: row.try_get(7)?,
            },
            hits: None,
            title_only: false,
            snippet: String::new(),
        };
        by_rowid.insert(rowid, (hit, pk, body));
    }
    let bodies: Vec<(i64, &str)> = by_rowid
        .iter()
        .map(|(&rowid, (_, _, body))| (rowid, body.as_str()))
        .collect();
    let body_marks = highlights(pool, plan, &bodies).await?;
    let mut titles: Vec<(i64, &str)> = by_rowid
        .values()
        .filter_map(|(hit, pk, _)| Some((*pk, hit.statement.title.as_deref()?)))
        .collect();
    titles.sort_unstable();
    titles.dedup();
    let title_marks = highlights(pool, plan, &titles).await?;

    let mut hits = Vec::with_capacity(page.len());
    for &(_, rowid, count, title_only) in page {
        let Some((mut hit, pk, body)) = by_rowid.remove(&rowid) else {
            continue;
        };
        let title_ranges = title_marks.get(&pk).cloned().unwrap_or_default();
        hit.statement.title_html = hit
            .statement
            .title
            .as_deref()
            .map(|t| mark_html(t, &title_ranges, None));
        hit.hits = count;
        hit.title_only = title_only;
        hit.snippet = if title_only {
            hit.statement.title_html.clone().unwrap_or_default()
        } else {
            let ranges = body_marks.get(&rowid).cloned().unwrap_or_default();
            mark_html(&body, &ranges, Some(SNIPPET_CHARS))
        };
        hits.push(hit);
    }
    Ok(hits)
}

/// The stemmed tables' tokenizer (`migrations/0001_init.sql`), for the snippet table.
const STEMMED_TOKENIZER: &str = "porter unicode61 remove_diacritics 2";

/// Creates, on a new connection, the temporary tables snippets are highlighted in: a
/// page's texts are indexed there, on their own, by the stemmed tables' tokenizer, and
/// FTS5's `highlight()` marks them. Asked of the archive's own tables for a list of
/// rowids, FTS5 would run the whole match once per rowid (8 ms for a page of a phrase
/// holding a common word).
pub async fn prepare_connection(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS snippet_text (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_fts USING fts5 (
             body, content = 'snippet_text', content_rowid = 'id', tokenize = '{STEMMED_TOKENIZER}'
         )"
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Character ranges of the matches of the plan's wanted terms in `texts` (rows of
/// turns or titles, by rowid): stemmed words and phrases (marked by FTS5 in the snippet
/// table) and prefixes merged.
async fn highlights(
    pool: &SqlitePool,
    plan: &Plan,
    texts: &[(i64, &str)],
) -> sqlx::Result<HashMap<i64, Vec<(usize, usize)>>> {
    let mut out: HashMap<i64, Vec<(usize, usize)>> = HashMap::new();
    if let (Some(expr), false) = (&plan.highlight_stemmed, texts.is_empty()) {
        let by_id: serde_json::Map<String, serde_json::Value> = texts
            .iter()
            .map(|&(id, text)| (id.to_string(), text.into()))
            .collect();
        // Written inside a transaction that is rolled back: the tables stay empty.
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO temp.snippet_text (id, body)
             SELECT CAST(key AS INTEGER), value FROM json_each(?1)",
        )
        .bind(serde_json::Value::Object(by_id).to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO temp.snippet_fts (rowid, body) SELECT id, body FROM temp.snippet_text",
        )
        .execute(&mut *tx)
        .await?;
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT rowid, highlight(snippet_fts, 0, ?1, ?2) FROM temp.snippet_fts
              WHERE snippet_fts MATCH ?3",
        )
        .bind(OPEN.to_string())
        .bind(CLOSE.to_string())
        .bind(expr)
        .fetch_all(&mut *tx)
        .await?;
        tx.rollback().await?;
        for (rowid, marked) in rows {
            if let Some(marked) = marked {
                out.entry(rowid).or_default().extend(mark_ranges(&marked));
            }
        }
    }
    // A prefix would be expanded over the whole vocabulary for each listed rowid: its
    // words are found in the texts instead.
    for &(rowid, text) in texts {
        let ranges = plan.prefix_ranges(text);
        if !ranges.is_empty() {
            out.entry(rowid).or_default().extend(ranges);
        }
    }
    for ranges in out.values_mut() {
        *ranges = merge(std::mem::take(ranges));
    }
    Ok(out)
}

/// Ranges (in characters of the unmarked text) between the markers of `marked`.
/// Text that itself holds a marker character gets no highlighting rather than a wrong one.
fn mark_ranges(marked: &str) -> Vec<(usize, usize)> {
    let opens = marked.chars().filter(|&c| c == OPEN).count();
    let closes = marked.chars().filter(|&c| c == CLOSE).count();
    if opens != closes {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    let mut pos = 0;
    let mut start = None;
    for c in marked.chars() {
        match c {
            OPEN => start = Some(pos),
            CLOSE => {
                if let Some(s) = start.take() {
                    ranges.push((s, pos));
                }
            }
            _ => pos += 1,
        }
    }
    ranges
}

fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Escapes `text` and wraps the given character ranges in `<mark>`. With a window, shows
/// only about that many characters around the densest cluster of matches, with `…`.
pub fn mark_html(text: &str, ranges: &[(usize, usize)], window: Option<usize>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (mut from, mut to) = (0, chars.len());
    if let Some(window) = window.filter(|&w| chars.len() > w) {
        // The match with the most others within the window after it.
        let best = (0..ranges.len())
            .max_by_key(|&i| {
                let n = ranges[i..]
                    .iter()
                    .take_while(|r| r.0 < ranges[i].0 + window)
                    .count();
                (n, std::cmp::Reverse(i))
            })
            .map(|i| ranges[i].0)
            .unwrap_or(0);
        from = best.saturating_sub(window / 5);
        // Start and end at word boundaries, without cutting a match.
        while from > 0 && !chars[from - 1].is_whitespace() && best - from < window / 3 {
            from -= 1;
        }
        to = (from + window).min(chars.len());
        while to < chars.len() && !chars[to].is_whitespace() && to - from < window + 40 {
            to += 1;
        }
        if let Some(r) = ranges.iter().find(|r| r.0 < to && r.1 > to) {
            to = r.1;
        }
    }
    let mut out = String::with_capacity((to - from) * 2);
    if from > 0 {
        out.push_str("… ");
    }
    let mut open = false;
    let mut next = ranges.iter().peekable();
    while next.peek().is_some_and(|r| r.1 <= from) {
        next.next();
    }
    for (i, c) in chars.iter().enumerate().take(to).skip(from) {
        if open && next.peek().is_some_and(|r| r.1 == i) {
            out.push_str("</mark>");
            open = false;
            next.next();
        }
        if !open && next.peek().is_some_and(|r| r.0 <= i && i < r.1) {
            out.push_str("<mark>");
            open = true;
        }
        // Paragraph breaks read as one space in a snippet or title.
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        push_escaped(&mut out, *c);
    }
    if open {
        out.push_str("</mark>");
    }
    if to < chars.len() {
        out.push_str(" …");
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if c.is_control() => {}
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_the_only_markup() {
        let text = "a <b>&\"x\"</b> treaty";
        let ranges = mark_ranges("a <b>&\"x\"</b> \u{F0000}treaty\u{F0001}");
        assert_eq!(ranges, vec![(14, 20)]);
        assert_eq!(
            mark_html(text, &ranges, None),
            "a &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt; <mark>treaty</mark>"
        );
    }

    #[test]
    fn adjacent_and_overlapping_marks_merge() {
        assert_eq!(
            merge(vec![(5, 9), (0, 3), (3, 4), (6, 12)]),
            vec![(0, 4), (5, 12)]
        );
        assert_eq!(
            mark_html("ab cd", &[(0, 2), (3, 5)], None),
            "<mark>ab</mark> <mark>cd</mark>"
        );
    }

    #[test]
    fn text_holding_a_marker_is_not_highlighted() {
        assert_eq!(mark_ranges("x\u{F0000} \u{F0000}y\u{F0001}"), vec![]);
    }

    #[test]
    fn windows_centre_on_the_densest_matches() {
        let text = format!(
            "{} treaty INF treaty {}",
            "word ".repeat(100),
            "end ".repeat(100)
        );
        let start = 500;
        let ranges = vec![
            (start + 1, start + 7),
            (start + 8, start + 11),
            (start + 12, start + 18),
        ];
        let html = mark_html(&text, &ranges, Some(60));
        assert!(html.starts_with("… "), "{html}");
        assert!(html.ends_with(" …"), "{html}");
        assert!(html.contains("<mark>treaty</mark> <mark>INF</mark> <mark>treaty</mark>"));
        assert!(html.chars().count() < 120, "{html}");
    }
}

#[cfg(test)]
mod prefix_tests {
    use super::*;
    use crate::search::query::{Query, MIN_PREFIX_CHARS};

    const TURNS: [&str; 6] = [
        "The Élysée Palace and the ELYSEE statement; elysian fields.",
        "Straße, Strasse and Straßburg; Øresund, Ørsted and orsted.",
        "Łódź, Lodz and łódka; naïve, NAIVE; Müller, MULLER, muller.",
        "Ελλάδα, ΕΛΛΆΔΑ and ελληνικά; İstanbul and Istanbul.",
        "Переговоры, ПЕРЕГОВОРЩИК; ёлка, Ёлки and елка; йод and Йемен.",
        "Қазақстан, Україна, ґанок; G20, g7summit and 2003s.",
    ];

    /// The rows `prefix_rows` finds from the word list are exactly those FTS5's own
    /// prefix query finds, for every prefix of every word, several clauses and
    /// alternatives, and prefixes of no word.
    #[tokio::test]
    async fn prefix_rows_are_the_rows_of_fts5_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let text: Vec<String> = TURNS
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}: {t}", ["Question", "Sergey Lavrov"][i % 2]))
            .collect();
        let rows: String = (0..3)
            .map(|i| {
                let row = serde_json::json!({
                    "speaker": "Sergey Lavrov",
                    "date": format!("0{}-03-2021", i + 1),
                    "title": format!("Statement {i}"),
                    "text": text[i..].join("\n\n"),
                });
                format!("{row}\n")
            })
            .collect();
        let path = dir.path().join("words.jsonl");
        std::fs::write(&path, rows).unwrap();
        let pool = crate::db::connect(dir.path().join("words.db"))
            .await
            .unwrap();
        let summary = crate::import::import_paths(
            &pool,
            &[path],
            &crate::registry::Registry::builtin(),
            &crate::import::ImportOptions::quiet(),
        )
        .await
        .unwrap();
        assert_eq!(summary.imported, 3);
        let index = TurnIndex::load(&pool).await.unwrap();

        let mut queries: Vec<String> = Vec::new();
        for word in TURNS
            .iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        {
            let chars: Vec<char> = word.chars().collect();
            for len in MIN_PREFIX_CHARS..=chars.len() {
                let prefix: String = chars[..len].iter().collect();
                queries.push(format!("{prefix}*"));
                queries.push(format!("{}*", prefix.to_uppercase()));
            }
        }
        queries.extend(
            [
                "elys* straß*",
                "elys* OR перег*",
                "ελλ* OR ёлк* ист*",
                "zzzz*",
                "elys* zzzz*",
            ]
            .map(String::from),
        );
        let mut conn = pool.acquire().await.unwrap();
        let mut found = 0;
        for q in &queries {
            let plan = Query::parse(q).plan();
            let Some(expr) = &plan.plain else {
                panic!("{q} is a search of prefixes");
            };
            let ours = prefix_rows(&mut conn, &index, &plan.prefix_clauses)
                .await
                .unwrap()
                .unwrap()
                .rowids();
            let fts5: Vec<i64> = sqlx::query_scalar(
                "SELECT rowid FROM segments_plain WHERE segments_plain MATCH ?1 ORDER BY rowid",
            )
            .bind(expr)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert_eq!(ours, fts5, "{q}");
            found += usize::from(!ours.is_empty());
        }
        assert!(found > 250, "only {found} of {} found rows", queries.len());
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::search::query::Query;

    /// The FTS5 scans of a query plan that are handed a rowid constraint (`=` in FTS5's
    /// index string): each runs its whole match again per rowid.
    async fn rowid_driven_scans(pool: &SqlitePool, text: &str, sql: &Sql) -> Vec<String> {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as_with(&format!("EXPLAIN QUERY PLAN {text}"), sql.arguments())
                .fetch_all(pool)
                .await
                .unwrap();
        rows.into_iter()
            .map(|r| r.3)
            .filter(|d| {
                d.split_once("VIRTUAL TABLE INDEX ")
                    .is_some_and(|(_, index)| index.contains('='))
            })
            .collect()
    }

    /// No statement of a search hands the rows of one match to another FTS5 table as a
    /// list of rowids to look up.
    #[tokio::test]
    async fn no_match_is_run_again_per_rowid() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::connect(dir.path().join("plans.db"))
            .await
            .unwrap();
        let queries = [
            "treaty negot*",
            "\"foreign minister\" secur*",
            "treaty OR negot*",
            "treaty -negot*",
            "negot* -treaty",
            "negot* -secur*",
            "treaty (negot* OR sanctions) secur*",
        ];
        let filters = Filters::default();
        let mut checked = 0;
        for q in queries {
            let plan = Query::parse(q).plan();
            for scoring in [Scoring::Unranked, Scoring::Rank, Scoring::Frequencies] {
                for tables in [&BODIES, &TITLES] {
                    let mut sql = Sql::default();
                    let m = matching(&mut sql, &plan, tables, scoring).unwrap();
                    let text = format!("SELECT count(*) FROM ({m})");
                    assert_eq!(
                        rowid_driven_scans(&pool, &text, &sql).await,
                        Vec::<String>::new(),
                        "{q}"
                    );
                    checked += 1;
                }
            }
            for sort in [Sort::Relevance, Sort::Newest] {
                for group in [false, true] {
                    let req = Request {
                        plan: &plan,
                        filters: &filters,
                        sort,
                        group,
                        limit: 20,
                        offset: 0,
                        cache: None,
                    };
                    for statement in [counts_statement(&req), page_statement(&req)] {
                        let statement = statement.unwrap();
                        let scans =
                            rowid_driven_scans(&pool, &statement.text, &statement.sql).await;
                        assert_eq!(scans, Vec::<String>::new(), "{q}, {sort:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, queries.len() * (6 + 8));
    }
}

#[cfg(test)]
mod scored_tests {
    use super::*;

    /// A union's prefix rows join the listed matches in rowid order, once each, with
    /// frequencies of 0, and score 0.0; out-of-order lists are refused.
    #[test]
    fn added_rows_merge_in_order_and_score_zero() {
        let mut scored = Scored {
            rowids: vec![2, 5, 9],
            frequencies: vec![1, 0, 2, 1, 0, 3],
            phrases: 2,
        };
        assert!(scored.add(&[1, 5, 7, 12]));
        assert_eq!(scored.rowids, [1, 2, 5, 7, 9, 12]);
        assert_eq!(scored.frequencies, [0, 0, 1, 0, 2, 1, 0, 0, 0, 3, 0, 0]);
        let bm25 = Bm25::from_stats("100 1000 10 20", 1).unwrap();
        assert_eq!(scored.score(0, Some(&bm25), 10), Some(0.0));
        assert_eq!(scored.score(0, None, 10), Some(0.0));
        assert!(scored.score(1, Some(&bm25), 10).unwrap() < 0.0);
        assert_eq!(scored.score(1, None, 10), None);
        assert!(!scored.add(&[3, 2]));
        let mut none = Scored::default();
        assert!(none.add(&[4, 8]));
        assert_eq!(none.rowids, [4, 8]);
    }
}

#[cfg(test)]
mod snippet_tests {
    use super::*;
    use crate::search::query::Query;
    use sqlx::sqlite::SqlitePoolOptions;

    /// Snippets are marked by the stemmed tokenizer (stems, phrases, case and
    /// diacritics, prefixes), only in the texts given, and the snippet tables are left
    /// empty for the next search on the connection.
    #[tokio::test]
    async fn highlights_mark_stems_phrases_and_prefixes_and_leave_nothing_behind() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| Box::pin(prepare_connection(conn)))
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let texts = [
            (7, "New sanctions on the Élysée; a sanction, negotiations."),
            (9, "Nothing here but talks."),
        ];
        let plan = Query::parse("sanction \"the elysee\" negotiat*").plan();
        let marks = highlights(&pool, &plan, &texts).await.unwrap();
        let marked = |id: i64| {
            let text = texts.iter().find(|t| t.0 == id).unwrap().1;
            let chars: Vec<char> = text.chars().collect();
            marks
                .get(&id)
                .map(|r| {
                    r.iter()
                        .map(|&(a, b)| chars[a..b].iter().collect::<String>())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            marked(7),
            ["sanctions", "the Élysée", "sanction", "negotiations"]
        );
        assert!(marked(9).is_empty());
        let left: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM temp.snippet_text)
                  + (SELECT count(*) FROM temp.snippet_fts WHERE snippet_fts MATCH 'sanction')",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(left, 0);
        // The same connection highlights the next page on its own.
        let again = highlights(&pool, &plan, &texts[1..]).await.unwrap();
        assert!(again.is_empty());
    }
}
