//! `/statements.csv` and `/statements.jsonl`: the statement list's selection as a file.
//!
//! The filters are those of `/statements`, validated the same way; every matching
//! statement is exported, not one page. The body is streamed: a task reads the rows from
//! one SQLite statement and sends the encoded chunks through a small channel, so neither
//! the server nor the page cache holds the whole file.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use crate::export::{self, Encoder, Format};
use crate::web::cache::Streamed;
use crate::web::params::{Filters, RawParams, Sort};
use crate::web::{AppState, Error, Result};

/// Encoded chunks waiting for the client: with [`export::CHUNK`], bounds the memory
/// of a slow download.
const QUEUE: usize = 4;

/// `GET /statements.csv?forum=&speaker=&year=&kind=&lang=&sort=`.
pub async fn statements_csv(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    export_response(state, &raw, Format::Csv).await
}

/// `GET /statements.jsonl?forum=&speaker=&year=&kind=&lang=&sort=`.
pub async fn statements_jsonl(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    export_response(state, &raw, Format::Jsonl).await
}

async fn export_response(state: AppState, raw: &RawParams, format: Format) -> Result<Response> {
    let f = Filters::parse(raw, &state.db, &state.registry).await?;
    if f.sort == Some(Sort::Relevance) {
        return Err(Error::bad_request(
            "`sort=relevance` applies to searches; exports sort by newest or oldest.",
        ));
    }
    let query = export::selection(&f);
    let (tx, mut rx) = mpsc::channel::<std::io::Result<Bytes>>(QUEUE);
    let db = state.db.clone();
    let base_url = state.config.base_url.clone();
    tokio::spawn(async move {
        let mut encoder = Encoder::new(format, Some(&base_url));
        let written = export::write_export(&db, &query, &mut encoder, |chunk| {
            let tx = tx.clone();
            // `false` once the client is gone: the export stops reading rows.
            async move { Ok(tx.send(Ok(Bytes::from(chunk))).await.is_ok()) }
        })
        .await;
        if let Err(error) = written {
            tracing::error!(error = ?error, "export failed");
            // An error chunk aborts the response, so the client sees a broken download
            // rather than a file that looks complete.
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    let chunks = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let (content_type, file) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "communique-statements.csv"),
        Format::Jsonl => ("application/x-ndjson", "communique-statements.jsonl"),
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename={file}"))
        .map_err(|e| Error::Internal(e.into()))?;
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(chunks),
    )
        .into_response();
    response.extensions_mut().insert(Streamed);
    Ok(response)
}
