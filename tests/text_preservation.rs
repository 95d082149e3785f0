//! Properties every parsed page must have, checked on every fixture (the seeds, the real
//! transcripts as pages, and the format variants): each line of statement text survives,
//! in order, in some paragraph; no navigation residue does; turns are numbered and
//! anchored consistently.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{fixture, fixture_files, norm_ws, registry};
use communique::model::{SegmentKind, Statement};
use communique::parse::parse_bytes;

/// Every document fixture: seeds, real pages, and the variants folder with its subfolders.
fn documents() -> Vec<PathBuf> {
    let mut files = fixture_files("seeds", ".txt");
    files.extend(fixture_files("real", ".page.txt"));
    let mut dirs = vec![fixture("variants")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 15, "fixtures missing: {files:?}");
    files
}

/// The file as text, independently of the parser: UTF-8 (BOM dropped) or Windows-1251.
fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    match std::str::from_utf8(&bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned(),
    }
}

fn name(path: &Path) -> String {
    let base = fixture("");
    path.strip_prefix(&base)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn parse(path: &Path) -> Result<Statement, String> {
    parse_bytes(&std::fs::read(path).unwrap(), &registry())
        .map_err(|e| format!("{}: parse failed: {e}", name(path)))
}

/// Lines from which the footer starts: they and everything after are not statement text.
const FOOTER_STARTS: &[&str] = &[
    "Additional materials",
    "Advanced settings",
    "Дополнительные материалы",
    "Фотоальбом",
    "1 из 1 фотографий в альбоме",
    "Некорректно указаны даты",
    "Дополнительные инструменты поиска",
    "© Министерство иностранных дел Российской Федерации",
];

/// Whole lines that are navigation, never statement text.
const RESIDUE_LINES: &[&str] = &[
    "official site",
    "Официальный сайт",
    "Statements and speeches",
    "Table of contents",
    "Содержание",
    "Back to contents",
    "Назад к оглавлению",
    "Unofficial translation from Russian",
    "• Фото",
];

/// Strings that must never appear inside any paragraph.
const RESIDUE_STRINGS: &[&str] = &[
    "Advanced settings",
    "Additional materials",
    "Statements and speeches",
    "official site",
    "ru-RU1",
    "en-GB1",
    "Дополнительные материалы",
    "Дополнительные инструменты поиска",
    "Некорректно указаны даты",
    "фотографий в альбоме",
    "Фотоальбом",
    "Back to contents",
    "Назад к оглавлению",
    "© Министерство",
    " - Министерство иностранных дел Российской Федерации",
];

fn is_date_or_time_line(line: &str) -> bool {
    // `12 September 201214:03`, `3 марта 202211:00`, `15:38`.
    let glued = regex::Regex::new(r"^\d{1,2} \p{L}+ \d{4}\d{1,2}:\d{2}$").unwrap();
    let time = regex::Regex::new(r"^\d{1,2}:\d{2}$").unwrap();
    glued.is_match(line) || time.is_match(line)
}

fn is_header_line(line: &str, statement: &Statement) -> bool {
    let number = regex::Regex::new(r"^\d+-\d{2}-\d{2}-\d{4}$").unwrap();
    let locales = regex::Regex::new(r"^•?\s*([a-z]{2}-[A-Z]{2}\d*\s*)+$").unwrap();
    let title = statement.title.as_deref().map(norm_ws).unwrap_or_default();
    is_date_or_time_line(line)
        || number.is_match(line)
        || locales.is_match(line)
        || RESIDUE_LINES.contains(&line)
        || line.starts_with("Home \\")
        || line.starts_with("Главная \\")
        || (!title.is_empty()
            && title.contains(
                line.trim_end_matches(" - Министерство иностранных дел Российской Федерации"),
            ))
}

/// Lines that announce a briefing's sections: structure, not statement text.
const SECTION_LINES: &[&str] = &[
    "Answers to media questions",
    "From answers to media questions",
    "Из ответов на вопросы",
    "Ответы на вопросы СМИ",
];

/// The rest of `line` after a turn's label as printed: `Label:`, `Label (note):`, with
/// any spacing around the note and before the colon (`Question : ...`).
fn strip_label<'a>(line: &'a str, label: &str, note: Option<&str>) -> Option<&'a str> {
    let mut rest = line.strip_prefix(norm_ws(label).as_str())?.trim_start();
    if let Some(note) = note {
        rest = rest
            .strip_prefix(format!("({})", norm_ws(note)).as_str())?
            .trim_start();
    }
    Some(rest.strip_prefix(':')?.trim_start())
}

/// The statement text lines of a page: header, table of contents, section and label-only
/// lines and the footer left out.
fn text_lines(text: &str, statement: &Statement) -> Vec<String> {
    let headings: HashSet<String> = statement
        .segments
        .iter()
        .filter_map(|s| {
            s.title
                .as_deref()
                .map(|t| norm_ws(t).trim_end_matches(':').to_string())
        })
        .collect();
    let toc_item = regex::Regex::new(r"^\d+\.\s").unwrap();
    let mut lines = Vec::new();
    let (mut seen_text, mut in_toc) = (false, false);
    for raw in text.lines() {
        let line = norm_ws(raw);
        if line.is_empty() {
            continue;
        }
        if FOOTER_STARTS.contains(&line.as_str()) {
            break;
        }
        // Header lines only count as such before the statement text begins.
        if !seen_text && is_header_line(&line, statement) {
            in_toc = line == "Table of contents" || line == "Содержание";
            continue;
        }
        if in_toc && toc_item.is_match(&line) {
            continue;
        }
        in_toc = false;
        let bare = line.trim_end_matches(':');
        let label_only = statement.segments.iter().any(|s| {
            s.label
                .as_deref()
                .and_then(|l| strip_label(&line, l, s.note.as_deref()))
                .is_some_and(str::is_empty)
        });
        if RESIDUE_LINES.contains(&line.as_str())
            || SECTION_LINES.contains(&bare)
            || headings.contains(bare)
            || label_only
        {
            continue;
        }
        seen_text = true;
        lines.push(line);
    }
    lines
}

/// Walks the paragraphs in order and finds each text line at or after the last one found,
/// with its label (if any) removed; hard-wrapped lines may share a paragraph.
fn check_lines_survive(path: &Path, text: &str, statement: &Statement, bad: &mut Vec<String>) {
    let paragraphs: Vec<(usize, String)> = statement
        .segments
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.paragraphs.iter().map(move |p| (i, norm_ws(p))))
        .collect();
    let (mut at, mut offset) = (0usize, 0usize);
    let lines = text_lines(text, statement);
    if lines.is_empty() {
        bad.push(format!("{}: no statement text lines found", name(path)));
    }
    for line in lines {
        let mut found = false;
        for (k, (seg, para)) in paragraphs.iter().enumerate().skip(at) {
            let from = if k == at { offset } else { 0 };
            let rest = &para[from..];
            // The line as it is, or the line after the label of the turn holding it.
            let segment = &statement.segments[*seg];
            let unlabelled = segment
                .label
                .as_deref()
                .and_then(|l| strip_label(&line, l, segment.note.as_deref()));
            let needle = if rest.contains(line.as_str()) {
                Some(line.as_str())
            } else {
                unlabelled.filter(|u| !u.is_empty() && rest.contains(u))
            };
            if let Some(needle) = needle {
                let pos = from + rest.find(needle).unwrap() + needle.len();
                at = k;
                offset = pos;
                found = true;
                break;
            }
        }
        if !found {
            let shown: String = line.chars().take(80).collect();
            bad.push(format!(
                "{}: line lost or out of order: {shown:?}",
                name(path)
            ));
        }
    }
}

/// Parses a document; a page that holds only navigation may fail with `no statement text`
/// and is then left out of the properties below.
fn parse_document(path: &Path, bad: &mut Vec<String>) -> Option<Statement> {
    match parse(path) {
        Ok(statement) => Some(statement),
        Err(e) => {
            let empty = Statement {
                id: String::new(),
                title: None,
                date: None,
                time: None,
                place: None,
                kind: communique::model::Kind::Other,
                language: String::new(),
                languages: Vec::new(),
                source_number: None,
                source_url: None,
                forums: Vec::new(),
                speakers: Vec::new(),
                tags: Vec::new(),
                segments: Vec::new(),
            };
            let residue_only = text_lines(&read_text(path), &empty).is_empty();
            if !(residue_only && e.ends_with(": no statement text")) {
                bad.push(e);
            }
            None
        }
    }
}

#[test]
fn every_text_line_survives_in_order() {
    let mut bad = Vec::new();
    for path in documents() {
        if let Some(statement) = parse_document(&path, &mut bad) {
            check_lines_survive(&path, &read_text(&path), &statement, &mut bad);
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

#[test]
fn no_residue_in_paragraphs_or_tags() {
    let mut bad = Vec::new();
    for path in documents() {
        let Some(statement) = parse_document(&path, &mut bad) else {
            continue;
        };
        let title = statement.title.as_deref().map(norm_ws);
        // Footer navigation is not a topic tag either.
        for tag in &statement.tags {
            let tag = norm_ws(tag);
            if tag.is_empty()
                || FOOTER_STARTS.contains(&tag.as_str())
                || RESIDUE_LINES.contains(&tag.as_str())
                || RESIDUE_STRINGS.iter().any(|r| tag.contains(r))
            {
                bad.push(format!("{}: residue as a tag: {tag:?}", name(&path)));
            }
        }
        for seg in &statement.segments {
            for para in &seg.paragraphs {
                let shown = || para.chars().take(60).collect::<String>();
                for residue in RESIDUE_STRINGS {
                    if para.contains(residue) {
                        bad.push(format!(
                            "{} {}: residue {residue:?} in {:?}",
                            name(&path),
                            seg.anchor,
                            shown()
                        ));
                    }
                }
                if let Some(number) = &statement.source_number {
                    if para.contains(number.as_str()) {
                        bad.push(format!(
                            "{} {}: document number in {:?}",
                            name(&path),
                            seg.anchor,
                            shown()
                        ));
                    }
                }
                let line = norm_ws(para);
                if is_date_or_time_line(&line) || RESIDUE_LINES.contains(&line.as_str()) {
                    bad.push(format!(
                        "{} {}: residue paragraph {line:?}",
                        name(&path),
                        seg.anchor
                    ));
                }
                if title.as_deref() == Some(line.as_str()) {
                    bad.push(format!(
                        "{} {}: the title as a paragraph",
                        name(&path),
                        seg.anchor
                    ));
                }
                if statement.tags.iter().any(|t| norm_ws(t) == line) {
                    bad.push(format!(
                        "{} {}: a footer tag as a paragraph: {line:?}",
                        name(&path),
                        seg.anchor
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

/// Numbering, anchors, exchanges, paragraphs and speakers agree with Contract 1.
fn check_structure(path: &Path, statement: &Statement, bad: &mut Vec<String>) {
    let doc = name(path);
    let mut push = |msg: String| bad.push(format!("{doc}: {msg}"));
    if statement.segments.is_empty() {
        push("no segments".into());
    }
    let mut anchors = HashSet::new();
    let (mut remarks, mut headings, mut exchange, mut answers_in_exchange) = (0, 0, 0u32, 0);
    let speakers: HashSet<&str> = statement.speakers.iter().map(|s| s.slug.as_str()).collect();
    if speakers.len() != statement.speakers.len() {
        push(format!("speakers repeated: {:?}", statement.speakers));
    }
    for (i, seg) in statement.segments.iter().enumerate() {
        let at = &seg.anchor;
        if seg.n as usize != i + 1 {
            push(format!("segment #{} has n = {}", i + 1, seg.n));
        }
        if !anchors.insert(at.clone()) {
            push(format!("anchor {at} repeated"));
        }
        let expected = match seg.kind {
            SegmentKind::Remarks => {
                remarks += 1;
                (format!("r{remarks}"), None)
            }
            SegmentKind::Heading => {
                headings += 1;
                (format!("h{headings}"), None)
            }
            SegmentKind::Question => {
                exchange += 1;
                answers_in_exchange = 0;
                (format!("q{exchange}"), Some(exchange))
            }
            SegmentKind::Answer => {
                answers_in_exchange += 1;
                if exchange == 0 {
                    push(format!("{at}: an answer before any question"));
                }
                let anchor = if answers_in_exchange == 1 {
                    format!("a{exchange}")
                } else {
                    format!("a{exchange}-{answers_in_exchange}")
                };
                (anchor, Some(exchange))
            }
        };
        if *at != expected.0 || seg.exchange != expected.1 {
            push(format!(
                "{at} (exchange {:?}) should be {} (exchange {:?})",
                seg.exchange, expected.0, expected.1
            ));
        }
        match seg.kind {
            SegmentKind::Heading => {
                if !seg.paragraphs.is_empty()
                    || seg.title.as_deref().is_none_or(|t| t.trim().is_empty())
                {
                    push(format!("{at}: a heading needs a title and no paragraphs"));
                }
            }
            _ => {
                if seg.paragraphs.is_empty() {
                    push(format!("{at}: no paragraphs"));
                }
                if seg.title.is_some() {
                    push(format!("{at}: title on a non-heading"));
                }
            }
        }
        for para in &seg.paragraphs {
            if para.trim().is_empty() || *para != norm_ws(para) {
                push(format!(
                    "{at}: paragraph empty or not whitespace-normalised: {:?}",
                    para.chars().take(60).collect::<String>()
                ));
            }
        }
        if let Some(slug) = &seg.speaker {
            if !speakers.contains(slug.as_str()) {
                push(format!(
                    "{at}: speaker {slug} not among the statement's speakers"
                ));
            }
        }
        if seg.note.is_some() && seg.label.is_none() {
            push(format!("{at}: a note without a label"));
        }
    }
}

#[test]
fn turns_are_numbered_and_anchored_consistently() {
    let mut bad = Vec::new();
    for path in documents() {
        if let Some(statement) = parse_document(&path, &mut bad) {
            check_structure(&path, &statement, &mut bad);
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

/// The line check itself must notice a lost paragraph, a reordered one and a label left
/// in the text.
#[test]
fn the_line_check_notices_loss_reordering_and_labels() {
    let path = fixture("seeds/003_e563b7151c10cdad.txt");
    let text = read_text(&path);
    let statement = parse(&path).unwrap();
    let mut bad = Vec::new();
    check_lines_survive(&path, &text, &statement, &mut bad);
    assert!(bad.is_empty(), "{bad:?}");

    let mut lost = statement.clone();
    lost.segments[1].paragraphs.pop();
    check_lines_survive(&path, &text, &lost, &mut bad);
    assert_eq!(bad.len(), 1, "{bad:?}");

    let mut swapped = statement.clone();
    swapped.segments[1].paragraphs.swap(0, 1);
    bad.clear();
    check_lines_survive(&path, &text, &swapped, &mut bad);
    assert_eq!(bad.len(), 1, "{bad:?}");

    let mut unlabelled = statement;
    unlabelled.segments[1].label = None;
    bad.clear();
    check_lines_survive(&path, &text, &unlabelled, &mut bad);
    assert!(!bad.is_empty());
}
