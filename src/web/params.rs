//! Query parameters shared by lists and search: parsing, validation and the links that
//! carry them. Empty values (`year=&forum=`, as HTML forms send them) mean absent; a
//! malformed value or an unknown forum or speaker is a 400 that says which and why.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::NaiveDate;
use sqlx::SqlitePool;

use crate::model::{Kind, SegmentKind};
use crate::registry::Registry;
use crate::web::error::{Error, Result};

/// Default number of results per page.
pub const DEFAULT_LIMIT: u32 = 20;
/// Largest number of results per page; larger requests are clamped.
pub const MAX_LIMIT: u32 = 100;

/// The query string as key/value pairs, in order, percent-decoded.
#[derive(Debug, Clone, Default)]
pub struct RawParams(pub Vec<(String, String)>);

impl RawParams {
    /// Parses a query string (without `?`).
    pub fn parse(query: &str) -> Result<RawParams> {
        let uri: axum::http::Uri = format!("/?{query}")
            .parse()
            .map_err(|_| Error::bad_request("The query string is malformed."))?;
        axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
            .map(|q| RawParams(q.0))
            .map_err(|_| Error::bad_request("The query string is malformed."))
    }

    /// The value of `key`, trimmed; `None` when missing or empty. The last one wins.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RawParams {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        RawParams::parse(parts.uri.query().unwrap_or(""))
    }
}

/// Order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (searches only).
    Relevance,
    /// Latest date first.
    Newest,
    /// Earliest date first.
    Oldest,
}

impl Sort {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

/// Every filter and paging parameter of Contract 2, validated. Routes use the ones that
/// apply to them and ignore the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// Forum slug, lower case, known to the archive or the registry.
    pub forum: Option<String>,
    /// Speaker slug, lower case, known to the archive or the registry.
    pub speaker: Option<String>,
    /// Calendar year.
    pub year: Option<i32>,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    /// Statement kind.
    pub kind: Option<Kind>,
    /// Turn kind: answer, question or remarks.
    pub turn: Option<SegmentKind>,
    /// ISO 639-1 language code, lower case.
    pub lang: Option<String>,
    /// Requested order; `None` means the route's default.
    pub sort: Option<Sort>,
    /// Page number, from 1.
    pub page: u32,
    /// Results per page, 1..=100.
    pub limit: u32,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            forum: None,
            speaker: None,
            year: None,
            from: None,
            to: None,
            kind: None,
            turn: None,
            lang: None,
            sort: None,
            page: 1,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Filters {
    /// Parses and validates every known parameter; slugs are checked against the archive
    /// and the registry.
    pub async fn parse(raw: &RawParams, db: &SqlitePool, registry: &Registry) -> Result<Filters> {
        let mut f = Filters::parse_syntax(raw)?;
        if let Some(slug) = &f.forum {
            if !crate::db::browse::forum_exists(db, slug).await? && registry.forum(slug).is_none() {
                return Err(Error::bad_request(format!("Unknown forum `{slug}`.")));
            }
        }
        if let Some(slug) = &f.speaker {
            if !crate::db::browse::speaker_exists(db, slug).await?
                && registry.speaker(slug).is_none()
            {
                return Err(Error::bad_request(format!("Unknown speaker `{slug}`.")));
            }
        }
        f.forum = f.forum.map(|s| s.to_ascii_lowercase());
        f.speaker = f.speaker.map(|s| s.to_ascii_lowercase());
        Ok(f)
    }

    /// Parses every known parameter without looking slugs up.
    pub fn parse_syntax(raw: &RawParams) -> Result<Filters> {
        let from = raw.get("from").map(|v| date("from", v)).transpose()?;
        let to = raw.get("to").map(|v| date("to", v)).transpose()?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(Error::bad_request(format!(
                    "`from` ({a}) is after `to` ({b})."
                )));
            }
        }
        Ok(Filters {
            forum: raw.get("forum").map(|v| slug("forum", v)).transpose()?,
            speaker: raw.get("speaker").map(|v| slug("speaker", v)).transpose()?,
            year: raw.get("year").map(year).transpose()?,
            from,
            to,
            kind: raw.get("kind").map(kind).transpose()?,
            turn: raw.get("turn").map(turn).transpose()?,
            lang: raw.get("lang").map(lang).transpose()?,
            sort: raw.get("sort").map(sort).transpose()?,
            page: raw.get("page").map(page).transpose()?.unwrap_or(1),
            limit: raw
                .get("limit")
                .map(limit)
                .transpose()?
                .unwrap_or(DEFAULT_LIMIT),
        })
    }

    /// Rows to skip for the current page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.limit)
    }

    /// The parameters as a query string (without `?`), with `page` replaced, defaults
    /// left out, and `extra` pairs (such as `q`) first.
    pub fn query_with_page(&self, extra: &[(&str, &str)], page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = extra
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        };
        push("forum", self.forum.clone());
        push("speaker", self.speaker.clone());
        push("year", self.year.map(|y| y.to_string()));
        push("from", self.from.map(|d| d.to_string()));
        push("to", self.to.map(|d| d.to_string()));
        push("kind", self.kind.map(|k| k.as_str().to_owned()));
        push("turn", self.turn.map(|k| k.as_str().to_owned()));
        push("lang", self.lang.clone());
        push("sort", self.sort.map(|s| s.as_str().to_owned()));
        push("page", (page != 1).then(|| page.to_string()));
        push(
            "limit",
            (self.limit != DEFAULT_LIMIT).then(|| self.limit.to_string()),
        );
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Path of page `page` of `path` with these parameters.
    pub fn page_link(&self, path: &str, extra: &[(&str, &str)], page: u32) -> String {
        let q = self.query_with_page(extra, page);
        if q.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{q}")
        }
    }
}

/// Previous and next page links for a list of `total` results.
pub fn prev_next(
    f: &Filters,
    path: &str,
    extra: &[(&str, &str)],
    total: i64,
) -> (Option<String>, Option<String>) {
    let prev = (f.page > 1).then(|| f.page_link(path, extra, f.page - 1));
    let shown = i64::from(f.page) * i64::from(f.limit);
    let next = (shown < total).then(|| f.page_link(path, extra, f.page + 1));
    (prev, next)
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn slug(name: &str, v: &str) -> Result<String> {
    let ok = v.len() <= 100
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(Error::bad_request(format!(
            "`{name}` must be a slug such as `csto` or `sergey-lavrov`."
        )))
    }
}

fn year(v: &str) -> Result<i32> {
    match v.parse::<i32>() {
        Ok(y) if (1000..=9999).contains(&y) => Ok(y),
        _ => Err(Error::bad_request(format!(
            "`year` must be a four-digit year, not `{}`.",
            shorten(v)
        ))),
    }
}

fn date(name: &str, v: &str) -> Result<NaiveDate> {
    let well_formed = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if well_formed => Ok(d),
        _ => Err(Error::bad_request(format!(
            "`{name}` must be a date YYYY-MM-DD, not `{}`.",
            shorten(v)
        ))),
    }
}

fn kind(v: &str) -> Result<Kind> {
    Kind::from_name(&v.to_ascii_lowercase()).ok_or_else(|| {
        let all: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        Error::bad_request(format!("`kind` must be one of {}.", all.join(", ")))
    })
}

fn turn(v: &str) -> Result<SegmentKind> {
    match SegmentKind::from_name(&v.to_ascii_lowercase()) {
        Some(k) if k != SegmentKind::Heading => Ok(k),
        _ => Err(Error::bad_request(
            "`turn` must be one of answer, question, remarks.",
        )),
    }
}

fn lang(v: &str) -> Result<String> {
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(Error::bad_request(
            "`lang` must be a two-letter ISO 639-1 code such as `en` or `ru`.",
        ))
    }
}

fn sort(v: &str) -> Result<Sort> {
    match v.to_ascii_lowercase().as_str() {
        "relevance" => Ok(Sort::Relevance),
        "newest" => Ok(Sort::Newest),
        "oldest" => Ok(Sort::Oldest),
        _ => Err(Error::bad_request(
            "`sort` must be one of relevance, newest, oldest.",
        )),
    }
}

fn page(v: &str) -> Result<u32> {
    match v.parse::<u32>() {
        Ok(p) if (1..=1_000_000).contains(&p) => Ok(p),
        _ => Err(Error::bad_request(format!(
            "`page` must be a whole number from 1, not `{}`.",
            shorten(v)
        ))),
    }
}

fn limit(v: &str) -> Result<u32> {
    // Any larger whole number is clamped, however many digits it has.
    let huge = v.len() > 3 && v.bytes().all(|b| b.is_ascii_digit()) && v.bytes().any(|b| b != b'0');
    match v.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n.min(u64::from(MAX_LIMIT)) as u32),
        Err(_) if huge => Ok(MAX_LIMIT),
        _ => Err(Error::bad_request(format!(
            "`limit` must be a whole number from 1 to {MAX_LIMIT}, not `{}`.",
            shorten(v)
        ))),
    }
}

/// Echoes user input in messages without echoing kilobytes of it.
fn shorten(v: &str) -> String {
    if v.chars().count() > 40 {
        format!("{}…", v.chars().take(40).collect::<String>())
    } else {
        v.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Filters> {
        Filters::parse_syntax(&RawParams::parse(q)?)
    }

    #[test]
    fn empty_values_are_absent() {
        let f = parse("year=&forum=&page=&limit=&sort=").unwrap();
        assert_eq!(f, Filters::default());
    }

    #[test]
    fn values_parse_and_normalise() {
        let f = parse("forum=CSTO&speaker=Sergey-Lavrov&year=2012&from=2012-01-01&to=2012-12-31&kind=answers&turn=answer&lang=EN&sort=oldest&page=3&limit=500").unwrap();
        assert_eq!(f.forum.as_deref(), Some("csto"));
        assert_eq!(f.speaker.as_deref(), Some("sergey-lavrov"));
        assert_eq!(f.year, Some(2012));
        assert_eq!(f.kind, Some(Kind::Answers));
        assert_eq!(f.turn, Some(SegmentKind::Answer));
        assert_eq!(f.lang.as_deref(), Some("en"));
        assert_eq!(f.sort, Some(Sort::Oldest));
        assert_eq!((f.page, f.limit), (3, MAX_LIMIT));
        assert_eq!(f.offset(), 200);
        let f = parse("limit=100000000000000000000000000000").unwrap();
        assert_eq!(f.limit, MAX_LIMIT);
    }

    #[test]
    fn malformed_values_are_rejected_with_the_parameter_named() {
        for (q, word) in [
            ("page=-1", "`page`"),
            ("page=0", "`page`"),
            ("page=abc", "`page`"),
            ("year=abc", "`year`"),
            ("year=99999", "`year`"),
            ("from=2012-13-01", "`from`"),
            ("to=12-01-2012", "`to`"),
            ("from=2013-01-01&to=2012-01-01", "after"),
            ("kind=poem", "`kind`"),
            ("turn=heading", "`turn`"),
            ("lang=english", "`lang`"),
            ("sort=best", "`sort`"),
            ("limit=0", "`limit`"),
            ("limit=-5", "`limit`"),
            ("forum=%3Cscript%3E", "`forum`"),
        ] {
            match parse(q) {
                Err(Error::BadRequest(m)) => assert!(m.contains(word), "{q}: {m}"),
                other => panic!("{q}: expected a 400, got {other:?}"),
            }
        }
    }

    #[test]
    fn links_carry_the_filters_and_replace_the_page() {
        let f = parse("forum=cis&year=2012&page=2&limit=10").unwrap();
        assert_eq!(
            f.page_link("/statements", &[("q", "a b&c")], 3),
            "/statements?q=a+b%26c&forum=cis&year=2012&page=3&limit=10"
        );
        assert_eq!(
            f.page_link("/statements", &[], 1),
            "/statements?forum=cis&year=2012&limit=10"
        );
        let (prev, next) = prev_next(&f, "/x", &[], 25);
        assert_eq!(prev.as_deref(), Some("/x?forum=cis&year=2012&limit=10"));
        assert_eq!(
            next.as_deref(),
            Some("/x?forum=cis&year=2012&page=3&limit=10")
        );
        let (_, next) = prev_next(&f, "/x", &[], 20);
        assert_eq!(next, None);
    }
}
