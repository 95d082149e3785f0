//! Read queries behind the pages: statement lists with filters and counts, speakers,
//! forums, years, aliases and the archive generation. Every user value is a bound parameter.

use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteExecutor, SqlitePool};

use crate::model::Kind;

/// A statement as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    /// Public id.
    pub id: String,
    /// Title, if the page had one.
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Place from the title.
    pub place: Option<String>,
    /// Statement kind.
    pub kind: Kind,
    /// ISO 639-1 code.
    pub language: String,
    /// Forums, in title order: slug and acronym.
    pub forums: Vec<(String, String)>,
    /// Speakers, in order of appearance: slug and name.
    pub speakers: Vec<(String, String)>,
}

/// Filters of a statement list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Forum slug.
    pub forum: Option<String>,
    /// Speaker slug.
    pub speaker: Option<String>,
    /// Calendar year.
    pub year: Option<i32>,
    /// Statement kind.
    pub kind: Option<Kind>,
    /// Language code.
    pub lang: Option<String>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Rows per page.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// A forum with its number of statements.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ForumRow {
    /// Slug, e.g. `csto`.
    pub slug: String,
    /// Acronym, e.g. `CSTO`.
    pub acronym: String,
    /// Full English name.
    pub name: String,
    /// Russian name.
    pub name_ru: Option<String>,
    /// Statements made at this forum.
    pub statements: i64,
}

/// A speaker with their numbers of statements and answers.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SpeakerRow {
    /// Slug, e.g. `sergey-lavrov`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Russian name.
    pub name_ru: Option<String>,
    /// Role from the registry.
    pub role: Option<String>,
    /// Statements they speak in.
    pub statements: i64,
    /// Answer turns they gave (counted on the speaker's own page only; 0 in lists).
    pub answers: i64,
}

/// A value with the number of statements that have it (a year, a forum, a speaker).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Count {
    /// The value: a year, or a slug.
    pub key: String,
    /// Its label: the year again, an acronym or a name.
    pub label: String,
    /// Number of statements.
    pub count: i64,
}

/// Number of statements in the archive.
pub async fn statement_count(db: impl SqliteExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM statements")
        .fetch_one(db)
        .await
}

/// Whether the archive knows this forum (slug compared case-insensitively).
pub async fn forum_exists(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM forums WHERE slug = lower(?))")
        .bind(slug)
        .fetch_one(db)
        .await
}

/// Whether the archive knows this speaker (slug compared case-insensitively).
pub async fn speaker_exists(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM speakers WHERE slug = lower(?))")
        .bind(slug)
        .fetch_one(db)
        .await
}

/// Appends the `WHERE` clause of a statement list over `statements s`: every filter of `q`
/// as a bound parameter (limit, offset and order are the caller's).
pub fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &ListQuery) {
    qb.push(" WHERE 1 = 1");
    if let Some(forum) = &q.forum {
        qb.push(" AND s.pk IN (SELECT statement_pk FROM statement_forums WHERE forum = ")
            .push_bind(forum.clone())
            .push(")");
    }
    if let Some(speaker) = &q.speaker {
        qb.push(" AND s.pk IN (SELECT statement_pk FROM statement_speakers WHERE speaker = ")
            .push_bind(speaker.clone())
            .push(")");
    }
    if let Some(year) = q.year {
        qb.push(" AND s.year = ").push_bind(year);
    }
    if let Some(kind) = q.kind {
        qb.push(" AND s.kind = ").push_bind(kind.as_str());
    }
    if let Some(lang) = &q.lang {
        qb.push(" AND s.language = ").push_bind(lang.clone());
    }
}

#[derive(FromRow)]
struct RawRow {
    id: String,
    title: Option<String>,
    date: Option<String>,
    place: Option<String>,
    kind: String,
    language: String,
    forums: String,
    speakers: String,
}

/// Columns of a list row; the forums and speakers come as JSON arrays of pairs.
const ROW_COLUMNS: &str = "s.id, s.title, s.date, s.place, s.kind, s.language, \
    (SELECT json_group_array(json_array(slug, acronym)) FROM \
        (SELECT f.slug, f.acronym FROM statement_forums sf JOIN forums f ON f.slug = sf.forum \
         WHERE sf.statement_pk = s.pk ORDER BY sf.position)) AS forums, \
    (SELECT json_group_array(json_array(slug, name)) FROM \
        (SELECT p.slug, p.name FROM statement_speakers ss JOIN speakers p ON p.slug = ss.speaker \
         WHERE ss.statement_pk = s.pk ORDER BY ss.position)) AS speakers";

impl From<RawRow> for StatementRow {
    fn from(r: RawRow) -> StatementRow {
        StatementRow {
            id: r.id,
            title: r.title,
            date: r.date,
            place: r.place,
            kind: Kind::from_name(&r.kind).unwrap_or(Kind::Other),
            language: r.language,
            forums: serde_json::from_str(&r.forums).unwrap_or_default(),
            speakers: serde_json::from_str(&r.speakers).unwrap_or_default(),
        }
    }
}

/// The `ORDER BY` clause of statement lists (and exports), newest or oldest first.
pub fn list_order(oldest_first: bool) -> &'static str {
    // Both orders follow the `statements_date (date DESC, pk)` index, forwards or
    // backwards, so a page is an index walk rather than a sort of every match. Undated
    // statements sort below every date: last when newest first, first when oldest first.
    if oldest_first {
        " ORDER BY s.date ASC, s.pk DESC"
    } else {
        " ORDER BY s.date DESC, s.pk ASC"
    }
}

/// One page of statements matching the filters, and how many match in all.
pub async fn list_statements(
    db: &SqlitePool,
    q: &ListQuery,
) -> sqlx::Result<(Vec<StatementRow>, i64)> {
    let total = count_statements(db, q).await?;
    Ok((page_statements(db, q).await?, total))
}

/// How many statements match the filters (paging ignored).
pub async fn count_statements(db: &SqlitePool, q: &ListQuery) -> sqlx::Result<i64> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM statements s");
    push_filters(&mut count, q);
    count.build_query_scalar().fetch_one(db).await
}

/// The page of statements matching the filters that `q.offset` and `q.limit` select.
pub async fn page_statements(db: &SqlitePool, q: &ListQuery) -> sqlx::Result<Vec<StatementRow>> {
    let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT {ROW_COLUMNS} FROM statements s"));
    push_filters(&mut qb, q);
    qb.push(list_order(q.oldest_first));
    qb.push(" LIMIT ")
        .push_bind(q.limit)
        .push(" OFFSET ")
        .push_bind(q.offset);
    let rows: Vec<RawRow> = qb.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(StatementRow::from).collect())
}

/// Every forum with at least one statement, most statements first.
pub async fn forums(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<ForumRow>> {
    sqlx::query_as(
        "SELECT f.slug, f.acronym, f.name, f.name_ru, count(*) AS statements \
         FROM forums f JOIN statement_forums sf ON sf.forum = f.slug \
         GROUP BY f.slug ORDER BY statements DESC, f.acronym",
    )
    .fetch_all(db)
    .await
}

/// One forum by slug (case-insensitive), with its number of statements.
pub async fn forum(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<Option<ForumRow>> {
    sqlx::query_as(
        "SELECT f.slug, f.acronym, f.name, f.name_ru, \
         (SELECT count(*) FROM statement_forums sf WHERE sf.forum = f.slug) AS statements \
         FROM forums f WHERE f.slug = lower(?)",
    )
    .bind(slug)
    .fetch_optional(db)
    .await
}

const SPEAKER_COLUMNS: &str = "p.slug, p.name, p.name_ru, p.role, \
    (SELECT count(*) FROM statement_speakers ss WHERE ss.speaker = p.slug) AS statements, \
    (SELECT count(*) FROM segments g WHERE g.speaker = p.slug AND g.kind = 'answer') AS answers";

/// Every speaker with at least one statement, most statements first. Answers are not
/// counted here: that needs a scan of every turn, so only a speaker's own page does it.
pub async fn speakers(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<SpeakerRow>> {
    sqlx::query_as(
        "SELECT p.slug, p.name, p.name_ru, p.role, st.n AS statements, 0 AS answers \
         FROM speakers p \
         JOIN (SELECT speaker, count(*) AS n FROM statement_speakers GROUP BY speaker) st \
           ON st.speaker = p.slug \
         ORDER BY statements DESC, p.name",
    )
    .fetch_all(db)
    .await
}

/// One speaker by slug (case-insensitive), with their numbers of statements and answers.
pub async fn speaker(db: impl SqliteExecutor<'_>, slug: &str) -> sqlx::Result<Option<SpeakerRow>> {
    sqlx::query_as(&format!(
        "SELECT {SPEAKER_COLUMNS} FROM speakers p WHERE p.slug = lower(?)"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// Years with statements and their counts, latest first, optionally within a forum or
/// for a speaker.
pub async fn years(
    db: impl SqliteExecutor<'_>,
    forum: Option<&str>,
    speaker: Option<&str>,
) -> sqlx::Result<Vec<Count>> {
    sqlx::query_as(
        "SELECT CAST(s.year AS TEXT) AS key, CAST(s.year AS TEXT) AS label, count(*) AS count \
         FROM statements s WHERE s.year IS NOT NULL \
         AND (?1 IS NULL OR s.pk IN (SELECT statement_pk FROM statement_forums WHERE forum = ?1)) \
         AND (?2 IS NULL OR s.pk IN (SELECT statement_pk FROM statement_speakers WHERE speaker = ?2)) \
         GROUP BY s.year ORDER BY s.year DESC",
    )
    .bind(forum)
    .bind(speaker)
    .fetch_all(db)
    .await
}

/// Who spoke at a forum, with the number of its statements each speaks in.
pub async fn forum_speakers(db: impl SqliteExecutor<'_>, forum: &str) -> sqlx::Result<Vec<Count>> {
    sqlx::query_as(
        "SELECT p.slug AS key, p.name AS label, count(*) AS count \
         FROM statement_forums sf \
         JOIN statement_speakers ss ON ss.statement_pk = sf.statement_pk \
         JOIN speakers p ON p.slug = ss.speaker \
         WHERE sf.forum = ? GROUP BY p.slug ORDER BY count DESC, p.name",
    )
    .bind(forum)
    .fetch_all(db)
    .await
}

/// The forums a speaker spoke at, with the number of their statements at each.
pub async fn speaker_forums(
    db: impl SqliteExecutor<'_>,
    speaker: &str,
) -> sqlx::Result<Vec<Count>> {
    sqlx::query_as(
        "SELECT f.slug AS key, f.acronym AS label, count(*) AS count \
         FROM statement_speakers ss \
         JOIN statement_forums sf ON sf.statement_pk = ss.statement_pk \
         JOIN forums f ON f.slug = sf.forum \
         WHERE ss.speaker = ? GROUP BY f.slug ORDER BY count DESC, f.acronym",
    )
    .bind(speaker)
    .fetch_all(db)
    .await
}

/// Languages of the archive with their counts.
pub async fn languages(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<Count>> {
    sqlx::query_as(
        "SELECT language AS key, language AS label, count(*) AS count FROM statements \
         GROUP BY language ORDER BY count DESC",
    )
    .fetch_all(db)
    .await
}

/// What a JSON list adds to a list row: the time, the forums with their full names (as
/// the statement's own object gives them) and the statement's numbers of exchanges and
/// answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowDetails {
    /// `HH:MM`.
    pub time: Option<String>,
    /// Forums in title order.
    pub forums: Vec<crate::model::ForumRef>,
    /// Question/answer exchanges.
    pub exchanges: i64,
    /// Answer turns.
    pub answers: i64,
}

/// [`RowDetails`] of the statements with these ids, by id; a page's worth at a time, as
/// each count walks only that statement's turns (`UNIQUE (statement_pk, n)`).
pub async fn row_details(
    db: impl SqliteExecutor<'_>,
    ids: &[String],
) -> sqlx::Result<std::collections::HashMap<String, RowDetails>> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    let rows: Vec<(String, Option<String>, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.time, \
           (SELECT json_group_array(json_object('slug', sf.forum, 'acronym', sf.acronym, \
                                                'name', sf.name) ORDER BY sf.position) \
              FROM statement_forums sf WHERE sf.statement_pk = s.pk), \
           (SELECT count(DISTINCT g.exchange) FROM segments g WHERE g.statement_pk = s.pk), \
           (SELECT count(*) FROM segments g WHERE g.statement_pk = s.pk AND g.kind = 'answer') \
         FROM statements s WHERE s.id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, time, forums, exchanges, answers)| {
            let details = RowDetails {
                time,
                forums: serde_json::from_str(&forums).unwrap_or_default(),
                exchanges,
                answers,
            };
            (id, details)
        })
        .collect())
}
