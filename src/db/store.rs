//! Writing statements: rows, turns, speakers, forums, tags and source; ids and aliases;
//! and reading a statement back as exactly the object the parser produced.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection, SqliteExecutor};
use unicode_normalization::UnicodeNormalization;

use crate::model::{Hints, Segment, SegmentKind, Statement};
use crate::registry::Registry;

/// What an input was, so it can be parsed again the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// A page save: decoded text.
    Text,
    /// A dataset row: the row as a JSON object.
    Row,
}

impl SourceFormat {
    /// The name stored in `sources.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Row => "row",
        }
    }

    /// Parses a stored name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<SourceFormat> {
        match name {
            "text" => Some(SourceFormat::Text),
            "row" => Some(SourceFormat::Row),
            _ => None,
        }
    }
}

/// The original input of a statement, kept so it can be re-parsed without the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Name of the file it was read from, when it came from one.
    pub file_name: Option<String>,
    /// What sort of input it is.
    pub format: SourceFormat,
    /// The decoded text, or the row as a JSON object.
    pub content: String,
    /// Facts that came with the input (a dataset row's fields).
    pub hints: Option<Hints>,
}

impl Source {
    /// A page save read from `file_name`.
    pub fn text(file_name: Option<String>, content: String) -> Source {
        Source {
            file_name,
            format: SourceFormat::Text,
            content,
            hints: None,
        }
    }
}

/// A [`Source`] ready to be written: a page save's text compressed, the hints
/// serialised. Built where the input is parsed (on all cores), so the single writer
/// only copies bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedSource {
    file_name: Option<String>,
    format: SourceFormat,
    /// The content as text (`sources.codec = 'none'`)...
    text: Option<String>,
    /// ...or as a raw DEFLATE stream (`'deflate'`).
    deflated: Option<Vec<u8>>,
    fields: Option<String>,
}

/// `sources.codec` of a content stored as a raw DEFLATE stream.
const CODEC_DEFLATE: &str = "deflate";
/// `sources.codec` of a content stored as text.
const CODEC_NONE: &str = "none";

impl PackedSource {
    /// Packs `source`. A page save's text is compressed (level 3: to about a third of its
    /// size, for a fraction of what parsing it costs); a dataset row stays a JSON object,
    /// small and open to SQLite's JSON functions.
    pub fn pack(source: &Source) -> sqlx::Result<PackedSource> {
        let (text, deflated) = match source.format {
            SourceFormat::Row => (Some(source.content.clone()), None),
            SourceFormat::Text => (None, Some(deflate(source.content.as_bytes())?)),
        };
        Ok(PackedSource {
            file_name: source.file_name.clone(),
            format: source.format,
            text,
            deflated,
            fields: source.hints.as_ref().map(json).transpose()?,
        })
    }

    fn codec(&self) -> &'static str {
        if self.deflated.is_some() {
            CODEC_DEFLATE
        } else {
            CODEC_NONE
        }
    }
}

thread_local! {
    /// One compressor per thread, reset between sources: setting one up allocates and
    /// zeroes a few hundred kilobytes, more work than compressing a page save.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(3), false));
}

/// `bytes` as a raw DEFLATE stream.
fn deflate(bytes: &[u8]) -> sqlx::Result<Vec<u8>> {
    let encode = |e: flate2::CompressError| sqlx::Error::Encode(Box::new(e));
    DEFLATE.with(|compress| {
        let mut compress = compress.borrow_mut();
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let read = compress.total_in() as usize;
            let status = compress
                .compress_vec(&bytes[read..], &mut out, flate2::FlushCompress::Finish)
                .map_err(encode)?;
            if status == flate2::Status::StreamEnd {
                return Ok(out);
            }
            out.reserve(out.capacity().max(1024));
        }
    })
}

/// A stored source's content (`sources.content`) back as text, whichever way it was
/// stored (`sources.codec`). Every reader of `sources.content` goes through here.
pub fn unpack_content(
    codec: &str,
    content: sqlx::sqlite::SqliteValueRef<'_>,
) -> sqlx::Result<String> {
    use sqlx::{Decode, Sqlite};
    let decode = |e: Box<dyn std::error::Error + Send + Sync>| sqlx::Error::Decode(e);
    match codec {
        CODEC_NONE => <String as Decode<Sqlite>>::decode(content).map_err(decode),
        CODEC_DEFLATE => {
            use std::io::Read;
            let bytes = <&[u8] as Decode<Sqlite>>::decode(content).map_err(decode)?;
            let mut text = String::with_capacity(bytes.len() * 3);
            flate2::read::DeflateDecoder::new(bytes)
                .read_to_string(&mut text)
                .map_err(|e| decode(Box::new(e)))?;
            Ok(text)
        }
        other => Err(decode(format!("unknown source codec {other:?}").into())),
    }
}

/// A stored statement with its source, as `reparse` reads them.
#[derive(Debug, Clone)]
pub struct StoredSource {
    /// Row key.
    pub pk: i64,
    /// Public id.
    pub id: String,
    /// The input it was parsed from.
    pub source: Source,
}

/// The values identity is decided on (see DESIGN.md, Identity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// ISO 639-1 code: statements only ever match in the same language.
    pub language: String,
    /// The document number line, trimmed.
    pub source_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// [`normalise`]d title, `None` when the title has no words.
    pub norm_title: Option<String>,
    /// [`text_hash`] of the statement.
    pub text_hash: String,
}

impl Keys {
    /// The identity keys of a parsed statement.
    pub fn of(statement: &Statement) -> Keys {
        Keys {
            language: statement.language.clone(),
            source_number: statement
                .source_number
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            date: statement.date.map(|d| d.format("%Y-%m-%d").to_string()),
            norm_title: statement
                .title
                .as_deref()
                .map(normalise)
                .filter(|t| !t.is_empty()),
            text_hash: text_hash(statement),
        }
    }
}

/// Which identity rule found a stored statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// Same document number.
    Number,
    /// Same date and normalised title.
    DateTitle,
    /// Same normalised text.
    TextHash,
}

/// A stored statement that an incoming one matches by some rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Row key; lower is older.
    pub pk: i64,
    /// Public id.
    pub id: String,
    /// Its document number.
    pub source_number: Option<String>,
    /// Its text hash.
    pub text_hash: String,
    /// The rule that found it.
    pub rule: Rule,
}

/// Text reduced to what identity compares: NFKC, lower case, words of letters and
/// digits joined by single spaces. Quotes, dashes, punctuation and spacing do not count.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_words(&mut out, text);
    out
}

fn push_words(out: &mut String, text: &str) {
    let mut in_word = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            in_word = true;
            out.push(c);
        } else {
            in_word = false;
        }
    }
}

/// SHA-256 (hex) of the statement's normalised text: every turn's heading, label, note
/// and paragraphs, as the page printed them. How the parser cut the text into turns and
/// paragraphs does not change it; a changed word does. The title is not text: a page
/// save and a dataset row (whose text has no title line) of one statement hash alike.
pub fn text_hash(statement: &Statement) -> String {
    let mut text = String::new();
    let mut add = |part: Option<&str>| {
        if let Some(part) = part {
            push_words(&mut text, part);
        }
    };
    for segment in &statement.segments {
        add(segment.title.as_deref());
        add(segment.label.as_deref());
        add(segment.note.as_deref());
        for paragraph in &segment.paragraphs {
            add(Some(paragraph));
        }
    }
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The stored statements an incoming statement with these keys may be, by every rule
/// that applies (each only when both sides have a value), ordered by rule then age.
/// Statements whose number differs are returned too when the date/title or text
/// matches; the caller applies "different numbers never match".
pub async fn find_candidates(
    conn: &mut SqliteConnection,
    keys: &Keys,
) -> sqlx::Result<Vec<Candidate>> {
    Ok(find_candidates_and_taken(conn, keys, None).await?.0)
}

/// [`find_candidates`], and with an id `base` the ids of statements and aliases that may
/// keep it from being free (see [`free_id`]): one read for both, as the importer needs
/// both for every new statement.
pub async fn find_candidates_and_taken(
    conn: &mut SqliteConnection,
    keys: &Keys,
    base: Option<&str>,
) -> sqlx::Result<(Vec<Candidate>, Vec<String>)> {
    // Only ids of the form `base-<digit>...` can be taken suffixes: a range scan on the
    // unique index, so a common base (`undated-...`) does not read the whole table.
    let rows = sqlx::query(
        "SELECT pk, id, source_number, text_hash, 0 AS rule FROM statements
          WHERE ?2 IS NOT NULL AND source_number = ?2 AND language = ?1
         UNION ALL
         SELECT pk, id, source_number, text_hash, 1 FROM statements
          WHERE ?3 IS NOT NULL AND ?4 IS NOT NULL
            AND language = ?1 AND date = ?3 AND norm_title = ?4
         UNION ALL
         SELECT pk, id, source_number, text_hash, 2 FROM statements
          WHERE language = ?1 AND text_hash = ?5
         UNION ALL
         SELECT NULL, id, NULL, NULL, 3 FROM statements
          WHERE ?6 IS NOT NULL AND (id = ?6 OR (id >= ?6 || '-0' AND id < ?6 || '-:'))
         UNION ALL
         SELECT NULL, alias, NULL, NULL, 3 FROM aliases
          WHERE ?6 IS NOT NULL AND (alias = ?6 OR (alias >= ?6 || '-0' AND alias < ?6 || '-:'))
         ORDER BY rule, pk",
    )
    .bind(&keys.language)
    .bind(&keys.source_number)
    .bind(&keys.date)
    .bind(&keys.norm_title)
    .bind(&keys.text_hash)
    .bind(base)
    .fetch_all(&mut *conn)
    .await?;
    let mut candidates = Vec::new();
    let mut taken = Vec::new();
    for row in rows {
        let rule = match row.try_get::<i64, _>("rule")? {
            0 => Rule::Number,
            1 => Rule::DateTitle,
            2 => Rule::TextHash,
            _ => {
                taken.push(row.try_get("id")?);
                continue;
            }
        };
        candidates.push(Candidate {
            pk: row.try_get("pk")?,
            id: row.try_get("id")?,
            source_number: row.try_get("source_number")?,
            text_hash: row.try_get("text_hash")?,
            rule,
        });
    }
    Ok((candidates, taken))
}

/// `base` when no statement or alias holds it, else the first free `base-2`, `base-3`, ...
pub async fn free_id(conn: &mut SqliteConnection, base: &str) -> sqlx::Result<String> {
    let taken: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM statements WHERE id = ?1 OR (id >= ?1 || '-0' AND id < ?1 || '-:')
         UNION ALL
         SELECT alias FROM aliases WHERE alias = ?1 OR (alias >= ?1 || '-0' AND alias < ?1 || '-:')",
    )
    .bind(base)
    .fetch_all(&mut *conn)
    .await?;
    Ok(first_free_id(base, &taken))
}

/// `base` when `taken` does not hold it, else the first `base-N` (N ≥ 2) it does not hold.
pub fn first_free_id(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|id| id == base) {
        return base.to_string();
    }
    let mut suffixes: Vec<u64> = taken
        .iter()
        .filter_map(|id| id.strip_prefix(base)?.strip_prefix('-'))
        .filter(|s| !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|s| s.parse().ok())
        .collect();
    suffixes.sort_unstable();
    let mut n = 2;
    for s in suffixes {
        if s == n {
            n += 1;
        } else if s > n {
            break;
        }
    }
    format!("{base}-{n}")
}

#[derive(Serialize)]
struct SegmentRow<'a> {
    n: u32,
    kind: &'static str,
    speaker: Option<&'a str>,
    label: Option<&'a str>,
    note: Option<&'a str>,
    exchange: Option<u32>,
    anchor: &'a str,
    title: Option<&'a str>,
    body: String,
}

/// A statement's turns as `segments` rows.
fn segment_rows(statement: &Statement) -> Vec<SegmentRow<'_>> {
    statement
        .segments
        .iter()
        .map(|s| SegmentRow {
            n: s.n,
            kind: s.kind.as_str(),
            speaker: s.speaker.as_deref(),
            label: s.label.as_deref(),
            note: s.note.as_deref(),
            exchange: s.exchange,
            anchor: &s.anchor,
            title: s.title.as_deref(),
            body: join_paragraphs(&s.paragraphs),
        })
        .collect()
}

fn json<T: Serialize + ?Sized>(value: &T) -> sqlx::Result<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Inserts a new statement under `id` (see [`free_id`]) with its parts and source;
/// returns its row key. All or nothing: the statement runs inside its own savepoint.
///
/// One round trip: the rows, turns, links and source go in as one prepared sequence of
/// statements (each list a JSON parameter expanded by `json_each`), since each query
/// costs two thread hand-offs between the caller and SQLite's worker thread.
pub async fn insert_statement(
    conn: &mut SqliteConnection,
    id: &str,
    statement: &Statement,
    keys: &Keys,
    source: &PackedSource,
) -> sqlx::Result<i64> {
    let result = insert(conn, INSERT_STATEMENT, id, statement, keys, source).await;
    if result.is_err() {
        // Undo what part of the sequence ran; when SQLite has already rolled the
        // whole transaction back there is no savepoint left, which is fine.
        let _ = sqlx::raw_sql("ROLLBACK TO insert_statement; RELEASE insert_statement")
            .execute(&mut *conn)
            .await;
    }
    result
}

/// [`insert_statement`] without its savepoint, for a caller that rolls the whole
/// transaction back when it fails. A savepoint makes FTS5 write the terms it holds in
/// memory to the index as a new segment: one per statement, to be merged again and again,
/// where a batch of statements would otherwise make one.
pub async fn insert_statement_unguarded(
    conn: &mut SqliteConnection,
    id: &str,
    statement: &Statement,
    keys: &Keys,
    source: &PackedSource,
) -> sqlx::Result<i64> {
    insert(
        conn,
        INSERT_STATEMENT_UNGUARDED,
        id,
        statement,
        keys,
        source,
    )
    .await
}

async fn insert(
    conn: &mut SqliteConnection,
    sql: &'static str,
    id: &str,
    statement: &Statement,
    keys: &Keys,
    source: &PackedSource,
) -> sqlx::Result<i64> {
    let row = NewStatement {
        id,
        title: statement.title.as_deref(),
        norm_title: keys.norm_title.as_deref(),
        date: keys.date.as_deref(),
        time: statement.time.as_deref(),
        place: statement.place.as_deref(),
        kind: statement.kind.as_str(),
        language: &statement.language,
        languages: json(&statement.languages)?,
        source_number: statement.source_number.as_deref(),
        source_url: statement.source_url.as_deref(),
        text_hash: &keys.text_hash,
        speakers: &statement.speakers,
        forums: &statement.forums,
        tags: &statement.tags,
        file_name: source.file_name.as_deref(),
        format: source.format.as_str(),
        codec: source.codec(),
        fields: source.fields.as_deref(),
    };
    let pks: Vec<i64> = sqlx::query_scalar(sql)
        .bind(json(&row)?)
        .bind(json(&segment_rows(statement))?)
        .bind(&source.text)
        .bind(&source.deflated)
        // `fetch_all`: every statement of the sequence must run, not only the first
        // that returns a row.
        .fetch_all(&mut *conn)
        .await?;
    pks.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

/// Everything [`insert_statement`] writes but the turns and the source's content, as one
/// JSON object that every statement of the sequence reads as `?1`. The turns, most of
/// the bytes, are `?2`, read by the two statements that need them: SQLite parses a JSON
/// parameter again in each statement that reads it.
#[derive(Serialize)]
struct NewStatement<'a> {
    id: &'a str,
    title: Option<&'a str>,
    norm_title: Option<&'a str>,
    date: Option<&'a str>,
    time: Option<&'a str>,
    place: Option<&'a str>,
    kind: &'a str,
    language: &'a str,
    languages: String,
    source_number: Option<&'a str>,
    source_url: Option<&'a str>,
    text_hash: &'a str,
    speakers: &'a [crate::model::SpeakerRef],
    forums: &'a [crate::model::ForumRef],
    tags: &'a [String],
    file_name: Option<&'a str>,
    format: &'a str,
    codec: &'a str,
    fields: Option<&'a str>,
}

/// The statements of [`insert_statement`]. Later statements find the new row by its id
/// (the unique index), since `last_insert_rowid()` moves with every insert. Each
/// statement's parameters run from `?1` without a gap: sqlx takes a gap for an unnamed
/// parameter, binds it the next argument by position, and past the last argument stops
/// binding (the rest are NULL). Hence the sources' `WHERE ?2 IS NOT NULL`, always true.
macro_rules! insert_statement_sql {
    () => {
        "
INSERT INTO statements (id, title, norm_title, date, year, time, place, kind, language,
                        languages, source_number, source_url, text_hash,
                        imported_at, updated_at)
SELECT ?1 ->> 'id', ?1 ->> 'title', ?1 ->> 'norm_title', ?1 ->> 'date',
       CAST(substr(?1 ->> 'date', 1, 4) AS INTEGER), ?1 ->> 'time', ?1 ->> 'place',
       ?1 ->> 'kind', ?1 ->> 'language', ?1 ->> 'languages', ?1 ->> 'source_number',
       ?1 ->> 'source_url', ?1 ->> 'text_hash',
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
RETURNING pk;
INSERT INTO speakers (slug, name)
SELECT value ->> 'slug', value ->> 'name' FROM json_each(?1, '$.speakers') WHERE true
ON CONFLICT (slug) DO UPDATE SET name = excluded.name WHERE speakers.name IS NOT excluded.name;
INSERT OR IGNORE INTO statement_speakers (statement_pk, speaker, position, name)
SELECT (SELECT pk FROM statements WHERE id = ?1 ->> 'id'), value ->> 'slug', key + 1,
       value ->> 'name'
  FROM json_each(?1, '$.speakers');
INSERT INTO forums (slug, acronym, name)
SELECT value ->> 'slug', value ->> 'acronym', value ->> 'name'
  FROM json_each(?1, '$.forums') WHERE true
ON CONFLICT (slug) DO UPDATE SET acronym = excluded.acronym, name = excluded.name
 WHERE forums.acronym IS NOT excluded.acronym OR forums.name IS NOT excluded.name;
INSERT OR IGNORE INTO statement_forums (statement_pk, forum, position, acronym, name)
SELECT (SELECT pk FROM statements WHERE id = ?1 ->> 'id'), value ->> 'slug', key + 1,
       value ->> 'acronym', value ->> 'name'
  FROM json_each(?1, '$.forums');
INSERT INTO statement_tags (statement_pk, position, tag)
SELECT (SELECT pk FROM statements WHERE id = ?1 ->> 'id'), key + 1, value
  FROM json_each(?1, '$.tags');
INSERT INTO segments (statement_pk, n, kind, speaker, label, note, exchange, anchor, title, body)
SELECT (SELECT pk FROM statements WHERE id = ?1 ->> 'id'), value ->> 'n', value ->> 'kind',
       value ->> 'speaker', value ->> 'label', value ->> 'note', value ->> 'exchange',
       value ->> 'anchor', value ->> 'title', value ->> 'body'
  FROM json_each(?2);
INSERT INTO sources (statement_pk, file_name, format, codec, content, fields)
SELECT (SELECT pk FROM statements WHERE id = ?1 ->> 'id'), ?1 ->> 'file_name',
       ?1 ->> 'format', ?1 ->> 'codec', coalesce(?3, ?4), ?1 ->> 'fields'
 WHERE ?2 IS NOT NULL;
"
    };
}

/// [`insert_statement`]'s sequence inside a savepoint.
const INSERT_STATEMENT: &str = concat!(
    "SAVEPOINT insert_statement;",
    insert_statement_sql!(),
    "RELEASE insert_statement;"
);

/// [`insert_statement_unguarded`]'s sequence.
const INSERT_STATEMENT_UNGUARDED: &str = insert_statement_sql!();

/// Replaces the content of the statement at `pk` with `statement`, keeping its id; the
/// source is replaced too when given (an import), kept when not (a re-parse).
pub async fn replace_statement(
    conn: &mut SqliteConnection,
    pk: i64,
    statement: &Statement,
    keys: &Keys,
    source: Option<&PackedSource>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE statements
            SET title = ?2, norm_title = ?3, date = ?4, year = CAST(substr(?4, 1, 4) AS INTEGER),
                time = ?5, place = ?6, kind = ?7, language = ?8, languages = ?9,
                source_number = ?10, source_url = ?11, text_hash = ?12,
                updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE pk = ?1",
    )
    .bind(pk)
    .bind(&statement.title)
    .bind(&keys.norm_title)
    .bind(&keys.date)
    .bind(&statement.time)
    .bind(&statement.place)
    .bind(statement.kind.as_str())
    .bind(&statement.language)
    .bind(json(&statement.languages)?)
    .bind(&statement.source_number)
    .bind(&statement.source_url)
    .bind(&keys.text_hash)
    .execute(&mut *conn)
    .await?;
    for table in [
        "DELETE FROM segments WHERE statement_pk = ?1",
        "DELETE FROM statement_speakers WHERE statement_pk = ?1",
        "DELETE FROM statement_forums WHERE statement_pk = ?1",
        "DELETE FROM statement_tags WHERE statement_pk = ?1",
    ] {
        sqlx::query(table).bind(pk).execute(&mut *conn).await?;
    }
    insert_parts(conn, pk, statement).await?;
    if let Some(source) = source {
        save_source(conn, pk, source).await?;
    }
    Ok(())
}

/// Speakers, forums, tags and turns of a statement whose row exists. Each list goes in
/// as one JSON parameter expanded by `json_each`: one prepared statement per table,
/// whatever the number of turns.
async fn insert_parts(
    conn: &mut SqliteConnection,
    pk: i64,
    statement: &Statement,
) -> sqlx::Result<()> {
    if !statement.speakers.is_empty() {
        let speakers = json(&statement.speakers)?;
        sqlx::query(
            "INSERT INTO speakers (slug, name)
             SELECT value ->> 'slug', value ->> 'name' FROM json_each(?1) WHERE true
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name
              WHERE speakers.name IS NOT excluded.name",
        )
        .bind(&speakers)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT OR IGNORE INTO statement_speakers (statement_pk, speaker, position, name)
             SELECT ?1, value ->> 'slug', key + 1, value ->> 'name' FROM json_each(?2)",
        )
        .bind(pk)
        .bind(&speakers)
        .execute(&mut *conn)
        .await?;
    }
    if !statement.forums.is_empty() {
        let forums = json(&statement.forums)?;
        sqlx::query(
            "INSERT INTO forums (slug, acronym, name)
             SELECT value ->> 'slug', value ->> 'acronym', value ->> 'name' FROM json_each(?1)
              WHERE true
             ON CONFLICT (slug) DO UPDATE SET acronym = excluded.acronym, name = excluded.name
              WHERE forums.acronym IS NOT excluded.acronym OR forums.name IS NOT excluded.name",
        )
        .bind(&forums)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT OR IGNORE INTO statement_forums (statement_pk, forum, position, acronym, name)
             SELECT ?1, value ->> 'slug', key + 1, value ->> 'acronym', value ->> 'name'
               FROM json_each(?2)",
        )
        .bind(pk)
        .bind(&forums)
        .execute(&mut *conn)
        .await?;
    }
    if !statement.tags.is_empty() {
        sqlx::query(
            "INSERT INTO statement_tags (statement_pk, position, tag)
             SELECT ?1, key + 1, value FROM json_each(?2)",
        )
        .bind(pk)
        .bind(json(&statement.tags)?)
        .execute(&mut *conn)
        .await?;
    }
    if !statement.segments.is_empty() {
        let rows = segment_rows(statement);
        sqlx::query(
            "INSERT INTO segments (statement_pk, n, kind, speaker, label, note, exchange, anchor,
                                   title, body)
             SELECT ?1, value ->> 'n', value ->> 'kind', value ->> 'speaker', value ->> 'label',
                    value ->> 'note', value ->> 'exchange', value ->> 'anchor', value ->> 'title',
                    value ->> 'body'
               FROM json_each(?2)",
        )
        .bind(pk)
        .bind(json(&rows)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn save_source(
    conn: &mut SqliteConnection,
    pk: i64,
    source: &PackedSource,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sources (statement_pk, file_name, format, codec, content, fields)
         VALUES (?1, ?2, ?3, ?4, coalesce(?5, ?6), ?7)
         ON CONFLICT (statement_pk) DO UPDATE
            SET file_name = excluded.file_name, format = excluded.format,
                codec = excluded.codec, content = excluded.content, fields = excluded.fields",
    )
    .bind(pk)
    .bind(&source.file_name)
    .bind(source.format.as_str())
    .bind(source.codec())
    .bind(&source.text)
    .bind(&source.deflated)
    .bind(&source.fields)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Folds the statement `merged` into `survivor`: `merged` is deleted and its id, and
/// every alias that pointed to it, now lead to `survivor`.
pub async fn merge_into(
    conn: &mut SqliteConnection,
    merged: &Candidate,
    survivor_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE aliases SET statement_id = ?2 WHERE statement_id = ?1")
        .bind(&merged.id)
        .bind(survivor_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM statements WHERE pk = ?1")
        .bind(merged.pk)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO aliases (alias, statement_id) VALUES (?1, ?2)")
        .bind(&merged.id)
        .bind(survivor_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Makes `alias` lead to the statement `target` unless a statement or an alias already
/// holds that id; `true` when it was added.
pub async fn add_alias(
    conn: &mut SqliteConnection,
    alias: &str,
    target: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO aliases (alias, statement_id)
         SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM statements WHERE id = ?1)
         ON CONFLICT (alias) DO NOTHING",
    )
    .bind(alias)
    .bind(target)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes the statement `id` with everything that belongs to it: turns, links, source,
/// the aliases pointing to it, its full-text rows (by trigger). `false` when no
/// statement has this id.
pub async fn delete_statement(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM statements WHERE id = ?1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes speakers and forums no statement refers to any more.
pub async fn prune_orphans(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM speakers
          WHERE NOT EXISTS (SELECT 1 FROM statement_speakers ss WHERE ss.speaker = speakers.slug)
            AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.speaker = speakers.slug)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM forums
          WHERE NOT EXISTS (SELECT 1 FROM statement_forums sf WHERE sf.forum = forums.slug)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Copies what the registry knows beyond a statement's references (Russian names,
/// roles) onto the stored speakers and forums.
pub async fn sync_registry(conn: &mut SqliteConnection, registry: &Registry) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE speakers SET name_ru = r.value ->> 'name_ru', role = r.value ->> 'role'
           FROM json_each(?1) AS r
          WHERE speakers.slug = r.value ->> 'slug'
            AND (speakers.name_ru IS NOT r.value ->> 'name_ru'
                 OR speakers.role IS NOT r.value ->> 'role')",
    )
    .bind(json(registry.speakers())?)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE forums SET name_ru = r.value ->> 'name_ru'
           FROM json_each(?1) AS r
          WHERE forums.slug = r.value ->> 'slug' AND forums.name_ru IS NOT r.value ->> 'name_ru'",
    )
    .bind(json(registry.forums())?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Defers full-text indexing of the turns and titles inserted from now until
/// [`index_deferred`], within the open transaction (see migration 0006): the batch is
/// then indexed in one pass per index, about twice as fast as row by row.
pub async fn defer_indexing(executor: impl SqliteExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT OR IGNORE INTO fts_defer (deferring) VALUES (1)")
        .execute(executor)
        .await?;
    Ok(())
}

/// Indexes what [`defer_indexing`] held back and ends the deferral; must run before the
/// transaction commits. Rowids go in ascending order, so FTS5 keeps appending to the
/// terms it holds in memory instead of flushing them.
pub async fn index_deferred(executor: impl SqliteExecutor<'_>) -> sqlx::Result<()> {
    sqlx::raw_sql(
        "INSERT INTO segments_fts (rowid, body)
              SELECT s.rowid, s.body FROM fts_deferred AS d JOIN segments AS s ON s.rowid = d.id
               WHERE d.source = 0 ORDER BY d.id;
         INSERT INTO segments_plain (rowid, body)
              SELECT s.rowid, s.body FROM fts_deferred AS d JOIN segments AS s ON s.rowid = d.id
               WHERE d.source = 0 ORDER BY d.id;
         INSERT INTO titles_fts (rowid, title)
              SELECT s.pk, s.title FROM fts_deferred AS d JOIN statements AS s ON s.pk = d.id
               WHERE d.source = 1 AND s.title IS NOT NULL ORDER BY d.id;
         INSERT INTO titles_plain (rowid, title)
              SELECT s.pk, s.title FROM fts_deferred AS d JOIN statements AS s ON s.pk = d.id
               WHERE d.source = 1 AND s.title IS NOT NULL ORDER BY d.id;
         DELETE FROM fts_deferred;
         DELETE FROM fts_defer;",
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Marks the archive as changed: the server's caches and ETags key on the generation.
pub async fn bump_generation(executor: impl SqliteExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE archive_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'",
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// The archive's generation: a number that grows with every change.
pub async fn generation(executor: impl SqliteExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT CAST(value AS INTEGER) FROM archive_meta WHERE key = 'generation'")
        .fetch_optional(executor)
        .await
        .map(Option::unwrap_or_default)
}

/// SQL expression of a stored statement as Contract 1's JSON object without its turns
/// (`segments` is `[]`), over `statements s`. SQLite assembles the object; `json(...)`
/// marks subquery results as JSON so they nest as arrays, not as strings.
pub const STATEMENT_HEAD_JSON: &str = "json_object(
    'id', s.id, 'title', s.title, 'date', s.date, 'time', s.time, 'place', s.place,
    'kind', s.kind, 'language', s.language, 'languages', json(s.languages),
    'source_number', s.source_number, 'source_url', s.source_url,
    'forums', json((SELECT json_group_array(
                json_object('slug', sf.forum, 'acronym', sf.acronym, 'name', sf.name)
                ORDER BY sf.position)
           FROM statement_forums sf WHERE sf.statement_pk = s.pk)),
    'speakers', json((SELECT json_group_array(
                json_object('slug', ss.speaker, 'name', ss.name) ORDER BY ss.position)
           FROM statement_speakers ss WHERE ss.statement_pk = s.pk)),
    'tags', json((SELECT json_group_array(t.tag ORDER BY t.position)
           FROM statement_tags t WHERE t.statement_pk = s.pk)),
    'segments', json('[]'))";

/// SQL expression of the turns of the statement `s` as a JSON array of [`TurnRow`]s.
pub const STATEMENT_TURNS_JSON: &str = "(SELECT json_group_array(json_array(g.n, g.kind,
        g.speaker, g.label, g.note, g.exchange, g.anchor, g.title, g.body) ORDER BY g.n)
   FROM segments g WHERE g.statement_pk = s.pk)";

/// The statement with this id, rebuilt from the tables as exactly the object the parser
/// produced (Contract 1), with the stored id. `None` when no statement has this id (it
/// may be an alias: see [`resolve_alias`]).
pub async fn load_statement(
    executor: impl SqliteExecutor<'_>,
    id: &str,
) -> sqlx::Result<Option<Statement>> {
    // One query: SQLite assembles the JSON, serde reads it back.
    let row: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT {STATEMENT_HEAD_JSON}, {STATEMENT_TURNS_JSON} FROM statements s WHERE s.id = ?1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|(head, turns)| statement_from_json(&head, &turns))
        .transpose()
}

/// The statement of a [`STATEMENT_HEAD_JSON`] object and its [`STATEMENT_TURNS_JSON`].
pub fn statement_from_json(head: &str, turns: &str) -> sqlx::Result<Statement> {
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    let mut statement: Statement = serde_json::from_str(head).map_err(decode)?;
    let turns: Vec<TurnRow> = serde_json::from_str(turns).map_err(decode)?;
    statement.segments = turns
        .into_iter()
        .map(
            |(n, kind, speaker, label, note, exchange, anchor, title, body)| Segment {
                n,
                kind,
                speaker,
                label,
                note,
                exchange,
                anchor,
                title,
                paragraphs: split_paragraphs(&body),
            },
        )
        .collect();
    Ok(statement)
}

/// A stored turn as [`load_statement`] reads it: the columns of `segments` in order.
pub type TurnRow = (
    u32,
    SegmentKind,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u32>,
    String,
    Option<String>,
    String,
);

/// The separator between a turn's paragraphs in `segments.body`.
const PARAGRAPH_BREAK: &str = "\n\n";

/// A turn's paragraphs as one text, as stored and indexed.
pub fn join_paragraphs(paragraphs: &[String]) -> String {
    paragraphs.join(PARAGRAPH_BREAK)
}

/// A turn's paragraphs back from its stored text: the inverse of [`join_paragraphs`],
/// since a paragraph is never empty and never holds a line break.
pub fn split_paragraphs(body: &str) -> Vec<String> {
    if body.is_empty() {
        return Vec::new();
    }
    body.split(PARAGRAPH_BREAK).map(str::to_owned).collect()
}

/// The id of the statement that `alias` was merged into, if it is an alias.
pub async fn resolve_alias(
    executor: impl SqliteExecutor<'_>,
    alias: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT statement_id FROM aliases WHERE alias = ?1")
        .bind(alias)
        .fetch_optional(executor)
        .await
}

/// Up to `limit` stored statements with their sources, after row key `after`, in order.
pub async fn sources_after(
    executor: impl SqliteExecutor<'_>,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<StoredSource>> {
    let rows = sqlx::query(
        "SELECT s.pk, s.id, src.file_name, src.format, src.codec, src.content, src.fields
           FROM statements s JOIN sources src ON src.statement_pk = s.pk
          WHERE s.pk > ?1 ORDER BY s.pk LIMIT ?2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|row| {
            let format: String = row.try_get("format")?;
            let format = SourceFormat::from_name(&format).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown source format {format:?}").into())
            })?;
            let fields: Option<String> = row.try_get("fields")?;
            let hints = fields
                .map(|f| serde_json::from_str(&f))
                .transpose()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok(StoredSource {
                pk: row.try_get("pk")?,
                id: row.try_get("id")?,
                source: Source {
                    file_name: row.try_get("file_name")?,
                    format,
                    content: unpack_content(row.try_get("codec")?, row.try_get_raw("content")?)?,
                    hints,
                },
            })
        })
        .collect()
}

/// The row key and text hash of the statement `id`.
pub async fn find_by_id(
    executor: impl SqliteExecutor<'_>,
    id: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT pk, text_hash FROM statements WHERE id = ?1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_keeps_only_words() {
        assert_eq!(
            normalise("  Foreign Minister Sergey Lavrov’s  remarks, Minsk,\u{a0}April 12, 2024 "),
            "foreign minister sergey lavrov s remarks minsk april 12 2024"
        );
        assert_eq!(
            normalise("Заявление МИД России — «О ситуации»"),
            "заявление мид россии о ситуации"
        );
        assert_eq!(normalise("…"), "");
    }
}
