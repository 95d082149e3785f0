//! Citations of a statement or of one exchange: the plain text shown on the pages, and
//! BibTeX and CSL-JSON downloads that reference managers (Zotero, biblatex, pandoc) import.
//!
//! Every citation points at the archive's own permalink, absolute from `--base-url`. The
//! access date (`urldate`, `accessed`) is the day of the download, so the downloads are
//! served `no-store` and kept out of the page cache.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Map, Value};

use crate::model::{Kind, SegmentKind, Statement};
use crate::web::statements::{find, human_date, Found};
use crate::web::{moved, path_param, AppState, Error, Result};

/// Who publishes the texts: the corporate author when no speaker is named, and the
/// publisher of every item.
pub const PUBLISHER: &str = "Ministry of Foreign Affairs of the Russian Federation";

/// Media type of the BibTeX download.
pub const BIBTEX_TYPE: &str = "application/x-bibtex; charset=utf-8";
/// Media type of the CSL-JSON download.
pub const CSL_TYPE: &str = "application/vnd.citationstyles.csl+json";

/// What a citation of a whole statement or of one exchange says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Stable key: the statement id, with `:answer-{e}` for an exchange.
    pub key: String,
    /// Display names of the authors: the statement's speakers, or an exchange's named
    /// answerers. Empty when nobody is named.
    pub authors: Vec<String>,
    /// The statement's title, or a stand-in for an untitled one.
    pub title: String,
    /// The exchange number, for the citation of one exchange.
    pub exchange: Option<u32>,
    /// Date of the statement.
    pub date: Option<NaiveDate>,
    /// Where it was said.
    pub place: Option<String>,
    /// What sort of statement it is.
    pub kind: Kind,
    /// ISO 639-1 code of the text.
    pub language: String,
    /// The ministry's document number.
    pub number: Option<String>,
    /// Absolute permalink.
    pub url: String,
}

impl Citation {
    /// The citation of a whole statement.
    pub fn of_statement(s: &Statement, base_url: &str) -> Citation {
        Citation {
            key: s.id.clone(),
            authors: s.speakers.iter().map(|p| p.name.clone()).collect(),
            title: title_of(s),
            exchange: None,
            date: s.date,
            place: s.place.clone(),
            kind: s.kind,
            language: s.language.clone(),
            number: s.source_number.clone(),
            url: format!("{base_url}/statements/{}", s.id),
        }
    }

    /// The citation of exchange `e`, authored by its named answerers; `None` when the
    /// statement has no such exchange.
    pub fn of_exchange(s: &Statement, e: u32, base_url: &str) -> Option<Citation> {
        if !s.segments.iter().any(|g| g.exchange == Some(e)) {
            return None;
        }
        let mut authors: Vec<String> = Vec::new();
        let answers = s
            .segments
            .iter()
            .filter(|g| g.exchange == Some(e) && g.kind == SegmentKind::Answer);
        for g in answers {
            let Some(slug) = &g.speaker else { continue };
            let name = s
                .speakers
                .iter()
                .find(|p| &p.slug == slug)
                .map(|p| p.name.clone())
                .or_else(|| g.label.clone())
                .unwrap_or_else(|| slug.clone());
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
        Some(Citation {
            key: format!("{}:answer-{e}", s.id),
            authors,
            exchange: Some(e),
            url: format!("{base_url}/statements/{}/answers/{e}", s.id),
            ..Citation::of_statement(s, base_url)
        })
    }

    /// The title a reference manager should show: the statement's, with the answer
    /// number for an exchange (as the exchange page's own title has it).
    pub fn item_title(&self) -> String {
        match self.exchange {
            Some(e) => format!("{} — answer {e}", self.title),
            None => self.title.clone(),
        }
    }

    /// The plain-text citation shown on the pages:
    /// `Speaker. “Title”, Place, 12 June 2018[, answer 3]. URL`.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        if !self.authors.is_empty() {
            out.push_str(&self.authors.join(" and "));
            out.push_str(". ");
        }
        out.push_str(&format!("“{}”", self.title));
        if let Some(place) = &self.place {
            out.push_str(&format!(", {place}"));
        }
        if let Some(date) = self.date {
            out.push_str(&format!(", {}", human_date(date)));
        }
        if let Some(e) = self.exchange {
            out.push_str(&format!(", answer {e}"));
        }
        out.push_str(&format!(". {}", self.url));
        out
    }

    /// A file name for the downloads, without extension: ASCII, no quotes or slashes.
    pub fn file_stem(&self) -> String {
        let stem: String = self
            .key
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
                _ => '-',
            })
            .collect();
        if stem.is_empty() {
            "citation".to_owned()
        } else {
            stem
        }
    }

    /// A biblatex `@misc` entry (also read by classic BibTeX). Text is UTF-8 with the
    /// BibTeX special characters escaped; `accessed` is the `urldate`.
    pub fn bibtex(&self, accessed: NaiveDate) -> String {
        let mut fields: Vec<(&str, String)> = Vec::new();
        let author = if self.authors.is_empty() {
            // Braced so the ministry's name is one corporate author, not split into names.
            format!("{{{}}}", bib_escape(PUBLISHER))
        } else {
            self.authors
                .iter()
                .map(|name| match split_name(name) {
                    Name::Personal { family, given } => {
                        format!("{}, {}", bib_escape(&family), bib_escape(&given))
                    }
                    Name::Literal(literal) => format!("{{{}}}", bib_escape(&literal)),
                })
                .collect::<Vec<_>>()
                .join(" and ")
        };
        fields.push(("author", braced(&author)));
        // Double braces keep the title's capitals (CSTO, Lavrov) under sentence-casing styles.
        fields.push((
            "title",
            format!("{{{{{}}}}}", bib_escape(&self.item_title())),
        ));
        if let Some(date) = self.date {
            fields.push(("date", braced(&date.format("%Y-%m-%d").to_string())));
            fields.push(("year", braced(&date.year().to_string())));
            fields.push(("month", MONTHS[date.month0() as usize].to_owned()));
        }
        if let Some(place) = &self.place {
            fields.push(("address", braced(&bib_escape(place))));
        }
        fields.push(("organization", braced(&bib_escape(PUBLISHER))));
        fields.push(("howpublished", braced(&bib_escape(PUBLISHER))));
        fields.push(("type", braced(&bib_escape(self.kind.label()))));
        if let Some(langid) = langid(&self.language) {
            fields.push(("langid", braced(langid)));
        }
        fields.push(("url", braced(&bib_url(&self.url))));
        fields.push(("urldate", braced(&accessed.format("%Y-%m-%d").to_string())));
        if let Some(number) = &self.number {
            fields.push(("note", braced(&format!("Document {}", bib_escape(number)))));
        }
        let key: String = self
            .key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        let mut out = format!("@misc{{{key},\n");
        for (name, value) in fields {
            out.push_str(&format!("  {name:<12} = {value},\n"));
        }
        out.push_str("}\n");
        out
    }

    /// The CSL-JSON item (an array of one), as the CSL 1.0 input schema defines it.
    pub fn csl_json(&self, accessed: NaiveDate) -> Value {
        let mut item = Map::new();
        item.insert("id".into(), self.key.clone().into());
        let kind = if self.kind == Kind::Interview {
            "interview"
        } else {
            "speech"
        };
        item.insert("type".into(), kind.into());
        item.insert("title".into(), clean(&self.item_title()).into());
        let authors: Vec<Value> = if self.authors.is_empty() {
            vec![json!({"literal": PUBLISHER})]
        } else {
            self.authors
                .iter()
                .map(|name| match split_name(name) {
                    Name::Personal { family, given } => json!({"family": family, "given": given}),
                    Name::Literal(literal) => json!({"literal": literal}),
                })
                .collect()
        };
        item.insert("author".into(), authors.into());
        if let Some(date) = self.date {
            item.insert("issued".into(), date_parts(date));
        }
        if let Some(place) = &self.place {
            item.insert("event-place".into(), clean(place).into());
        }
        item.insert("publisher".into(), PUBLISHER.into());
        item.insert("genre".into(), self.kind.label().into());
        item.insert("language".into(), self.language.clone().into());
        if let Some(number) = &self.number {
            item.insert("number".into(), clean(number).into());
        }
        item.insert("URL".into(), self.url.clone().into());
        item.insert("accessed".into(), date_parts(accessed));
        Value::Array(vec![Value::Object(item)])
    }
}

fn title_of(s: &Statement) -> String {
    s.title
        .clone()
        .unwrap_or_else(|| format!("Untitled statement {}", s.id))
}

fn date_parts(date: NaiveDate) -> Value {
    json!({"date-parts": [[date.year(), date.month(), date.day()]]})
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn braced(value: &str) -> String {
    format!("{{{value}}}")
}

/// biblatex language ids of the archive's languages.
fn langid(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "english",
        "ru" => "russian",
        "fr" => "french",
        "de" => "german",
        "es" => "spanish",
        "zh" => "chinese",
        "ar" => "arabic",
        _ => return None,
    })
}

/// A person's name as reference managers want it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// `Sergey Lavrov`: family `Lavrov`, given `Sergey`.
    Personal { family: String, given: String },
    /// A name of one word, kept whole.
    Literal(String),
}

/// Splits a display name at its last word, which is the family name of the Russian and
/// Western names the registry holds (`Sergey Lavrov`, `Maria Zakharova`).
fn split_name(name: &str) -> Name {
    let name = clean(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.split_last() {
        Some((family, given)) if !given.is_empty() => Name::Personal {
            family: (*family).to_owned(),
            given: given.join(" "),
        },
        _ => Name::Literal(words.join(" ")),
    }
}

/// Text without control characters, which no citation format wants.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes BibTeX's special characters; everything else stays UTF-8 for biblatex.
pub fn bib_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            _ => out.push(c),
        }
    }
    out
}

/// A URL for biblatex's verbatim `url` field: kept as is, except the braces and
/// whitespace that would end or break the field, percent-encoded.
fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

/// Which download of a citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Bibtex,
    Csl,
}

fn download(citation: &Citation, format: Format) -> Response {
    let today = chrono::Utc::now().date_naive();
    let (body, content_type, ext) = match format {
        Format::Bibtex => (citation.bibtex(today), BIBTEX_TYPE, "bib"),
        Format::Csl => (
            serde_json::to_string_pretty(&citation.csl_json(today)).unwrap_or_default(),
            CSL_TYPE,
            "json",
        ),
    };
    let disposition = format!("attachment; filename=\"{}.{ext}\"", citation.file_stem());
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            // The access date changes daily: neither browsers nor the page cache keep it.
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn statement_citation(
    state: &AppState,
    id: Result<Path<String>, PathRejection>,
    format: Format,
    file: &str,
) -> Result<Response> {
    let id = path_param(id)?;
    match find(state, &id).await? {
        Found::Statement(s) => Ok(download(
            &Citation::of_statement(&s, &state.config.base_url),
            format,
        )),
        Found::Moved(target) => Ok(moved(&format!("/statements/{target}/{file}"))),
    }
}

async fn exchange_citation(
    state: &AppState,
    path: Result<Path<(String, String)>, PathRejection>,
    format: Format,
    file: &str,
) -> Result<Response> {
    let (id, e) = path_param(path)?;
    let s = match find(state, &id).await? {
        Found::Statement(s) => s,
        Found::Moved(target) => {
            return Ok(moved(&format!("/statements/{target}/answers/{e}/{file}")));
        }
    };
    let missing = || Error::not_found(format!("Statement `{id}` has no exchange {e}."));
    let e: u32 = e.parse().map_err(|_| missing())?;
    let citation = Citation::of_exchange(&s, e, &state.config.base_url).ok_or_else(missing)?;
    Ok(download(&citation, format))
}

/// `GET /statements/{id}/cite.bib`.
pub async fn statement_bib(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    statement_citation(&state, id, Format::Bibtex, "cite.bib").await
}

/// `GET /statements/{id}/cite.json`.
pub async fn statement_csl(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    statement_citation(&state, id, Format::Csl, "cite.json").await
}

/// `GET /statements/{id}/answers/{e}/cite.bib`.
pub async fn exchange_bib(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response> {
    exchange_citation(&state, path, Format::Bibtex, "cite.bib").await
}

/// `GET /statements/{id}/answers/{e}/cite.json`.
pub async fn exchange_csl(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response> {
    exchange_citation(&state, path, Format::Csl, "cite.json").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_special_characters_are_escaped_and_unicode_kept() {
        assert_eq!(
            bib_escape(r"50% & $5 #1 a_b {x} ~ ^ \ Лавров"),
            r"50\% \& \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{} Лавров"
        );
        assert_eq!(bib_escape("a\u{1}b\u{b}c"), "a b c");
    }

    #[test]
    fn names_split_at_the_last_word() {
        assert_eq!(
            split_name("Sergey Lavrov"),
            Name::Personal {
                family: "Lavrov".into(),
                given: "Sergey".into()
            }
        );
        assert_eq!(
            split_name("Сергей Викторович Лавров"),
            Name::Personal {
                family: "Лавров".into(),
                given: "Сергей Викторович".into()
            }
        );
        assert_eq!(split_name("Trud"), Name::Literal("Trud".into()));
    }

    #[test]
    fn urls_keep_their_characters_but_not_braces() {
        assert_eq!(
            bib_url("https://x.org/a_b%20c/{d}"),
            "https://x.org/a_b%20c/%7Bd%7D"
        );
    }
}
