//! Shared helpers for the parser's golden and property tests: fixture loading, the
//! hand-written expectation tables and the comparison that reports every mismatch at once.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use communique::model::{SegmentKind, Statement};
use communique::parse::parse_bytes;
use communique::registry::Registry;

/// Shorthands that keep the expectation tables readable.
pub const R: SegmentKind = SegmentKind::Remarks;
/// A question turn.
pub const Q: SegmentKind = SegmentKind::Question;
/// An answer turn.
pub const A: SegmentKind = SegmentKind::Answer;
/// Sergey Lavrov's slug as a turn's speaker.
pub const LAVROV: Option<&str> = Some("sergey-lavrov");
/// Igor Ivanov's slug as a turn's speaker.
pub const IVANOV: Option<&str> = Some("igor-ivanov");
/// No speaker: the press, an outlet, an editorial voice.
pub const NOBODY: Option<&str> = None;

/// One expected turn: kind, anchor, speaker, label, note, exchange, number of paragraphs,
/// and words of its paragraphs: `[first starts, first ends]` when it has one paragraph,
/// `[first starts, first ends, last starts, last ends]` when it has more.
pub type Turn = (
    SegmentKind,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<u32>,
    usize,
    &'static [&'static str],
);

/// What a careful reader expects a parsed statement to hold.
pub struct Expected {
    /// Fixture path under `tests/fixtures/`.
    pub file: &'static str,
    pub title: Option<&'static str>,
    /// `YYYY-MM-DD`.
    pub date: Option<&'static str>,
    pub time: Option<&'static str>,
    pub place: Option<&'static str>,
    /// Contract 1's snake_case kind.
    pub kind: &'static str,
    pub language: &'static str,
    pub languages: &'static [&'static str],
    pub source_number: Option<&'static str>,
    /// Forum slugs in title order.
    pub forums: &'static [&'static str],
    /// Speaker slugs in order of first appearance.
    pub speakers: &'static [&'static str],
    pub tags: &'static [&'static str],
    pub questions: usize,
    pub answers: usize,
    /// For every exchange, the slugs of who answered it, in order (empty: unanswered).
    pub answered: Vec<(u32, Vec<&'static str>)>,
    pub turns: Vec<Turn>,
}

/// Absolute path of a fixture under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The fixture's bytes.
#[track_caller]
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = fixture(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The built-in registry (parsing must not depend on user files).
pub fn registry() -> Registry {
    Registry::builtin()
}

/// Parses a fixture through the public byte entry point, as `communique parse` does.
#[track_caller]
pub fn parse_fixture(rel: &str) -> Statement {
    match parse_bytes(&fixture_bytes(rel), &registry()) {
        Ok(statement) => statement,
        Err(e) => panic!("{rel}: parse failed: {e}"),
    }
}

/// Whitespace normalised as Contract 1 means it: runs of any whitespace (NBSP included)
/// become one space, ends trimmed.
pub fn norm_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `.txt` file directly in a fixture folder, sorted; an absent folder gives none.
pub fn fixture_files(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fixture(dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    files.sort();
    files
}

fn opt(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

/// Compares a statement with its expectation and panics listing every difference, so a
/// single run shows all that is wrong in one document.
#[track_caller]
pub fn check(got: &Statement, exp: &Expected) {
    let mut bad: Vec<String> = Vec::new();
    let mut eq = |field: &str, got: String, want: String| {
        if got != want {
            bad.push(format!("{field}: expected {want}, got {got}"));
        }
    };
    eq(
        "title",
        format!("{:?}", got.title),
        format!("{:?}", opt(exp.title)),
    );
    eq(
        "date",
        format!("{:?}", got.date.map(|d| d.to_string())),
        format!("{:?}", opt(exp.date)),
    );
    eq(
        "time",
        format!("{:?}", got.time),
        format!("{:?}", opt(exp.time)),
    );
    eq(
        "place",
        format!("{:?}", got.place),
        format!("{:?}", opt(exp.place)),
    );
    eq("kind", got.kind.as_str().to_string(), exp.kind.to_string());
    eq("language", got.language.clone(), exp.language.to_string());
    eq(
        "languages",
        format!("{:?}", got.languages),
        format!("{:?}", exp.languages),
    );
    eq(
        "source_number",
        format!("{:?}", got.source_number),
        format!("{:?}", opt(exp.source_number)),
    );
    eq(
        "source_url",
        format!("{:?}", got.source_url),
        "None".to_string(),
    );
    let forums: Vec<&str> = got.forums.iter().map(|f| f.slug.as_str()).collect();
    eq("forums", format!("{forums:?}"), format!("{:?}", exp.forums));
    let speakers: Vec<&str> = got.speakers.iter().map(|s| s.slug.as_str()).collect();
    eq(
        "speakers",
        format!("{speakers:?}"),
        format!("{:?}", exp.speakers),
    );
    eq("tags", format!("{:?}", got.tags), format!("{:?}", exp.tags));
    eq(
        "segments",
        got.segments.len().to_string(),
        exp.turns.len().to_string(),
    );
    let count = |k: SegmentKind| got.segments.iter().filter(|s| s.kind == k).count();
    eq("questions", count(Q).to_string(), exp.questions.to_string());
    eq("answers", count(A).to_string(), exp.answers.to_string());
    let headings = count(SegmentKind::Heading);
    eq("headings", headings.to_string(), "0".to_string());

    // The forums in these documents all go by their upper-case slug (`CSTO`, `G20`).
    for forum in &got.forums {
        if forum.acronym != forum.slug.to_uppercase() || forum.name.is_empty() {
            bad.push(format!(
                "forum {}: acronym {:?}, name {:?}",
                forum.slug, forum.acronym, forum.name
            ));
        }
    }
    // Display names of the people these documents name, as the registry spells them.
    for speaker in &got.speakers {
        let want = match speaker.slug.as_str() {
            "sergey-lavrov" => "Sergey Lavrov",
            "sergey-lebedev" => "Sergey Lebedev",
            "igor-ivanov" => "Igor Ivanov",
            _ => continue,
        };
        if speaker.name != want {
            bad.push(format!(
                "speaker {}: name {:?}, expected {want:?}",
                speaker.slug, speaker.name
            ));
        }
    }
    // The id is not pinned word for word, only its shape: the date (or `undated`) first.
    let prefix = exp.date.unwrap_or("undated");
    if !got.id.starts_with(prefix)
        || !got
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        bad.push(format!(
            "id: expected an ASCII slug starting {prefix:?}, got {:?}",
            got.id
        ));
    }

    for (e, who) in &exp.answered {
        let got_who: Vec<String> = got
            .segments
            .iter()
            .filter(|s| s.kind == A && s.exchange == Some(*e))
            .map(|s| s.speaker.clone().unwrap_or_else(|| "<none>".into()))
            .collect();
        if got_who != *who {
            bad.push(format!(
                "exchange {e} answered by: expected {who:?}, got {got_who:?}"
            ));
        }
    }

    // Turns are compared by anchor, so one misplaced turn does not hide the others; the
    // order is compared once, as the sequence of anchors.
    let want_order: Vec<&str> = exp.turns.iter().map(|t| t.1).collect();
    let got_order: Vec<&str> = got.segments.iter().map(|s| s.anchor.as_str()).collect();
    for (i, seg) in got.segments.iter().enumerate() {
        if seg.n as usize != i + 1 {
            bad.push(format!(
                "turn {}: n = {}, expected {}",
                seg.anchor,
                seg.n,
                i + 1
            ));
        }
    }
    if want_order != got_order {
        bad.push(format!(
            "anchors: expected {want_order:?}, got {got_order:?}"
        ));
    }
    for (i, turn) in exp.turns.iter().enumerate() {
        let (kind, anchor, speaker, label, note, exchange, paras, words) = *turn;
        let Some(seg) = got.segments.iter().find(|s| s.anchor == anchor) else {
            bad.push(format!("turn {anchor} (#{}) missing", i + 1));
            continue;
        };
        let at = format!("turn {anchor}");
        let mut field = |name: &str, g: String, w: String| {
            if g != w {
                bad.push(format!("{at} {name}: expected {w}, got {g}"));
            }
        };
        field("kind", seg.kind.as_str().into(), kind.as_str().into());
        field("anchor", seg.anchor.clone(), anchor.into());
        field(
            "speaker",
            format!("{:?}", seg.speaker),
            format!("{:?}", opt(speaker)),
        );
        field(
            "label",
            format!("{:?}", seg.label),
            format!("{:?}", opt(label)),
        );
        field(
            "note",
            format!("{:?}", seg.note),
            format!("{:?}", opt(note)),
        );
        field(
            "exchange",
            format!("{:?}", seg.exchange),
            format!("{exchange:?}"),
        );
        field("title", format!("{:?}", seg.title), "None".into());
        field(
            "paragraphs",
            seg.paragraphs.len().to_string(),
            paras.to_string(),
        );
        let (first, last) = (seg.paragraphs.first(), seg.paragraphs.last());
        let checks: &[(Option<&String>, &str, bool)] = match words {
            [fs, fe] => &[(first, fs, true), (first, fe, false)],
            [fs, fe, ls, le] => &[
                (first, fs, true),
                (first, fe, false),
                (last, ls, true),
                (last, le, false),
            ],
            _ => panic!("{at}: words must hold 2 or 4 strings"),
        };
        for (which, (para, want, start)) in checks.iter().enumerate() {
            let place = if which < 2 { "first" } else { "last" };
            let ok = para.is_some_and(|p| {
                if *start {
                    p.starts_with(want)
                } else {
                    p.ends_with(want)
                }
            });
            if !ok {
                let shown = para.map(|p| {
                    let chars: Vec<char> = p.chars().collect();
                    if *start {
                        chars.iter().take(60).collect::<String>()
                    } else {
                        chars[chars.len().saturating_sub(60)..]
                            .iter()
                            .collect::<String>()
                    }
                });
                let how = if *start { "start" } else { "end" };
                bad.push(format!(
                    "{at} {place} paragraph should {how} with {want:?}, got {shown:?}"
                ));
            }
        }
    }
    for extra in got
        .segments
        .iter()
        .filter(|s| !want_order.contains(&s.anchor.as_str()))
    {
        bad.push(format!(
            "unexpected turn #{} {} {:?}: {:?}",
            extra.n,
            extra.anchor,
            extra.label,
            extra
                .paragraphs
                .first()
                .map(|p| p.chars().take(60).collect::<String>())
        ));
    }
    if !bad.is_empty() {
        panic!(
            "{}: {} mismatches\n  {}",
            exp.file,
            bad.len(),
            bad.join("\n  ")
        );
    }
}

/// `(e, [slug])` for exchanges `1..=n` answered by one speaker, skipping the unanswered.
pub fn answered_by(
    n: u32,
    slug: &'static str,
    unanswered: &[u32],
) -> Vec<(u32, Vec<&'static str>)> {
    (1..=n)
        .map(|e| {
            if unanswered.contains(&e) {
                (e, Vec::new())
            } else {
                (e, vec![slug])
            }
        })
        .collect()
}
