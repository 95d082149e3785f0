//! What search needs of every turn, held in memory for one archive generation: the
//! statement, kind, speaker, year, date and length in tokens of each turn, and the
//! forums, kind, language and title length of each statement. With it, a search's
//! total, facets and page (by date, or by bm25 from the matches' phrase frequencies)
//! come from the list of matching rowids alone, instead of a join and a sort over one
//! `segment_meta` row per match and a `_docsize` look-up per match for bm25.

use std::collections::{BinaryHeap, HashMap, HashSet};

use sqlx::{Row, SqlitePool};

use crate::db::search::{Bucket, Counts, Facets, Filters, Sort};

/// No year.
const NO_YEAR: i16 = i16::MIN;

/// One turn, by rowid. `pk == 0` marks a rowid without a turn.
#[derive(Debug, Clone, Copy, Default)]
struct Turn {
    pk: u32,
    /// Position of the date in [`TurnIndex::dates`] plus one; 0 for none.
    date: u32,
    /// Speaker id plus one; 0 for none.
    speaker: u16,
    year: i16,
    /// Turn kind id.
    kind: u8,
    /// Length in tokens in the stemmed index (what bm25 reads).
    length: u32,
}

/// One statement, by pk. Its forums are `forums_len` ids from `forums_at` in
/// [`TurnIndex::forum_ids`]: one flat array, so a pass over many statements reads
/// neighbouring memory instead of one allocation each.
#[derive(Debug, Clone, Copy, Default)]
struct Statement {
    kind: u16,
    language: u16,
    forums_len: u16,
    forums_at: u32,
    /// Length of the title in tokens in the stemmed title index.
    title_length: u32,
}

/// A turn that matched and passed the filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnHit {
    /// The turn.
    pub rowid: i64,
    /// Its statement's pk.
    pub statement: i64,
    /// Its length in tokens in the stemmed index.
    pub length: u32,
    /// Its position in the list of matches given to [`TurnIndex::answer`].
    pub listed: usize,
}

/// The index's rows of a list of matching turns, read once for all the passes over them.
#[derive(Debug)]
pub struct Gathered(Vec<Turn>);

/// Names interned to small ids.
#[derive(Debug, Default)]
struct Names {
    names: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Names {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), self.names.len() - 1);
        self.names.len() - 1
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }
}

/// The turns and statements of one archive generation.
#[derive(Debug)]
pub struct TurnIndex {
    /// The generation it was read in.
    pub generation: i64,
    turns: Vec<Turn>,
    statements: Vec<Statement>,
    speakers: Names,
    turn_kinds: Names,
    kinds: Names,
    languages: Names,
    forums: Names,
    /// Distinct dates, in order.
    dates: Vec<String>,
    /// The forums of every statement, statement after statement.
    forum_ids: Vec<u16>,
    /// The distinct words of the unstemmed turn index, in byte order.
    plain_words: Vec<Box<str>>,
    /// The earliest year of a turn, and how many years from it to the latest.
    first_year: i16,
    year_span: usize,
}

/// A filter value the archive does not hold matches nothing.
const NOTHING: usize = usize::MAX;

/// Filters turned into ids.
struct Compiled {
    speaker: Option<usize>,
    turn: Option<usize>,
    heading: Option<usize>,
    forum: Option<usize>,
    year: Option<i16>,
    from: Option<u32>,
    to: Option<u32>,
    kind: Option<usize>,
    language: Option<usize>,
}

/// What the index answers for one search.
#[derive(Debug)]
pub struct Answer {
    /// Total and facets, facet names not yet filled in.
    pub counts: Counts,
    /// For a sort by date: `(rowid, date, statement's matching turns when grouped,
    /// title only)` of the best `offset + limit` hits, in order.
    pub page: Vec<(i64, Option<String>, Option<i64>, bool)>,
    /// The matching turns that pass the filters, in the order listed.
    pub body_hits: Vec<TurnHit>,
    /// `(rowid, statement)` of the title-only statements' turns that pass the filters.
    pub title_hits: Vec<(i64, i64)>,
}

/// The row lengths an FTS5 table keeps in its `_docsize` table (one column: one varint per
/// row), by rowid; rows it does not hold are 0.
async fn read_lengths(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    docsize: &str,
) -> sqlx::Result<Vec<u32>> {
    let mut lengths = Vec::new();
    let text = format!("SELECT id, sz FROM {docsize} WHERE id > ?1 ORDER BY id LIMIT 50000");
    let mut after = i64::MIN;
    loop {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(&text)
            .bind(after)
            .fetch_all(&mut **tx)
            .await?;
        let Some(&(last, _)) = rows.last() else { break };
        after = last;
        for (id, size) in rows {
            let (Ok(index), Some(length)) = (usize::try_from(id), varint(&size)) else {
                return Err(sqlx::Error::Protocol(format!(
                    "{docsize} row {id} unreadable"
                )));
            };
            if index >= lengths.len() {
                lengths.resize(index + 1, 0);
            }
            lengths[index] = u32::try_from(length).unwrap_or(u32::MAX);
        }
    }
    Ok(lengths)
}

/// SQLite's variable-length integer: 7 bits a byte, most significant first, the ninth
/// byte whole.
fn varint(bytes: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some((value << 8) | u64::from(byte));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

impl TurnIndex {
    /// Reads the index in one read transaction, with the generation it belongs to.
    pub async fn load(pool: &SqlitePool) -> sqlx::Result<TurnIndex> {
        let mut tx = pool.begin().await?;
        let generation = crate::db::store::generation(&mut *tx).await?;
        let mut speakers = Names::default();
        let mut turn_kinds = Names::default();
        let mut kinds = Names::default();
        let mut languages = Names::default();
        let mut forums = Names::default();
        let mut dates: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT date FROM segment_meta WHERE date IS NOT NULL ORDER BY date",
        )
        .fetch_all(&mut *tx)
        .await?;
        dates.dedup();
        let date_ids: HashMap<&str, u32> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| (d.as_str(), i as u32 + 1))
            .collect();
        let mut turns: Vec<Turn> = Vec::new();
        // In slices, so the rows of a large archive are never all held at once.
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(
                "SELECT rowid, statement_pk, kind, speaker, year, date FROM segment_meta
                  WHERE rowid > ?1 ORDER BY rowid LIMIT 20000",
            )
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            for row in rows {
                let rowid: i64 = row.try_get(0)?;
                let pk: i64 = row.try_get(1)?;
                let kind: &str = row.try_get(2)?;
                let speaker: Option<&str> = row.try_get(3)?;
                let year: Option<i64> = row.try_get(4)?;
                let date: Option<&str> = row.try_get(5)?;
                let (Ok(index), Ok(pk)) = (usize::try_from(rowid), u32::try_from(pk)) else {
                    return Err(sqlx::Error::Protocol(format!("turn {rowid} out of range")));
                };
                if index >= turns.len() {
                    turns.resize(index + 1, Turn::default());
                }
                turns[index] = Turn {
                    pk,
                    date: date.and_then(|d| date_ids.get(d).copied()).unwrap_or(0),
                    speaker: speaker.map_or(0, |s| speakers.id(s) as u16 + 1),
                    year: year.and_then(|y| i16::try_from(y).ok()).unwrap_or(NO_YEAR),
                    kind: turn_kinds.id(kind) as u8,
                    length: 0,
                };
            }
        }
        let mut statements: Vec<Statement> = Vec::new();
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT pk, kind, language FROM statements")
                .fetch_all(&mut *tx)
                .await?;
        for (pk, kind, language) in rows {
            let pk = usize::try_from(pk).unwrap_or(0);
            if pk >= statements.len() {
                statements.resize(pk + 1, Statement::default());
            }
            statements[pk].kind = kinds.id(&kind) as u16;
            statements[pk].language = languages.id(&language) as u16;
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT statement_pk, forum FROM statement_forums")
                .fetch_all(&mut *tx)
                .await?;
        let mut by_statement: Vec<Vec<u16>> = vec![Vec::new(); statements.len()];
        for (pk, forum) in rows {
            let id = forums.id(&forum) as u16;
            if let Some(list) = usize::try_from(pk)
                .ok()
                .and_then(|pk| by_statement.get_mut(pk))
            {
                list.push(id);
            }
        }
        let mut forum_ids = Vec::new();
        for (s, list) in statements.iter_mut().zip(by_statement) {
            s.forums_at = u32::try_from(forum_ids.len()).unwrap_or(u32::MAX);
            s.forums_len = u16::try_from(list.len()).unwrap_or(u16::MAX);
            forum_ids.extend(list);
        }
        for (turn, length) in turns
            .iter_mut()
            .zip(read_lengths(&mut tx, "segments_fts_docsize").await?)
        {
            turn.length = length;
        }
        for (s, length) in statements
            .iter_mut()
            .zip(read_lengths(&mut tx, "titles_fts_docsize").await?)
        {
            s.title_length = length;
        }
        let mut plain_words: Vec<Box<str>> =
            sqlx::query_scalar("SELECT term FROM segments_plain_vocab")
                .fetch_all(&mut *tx)
                .await?;
        // FTS5 keeps its words in byte order; sorted again so the searches by prefix
        // below never depend on it.
        plain_words.sort_unstable();
        tx.commit().await?;
        // Ids must fit their fields; an archive beyond that is searched in SQL only.
        if speakers.names.len() >= usize::from(u16::MAX)
            || turn_kinds.names.len() > usize::from(u8::MAX)
            || kinds.names.len() > usize::from(u16::MAX)
            || languages.names.len() > usize::from(u16::MAX)
            || forums.names.len() > usize::from(u16::MAX)
        {
            return Err(sqlx::Error::Protocol("too many distinct values".into()));
        }
        let years = turns.iter().map(|t| t.year).filter(|&y| y != NO_YEAR);
        let (first_year, last_year) = (years.clone().min().unwrap_or(0), years.max().unwrap_or(-1));
        Ok(TurnIndex {
            first_year,
            year_span: usize::try_from(i32::from(last_year) - i32::from(first_year) + 1)
                .unwrap_or(0),
            generation,
            turns,
            statements,
            speakers,
            turn_kinds,
            kinds,
            languages,
            forums,
            dates,
            forum_ids,
            plain_words,
        })
    }

    /// The words of the unstemmed turn index that begin with `prefix` (folded as that
    /// index folds words): what FTS5 would expand `"prefix"*` to.
    pub fn words_starting(&self, prefix: &str) -> &[Box<str>] {
        let start = self.plain_words.partition_point(|w| &**w < prefix);
        let len = self.plain_words[start..].partition_point(|w| w.starts_with(prefix));
        &self.plain_words[start..start + len]
    }

    /// One more than the largest turn rowid the index holds.
    pub fn rowid_bound(&self) -> usize {
        self.turns.len()
    }

    /// A statement's title length in tokens in the stemmed index.
    pub fn title_length(&self, pk: i64) -> Option<u32> {
        usize::try_from(pk)
            .ok()
            .and_then(|i| self.statements.get(i))
            .map(|s| s.title_length)
    }

    fn forums_of(&self, s: &Statement) -> &[u16] {
        let at = s.forums_at as usize;
        self.forum_ids
            .get(at..at + usize::from(s.forums_len))
            .unwrap_or_default()
    }

    /// The index's rows of `rowids`; `None` when one is not in the index (it was read
    /// before the turn existed).
    pub fn gather(&self, rowids: &[i64]) -> Option<Gathered> {
        // A pass that only copies: the reads of scattered rows overlap, where a pass
        // that also decides on each row waits for each read in turn.
        let turns: Vec<Turn> = rowids
            .iter()
            .map(|&r| {
                usize::try_from(r)
                    .ok()
                    .and_then(|i| self.turns.get(i))
                    .copied()
                    .unwrap_or_default()
            })
            .collect();
        turns.iter().all(|t| t.pk != 0).then_some(Gathered(turns))
    }

    fn compile(&self, f: &Filters) -> Compiled {
        let id =
            |names: &Names, v: &Option<String>| v.as_ref().map(|v| names.get(v).unwrap_or(NOTHING));
        // Dates compare as text in SQL: the first stored date not before `from`.
        let from = f
            .from
            .as_ref()
            .map(|d| self.dates.partition_point(|x| x < d) as u32 + 1);
        let to =
            f.to.as_ref()
                .map(|d| self.dates.partition_point(|x| x <= d) as u32);
        Compiled {
            speaker: id(&self.speakers, &f.speaker),
            turn: id(&self.turn_kinds, &f.turn),
            heading: self.turn_kinds.get("heading"),
            forum: id(&self.forums, &f.forum),
            year: f
                .year
                .map(|y| i16::try_from(y).ok().filter(|&y| y != NO_YEAR).unwrap_or(0)),
            from,
            to,
            kind: id(&self.kinds, &f.kind),
            language: id(&self.languages, &f.lang),
        }
    }

    fn passes_turn(t: &Turn, c: &Compiled) -> bool {
        Some(usize::from(t.kind)) != c.heading
            && c.speaker
                .is_none_or(|s| t.speaker != 0 && usize::from(t.speaker) - 1 == s)
            && c.turn.is_none_or(|k| usize::from(t.kind) == k)
    }

    fn passes_statement(&self, t: &Turn, c: &Compiled) -> bool {
        let s = self.statements.get(t.pk as usize);
        c.year.is_none_or(|y| t.year == y && y != NO_YEAR)
            && c.from.is_none_or(|d| t.date != 0 && t.date >= d)
            && c.to.is_none_or(|d| t.date != 0 && t.date <= d)
            && c.forum.is_none_or(|f| {
                s.is_some_and(|s| self.forums_of(s).iter().any(|&x| usize::from(x) == f))
            })
            && c.kind
                .is_none_or(|k| s.is_some_and(|s| usize::from(s.kind) == k))
            && c.language
                .is_none_or(|l| s.is_some_and(|s| usize::from(s.language) == l))
    }

    /// Statements among `title_pks` none of whose turns is in `body` (every matching
    /// turn, filters aside): those whose title alone matches. Their first turns are
    /// found in SQL, and filtered with the rest.
    pub fn title_candidates(&self, body: &Gathered, title_pks: &[i64]) -> Vec<i64> {
        if title_pks.is_empty() {
            return Vec::new();
        }
        // One bit per statement: a pass over tens of thousands of matches touches no hash.
        let mut matched = vec![0u64; self.statements.len() / 64 + 1];
        for t in &body.0 {
            if let Some(word) = matched.get_mut(t.pk as usize / 64) {
                *word |= 1 << (t.pk % 64);
            }
        }
        let is_matched = |pk: usize| {
            matched
                .get(pk / 64)
                .is_some_and(|w| w & (1 << (pk % 64)) != 0)
        };
        title_pks
            .iter()
            .copied()
            .filter(|&pk| usize::try_from(pk).is_ok_and(|p| !is_matched(p)))
            .collect()
    }

    /// Counts, and for a sort by date the best `k` hits, of the matching turns `body`
    /// (gathered as `turns`) and the title-only statements' turns `reps`. The hits that
    /// pass the filters are listed only for a page by relevance, the one use of them.
    /// `None` when a rowid is not in the index (it was read before the turn existed).
    #[allow(clippy::too_many_arguments)]
    pub fn answer(
        &self,
        f: &Filters,
        body: &[i64],
        turns: &Gathered,
        reps: &[i64],
        sort: Sort,
        group: bool,
        k: usize,
    ) -> Option<Answer> {
        let c = self.compile(f);
        let reps_gathered = self.gather(reps)?;
        let by_date = sort != Sort::Relevance;
        let newest = sort == Sort::Newest;
        // The best `k` hits by date, worst on top: (key, rowid, title only).
        let mut best: BinaryHeap<(u64, i64, bool)> = BinaryHeap::new();
        // Undated hits last in either order.
        let date_key = |date: u32| match (date, newest) {
            (0, _) => u64::from(u32::MAX) + 1,
            (d, true) => u64::from(u32::MAX - d),
            (d, false) => u64::from(d),
        };
        let mut offer = |key: u64, rowid: i64, title_only: bool| {
            if k == 0 {
                return;
            }
            if best.len() < k {
                best.push((key, rowid, title_only));
            } else if best.peek().is_some_and(|w| (key, rowid) < (w.0, w.1)) {
                best.pop();
                best.push((key, rowid, title_only));
            }
        };
        let mut total = 0i64;
        let mut body_hits = Vec::new();
        let mut title_hits = Vec::new();
        // Per statement hit: (pk, first hit, hits, title only, year, date); `slots` maps a pk to its
        // place there plus one. A dense array of slots rather than a map: a common word
        // passes 400,000 turns of 50,000 statements.
        let mut slots = vec![0u32; self.statements.len()];
        let mut hit_statements: Vec<(u32, i64, i64, bool, i16, u32)> = Vec::new();
        let mut speakers = vec![0i64; self.speakers.names.len() + 1];
        let mut speaker_statements: HashSet<(u16, u32)> = HashSet::new();
        for (list, gathered, title_only) in [(body, turns, false), (reps, &reps_gathered, true)] {
            for (listed, (&r, t)) in list.iter().zip(&gathered.0).enumerate() {
                if !(Self::passes_turn(t, &c) && self.passes_statement(t, &c)) {
                    continue;
                }
                total += 1;
                let pk = t.pk as usize;
                if pk >= slots.len() {
                    slots.resize(pk + 1, 0);
                }
                let slot = &mut slots[pk];
                if *slot == 0 {
                    // Every turn of a statement has the statement's year and date.
                    hit_statements.push((t.pk, r, 0, title_only, t.year, t.date));
                    *slot = u32::try_from(hit_statements.len()).ok()?;
                }
                let e = &mut hit_statements[*slot as usize - 1];
                e.1 = e.1.min(r);
                e.2 += 1;
                if t.speaker != 0 {
                    if group {
                        speaker_statements.insert((t.speaker, t.pk));
                    } else {
                        speakers[usize::from(t.speaker)] += 1;
                    }
                }
                if group {
                    continue;
                }
                if by_date {
                    offer(date_key(t.date), r, title_only);
                } else if title_only {
                    title_hits.push((r, i64::from(t.pk)));
                } else {
                    body_hits.push(TurnHit {
                        rowid: r,
                        statement: i64::from(t.pk),
                        length: t.length,
                        listed,
                    });
                }
            }
        }
        if group {
            for (sp, _) in speaker_statements {
                speakers[usize::from(sp)] += 1;
            }
        }
        let mut forums = vec![0i64; self.forums.names.len()];
        let mut years = vec![0i64; self.year_span];
        for &(pk, first, n, title_only, year, date) in &hit_statements {
            let weight = if group { 1 } else { n };
            if year != NO_YEAR {
                years[(i32::from(year) - i32::from(self.first_year)) as usize] += weight;
            }
            if let Some(s) = self.statements.get(pk as usize) {
                for &fo in self.forums_of(s) {
                    forums[usize::from(fo)] += weight;
                }
            }
            if group && by_date {
                offer(date_key(date), first, title_only);
            }
        }
        let bucket = |name: &str, count: i64| Bucket {
            key: name.to_owned(),
            name: name.to_owned(),
            count,
        };
        let counts = Counts {
            total: if group {
                hit_statements.len() as i64
            } else {
                total
            },
            facets: Facets {
                forum: forums
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0)
                    .map(|(id, &n)| bucket(&self.forums.names[id], n))
                    .collect(),
                speaker: speakers
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|&(_, &n)| n > 0)
                    .map(|(id, &n)| bucket(&self.speakers.names[id - 1], n))
                    .collect(),
                year: years
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0)
                    .map(|(i, &n)| bucket(&(i as i32 + i32::from(self.first_year)).to_string(), n))
                    .collect(),
            },
        };
        let hits_of = |rowid: i64| {
            let pk = self.turns[rowid as usize].pk as usize;
            hit_statements[slots[pk] as usize - 1].2
        };
        let page = best
            .into_sorted_vec()
            .into_iter()
            .map(|(_, r, title_only)| {
                let d = self.turns[r as usize].date;
                let date = (d != 0).then(|| self.dates[d as usize - 1].clone());
                (r, date, group.then(|| hits_of(r)), title_only)
            })
            .collect();
        Some(Answer {
            counts,
            page,
            body_hits,
            title_hits,
        })
    }
}
