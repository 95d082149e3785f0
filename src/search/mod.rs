//! Full-text search: the query language and what a search asks of the archive.

pub mod query;

pub use query::{Plan, Query, Term};
