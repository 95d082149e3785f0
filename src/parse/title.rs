//! What a title says: the trailing place and date, and the kind of statement.

use super::dates;
use crate::model::Kind;
use chrono::NaiveDate;

/// Facts read from a title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleFacts {
    /// The date the title ends with (or, failing that, the last date it names).
    pub date: Option<NaiveDate>,
    /// The place just before the trailing date.
    pub place: Option<String>,
    /// Where the trailing `, Place, Date` begins (byte offset), for the id.
    pub tail_start: usize,
}

/// Reads the trailing `, Place, Date` (or `(Place, Date)`) of a title.
pub fn facts(title: &str) -> TitleFacts {
    let mut out = TitleFacts {
        tail_start: title.len(),
        ..TitleFacts::default()
    };
    let trimmed = title.trim_end_matches([' ', '.', ')']);
    let last = dates::DATE
        .captures_iter(trimmed)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((m.start(), m.end(), dates::from_captures(&c)?))
        })
        .last();
    let Some((start, end, date)) = last else {
        return out;
    };
    out.date = Some(date);
    if end != trimmed.len() {
        return out;
    }
    // `..., Place, Date`, `... (Place, Date)`, `... ON DATE`.
    let before = title[..start].trim_end();
    let before = before
        .strip_suffix(',')
        .or_else(|| before.strip_suffix('('))
        .unwrap_or(before)
        .trim_end();
    out.tail_start = start;
    let before_lc = before.to_lowercase();
    for word in [" on", " of", " dated", " от"] {
        if before_lc.ends_with(word) {
            out.tail_start = before.len().saturating_sub(word.len());
            return out;
        }
    }
    let cut = before.rfind([',', '(']).map_or(0, |i| i + 1);
    let place = before[cut..].trim();
    if is_place(place) {
        out.place = Some(title_case_if_caps(place));
        out.tail_start = before[..cut].trim_end_matches([',', '(', ' ']).len();
    } else {
        out.tail_start = before.len();
    }
    out
}

/// A place is a short capitalised name (`Almaty`, `New York`, `Нур-Султан`).
fn is_place(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && s.chars().count() <= 40
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || c == '"' || c == '«')
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    *w,
                    "de" | "del"
                        | "am"
                        | "on"
                        | "upon"
                        | "la"
                        | "le"
                        | "na"
                        | "на"
                        | "region"
                        | "oblast"
                        | "область"
                        | "край"
                        | "район"
                        | "город"
                )
        })
}

/// `MOSCOW` → `Moscow`, `NEW YORK` → `New York`; mixed case stays as printed.
pub fn title_case_if_caps(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'' && c != '’';
    }
    // Particles inside a name stay small: `Dominique de Villepin`, `Rostov-on-Don`.
    out.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0
                && matches!(
                    lower.as_str(),
                    "de" | "da"
                        | "di"
                        | "del"
                        | "van"
                        | "von"
                        | "der"
                        | "den"
                        | "du"
                        | "la"
                        | "le"
                        | "al"
                        | "bin"
                        | "ibn"
                        | "of"
                        | "the"
                        | "and"
                )
            {
                lower
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word stems that name each kind, in the order they are tested.
const KINDS: &[(Kind, &[&str])] = &[
    (Kind::Briefing, &["briefing", "брифинг"]),
    (
        Kind::PressConference,
        &[
            "press conference",
            "news conference",
            "press-conference",
            "news-conference",
            "пресс-конференц",
            "пресс конференц",
        ],
    ),
    (Kind::Interview, &["interview", "интервью"]),
    (
        Kind::Article,
        &["article", "op-ed", "статья ", "статьи ", "статья", "статьи"],
    ),
    (
        Kind::Answers,
        &[
            "answers",
            "answer ",
            "answering",
            "replies",
            "reply to",
            "replying",
            "ответы",
            "ответ на",
            "ответах",
            "ответил",
        ],
    ),
    (
        Kind::Speech,
        &["speech", "address", "выступлени", "речь", "обращени"],
    ),
    (
        Kind::Remarks,
        &["remarks", "opening remark", "вступительное слово"],
    ),
    (Kind::Statement, &["statement", "заявлени"]),
    (Kind::Comment, &["comment", "комментари"]),
];

/// The kind of statement a title names, by the first matching word in [`Kind::ALL`] order.
pub fn kind(title: &str) -> Kind {
    let t = format!(" {} ", title.to_lowercase());
    for (kind, stems) in KINDS {
        if stems.iter().any(|s| contains_word_start(&t, s)) {
            return *kind;
        }
    }
    Kind::Other
}

/// Whether `hay` holds `needle` at the start of a word.
fn contains_word_start(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, _)| hay[..i].chars().last().is_none_or(|c| !c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_place_and_date() {
        let f = facts("Speech, Astana, September, 12th, 2012");
        assert_eq!(f.place.as_deref(), Some("Astana"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2012, 9, 12));
        let f = facts("TRANSCRIPT OF REMARKS, MOSCOW, JANUARY 23, 2004");
        assert_eq!(f.place.as_deref(), Some("Moscow"));
        let f = facts("Выступление, Москва, 3 марта 2022 года");
        assert_eq!(f.place.as_deref(), Some("Москва"));
        let f = facts("Remarks at the meeting (New York, 12 May 2010)");
        assert_eq!(f.place.as_deref(), Some("New York"));
        assert_eq!(
            title_case_if_caps("DOMINIQUE DE VILLEPIN"),
            "Dominique de Villepin"
        );
        let f = facts("Выступление, Московская область, 3 марта 2022 г.");
        assert_eq!(f.place.as_deref(), Some("Московская область"));
        let f = facts("Statement following the talks, March 3, 2022");
        assert_eq!(f.place, None);
        let f = facts("INTERVIEW ... ON JANUARY 23, 2003");
        assert_eq!(f.place, None);
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2003, 1, 23));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("Comment and answers of the Minister"), Kind::Answers);
        assert_eq!(
            kind("make remarks and reply to questions at a joint news conference"),
            Kind::PressConference
        );
        assert_eq!(kind("Выступление и ответы на вопросы СМИ"), Kind::Answers);
        assert_eq!(kind("Интервью Министра"), Kind::Interview);
        assert_eq!(kind("Speech by the Minister"), Kind::Speech);
        assert_eq!(kind("Брифинг официального представителя"), Kind::Briefing);
        assert_eq!(kind("Something else"), Kind::Other);
    }
}
