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
         ORDER BY rule, pk",
    )
    .bind(&keys.language)
    .bind(&keys.source_number)
    .bind(&keys.date)
    .bind(&keys.norm_title)
    .bind(&keys.text_hash)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let rule = match row.try_get::<i64, _>("rule")? {
                0 => Rule::Number,
                1 => Rule::DateTitle,
                _ => Rule::TextHash,
            };
            Ok(Candidate {
                pk: row.try_get("pk")?,
                id: row.try_get("id")?,
                source_number: row.try_get("source_number")?,
                text_hash: row.try_get("text_hash")?,
                rule,
            })
        })
        .collect()
}

/// `base` when no statement or alias holds it, else the first free `base-2`, `base-3`, ...
pub async fn free_id(conn: &mut SqliteConnection, base: &str) -> sqlx::Result<String> {
    // Only ids of the form `base-<digit>...` can be taken suffixes: a range scan on the
    // unique index, so a common base (`undated-...`) does not read the whole table.
    let taken: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM statements WHERE id = ?1 OR (id >= ?1 || '-0' AND id < ?1 || '-:')
         UNION ALL
         SELECT alias FROM aliases WHERE alias = ?1 OR (alias >= ?1 || '-0' AND alias < ?1 || '-:')",
    )
    .bind(base)
    .fetch_all(&mut *conn)
    .await?;
    if !taken.iter().any(|id| id == base) {
        return Ok(base.to_string());
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
    Ok(format!("{base}-{n}"))
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

fn json<T: Serialize + ?Sized>(value: &T) -> sqlx::Result<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Inserts a new statement under `id` (see [`free_id`]); returns its row key.
pub async fn insert_statement(
    conn: &mut SqliteConnection,
    id: &str,
    statement: &Statement,
    keys: &Keys,
    source: &Source,
) -> sqlx::Result<i64> {
    let pk: i64 = sqlx::query_scalar(
        "INSERT INTO statements (id, title, norm_title, date, year, time, place, kind, language,
                                 languages, source_number, source_url, text_hash,
                                 imported_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, CAST(substr(?4, 1, 4) AS INTEGER), ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                 ?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         RETURNING pk",
    )
    .bind(id)
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
    .fetch_one(&mut *conn)
    .await?;
    insert_parts(conn, pk, statement).await?;
    save_source(conn, pk, source).await?;
    Ok(pk)
}

/// Replaces the content of the statement at `pk` with `statement`, keeping its id; the
/// source is replaced too when given (an import), kept when not (a re-parse).
pub async fn replace_statement(
    conn: &mut SqliteConnection,
    pk: i64,
    statement: &Statement,
    keys: &Keys,
    source: Option<&Source>,
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
        let rows: Vec<SegmentRow<'_>> = statement
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
            .collect();
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

async fn save_source(conn: &mut SqliteConnection, pk: i64, source: &Source) -> sqlx::Result<()> {
    let fields = source.hints.as_ref().map(json).transpose()?;
    sqlx::query(
        "INSERT INTO sources (statement_pk, file_name, format, content, fields)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (statement_pk) DO UPDATE
            SET file_name = excluded.file_name, format = excluded.format,
                content = excluded.content, fields = excluded.fields",
    )
    .bind(pk)
    .bind(&source.file_name)
    .bind(source.format.as_str())
    .bind(&source.content)
    .bind(fields)
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

/// The statement with this id, rebuilt from the tables as exactly the object the parser
/// produced (Contract 1), with the stored id. `None` when no statement has this id (it
/// may be an alias: see [`resolve_alias`]).
pub async fn load_statement(
    executor: impl SqliteExecutor<'_>,
    id: &str,
) -> sqlx::Result<Option<Statement>> {
    // One query: SQLite assembles the JSON object, serde reads it back. `json(...)` marks
    // subquery results as JSON so they nest as arrays, not as strings.
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT json_object(
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
            'segments', json('[]')),
            (SELECT json_group_array(json_array(g.n, g.kind, g.speaker, g.label, g.note,
                        g.exchange, g.anchor, g.title, g.body) ORDER BY g.n)
               FROM segments g WHERE g.statement_pk = s.pk)
           FROM statements s WHERE s.id = ?1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?;
    let Some((head, turns)) = row else {
        return Ok(None);
    };
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    let mut statement: Statement = serde_json::from_str(&head).map_err(decode)?;
    let turns: Vec<TurnRow> = serde_json::from_str(&turns).map_err(decode)?;
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
    Ok(Some(statement))
}

/// A stored turn as [`load_statement`] reads it: the columns of `segments` in order.
type TurnRow = (
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
        "SELECT s.pk, s.id, src.file_name, src.format, src.content, src.fields
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
                    content: row.try_get("content")?,
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
