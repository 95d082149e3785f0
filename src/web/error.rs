//! One error type for every handler: a status, a public message, and for pages an HTML
//! error page, for `/api/*` the JSON error object of Contract 2.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Result of a handler.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such statement, exchange, speaker, forum or route.
    #[error("{0}")]
    NotFound(String),
    /// A malformed or unknown parameter; the message says which and why.
    #[error("{0}")]
    BadRequest(String),
    /// The database failed; details are logged, never shown.
    #[error("database error")]
    Db(#[from] sqlx::Error),
    /// A template failed to render.
    #[error("template error")]
    Render(#[from] askama::Error),
    /// Anything else that is the server's fault.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
    /// The request took longer than the server allows.
    #[error("The request took too long; try again, or narrow it.")]
    Timeout,
}

impl Error {
    /// A 404 with this message.
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::NotFound(message.into())
    }

    /// A 400 with this message.
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::BadRequest(message.into())
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Db(_) | Error::Render(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Error::Timeout => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The machine-readable code of Contract 2.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::BadRequest(_) => ErrorCode::BadRequest,
            _ => ErrorCode::Internal,
        }
    }
}

/// The machine-readable kind of an API error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A malformed or unknown parameter (400), or a method other than GET or HEAD (405).
    BadRequest,
    /// No such statement, speaker, forum or route (404).
    NotFound,
    /// The server failed (500); the details are in its log.
    Internal,
}

/// The body of every API error: `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for programs and for people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The kind of error.
    pub code: ErrorCode,
    /// A sentence saying which parameter was wrong and why, or what was not found.
    pub message: String,
}

/// What the error middleware needs to render an error, left in the response's extensions
/// so the same error becomes HTML or JSON depending on the route.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// `bad_request`, `not_found` or `internal`.
    pub code: ErrorCode,
    /// The message shown to the client.
    pub message: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if matches!(self, Error::Timeout) {
            self.to_string()
        } else if status.is_server_error() {
            // The cause stays in the log; the client learns only that it was our fault.
            tracing::error!(error = ?self, "request failed");
            "Something went wrong on the server.".to_owned()
        } else {
            self.to_string()
        };
        let info = ErrorInfo {
            code: self.code(),
            message,
        };
        let mut response = (status, info.message.clone()).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

/// The HTML error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    /// Shared layout values.
    pub layout: crate::web::Layout,
    /// HTTP status code.
    pub status: u16,
    /// Reason phrase of the status.
    pub reason: &'a str,
    /// The message.
    pub message: &'a str,
}

/// Turns an error left by a handler into the body the route calls for: JSON under
/// `/api/`, an HTML page elsewhere.
pub fn render(status: StatusCode, info: &ErrorInfo, api: bool) -> Response {
    if api {
        let body = ErrorBody {
            error: ErrorDetail {
                code: info.code,
                message: info.message.clone(),
            },
        };
        return (status, axum::Json(body)).into_response();
    }
    let page = ErrorPage {
        layout: crate::web::Layout::new(status.canonical_reason().unwrap_or("Error")),
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("Error"),
        message: &info.message,
    };
    match page.render() {
        Ok(html) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "error page failed to render");
            (status, info.message.clone()).into_response()
        }
    }
}
