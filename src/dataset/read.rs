//! Streaming readers: a dataset file's rows, one at a time, whatever its size.
//!
//! CSV through the `csv` crate's record reader, JSON Lines line by line, a JSON array
//! element by element (a serde visitor over the sequence), each optionally through a
//! gzip decoder. Only the current row is held in memory.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{ColumnMap, Field, Row};
use crate::export::Record;

/// Read buffer: large enough that a 30 kB field is read in one go.
const BUFFER: usize = 256 * 1024;

/// The message of a statement export met among dataset rows.
const EXPORT_AMONG_ROWS: &str =
    "an exported statement (an object with \"segments\") among dataset rows";

/// The syntax of a dataset file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Csv,
    JsonLines,
    Json,
}

impl Format {
    /// The format of `path` and whether it is gzipped; `None` when it is no dataset file.
    pub(super) fn of(path: &Path) -> Option<(Format, bool)> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let (name, gzip) = match name.strip_suffix(".gz") {
            Some(inner) => (inner, true),
            None => (name.as_str(), false),
        };
        let (stem, ext) = name.rsplit_once('.')?;
        if stem.is_empty() {
            return None;
        }
        let format = match ext {
            "csv" => Format::Csv,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            _ => return None,
        };
        Some((format, gzip))
    }
}

/// One data row of a file, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A row read with its fields.
    Row {
        /// Its number among the file's data rows (header not counted).
        n: u64,
        /// Its fields.
        row: Row,
    },
    /// A statement exported by `communique export` (an object with `segments`), to be
    /// restored under its id with its source and aliases.
    Statement {
        /// Its number among the file's data rows.
        n: u64,
        /// The statement, its source and aliases.
        record: Box<Record>,
    },
    /// A row that could not be read (bad quoting, wrong number of fields, not an
    /// object): the reader goes on with the next one.
    Bad {
        /// Its number among the file's data rows.
        n: u64,
        /// Why.
        reason: String,
    },
}

/// Why a file could not be read (further): the rows before it were delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The data row being read when it happened, if any had begun.
    pub row: Option<u64>,
    /// Why.
    pub reason: String,
    /// The file is readable but holds no rows of statements (no text column): a
    /// folder walk may pass over it.
    pub not_rows: bool,
}

impl FileError {
    fn file(reason: impl Into<String>) -> FileError {
        FileError {
            row: None,
            reason: reason.into(),
            not_rows: false,
        }
    }

    fn at(row: u64, reason: impl Into<String>) -> FileError {
        FileError {
            row: Some(row),
            reason: reason.into(),
            not_rows: false,
        }
    }

    fn not_rows(reason: impl Into<String>) -> FileError {
        FileError {
            not_rows: true,
            ..FileError::file(reason)
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(n) => write!(f, "row {n}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// Reads the dataset file `path`, calling `emit` with each row in order until it
/// returns `false`. Columns are found by `columns`; a file with no text column is an
/// error before any row. A JSON file whose first object has `segments` is a statement
/// export: its objects come as [`Item::Statement`]s.
pub fn read_file(
    path: &Path,
    columns: &ColumnMap,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FileError> {
    let (format, gzip) = Format::of(path).ok_or_else(|| {
        FileError::file("not a dataset file (.csv, .jsonl, .json, optionally .gz)")
    })?;
    let file = File::open(path).map_err(|e| FileError::file(e.to_string()))?;
    let input: Box<dyn Read> = if gzip {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(BUFFER, file)))
    } else {
        Box::new(file)
    };
    let input = BufReader::with_capacity(BUFFER, input);
    match format {
        Format::Csv => read_csv(input, columns, emit),
        Format::JsonLines => read_lines(input, columns, emit),
        Format::Json => read_json(input, columns, emit),
    }
}

fn read_csv(
    input: impl Read,
    columns: &ColumnMap,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(BUFFER)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| FileError::file(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    // For each field, the indices of the columns that may hold it, in preference order.
    let indices: Vec<(Field, Vec<usize>)> = Field::ALL
        .iter()
        .map(|&f| {
            let found = columns
                .columns(f)
                .iter()
                .filter_map(|c| headers.iter().position(|h| h == c))
                .collect();
            (f, found)
        })
        .collect();
    if indices[Field::Text as usize].1.is_empty() {
        return Err(no_text_column(columns, &headers));
    }
    let mut record = csv::StringRecord::new();
    let mut n = 0u64;
    loop {
        let item = match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                n += 1;
                let mut row = Row::default();
                for (field, found) in &indices {
                    if let Some(value) = found
                        .iter()
                        .filter_map(|&i| record.get(i))
                        .find(|v| !v.trim().is_empty())
                    {
                        row.set(*field, value);
                    }
                }
                Item::Row { n, row }
            }
            Err(e) => {
                n += 1;
                match e.kind() {
                    csv::ErrorKind::Io(_) => return Err(FileError::at(n, e.to_string())),
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => Item::Bad {
                        n,
                        reason: format!(
                            "{len} fields where the header has {expected_len} (bad quoting?)"
                        ),
                    },
                    csv::ErrorKind::Utf8 { .. } => Item::Bad {
                        n,
                        reason: "not UTF-8".to_string(),
                    },
                    _ => Item::Bad {
                        n,
                        reason: e.to_string(),
                    },
                }
            }
        };
        if !emit(item) {
            return Ok(());
        }
    }
}

fn no_text_column(columns: &ColumnMap, found: &[String]) -> FileError {
    FileError::not_rows(format!(
        "no text column (looked for {}; the file has {}): name it with --map text=COLUMN",
        columns.columns(Field::Text).join(", "),
        if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        }
    ))
}

/// The row of one JSON value: an object whose keys are the columns. Extra keys are
/// ignored; strings are taken as they are, numbers and booleans as written, lists of
/// strings (language versions) joined by `; `.
fn object_row(value: Value, columns: &ColumnMap) -> Result<Row, String> {
    let Value::Object(object) = value else {
        return Err(format!("not an object but {}", kind(&value)));
    };
    if object.contains_key("segments") {
        return Err(EXPORT_AMONG_ROWS.to_string());
    }
    let mut row = Row::default();
    for field in Field::ALL {
        if let Some(v) = columns
            .columns(field)
            .iter()
            .filter_map(|c| lookup(&object, c))
            .find(|v| !v.trim().is_empty())
        {
            row.set(field, &v);
        }
    }
    Ok(row)
}

fn lookup(object: &Map<String, Value>, column: &str) -> Option<String> {
    let value = object.get(column).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(column))
            .map(|(_, v)| v)
    })?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Value::Null | Value::Object(_) => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What the objects of a JSON file are, decided by its first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Objects {
    /// Dataset rows.
    Rows,
    /// Statements exported by `communique export`.
    Exports,
}

/// Checks the first object of a file: one with `segments` makes the file a statement
/// export; one none of whose keys holds the text is a file error rather than a failure
/// on every row.
fn check_first(value: &Value, columns: &ColumnMap) -> Result<Objects, FileError> {
    let Value::Object(object) = value else {
        return Ok(Objects::Rows);
    };
    if object.contains_key("segments") {
        return Ok(Objects::Exports);
    }
    let has_text = columns
        .columns(Field::Text)
        .iter()
        .any(|c| object.keys().any(|k| k.trim().eq_ignore_ascii_case(c)));
    if has_text {
        Ok(Objects::Rows)
    } else {
        let keys: Vec<String> = object.keys().cloned().collect();
        Err(no_text_column(columns, &keys))
    }
}

/// An exported statement; a line that is not one is a bad row.
fn export_item(n: u64, value: Value) -> Item {
    if !value
        .as_object()
        .is_some_and(|o| o.contains_key("segments"))
    {
        return Item::Bad {
            n,
            reason: format!(
                "not an exported statement: {} without \"segments\"",
                kind(&value)
            ),
        };
    }
    match serde_json::from_value::<Record>(value) {
        Ok(record) => Item::Statement {
            n,
            record: Box::new(record),
        },
        Err(e) => Item::Bad {
            n,
            reason: format!("not an exported statement: {e}"),
        },
    }
}

/// The item for value `n`; the first one decides what the file's objects are.
fn value_item(
    n: u64,
    value: Value,
    columns: &ColumnMap,
    objects: &mut Objects,
) -> Result<Item, FileError> {
    if n == 1 {
        *objects = check_first(&value, columns)?;
    }
    if *objects == Objects::Exports {
        return Ok(export_item(n, value));
    }
    Ok(match object_row(value, columns) {
        Ok(row) => Item::Row { n, row },
        Err(reason) => Item::Bad { n, reason },
    })
}

fn read_lines(
    mut input: impl BufRead,
    columns: &ColumnMap,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FileError> {
    let mut line = String::new();
    let mut n = 0u64;
    let mut objects = Objects::Rows;
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                let reason = match e.kind() {
                    std::io::ErrorKind::InvalidData => "not UTF-8".to_string(),
                    _ => e.to_string(),
                };
                return Err(FileError::at(n + 1, reason));
            }
        }
        let text = line.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        n += 1;
        let item = match serde_json::from_str::<Value>(text) {
            Ok(value) => value_item(n, value, columns, &mut objects)?,
            Err(e) => Item::Bad {
                n,
                reason: format!("not JSON: {e}"),
            },
        };
        if !emit(item) {
            return Ok(());
        }
    }
}

fn read_json(
    mut input: impl BufRead,
    columns: &ColumnMap,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FileError> {
    // Skip a BOM and whitespace to see whether this is one object or an array.
    let first = loop {
        let buf = input
            .fill_buf()
            .map_err(|e| FileError::file(e.to_string()))?;
        let Some(&b) = buf.first() else {
            return Err(FileError::file("empty"));
        };
        if b.is_ascii_whitespace() {
            input.consume(1);
        } else if buf.starts_with("\u{feff}".as_bytes()) {
            input.consume(3);
        } else if b == 0xEF && buf.len() < 3 {
            // A BOM split over two reads: rare enough to read byte by byte.
            input.consume(1);
        } else {
            break b;
        }
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = if first == b'[' {
        let mut elements = Elements {
            columns,
            emit,
            n: 0,
            error: None,
            stopped: false,
            objects: Objects::Rows,
        };
        let result = (&mut elements).deserialize(&mut de);
        if let Some(error) = elements.error {
            return Err(error);
        }
        if elements.stopped {
            return Ok(());
        }
        result.map_err(|e| FileError::at(elements.n + 1, format!("not JSON: {e}")))
    } else {
        let value: Value = serde::Deserialize::deserialize(&mut de)
            .map_err(|e| FileError::at(1, format!("not JSON: {e}")))?;
        let item = value_item(1, value, columns, &mut Objects::Rows)?;
        emit(item);
        Ok(())
    };
    result?;
    de.end()
        .map_err(|e| FileError::file(format!("not JSON after the rows: {e}")))
}

/// Streams the elements of a JSON array to `emit`, one value at a time.
struct Elements<'a> {
    columns: &'a ColumnMap,
    emit: &'a mut dyn FnMut(Item) -> bool,
    /// Elements read so far.
    n: u64,
    /// A file error met on an element (it stops the array).
    error: Option<FileError>,
    /// `emit` asked to stop.
    stopped: bool,
    /// What the array's objects are.
    objects: Objects,
}

impl<'de> DeserializeSeed<'de> for &mut Elements<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Elements<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of row objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.n += 1;
            let item = match value_item(self.n, value, self.columns, &mut self.objects) {
                Ok(item) => item,
                Err(error) => {
                    self.error = Some(error);
                    return Err(A::Error::custom("stopped"));
                }
            };
            if !(self.emit)(item) {
                self.stopped = true;
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: Format, input: &str) -> Result<Vec<Item>, FileError> {
        let mut items = Vec::new();
        let columns = ColumnMap::default();
        let mut emit = |item| {
            items.push(item);
            true
        };
        let input = BufReader::new(input.as_bytes());
        match format {
            Format::Csv => read_csv(input, &columns, &mut emit),
            Format::JsonLines => read_lines(input, &columns, &mut emit),
            Format::Json => read_json(input, &columns, &mut emit),
        }?;
        Ok(items)
    }

    fn texts(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Row { n, row } => format!("{n}:{}", row.text.as_deref().unwrap_or("-")),
                Item::Statement { n, record } => format!("{n}={}", record.statement.id),
                Item::Bad { n, reason } => format!("{n}!{reason}"),
            })
            .collect()
    }

    #[test]
    fn csv_rows_by_header() {
        let items = rows(
            Format::Csv,
            "\u{feff}Title,TEXT,date,datetime\nA,\"one\n\ntwo\",,2013-05-21T10:00:00\nB,,21-05-2013,\n",
        )
        .unwrap();
        assert_eq!(texts(&items), ["1:one\n\ntwo", "2:-"]);
        let Item::Row { row, .. } = &items[0] else {
            panic!()
        };
        assert_eq!(row.title.as_deref(), Some("A"));
        assert_eq!(row.date.as_deref(), Some("2013-05-21T10:00:00"));
    }

    #[test]
    fn csv_bad_rows_are_skipped() {
        let items = rows(Format::Csv, "title,text\nA,one\nB,two,extra\nC,three\n").unwrap();
        assert_eq!(
            texts(&items),
            [
                "1:one",
                "2!3 fields where the header has 2 (bad quoting?)",
                "3:three"
            ]
        );
    }

    #[test]
    fn csv_without_text_column() {
        let err = rows(Format::Csv, "headline,body\nA,one\n").unwrap_err();
        assert!(err.reason.contains("headline, body"), "{err}");
        assert_eq!(err.row, None);
        assert!(err.not_rows);
    }

    #[test]
    fn json_lines_and_arrays() {
        let lines = "{\"text\":\"one\",\"x\":1}\n\n[1]\n{\"text\":\"three\"}\nnot json\n";
        let items = rows(Format::JsonLines, lines).unwrap();
        assert_eq!(texts(&items)[0], "1:one");
        assert_eq!(texts(&items)[1], "2!not an object but an array");
        assert_eq!(texts(&items)[2], "3:three");
        assert!(texts(&items)[3].starts_with("4!not JSON"));

        let array = "\u{feff} [{\"text\":\"one\"}, 5, {\"TEXT\":\"three\", \"translations\": [\"ru\", \"en\"]}]";
        let items = rows(Format::Json, array).unwrap();
        assert_eq!(
            texts(&items),
            ["1:one", "2!not an object but a number", "3:three"]
        );
        let Item::Row { row, .. } = &items[2] else {
            panic!()
        };
        assert_eq!(row.translations.as_deref(), Some("ru; en"));

        let items = rows(Format::Json, "{\"text\": \"one\", \"extra\": {}}").unwrap();
        assert_eq!(texts(&items), ["1:one"]);
    }

    #[test]
    fn broken_json_array_keeps_the_rows_before() {
        let mut items = Vec::new();
        let err = read_json(
            BufReader::new(&b"[{\"text\":\"one\"}, {\"text\": tw"[..]),
            &ColumnMap::default(),
            &mut |i| {
                items.push(i);
                true
            },
        )
        .unwrap_err();
        assert_eq!(texts(&items), ["1:one"]);
        assert_eq!(err.row, Some(2));
    }

    #[test]
    fn exports_are_statements_and_other_lines_bad_rows() {
        let good = r#"{"id":"2020-01-01-x","title":null,"date":null,"time":null,"place":null,"kind":"other","language":"en","languages":[],"source_number":null,"source_url":null,"forums":[],"speakers":[],"tags":[],"segments":[],"source":{"format":"text","file_name":null,"content":"x","fields":null},"aliases":[]}"#;
        let input = format!(
            "{good}\n{{\"id\":\"y\",\"segments\":[]}}\n{{\"text\":\"a row\"}}\n[1]\n{good}\n"
        );
        let items = rows(Format::JsonLines, &input).unwrap();
        let got = texts(&items);
        assert_eq!(got[0], "1=2020-01-01-x");
        assert!(
            got[1].starts_with("2!not an exported statement: missing field"),
            "{got:?}"
        );
        assert_eq!(
            got[2],
            "3!not an exported statement: an object without \"segments\""
        );
        assert_eq!(
            got[3],
            "4!not an exported statement: an array without \"segments\""
        );
        assert_eq!(got[4], "5=2020-01-01-x");

        let items = rows(Format::Json, &format!("[{good}]")).unwrap();
        assert_eq!(texts(&items), ["1=2020-01-01-x"]);

        // Among dataset rows, an export is a bad row.
        let items = rows(Format::JsonLines, &format!("{{\"text\":\"a\"}}\n{good}\n")).unwrap();
        assert_eq!(
            texts(&items),
            [
                "1:a",
                "2!an exported statement (an object with \"segments\") among dataset rows"
            ]
        );
    }
}
