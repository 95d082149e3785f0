//! bm25 computed in Rust from what FTS5 knows of each match, so a search can rank its
//! matches without FTS5 reading every match's size row.
//!
//! FTS5's `bm25()` needs, for each matching row, the frequency of each query phrase (read
//! from the position lists it already holds) and the row's length in tokens (one b-tree
//! look-up in the `_docsize` table per row: a third of the cost of ranking a word found in
//! 25,000 turns). The turn index keeps every row's length in memory, so two FTS5
//! auxiliary functions hand over the rest:
//!
//! - `communique_tf(t)`: the phrase frequencies of the current row, an integer for a
//!   single phrase, else the frequencies joined by `/`;
//! - `communique_stats(t, whole)`: `rows tokens hits1 hits2 ...`, the table's row and
//!   token counts and each phrase's number of matching rows (FTS5's own inputs to the
//!   IDF). FTS5 counts a phrase's rows by running it again over the whole table; when
//!   `whole` is 1 and the query is a single phrase, its rows are the query's own
//!   matches, which the caller lists anyway, so the hits are left out (`rows tokens`).
//!
//! [`Bm25`] then computes exactly FTS5's formula (same operations in the same order on
//! the same `f64` values), so the order equals `ORDER BY rank`, ties included.

// FTS5 auxiliary functions exist only in SQLite's C API; this module is the one place
// that calls it. Every pointer it dereferences is handed over by SQLite for the duration
// of the call.
#![allow(unsafe_code)]

use std::ffi::{c_int, c_void, CStr};
use std::fmt::Write as _;
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// Name of the phrase-frequency function.
pub const TF: &str = "communique_tf";
/// Name of the table-statistics function.
pub const STATS: &str = "communique_stats";

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

/// Registers `communique_tf` and `communique_stats` on a connection.
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
    for (name, function) in [
        (
            c"communique_tf",
            term_frequencies as unsafe extern "C" fn(_, _, _, _, _),
        ),
        (c"communique_stats", table_stats),
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

/// `communique_tf(t)`: the current row's frequency of each phrase.
unsafe extern "C" fn term_frequencies(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _n: c_int,
    _values: *mut *mut ffi::sqlite3_value,
) {
    let api = &*api;
    let (Some(phrase_count), Some(first), Some(next)) =
        (api.xPhraseCount, api.xPhraseFirst, api.xPhraseNext)
    else {
        ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_ERROR);
        return;
    };
    let phrases = phrase_count(fts);
    let mut text = String::new();
    for p in 0..phrases {
        let mut iter = ffi::Fts5PhraseIter {
            a: ptr::null(),
            b: ptr::null(),
        };
        let (mut column, mut offset) = (0, 0);
        let rc = first(fts, p, &mut iter, &mut column, &mut offset);
        if rc != ffi::SQLITE_OK {
            ffi::sqlite3_result_error_code(ctx, rc);
            return;
        }
        let mut n: i64 = 0;
        while column >= 0 {
            n += 1;
            next(fts, &mut iter, &mut column, &mut offset);
        }
        if phrases == 1 {
            ffi::sqlite3_result_int64(ctx, n);
            return;
        }
        if p > 0 {
            text.push('/');
        }
        let _ = write!(text, "{n}");
    }
    result_text(ctx, &text);
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

    /// The Rust scores equal FTS5's `rank` bit for bit, single and several phrases.
    #[tokio::test]
    async fn scores_equal_fts5_bm25() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        register(&mut conn).await.unwrap();
        sqlx::query("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61')")
            .execute(&mut conn)
            .await
            .unwrap();
        let texts = [
            "sanctions and more sanctions on the pipeline",
            "the pipeline talks",
            "no sanctions",
            "a long text about talks, talks and talks that never mention the thing",
            "pipeline pipeline pipeline sanctions talks",
        ];
        for text in texts {
            sqlx::query("INSERT INTO t (body) VALUES (?1)")
                .bind(text)
                .execute(&mut conn)
                .await
                .unwrap();
        }
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
