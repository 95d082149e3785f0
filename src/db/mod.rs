//! The SQLite archive: pool setup, migrations, and query functions per resource.

/// Read queries behind the web pages: lists, counts, speakers, forums, years.
pub mod browse;
/// Full-text search: matching turns, totals, facets and snippets.
pub mod search;
