//! The readable slug id: `YYYY-MM-DD-significant-words-of-the-title`.

use super::body::{same_surname, surname, surnames_of};
use crate::model::SpeakerRef;
use crate::registry::Registry;
use chrono::NaiveDate;

/// Words a slug leaves out.
const DROP: &[&str] = &[
    "a",
    "an",
    "the",
    "following",
    "and",
    "his",
    "her",
    "their",
    "its",
    "s",
    "by",
    "at",
    "during",
    "on",
    "in",
    "with",
    "from",
    "mr",
    "ms",
    "и",
    "в",
    "во",
    "на",
    "по",
    "с",
    "со",
    "к",
    "о",
    "об",
    "от",
    "для",
    "при",
    "за",
    "из",
    "у",
    "г",
    "года",
];

/// Small words kept between significant ones but not counted.
const FREE: &[&str] = &["to", "of", "for"];

/// Role words that belong to a speaker phrase (`Foreign Minister Sergey Lavrov’s`).
const ROLE: &[&str] = &[
    "foreign",
    "minister",
    "ministers",
    "of",
    "the",
    "russian",
    "russia",
    "federation",
    "affairs",
    "secretary",
    "general",
    "secretary-general",
    "deputy",
    "president",
    "prime",
    "spokesperson",
    "spokeswoman",
    "official",
    "representative",
    "director",
    "department",
    "ministry",
    "mfa",
    "head",
    "chief",
    "министр",
    "министра",
    "министром",
    "министру",
    "иностранных",
    "дел",
    "российской",
    "федерации",
    "россии",
    "официального",
    "официальный",
    "представителя",
    "представитель",
    "мид",
    "заместителя",
    "заместитель",
    "директора",
    "директор",
    "департамента",
    "генерального",
    "секретаря",
    "генсекретаря",
];

/// The id of a statement: its date (or `undated`) and up to eight significant words of
/// the title, the speaker phrase and the trailing place and date removed.
/// `title_head` is the title without its trailing `, Place, Date`; `fallback` is text to
/// take words from when there is no title.
pub fn derive_id(
    date: Option<NaiveDate>,
    title_head: Option<&str>,
    speakers: &[SpeakerRef],
    registry: &Registry,
    fallback: Option<&str>,
) -> String {
    let mut id = date.map_or_else(
        || "undated".to_string(),
        |d| d.format("%Y-%m-%d").to_string(),
    );
    let words = title_head
        .map(|t| significant_words(&without_speakers(t, speakers, registry)))
        .filter(|w| !w.is_empty())
        .or_else(|| fallback.map(significant_words))
        .unwrap_or_default();
    for w in words {
        id.push('-');
        id.push_str(&w);
    }
    id
}

/// The title with each speaker's phrase (role words, names) removed.
fn without_speakers(title: &str, speakers: &[SpeakerRef], registry: &Registry) -> String {
    let tokens: Vec<&str> = title.split_whitespace().collect();
    let mut drop = vec![false; tokens.len()];
    for sp in speakers {
        let surnames = surnames_of(registry, sp);
        let name_words: Vec<String> = sp
            .name
            .split_whitespace()
            .chain(
                registry
                    .speaker(&sp.slug)
                    .and_then(|s| s.name_ru.as_deref())
                    .unwrap_or("")
                    .split_whitespace(),
            )
            .map(str::to_lowercase)
            .collect();
        for (p, tok) in tokens.iter().enumerate() {
            let sur = surname(tok);
            if !surnames.iter().any(|s| {
                same_surname(s, &sur)
                    || sur.starts_with(s.as_str()) && sur.chars().count() <= s.chars().count() + 2
            }) {
                continue;
            }
            drop[p] = true;
            let mut s = p;
            while s > 0 {
                let prev = tokens[s - 1]
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-')
                    .to_lowercase();
                let initials = prev.chars().all(|c| c.is_alphabetic() || c == '.')
                    && prev.contains('.')
                    && prev.chars().count() <= 5;
                let first_name = name_words.iter().any(|n| {
                    n.trim_end_matches(['.', ',']) == prev
                        || (n.chars().count() >= 4 && prev.starts_with(n.as_str()))
                });
                if ROLE.contains(&prev.as_str()) || initials || first_name {
                    s -= 1;
                    drop[s] = true;
                } else {
                    break;
                }
            }
        }
    }
    tokens
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(t, _)| *t)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Up to eight significant words, slugged, small words between them kept.
fn significant_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut counted = 0;
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        let lower = raw.to_lowercase();
        if DROP.contains(&lower.as_str()) {
            continue;
        }
        let slug = crate::text::slugify(&lower);
        if slug.is_empty() {
            continue;
        }
        let free = FREE.contains(&lower.as_str());
        if !free {
            if counted == 8 {
                break;
            }
            counted += 1;
        } else if counted == 0 {
            continue;
        }
        out.push(slug);
    }
    while out.last().is_some_and(|w| FREE.contains(&w.as_str())) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            significant_words(
                "answers to media questions following CSTO Council of Foreign Ministers meeting"
            ),
            [
                "answers",
                "to",
                "media",
                "questions",
                "csto",
                "council",
                "of",
                "foreign",
                "ministers",
                "meeting"
            ]
        );
        let id = derive_id(
            NaiveDate::from_ymd_opt(2018, 6, 11),
            Some("Speech at the meeting"),
            &[],
            &Registry::builtin(),
            None,
        );
        assert_eq!(id, "2018-06-11-speech-meeting");
        assert_eq!(
            derive_id(None, None, &[], &Registry::builtin(), None),
            "undated"
        );
    }
}
