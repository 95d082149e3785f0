//! Search results checked against a reference computed the slow, obvious way: every
//! term matched on its own in FTS5, every turn and statement read into memory, filters,
//! title-only statements, scores, totals, facets, order and pages worked out in Rust.
//! Over a generated archive of a few hundred statements, for many queries, filters,
//! sorts and both groupings, the search must agree exactly. Also: the counts cache
//! answers a second page and another sort, and an import invalidates it.

use std::collections::{BTreeMap, HashMap, HashSet};

use communique::corpus::{Generator, COMMON_WORDS, MEDIUM_WORDS};
use communique::db::search::{self, Filters, Request, Results, SearchCache, Sort};
use communique::registry::Registry;
use communique::search::{Query, Term};
use std::path::PathBuf;

use sqlx::SqlitePool;

/// Documents in the generated archive.
const DOCS: u64 = 240;
const TITLE_WEIGHT: f64 = 2.0;

async fn archive(dir: &std::path::Path, docs: std::ops::Range<u64>) -> SqlitePool {
    let corpus = dir.join(format!("corpus-{}", docs.start));
    std::fs::create_dir_all(&corpus).unwrap();
    let generator = Generator::new(7);
    for i in docs {
        let doc = generator.document(i);
        std::fs::write(corpus.join(&doc.meta.file), &doc.bytes).unwrap();
    }
    let pool = communique::db::connect(dir.join("archive.db"))
        .await
        .unwrap();
    let summary = communique::import::import_paths(
        &pool,
        &[corpus],
        &Registry::builtin(),
        &communique::import::ImportOptions::quiet(),
    )
    .await
    .unwrap();
    assert!(summary.imported > 0);
    pool
}

struct Turn {
    rowid: i64,
    pk: i64,
    n: i64,
    kind: String,
    speaker: Option<String>,
    anchor: String,
}

struct Statement {
    id: String,
    year: Option<i64>,
    date: Option<String>,
    kind: String,
    language: String,
    forums: Vec<String>,
}

/// The archive in memory.
struct Archive {
    turns: Vec<Turn>,
    statements: HashMap<i64, Statement>,
}

async fn load(pool: &SqlitePool) -> Archive {
    let turns = sqlx::query_as::<_, (i64, i64, i64, String, Option<String>, String)>(
        "SELECT rowid, statement_pk, n, kind, speaker, anchor FROM segments ORDER BY rowid",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(rowid, pk, n, kind, speaker, anchor)| Turn {
        rowid,
        pk,
        n,
        kind,
        speaker,
        anchor,
    })
    .collect();
    let mut statements: HashMap<i64, Statement> =
        sqlx::query_as::<_, (i64, String, Option<i64>, Option<String>, String, String)>(
            "SELECT pk, id, year, date, kind, language FROM statements",
        )
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(pk, id, year, date, kind, language)| {
            (
                pk,
                Statement {
                    id,
                    year,
                    date,
                    kind,
                    language,
                    forums: Vec::new(),
                },
            )
        })
        .collect();
    let links: Vec<(i64, String)> =
        sqlx::query_as("SELECT statement_pk, forum FROM statement_forums ORDER BY position")
            .fetch_all(pool)
            .await
            .unwrap();
    for (pk, forum) in links {
        statements.get_mut(&pk).unwrap().forums.push(forum);
    }
    Archive { turns, statements }
}

/// Rowids of `table` (`segments` or `titles`) matching one term.
async fn term_rows(pool: &SqlitePool, table: &str, term: &Term) -> HashSet<i64> {
    let suffix = if term.is_prefix() { "plain" } else { "fts" };
    let sql = format!("SELECT rowid FROM {table}_{suffix} WHERE {table}_{suffix} MATCH ?1");
    sqlx::query_scalar(&sql)
        .bind(term.to_fts())
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Rows of `table` matching the whole query: every clause (any of its terms), no
/// excluded term.
async fn matching(pool: &SqlitePool, table: &str, query: &Query) -> HashSet<i64> {
    let mut rows: Option<HashSet<i64>> = None;
    for clause in &query.clauses {
        let mut any = HashSet::new();
        for term in clause {
            any.extend(term_rows(pool, table, term).await);
        }
        rows = Some(match rows {
            None => any,
            Some(r) => r.intersection(&any).copied().collect(),
        });
    }
    let mut rows = rows.unwrap_or_default();
    for term in &query.excluded {
        for r in term_rows(pool, table, term).await {
            rows.remove(&r);
        }
    }
    rows
}

/// bm25 scores of the stemmed part of the query, as the search computes them; queries
/// with prefix clauses are not scored here (they are compared by their counts only).
async fn scores(pool: &SqlitePool, table: &str, query: &Query) -> HashMap<i64, f64> {
    let plan = query.plan();
    if plan.stemmed.is_none() && plan.mixed.is_empty() && table == "titles" {
        // Prefixes only: no positions to rank by, but a title match still counts.
        return matching(pool, table, query)
            .await
            .into_iter()
            .map(|pk| (pk, -1.0))
            .collect();
    }
    if plan.plain.is_some() || !plan.mixed.is_empty() {
        return HashMap::new();
    }
    let Some(expr) = plan.stemmed else {
        return HashMap::new();
    };
    let expr = match plan.excluded_stemmed {
        Some(not) => format!("({expr}) NOT ({not})"),
        None => expr,
    };
    let sql = format!("SELECT rowid, rank FROM {table}_fts WHERE {table}_fts MATCH ?1");
    sqlx::query_as(&sql)
        .bind(expr)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// One expected hit: rowid, score, date, title only, turns of its statement (grouped).
#[derive(Debug, Clone)]
struct Expected {
    rowid: i64,
    pk: i64,
    score: f64,
    title_only: bool,
    hits: Option<i64>,
}

struct Reference {
    hits: Vec<Expected>,
    total: i64,
    forum: BTreeMap<String, i64>,
    speaker: BTreeMap<String, i64>,
    year: Vec<(i64, i64)>,
}

fn passes_turn(t: &Turn, f: &Filters) -> bool {
    t.kind != "heading"
        && f.speaker
            .as_ref()
            .is_none_or(|s| t.speaker.as_ref() == Some(s))
        && f.turn.as_ref().is_none_or(|k| &t.kind == k)
}

fn passes_statement(s: &Statement, f: &Filters) -> bool {
    f.forum.as_ref().is_none_or(|x| s.forums.contains(x))
        && f.year.is_none_or(|y| s.year == Some(y))
        && f.from
            .as_ref()
            .is_none_or(|d| s.date.as_ref().is_some_and(|x| x >= d))
        && f.to
            .as_ref()
            .is_none_or(|d| s.date.as_ref().is_some_and(|x| x <= d))
        && f.kind.as_ref().is_none_or(|k| &s.kind == k)
        && f.lang.as_ref().is_none_or(|l| &s.language == l)
}

#[allow(clippy::too_many_arguments)]
fn reference(
    a: &Archive,
    body: &HashSet<i64>,
    body_scores: &HashMap<i64, f64>,
    titles: &HashSet<i64>,
    title_scores: &HashMap<i64, f64>,
    f: &Filters,
    sort: Sort,
    group: bool,
) -> Reference {
    let ranked = sort == Sort::Relevance;
    let score_of = |m: &HashMap<i64, f64>, k: i64| {
        if ranked {
            m.get(&k).copied().unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let mut hits: Vec<Expected> = Vec::new();
    let mut body_pks = HashSet::new();
    for t in a.turns.iter().filter(|t| body.contains(&t.rowid)) {
        body_pks.insert(t.pk);
        let s = &a.statements[&t.pk];
        if passes_turn(t, f) && passes_statement(s, f) {
            let title = if titles.contains(&t.pk) {
                score_of(title_scores, t.pk)
            } else {
                0.0
            };
            hits.push(Expected {
                rowid: t.rowid,
                pk: t.pk,
                score: score_of(body_scores, t.rowid) + TITLE_WEIGHT * title,
                title_only: false,
                hits: None,
            });
        }
    }
    for &pk in titles {
        if body_pks.contains(&pk) || !passes_statement(&a.statements[&pk], f) {
            continue;
        }
        let first = a
            .turns
            .iter()
            .filter(|t| t.pk == pk && passes_turn(t, f))
            .min_by_key(|t| t.n);
        if let Some(t) = first {
            hits.push(Expected {
                rowid: t.rowid,
                pk,
                score: TITLE_WEIGHT * score_of(title_scores, pk),
                title_only: true,
                hits: None,
            });
        }
    }
    let turn_of: HashMap<i64, &Turn> = a.turns.iter().map(|t| (t.rowid, t)).collect();
    // Counts: turns, or statements when grouped.
    let mut forum = BTreeMap::new();
    let mut speaker: BTreeMap<String, HashSet<i64>> = BTreeMap::new();
    let mut speaker_turns = BTreeMap::new();
    let mut year: BTreeMap<i64, HashSet<i64>> = BTreeMap::new();
    let mut year_turns: BTreeMap<i64, i64> = BTreeMap::new();
    let mut statements = HashSet::new();
    let mut forum_statements: BTreeMap<String, HashSet<i64>> = BTreeMap::new();
    for h in &hits {
        let s = &a.statements[&h.pk];
        statements.insert(h.pk);
        for fo in &s.forums {
            *forum.entry(fo.clone()).or_insert(0) += 1;
            forum_statements.entry(fo.clone()).or_default().insert(h.pk);
        }
        if let Some(sp) = &turn_of[&h.rowid].speaker {
            *speaker_turns.entry(sp.clone()).or_insert(0) += 1;
            speaker.entry(sp.clone()).or_default().insert(h.pk);
        }
        if let Some(y) = s.year {
            *year_turns.entry(y).or_insert(0) += 1;
            year.entry(y).or_default().insert(h.pk);
        }
    }
    let date = |h: &Expected| a.statements[&h.pk].date.clone();
    let order = |x: &Expected, y: &Expected| match sort {
        Sort::Relevance => x.score.total_cmp(&y.score).then(x.rowid.cmp(&y.rowid)),
        Sort::Newest => (date(x).is_none(), std::cmp::Reverse(date(x)), x.rowid).cmp(&(
            date(y).is_none(),
            std::cmp::Reverse(date(y)),
            y.rowid,
        )),
        Sort::Oldest => {
            (date(x).is_none(), date(x), x.rowid).cmp(&(date(y).is_none(), date(y), y.rowid))
        }
    };
    if group {
        let mut best: BTreeMap<i64, Expected> = BTreeMap::new();
        let mut n: HashMap<i64, i64> = HashMap::new();
        for h in &hits {
            *n.entry(h.pk).or_insert(0) += 1;
            let better = match best.get(&h.pk) {
                None => true,
                Some(b) if ranked => (h.score, h.rowid) < (b.score, b.rowid),
                Some(b) => h.rowid < b.rowid,
            };
            if better {
                best.insert(h.pk, h.clone());
            }
        }
        let mut grouped: Vec<Expected> = best
            .into_values()
            .map(|mut h| {
                h.hits = Some(n[&h.pk]);
                h
            })
            .collect();
        grouped.sort_by(order);
        let len = |m: BTreeMap<String, HashSet<i64>>| {
            m.into_iter()
                .map(|(k, v)| (k, v.len() as i64))
                .collect::<BTreeMap<_, _>>()
        };
        return Reference {
            hits: grouped,
            total: statements.len() as i64,
            forum: len(forum_statements),
            speaker: len(speaker),
            year: year.into_iter().map(|(y, v)| (y, v.len() as i64)).collect(),
        };
    }
    hits.sort_by(order);
    Reference {
        total: hits.len() as i64,
        hits,
        forum,
        speaker: speaker_turns,
        year: year_turns.into_iter().collect(),
    }
}

fn buckets(b: &[communique::db::search::Bucket]) -> BTreeMap<String, i64> {
    b.iter().map(|b| (b.key.clone(), b.count)).collect()
}

/// Compares one search with the reference, for pages 1 and 2 of 7 hits.
#[allow(clippy::too_many_arguments)]
async fn check(
    pool: &SqlitePool,
    a: &Archive,
    q: &str,
    f: &Filters,
    sort: Sort,
    group: bool,
    cache: Option<&SearchCache>,
    compare_order: bool,
) -> i64 {
    let query = Query::parse(q);
    let plan = query.plan();
    let body = matching(pool, "segments", &query).await;
    let titles = matching(pool, "titles", &query).await;
    let body_scores = scores(pool, "segments", &query).await;
    let title_scores = scores(pool, "titles", &query).await;
    let want = reference(
        a,
        &body,
        &body_scores,
        &titles,
        &title_scores,
        f,
        sort,
        group,
    );
    let what = format!("q={q} filters={f:?} sort={sort:?} group={group}");
    for page in 0..2u32 {
        let got: Results = search::search(
            pool,
            &Request {
                plan: &plan,
                filters: f,
                sort,
                group,
                limit: 7,
                offset: page * 7,
                cache,
            },
        )
        .await
        .unwrap();
        assert_eq!(got.total, want.total, "total, {what}");
        assert_eq!(buckets(&got.facets.forum), want.forum, "forums, {what}");
        assert_eq!(
            buckets(&got.facets.speaker),
            want.speaker,
            "speakers, {what}"
        );
        let years: Vec<(i64, i64)> = got
            .facets
            .year
            .iter()
            .map(|b| (b.key.parse().unwrap(), b.count))
            .collect();
        assert_eq!(years, want.year, "years, {what}");
        let expected: Vec<&Expected> = want.hits.iter().skip(page as usize * 7).take(7).collect();
        assert_eq!(got.hits.len(), expected.len(), "page {page} size, {what}");
        if !compare_order {
            continue;
        }
        let turn_of: HashMap<i64, &Turn> = a.turns.iter().map(|t| (t.rowid, t)).collect();
        for (g, e) in got.hits.iter().zip(&expected) {
            let t = turn_of[&e.rowid];
            let s = &a.statements[&e.pk];
            assert_eq!(
                (g.statement.id.as_str(), g.title_only, g.hits),
                (s.id.as_str(), e.title_only, e.hits),
                "page {page}, {what}"
            );
            // With grouping the best turn of a statement may tie with another.
            if !group || sort != Sort::Relevance {
                assert_eq!(g.segment.anchor, t.anchor, "page {page}, {what}");
            }
        }
    }
    want.total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_agrees_with_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let pool = archive(dir.path(), 0..DOCS).await;
    let a = load(&pool).await;
    // Filter values that occur.
    let some = a
        .statements
        .values()
        .find(|s| !s.forums.is_empty())
        .unwrap();
    let speaker = a.turns.iter().find_map(|t| t.speaker.clone()).unwrap();
    let year = some.year.unwrap();
    let filters = vec![
        Filters::default(),
        Filters {
            year: Some(year),
            ..Filters::default()
        },
        Filters {
            forum: Some(some.forums[0].clone()),
            ..Filters::default()
        },
        Filters {
            speaker: Some(speaker),
            turn: Some("answer".into()),
            ..Filters::default()
        },
        Filters {
            from: Some(format!("{}-01-01", year - 3)),
            to: Some(format!("{year}-12-31")),
            kind: Some(some.kind.clone()),
            ..Filters::default()
        },
        Filters {
            lang: Some("ru".into()),
            ..Filters::default()
        },
        Filters {
            turn: Some("question".into()),
            ..Filters::default()
        },
    ];
    let common = COMMON_WORDS[0].0;
    let medium = MEDIUM_WORDS[0].0;
    // Words, two words, a phrase, OR, an exclusion, a title word, prefixes (counts only).
    let scored = vec![
        common.to_string(),
        medium.to_string(),
        format!("{common} {medium}"),
        "\"foreign minister\"".to_string(),
        format!("{medium} OR {}", MEDIUM_WORDS[1].0),
        format!("{common} -{medium}"),
        "briefing".to_string(),
        "press".to_string(),
        "переговоры".to_string(),
        "nothingmatchesthis".to_string(),
    ];
    let unscored = vec![
        "coop*".to_string(),
        format!("{medium} secur*"),
        format!("secur* OR {medium}"),
        format!("{common} -pipel*"),
    ];
    // Every search twice: in SQL alone, and with the turn index.
    let indexed = SearchCache::new(0);
    indexed.load_index(&pool).await.unwrap();
    let mut nonzero = 0;
    for (queries, scored) in [(&scored, true), (&unscored, false)] {
        for q in queries {
            for f in &filters {
                for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                    for group in [false, true] {
                        // Prefix-only plans have no scores: archive order, checked too.
                        let order = scored || sort != Sort::Relevance || !q.contains(' ');
                        let total = check(&pool, &a, q, f, sort, group, None, order).await;
                        let cache = Some(&indexed);
                        check(&pool, &a, q, f, sort, group, cache, order).await;
                        nonzero += usize::from(total > 0);
                    }
                }
            }
        }
    }
    // The grid must exercise real results, not only empty ones.
    assert!(nonzero > 200, "only {nonzero} searches found anything");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counts_cache_serves_other_pages_and_sorts_and_an_import_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let pool = archive(dir.path(), 0..60).await;
    let cache = SearchCache::new(8);
    let q = COMMON_WORDS[1].0;
    let f = Filters::default();
    let a = load(&pool).await;
    cache.load_index(&pool).await.unwrap();
    let before = check(&pool, &a, q, &f, Sort::Relevance, false, Some(&cache), true).await;
    assert!(before > 0);
    assert_eq!(cache.len(), 1, "one search counted once, for both pages");
    check(&pool, &a, q, &f, Sort::Newest, false, Some(&cache), true).await;
    assert_eq!(cache.len(), 1, "another sort reuses the counts");
    check(&pool, &a, q, &f, Sort::Newest, true, Some(&cache), true).await;
    assert_eq!(cache.len(), 2, "grouped counts are counted apart");

    // More statements: the generation moves on and the counts must follow.
    drop(pool);
    let pool = archive(dir.path(), 60..120).await;
    let a = load(&pool).await;
    let old_index = cache.index_generation();
    let after = check(&pool, &a, q, &f, Sort::Relevance, false, Some(&cache), true).await;
    assert!(
        after > before,
        "{after} turns after the import, {before} before"
    );
    assert_eq!(cache.len(), 1, "the old generation's counts are gone");
    // The index of the old generation is not used for the new one, and is read again.
    check(&pool, &a, q, &f, Sort::Newest, true, Some(&cache), true).await;
    cache.load_index(&pool).await.unwrap();
    assert_ne!(cache.index_generation(), old_index);
    check(&pool, &a, q, &f, Sort::Oldest, false, Some(&cache), true).await;

    // A bounded cache drops the least recently used search.
    for w in COMMON_WORDS.iter().chain(MEDIUM_WORDS).take(9) {
        check(
            &pool,
            &a,
            w.0,
            &f,
            Sort::Relevance,
            false,
            Some(&cache),
            true,
        )
        .await;
    }
    assert_eq!(cache.len(), 8);

    // A cache of no entries keeps nothing and changes nothing.
    let none = SearchCache::new(0);
    check(&pool, &a, q, &f, Sort::Relevance, false, Some(&none), true).await;
    assert!(none.is_empty());
}

/// Turns of mixed scripts, cases and diacritics, one JSON Lines row per statement.
fn words_dataset(dir: &std::path::Path, name: &str, rows: &[(&str, &[&str])]) -> PathBuf {
    let path = dir.join(name);
    let mut out = String::new();
    for (i, (title, turns)) in rows.iter().enumerate() {
        let text: Vec<String> = turns
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let label = if j % 2 == 0 {
                    "Question"
                } else {
                    "Sergey Lavrov"
                };
                format!("{label}: {t}")
            })
            .collect();
        let row = serde_json::json!({
            "speaker": "Sergey Lavrov",
            "date": format!("{:02}-03-2021", i + 1),
            "title": title,
            "text": text.join("\n\n"),
        });
        out.push_str(&row.to_string());
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
    path
}

async fn import_file(pool: &SqlitePool, path: PathBuf) {
    let summary = communique::import::import_paths(
        pool,
        &[path],
        &Registry::builtin(),
        &communique::import::ImportOptions::quiet(),
    )
    .await
    .unwrap();
    assert_eq!(summary.failed, 0);
    assert!(summary.imported > 0);
}

/// A search of prefixes alone, with the turn index (its word list) and in SQL alone
/// (FTS5's own `"prefix"*`): same total, same page.
async fn both_ways(pool: &SqlitePool, cache: &SearchCache, q: &str) -> i64 {
    let plan = Query::parse(q).plan();
    let filters = Filters::default();
    let mut totals = Vec::new();
    let mut pages = Vec::new();
    for with in [None, Some(cache)] {
        let req = Request {
            plan: &plan,
            filters: &filters,
            sort: Sort::Relevance,
            group: false,
            limit: 100,
            offset: 0,
            cache: with,
        };
        let r = search::search(pool, &req).await.unwrap();
        totals.push(r.total);
        pages.push(
            r.hits
                .iter()
                .map(|h| format!("{}#{}", h.statement.id, h.segment.anchor))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(totals[0], totals[1], "total of {q}: SQL, then index");
    assert_eq!(pages[0], pages[1], "page of {q}");
    totals[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefixes_from_the_word_list_match_as_fts5_prefixes_do() {
    let turns: &[&str] = &[
        "The Élysée Palace and the ELYSEE statement; elysian fields.",
        "Straße, Strasse and Straßburg; Øresund, Ørsted and orsted.",
        "Łódź, Lodz and łódka; naïve, NAIVE and naively; Müller, MULLER, muller.",
        "Ærø and aero; İstanbul and Istanbul; coöperation and cooperation.",
        "Ελλάδα, ΕΛΛΆΔΑ and ελληνικά; Αθήνα and Άθήνα.",
        "Переговоры, ПЕРЕГОВОРЩИК and переговорный; ёлка, Ёлки and елка; йод and Йемен.",
        "Қазақстан, ҚАЗАҚ and Україна, ґанок, Ґудзь; G20, g7summit and 2003s.",
    ];
    let dir = tempfile::tempdir().unwrap();
    let pool = communique::db::connect(dir.path().join("words.db"))
        .await
        .unwrap();
    import_file(
        &pool,
        words_dataset(
            dir.path(),
            "words.jsonl",
            &[("Élysée and Переговоры", turns), ("Second", &turns[3..])],
        ),
    )
    .await;
    let cache = SearchCache::new(0);
    cache.load_index(&pool).await.unwrap();

    // Every prefix of every word, as written and in capitals, from the shortest a
    // prefix may be.
    let mut words: Vec<String> = turns
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    let mut searched = 0;
    for word in &words {
        let chars: Vec<char> = word.chars().collect();
        for len in communique::search::query::MIN_PREFIX_CHARS..=chars.len() {
            let prefix: String = chars[..len].iter().collect();
            // (`ß` has no capital of its own: `STRASSB` is another word.)
            let upper = prefix.to_uppercase();
            let same_word = upper.chars().count() == len;
            for form in [prefix.clone(), upper] {
                let total = both_ways(&pool, &cache, &format!("{form}*")).await;
                assert!(total > 0 || !same_word, "{form}* finds its own word");
                searched += 1;
            }
        }
    }
    assert!(searched > 300, "{searched} prefixes");

    // Several clauses and alternatives, and prefixes that match no word.
    for q in [
        "elys* straß*",
        "elys* OR перег*",
        "ελλ* ёлк*",
        "müll* OR mull* OR zzzz*",
        "zzzz*",
        "elys* zzzz*",
    ] {
        both_ways(&pool, &cache, q).await;
    }
    // The folding that matters: case and Latin diacritics, not Cyrillic letters.
    assert_eq!(both_ways(&pool, &cache, "mull*").await, 1);
    assert_eq!(both_ways(&pool, &cache, "ELYS*").await, 1);
    assert_eq!(both_ways(&pool, &cache, "перег*").await, 2);
    assert_eq!(both_ways(&pool, &cache, "elys* OR перег*").await, 3);
    // No turn holds both; the first title does, and its first turn stands for it.
    assert_eq!(both_ways(&pool, &cache, "elys* перег*").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_word_new_to_the_archive_is_found_by_its_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let pool = communique::db::connect(dir.path().join("new.db"))
        .await
        .unwrap();
    let first: &[&str] = &["A first statement on trade.", "Trade grows."];
    import_file(
        &pool,
        words_dataset(dir.path(), "a.jsonl", &[("One", first)]),
    )
    .await;
    let cache = SearchCache::new(0);
    cache.load_index(&pool).await.unwrap();
    assert_eq!(both_ways(&pool, &cache, "quadrilat*").await, 0);

    let second: &[&str] = &["On quadrilateral talks.", "Quadrilateral talks go on."];
    import_file(
        &pool,
        words_dataset(dir.path(), "b.jsonl", &[("Two", second)]),
    )
    .await;
    // The index of the first archive is not used for the second...
    assert_eq!(both_ways(&pool, &cache, "quadrilat*").await, 2);
    // ...and the one read for the second knows the new word.
    cache.load_index(&pool).await.unwrap();
    assert_eq!(both_ways(&pool, &cache, "quadrilat*").await, 2);
}

/// Searches mixing words, prefixes and excluded prefixes give with the turn index
/// (stemmed matches kept or dropped by the prefixes' rows from the word list, bm25 in
/// Rust) exactly the page, total and facets of SQL alone (FTS5's prefixes and `rank`),
/// for each sort and grouping.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn word_and_prefix_searches_agree_with_sql() {
    let dir = tempfile::tempdir().unwrap();
    let pool = archive(dir.path(), 0..120).await;
    let cache = SearchCache::new(0);
    cache.load_index(&pool).await.unwrap();
    let (common, medium) = (COMMON_WORDS[0].0, MEDIUM_WORDS[0].0);
    let queries = [
        format!("{medium} secur*"),
        format!("{common} coop* secur*"),
        "\"foreign minister\" coop*".to_string(),
        format!("{common} -{medium} secur*"),
        format!("{common} OR {medium} secur*"),
        format!("{medium} zzzz*"),
        format!("{common} -secur*"),
        format!("{common} -coop* -{medium}"),
        "coop* -secur*".to_string(),
        "coop* OR secur* -zzzz*".to_string(),
        format!("{medium} OR secur*"),
        format!("{common} OR \"foreign minister\" OR coop* OR secur*"),
        "zzzz OR coop*".to_string(),
        format!("{medium} OR zzzz*"),
        "briefing OR press OR secur*".to_string(),
    ];
    let filters = [
        Filters::default(),
        Filters {
            turn: Some("answer".into()),
            ..Filters::default()
        },
    ];
    let mut found = 0;
    for q in &queries {
        let plan = Query::parse(q).plan();
        for f in &filters {
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                for group in [false, true] {
                    let mut results = Vec::new();
                    for with in [None, Some(&cache)] {
                        let req = Request {
                            plan: &plan,
                            filters: f,
                            sort,
                            group,
                            limit: 25,
                            offset: 5,
                            cache: with,
                        };
                        results.push(search::search(&pool, &req).await.unwrap());
                    }
                    let what = format!("{q}, {f:?}, {sort:?}, grouped {group}");
                    assert_eq!(results[0].total, results[1].total, "{what}");
                    assert_eq!(results[0].facets, results[1].facets, "{what}");
                    let page = |r: &Results| {
                        r.hits
                            .iter()
                            .map(|h| format!("{}#{}", h.statement.id, h.segment.anchor))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(page(&results[0]), page(&results[1]), "{what}");
                    found += usize::from(results[0].total > 5);
                }
            }
        }
    }
    assert!(found > 40, "only {found} searches had a second page");
}
