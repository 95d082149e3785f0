//! Dates as the pages print them, in English and Russian.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// Month number of an English or Russian month name or abbreviation (any case/inflection).
pub fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    let w = w.as_str();
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const RU: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    if w.is_ascii() {
        if w.len() < 3 {
            return None;
        }
        let full = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        return EN
            .iter()
            .zip(full)
            .position(|(abbr, full)| w == *abbr || w == full || (w == "sept" && *abbr == "sep"))
            .map(|i| i as u32 + 1);
    }
    let m = RU.iter().position(|stem| {
        if *stem == "ма" {
            matches!(w, "май" | "мая" | "мае" | "маю")
        } else {
            w.starts_with(stem) && w.chars().count() <= stem.chars().count() + 2
        }
    })?;
    Some(m as u32 + 1)
}

/// Month names as a regex alternative (English and Russian, any case).
const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])\.?";

/// `12 September 2012`, `3 марта 2022 года`, `September 12, 2012`, `September, 12th, 2012`.
pub static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<m1>{MONTHS}),?\s*(?P<y1>\d{{4}})(?:\s*(?:года|г\.|г\b))?|(?P<m2>{MONTHS}),?\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y2>\d{{4}})|(?P<d3>\d{{1,2}})\.(?P<m3>\d{{1,2}})\.(?P<y3>\d{{4}})|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}}))"
    ))
    .expect("date regex")
});

/// The date a [`DATE`] match spells, when it is a real calendar day.
pub fn from_captures(c: &regex::Captures<'_>) -> Option<NaiveDate> {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let (d, m, y) = if let Some(y) = num("y1") {
        (num("d1")?, month(c.name("m1")?.as_str())?, y)
    } else if let Some(y) = num("y2") {
        (num("d2")?, month(c.name("m2")?.as_str())?, y)
    } else if let Some(y) = num("y3") {
        (num("d3")?, num("m3")?, y)
    } else {
        (num("d4")?, num("m4")?, num("y4")?)
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The first date written in `s`.
pub fn find(s: &str) -> Option<NaiveDate> {
    DATE.captures_iter(s).find_map(|c| from_captures(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn spellings() {
        assert_eq!(find("Astana, September, 12th, 2012"), d(2012, 9, 12));
        assert_eq!(find("Minsk, April 12, 2024"), d(2024, 4, 12));
        assert_eq!(find("Astana, 12 September 2013"), d(2013, 9, 12));
        assert_eq!(find("MOSCOW, JANUARY 23, 2004"), d(2004, 1, 23));
        assert_eq!(find("Москва, 3 марта 2022 года"), d(2022, 3, 3));
        assert_eq!(find("Панаджи, 5 мая 2023 года"), d(2023, 5, 5));
        assert_eq!(find("on 31.12.2019"), d(2019, 12, 31));
        assert_eq!(find("Moscow, 12th of September, 2012"), d(2012, 9, 12));
        assert_eq!(find("September 12 2012"), d(2012, 9, 12));
        assert_eq!(find("February 30, 2020"), None);
    }
}
