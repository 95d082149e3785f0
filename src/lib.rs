//! Communique: a self-hosted archive of diplomatic statements.
//!
//! Files are parsed into [`model::Statement`]s by a pure parser, written to one SQLite
//! file by the importer, and served as pages, JSON and search by an axum server.

/// Command-line interface.
pub mod cli;
/// Synthetic page saves for benchmarks and tests: seeded, repeatable byte for byte.
pub mod corpus;
/// Research datasets: CSV and JSON rows of statements, read one row at a time.
pub mod dataset;
/// The SQLite archive: pool, migrations and query functions per resource.
pub mod db;
/// Exports: statements as JSON Lines (re-importable) or CSV, streamed row by row.
pub mod export;
/// Files into the database: identity, one transaction per statement.
pub mod import;
/// The domain types: statements, turns, speakers, forums.
pub mod model;
/// Text in, `Statement` out: headers, labels, turns, footers, dates. Pure, no I/O.
pub mod parse;
/// Forums and speakers: built-in data files merged with the user's own.
pub mod registry;
/// Full-text search: the query language, translated into safe FTS5 expressions.
pub mod search;
/// Decoding, normalising, transliterating and slugging text.
pub mod text;
/// The axum web server: router, pages, JSON API.
pub mod web;
