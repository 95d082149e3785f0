//! Atom feeds (RFC 4287): the whole archive, one forum, one speaker, and any search.
//!
//! - Every link in a feed is absolute, built from `--base-url`. Without that flag the
//!   server uses `http://` and its listen address: never the request's `Host` header,
//!   which the client controls and which would poison the page cache shared by everyone.
//! - Entries of the statement feeds are statements, newest first; entries of the search
//!   feed are the matching turns, linking to the turn's anchor (statements with
//!   `group=statement`), newest first unless `sort` says otherwise.
//! - An entry's id is its absolute permalink. Its `published` and `updated` instants are
//!   the statement's date and time, read as Moscow time (UTC+03:00: the ministry publishes
//!   in Moscow time), midnight when only the date is known. An undated statement has no
//!   `published`, and its `updated` is when the archive first imported it. The feed's
//!   `updated` is its latest entry's, or the archive's last import for an empty feed.
//! - Text goes through the XML escaper of the template, and characters XML 1.0 cannot
//!   hold (control characters a transcript may carry) are dropped first.

use std::collections::HashMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool};

use crate::db::browse::{self, ListQuery, StatementRow};
use crate::db::search::Hit;
use crate::model::Kind;
use crate::web::cite::PUBLISHER;
use crate::web::params::{prev_next, RawParams};
use crate::web::search;
use crate::web::statements::first_sentence;
use crate::web::{path_param, AppState, Error, Result};

/// Media type of every feed.
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";

/// Number of statements in a statement feed.
pub const FEED_ENTRIES: i64 = 50;

/// A page's feed: what `<link rel="alternate">` and the visible link show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Title of the feed, for feed readers' discovery.
    pub title: String,
    /// Path of the feed on this site.
    pub href: String,
}

/// The feed's `<category>`: a forum or the statement's kind.
#[derive(Debug, Clone)]
struct Category {
    term: String,
    label: String,
    scheme: String,
}

/// One `<entry>`, every string already cleaned for XML.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    title: String,
    link: String,
    lang: String,
    published: Option<String>,
    updated: String,
    updated_at: DateTime<FixedOffset>,
    authors: Vec<String>,
    summary: String,
    summary_html: bool,
    categories: Vec<Category>,
}

/// The whole feed document.
#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    id: String,
    title: String,
    subtitle: String,
    updated: String,
    self_href: String,
    alternate: String,
    /// Absolute links to the neighbouring pages of a paged feed (RFC 5005).
    prev: Option<String>,
    next: Option<String>,
    author: &'static str,
    version: &'static str,
    entries: Vec<Entry>,
}

/// What a feed is about, before its entries.
struct Head {
    title: String,
    subtitle: String,
    /// Path of the feed itself, with its query.
    self_path: String,
    /// Path of the HTML page it follows.
    alternate_path: String,
    /// Paths of the previous and next pages, for a search feed of several pages.
    pages: (Option<String>, Option<String>),
}

/// Drops the characters XML 1.0 cannot hold: C0 controls other than tab, line feed and
/// carriage return, and the non-characters U+FFFE and U+FFFF.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
}

fn rfc3339(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The instant a statement was made, when its date is known (see the module notes).
fn dated(date: Option<&str>, time: Option<&str>) -> Option<DateTime<FixedOffset>> {
    let date: NaiveDate = date?.parse().ok()?;
    let time = time
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        .unwrap_or(NaiveTime::MIN);
    date.and_time(time).and_local_timezone(moscow()).single()
}

fn epoch() -> DateTime<FixedOffset> {
    DateTime::from_timestamp(0, 0)
        .unwrap_or_default()
        .fixed_offset()
}

/// An import timestamp as stored (`2026-11-23T15:00:00Z`).
fn imported(at: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(at).unwrap_or_else(|_| epoch())
}

/// What an entry needs of a statement beyond a list row.
#[derive(Debug, Clone, FromRow)]
struct Meta {
    id: String,
    title: Option<String>,
    date: Option<String>,
    time: Option<String>,
    kind: String,
    language: String,
    imported_at: String,
    /// JSON array of `[slug, acronym, name]`.
    forums: String,
    /// JSON array of names.
    speakers: String,
    /// The start of the first answer, else of the first turn (paragraphs are separated
    /// by blank lines; the summary quotes the first).
    summary: Option<String>,
}

/// The entry metadata of these statements, by id.
async fn metas(db: &SqlitePool, ids: &[String]) -> sqlx::Result<HashMap<String, Meta>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT s.id, s.title, s.date, s.time, s.kind, s.language, s.imported_at, \
         (SELECT json_group_array(json_array(forum, acronym, name)) FROM \
            (SELECT sf.forum, sf.acronym, sf.name FROM statement_forums sf \
             WHERE sf.statement_pk = s.pk ORDER BY sf.position)) AS forums, \
         (SELECT json_group_array(name) FROM \
            (SELECT ss.name FROM statement_speakers ss \
             WHERE ss.statement_pk = s.pk ORDER BY ss.position)) AS speakers, \
         coalesce( \
            (SELECT substr(g.body, 1, 1000) FROM segments g \
             WHERE g.statement_pk = s.pk AND g.kind = 'answer' ORDER BY g.n LIMIT 1), \
            (SELECT substr(g.body, 1, 1000) FROM segments g \
             WHERE g.statement_pk = s.pk AND g.kind <> 'heading' ORDER BY g.n LIMIT 1)) \
            AS summary \
         FROM statements s WHERE s.id IN (",
    );
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    list.push_unseparated(")");
    let rows: Vec<Meta> = qb.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(|m| (m.id.clone(), m)).collect())
}

/// The time of the archive's last import, for the `updated` of an empty feed.
async fn last_import(db: &SqlitePool) -> sqlx::Result<DateTime<FixedOffset>> {
    let at: Option<String> = sqlx::query_scalar("SELECT max(updated_at) FROM statements")
        .fetch_one(db)
        .await?;
    Ok(at.as_deref().map(imported).unwrap_or_else(epoch))
}

/// The entry of a statement, without its link and summary decided yet.
fn entry(base: &str, m: &Meta) -> Entry {
    let permalink = format!("{base}/statements/{}", m.id);
    let published = dated(m.date.as_deref(), m.time.as_deref());
    let updated_at = published.unwrap_or_else(|| imported(&m.imported_at));
    let kind = Kind::from_name(&m.kind).unwrap_or(Kind::Other);
    let forums: Vec<(String, String, String)> = serde_json::from_str(&m.forums).unwrap_or_default();
    let speakers: Vec<String> = serde_json::from_str(&m.speakers).unwrap_or_default();
    let mut categories: Vec<Category> = forums
        .into_iter()
        .map(|(slug, acronym, name)| Category {
            label: xml_text(&format!("{acronym} ({name})")),
            term: xml_text(&slug),
            scheme: format!("{base}/forums/"),
        })
        .collect();
    categories.push(Category {
        term: kind.as_str().to_owned(),
        label: kind.label().to_owned(),
        scheme: format!("{base}/statements?kind="),
    });
    let title = m
        .title
        .clone()
        .unwrap_or_else(|| format!("Untitled statement {}", m.id));
    Entry {
        id: permalink.clone(),
        title: xml_text(&title),
        link: permalink,
        lang: xml_text(&m.language),
        published: published.map(rfc3339),
        updated: rfc3339(updated_at),
        updated_at,
        authors: speakers.iter().map(|s| xml_text(s)).collect(),
        summary: xml_text(&first_sentence(
            m.summary
                .as_deref()
                .and_then(|body| body.split("\n\n").next())
                .unwrap_or(""),
        )),
        summary_html: false,
        categories,
    }
}

/// Entries of these statement rows, in their order.
async fn statement_entries(state: &AppState, rows: &[StatementRow]) -> Result<Vec<Entry>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let metas = metas(&state.db, &ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| metas.get(id))
        .map(|m| entry(&state.config.base_url, m))
        .collect())
}

/// The entry of a search hit: the turn (or, grouped, the statement) with its snippet.
fn hit_entry(base: &str, hit: &Hit, meta: &Meta, grouped: bool) -> Entry {
    let mut e = entry(base, meta);
    let link = format!("{base}{}", search::hit_url(hit));
    let seg = &hit.segment;
    if !grouped {
        e.id = link.clone();
        let turn = match (seg.kind.as_str(), seg.exchange) {
            ("answer", Some(n)) => format!("Answer {n}"),
            ("question", Some(n)) => format!("Question {n}"),
            ("answer", None) => "Answer".to_owned(),
            ("question", None) => "Question".to_owned(),
            _ => "Remarks".to_owned(),
        };
        // `Sergey Lavrov, answer 3: Title`; a label that only names the turn
        // (`Question`, `Answer`) is not repeated: `Question 1: Title`.
        let who = seg
            .speaker_name
            .clone()
            .or_else(|| seg.label.clone())
            .filter(|w| !turn.to_lowercase().starts_with(&w.to_lowercase()));
        e.title = xml_text(&match who {
            Some(who) => format!("{who}, {}: {}", turn.to_lowercase(), e.title),
            None => format!("{turn}: {}", e.title),
        });
        // A turn is by its speaker; a press question falls back to the feed's author.
        e.authors = seg.speaker_name.iter().map(|n| xml_text(n)).collect();
    }
    e.link = link;
    e.summary = xml_text(&hit.snippet);
    e.summary_html = true;
    e
}

fn atom(
    head: &Head,
    state: &AppState,
    entries: Vec<Entry>,
    fallback: DateTime<FixedOffset>,
) -> Result<Response> {
    let base = &state.config.base_url;
    let updated = entries
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(fallback);
    let self_href = format!("{base}{}", head.self_path);
    let feed = Feed {
        id: self_href.clone(),
        title: xml_text(&head.title),
        subtitle: xml_text(&head.subtitle),
        updated: rfc3339(updated),
        self_href,
        alternate: format!("{base}{}", head.alternate_path),
        prev: head.pages.0.as_ref().map(|p| format!("{base}{p}")),
        next: head.pages.1.as_ref().map(|p| format!("{base}{p}")),
        author: PUBLISHER,
        version: env!("CARGO_PKG_VERSION"),
        entries,
    };
    let body = feed.render()?;
    Ok(([(header::CONTENT_TYPE, ATOM_TYPE)], body).into_response())
}

async fn statements_feed(state: &AppState, head: Head, q: ListQuery) -> Result<Response> {
    let (rows, _) = browse::list_statements(&state.db, &q).await?;
    let entries = statement_entries(state, &rows).await?;
    let fallback = last_import(&state.db).await?;
    atom(&head, state, entries, fallback)
}

fn latest(q: ListQuery) -> ListQuery {
    ListQuery {
        limit: FEED_ENTRIES,
        offset: 0,
        oldest_first: false,
        ..q
    }
}

/// `GET /feed.atom`: the latest statements of the whole archive.
pub async fn archive_feed(State(state): State<AppState>) -> Result<Response> {
    let head = Head {
        title: "Communique: latest statements".to_owned(),
        subtitle: "Statements, answers and briefings of the archive, newest first.".to_owned(),
        self_path: "/feed.atom".to_owned(),
        alternate_path: "/statements".to_owned(),
        pages: (None, None),
    };
    statements_feed(&state, head, latest(ListQuery::default())).await
}

/// `GET /forums/{slug}/feed.atom`: the latest statements made at one forum.
pub async fn forum_feed(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let Some(forum) = browse::forum(&state.db, &slug).await? else {
        return Err(Error::not_found(format!(
            "There is no forum `{slug}` in the archive."
        )));
    };
    let head = Head {
        title: format!("Communique: {} statements", forum.acronym),
        subtitle: format!("Statements made at the {}, newest first.", forum.name),
        self_path: format!("/forums/{}/feed.atom", forum.slug),
        alternate_path: format!("/forums/{}", forum.slug),
        pages: (None, None),
    };
    let q = latest(ListQuery {
        forum: Some(forum.slug),
        ..ListQuery::default()
    });
    statements_feed(&state, head, q).await
}

/// `GET /speakers/{slug}/feed.atom`: the latest statements a person speaks in.
pub async fn speaker_feed(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let Some(speaker) = browse::speaker(&state.db, &slug).await? else {
        return Err(Error::not_found(format!(
            "There is no speaker `{slug}` in the archive."
        )));
    };
    let head = Head {
        title: format!("Communique: {}", speaker.name),
        subtitle: format!("Statements of {}, newest first.", speaker.name),
        self_path: format!("/speakers/{}/feed.atom", speaker.slug),
        alternate_path: format!("/speakers/{}", speaker.slug),
        pages: (None, None),
    };
    let q = latest(ListQuery {
        speaker: Some(speaker.slug),
        ..ListQuery::default()
    });
    statements_feed(&state, head, q).await
}

/// `GET /search/feed.atom?q=…`: the search's results as a feed, with the parameters
/// and validation of `/search`; newest first unless `sort` is given.
pub async fn search_feed(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let sorted = raw.get("sort").is_some();
    let mut raw = raw;
    if !sorted {
        raw.0.push(("sort".to_owned(), "newest".to_owned()));
    }
    let o = search::run(&state, &raw).await?;
    // Links carry the parameters as given: the default order stays implicit.
    let mut shown = o.filters.clone();
    if !sorted {
        shown.sort = None;
    }
    let extra = o.extra();
    let head = Head {
        title: if o.q.trim().is_empty() {
            "Communique: search".to_owned()
        } else {
            format!("Communique: search for “{}”", o.q)
        },
        subtitle: format!(
            "{} matching {}.",
            o.results.total,
            if o.group { "statements" } else { "turns" }
        ),
        self_path: shown.page_link("/search/feed.atom", &extra, shown.page),
        alternate_path: shown.page_link("/search", &extra, shown.page),
        pages: prev_next(&shown, "/search/feed.atom", &extra, o.results.total),
    };
    let ids: Vec<String> = o
        .results
        .hits
        .iter()
        .map(|h| h.statement.id.clone())
        .collect();
    let metas = metas(&state.db, &ids).await?;
    let base = &state.config.base_url;
    let entries = o
        .results
        .hits
        .iter()
        .filter_map(|h| {
            metas
                .get(&h.statement.id)
                .map(|m| hit_entry(base, h, m, o.group))
        })
        .collect();
    let fallback = last_import(&state.db).await?;
    atom(&head, &state, entries, fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_drops_what_xml_cannot_hold_and_keeps_the_rest() {
        assert_eq!(
            xml_text("a\u{0}b\u{1}c\u{b}d\u{c}e\u{1f}\tf\ng\rh\u{FFFE}\u{FFFF}é<&"),
            "abcde\tf\ng\rhé<&"
        );
    }

    #[test]
    fn instants_are_moscow_time_with_midnight_for_dates_alone() {
        assert_eq!(
            dated(Some("2018-06-11"), Some("11:50")).map(rfc3339),
            Some("2018-06-11T11:50:00+03:00".to_owned())
        );
        assert_eq!(
            dated(Some("2018-06-11"), None).map(rfc3339),
            Some("2018-06-11T00:00:00+03:00".to_owned())
        );
        assert_eq!(
            dated(Some("2018-06-11"), Some("25:99")).map(rfc3339),
            Some("2018-06-11T00:00:00+03:00".to_owned())
        );
        assert_eq!(dated(None, Some("11:50")), None);
        assert_eq!(
            rfc3339(imported("2026-11-23T15:00:00Z")),
            "2026-11-23T15:00:00Z"
        );
        assert_eq!(rfc3339(imported("garbage")), "1970-01-01T00:00:00Z");
    }
}
