//! People: the list of speakers and each speaker's page with their statements.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::db::browse::{self, Count, SpeakerRow};
use crate::web::params::{prev_next, Filters, RawParams};
use crate::web::statements::{choices, list_query, page_count, Choice, RowView};
use crate::web::{html, path_param, AppState, Error, Layout, Result};

/// Every speaker.
#[derive(Template)]
#[template(path = "speakers.html")]
pub struct SpeakersPage {
    layout: Layout,
    speakers: Vec<SpeakerRow>,
}

/// `GET /speakers`.
pub async fn list_speakers(State(state): State<AppState>) -> Result<Response> {
    html(&SpeakersPage {
        layout: Layout::new("Speakers").section("speakers"),
        speakers: state.overview().await?.speakers.clone(),
    })
}

/// The speaker with this slug (case-insensitive), or a 404.
pub async fn find_speaker(state: &AppState, slug: &str) -> Result<SpeakerRow> {
    let key = slug.to_lowercase();
    // Counting a speaker's answers reads an index entry per turn: once per generation.
    let speaker = state
        .memo(format!("speaker {key}"), || {
            browse::speaker(&state.db, &key)
        })
        .await?;
    speaker
        .as_ref()
        .clone()
        .ok_or_else(|| Error::not_found(format!("There is no speaker `{slug}` in the archive.")))
}

/// The forums the speaker `slug` spoke at, with counts (once per generation).
pub async fn speaker_forums(state: &AppState, slug: &str) -> Result<Arc<Vec<Count>>> {
    Ok(state
        .memo(format!("speaker forums {slug}"), || {
            browse::speaker_forums(&state.db, slug)
        })
        .await?)
}

/// The years of the speaker `slug`'s statements, with counts (once per generation).
pub async fn speaker_years(state: &AppState, slug: &str) -> Result<Arc<Vec<Count>>> {
    Ok(state
        .memo(format!("speaker years {slug}"), || {
            browse::years(&state.db, None, Some(slug))
        })
        .await?)
}

/// One speaker and their statements.
#[derive(Template)]
#[template(path = "speaker.html")]
pub struct SpeakerPage {
    layout: Layout,
    speaker: SpeakerRow,
    href: String,
    rows: Vec<RowView>,
    total: i64,
    page: u32,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    forums: Vec<Choice>,
    years: Vec<Choice>,
    filtered: bool,
}

/// `GET /speakers/{slug}?forum=&year=&page=&limit=`.
pub async fn show_speaker(
    State(state): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    raw: RawParams,
) -> Result<Response> {
    let slug = path_param(slug)?;
    let db = &state.db;
    let speaker = find_speaker(&state, &slug).await?;
    let mut f = Filters::parse(&raw, db, &state.registry).await?;
    f.speaker = Some(speaker.slug.clone());
    let mut q = list_query(&f);
    q.kind = None;
    q.lang = None;
    let (rows, total) = state.list_statements(&q).await?;
    let href = format!("/speakers/{}", speaker.slug);
    // The page's own path carries the speaker, so links leave the parameter out.
    let mut link_filters = f.clone();
    link_filters.speaker = None;
    let (prev, next) = prev_next(&link_filters, &href, &[], total);
    let forums = choices(
        &speaker_forums(&state, &speaker.slug).await?,
        f.forum.as_deref(),
    );
    let years = choices(
        &speaker_years(&state, &speaker.slug).await?,
        f.year.map(|y| y.to_string()).as_deref(),
    );
    html(&SpeakerPage {
        layout: Layout::new(speaker.name.clone()).section("speakers").feed(
            format!("Statements of {} (Atom)", speaker.name),
            format!("{href}/feed.atom"),
        ),
        filtered: f.forum.is_some() || f.year.is_some(),
        href,
        rows: rows.into_iter().map(RowView::from).collect(),
        total,
        page: f.page,
        pages: page_count(total, f.limit),
        prev,
        next,
        forums,
        years,
        speaker,
    })
}
