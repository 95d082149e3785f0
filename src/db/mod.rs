//! The SQLite archive: pool setup, migrations, and query functions per resource.
