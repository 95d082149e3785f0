//! bm25 computed in Rust from what FTS5 knows of each match, so a search can rank its
//! matches without FTS5 reading every match's size row.
//!
//! FTS5's `bm25()` needs, for each matching row, the frequency of each query phrase (read
//! from the position lists it already holds) and the row's length in tokens (one b-tree
//! look-up in the `_docsize` table per row: a third of the cost of ranking a word found in
//! 25,000 turns). The turn index keeps every row's length in memory, so FTS5 auxiliary
//! functions hand over the rest:
//!
//! - `communique_tf(t)`: the phrase frequencies of the current row, an integer for a
//!   single phrase, else the frequencies joined by `/`;
//! - `communique_stats(t, whole)`: `rows tokens hits1 hits2 ...`, the table's row and
//!   token counts and each phrase's number of matching rows (FTS5's own inputs to the
//!   IDF). FTS5 counts a phrase's rows by running it again over the whole table; when
//!   `whole` is 1 and the query is a single phrase, its rows are the query's own
//!   matches, which the caller lists anyway, so the hits are left out (`rows tokens`);
//! - `communique_collect(t, token, frequencies)`: hands the current row's rowid (and with
//!   `frequencies` 1, its phrase frequencies) to the [`Collector`] registered under
//!   `token`, and returns 1. A search's pass over tens of thousands of matches then
//!   costs no text: no `group_concat` string built by SQLite and parsed again in Rust
//!   (`communique_tf` serves searches whose matches need conditions on other tables).
//! - `communique_keep(token, rowid)`: an ordinary function that hands `rowid` to the
//!   [`Collector`] of `token`, and returns 1. For rows that need nothing of FTS5 but
//!   their rowid it costs less than an auxiliary function, which SQLite can only call
//!   from the query over its own table (a subquery the outer query steps through).
//!
//! [`Bm25`] then computes exactly FTS5's formula (same operations in the same order on
//! the same `f64` values), so the order equals `ORDER BY rank`, ties included.

// FTS5 auxiliary functions exist only in SQLite's C API; this module is the one place
// that calls it. Every pointer it dereferences is handed over by SQLite for the duration
// of the call.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::ffi::{c_int, c_void, CStr};
use std::fmt::Write as _;
use std::ptr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// Name of the phrase-frequency function.
pub const TF: &str = "communique_tf";
/// Name of the table-statistics function.
pub const STATS: &str = "communique_stats";
/// Name of the collecting function.
pub const COLLECT: &str = "communique_collect";
/// Name of the plain collecting function.
pub const KEEP: &str = "communique_keep";

/// What `communique_collect` gathered in one query.
#[derive(Debug, Default)]
pub struct Collected {
    /// The matching rows, in the order FTS5 gave them.
    pub rowids: Vec<i64>,
    /// With frequencies: `phrases` of them per row, flat.
    pub frequencies: Vec<u32>,
    /// Phrases of the query (0 without frequencies).
    pub phrases: usize,
}

type Shared = Arc<Mutex<Collected>>;

static NEXT_TOKEN: AtomicI64 = AtomicI64::new(1);
/// The collectors alive, by token: how a function called inside SQLite finds its buffer.
static COLLECTORS: Mutex<BTreeMap<i64, Shared>> = Mutex::new(BTreeMap::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic cannot leave a collection half written in a way that matters here.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A buffer `communique_collect` fills during one query, registered under a token the
/// query passes to it; unregistered when dropped.
#[derive(Debug)]
pub struct Collector {
    token: i64,
    collected: Shared,
}

impl Collector {
    /// A new, empty collector.
    pub fn new() -> Collector {
        let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        let collected = Shared::default();
        lock(&COLLECTORS).insert(token, Arc::clone(&collected));
        Collector { token, collected }
    }

    /// The token to pass to `communique_collect`.
    pub fn token(&self) -> i64 {
        self.token
    }

    /// What was collected so far, leaving the collector empty.
    pub fn take(&self) -> Collected {
        std::mem::take(&mut *lock(&self.collected))
    }
}

impl Default for Collector {
    fn default() -> Collector {
        Collector::new()
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        lock(&COLLECTORS).remove(&self.token);
    }
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// FTS5's bm25 for one query on one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Bm25 {
    idf: Vec<f64>,
    avgdl: f64,
}

impl Bm25 {
    /// From the text of `communique_stats`; `matches` is the number of rows the query
    /// matched, the single phrase's hits when the text leaves them out. `None` when it is
    /// not such a text.
    pub fn from_stats(stats: &str, matches: i64) -> Option<Bm25> {
        let mut numbers = stats.split(' ').map(|n| n.parse::<i64>().ok());
        let rows = numbers.next()??;
        let tokens = numbers.next()??;
        let mut hits: Vec<i64> = numbers.collect::<Option<_>>()?;
        if hits.is_empty() {
            hits.push(matches);
        }
        let mut idf = Vec::new();
        for hits in hits {
            // As fts5Bm25GetData: integer difference first, then doubles.
            let value = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
            idf.push(if value <= 0.0 { 1e-6 } else { value });
        }
        Some(Bm25 {
            idf,
            avgdl: tokens as f64 / rows as f64,
        })
    }

    /// The score of a row `length` tokens long with the phrase frequencies `tf` (as
    /// `communique_tf` gives them): negative, lower is better, as FTS5's `rank`. `None`
    /// when there is not one frequency per phrase.
    pub fn score(&self, tf: &[u32], length: u32) -> Option<f64> {
        if tf.len() != self.idf.len() {
            return None;
        }
        let d = f64::from(length);
        let mut score = 0.0;
        for (&idf, &f) in self.idf.iter().zip(tf) {
            let f = f64::from(f);
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / self.avgdl)));
        }
        // FTS5 multiplies by -1.0: the same bits as negating.
        Some(-score)
    }

    /// The frequencies in the text `communique_tf` gives for a row.
    pub fn frequencies(tf: &str) -> Option<Vec<u32>> {
        tf.split('/').map(|f| f.parse().ok()).collect()
    }
}

/// Registers `communique_tf`, `communique_stats`, `communique_collect` and
/// `communique_keep` on a connection.
pub async fn register(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the open connection, locked for this task until `handle` drops.
    let rc = unsafe { register_on(db) };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "registering the ranking functions failed (SQLite code {rc})"
        )))
    }
}

/// # Safety
/// `db` must be an open connection not used elsewhere during the call.
unsafe fn register_on(db: *mut ffi::sqlite3) -> c_int {
    let api = fts5_api(db);
    if api.is_null() {
        return ffi::SQLITE_ERROR;
    }
    let Some(create) = (*api).xCreateFunction else {
        return ffi::SQLITE_ERROR;
    };
    let rc = ffi::sqlite3_create_function_v2(
        db,
        c"communique_keep".as_ptr(),
        2,
        ffi::SQLITE_UTF8 | ffi::SQLITE_DIRECTONLY,
        ptr::null_mut(),
        Some(keep),
        None,
        None,
        None,
    );
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    for (name, function) in [
        (
            c"communique_tf",
            term_frequencies as unsafe extern "C" fn(_, _, _, _, _),
        ),
        (c"communique_stats", table_stats),
        (c"communique_collect", collect),
    ] {
        let rc = create(api, name.as_ptr(), ptr::null_mut(), Some(function), None);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    ffi::SQLITE_OK
}

/// The connection's `fts5_api`, as SQLite's documentation says to obtain it; null when
/// FTS5 is missing.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> *mut ffi::fts5_api {
    let mut stmt = ptr::null_mut();
    let sql: &CStr = c"SELECT fts5(?1)";
    if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, ptr::null_mut()) != ffi::SQLITE_OK {
        return ptr::null_mut();
    }
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    ffi::sqlite3_bind_pointer(
        stmt,
        1,
        (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
        c"fts5_api_ptr".as_ptr(),
        None,
    );
    ffi::sqlite3_step(stmt);
    ffi::sqlite3_finalize(stmt);
    api
}

/// The current row's frequency of each phrase, given to `each` in phrase order; the
/// number of phrases, or SQLite's error code.
unsafe fn phrase_frequencies(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    mut each: impl FnMut(u32),
) -> Result<usize, c_int> {
    let (Some(phrase_count), Some(first), Some(next)) =
        (api.xPhraseCount, api.xPhraseFirst, api.xPhraseNext)
    else {
        return Err(ffi::SQLITE_ERROR);
    };
    let phrases = phrase_count(fts);
    for p in 0..phrases {
        let mut iter = ffi::Fts5PhraseIter {
            a: ptr::null(),
            b: ptr::null(),
        };
        let (mut column, mut offset) = (0, 0);
        let rc = first(fts, p, &mut iter, &mut column, &mut offset);
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        let mut n: u32 = 0;
        while column >= 0 {
            n = n.saturating_add(1);
            next(fts, &mut iter, &mut column, &mut offset);
        }
        each(n);
    }
    Ok(usize::try_from(phrases).unwrap_or(0))
}

/// `communique_tf(t)`: the current row's frequency of each phrase.
unsafe extern "C" fn term_frequencies(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _n: c_int,
    _values: *mut *mut ffi::sqlite3_value,
) {
    let mut frequencies = Vec::new();
    match phrase_frequencies(&*api, fts, |n| frequencies.push(n)) {
        Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
        Ok(1) => ffi::sqlite3_result_int64(ctx, i64::from(frequencies[0])),
        Ok(_) => {
            let mut text = String::new();
            for (i, n) in frequencies.iter().enumerate() {
                if i > 0 {
                    text.push('/');
                }
                let _ = write!(text, "{n}");
            }
            result_text(ctx, &text);
        }
    }
}

/// `communique_collect(t, token, frequencies)`: the current row into the collector.
unsafe extern "C" fn collect(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    let api = &*api;
    let (Some(get), Some(set), Some(rowid)) = (api.xGetAuxdata, api.xSetAuxdata, api.xRowid) else {
        ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_ERROR);
        return;
    };
    if n < 2 {
        ffi::sqlite3_result_error(ctx, c"communique_collect: no token".as_ptr(), -1);
        return;
    }
    // The collector is looked up once per query and kept as the query's auxiliary data.
    let mut shared = get(fts, 0).cast::<Shared>();
    if shared.is_null() {
        let token = ffi::sqlite3_value_int64(*values);
        let Some(found) = lock(&COLLECTORS).get(&token).cloned() else {
            ffi::sqlite3_result_error(ctx, c"communique_collect: unknown token".as_ptr(), -1);
            return;
        };
        let boxed = Box::into_raw(Box::new(found));
        // On failure SQLite has already called the destructor on `boxed`.
        let rc = set(fts, boxed.cast(), Some(drop_shared));
        if rc != ffi::SQLITE_OK {
            ffi::sqlite3_result_error_code(ctx, rc);
            return;
        }
        shared = boxed;
    }
    let with_frequencies = ffi::sqlite3_value_int(*values.add(1)) != 0;
    let mut collected = lock(&*shared);
    collected.rowids.push(rowid(fts));
    if with_frequencies {
        let Collected {
            frequencies,
            phrases,
            ..
        } = &mut *collected;
        match phrase_frequencies(api, fts, |f| frequencies.push(f)) {
            Ok(n) => *phrases = n,
            Err(rc) => {
                ffi::sqlite3_result_error_code(ctx, rc);
                return;
            }
        }
    }
    ffi::sqlite3_result_int(ctx, 1);
}

/// `communique_keep(token, rowid)`: `rowid` into the collector.
unsafe extern "C" fn keep(
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    if n != 2 {
        ffi::sqlite3_result_error(ctx, c"communique_keep: two arguments".as_ptr(), -1);
        return;
    }
    // The collector is kept as the token argument's auxiliary data, so it is looked up
    // once per query (SQLite keeps such data while the argument stays the same).
    let kept = ffi::sqlite3_get_auxdata(ctx, 0).cast::<Shared>();
    let found = if kept.is_null() {
        let token = ffi::sqlite3_value_int64(*values);
        let Some(found) = lock(&COLLECTORS).get(&token).cloned() else {
            ffi::sqlite3_result_error(ctx, c"communique_keep: unknown token".as_ptr(), -1);
            return;
        };
        Some(found)
    } else {
        None
    };
    let shared = found.as_ref().unwrap_or_else(|| &*kept);
    lock(shared)
        .rowids
        .push(ffi::sqlite3_value_int64(*values.add(1)));
    ffi::sqlite3_result_int(ctx, 1);
    if let Some(found) = found {
        // Last: SQLite may drop the data at once, before this call returns.
        ffi::sqlite3_set_auxdata(
            ctx,
            0,
            Box::into_raw(Box::new(found)).cast(),
            Some(drop_shared),
        );
    }
}

/// Destructor of the collectors' auxiliary data.
unsafe extern "C" fn drop_shared(shared: *mut c_void) {
    drop(Box::from_raw(shared.cast::<Shared>()));
}

/// `communique_stats(t)`: rows, tokens, and each phrase's matching rows.
unsafe extern "C" fn table_stats(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    let whole = n >= 1 && ffi::sqlite3_value_int(*values) == 1;
    let api = &*api;
    let (Some(row_count), Some(total_size), Some(phrase_count), Some(query_phrase)) = (
        api.xRowCount,
        api.xColumnTotalSize,
        api.xPhraseCount,
        api.xQueryPhrase,
    ) else {
        ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_ERROR);
        return;
    };
    let (mut rows, mut tokens) = (0i64, 0i64);
    let mut rc = row_count(fts, &mut rows);
    if rc == ffi::SQLITE_OK {
        rc = total_size(fts, -1, &mut tokens);
    }
    let mut text = format!("{rows} {tokens}");
    let phrases = phrase_count(fts);
    for p in 0..if whole && phrases == 1 { 0 } else { phrases } {
        if rc != ffi::SQLITE_OK {
            break;
        }
        let mut hits: i64 = 0;
        rc = query_phrase(
            fts,
            p,
            (&mut hits as *mut i64).cast::<c_void>(),
            Some(count_row),
        );
        let _ = write!(text, " {hits}");
    }
    if rc != ffi::SQLITE_OK {
        ffi::sqlite3_result_error_code(ctx, rc);
        return;
    }
    result_text(ctx, &text);
}

/// Callback of `xQueryPhrase`: one more matching row.
unsafe extern "C" fn count_row(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    hits: *mut c_void,
) -> c_int {
    *hits.cast::<i64>() += 1;
    ffi::SQLITE_OK
}

unsafe fn result_text(ctx: *mut ffi::sqlite3_context, text: &str) {
    // A result text is at most a few numbers per phrase, far below `c_int::MAX`.
    ffi::sqlite3_result_text(
        ctx,
        text.as_ptr().cast(),
        text.len() as c_int,
        ffi::SQLITE_TRANSIENT(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// A connection with the functions registered and an FTS5 table `t` of `texts`
    /// (rowids from 1), created with `options` after its column.
    async fn table(options: &str, texts: &[&str]) -> SqliteConnection {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        register(&mut conn).await.unwrap();
        sqlx::query(&format!("CREATE VIRTUAL TABLE t USING fts5(body{options})"))
            .execute(&mut conn)
            .await
            .unwrap();
        for text in texts {
            sqlx::query("INSERT INTO t (body) VALUES (?1)")
                .bind(text)
                .execute(&mut conn)
                .await
                .unwrap();
        }
        conn
    }

    /// The Rust scores equal FTS5's `rank` bit for bit, single and several phrases.
    #[tokio::test]
    async fn scores_equal_fts5_bm25() {
        let texts = [
            "sanctions and more sanctions on the pipeline",
            "the pipeline talks",
            "no sanctions",
            "a long text about talks, talks and talks that never mention the thing",
            "pipeline pipeline pipeline sanctions talks",
        ];
        let mut conn = table(", tokenize = 'porter unicode61'", &texts).await;
        for query in [
            "sanction",
            "pipeline talks",
            "pipeline OR sanctions",
            "\"the pipeline\"",
            "talks NOT sanctions",
        ] {
            let (stats, whole, matches): (String, String, i64) = sqlx::query_as(
                "SELECT communique_stats(t, 0), communique_stats(t, 1),
                        (SELECT count(*) FROM t WHERE t MATCH ?1)
                   FROM t WHERE t MATCH ?1 LIMIT 1",
            )
            .bind(query)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            let bm25 = Bm25::from_stats(&stats, -1).unwrap();
            // Leaving a single phrase's hits to the caller changes nothing.
            assert_eq!(
                Bm25::from_stats(&whole, matches),
                Some(bm25.clone()),
                "{query}"
            );
            let one_phrase = !query.contains(' ') || query.starts_with('"');
            assert_eq!(stats != whole, one_phrase, "{query}: {stats} / {whole}");
            let rows: Vec<(i64, f64, String, Vec<u8>)> = sqlx::query_as(
                "SELECT t.rowid, rank, CAST(communique_tf(t) AS TEXT), d.sz
                   FROM t JOIN t_docsize d ON d.id = t.rowid WHERE t MATCH ?1",
            )
            .bind(query)
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(!rows.is_empty(), "{query}");
            for (rowid, rank, tf, size) in rows {
                // One column: the size is one varint, below 128 here.
                let length = u32::from(size[0]);
                let tf = Bm25::frequencies(&tf).unwrap();
                assert_eq!(
                    bm25.score(&tf, length).map(f64::to_bits),
                    Some(rank.to_bits()),
                    "{query}: row {rowid}, tf {tf:?}"
                );
            }
        }
    }

    /// The collector receives every match once, with the frequencies `communique_tf`
    /// gives, and an unknown token is an error, not a crash.
    #[tokio::test]
    async fn collectors_receive_the_matches() {
        let mut conn = table("", &["a b a", "b", "c", "a a a b b", "b a"]).await;
        let collector = Collector::new();
        let n: i64 = sqlx::query_scalar(
            "SELECT count(x) FROM (SELECT communique_collect(t, ?1, 1) AS x
                                    FROM t WHERE t MATCH 'a OR b' LIMIT -1)",
        )
        .bind(collector.token())
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let collected = collector.take();
        assert_eq!(n, 4);
        assert_eq!(collected.rowids, [1, 2, 4, 5]);
        assert_eq!(collected.phrases, 2);
        assert_eq!(collected.frequencies, [2, 1, 0, 1, 3, 2, 1, 1]);
        let token = collector.token();
        drop(collector);
        let gone = sqlx::query_scalar::<_, i64>(
            "SELECT count(x) FROM (SELECT communique_collect(t, ?1, 0) AS x
                                    FROM t WHERE t MATCH 'a' LIMIT -1)",
        )
        .bind(token)
        .fetch_one(&mut conn)
        .await;
        assert!(gone.unwrap_err().to_string().contains("unknown token"));
    }

    /// `communique_keep` hands over every row it is called for, duplicates included,
    /// once per row across a join; an unknown token is an error.
    #[tokio::test]
    async fn kept_rowids_reach_the_collector() {
        let mut conn = table(", detail = none", &["ab ac", "ab", "c", "ac ad", "ad"]).await;
        let collector = Collector::new();
        let n: i64 = sqlx::query_scalar(
            "SELECT count(communique_keep(?1, t.rowid))
               FROM json_each('[\"ab\", \"ac\", \"ad\"]') AS w CROSS JOIN t
              WHERE t MATCH w.value",
        )
        .bind(collector.token())
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let collected = collector.take();
        assert_eq!(n, 6);
        assert_eq!(collected.rowids, [1, 2, 1, 4, 4, 5]);
        let token = collector.token();
        drop(collector);
        let gone = sqlx::query_scalar::<_, i64>("SELECT count(communique_keep(?1, 1))")
            .bind(token)
            .fetch_one(&mut conn)
            .await;
        assert!(gone.unwrap_err().to_string().contains("unknown token"));
    }

    #[test]
    fn malformed_stats_and_frequencies_are_refused() {
        assert_eq!(Bm25::from_stats("", 1), None);
        assert_eq!(Bm25::from_stats("10 x 1", 1), None);
        let bm25 = Bm25::from_stats("10 100 2 3", 1).unwrap();
        assert_eq!(bm25.score(&[1], 10), None, "one frequency for two phrases");
        assert_eq!(Bm25::frequencies("1/x"), None);
        assert!(bm25.score(&[1, 0], 10).unwrap() < 0.0);
    }
}
