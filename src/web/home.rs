//! `/`: the archive at a glance: latest statements, forums, speakers, years.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::db::browse::{self, Count, ForumRow, ListQuery, SpeakerRow};
use crate::web::statements::RowView;
use crate::web::{html, AppState, Layout, Result};

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    total: i64,
    rows: Vec<RowView>,
    forums: Vec<ForumRow>,
    speakers: Vec<SpeakerRow>,
    years: Vec<Count>,
}

/// `GET /`.
pub async fn show_home(State(state): State<AppState>) -> Result<Response> {
    let db = &state.db;
    let (rows, total) = browse::list_statements(
        db,
        &ListQuery {
            limit: 10,
            ..ListQuery::default()
        },
    )
    .await?;
    let overview = state.overview().await?;
    html(&HomePage {
        layout: Layout::new("An archive of diplomatic statements")
            .feed("Latest statements (Atom)", "/feed.atom"),
        total,
        rows: rows.into_iter().map(RowView::from).collect(),
        forums: overview.forums.clone(),
        speakers: overview.speakers.iter().take(12).cloned().collect(),
        years: overview.years.clone(),
    })
}
