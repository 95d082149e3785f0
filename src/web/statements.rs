//! Statements: the filtered list, the whole statement, one exchange on its own page, and
//! the statement as JSON (Contract 1's object).

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;

use crate::db::browse::{Count, ListQuery, StatementRow};
use crate::db::store;
use crate::model::{ForumRef, Kind, Segment, SegmentKind, SpeakerRef, Statement};
use crate::web::cite::Citation;
use crate::web::params::{prev_next, Filters, RawParams, Sort};
use crate::web::{html, moved, path_param, AppState, Error, Layout, Result};

/// `12 September 2012`.
pub fn human_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn human_date_str(date: Option<&str>) -> Option<String> {
    date.map(|d| match d.parse::<NaiveDate>() {
        Ok(d) => human_date(d),
        Err(_) => d.to_owned(),
    })
}

/// A statement in a list, ready to print.
#[derive(Debug, Clone)]
pub struct RowView {
    /// Link to the statement page.
    pub href: String,
    /// Title, or a stand-in for untitled statements.
    pub title: String,
    /// Machine date `YYYY-MM-DD`, for `<time datetime>`.
    pub date: Option<String>,
    /// Human date.
    pub date_human: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Human kind label.
    pub kind: &'static str,
    /// Language code.
    pub language: String,
    /// Forums: slug and acronym.
    pub forums: Vec<(String, String)>,
    /// Speakers: slug and name.
    pub speakers: Vec<(String, String)>,
}

impl From<StatementRow> for RowView {
    fn from(r: StatementRow) -> RowView {
        RowView {
            href: format!("/statements/{}", r.id),
            title: r
                .title
                .unwrap_or_else(|| format!("Untitled statement {}", r.id)),
            date_human: human_date_str(r.date.as_deref()),
            date: r.date,
            place: r.place,
            kind: r.kind.label(),
            language: r.language,
            forums: r.forums,
            speakers: r.speakers,
        }
    }
}

/// An option of a filter's `<select>`.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Parameter value.
    pub value: String,
    /// What the reader sees.
    pub label: String,
    /// Whether it is the current value.
    pub selected: bool,
}

/// Options from counted values, marking the current one.
pub fn choices(counts: &[Count], current: Option<&str>) -> Vec<Choice> {
    counts
        .iter()
        .map(|c| Choice {
            value: c.key.clone(),
            label: format!("{} ({})", c.label, c.count),
            selected: current == Some(c.key.as_str()),
        })
        .collect()
}

/// The filtered statement list.
#[derive(Template)]
#[template(path = "statements.html")]
pub struct StatementsPage {
    layout: Layout,
    heading: String,
    total: i64,
    page: u32,
    pages: i64,
    rows: Vec<RowView>,
    prev: Option<String>,
    next: Option<String>,
    forums: Vec<Choice>,
    speakers: Vec<Choice>,
    years: Vec<Choice>,
    kinds: Vec<Choice>,
    langs: Vec<Choice>,
    oldest: bool,
    limit: u32,
    /// The filters as a query string (`?forum=csto`, or empty) for the download links.
    download_query: String,
}

/// The list query a set of filters asks for.
pub fn list_query(f: &Filters) -> ListQuery {
    ListQuery {
        forum: f.forum.clone(),
        speaker: f.speaker.clone(),
        year: f.year,
        kind: f.kind,
        lang: f.lang.clone(),
        oldest_first: f.sort == Some(Sort::Oldest),
        limit: i64::from(f.limit),
        offset: f.offset(),
    }
}

/// Number of pages for `total` rows.
pub fn page_count(total: i64, limit: u32) -> i64 {
    ((total + i64::from(limit) - 1) / i64::from(limit)).max(1)
}

/// One page of the statement list, as its parameters ask.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The validated parameters.
    pub filters: Filters,
    /// The page's statements.
    pub rows: Vec<StatementRow>,
    /// How many statements match in all.
    pub total: i64,
}

/// Validates the list's parameters and reads the page they ask for; the list page and
/// `/api/statements` both answer from it.
pub async fn list_page(state: &AppState, raw: &RawParams) -> Result<ListPage> {
    let f = Filters::parse(raw, &state.db, &state.registry).await?;
    if f.sort == Some(Sort::Relevance) {
        return Err(Error::bad_request(
            "`sort=relevance` applies to searches; lists sort by newest or oldest.",
        ));
    }
    let (rows, total) = state.list_statements(&list_query(&f)).await?;
    Ok(ListPage {
        filters: f,
        rows,
        total,
    })
}

/// `GET /statements?forum=&speaker=&year=&kind=&lang=&sort=&page=&limit=`.
pub async fn list_statements(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let ListPage {
        filters: f,
        rows,
        total,
    } = list_page(&state, &raw).await?;
    let (prev, next) = prev_next(&f, "/statements", &[], total);
    let overview = state.overview().await?;
    let forum_counts: Vec<Count> = overview
        .forums
        .iter()
        .map(|r| Count {
            key: r.slug.clone(),
            label: r.acronym.clone(),
            count: r.statements,
        })
        .collect();
    let speaker_counts: Vec<Count> = overview
        .speakers
        .iter()
        .map(|r| Count {
            key: r.slug.clone(),
            label: r.name.clone(),
            count: r.statements,
        })
        .collect();
    let kinds = Kind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: k.label().to_owned(),
            selected: f.kind == Some(*k),
        })
        .collect();
    let mut heading = "Statements".to_owned();
    if let Some(y) = f.year {
        heading = format!("Statements of {y}");
    }
    html(&StatementsPage {
        layout: Layout::new(heading.clone())
            .section("statements")
            .feed("Latest statements (Atom)", "/feed.atom"),
        heading,
        total,
        page: f.page,
        pages: page_count(total, f.limit),
        rows: rows.into_iter().map(RowView::from).collect(),
        prev,
        next,
        forums: choices(&forum_counts, f.forum.as_deref()),
        speakers: choices(&speaker_counts, f.speaker.as_deref()),
        years: choices(&overview.years, f.year.map(|y| y.to_string()).as_deref()),
        kinds,
        langs: choices(&overview.languages, f.lang.as_deref()),
        oldest: f.sort == Some(Sort::Oldest),
        limit: f.limit,
        download_query: Filters {
            limit: crate::web::params::DEFAULT_LIMIT,
            ..f.clone()
        }
        .page_link("", &[], 1),
    })
}

/// What the header of a statement or exchange page shows.
#[derive(Debug, Clone)]
pub struct Header {
    /// Public id.
    pub id: String,
    /// Link to the statement page.
    pub href: String,
    /// Title or stand-in.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Human date.
    pub date_human: Option<String>,
    /// `HH:MM`.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Kind label.
    pub kind: &'static str,
    /// Language of this text.
    pub language: String,
    /// Language versions the site lists.
    pub languages: Vec<String>,
    /// Document number.
    pub source_number: Option<String>,
    /// Where it was published.
    pub source_url: Option<String>,
    /// Forums.
    pub forums: Vec<ForumRef>,
    /// Speakers.
    pub speakers: Vec<SpeakerRef>,
    /// Footer tags.
    pub tags: Vec<String>,
}

impl Header {
    fn of(s: &Statement) -> Header {
        Header {
            id: s.id.clone(),
            href: format!("/statements/{}", s.id),
            title: s
                .title
                .clone()
                .unwrap_or_else(|| format!("Untitled statement {}", s.id)),
            date: s.date.map(|d| d.to_string()),
            date_human: s.date.map(human_date),
            time: s.time.clone(),
            place: s.place.clone(),
            kind: s.kind.label(),
            language: s.language.clone(),
            languages: s.languages.clone(),
            source_number: s.source_number.clone(),
            source_url: s
                .source_url
                .clone()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            forums: s.forums.clone(),
            speakers: s.speakers.clone(),
            tags: s.tags.clone(),
        }
    }
}

/// One turn, ready to print.
#[derive(Debug, Clone)]
pub struct TurnView {
    /// Anchor id (`q3`, `a3`, `r1`, `h2`).
    pub anchor: String,
    /// `question`, `answer`, `remarks` or `heading`: the CSS class and the kind.
    pub class: &'static str,
    /// Who speaks: a name, the label as printed, or the kind.
    pub who: String,
    /// Link to the speaker's page, when the speaker is known.
    pub who_href: Option<String>,
    /// The label's note (`retranslated from Chinese`).
    pub note: Option<String>,
    /// A heading's text.
    pub heading: Option<String>,
    /// The paragraphs.
    pub paragraphs: Vec<String>,
    /// The exchange's own page, on the first turn of each exchange.
    pub exchange_href: Option<String>,
}

fn who(seg: &Segment, speakers: &[SpeakerRef]) -> (String, Option<String>) {
    if let Some(slug) = &seg.speaker {
        let name = speakers
            .iter()
            .find(|s| &s.slug == slug)
            .map(|s| s.name.clone())
            .or_else(|| seg.label.clone())
            .unwrap_or_else(|| slug.clone());
        return (name, Some(format!("/speakers/{slug}")));
    }
    let name = seg.label.clone().unwrap_or_else(|| {
        match seg.kind {
            SegmentKind::Question => "Question",
            SegmentKind::Answer => "Answer",
            SegmentKind::Remarks => "Remarks",
            SegmentKind::Heading => "",
        }
        .to_owned()
    });
    (name, None)
}

fn turn_views<'a>(
    id: &str,
    segments: impl Iterator<Item = &'a Segment>,
    speakers: &[SpeakerRef],
) -> Vec<TurnView> {
    let mut seen_exchange = None;
    segments
        .map(|seg| {
            let (who, who_href) = who(seg, speakers);
            let exchange_href = match seg.exchange {
                Some(e) if seen_exchange != Some(e) => {
                    seen_exchange = Some(e);
                    Some(format!("/statements/{id}/answers/{e}"))
                }
                _ => None,
            };
            TurnView {
                anchor: seg.anchor.clone(),
                class: seg.kind.as_str(),
                who,
                who_href,
                note: seg.note.clone(),
                heading: seg.title.clone(),
                paragraphs: seg.paragraphs.clone(),
                exchange_href,
            }
        })
        .collect()
}

/// An entry of a statement's table of contents.
#[derive(Debug, Clone)]
pub struct TocEntry {
    /// Where it links (`#q3`, `#h2`).
    pub href: String,
    /// The exchange number, for exchanges.
    pub exchange: Option<u32>,
    /// Heading text, or the question's first words.
    pub text: String,
    /// Whether this is a briefing heading.
    pub heading: bool,
    /// The exchange's first answer (`#a3`), when it has one.
    pub answer_href: Option<String>,
}

/// The first `n` words of a text, with an ellipsis when cut.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{}…", words[..n].join(" "))
    }
}

/// The first sentence of a text, at most about 300 characters.
pub fn first_sentence(text: &str) -> String {
    let mut end = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, '.' | '?' | '!') && next_is_space && pos >= 20 {
            end = Some(pos + c.len_utf8());
            break;
        }
    }
    let sentence = match end {
        Some(e) => &text[..e],
        None => text,
    };
    if sentence.chars().count() > 300 {
        format!(
            "{}…",
            sentence.chars().take(297).collect::<String>().trim_end()
        )
    } else {
        sentence.to_owned()
    }
}

fn toc(s: &Statement) -> Vec<TocEntry> {
    let mut out = Vec::new();
    let mut last_exchange = None;
    for seg in &s.segments {
        if seg.kind == SegmentKind::Heading {
            out.push(TocEntry {
                href: format!("#{}", seg.anchor),
                exchange: None,
                text: seg.title.clone().unwrap_or_default(),
                heading: true,
                answer_href: None,
            });
        } else if let Some(e) = seg.exchange {
            if last_exchange == Some(e) {
                continue;
            }
            last_exchange = Some(e);
            let text = seg.paragraphs.first().map(String::as_str).unwrap_or("");
            let answer_href = s
                .segments
                .iter()
                .find(|g| g.exchange == Some(e) && g.kind == SegmentKind::Answer)
                .map(|g| format!("#{}", g.anchor));
            out.push(TocEntry {
                href: format!("#{}", seg.anchor),
                exchange: Some(e),
                text: first_words(text, 14),
                heading: false,
                answer_href,
            });
        }
    }
    out
}

/// The whole statement.
#[derive(Template)]
#[template(path = "statement.html")]
pub struct StatementPage {
    layout: Layout,
    s: Header,
    toc: Vec<TocEntry>,
    turns: Vec<TurnView>,
    description: String,
    permalink: String,
    citation: String,
    cite_path: String,
}

/// A statement looked up by id: found, or merged into another one.
pub(crate) enum Found {
    /// The statement itself.
    Statement(Box<Statement>),
    /// The id is an alias of this statement.
    Moved(String),
}

/// The statement with this id, or where its alias points; a 404 otherwise.
pub(crate) async fn find(state: &AppState, id: &str) -> Result<Found> {
    let missing = || Error::not_found(format!("There is no statement `{id}` in the archive."));
    if id.len() > 300 {
        return Err(missing());
    }
    if let Some(s) = store::load_statement(&state.db, id).await? {
        return Ok(Found::Statement(Box::new(s)));
    }
    match store::resolve_alias(&state.db, id).await? {
        Some(target) if target != id => Ok(Found::Moved(target)),
        _ => Err(missing()),
    }
}

/// `GET /statements/{id}`.
pub async fn show_statement(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let id = path_param(id)?;
    let s = match find(&state, &id).await? {
        Found::Statement(s) => s,
        Found::Moved(target) => return Ok(moved(&format!("/statements/{target}"))),
    };
    let header = Header::of(&s);
    let citation = Citation::of_statement(&s, &state.config.base_url);
    let mut layout = Layout::new(header.title.clone()).section("statements");
    layout.canonical = Some(citation.url.clone());
    layout.lang = s.language.clone();
    let description = s
        .segments
        .iter()
        .find_map(|g| g.paragraphs.first())
        .map(|p| first_sentence(p))
        .unwrap_or_default();
    html(&StatementPage {
        layout,
        toc: toc(&s),
        turns: turn_views(&s.id, s.segments.iter(), &s.speakers),
        s: header,
        description,
        permalink: citation.url.clone(),
        citation: citation.plain(),
        cite_path: format!("/statements/{}", s.id),
    })
}

/// One exchange with its question, answers and a citation.
#[derive(Template)]
#[template(path = "exchange.html")]
pub struct ExchangePage {
    layout: Layout,
    s: Header,
    e: u32,
    turns: Vec<TurnView>,
    prev: Option<String>,
    next: Option<String>,
    permalink: String,
    citation: String,
    cite_path: String,
    og_title: String,
    og_description: String,
}

/// `GET /statements/{id}/answers/{e}`.
pub async fn show_exchange(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response> {
    let (id, e) = path_param(path)?;
    let s = match find(&state, &id).await? {
        Found::Statement(s) => s,
        Found::Moved(target) => {
            return Ok(moved(&format!("/statements/{target}/answers/{e}")));
        }
    };
    let missing = || Error::not_found(format!("Statement `{id}` has no exchange {e}."));
    let e: u32 = e.parse().map_err(|_| missing())?;
    let mut numbers: Vec<u32> = s.segments.iter().filter_map(|g| g.exchange).collect();
    numbers.dedup();
    let Some(at) = numbers.iter().position(|&n| n == e) else {
        return Err(missing());
    };
    let segments: Vec<&Segment> = s
        .segments
        .iter()
        .filter(|g| g.exchange == Some(e))
        .collect();
    let header = Header::of(&s);
    let link = |n: u32| format!("{}/answers/{n}", header.href);
    let permalink = format!("{}{}", state.config.base_url, link(e));

    let question = segments
        .iter()
        .find(|g| g.kind == SegmentKind::Question)
        .and_then(|g| g.paragraphs.first());
    let answer = segments.iter().find(|g| g.kind == SegmentKind::Answer);
    let citation = Citation::of_exchange(&s, e, &state.config.base_url)
        .ok_or_else(missing)?
        .plain();

    let og_title = match question {
        Some(q) => first_words(q, 30),
        None => format!("{} — exchange {e}", header.title),
    };
    let og_description = answer
        .and_then(|g| g.paragraphs.first())
        .map(|p| first_sentence(p))
        .unwrap_or_default();

    let mut layout = Layout::new(format!("{} — answer {e}", header.title)).section("statements");
    layout.canonical = Some(permalink.clone());
    layout.lang = s.language.clone();
    let mut turns = turn_views(&s.id, segments.into_iter(), &s.speakers);
    // This page is the exchange's own page.
    turns.iter_mut().for_each(|t| t.exchange_href = None);
    html(&ExchangePage {
        layout,
        e,
        turns,
        prev: at.checked_sub(1).map(|i| link(numbers[i])),
        next: numbers.get(at + 1).map(|&n| link(n)),
        cite_path: link(e),
        permalink,
        citation,
        og_title,
        og_description,
        s: header,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_the_first_full_stop_after_a_few_words() {
        assert_eq!(
            first_sentence("Indeed, the ministers adopted a statement. It urges all."),
            "Indeed, the ministers adopted a statement."
        );
        assert_eq!(first_sentence("No stop here"), "No stop here");
        assert_eq!(
            first_sentence("Mr. Smith said 3.5 percent was fine. Then more."),
            "Mr. Smith said 3.5 percent was fine."
        );
        assert!(first_sentence(&"word ".repeat(200)).chars().count() <= 300);
    }

    #[test]
    fn first_words_cuts_with_an_ellipsis() {
        assert_eq!(first_words("a b  c", 3), "a b c");
        assert_eq!(first_words("a b c d", 2), "a b…");
    }

    #[test]
    fn page_count_rounds_up_and_is_at_least_one() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }
}
