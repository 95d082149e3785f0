//! The page header: breadcrumbs, date/time line, title, document number, language versions.

use super::dates;
use super::lines::{ends_sentence, Line};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// What the lines above the statement's text say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Header {
    /// The title line(s) joined, site suffix removed.
    pub title: Option<String>,
    /// Date from the date/time line.
    pub date: Option<NaiveDate>,
    /// Time `HH:MM` from the date/time line.
    pub time: Option<String>,
    /// Document number line (`676-12-04-2024`).
    pub source_number: Option<String>,
    /// ISO 639-1 codes of the listed language versions, sorted and unique.
    pub languages: Vec<String>,
    /// Index of the first line of the body.
    pub body_start: usize,
    /// The lines the title was read from: `(first, count)`.
    pub title_lines: Option<(usize, usize)>,
}

/// `12 September 201214:03`, `3 марта 202211:00`, `15:38`, `September 12, 2012 14:03`.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:(?P<date>{})\s*(?:,\s*)?)?(?P<time>[0-2]?\d:[0-5]\d)?$",
        dates::DATE.as_str().trim_start_matches("(?i)")
    ))
    .expect("date line regex")
});

/// `676-12-04-2024`: number, day, month, year.
static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,6}-\d{2}-\d{2}-\d{4}$").expect("doc number regex"));

/// `• ru-RU1 en-GB1 es-ES1`.
static LANG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[•·*\-]\s*)?(?:[a-z]{2}-[A-Z]{2}\d*\s*)+$").expect("language line regex")
});

/// ` - Министерство иностранных дел Российской Федерации` and its English twin.
static SITE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[-–—|]\s*(?:Министерство иностранных дел Российской Федерации|МИД России|The Ministry of Foreign Affairs of the Russian Federation|Ministry of Foreign Affairs of the Russian Federation)\s*$")
        .expect("site suffix regex")
});

/// Section names the site prints above a statement.
const CRUMBS: &[&str] = &[
    "official site",
    "официальный сайт",
    "home",
    "главная",
    "statements and speeches",
    "заявления и выступления",
    "выступления и статьи",
    "выступления и статьи министра",
    "speeches and articles",
    "transcripts",
    "стенограммы",
    "news",
    "новости",
    "briefings",
    "брифинги",
    "ministry of foreign affairs of the russian federation",
    "the ministry of foreign affairs of the russian federation",
    "министерство иностранных дел российской федерации",
    "mid.ru",
];

/// Whether a line is navigation above the title.
pub fn is_breadcrumb(text: &str) -> bool {
    let t = text
        .trim_end_matches(['\\', '/', '>', '»', ' '])
        .to_lowercase();
    CRUMBS.contains(&t.as_str())
        || text.contains(" \\ ")
        || (text.ends_with('\\') && text.len() < 200)
        || (text.contains(" > ") && text.len() < 120 && !text.contains('.'))
}

/// Removes the site suffix and normalises whitespace of a title.
pub fn clean_title(title: &str) -> Option<String> {
    let t = super::lines::collapse(title);
    let t = SITE_SUFFIX.replace(&t, "");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses a date/time line into its date and `HH:MM` time.
pub fn date_line(text: &str) -> Option<(Option<NaiveDate>, Option<String>)> {
    if text.len() > 60 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = DATE_LINE.captures(text)?;
    let date = match c.name("date") {
        Some(m) => Some(dates::find(m.as_str())?),
        None => None,
    };
    let time = c.name("time").map(|t| {
        let t = t.as_str();
        if t.len() == 4 {
            format!("0{t}")
        } else {
            t.to_string()
        }
    });
    if date.is_none() && time.is_none() {
        return None;
    }
    Some((date, time))
}

/// Whether a line is a document number.
pub fn is_doc_number(text: &str) -> bool {
    DOC_NUMBER.is_match(text)
}

/// ISO 639-1 codes of a language-versions line, or `None` when it is not one.
pub fn languages(text: &str) -> Option<Vec<String>> {
    if !LANG_LINE.is_match(text) {
        return None;
    }
    let mut codes: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter_map(|w| w.split_once('-'))
        .map(|(lang, _)| lang.to_string())
        .collect();
    codes.sort();
    codes.dedup();
    Some(codes)
}

/// Whether a header line is one the header reader consumes (not title, not body).
fn is_header_line(text: &str) -> bool {
    is_breadcrumb(text)
        || is_doc_number(text)
        || languages(text).is_some()
        || date_line(text).is_some()
        || super::footer::is_residue(text)
}

/// Reads the header lines; `looks_like_label` tells a speaker label from a title.
/// With `guess_title` false, only a line after a date line or breadcrumbs, or one that
/// ends with a date, is a title (a dataset row brings its title from outside the text).
pub fn read(lines: &[Line], looks_like_label: impl Fn(&str) -> bool, guess_title: bool) -> Header {
    let mut h = Header::default();
    let mut context = false; // a date line or breadcrumb: the next line is the title
                             // Short lines above the date line are navigation, whatever the section is called.
    let date_at = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_blank())
        .take(4)
        .find(|(_, l)| date_line(&l.text).is_some())
        .map(|(i, _)| i);
    let mut i = 0;
    let mut seen = 0;
    while i < lines.len() && seen < 12 {
        let text = lines[i].text.as_str();
        if text.is_empty() {
            i += 1;
            continue;
        }
        seen += 1;
        let above_date =
            date_at.is_some_and(|d| i < d) && text.chars().count() < 80 && !ends_sentence(text);
        if let Some(langs) = languages(text) {
            if h.languages.is_empty() {
                h.languages = langs;
            }
        } else if above_date || is_breadcrumb(text) || super::footer::is_residue(text) {
            context = true;
        } else if let Some((date, time)) = date_line(text) {
            h.date = h.date.or(date);
            h.time = h.time.or(time);
            context = true;
        } else if is_doc_number(text) {
            h.source_number.get_or_insert_with(|| text.to_string());
        } else if let Some((title, used)) = (h.title.is_none())
            .then(|| title_at(lines, i, context, guess_title, &looks_like_label))
            .flatten()
        {
            h.title = clean_title(&title);
            h.title_lines = Some((i, used));
            i += used - 1;
            context = false;
        } else {
            break;
        }
        i += 1;
    }
    h.body_start = i.min(lines.len());
    h
}

/// The title starting at line `i` and the number of lines it takes, if line `i` is one.
fn title_at(
    lines: &[Line],
    i: usize,
    context: bool,
    guess: bool,
    looks_like_label: &impl Fn(&str) -> bool,
) -> Option<(String, usize)> {
    let first = lines[i].text.as_str();
    if super::body::is_toc_marker(first) {
        return None;
    }
    if looks_like_label(first) {
        // `Sergey Lavrov: "..."` is a title only where the header says so: after the date
        // line and before the document number or language versions.
        let next = lines[i + 1..].iter().find(|l| !l.is_blank());
        let header_follows =
            next.is_some_and(|l| is_doc_number(&l.text) || languages(&l.text).is_some());
        if !(context && header_follows && !ends_sentence(first)) {
            return None;
        }
        return Some((first.to_string(), 1));
    }
    // A title may run over several lines with no blank line between.
    let mut title = first.to_string();
    let mut used = 1;
    let mut dated = ends_with_date(&title);
    while let Some(next) = lines.get(i + used).filter(|_| used < 4 && !dated) {
        let nt = next.text.as_str();
        // `..., Moscow,` / `January 18, 2023`: a date that ends a wrapped title.
        let date_tail = title.ends_with(',') && matches!(date_line(nt), Some((Some(_), None)));
        if nt.is_empty() || (is_header_line(nt) && !date_tail) || looks_like_label(nt) {
            break;
        }
        let joined = format!("{title} {nt}");
        dated = ends_with_date(&joined);
        if !dated && ends_sentence(nt) && !ends_sentence(&title) {
            break;
        }
        title = joined;
        used += 1;
    }
    if dated || context || (guess && is_title(first)) {
        if !dated && !context && ends_sentence(&title) && used > 1 {
            return Some((first.to_string(), 1));
        }
        return Some((title, used));
    }
    None
}

/// Whether the title so far ends with a date (no further title lines then).
fn ends_with_date(title: &str) -> bool {
    let t = title.trim_end_matches([')', '.', ' ']);
    dates::DATE
        .find_iter(t)
        .last()
        .is_some_and(|m| m.end() == t.len())
}

/// Whether a line reads as a title rather than the first sentence of the text.
fn is_title(text: &str) -> bool {
    let n = text.chars().count();
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "«\"“'".contains(c));
    first_ok && (10..=600).contains(&n) && !ends_sentence(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines() {
        let d = NaiveDate::from_ymd_opt;
        assert_eq!(
            date_line("12 September 201214:03"),
            Some((d(2012, 9, 12), Some("14:03".into())))
        );
        assert_eq!(date_line("15:38"), Some((None, Some("15:38".into()))));
        assert_eq!(
            date_line("3 марта 202211:00"),
            Some((d(2022, 3, 3), Some("11:00".into())))
        );
        assert_eq!(date_line("12 September 2012"), Some((d(2012, 9, 12), None)));
        assert_eq!(date_line("676-12-04-2024"), None);
        assert_eq!(date_line("In 2012 we met"), None);
    }

    #[test]
    fn language_line() {
        assert_eq!(
            languages("• de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1"),
            Some(vec![
                "de".into(),
                "en".into(),
                "es".into(),
                "fr".into(),
                "ru".into()
            ])
        );
        assert_eq!(languages("Hello world"), None);
    }

    #[test]
    fn suffix() {
        assert_eq!(
            clean_title("Интервью, Москва, 26 ноября 2022 года  - Министерство иностранных дел Российской Федерации").as_deref(),
            Some("Интервью, Москва, 26 ноября 2022 года")
        );
    }
}
