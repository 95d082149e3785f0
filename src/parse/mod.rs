//! Text in, [`Statement`] out: the parser for the ministry's transcript pages.
//!
//! One pass over the lines: the header (breadcrumbs, date line, title, document number,
//! language versions), the footer (tags, residue), then the body's paragraphs as turns.

mod body;
mod dates;
mod footer;
mod header;
mod id;
mod labels;
mod lines;
mod title;

pub use id::derive_id;

use crate::model::{Hints, Kind, Statement};
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
    if text.contains('\0') {
        return Err(ParseError::Binary);
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(ParseError::Empty);
    }
    let mut all = lines::split(text);
    let mut head = header::read(&all, labels::looks_like_label, hints.title.is_none());
    let (body_lines, mut tags) = footer::split(all.split_off(head.body_start.min(all.len())));
    let mut paragraphs = lines::paragraphs(&body_lines, labels::looks_like_label);
    if paragraphs.is_empty() {
        // A page without a title line whose only text sits where a title would: that
        // text is the statement, not its title (unless it is footer residue itself).
        let (first, count) = head.title_lines.ok_or(ParseError::NoText)?;
        head.title = None;
        let mut lines = all.split_off(first);
        lines.truncate(count);
        lines.extend(body_lines);
        let (lines, more_tags) = footer::split(lines);
        tags.splice(0..0, more_tags);
        paragraphs = lines::paragraphs(&lines, labels::looks_like_label);
        if paragraphs.is_empty() {
            return Err(ParseError::NoText);
        }
    }

    let title = head
        .title
        .or_else(|| hints.title.as_deref().and_then(header::clean_title));
    let facts = title.as_deref().map(title::facts).unwrap_or_default();
    let kind = title.as_deref().map_or(Kind::Other, title::kind);

    let mut title_speakers: Vec<crate::model::SpeakerRef> = title
        .as_deref()
        .map(|t| registry.speakers_in_title(t))
        .unwrap_or_default()
        .into_iter()
        .map(|s| crate::model::SpeakerRef {
            slug: s.slug.clone(),
            name: s.name.clone(),
        })
        .collect();
    if let Some(t) = title.as_deref() {
        title_speakers = body::speaking_in_title(t, title_speakers, registry);
    }
    if title_speakers.is_empty() {
        if let Some(name) = hints.speaker.as_deref().filter(|n| !n.trim().is_empty()) {
            title_speakers.push(match registry.match_speaker(name) {
                Some(s) => crate::model::SpeakerRef {
                    slug: s.slug.clone(),
                    name: s.name.clone(),
                },
                None => crate::model::SpeakerRef {
                    slug: crate::text::slugify(name),
                    name: name.trim().to_string(),
                },
            });
        }
    }

    let ctx = body::Ctx {
        registry,
        title: title.as_deref(),
        kind,
        title_speakers: &title_speakers,
    };
    let fallback = paragraphs.first().cloned();
    let body = body::build(paragraphs, &ctx);
    if body.segments.iter().all(|s| s.paragraphs.is_empty()) {
        return Err(ParseError::NoText);
    }

    let mut speakers = title_speakers.clone();
    let mut listed: std::collections::HashSet<String> =
        speakers.iter().map(|s| s.slug.clone()).collect();
    for s in body.speakers {
        if listed.insert(s.slug.clone()) {
            speakers.push(s);
        }
    }
    let forums = match (kind, title.as_deref()) {
        (Kind::Interview | Kind::Briefing, _) | (_, None) => Vec::new(),
        (_, Some(t)) => registry
            .forums_in_title(t)
            .into_iter()
            .map(|f| crate::model::ForumRef {
                slug: f.slug.clone(),
                acronym: f.acronym.clone(),
                name: f.name.clone(),
            })
            .collect(),
    };
    let source_number = head.source_number.or_else(|| hints.source_number.clone());
    // `867-05-05-2023`: the document number ends with the day it was published.
    let number_date = source_number.as_deref().and_then(|n| {
        let mut parts = n.rsplitn(4, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    });
    let date = head.date.or(facts.date).or(number_date).or(hints.date);
    let language = hints
        .language
        .clone()
        .unwrap_or_else(|| detect_language(&body.segments));
    let mut languages = if head.languages.is_empty() {
        // A row may give locales (`ru-RU`); the statement lists ISO 639-1 codes.
        hints
            .languages
            .iter()
            .filter_map(|l| l.split(['-', '_']).next())
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        head.languages
    };
    languages.sort();
    languages.dedup();
    let title_head = title
        .as_deref()
        .map(|t| t.get(..facts.tail_start).unwrap_or(t));
    let id = derive_id(
        date,
        title_head,
        &title_speakers,
        registry,
        fallback.as_deref(),
    );

    Ok(Statement {
        id,
        title,
        date,
        time: head.time,
        place: facts.place,
        kind,
        language,
        languages,
        source_number,
        source_url: hints.source_url.clone(),
        forums,
        speakers,
        tags,
        segments: body.segments,
    })
}

/// `ru` when Cyrillic letters outnumber Latin ones in the text, else `en`.
fn detect_language(segments: &[crate::model::Segment]) -> String {
    let (mut cyr, mut lat) = (0usize, 0usize);
    'outer: for s in segments {
        for p in s.paragraphs.iter().chain(s.title.iter()) {
            for c in p.chars() {
                if ('\u{400}'..='\u{4ff}').contains(&c) {
                    cyr += 1;
                } else if c.is_ascii_alphabetic() {
                    lat += 1;
                }
            }
            if cyr + lat > 20_000 {
                break 'outer;
            }
        }
    }
    if cyr > lat { "ru" } else { "en" }.to_string()
}
