//! The SQLite archive: pool setup, migrations, and query functions per resource.

/// Full-text search: matching turns, totals, facets and snippets.
pub mod search;
