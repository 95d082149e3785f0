//! The statement's text as turns: remarks, questions, answers and briefing headings,
//! with exchanges and anchors.

use super::labels::{self, Role};
use super::lines::ends_sentence;
use super::title::title_case_if_caps;
use crate::model::{Kind, Segment, SegmentKind, SpeakerRef};
use crate::registry::Registry;
use std::collections::{HashMap, HashSet};

/// What the body needs to know from outside it.
pub struct Ctx<'a> {
    /// Forums and speakers.
    pub registry: &'a Registry,
    /// The statement's title, if any.
    pub title: Option<&'a str>,
    /// The kind read from the title.
    pub kind: Kind,
    /// Speakers the title names (or the row's speaker), first speaker first.
    pub title_speakers: &'a [SpeakerRef],
}

/// The turns of a statement and the labelled speakers in order of appearance.
#[derive(Debug, Default)]
pub struct Body {
    /// Segments numbered from 1.
    pub segments: Vec<Segment>,
    /// Everyone who speaks in a segment, in order of first appearance.
    pub speakers: Vec<SpeakerRef>,
}

/// `Table of contents`, `Содержание`.
pub fn is_toc_marker(par: &str) -> bool {
    if par.len() > 40 {
        return false;
    }
    let k = par.trim_end_matches([':', ' ']).to_lowercase();
    matches!(
        k.as_str(),
        "table of contents" | "contents" | "содержание" | "оглавление"
    )
}

/// `Answers to media questions:`, `Из ответов на вопросы:` and their kin.
fn is_qa_heading(par: &str) -> bool {
    if par.len() > 360
        || par.chars().count() > 90
        || labels::split(par).is_some_and(|l| !l.rest.is_empty())
    {
        return false;
    }
    let k = par.trim_end_matches([':', ' ', '.']).to_lowercase();
    [
        "answers to media questions",
        "answers to questions",
        "from answers to",
        "answer to a media question",
        "answers to the media",
        "из ответов на вопрос",
        "ответы на вопросы",
        "ответ на вопрос",
    ]
    .iter()
    .any(|p| k.starts_with(p))
}

/// A heading's comparison key: numbering, bullets, case and end punctuation removed.
fn heading_key(par: &str) -> String {
    let t = par.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '.' | ')' | '•' | '-' | '–' | ' ' | '*')
    });
    t.trim_end_matches(['.', ':', ' ', ';'])
        .to_lowercase()
        .replace(['«', '»', '“', '”', '"'], "")
}

/// Finds a table of contents, removes it from the paragraphs, returns its items' keys.
fn take_toc(pars: &mut Vec<String>) -> HashSet<String> {
    let Some(m) = pars.iter().position(|p| is_toc_marker(p)) else {
        return HashSet::new();
    };
    let mut cands: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut j = m + 1;
    while let Some(p) = pars.get(j) {
        let k = heading_key(p);
        if k.is_empty()
            || seen.contains(&k)
            || p.chars().count() > 300
            || labels::split(p).is_some_and(|l| l.role != Role::Name)
        {
            break;
        }
        seen.insert(k.clone());
        cands.push(k);
        j += 1;
    }
    // Items are the candidates up to the last one the body repeats as a heading.
    let later: HashSet<String> = pars[j..].iter().map(|p| heading_key(p)).collect();
    let n = match cands.iter().rposition(|k| later.contains(k)) {
        Some(i) => i + 1,
        None => pars[m + 1..j]
            .iter()
            .take_while(|p| p.starts_with(|c: char| c.is_ascii_digit()))
            .count(),
    };
    pars.drain(m..m + 1 + n);
    cands.truncate(n);
    cands.into_iter().collect()
}

/// Who speaks a turn, before exchanges are worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Who {
    /// No label.
    Unlabelled,
    /// `Question:` and its kin.
    Question,
    /// `Answer:`: the first speaker.
    Answer,
    /// `Moderator:`: an unnamed host.
    Host,
    /// A speaker the registry or the title knows.
    Known(SpeakerRef),
    /// A name nobody knows: a person or an outlet (by key).
    Generic(String),
    /// Unlabelled words after a question in a text that labels no answers.
    Implied,
}

/// A turn or heading before numbering.
#[derive(Debug)]
enum Item {
    Heading(String),
    Turn {
        who: Who,
        label: Option<String>,
        note: Option<String>,
        paragraphs: Vec<String>,
    },
}

/// Words of places, bodies and documents: a phrase holding one is a topic, not a name
/// (`Middle East:`, `Security Council:`).
const NOT_NAMES: &[&str] = &[
    "east",
    "west",
    "north",
    "south",
    "middle",
    "central",
    "union",
    "united",
    "states",
    "nations",
    "council",
    "republic",
    "federation",
    "organization",
    "organisation",
    "treaty",
    "agreement",
    "committee",
    "security",
    "assembly",
    "ministry",
    "conference",
    "summit",
    "forum",
    "group",
    "partnership",
    "declaration",
    "convention",
    "charter",
    "programme",
    "program",
    "plan",
    "initiative",
    "format",
    "process",
    "talks",
    "agenda",
    "strategy",
    "doctrine",
    "concept",
    "point",
    "part",
    "section",
    "article",
    "chapter",
    "asia",
    "europe",
    "africa",
    "america",
    "caucasus",
    "balkans",
    "peninsula",
    "region",
    "sea",
    "ocean",
    "gulf",
    "island",
    "islands",
    "ukraine",
    "russia",
    "syria",
    "iran",
    "iraq",
    "china",
    "india",
    "japan",
    "korea",
    "israel",
    "palestine",
    "afghanistan",
    "союз",
    "совет",
    "республика",
    "федерация",
    "организация",
    "договор",
    "соглашение",
    "восток",
    "запад",
    "север",
    "юг",
    "ближний",
    "средний",
    "азия",
    "европа",
    "африка",
    "америка",
    "украина",
    "россия",
    "сирия",
    "иран",
    "китай",
    "индия",
];

/// Role words that are not part of a name (`Foreign Minister Ivanov` → `Ivanov`).
const ROLE_WORDS: &[&str] = &[
    "foreign",
    "minister",
    "secretary",
    "general",
    "secretary-general",
    "deputy",
    "president",
    "prime",
    "chairman",
    "chairperson",
    "chair",
    "ambassador",
    "spokesperson",
    "spokeswoman",
    "spokesman",
    "director",
    "head",
    "mr",
    "mr.",
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "dr",
    "dr.",
    "of",
    "the",
    "russian",
    "russia",
    "federation",
    "affairs",
    "state",
    "us",
    "u.s.",
    "official",
    "representative",
    "executive",
    "first",
    "high",
    "special",
    "envoy",
    "министр",
    "министра",
    "заместитель",
    "директор",
    "официальный",
    "представитель",
    "посол",
    "президент",
    "председатель",
    "генеральный",
    "генсекретарь",
    "секретарь",
    "иностранных",
    "дел",
    "российской",
    "федерации",
    "россии",
    "г-н",
    "господин",
    "г-жа",
    "госпожа",
];

/// The name without leading role words.
fn strip_roles(name: &str) -> &str {
    let mut rest = name.trim();
    loop {
        let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        if tail.is_empty() || !ROLE_WORDS.contains(&word.to_lowercase().as_str()) {
            return rest;
        }
        rest = tail.trim_start();
    }
}

/// The surname of a printed name: its last word without initials (`S.V.Lavrov` → `lavrov`).
pub(super) fn surname(name: &str) -> String {
    // Initials after the surname (`Лавров С.В.`) are not it.
    let is_initials = |w: &str| w.split('.').all(|p| p.chars().count() <= 2);
    let last = name
        .split_whitespace()
        .rev()
        .find(|w| !is_initials(w))
        .or_else(|| name.split_whitespace().last())
        .unwrap_or("");
    let last = last.rsplit('.').find(|s| !s.is_empty()).unwrap_or(last);
    let last = last.trim_end_matches([',', ';', ':']);
    let last = last
        .strip_suffix("’s")
        .or_else(|| last.strip_suffix("'s"))
        .unwrap_or(last);
    last.to_lowercase()
}

/// Whether two surnames are one, allowing Russian case endings (`Лавров`/`Лаврова`)
/// and either script (`Lavrov`/`Лавров`).
pub(super) fn same_surname(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    if a.is_ascii() != b.is_ascii() {
        let (a, b) = (crate::text::slugify(a), crate::text::slugify(b));
        return a.len() >= 3 && a == b;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 4
        && long.starts_with(short)
        && long.chars().count() - short.chars().count() <= 2
        && !short.is_ascii()
}

/// Surnames a speaker goes by: the English and Russian names' last words.
pub(super) fn surnames_of(registry: &Registry, s: &SpeakerRef) -> Vec<String> {
    let mut out = vec![surname(&s.name)];
    if let Some(sp) = registry.speaker(&s.slug) {
        if let Some(ru) = &sp.name_ru {
            out.push(surname(ru));
        }
        out.extend(sp.aliases.iter().map(|a| surname(a)));
    }
    out.retain(|s| !s.is_empty());
    out.dedup();
    out
}

/// Whether a paragraph names someone by one of these surnames (in any case form).
fn mentions(par: &str, surnames: &[String]) -> bool {
    par.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .any(|w| {
            let w = w.to_lowercase();
            surnames.iter().filter(|s| s.chars().count() >= 3).any(|s| {
                w == *s || (w.starts_with(s.as_str()) && w.chars().count() <= s.chars().count() + 3)
            })
        })
}

/// Resolves a label's name to a speaker the registry or the title knows.
fn resolve_known(ctx: &Ctx<'_>, printed: &str) -> Option<SpeakerRef> {
    let to_ref = |s: &crate::registry::Speaker| SpeakerRef {
        slug: s.slug.clone(),
        name: s.name.clone(),
    };
    if let Some(s) = ctx.registry.match_speaker(printed) {
        return Some(to_ref(s));
    }
    let stripped = strip_roles(printed);
    if stripped != printed {
        if let Some(s) = ctx.registry.match_speaker(stripped) {
            return Some(to_ref(s));
        }
    }
    let sur = surname(stripped);
    ctx.title_speakers
        .iter()
        .find(|t| {
            surnames_of(ctx.registry, t)
                .iter()
                .any(|s| same_surname(s, &sur))
        })
        .cloned()
}

/// The title's speakers who speak: a person after the first whom the title names as the
/// other side of talks (`talks with ...`, `переговоров с ...`) is not, unless the event
/// is joint (`joint news conference with ...`).
pub fn speaking_in_title(
    title: &str,
    speakers: Vec<SpeakerRef>,
    registry: &Registry,
) -> Vec<SpeakerRef> {
    if speakers.len() < 2 {
        return speakers;
    }
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = Vec::with_capacity(speakers.len());
    for (k, sp) in speakers.into_iter().enumerate() {
        let surnames = surnames_of(registry, &sp);
        let at = words.iter().position(|w| {
            surnames.iter().any(|s| {
                same_surname(s, w)
                    || (s.chars().count() >= 4
                        && w.starts_with(s.as_str())
                        && w.chars().count() <= s.chars().count() + 3)
            })
        });
        let other_side = k > 0
            && at.is_some_and(|p| {
                let before = &words[p.saturating_sub(9)..p];
                match before.iter().rposition(|w| {
                    matches!(
                        w.as_str(),
                        "with" | "to" | "for" | "and" | "с" | "со" | "и" | "к" | "для"
                    )
                }) {
                    Some(i) if !matches!(before[i].as_str(), "and" | "и") => {
                        let lead = &words
                            [(p.saturating_sub(9) + i).saturating_sub(5)..p.saturating_sub(9) + i];
                        !lead
                            .iter()
                            .any(|w| w == "joint" || w.starts_with("совместн"))
                    }
                    _ => false,
                }
            });
        if !other_side {
            out.push(sp);
        }
    }
    out
}

/// Whether the generic name appears in the title (a participant, not the press).
fn named_in_title(ctx: &Ctx<'_>, printed: &str) -> bool {
    let sur = surname(strip_roles(printed));
    ctx.title
        .is_some_and(|t| sur.chars().count() >= 3 && mentions(t, &[sur]))
}

/// Builds the segments of a statement from its paragraphs.
pub fn build(mut pars: Vec<String>, ctx: &Ctx<'_>) -> Body {
    let toc = take_toc(&mut pars);

    // Labels, and how often each unknown name labels a paragraph.
    let found: Vec<Option<labels::Label<'_>>> = pars.iter().map(|p| labels::split(p)).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut known: HashMap<String, Option<SpeakerRef>> = HashMap::new();
    let mut has_known_label = false;
    for l in found.iter().flatten() {
        if l.role == Role::Name {
            let key = l.printed.to_lowercase();
            let k = known
                .entry(key.clone())
                .or_insert_with(|| resolve_known(ctx, l.printed));
            has_known_label |= k.is_some();
            *counts.entry(key).or_default() += 1;
        } else {
            has_known_label = true;
        }
    }
    let accept = |l: &labels::Label<'_>| -> bool {
        if l.role != Role::Name {
            return true;
        }
        let key = l.printed.to_lowercase();
        if known.get(&key).is_some_and(Option::is_some) {
            return true;
        }
        let words = l.printed.split_whitespace().count();
        // A name labelling one paragraph only must read as a person's, opening a sentence.
        let person_like = (2..=5).contains(&words)
            && !l.printed.split_whitespace().any(|w| {
                NOT_NAMES.contains(&w.to_lowercase().as_str())
                    || ctx.registry.forums().iter().any(|f| f.acronym == w)
            })
            && l.rest
                .chars()
                .next()
                .is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || "«\"“'(".contains(c));
        counts.get(&key).copied().unwrap_or(0) >= 2
            || l.note.is_some()
            || named_in_title(ctx, l.printed)
            || (person_like && (has_known_label || labels::is_caps(l.printed)))
    };

    // Generic names sharing a surname are one person (`S.V. Lavrov`, `Sergey Lavrov`).
    let mut generic_by_surname: HashMap<String, String> = HashMap::new();
    let mut generic_names: HashMap<String, String> = HashMap::new();

    let mut items: Vec<Item> = Vec::new();
    let mut open_turn = false; // unlabelled text continues the current turn
    let mut questions_since_heading = false;
    for (i, par) in pars.iter().enumerate() {
        let label = found[i].as_ref().filter(|l| accept(l));
        if label.is_none() {
            let is_heading = (!toc.is_empty() && toc.contains(&heading_key(par)))
                || is_qa_heading(par)
                || (ctx.kind == Kind::Briefing
                    && !questions_since_heading
                    && looks_like_heading(par, pars.get(i + 1)));
            if is_heading {
                let title = par.clone();
                items.push(Item::Heading(title));
                open_turn = false;
                questions_since_heading = false;
                continue;
            }
            if open_turn {
                if let Some(Item::Turn { paragraphs, .. }) = items.last_mut() {
                    paragraphs.push(par.clone());
                    continue;
                }
            }
            items.push(Item::Turn {
                who: Who::Unlabelled,
                label: None,
                note: None,
                paragraphs: vec![par.clone()],
            });
            open_turn = true;
            continue;
        }
        let Some(l) = label else { continue };
        let who = match l.role {
            Role::Question => {
                questions_since_heading = true;
                Who::Question
            }
            Role::Answer => Who::Answer,
            Role::Host => Who::Host,
            Role::Name => match known.get(&l.printed.to_lowercase()).cloned().flatten() {
                Some(s) => Who::Known(s),
                None => {
                    let stripped = strip_roles(l.printed);
                    let sur = surname(stripped);
                    let key = generic_by_surname
                        .entry(sur)
                        .or_insert_with(|| l.printed.to_lowercase())
                        .clone();
                    generic_names
                        .entry(key.clone())
                        .or_insert_with(|| title_case_if_caps(stripped));
                    Who::Generic(key)
                }
            },
        };
        items.push(Item::Turn {
            who,
            label: Some(l.printed.to_string()),
            note: l.note.map(str::to_string),
            paragraphs: if l.rest.is_empty() {
                Vec::new()
            } else {
                vec![l.rest.to_string()]
            },
        });
        open_turn = true;
    }
    // A label with no words after it and none following (another label next) says nothing.
    items.retain(|it| !matches!(it, Item::Turn { paragraphs, .. } if paragraphs.is_empty()));
    let items = implied_answers(items);

    number(items, ctx, &generic_names)
}

/// In a text that labels questions but no answers, the paragraphs after a question's
/// first are the answer of the statement's first speaker.
fn implied_answers(items: Vec<Item>) -> Vec<Item> {
    let mut asked = false;
    for it in &items {
        match it {
            Item::Turn {
                who: Who::Question, ..
            } => asked = true,
            Item::Turn {
                who: Who::Answer | Who::Known(_) | Who::Generic(_) | Who::Host,
                ..
            } => return items,
            _ => {}
        }
    }
    if !asked {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() * 2);
    for it in items {
        match it {
            Item::Turn {
                who: Who::Question,
                label,
                note,
                mut paragraphs,
            } if paragraphs.len() > 1 => {
                let answer = paragraphs.split_off(1);
                out.push(Item::Turn {
                    who: Who::Question,
                    label,
                    note,
                    paragraphs,
                });
                out.push(Item::Turn {
                    who: Who::Implied,
                    label: None,
                    note: None,
                    paragraphs: answer,
                });
            }
            other => out.push(other),
        }
    }
    out
}

/// A briefing heading without a table of contents: a short title-like line before text.
fn looks_like_heading(par: &str, next: Option<&String>) -> bool {
    let n = par.chars().count();
    let words = par.split_whitespace().count();
    let first_ok = par
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "«\"“".contains(c));
    first_ok
        && n <= 160
        && (2..=24).contains(&words)
        && !ends_sentence(par)
        && next.is_some_and(|p| p.chars().count() > n)
}

/// Decides question/answer/remarks, exchanges and anchors, and numbers the segments.
fn number(items: Vec<Item>, ctx: &Ctx<'_>, generic_names: &HashMap<String, String>) -> Body {
    let owned: Vec<Option<Who>> = items
        .iter()
        .map(|it| match it {
            Item::Turn { who, .. } => Some(who.clone()),
            Item::Heading(_) => None,
        })
        .collect();
    let whos: Vec<Option<&Who>> = owned.iter().map(Option::as_ref).collect();
    let press = press_side(&whos, ctx, generic_names);
    let answerer = |w: Option<&Who>| match w {
        Some(Who::Answer | Who::Known(_) | Who::Implied) => true,
        Some(Who::Generic(k)) => !press.contains(k),
        _ => false,
    };

    // The first speaker: the title's, else whoever answers most.
    let generic_ref = |k: &String| {
        let name = generic_names.get(k).cloned().unwrap_or_else(|| k.clone());
        SpeakerRef {
            slug: crate::text::slugify(&name),
            name,
        }
    };
    let first: Option<SpeakerRef> = ctx.title_speakers.first().cloned().or_else(|| {
        let mut tally: Vec<(SpeakerRef, usize)> = Vec::new();
        for w in whos.iter().flatten() {
            let s = match w {
                Who::Known(s) => s.clone(),
                Who::Generic(k) if !press.contains(k) => generic_ref(k),
                _ => continue,
            };
            match tally.iter_mut().find(|(t, _)| t.slug == s.slug) {
                Some((_, n)) => *n += 1,
                None => tally.push((s, 1)),
            }
        }
        tally.sort_by_key(|t| std::cmp::Reverse(t.1));
        tally.into_iter().next().map(|(s, _)| s)
    });
    // The guest an editorial introduction would speak of.
    let first_surnames: Vec<String> = first
        .iter()
        .flat_map(|s| surnames_of(ctx.registry, s))
        .collect();

    let mut body = Body::default();
    let (mut e, mut answers, mut r, mut h) = (0u32, 0u32, 0u32, 0u32);
    let mut in_exchange = false;
    let mut seen_label = false;
    let mut speaking: HashSet<String> = HashSet::new();
    let mut push = |body: &mut Body, mut seg: Segment, who: Option<SpeakerRef>| {
        seg.n = body.segments.len() as u32 + 1;
        if let Some(s) = who {
            seg.speaker = Some(s.slug.clone());
            if speaking.insert(s.slug.clone()) {
                body.speakers.push(s);
            }
        }
        body.segments.push(seg);
    };
    let blank = |kind, anchor: String| Segment {
        n: 0,
        kind,
        speaker: None,
        label: None,
        note: None,
        exchange: None,
        anchor,
        title: None,
        paragraphs: Vec::new(),
    };

    for (idx, item) in items.into_iter().enumerate() {
        let (who, label, note, paragraphs) = match item {
            Item::Heading(title) => {
                h += 1;
                in_exchange = false;
                let mut seg = blank(SegmentKind::Heading, format!("h{h}"));
                seg.title = Some(title);
                push(&mut body, seg, None);
                continue;
            }
            Item::Turn {
                who,
                label,
                note,
                paragraphs,
            } => (who, label, note, paragraphs),
        };
        let next = whos.get(idx + 1).copied().flatten();
        let asks = match &who {
            Who::Question => true,
            Who::Host => answerer(next),
            Who::Generic(k) if press.contains(k) => answerer(next) || next.is_none(),
            _ => false,
        };
        let speaker: Option<SpeakerRef> = match &who {
            Who::Question | Who::Host => None,
            Who::Generic(k) if press.contains(k) => None,
            Who::Generic(k) => Some(generic_ref(k)),
            Who::Known(s) => Some(s.clone()),
            Who::Answer | Who::Implied => first.clone(),
            Who::Unlabelled => {
                // Before any label, text that names the guest in the third person is
                // an editorial introduction.
                if !seen_label && mentions(&paragraphs[0], &first_surnames) {
                    None
                } else {
                    first.clone()
                }
            }
        };
        if !matches!(who, Who::Unlabelled) {
            seen_label = true;
        }
        if asks {
            e += 1;
            answers = 0;
            in_exchange = true;
            let mut seg = blank(SegmentKind::Question, format!("q{e}"));
            seg.exchange = Some(e);
            seg.label = label;
            seg.note = note;
            seg.paragraphs = paragraphs;
            push(&mut body, seg, None);
            continue;
        }
        let is_press_remark =
            speaker.is_none() && !matches!(who, Who::Unlabelled | Who::Answer | Who::Implied);
        if in_exchange && !is_press_remark && !matches!(who, Who::Unlabelled) {
            answers += 1;
            let anchor = if answers == 1 {
                format!("a{e}")
            } else {
                format!("a{e}-{answers}")
            };
            let mut seg = blank(SegmentKind::Answer, anchor);
            seg.exchange = Some(e);
            seg.label = label;
            seg.note = note;
            seg.paragraphs = paragraphs;
            push(&mut body, seg, speaker);
            continue;
        }
        // Editorial text in the middle of a leading unlabelled run becomes its own turn.
        if matches!(who, Who::Unlabelled) && speaker.is_none() && first.is_some() && !seen_label {
            let split = paragraphs
                .iter()
                .position(|p| !mentions(p, &first_surnames))
                .unwrap_or(paragraphs.len());
            if split > 0 && split < paragraphs.len() {
                let mut paragraphs = paragraphs;
                let tail = paragraphs.split_off(split);
                r += 1;
                let mut seg = blank(SegmentKind::Remarks, format!("r{r}"));
                seg.paragraphs = paragraphs;
                push(&mut body, seg, None);
                r += 1;
                let mut seg = blank(SegmentKind::Remarks, format!("r{r}"));
                seg.paragraphs = tail;
                push(&mut body, seg, first.clone());
                continue;
            }
        }
        in_exchange = false;
        r += 1;
        let mut seg = blank(SegmentKind::Remarks, format!("r{r}"));
        seg.label = label;
        seg.note = note;
        seg.paragraphs = paragraphs;
        push(&mut body, seg, speaker);
    }
    body
}

/// Unknown names that stand on the press's side: interviewers and outlets whose turns
/// the known speakers answer, who never answer a question themselves.
fn press_side(
    whos: &[Option<&Who>],
    ctx: &Ctx<'_>,
    generic_names: &HashMap<String, String>,
) -> HashSet<String> {
    /// How a name's turns stand to their neighbours.
    #[derive(Default)]
    struct Flags {
        answers_q: bool,
        answered: bool,
        before_q: bool,
        follows_known: bool,
    }
    let has_q = whos.iter().any(|w| matches!(w, Some(Who::Question)));
    let mut flags: HashMap<&str, Flags> = HashMap::new();
    for (i, w) in whos.iter().enumerate() {
        let Some(Who::Generic(key)) = w else { continue };
        let prev = if i > 0 { whos[i - 1] } else { None };
        let next = whos.get(i + 1).copied().flatten();
        let f = flags.entry(key.as_str()).or_default();
        f.answers_q |= matches!(prev, Some(Who::Question));
        f.follows_known |= match prev {
            Some(Who::Answer | Who::Known(_)) => true,
            Some(Who::Generic(other)) => other != key,
            _ => false,
        };
        f.answered |= matches!(next, Some(Who::Answer | Who::Known(_)));
        f.before_q |= matches!(next, Some(Who::Question));
    }
    let mut out = HashSet::new();
    for key in generic_names.keys() {
        let Some(f) = flags.get(key.as_str()) else {
            continue;
        };
        let is_press = if has_q {
            // A second answerer speaks after a known speaker; a host or outlet
            // introducing the questions does not.
            !f.answers_q && !f.follows_known && (f.answered || f.before_q)
        } else {
            f.answered
                && (!named_in_title(ctx, key)
                    || matches!(ctx.kind, Kind::Interview | Kind::Answers))
        };
        if is_press {
            out.insert(key.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames() {
        assert_eq!(surname("S.V. Lavrov"), "lavrov");
        assert_eq!(surname("С.В.Лавров"), "лавров");
        assert_eq!(surname("Foreign Minister Ivanov"), "ivanov");
        assert_eq!(surname("Jones"), "jones");
        assert!(same_surname("лавров", "лаврова"));
        assert!(!same_surname("ivanov", "ivanova"));
        assert_eq!(strip_roles("Foreign Minister Ivanov"), "Ivanov");
    }
}
