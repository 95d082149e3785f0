//! Research datasets: CSV and JSON rows of published statements, read one row at a time.
//!
//! A row's columns are mapped onto the [`Field`]s a statement can take from outside its
//! text (title, date, URL, document number, language versions, language, speaker); its
//! `text` goes through the same parser as a page save, the other fields as [`Hints`]
//! that fill only what the text leaves empty. Two shapes are known by their columns —
//! the ministry's public dataset (`id, url, title, datetime, date, internal_id, text,
//! translations, url_id`) and research rows (`speaker, date, title, text, url`) — and
//! any other through a [`ColumnMap`] (`--map text=body,...`).

mod read;
mod values;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{Hints, Statement};
use crate::parse::parse_with_hints;
use crate::registry::Registry;

pub use read::{read_file, FileError, Item};
pub use values::{iso_language, parse_date};

/// What a column of a dataset can hold for a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The statement's title.
    Title,
    /// The statement's text: the body, paragraphs separated by blank lines.
    Text,
    /// Its date (`DD-MM-YYYY`, `YYYY-MM-DD`, ISO datetime, `DD.MM.YYYY`, `MM/DD/YYYY`).
    Date,
    /// Where it was published.
    Url,
    /// Its document number, such as `1000-21-05-2013`.
    Number,
    /// The language versions the site lists: `ru; en; fr; es`.
    Translations,
    /// The language of the text.
    Language,
    /// The speaker the row names.
    Speaker,
}

impl Field {
    /// Every field, in the order rows are stored.
    pub const ALL: [Field; 8] = [
        Field::Title,
        Field::Text,
        Field::Date,
        Field::Url,
        Field::Number,
        Field::Translations,
        Field::Language,
        Field::Speaker,
    ];

    /// The name used by `--map` and in stored rows.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Date => "date",
            Field::Url => "url",
            Field::Number => "number",
            Field::Translations => "translations",
            Field::Language => "language",
            Field::Speaker => "speaker",
        }
    }

    /// The columns that hold this field when no `--map` names one, in order of
    /// preference (the first non-empty value wins).
    fn default_columns(self) -> &'static [&'static str] {
        match self {
            Field::Title => &["title"],
            Field::Text => &["text"],
            Field::Date => &["date", "datetime"],
            Field::Url => &["url"],
            Field::Number => &["internal_id", "number", "source_number"],
            Field::Translations => &["translations", "languages"],
            Field::Language => &["language", "lang"],
            Field::Speaker => &["speaker"],
        }
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(name: &str) -> Result<Field, String> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown field {name:?} (one of {})", names.join(", "))
            })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `FIELD=COLUMN` of `--map`: the column of the file that holds the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The statement's field.
    pub field: Field,
    /// The file's column (or JSON key), compared without regard to case.
    pub column: String,
}

impl FromStr for Mapping {
    type Err = String;

    fn from_str(s: &str) -> Result<Mapping, String> {
        let (field, column) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not FIELD=COLUMN"))?;
        let column = column.trim();
        if column.is_empty() {
            return Err(format!("{s:?} names no column"));
        }
        Ok(Mapping {
            field: field.parse()?,
            column: column.to_string(),
        })
    }
}

/// Which columns hold which field: the known shapes' column names, with the user's
/// `--map` over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// Candidate column names per field, lower case, in [`Field::ALL`] order.
    columns: Vec<Vec<String>>,
}

impl Default for ColumnMap {
    fn default() -> ColumnMap {
        ColumnMap {
            columns: Field::ALL
                .iter()
                .map(|f| f.default_columns().iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }
}

impl ColumnMap {
    /// The default columns with each mapping replacing its field's (the last wins).
    pub fn with_mappings(mappings: &[Mapping]) -> ColumnMap {
        let mut map = ColumnMap::default();
        for m in mappings {
            map.columns[m.field as usize] = vec![m.column.to_lowercase()];
        }
        map
    }

    /// The column names that may hold `field`, lower case.
    pub fn columns(&self, field: Field) -> &[String] {
        &self.columns[field as usize]
    }
}

/// The shape of a dataset, recognised by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The ministry's public dataset: `id, url, title, datetime, date, internal_id, text,
    /// translations, url_id`.
    Ministry,
    /// Research rows: `speaker, date, title, text, url`.
    Research,
    /// Any other columns, read through the column map.
    Mapped,
}

impl Shape {
    /// The shape of a file with these column names (any case, any order, extra ones
    /// allowed).
    pub fn of<S: AsRef<str>>(columns: &[S]) -> Shape {
        let has = |want: &[&str]| {
            want.iter().all(|w| {
                columns
                    .iter()
                    .any(|c| c.as_ref().trim().eq_ignore_ascii_case(w))
            })
        };
        if has(&["internal_id", "text", "translations"]) {
            Shape::Ministry
        } else if has(&["speaker", "title", "text"]) {
            Shape::Research
        } else {
            Shape::Mapped
        }
    }
}

/// A dataset row as it is stored (`sources.content`, `format = 'row'`): each field's
/// value exactly as the file had it, absent when the file had none or an empty one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Date as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Language versions as written (`ru; en; fr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translations: Option<String>,
    /// Language as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Speaker as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

impl Row {
    /// The value of `field`, if the row has one.
    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Title => self.title.as_deref(),
            Field::Text => self.text.as_deref(),
            Field::Date => self.date.as_deref(),
            Field::Url => self.url.as_deref(),
            Field::Number => self.number.as_deref(),
            Field::Translations => self.translations.as_deref(),
            Field::Language => self.language.as_deref(),
            Field::Speaker => self.speaker.as_deref(),
        }
    }

    /// Sets `field` to `value`; an empty or blank value leaves it absent.
    pub fn set(&mut self, field: Field, value: &str) {
        let value = (!value.trim().is_empty()).then(|| value.to_string());
        let slot = match field {
            Field::Title => &mut self.title,
            Field::Text => &mut self.text,
            Field::Date => &mut self.date,
            Field::Url => &mut self.url,
            Field::Number => &mut self.number,
            Field::Translations => &mut self.translations,
            Field::Language => &mut self.language,
            Field::Speaker => &mut self.speaker,
        };
        *slot = value;
    }

    /// The row as the JSON object stored as its source.
    pub fn to_json(&self) -> String {
        // A struct of strings always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A row stored by [`Row::to_json`].
    pub fn from_json(json: &str) -> Result<Row, String> {
        serde_json::from_str(json).map_err(|e| format!("stored row is not readable: {e}"))
    }

    /// The row's facts about its statement, and its text. Fails when the row has no
    /// text or a date that cannot be read; values that mean "missing" (`NA`, `null`)
    /// count as absent, as do language codes that are not languages.
    pub fn hints(&self) -> Result<(Hints, &str), String> {
        let text = self
            .text
            .as_deref()
            .filter(|t| !values::is_missing(t))
            .ok_or("missing text")?;
        let value = |field| {
            self.get(field)
                .map(str::trim)
                .filter(|v| !values::is_missing(v))
        };
        let number = value(Field::Number).map(str::to_string);
        let date = match value(Field::Date) {
            Some(d) => Some(parse_date(d).ok_or_else(|| format!("unparsable date {d:?}"))?),
            None => number.as_deref().and_then(values::date_of_number),
        };
        let mut languages: Vec<String> = value(Field::Translations)
            .map(values::languages)
            .unwrap_or_default();
        languages.sort();
        languages.dedup();
        let hints = Hints {
            title: value(Field::Title).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")),
            date,
            source_url: value(Field::Url).map(str::to_string),
            source_number: number,
            languages,
            language: value(Field::Language).and_then(iso_language),
            speaker: value(Field::Speaker).map(str::to_string),
        };
        Ok((hints, text))
    }

    /// Parses the row into a statement: its text through the page parser, its other
    /// fields filling what the text does not say.
    pub fn parse(&self, registry: &Registry) -> Result<(Statement, Hints), String> {
        let (hints, text) = self.hints()?;
        let statement = parse_with_hints(text, &hints, registry).map_err(|e| e.to_string())?;
        Ok((statement, hints))
    }
}

/// Whether `path` names a dataset file by its extension: `.csv`, `.jsonl`, `.ndjson`
/// or `.json`, each optionally gzipped (`.csv.gz`).
pub fn is_dataset_file(path: &Path) -> bool {
    read::Format::of(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_read_and_replace_default_columns() {
        let m: Mapping = "text=Body".parse().unwrap();
        assert_eq!(m.field, Field::Text);
        assert!("txt=body".parse::<Mapping>().is_err());
        assert!("text=".parse::<Mapping>().is_err());
        assert!("text".parse::<Mapping>().is_err());
        let map = ColumnMap::with_mappings(&[m]);
        assert_eq!(map.columns(Field::Text), ["body"]);
        assert_eq!(map.columns(Field::Date), ["date", "datetime"]);
    }

    #[test]
    fn shapes_are_known_by_their_columns() {
        let ministry = [
            "id",
            "url",
            "title",
            "datetime",
            "date",
            "internal_id",
            "text",
            "translations",
            "url_id",
        ];
        assert_eq!(Shape::of(&ministry), Shape::Ministry);
        assert_eq!(
            Shape::of(&["speaker", "date", "title", "text", "url"]),
            Shape::Research
        );
        assert_eq!(Shape::of(&["headline", "body"]), Shape::Mapped);
    }

    #[test]
    fn hints_come_from_the_row() {
        let mut row = Row::default();
        row.set(Field::Text, "Question: Why?\n\nSergey Lavrov: Because.");
        row.set(
            Field::Title,
            "  Foreign Minister Sergey Lavrov’s  interview ",
        );
        row.set(Field::Date, "21-05-2013");
        row.set(Field::Number, " 1000-21-05-2013 ");
        row.set(Field::Translations, "ru; en; fr; es");
        row.set(Field::Language, "");
        let (hints, _) = row.hints().unwrap();
        assert_eq!(
            hints.title.as_deref(),
            Some("Foreign Minister Sergey Lavrov’s interview")
        );
        assert_eq!(hints.date, "2013-05-21".parse().ok());
        assert_eq!(hints.source_number.as_deref(), Some("1000-21-05-2013"));
        assert_eq!(hints.languages, ["en", "es", "fr", "ru"]);
        assert_eq!(hints.language, None);
        assert_eq!(row.language, None);

        row.set(Field::Date, "NA");
        assert_eq!(row.hints().unwrap().0.date, "2013-05-21".parse().ok());
        row.set(Field::Date, "someday");
        assert_eq!(row.hints().unwrap_err(), "unparsable date \"someday\"");
        row.set(Field::Text, " \n ");
        assert_eq!(row.hints().unwrap_err(), "missing text");
    }

    #[test]
    fn rows_round_trip_through_json() {
        let mut row = Row::default();
        row.set(Field::Text, "Text");
        row.set(Field::Speaker, "Igor Ivanov");
        assert_eq!(row.to_json(), r#"{"text":"Text","speaker":"Igor Ivanov"}"#);
        assert_eq!(Row::from_json(&row.to_json()).unwrap(), row);
    }

    #[test]
    fn dataset_files_by_extension() {
        for yes in [
            "a.csv",
            "a.CSV",
            "a.csv.gz",
            "a.jsonl",
            "a.jsonl.gz",
            "a.json",
        ] {
            assert!(is_dataset_file(Path::new(yes)), "{yes}");
        }
        for no in ["a.txt", "README.md", "a.gz", "a.tar.gz", "csv"] {
            assert!(!is_dataset_file(Path::new(no)), "{no}");
        }
    }
}
