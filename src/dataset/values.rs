//! Reading a row's values: dates in the forms datasets write them, language names and
//! locales as ISO 639-1 codes, and the markers that mean "no value".

use chrono::NaiveDate;

/// Whether a value is one of the markers datasets write for "no value" (R's `NA`,
/// pandas' `NaN`, `null`, ...), or blank.
pub(super) fn is_missing(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || ["na", "n/a", "nan", "null", "none", "nat"]
            .iter()
            .any(|m| v.eq_ignore_ascii_case(m))
}

/// A date as datasets write it: `YYYY-MM-DD`, an ISO datetime (`2013-05-21T15:46:00Z`,
/// `2013-05-21 15:46`), `DD-MM-YYYY`, `DD.MM.YYYY`, `YYYY.MM.DD`, `YYYY/MM/DD`,
/// `MM/DD/YYYY` (`DD/MM/YYYY` when the first number cannot be a month), or with the
/// month's English name (`21 May 2013`, `May 21, 2013`). A time after the date is
/// ignored. `None` when it is none of these or no such day exists.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    // The date part: up to a `T` or space followed by a time, if any.
    let head = match v.find(['T', ' ']) {
        Some(i) if v[..i].bytes().filter(u8::is_ascii_digit).count() >= 6 => &v[..i],
        _ => v,
    };
    numeric_date(head).or_else(|| named_month_date(v))
}

fn numeric_date(v: &str) -> Option<NaiveDate> {
    let sep = v.chars().find(|c| matches!(c, '-' | '.' | '/'))?;
    let parts: Vec<&str> = v.split(sep).collect();
    let [a, b, c] = parts[..] else { return None };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().ok();
    let (year, month, day) = if a.len() == 4 {
        (a, n(b)?, n(c)?)
    } else if c.len() == 4 {
        let (first, second) = (n(a)?, n(b)?);
        // Slashes are the American order in the datasets seen (`04/19/2022`); a first
        // number over 12 can only be a day.
        if sep == '/' && first <= 12 {
            (c, first, second)
        } else {
            (c, second, first)
        }
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)
}

const MONTHS: [&str; 12] = [
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

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

/// `21 May 2013`, `May 21, 2013`.
fn named_month_date(v: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let num = |s: &str| s.parse::<u32>().ok();
    let (day, month, year) = match words[..] {
        [d, m, y, ..] if num(d).is_some() && month(m).is_some() => (num(d)?, month(m)?, num(y)?),
        [m, d, y, ..] if month(m).is_some() => (num(d)?, month(m)?, num(y)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The date a document number `N-DD-MM-YYYY` carries.
pub(super) fn date_of_number(number: &str) -> Option<NaiveDate> {
    let (serial, rest) = number.trim().split_once('-')?;
    if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let [d, m, y] = rest.split('-').collect::<Vec<_>>()[..] else {
        return None;
    };
    if d.len() != 2 || m.len() != 2 || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Names and codes of the languages the ministry publishes in, with their ISO 639-1 code.
const LANGUAGES: [(&str, &[&str]); 12] = [
    ("ru", &["rus", "russian", "русский", "рус"]),
    ("en", &["eng", "english", "английский", "англ"]),
    (
        "fr",
        &[
            "fra",
            "fre",
            "french",
            "français",
            "francais",
            "французский",
        ],
    ),
    ("es", &["spa", "spanish", "español", "espanol", "испанский"]),
    ("de", &["deu", "ger", "german", "deutsch", "немецкий"]),
    ("zh", &["zho", "chi", "chinese", "китайский"]),
    ("ar", &["ara", "arabic", "арабский"]),
    ("pt", &["por", "portuguese", "португальский"]),
    ("it", &["ita", "italian", "итальянский"]),
    ("ja", &["jpn", "japanese", "японский"]),
    ("uk", &["ukr", "ukrainian", "украинский"]),
    ("fa", &["fas", "per", "persian", "farsi", "персидский"]),
];

/// The ISO 639-1 code of a language as datasets write it: a code (`en`), a locale
/// (`en-GB`, `ru_RU`, the site's `en-GB1`), a three-letter code or an English or
/// Russian name. `None` for anything else.
pub fn iso_language(value: &str) -> Option<String> {
    let v = value.trim().to_lowercase();
    // A locale's language part: `en-GB1` -> `en`.
    let code = v.split(['-', '_']).next().unwrap_or("");
    if code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()) {
        return Some(code.to_string());
    }
    LANGUAGES
        .iter()
        .find(|(_, names)| names.contains(&v.as_str()))
        .map(|(iso, _)| iso.to_string())
}

/// The codes of a list of language versions: `ru; en; fr`, `ru-RU1 en-GB1`, `en,ru`.
/// Entries that are not languages are left out.
pub(super) fn languages(list: &str) -> Vec<String> {
    list.split(|c: char| {
        matches!(c, ';' | ',' | '|' | '/' | '[' | ']' | '"' | '\'') || c.is_whitespace()
    })
    .filter(|t| !t.is_empty())
    .filter_map(iso_language)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        s.parse().ok()
    }

    #[test]
    fn dates_in_dataset_forms() {
        for (input, want) in [
            ("21-05-2013", "2013-05-21"),
            ("2013-05-21", "2013-05-21"),
            ("2013-05-21T15:46:00", "2013-05-21"),
            ("2013-05-21T15:46:00+03:00", "2013-05-21"),
            ("2013-05-21 15:46", "2013-05-21"),
            ("21.05.2013", "2013-05-21"),
            ("21.05.2013 15:46", "2013-05-21"),
            ("04/19/2022", "2022-04-19"),
            ("07/08/2022", "2022-07-08"),
            ("19/04/2022", "2022-04-19"),
            ("2022/04/19", "2022-04-19"),
            ("1-2-2003", "2003-02-01"),
            ("21 May 2013", "2013-05-21"),
            ("May 21, 2013", "2013-05-21"),
            ("Sep 1, 2013", "2013-09-01"),
        ] {
            assert_eq!(parse_date(input), d(want), "{input}");
        }
        for bad in [
            "someday",
            "31-02-2013",
            "2013-13-01",
            "21-05-13",
            "2013",
            "",
            "12:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn missing_markers() {
        for m in ["", " ", "NA", "nan", "NULL", "None", "N/A"] {
            assert!(is_missing(m), "{m}");
        }
        assert!(!is_missing("Nato"));
    }

    #[test]
    fn numbers_carry_dates() {
        assert_eq!(date_of_number("1000-21-05-2013"), d("2013-05-21"));
        assert_eq!(date_of_number("676-12-04-2024"), d("2024-04-12"));
        assert_eq!(date_of_number("676-32-04-2024"), None);
        assert_eq!(date_of_number("x-12-04-2024"), None);
        assert_eq!(date_of_number("1000"), None);
    }

    #[test]
    fn languages_as_iso_codes() {
        assert_eq!(languages("ru; en; fr; es"), ["ru", "en", "fr", "es"]);
        assert_eq!(languages("ru-RU1 en-GB1 es-ES1"), ["ru", "en", "es"]);
        assert_eq!(languages(r#"["en", "ru"]"#), ["en", "ru"]);
        assert_eq!(languages("English, Russian, ???"), ["en", "ru"]);
        assert_eq!(iso_language("Русский").as_deref(), Some("ru"));
        assert_eq!(iso_language("EN").as_deref(), Some("en"));
        assert_eq!(iso_language("english").as_deref(), Some("en"));
        assert_eq!(iso_language("klingon"), None);
    }
}
