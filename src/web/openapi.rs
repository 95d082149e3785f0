//! The OpenAPI 3.1 document of the JSON API, generated from the handlers and the types
//! they serialize, and served at `/api/openapi.json`.
//!
//! Every object the API answers has all its keys, always (`null` for unknown values,
//! `[]` for empty lists), and no others; [`Strict`] writes that into the document, so a
//! client or a fuzzer can hold the server to it.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{Modify, OpenApi};

use crate::web::api;

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Communique API",
        description = "Diplomatic statements as JSON: lists of statements, speakers and \
            forums, whole statements turn by turn, and full-text search that lands on the exact \
            answer. Every list answers `{\"results\": [...], \"pagination\": {...}}`; every error \
            `{\"error\": {\"code\", \"message\"}}` with the matching status. Paths in responses \
            (`url`, `api_url`, `next`, `prev`) are relative to the server.",
        license(name = "MIT"),
    ),
    paths(
        api::statements,
        api::statement,
        api::speakers,
        api::speaker,
        api::forums,
        api::forum,
        api::search,
        document,
    ),
    components(schemas(
        api::TurnHit,
        api::StatementHit,
        api::ListSort,
        api::SearchSort,
        api::Turn,
        api::Group,
    )),
    modifiers(&Strict),
    tags(
        (name = "statements", description = "Statements: filtered lists and whole statements."),
        (name = "speakers", description = "People and what they said."),
        (name = "forums", description = "Multilateral forums (CIS, CSTO, ...) and their statements."),
        (name = "search", description = "Full-text search over every turn."),
        (name = "meta", description = "This document."),
    )
)]
pub struct ApiDoc;

/// Closes every object schema: all its properties required, no others allowed.
pub struct Strict;

impl Modify for Strict {
    fn modify(&self, doc: &mut Document) {
        if let Some(components) = doc.components.as_mut() {
            for schema in components.schemas.values_mut() {
                close(schema);
            }
        }
    }
}

fn close(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            if !object.properties.is_empty() {
                object.required = object.properties.keys().cloned().collect();
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
            for property in object.properties.values_mut() {
                close(property);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                close(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(close),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(close),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(close),
        _ => {}
    }
}

/// The document as JSON, built once.
pub static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    camel_case_links(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap_or_default()
});

/// utoipa 5 writes a response link's fields in snake case (`operation_id`), which
/// OpenAPI tools do not read; they are renamed to the specification's `operationId`,
/// `operationRef` and `requestBody`.
fn camel_case_links(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    let Value::Object(link) = link else { continue };
                    for (from, to) in [
                        ("operation_id", "operationId"),
                        ("operation_ref", "operationRef"),
                        ("request_body", "requestBody"),
                    ] {
                        if let Some(v) = link.remove(from) {
                            link.insert(to.to_owned(), v);
                        }
                    }
                }
            }
            map.values_mut().for_each(camel_case_links);
        }
        Value::Array(items) => items.iter_mut().for_each(camel_case_links),
        _ => {}
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "This document (OpenAPI 3.1).", body = Object,
         content_type = "application/json"),
    )
)]
pub async fn document() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}
