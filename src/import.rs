//! Files into the database: parse in parallel, write one statement per savepoint.
