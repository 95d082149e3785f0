//! Text in, [`Statement`] out: the parser for the ministry's transcript pages.

use crate::model::{Hints, Statement};
use crate::registry::Registry;

/// Why a file could not be read as a statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Empty or whitespace only.
    #[error("empty")]
    Empty,
    /// Holds NUL bytes.
    #[error("binary")]
    Binary,
    /// Neither valid UTF-8 nor plausible Windows-1251.
    #[error("not UTF-8 or Windows-1251 text")]
    Encoding,
    /// Only navigation residue, no statement text.
    #[error("no statement text")]
    NoText,
}

/// Decodes and parses one file's bytes.
pub fn parse_bytes(bytes: &[u8], registry: &Registry) -> Result<Statement, ParseError> {
    let text = crate::text::decode(bytes)?;
    parse_text(&text, registry)
}

/// Parses a decoded page save.
pub fn parse_text(text: &str, registry: &Registry) -> Result<Statement, ParseError> {
    parse_with_hints(text, &Hints::default(), registry)
}

/// Parses text with facts from outside it (a dataset row) filling the fields it leaves empty.
pub fn parse_with_hints(
    text: &str,
    hints: &Hints,
    registry: &Registry,
) -> Result<Statement, ParseError> {
    let _ = (text, hints, registry);
    Err(ParseError::NoText)
}
