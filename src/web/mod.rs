//! The axum web server: router, state, errors, pages and JSON.
