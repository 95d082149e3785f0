//! Forums: the list of multilateral bodies and each forum's page with its statements and
//! the people who spoke there.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::db::browse::{self, Count, ForumRow};
use crate::web::params::{prev_next, Filters, RawParams};
use crate::web::statements::{choices, list_query, page_count, Choice, RowView};
use crate::web::{html, path_param, AppState, Error, Layout, Result};

/// Every forum.
#[derive(Template)]
#[template(path = "forums.html")]
pub struct ForumsPage {
    layout: Layout,
    forums: Vec<ForumRow>,
}

/// `GET /forums`.
pub async fn list_forums(State(state): State<AppState>) -> Result<Response> {
    html(&ForumsPage {
        layout: Layout::new("Forums").section("forums"),
        forums: state.overview().await?.forums.clone(),
    })
}

/// The forum with this slug (case-insensitive), or a 404.
pub async fn find_forum(state: &AppState, slug: &str) -> Result<ForumRow> {
    let key = slug.to_lowercase();
    let forum = state
        .memo(format!("forum {key}"), || browse::forum(&state.db, &key))
        .await?;
    forum
        .as_ref()
        .clone()
        .ok_or_else(|| Error::not_found(format!("There is no forum `{slug}` in the archive.")))
}

/// Who spoke at the forum `slug`, with their numbers of statements there (once per generation).
pub async fn forum_speakers(state: &AppState, slug: &str) -> Result<Arc<Vec<Count>>> {
    Ok(state
        .memo(format!("forum speakers {slug}"), || {
            browse::forum_speakers(&state.db, slug)
        })
        .await?)
}

/// The years of the forum `slug`'s statements, with counts (once per generation).
pub async fn forum_years(state: &AppState, slug: &str) -> Result<Arc<Vec<Count>>> {
    Ok(state
        .memo(format!("forum years {slug}"), || {
            browse::years(&state.db, Some(slug), None)
        })
        .await?)
}

/// One forum, its statements and who spoke there.
#[derive(Template)]
#[template(path = "forum.html")]
pub struct ForumPage {
    layout: Layout,
    forum: ForumRow,
    href: String,
    rows: Vec<RowView>,
    total: i64,
    page: u32,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    speakers: Vec<Count>,
    speaker_choices: Vec<Choice>,
    years: Vec<Choice>,
    filtered: bool,
}

/// `GET /forums/{slug}?year=&speaker=&page=&limit=`.
pub async fn show_forum(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    raw: RawParams,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let db = &state.db;
    let forum = find_forum(&state, &slug).await?;
    let mut f = Filters::parse(&raw, db, &state.registry).await?;
    f.forum = Some(forum.slug.clone());
    let mut q = list_query(&f);
    q.kind = None;
    q.lang = None;
    let (rows, total) = state.list_statements(&q).await?;
    let href = format!("/forums/{}", forum.slug);
    let mut link_filters = f.clone();
    link_filters.forum = None;
    let (prev, next) = prev_next(&link_filters, &href, &[], total);
    let speakers = forum_speakers(&state, &forum.slug).await?;
    let speaker_choices = choices(&speakers, f.speaker.as_deref());
    let years = choices(
        &forum_years(&state, &forum.slug).await?,
        f.year.map(|y| y.to_string()).as_deref(),
    );
    html(&ForumPage {
        layout: Layout::new(format!("{} — {}", forum.acronym, forum.name))
            .section("forums")
            .feed(
                format!("{} statements (Atom)", forum.acronym),
                format!("{href}/feed.atom"),
            ),
        filtered: f.speaker.is_some() || f.year.is_some(),
        href,
        rows: rows.into_iter().map(RowView::from).collect(),
        total,
        page: f.page,
        pages: page_count(total, f.limit),
        prev,
        next,
        speakers: speakers.as_ref().clone(),
        speaker_choices,
        years,
        forum,
    })
}
