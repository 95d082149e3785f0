//! The JSON API: statements, speakers and forums as lists and details, search, and the
//! statement object of Contract 1. Each handler answers from the same validation and
//! queries as its HTML page; the types here are also the OpenAPI document's schemas
//! ([`crate::web::openapi`]), so what is served and what is documented cannot drift.

use std::collections::HashMap;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::browse::{self, Count, ForumRow, RowDetails, SpeakerRow, StatementRow};
use crate::db::search as db_search;
use crate::model::{ForumRef, Kind, SegmentKind, SpeakerRef, Statement};
use crate::web::error::ErrorBody;
use crate::web::forums::{find_forum, forum_speakers, forum_years};
use crate::web::params::{prev_next, Filters, RawParams};
use crate::web::search::{hit_url, run as run_search, Outcome};
use crate::web::speakers::{find_speaker, speaker_forums, speaker_years};
use crate::web::statements::{find, list_page, Found};
use crate::web::{moved, path_param, AppState, Result};

/// Where a list page stands: its number and size, how many results there are in all,
/// and the paths of the pages before and after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Pagination {
    /// This page's number, from 1.
    #[schema(minimum = 1)]
    pub page: u32,
    /// Results per page (1 to 100).
    #[schema(minimum = 1, maximum = 100)]
    pub limit: u32,
    /// Results on every page together.
    #[schema(minimum = 0)]
    pub total: i64,
    /// Path of the next page, or `null` on the last.
    pub next: Option<String>,
    /// Path of the previous page, or `null` on the first.
    pub prev: Option<String>,
}

impl Pagination {
    /// The pagination of `path` for these filters and this total.
    fn of(f: &Filters, path: &str, extra: &[(&str, &str)], total: i64) -> Pagination {
        let (prev, next) = prev_next(f, path, extra, total);
        Pagination {
            page: f.page,
            limit: f.limit,
            total,
            next,
            prev,
        }
    }
}

/// A page of a JSON list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListResponse<T> {
    /// This page's results.
    pub results: Vec<T>,
    /// Where this page stands.
    pub pagination: Pagination,
}

/// A statement as lists show it; `api_url` has the whole object.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementSummary {
    /// Stable public id.
    pub id: String,
    /// Title, or `null` when the page had none.
    pub title: Option<String>,
    /// Date of the statement.
    pub date: Option<NaiveDate>,
    /// Local time `HH:MM`.
    #[schema(pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub time: Option<String>,
    /// Place named in the title.
    pub place: Option<String>,
    /// What sort of statement it is.
    pub kind: Kind,
    /// ISO 639-1 code of its text.
    pub language: String,
    /// Forums, in title order.
    pub forums: Vec<ForumRef>,
    /// Speakers, in order of first appearance.
    pub speakers: Vec<SpeakerRef>,
    /// Number of question/answer exchanges.
    #[schema(minimum = 0)]
    pub exchanges: i64,
    /// Number of answers (an exchange may have more than one).
    #[schema(minimum = 0)]
    pub answers: i64,
    /// Path of the statement's page.
    pub url: String,
    /// Path of the statement's JSON object.
    pub api_url: String,
}

impl StatementSummary {
    fn new(row: StatementRow, details: Option<RowDetails>) -> StatementSummary {
        let details = details.unwrap_or(RowDetails {
            time: None,
            forums: Vec::new(),
            exchanges: 0,
            answers: 0,
        });
        StatementSummary {
            url: format!("/statements/{}", row.id),
            api_url: format!("/api/statements/{}", row.id),
            title: row.title,
            date: row.date.as_deref().and_then(|d| d.parse().ok()),
            time: details.time,
            place: row.place,
            kind: row.kind,
            language: row.language,
            forums: details.forums,
            speakers: row
                .speakers
                .into_iter()
                .map(|(slug, name)| SpeakerRef { slug, name })
                .collect(),
            exchanges: details.exchanges,
            answers: details.answers,
            id: row.id,
        }
    }
}

/// A value (a forum, a speaker) with a number of statements or hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NamedCount {
    /// Slug of the forum or speaker.
    pub slug: String,
    /// A forum's acronym, a speaker's name.
    pub name: String,
    /// Statements (or, in search facets, hits) with this value.
    #[schema(minimum = 1)]
    pub count: i64,
}

impl From<&Count> for NamedCount {
    fn from(c: &Count) -> NamedCount {
        NamedCount {
            slug: c.key.clone(),
            name: c.label.clone(),
            count: c.count,
        }
    }
}

/// A year with a number of statements or hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// Statements (or, in search facets, hits) of that year.
    #[schema(minimum = 1)]
    pub count: i64,
}

fn year_counts(counts: &[Count]) -> Vec<YearCount> {
    counts
        .iter()
        .filter_map(|c| {
            Some(YearCount {
                year: c.key.parse().ok()?,
                count: c.count,
            })
        })
        .collect()
}

/// A speaker in the list of speakers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpeakerSummary {
    /// Slug, e.g. `sergey-lavrov`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Russian name, when the registry has it.
    pub name_ru: Option<String>,
    /// Role, when the registry has it.
    pub role: Option<String>,
    /// Statements they speak in.
    #[schema(minimum = 0)]
    pub statements: i64,
    /// Path of their page.
    pub url: String,
    /// Path of their JSON object.
    pub api_url: String,
}

impl From<&SpeakerRow> for SpeakerSummary {
    fn from(p: &SpeakerRow) -> SpeakerSummary {
        SpeakerSummary {
            slug: p.slug.clone(),
            name: p.name.clone(),
            name_ru: p.name_ru.clone(),
            role: p.role.clone(),
            statements: p.statements,
            url: format!("/speakers/{}", p.slug),
            api_url: format!("/api/speakers/{}", p.slug),
        }
    }
}

/// One speaker: who they are and where and when they spoke.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpeakerDetail {
    /// Slug, e.g. `sergey-lavrov`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Russian name, when the registry has it.
    pub name_ru: Option<String>,
    /// Role, when the registry has it.
    pub role: Option<String>,
    /// Statements they speak in.
    #[schema(minimum = 0)]
    pub statements: i64,
    /// Answers they gave.
    #[schema(minimum = 0)]
    pub answers: i64,
    /// Forums they spoke at, with their statements at each, most first; `name` is the
    /// forum's acronym.
    pub forums: Vec<NamedCount>,
    /// Years they spoke in, with their statements in each, latest first.
    pub years: Vec<YearCount>,
    /// Path of their page.
    pub url: String,
    /// Path of their statements as a JSON list.
    pub statements_url: String,
}

/// A forum in the list of forums.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ForumSummary {
    /// Slug, e.g. `csto`.
    pub slug: String,
    /// Acronym, e.g. `CSTO`.
    pub acronym: String,
    /// Full English name.
    pub name: String,
    /// Russian name, when the registry has it.
    pub name_ru: Option<String>,
    /// Statements made at the forum.
    #[schema(minimum = 0)]
    pub statements: i64,
    /// Path of its page.
    pub url: String,
    /// Path of its JSON object.
    pub api_url: String,
}

impl From<&ForumRow> for ForumSummary {
    fn from(f: &ForumRow) -> ForumSummary {
        ForumSummary {
            slug: f.slug.clone(),
            acronym: f.acronym.clone(),
            name: f.name.clone(),
            name_ru: f.name_ru.clone(),
            statements: f.statements,
            url: format!("/forums/{}", f.slug),
            api_url: format!("/api/forums/{}", f.slug),
        }
    }
}

/// One forum: its names, who spoke there and in which years.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ForumDetail {
    /// Slug, e.g. `csto`.
    pub slug: String,
    /// Acronym, e.g. `CSTO`.
    pub acronym: String,
    /// Full English name.
    pub name: String,
    /// Russian name, when the registry has it.
    pub name_ru: Option<String>,
    /// Statements made at the forum.
    #[schema(minimum = 0)]
    pub statements: i64,
    /// Who spoke there, with the number of its statements each speaks in, most first.
    pub speakers: Vec<NamedCount>,
    /// Years with statements at the forum, latest first.
    pub years: Vec<YearCount>,
    /// Path of its page.
    pub url: String,
    /// Path of its statements as a JSON list.
    pub statements_url: String,
}

/// The statement a search hit belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitStatement {
    /// Public id.
    pub id: String,
    /// Title, or `null`.
    pub title: Option<String>,
    /// Date of the statement.
    pub date: Option<NaiveDate>,
    /// Forum slugs, in title order.
    pub forums: Vec<String>,
}

/// The turn a search hit lands on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitSegment {
    /// Position in the statement, from 1.
    #[schema(minimum = 1)]
    pub n: i64,
    /// What the turn is (never a heading).
    pub kind: SegmentKind,
    /// Speaker slug, or `null` for the press or an unnamed host.
    pub speaker: Option<String>,
    /// Exchange number, or `null` outside exchanges.
    pub exchange: Option<i64>,
    /// Anchor of the turn in the statement's page.
    pub anchor: String,
}

/// One matching turn.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TurnHit {
    /// The statement.
    pub statement: HitStatement,
    /// The turn.
    pub segment: HitSegment,
    /// Path of the turn: the statement's page with the turn's anchor.
    pub url: String,
    /// HTML: escaped text around the matches, each in `<mark>`, the only markup.
    pub snippet: String,
}

/// One matching statement (`group=statement`), represented by its best-matching turn.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementHit {
    /// The statement.
    pub statement: HitStatement,
    /// How many of its turns match.
    #[schema(minimum = 1)]
    pub hits: i64,
    /// The best-matching turn.
    pub segment: HitSegment,
    /// Path of that turn.
    pub url: String,
    /// HTML: escaped text around the matches, each in `<mark>`, the only markup.
    pub snippet: String,
}

/// A search result: a turn, or with `group=statement` a statement.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SearchResult {
    /// One result per matching turn.
    Turn(TurnHit),
    /// One result per matching statement.
    Statement(StatementHit),
}

/// Counts of every matching hit by forum, speaker and year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchFacets {
    /// By forum, most first; `name` is the acronym.
    pub forum: Vec<NamedCount>,
    /// By speaker of the turn, most first; press questions have no bucket.
    pub speaker: Vec<NamedCount>,
    /// By year, in date order.
    pub year: Vec<YearCount>,
}

/// What a search found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The query as given.
    pub query: String,
    /// This page's hits.
    pub results: Vec<SearchResult>,
    /// Where this page stands; `total` counts turns (statements when grouped).
    pub pagination: Pagination,
    /// Counts of all hits, not only this page's.
    pub facets: SearchFacets,
}

impl SearchResponse {
    fn of(o: &Outcome) -> SearchResponse {
        let results = o
            .results
            .hits
            .iter()
            .map(|h| {
                let statement = HitStatement {
                    id: h.statement.id.clone(),
                    title: h.statement.title.clone(),
                    date: h.statement.date.as_deref().and_then(|d| d.parse().ok()),
                    forums: h.statement.forums.clone(),
                };
                let segment = HitSegment {
                    n: h.segment.n,
                    // Search never lands on headings; remarks is the neutral turn.
                    kind: SegmentKind::from_name(&h.segment.kind).unwrap_or(SegmentKind::Remarks),
                    speaker: h.segment.speaker.clone(),
                    exchange: h.segment.exchange,
                    anchor: h.segment.anchor.clone(),
                };
                let url = hit_url(h);
                let snippet = h.snippet.clone();
                match h.hits {
                    Some(hits) => SearchResult::Statement(StatementHit {
                        statement,
                        hits,
                        segment,
                        url,
                        snippet,
                    }),
                    None => SearchResult::Turn(TurnHit {
                        statement,
                        segment,
                        url,
                        snippet,
                    }),
                }
            })
            .collect();
        let named = |b: &[db_search::Bucket]| -> Vec<NamedCount> {
            b.iter()
                .map(|b| NamedCount {
                    slug: b.key.clone(),
                    name: b.name.clone(),
                    count: b.count,
                })
                .collect()
        };
        let years = o
            .results
            .facets
            .year
            .iter()
            .filter_map(|b| {
                Some(YearCount {
                    year: b.key.parse().ok()?,
                    count: b.count,
                })
            })
            .collect();
        SearchResponse {
            query: o.q.clone(),
            results,
            pagination: Pagination::of(&o.filters, "/api/search", &o.extra(), o.results.total),
            facets: SearchFacets {
                forum: named(&o.results.facets.forum),
                speaker: named(&o.results.facets.speaker),
                year: years,
            },
        }
    }
}

/// Order of a statement list.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    /// Latest date first (the default).
    Newest,
    /// Earliest date first.
    Oldest,
}

/// Order of search results.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first (the default).
    Relevance,
    /// Latest statements first.
    Newest,
    /// Earliest statements first.
    Oldest,
}

/// Kinds of turn a search can be narrowed to.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Turn {
    /// Answers.
    Answer,
    /// Questions.
    Question,
    /// Remarks.
    Remarks,
}

/// How search results are grouped.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// One result per statement, with its best-matching turn.
    Statement,
}

/// The parameters of `/api/statements` (and `/statements`). Every one is optional; an
/// empty value means absent; values are case-insensitive.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
// Read by the document only: handlers parse the query with `RawParams` and `Filters`,
// which also take empty values as absent and name the parameter in every 400.
#[allow(dead_code)]
pub struct ListParams {
    /// Only statements made at this forum (a slug such as `csto`).
    #[param(pattern = "^[A-Za-z0-9_-]{1,100}$", example = "csto")]
    forum: Option<String>,
    /// Only statements in which this person speaks (a slug such as `sergey-lavrov`).
    #[param(pattern = "^[A-Za-z0-9_-]{1,100}$", example = "sergey-lavrov")]
    speaker: Option<String>,
    /// Only statements of this year.
    #[param(minimum = 1000, maximum = 9999)]
    year: Option<i32>,
    /// Only statements of this kind.
    kind: Option<Kind>,
    /// Only statements in this language (ISO 639-1).
    #[param(pattern = "^[A-Za-z]{2}$")]
    lang: Option<String>,
    /// Order: `newest` (the default) or `oldest`.
    sort: Option<ListSort>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u32>,
    /// Results per page, 20 by default; more than 100 is read as 100.
    #[param(schema_with = limit_schema)]
    limit: Option<u64>,
}

/// The paging parameters of `/api/speakers` and `/api/forums`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
// Read by the document only: handlers parse the query with `RawParams` and `Filters`,
// which also take empty values as absent and name the parameter in every 400.
#[allow(dead_code)]
pub struct PageParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u32>,
    /// Results per page, 20 by default; more than 100 is read as 100.
    #[param(schema_with = limit_schema)]
    limit: Option<u64>,
}

/// The parameters of `/api/search` (and `/search`). Every one is optional; an empty
/// value means absent.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
// Read by the document only: handlers parse the query with `RawParams` and `Filters`,
// which also take empty values as absent and name the parameter in every 400.
#[allow(dead_code)]
pub struct SearchParams {
    /// The query: words, `"a phrase"`, `prefix*`, `-excluded`, `a OR b`. What the query
    /// language cannot read is searched as plain words; without a query nothing is found.
    #[param(max_length = 1000, example = "INF Treaty")]
    q: Option<String>,
    /// Only turns of statements made at this forum.
    #[param(pattern = "^[A-Za-z0-9_-]{1,100}$")]
    forum: Option<String>,
    /// Only turns this person speaks.
    #[param(pattern = "^[A-Za-z0-9_-]{1,100}$")]
    speaker: Option<String>,
    /// Only statements of this year.
    #[param(minimum = 1000, maximum = 9999)]
    year: Option<i32>,
    /// Only statements from this day on (`YYYY-MM-DD`).
    from: Option<NaiveDate>,
    /// Only statements up to this day (`YYYY-MM-DD`); not before `from`.
    to: Option<NaiveDate>,
    /// Only statements of this kind.
    kind: Option<Kind>,
    /// Only turns of this kind.
    turn: Option<Turn>,
    /// Only statements in this language (ISO 639-1).
    #[param(pattern = "^[A-Za-z]{2}$")]
    lang: Option<String>,
    /// Order: `relevance` (the default), `newest` or `oldest`.
    sort: Option<SearchSort>,
    /// `statement`: one result per statement instead of one per turn.
    group: Option<Group>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<u32>,
    /// Results per page, 20 by default; more than 100 is read as 100.
    #[param(schema_with = limit_schema)]
    limit: Option<u64>,
}

/// `limit`: any whole number from 1, as a larger one is read as 100 however large.
fn limit_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .minimum(Some(1))
        .build()
}

/// Only `page` and `limit` of a query, for lists that take no filters.
fn paging(raw: &RawParams) -> Result<Filters> {
    let kept = raw
        .0
        .iter()
        .filter(|(k, _)| k == "page" || k == "limit")
        .cloned()
        .collect();
    Filters::parse_syntax(&RawParams(kept))
}

/// A page of an in-memory list.
fn page_of<'a, T>(all: &'a [T], f: &Filters) -> impl Iterator<Item = &'a T> {
    let skip = usize::try_from(f.offset()).unwrap_or(usize::MAX);
    all.iter().skip(skip).take(f.limit as usize)
}

/// Statements, filtered and paginated.
///
/// The same list, filters and validation as the `/statements` page.
#[utoipa::path(
    get,
    path = "/api/statements",
    tag = "statements",
    params(ListParams),
    responses(
        (status = 200, description = "A page of statements, newest first unless `sort=oldest`.",
         body = ListResponse<StatementSummary>,
         links(("first_statement" = (operation_id = "statement",
             parameters(("id" = "$response.body#/results/0/id")),
             description = "The first statement of the page, whole.")))),
        (status = 400, description = "A malformed parameter or an unknown forum or speaker.",
         body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn statements(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let page = list_page(&state, &raw).await?;
    let ids: Vec<String> = page.rows.iter().map(|r| r.id.clone()).collect();
    let mut details: HashMap<String, RowDetails> = browse::row_details(&state.db, &ids).await?;
    let results = page
        .rows
        .into_iter()
        .map(|r| {
            let d = details.remove(&r.id);
            StatementSummary::new(r, d)
        })
        .collect();
    let pagination = Pagination::of(&page.filters, "/api/statements", &[], page.total);
    Ok(Json(ListResponse {
        results,
        pagination,
    })
    .into_response())
}

/// One whole statement, turn by turn.
///
/// The object `communique parse` prints; an id merged into another answers 301.
#[utoipa::path(
    get,
    path = "/api/statements/{id}",
    tag = "statements",
    params(("id" = String, Path, description = "The statement's id.",
        example = "2018-06-11-answers-to-media-questions-csto-council-of-foreign-ministers-meeting")),
    responses(
        (status = 200, description = "The whole statement, as `communique parse` prints it.",
         body = Statement),
        (status = 301, description = "The id was merged into another statement's; `Location` has its path.",
         headers(("Location" = String, description = "Path of the surviving statement's object."))),
        (status = 404, description = "No statement has this id.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn statement(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let id = path_param(id)?;
    match find(&state, &id).await? {
        Found::Statement(s) => Ok(Json(s).into_response()),
        Found::Moved(target) => Ok(moved(&format!("/api/statements/{target}"))),
    }
}

/// People with statements.
#[utoipa::path(
    get,
    path = "/api/speakers",
    tag = "speakers",
    params(PageParams),
    responses(
        (status = 200, description = "People with statements, most statements first.",
         body = ListResponse<SpeakerSummary>,
         links(("first_speaker" = (operation_id = "speaker",
             parameters(("slug" = "$response.body#/results/0/slug")),
             description = "The first speaker of the page.")))),
        (status = 400, description = "A malformed `page` or `limit`.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn speakers(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let f = paging(&raw)?;
    let overview = state.overview().await?;
    let all = &overview.speakers;
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    Ok(Json(ListResponse {
        results: page_of(all, &f).map(SpeakerSummary::from).collect(),
        pagination: Pagination::of(&f, "/api/speakers", &[], total),
    })
    .into_response())
}

/// One speaker: numbers, forums and years.
#[utoipa::path(
    get,
    path = "/api/speakers/{slug}",
    tag = "speakers",
    params(("slug" = String, Path, description = "The speaker's slug, case-insensitive.",
        example = "sergey-lavrov")),
    responses(
        (status = 200, description = "The speaker.", body = SpeakerDetail,
         links(("their_statements" = (operation_id = "statements",
             parameters(("speaker" = "$response.body#/slug")),
             description = "The statements in which they speak (`statements_url`).")))),
        (status = 404, description = "No speaker has this slug.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn speaker(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let p = find_speaker(&state, &slug).await?;
    let forums = speaker_forums(&state, &p.slug).await?;
    let years = speaker_years(&state, &p.slug).await?;
    Ok(Json(SpeakerDetail {
        url: format!("/speakers/{}", p.slug),
        statements_url: format!("/api/statements?speaker={}", p.slug),
        forums: forums.iter().map(NamedCount::from).collect(),
        years: year_counts(&years),
        slug: p.slug,
        name: p.name,
        name_ru: p.name_ru,
        role: p.role,
        statements: p.statements,
        answers: p.answers,
    })
    .into_response())
}

/// Forums with statements.
#[utoipa::path(
    get,
    path = "/api/forums",
    tag = "forums",
    params(PageParams),
    responses(
        (status = 200, description = "Forums with statements, most statements first.",
         body = ListResponse<ForumSummary>,
         links(("first_forum" = (operation_id = "forum",
             parameters(("slug" = "$response.body#/results/0/slug")),
             description = "The first forum of the page.")))),
        (status = 400, description = "A malformed `page` or `limit`.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn forums(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let f = paging(&raw)?;
    let overview = state.overview().await?;
    let all = &overview.forums;
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    Ok(Json(ListResponse {
        results: page_of(all, &f).map(ForumSummary::from).collect(),
        pagination: Pagination::of(&f, "/api/forums", &[], total),
    })
    .into_response())
}

/// One forum: numbers, speakers and years.
#[utoipa::path(
    get,
    path = "/api/forums/{slug}",
    tag = "forums",
    params(("slug" = String, Path, description = "The forum's slug, case-insensitive.",
        example = "csto")),
    responses(
        (status = 200, description = "The forum.", body = ForumDetail,
         links(("its_statements" = (operation_id = "statements",
             parameters(("forum" = "$response.body#/slug")),
             description = "The statements made at the forum (`statements_url`).")))),
        (status = 404, description = "No forum has this slug.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn forum(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let f = find_forum(&state, &slug).await?;
    let speakers = forum_speakers(&state, &f.slug).await?;
    let years = forum_years(&state, &f.slug).await?;
    Ok(Json(ForumDetail {
        url: format!("/forums/{}", f.slug),
        statements_url: format!("/api/statements?forum={}", f.slug),
        speakers: speakers.iter().map(NamedCount::from).collect(),
        years: year_counts(&years),
        slug: f.slug,
        acronym: f.acronym,
        name: f.name,
        name_ru: f.name_ru,
        statements: f.statements,
    })
    .into_response())
}

/// Full-text search over every turn.
///
/// The same search, parameters and validation as the `/search` page.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of hits with the facets of all hits. Each hit is \
         a turn (`TurnHit`), or with `group=statement` a statement (`StatementHit`).",
         body = SearchResponse,
         links(("first_hit_statement" = (operation_id = "statement",
             parameters(("id" = "$response.body#/results/0/statement/id")),
             description = "The statement of the first hit, whole.")))),
        (status = 400, description = "A malformed parameter, an unknown forum or speaker, \
         or a query over 1,000 characters.", body = ErrorBody),
        (status = 500, description = "The server failed.", body = ErrorBody),
    )
)]
pub async fn search(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let o = run_search(&state, &raw).await?;
    Ok(Json(SearchResponse::of(&o)).into_response())
}

/// The page describing the API to people.
#[derive(askama::Template)]
#[template(path = "api.html")]
pub struct ApiPage {
    layout: crate::web::Layout,
    /// The server's absolute URL, for the `curl` examples.
    base: String,
}

/// `GET /api`: the API described for people.
pub async fn page(State(state): State<AppState>) -> Result<Response> {
    let mut layout = crate::web::Layout::new("JSON API");
    layout.canonical = Some(format!("{}/api", state.config.base_url));
    crate::web::html(&ApiPage {
        layout,
        base: state.config.base_url.to_string(),
    })
}
