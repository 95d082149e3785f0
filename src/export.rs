//! Exports: the archive's statements as JSON Lines or CSV, streamed row by row.
//!
//! A JSON Lines export holds one [`Record`] per line: Contract 1's object exactly as
//! `/api/statements/{id}` gives it, followed by the statement's stored `source` and its
//! `aliases`. `communique import` reads such a file back (it knows it by the `segments`
//! key), restoring every statement under its id with its aliases and source, so an
//! export is also a backup. A CSV export holds one row per statement for spreadsheets:
//! its fields, its permalink and its text as `Label: paragraph` lines.
//!
//! Both are written while the rows are read from one SQLite statement (sqlx's `fetch`
//! stream), in chunks of [`CHUNK`] bytes: memory does not grow with the archive.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use crate::cli::GlobalArgs;
use crate::db::browse::{self, ListQuery};
use crate::db::store::{self, Source, SourceFormat, STATEMENT_HEAD_JSON, STATEMENT_TURNS_JSON};
use crate::model::{Hints, SegmentKind, Statement};
use crate::web::params::{Filters, RawParams, Sort};

/// Bytes gathered before they are handed on (to stdout, a file, a response body).
pub const CHUNK: usize = 64 * 1024;

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line: the statement, its source and its aliases.
    Jsonl,
    /// One CSV row per statement, with a header (RFC 4180).
    Csv,
}

/// A statement's stored original as an export carries it: enough to parse it again.
///
/// The archive keeps one source per statement, the one its latest import read (a
/// statement merged from several inputs keeps the last one's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSource {
    /// `text` (a page save, its decoded text) or `row` (a dataset row, as a JSON object
    /// in a string).
    pub format: String,
    /// Name of the file it was read from.
    pub file_name: Option<String>,
    /// The text, or the row's JSON.
    pub content: String,
    /// The facts that came with the input (a dataset row's fields), when there were any.
    pub fields: Option<Hints>,
}

impl ExportSource {
    /// The export form of a stored source.
    pub fn of(source: &Source) -> ExportSource {
        ExportSource {
            format: source.format.as_str().to_owned(),
            file_name: source.file_name.clone(),
            content: source.content.clone(),
            fields: source.hints.clone(),
        }
    }

    /// The source to store again; fails on an unknown format.
    pub fn to_source(&self) -> Result<Source, String> {
        let format = SourceFormat::from_name(&self.format).ok_or_else(|| {
            format!(
                "unknown source format {:?} (text or row)",
                shorten(&self.format)
            )
        })?;
        Ok(Source {
            file_name: self.file_name.clone(),
            format,
            content: self.content.clone(),
            hints: self.fields.clone(),
        })
    }
}

/// One line of a JSON Lines export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Contract 1's object, its keys first and in their order.
    #[serde(flatten)]
    pub statement: Statement,
    /// The stored original; `null` only for a statement stored without one.
    pub source: Option<ExportSource>,
    /// Ids merged into this statement, which the server redirects to it; sorted.
    #[serde(default)]
    pub aliases: Vec<String>,
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

/// `SELECT` of the columns [`record_of`] reads, over `statements s`, without a filter.
fn record_select() -> String {
    format!(
        "SELECT {STATEMENT_HEAD_JSON} AS statement, {STATEMENT_TURNS_JSON} AS turns,
                src.format AS source_format, src.codec AS source_codec, src.file_name,
                src.content, src.fields,
                (SELECT json_group_array(a.alias ORDER BY a.alias)
                   FROM aliases a WHERE a.statement_id = s.id) AS aliases
           FROM statements s LEFT JOIN sources src ON src.statement_pk = s.pk"
    )
}

/// Which statements an export holds, and in which order.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The list filters (limit and offset are not used: every match is exported).
    pub filters: ListQuery,
    /// In the order they were first imported (row key order) rather than by date: an
    /// archive restored from such an export knows which statements are older, as merges
    /// need (the older id survives).
    pub imported_order: bool,
}

/// The query of an export: every statement `selection` holds, with its source and
/// aliases, in its order.
pub fn export_query(selection: &Selection) -> QueryBuilder<'static, Sqlite> {
    let mut qb = QueryBuilder::new(record_select());
    browse::push_filters(&mut qb, &selection.filters);
    if selection.imported_order {
        qb.push(" ORDER BY s.pk");
    } else {
        qb.push(browse::list_order(selection.filters.oldest_first));
    }
    qb
}

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> sqlx::Result<T> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The record of one row of [`export_query`].
pub fn record_of(row: &SqliteRow) -> sqlx::Result<Record> {
    let statement = store::statement_from_json(
        &row.try_get::<String, _>("statement")?,
        &row.try_get::<String, _>("turns")?,
    )?;
    let source = match row.try_get::<Option<String>, _>("source_format")? {
        Some(format) => Some(ExportSource {
            format,
            file_name: row.try_get("file_name")?,
            content: store::unpack_content(
                row.try_get("source_codec")?,
                row.try_get_raw("content")?,
            )?,
            fields: row
                .try_get::<Option<String>, _>("fields")?
                .map(|f| decode(&f))
                .transpose()?,
        }),
        None => None,
    };
    let aliases: Vec<String> = decode(&row.try_get::<String, _>("aliases")?)?;
    Ok(Record {
        statement,
        source,
        aliases,
    })
}

/// The columns of a CSV export.
pub const CSV_HEADER: [&str; 15] = [
    "id",
    "title",
    "date",
    "time",
    "place",
    "kind",
    "language",
    "languages",
    "forums",
    "speakers",
    "source_number",
    "source_url",
    "tags",
    "url",
    "text",
];

/// Joins the values of a list column.
const LIST_SEPARATOR: &str = "; ";

/// The statement's text as one string: each turn's paragraphs, the first after its label
/// (`Question: ...`, `Wang Yi (speaking in Chinese): ...`), a heading by its title;
/// paragraphs separated by blank lines, as dataset rows hold text.
pub fn plain_text(statement: &Statement) -> String {
    let mut out = String::new();
    let mut push = |part: &str| {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(part);
    };
    for segment in &statement.segments {
        if segment.kind == SegmentKind::Heading {
            if let Some(title) = &segment.title {
                push(title);
            }
            continue;
        }
        for (i, paragraph) in segment.paragraphs.iter().enumerate() {
            match (&segment.label, i) {
                (Some(label), 0) => {
                    let note = segment
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    push(&format!("{label}{note}: {paragraph}"));
                }
                _ => push(paragraph),
            }
        }
    }
    out
}

/// Turns records into the bytes of an export, one record at a time.
pub struct Encoder {
    format: Format,
    /// Prefix of permalinks (`https://archive.example`), empty for paths.
    base_url: String,
    csv: csv::WriterBuilder,
}

impl Encoder {
    /// An encoder for `format`; permalinks start with `base_url` (no trailing `/`) when
    /// one is given, else they are paths.
    pub fn new(format: Format, base_url: Option<&str>) -> Encoder {
        Encoder {
            format,
            base_url: base_url.unwrap_or("").trim_end_matches('/').to_owned(),
            csv: {
                let mut builder = csv::WriterBuilder::new();
                builder.terminator(csv::Terminator::CRLF);
                builder
            },
        }
    }

    /// What comes before the first record: the CSV header line; nothing for JSON Lines.
    pub fn header(&mut self, out: &mut Vec<u8>) -> anyhow::Result<()> {
        if self.format == Format::Csv {
            let mut writer = self.csv.from_writer(out);
            writer.write_record(CSV_HEADER)?;
            writer.flush()?;
        }
        Ok(())
    }

    /// Appends one record to `out`.
    pub fn encode(&mut self, record: &Record, out: &mut Vec<u8>) -> anyhow::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, record)?;
                out.push(b'\n');
            }
            Format::Csv => {
                let s = &record.statement;
                let list = |items: &mut dyn Iterator<Item = &str>| {
                    items.collect::<Vec<_>>().join(LIST_SEPARATOR)
                };
                let date = s.date.map(|d| d.to_string()).unwrap_or_default();
                let url = format!("{}/statements/{}", self.base_url, s.id);
                // A writer per record: it writes straight into `out`, which stays ours.
                let mut writer = self.csv.from_writer(&mut *out);
                writer.write_record([
                    s.id.as_str(),
                    s.title.as_deref().unwrap_or(""),
                    &date,
                    s.time.as_deref().unwrap_or(""),
                    s.place.as_deref().unwrap_or(""),
                    s.kind.as_str(),
                    &s.language,
                    &list(&mut s.languages.iter().map(String::as_str)),
                    &list(&mut s.forums.iter().map(|f| f.acronym.as_str())),
                    &list(&mut s.speakers.iter().map(|p| p.name.as_str())),
                    s.source_number.as_deref().unwrap_or(""),
                    s.source_url.as_deref().unwrap_or(""),
                    &list(&mut s.tags.iter().map(String::as_str)),
                    &url,
                    &plain_text(s),
                ])?;
                writer.flush()?;
            }
        }
        Ok(())
    }
}

/// Streams the export of the statements `q` selects to `emit`, in chunks of about
/// [`CHUNK`] bytes, until the rows run out or `emit` answers `false`; returns the number
/// of statements encoded.
pub async fn write_export<F, Fut>(
    db: &SqlitePool,
    q: &Selection,
    encoder: &mut Encoder,
    mut emit: F,
) -> anyhow::Result<u64>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = anyhow::Result<bool>>,
{
    let mut qb = export_query(q);
    let mut rows = qb.build().fetch(db);
    let mut buf = Vec::with_capacity(CHUNK + CHUNK / 4);
    encoder.header(&mut buf)?;
    let mut n = 0;
    while let Some(row) = rows.try_next().await.context("reading statements")? {
        encoder.encode(&record_of(&row)?, &mut buf)?;
        n += 1;
        if buf.len() >= CHUNK {
            let chunk = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK + CHUNK / 4));
            if !emit(chunk).await? {
                return Ok(n);
            }
        }
    }
    if !buf.is_empty() {
        emit(buf).await?;
    }
    Ok(n)
}

/// The selection of validated list filters, every page at once, in the list's order.
pub fn selection(f: &Filters) -> Selection {
    let filters = ListQuery {
        forum: f.forum.clone(),
        speaker: f.speaker.clone(),
        year: f.year,
        kind: f.kind,
        lang: f.lang.clone(),
        oldest_first: f.sort == Some(Sort::Oldest),
        limit: 0,
        offset: 0,
    };
    Selection {
        filters,
        imported_order: false,
    }
}

/// Options of `communique export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// What to write: JSON Lines (statements with source and aliases, re-importable) or CSV.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Only statements made at this forum (a slug such as `csto`).
    #[arg(long, value_name = "SLUG")]
    pub forum: Option<String>,
    /// Only statements in which this person speaks (a slug such as `sergey-lavrov`).
    #[arg(long, value_name = "SLUG")]
    pub speaker: Option<String>,
    /// Only statements of this year.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<String>,
    /// Only statements of this kind (`briefing`, `interview`, ...).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only statements in this language (ISO 639-1 code).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Order: `newest` (default) or `oldest` first, or `imported`: the archive's own order,
    /// which a backup should keep (a restored archive then knows which statements are
    /// older).
    #[arg(long)]
    pub sort: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Prefix of the permalinks in CSV (`https://archive.example`); paths without it.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl ExportArgs {
    /// The filters as the query parameters of `/statements`.
    fn params(&self) -> RawParams {
        let pairs = [
            ("forum", &self.forum),
            ("speaker", &self.speaker),
            ("year", &self.year),
            ("kind", &self.kind),
            ("lang", &self.lang),
            ("sort", &self.sort.clone().filter(|s| !imported(s))),
        ];
        RawParams(
            pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v.clone()?)))
                .collect(),
        )
    }
}

fn imported(sort: &str) -> bool {
    sort.trim().eq_ignore_ascii_case("imported")
}

/// `communique export`: validates the filters as `/statements` does (an unknown slug or
/// a malformed value is status 2), then streams the export to `--out` or stdout and
/// says on stderr how many statements it wrote.
pub fn run_export(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if !global.db.exists() {
        anyhow::bail!("no archive at {}", global.db.display());
    }
    let registry = global.load_registry()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async {
        let pool = crate::db::connect(&global.db).await?;
        let result = export_to(&pool, &registry, args).await;
        pool.close().await;
        result
    })
}

async fn export_to(
    pool: &SqlitePool,
    registry: &crate::registry::Registry,
    args: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let filters = match Filters::parse(&args.params(), pool, registry).await {
        Ok(f) if f.sort == Some(Sort::Relevance) => {
            eprintln!("error: an export sorts by newest, oldest or imported.");
            return Ok(ExitCode::from(2));
        }
        Ok(f) => f,
        Err(crate::web::Error::BadRequest(message)) => {
            eprintln!("error: {}", cli_message(&message));
            return Ok(ExitCode::from(2));
        }
        Err(error) => return Err(anyhow::anyhow!("{error:?}")),
    };
    // The file is created only once the filters are known to be good.
    let (mut out, name): (Box<dyn Write>, String) = match &args.out {
        Some(path) => (
            Box::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating {}", path.display()))?,
            ),
            path.display().to_string(),
        ),
        None => (Box::new(std::io::stdout().lock()), "stdout".to_owned()),
    };
    let mut encoder = Encoder::new(args.format, args.base_url.as_deref());
    let mut closed = false;
    let mut selection = selection(&filters);
    selection.imported_order = args.sort.as_deref().is_some_and(imported);
    let n = write_export(pool, &selection, &mut encoder, |chunk| {
        let written = match out.write_all(&chunk) {
            Ok(()) => Ok(true),
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                closed = true;
                Ok(false)
            }
            Err(e) => Err(anyhow::Error::new(e).context(format!("writing to {name}"))),
        };
        std::future::ready(written)
    })
    .await?;
    if closed {
        eprintln!("stopped: the output was closed after {n} statements");
    } else {
        out.flush().context("writing the export")?;
        eprintln!("exported {n} statements");
    }
    Ok(ExitCode::SUCCESS)
}

/// The web's message for a parameter, with the parameter as the command line names it.
fn cli_message(message: &str) -> String {
    let mut out = message.to_owned();
    for name in ["forum", "speaker", "year", "kind", "lang", "sort"] {
        out = out.replace(&format!("`{name}`"), &format!("`--{name}`"));
    }
    out
}

/// Restores one exported record: checks it can be stored as it is (an id and aliases
/// that are slugs, a source of a known format) and gives the statement and its source.
pub fn check_record(record: &Record) -> Result<Source, String> {
    let slug = |s: &str| {
        !s.is_empty()
            && s.len() <= 200
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !slug(&record.statement.id) {
        return Err(format!(
            "id {:?} is not a slug",
            shorten(&record.statement.id)
        ));
    }
    if let Some(alias) = record.aliases.iter().find(|a| !slug(a)) {
        return Err(format!("alias {:?} is not a slug", shorten(alias)));
    }
    let source = record
        .source
        .as_ref()
        .ok_or("no source: the statement could not be parsed again")?
        .to_source()?;
    Ok(source)
}

/// The record of the stored statement `id`, as an export writes it; `None` when no
/// statement has this id.
pub async fn load_record(db: &SqlitePool, id: &str) -> anyhow::Result<Option<Record>> {
    let sql = format!("{} WHERE s.id = ?1", record_select());
    let row = sqlx::query(&sql).bind(id).fetch_optional(db).await?;
    Ok(row.map(|r| record_of(&r)).transpose()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Segment};

    fn segment(n: u32, kind: SegmentKind, label: Option<&str>, paragraphs: &[&str]) -> Segment {
        Segment {
            n,
            kind,
            speaker: None,
            label: label.map(str::to_owned),
            note: None,
            exchange: None,
            anchor: format!("x{n}"),
            title: None,
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn statement() -> Statement {
        let mut heading = segment(1, SegmentKind::Heading, None, &[]);
        heading.title = Some("On Syria".into());
        let mut answer = segment(
            3,
            SegmentKind::Answer,
            Some("Wang Yi"),
            &["First, \"yes\".", "Second, no."],
        );
        answer.note = Some("speaking in Chinese".into());
        Statement {
            id: "2020-01-01-x".into(),
            title: Some("Remarks, Moscow".into()),
            date: "2020-01-01".parse().ok(),
            time: None,
            place: None,
            kind: Kind::Remarks,
            language: "en".into(),
            languages: vec!["en".into(), "ru".into()],
            source_number: None,
            source_url: None,
            forums: vec![],
            speakers: vec![],
            tags: vec!["A, B".into()],
            segments: vec![
                heading,
                segment(2, SegmentKind::Question, Some("Question"), &["Why?"]),
                answer,
            ],
        }
    }

    #[test]
    fn plain_text_labels_the_first_paragraph_of_each_turn() {
        assert_eq!(
            plain_text(&statement()),
            "On Syria\n\nQuestion: Why?\n\nWang Yi (speaking in Chinese): First, \"yes\".\n\nSecond, no."
        );
    }

    #[test]
    fn records_keep_contract_order_then_source_and_aliases() {
        let record = Record {
            statement: statement(),
            source: Some(ExportSource {
                format: "text".into(),
                file_name: Some("a.txt".into()),
                content: "Remarks".into(),
                fields: None,
            }),
            aliases: vec!["old".into()],
        };
        let mut out = Vec::new();
        Encoder::new(Format::Jsonl, None)
            .encode(&record, &mut out)
            .unwrap();
        let line = String::from_utf8(out).unwrap();
        let contract = serde_json::to_string(&record.statement).unwrap();
        assert!(line.starts_with(contract.trim_end_matches('}')), "{line}");
        assert!(line.ends_with(
            ",\"source\":{\"format\":\"text\",\"file_name\":\"a.txt\",\"content\":\"Remarks\",\"fields\":null},\"aliases\":[\"old\"]}\n"
        ));
        let back: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(back, record);
    }

    #[test]
    fn csv_rows_quote_what_needs_quoting() {
        let record = Record {
            statement: statement(),
            source: None,
            aliases: vec![],
        };
        let mut encoder = Encoder::new(Format::Csv, Some("https://a.example/"));
        let mut out = Vec::new();
        encoder.header(&mut out).unwrap();
        encoder.encode(&record, &mut out).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][12], "A, B");
        assert_eq!(&rows[0][13], "https://a.example/statements/2020-01-01-x");
        assert_eq!(&rows[0][14], plain_text(&record.statement));
    }

    #[test]
    fn records_with_bad_ids_or_sources_are_refused() {
        let mut record = Record {
            statement: statement(),
            source: None,
            aliases: vec![],
        };
        assert!(check_record(&record).unwrap_err().contains("no source"));
        record.source = Some(ExportSource {
            format: "pdf".into(),
            file_name: None,
            content: String::new(),
            fields: None,
        });
        assert!(check_record(&record)
            .unwrap_err()
            .contains("unknown source format"));
        record.source.as_mut().unwrap().format = "row".into();
        assert!(check_record(&record).is_ok());
        record.aliases = vec!["Not A Slug".into()];
        assert!(check_record(&record).unwrap_err().contains("alias"));
        record.aliases.clear();
        record.statement.id = "../x".into();
        assert!(check_record(&record).unwrap_err().contains("not a slug"));
    }
}
