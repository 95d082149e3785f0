//! `/search` and `/api/search`: full-text search over every turn, landing on the exact
//! answer, with facets, a hits-over-time chart and pagination.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::db::search::{self as db, Bucket, Hit, Results};
use crate::search::Query;
use crate::web::params::{self, Filters, RawParams, Sort};
use crate::web::{html, AppState, Error, Layout, Result};

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// A search as asked and what it found.
pub(crate) struct Outcome {
    /// `q` as given.
    pub(crate) q: String,
    query: Query,
    /// The validated filters and paging.
    pub(crate) filters: Filters,
    sort: Sort,
    /// One result per statement.
    pub(crate) group: bool,
    /// The page of hits, the total and the facets.
    pub(crate) results: Results,
}

impl Outcome {
    /// `q` and `group`, the parameters the shared filters do not carry.
    pub(crate) fn extra(&self) -> Vec<(&'static str, &str)> {
        let mut extra = vec![("q", self.q.as_str())];
        if self.group {
            extra.push(("group", "statement"));
        }
        extra
    }

    fn link(&self, path: &str, filters: &Filters) -> String {
        filters.page_link(path, &self.extra(), 1)
    }
}

/// Validates the parameters and runs the search; the page, `/api/search` and the search
/// feed share it.
pub(crate) async fn run(state: &AppState, raw: &RawParams) -> Result<Outcome> {
    let q = raw.get("q").unwrap_or_default().to_owned();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad_request(format!(
            "The query is longer than {MAX_QUERY_CHARS} characters."
        )));
    }
    let filters = Filters::parse(raw, &state.db, &state.registry).await?;
    let group = match raw.get("group") {
        None => false,
        Some(g) if g.eq_ignore_ascii_case("statement") => true,
        Some(_) => {
            return Err(Error::bad_request(
                "`group` must be `statement` (or absent, for one result per turn).",
            ))
        }
    };
    let sort = filters.sort.unwrap_or(Sort::Relevance);
    let query = Query::parse(&q);
    let results = if query.is_empty() {
        Results::default()
    } else {
        let plan = query.plan();
        let db_filters = db::Filters {
            forum: filters.forum.clone(),
            speaker: filters.speaker.clone(),
            year: filters.year.map(i64::from),
            from: filters.from.map(|d| d.to_string()),
            to: filters.to.map(|d| d.to_string()),
            kind: filters.kind.map(|k| k.as_str().to_owned()),
            turn: filters.turn.map(|k| k.as_str().to_owned()),
            lang: filters.lang.clone(),
        };
        let request = db::Request {
            plan: &plan,
            filters: &db_filters,
            sort: match sort {
                Sort::Relevance => db::Sort::Relevance,
                Sort::Newest => db::Sort::Newest,
                Sort::Oldest => db::Sort::Oldest,
            },
            group,
            limit: filters.limit,
            offset: u32::try_from(filters.offset()).unwrap_or(u32::MAX),
            cache: Some(&state.search),
        };
        db::search(&state.db, &request).await?
    };
    Ok(Outcome {
        q,
        query,
        filters,
        sort,
        group,
        results,
    })
}

/// The path of a hit's turn: the statement page at the turn's anchor.
pub(crate) fn hit_url(hit: &Hit) -> String {
    format!("/statements/{}#{}", hit.statement.id, hit.segment.anchor)
}

/// One result on the page.
pub struct ResultView {
    /// Link to the turn.
    pub url: String,
    /// Link to the statement.
    pub statement_url: String,
    /// Statement title as HTML (escaped, matches marked).
    pub title_html: String,
    /// Date, if any.
    pub date: Option<String>,
    /// Forum acronyms-as-slugs, upper-cased for display.
    pub forums: Vec<String>,
    /// Who speaks, or the label (`Question`).
    pub who: String,
    /// `Answer 3`, `Question 1`, `Remarks`.
    pub turn: String,
    /// Snippet HTML (escaped, matches marked).
    pub snippet: String,
    /// Only the title matched.
    pub title_only: bool,
    /// Matching turns of the statement (grouped).
    pub hits: Option<i64>,
}

/// A facet value as a link that adds its filter.
pub struct FacetLink {
    /// Display name.
    pub name: String,
    /// Hits with this value.
    pub count: i64,
    /// The search narrowed to this value.
    pub href: String,
    /// This value is the active filter.
    pub active: bool,
}

/// An active filter and the search without it.
pub struct ActiveFilter {
    /// `forum: csto`.
    pub label: String,
    /// The search without this filter.
    pub href: String,
}

/// One bar of the hits-over-time chart; geometry in SVG user units.
pub struct Bar {
    /// The year.
    pub year: i64,
    /// Hits that year.
    pub count: i64,
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Centre, for the label.
    pub mid: u32,
    /// Whether the year is written under the bar.
    pub labelled: bool,
    /// The search narrowed to this year.
    pub href: String,
}

/// Height of the chart's bar area, and its total height with labels.
const CHART_BARS: u32 = 60;
/// Total height of the chart, labels included.
pub const CHART_HEIGHT: u32 = 76;
const BAR_STEP: u32 = 16;

fn chart(o: &Outcome) -> (Vec<Bar>, u32) {
    let years = &o.results.facets.year;
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return (Vec::new(), 0);
    };
    let first: i64 = first.key.parse().unwrap_or_default();
    let last: i64 = last.key.parse().unwrap_or_default();
    let max = years.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let span = u32::try_from(last - first + 1).unwrap_or(1);
    let bars = years
        .iter()
        .map(|b| {
            let year: i64 = b.key.parse().unwrap_or_default();
            let slot = u32::try_from(year - first).unwrap_or(0);
            let height = u32::try_from((b.count * i64::from(CHART_BARS) + max - 1) / max)
                .unwrap_or(CHART_BARS)
                .max(2);
            let mut f = o.filters.clone();
            f.year = i32::try_from(year).ok();
            Bar {
                year,
                count: b.count,
                x: slot * BAR_STEP + 2,
                y: CHART_BARS - height,
                width: BAR_STEP - 4,
                height,
                mid: slot * BAR_STEP + BAR_STEP / 2,
                labelled: span <= 8 || year == first || year == last || year % 10 == 0,
                href: o.link("/search", &f),
            }
        })
        .collect();
    (bars, span * BAR_STEP)
}

/// The search page.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    /// Shared layout values.
    pub layout: Layout,
    /// The query as typed.
    pub q: String,
    /// The query as understood, when it differs from what was typed.
    pub understood: Option<String>,
    /// Whether anything was searched.
    pub searched: bool,
    /// One result per statement.
    pub group: bool,
    /// `relevance`, `newest`, `oldest`.
    pub sort: &'static str,
    /// Hidden form fields carrying the active filters.
    pub hidden: Vec<(&'static str, String)>,
    /// Matching turns (statements when grouped).
    pub total: i64,
    /// Number of the first result shown.
    pub first: i64,
    /// The page's results.
    pub results: Vec<ResultView>,
    /// Forum facet.
    pub forums: Vec<FacetLink>,
    /// Speaker facet.
    pub speakers: Vec<FacetLink>,
    /// Year facet.
    pub years: Vec<FacetLink>,
    /// Hits-over-time bars.
    pub bars: Vec<Bar>,
    /// Chart width.
    pub chart_width: u32,
    /// Chart height.
    pub chart_height: u32,
    /// Active filters with links removing each.
    pub active: Vec<ActiveFilter>,
    /// The same search with other orders.
    pub sort_links: Vec<(&'static str, String, bool)>,
    /// The same search grouped or not.
    pub group_link: String,
    /// Previous page.
    pub prev: Option<String>,
    /// Next page.
    pub next: Option<String>,
    /// Current page.
    pub page: u32,
    /// Number of pages.
    pub pages: i64,
}

/// `GET /search`: the search page.
pub async fn search_page(State(state): State<AppState>, raw: RawParams) -> Result<Response> {
    let o = run(&state, &raw).await?;
    let f = &o.filters;
    let results = o
        .results
        .hits
        .iter()
        .map(|h| {
            let s = &h.segment;
            let who = s
                .speaker_name
                .clone()
                .or_else(|| s.label.clone())
                .unwrap_or_else(|| "Unnamed".to_owned());
            let kind = match s.kind.as_str() {
                "answer" => "Answer",
                "question" => "Question",
                _ => "Remarks",
            };
            let turn = match s.exchange {
                Some(e) => format!("{kind} {e}"),
                None => kind.to_owned(),
            };
            ResultView {
                url: hit_url(h),
                statement_url: format!("/statements/{}", h.statement.id),
                title_html: h
                    .statement
                    .title_html
                    .clone()
                    .unwrap_or_else(|| escape(&h.statement.id)),
                date: h.statement.date.clone(),
                forums: h
                    .statement
                    .forums
                    .iter()
                    .map(|f| f.to_uppercase())
                    .collect(),
                who,
                turn,
                snippet: h.snippet.clone(),
                title_only: h.title_only,
                hits: h.hits,
            }
        })
        .collect();
    let facet = |buckets: &[Bucket], set: &dyn Fn(&mut Filters, &str), current: Option<&str>| {
        buckets
            .iter()
            .map(|b| {
                let mut nf = f.clone();
                set(&mut nf, &b.key);
                FacetLink {
                    name: b.name.clone(),
                    count: b.count,
                    href: o.link("/search", &nf),
                    active: current == Some(b.key.as_str()),
                }
            })
            .collect::<Vec<_>>()
    };
    let forums = facet(
        &o.results.facets.forum,
        &|nf, k| nf.forum = Some(k.to_owned()),
        f.forum.as_deref(),
    );
    let speakers = facet(
        &o.results.facets.speaker,
        &|nf, k| nf.speaker = Some(k.to_owned()),
        f.speaker.as_deref(),
    );
    let year_now = f.year.map(|y| y.to_string());
    let years = facet(
        &o.results.facets.year,
        &|nf, k| nf.year = k.parse().ok(),
        year_now.as_deref(),
    );
    let (bars, chart_width) = chart(&o);

    let mut active = Vec::new();
    let mut add = |label: String, clear: &dyn Fn(&mut Filters)| {
        let mut nf = f.clone();
        clear(&mut nf);
        active.push(ActiveFilter {
            label,
            href: o.link("/search", &nf),
        });
    };
    if let Some(v) = &f.forum {
        add(format!("forum: {v}"), &|nf| nf.forum = None);
    }
    if let Some(v) = &f.speaker {
        add(format!("speaker: {v}"), &|nf| nf.speaker = None);
    }
    if let Some(v) = f.year {
        add(format!("year: {v}"), &|nf| nf.year = None);
    }
    if let Some(v) = f.from {
        add(format!("from: {v}"), &|nf| nf.from = None);
    }
    if let Some(v) = f.to {
        add(format!("to: {v}"), &|nf| nf.to = None);
    }
    if let Some(v) = f.kind {
        add(format!("kind: {}", v.label()), &|nf| nf.kind = None);
    }
    if let Some(v) = f.turn {
        add(format!("turn: {}", v.as_str()), &|nf| nf.turn = None);
    }
    if let Some(v) = &f.lang {
        add(format!("language: {v}"), &|nf| nf.lang = None);
    }

    let mut hidden = Vec::new();
    let mut keep = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            hidden.push((k, v));
        }
    };
    keep("forum", f.forum.clone());
    keep("speaker", f.speaker.clone());
    keep("year", f.year.map(|y| y.to_string()));
    keep("from", f.from.map(|d| d.to_string()));
    keep("to", f.to.map(|d| d.to_string()));
    keep("kind", f.kind.map(|k| k.as_str().to_owned()));
    keep("turn", f.turn.map(|k| k.as_str().to_owned()));
    keep("lang", f.lang.clone());
    keep("group", o.group.then(|| "statement".to_owned()));
    keep(
        "limit",
        (f.limit != params::DEFAULT_LIMIT).then(|| f.limit.to_string()),
    );

    let sort_links = [Sort::Relevance, Sort::Newest, Sort::Oldest]
        .into_iter()
        .map(|s| {
            let mut nf = f.clone();
            nf.sort = (s != Sort::Relevance).then_some(s);
            let label = match s {
                Sort::Relevance => "Best match",
                Sort::Newest => "Newest",
                Sort::Oldest => "Oldest",
            };
            (label, o.link("/search", &nf), s == o.sort)
        })
        .collect();
    let group_link = {
        let mut extra = vec![("q", o.q.as_str())];
        if !o.group {
            extra.push(("group", "statement"));
        }
        f.page_link("/search", &extra, 1)
    };
    let (prev, next) = params::prev_next(f, "/search", &o.extra(), o.results.total);
    let limit = i64::from(f.limit);
    let understood = o.query.display();
    let title = if o.q.is_empty() {
        "Search".to_owned()
    } else {
        format!("{} – search", o.q)
    };
    let mut layout = Layout::new(title);
    if !o.query.is_empty() {
        layout = layout.feed(
            format!("Search results for “{}” (Atom)", o.q),
            o.link("/search/feed.atom", f),
        );
    }
    let page = SearchPage {
        layout,
        understood: (!o.query.is_empty() && understood != o.q).then_some(understood),
        searched: !o.query.is_empty(),
        group: o.group,
        sort: o.sort.as_str(),
        hidden,
        total: o.results.total,
        first: o.filters.offset() + 1,
        results,
        forums,
        speakers,
        years,
        bars,
        chart_width,
        chart_height: CHART_HEIGHT,
        active,
        sort_links,
        group_link,
        prev,
        next,
        page: f.page,
        pages: ((o.results.total + limit - 1) / limit).max(1),
        q: o.q,
    };
    html(&page)
}

fn escape(text: &str) -> String {
    db::mark_html(text, &[], None)
}
