//! Name matching: tokens, Russian case endings, and the lookup tables built once per registry.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::{Forum, Speaker};
use crate::text::is_cyrillic;

/// Russian case and gender endings a surname or a name word may take in a title
/// (`Лавров` -> `Лаврова`, `Лавровым`; `Захарова` -> `Захаровой`; `организация` ->
/// `организации`). The empty ending is the word itself.
const ENDINGS: &[&str] = &[
    "", "а", "я", "у", "ю", "е", "и", "ы", "о", "й", "ь", "ой", "ей", "ий", "ый", "ая", "яя", "ое",
    "ее", "ые", "ие", "ую", "юю", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем", "ам", "ям",
    "ах", "ях", "ами", "ями", "ыми", "ими", "ых", "их", "ов", "ев", "ою", "ею", "ия", "ии", "ию",
    "ием", "ьи", "ье", "ью",
];

/// Words around a name that say what the person is, not who: `Foreign Minister Ivanov`,
/// `Министр иностранных дел С.В.Лавров`. Never single letters, which are initials.
const ROLE_WORDS: &[&str] = &[
    // English
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "madam",
    "the",
    "of",
    "and",
    "to",
    "at",
    "for",
    "his",
    "her",
    "foreign",
    "minister",
    "ministers",
    "ministry",
    "affairs",
    "external",
    "russian",
    "russia",
    "federation",
    "president",
    "prime",
    "deputy",
    "first",
    "secretary",
    "secretarygeneral",
    "general",
    "state",
    "spokesperson",
    "spokeswoman",
    "spokesman",
    "official",
    "director",
    "department",
    "information",
    "press",
    "head",
    "chairman",
    "chairperson",
    "chair",
    "executive",
    "committee",
    "ambassador",
    "permanent",
    "representative",
    "envoy",
    "special",
    "acting",
    "excellency",
    "mfa",
    "us",
    "usa",
    "united",
    "states",
    "chinese",
    "china",
    "prc",
    "french",
    "france",
    "american",
    "british",
    "german",
    "kazakh",
    "kazakhstan",
    "belarusian",
    "belarus",
    "turkish",
    "indian",
    "cis",
    "un",
    "csto",
    "sco",
    "his",
    "defence",
    "defense",
    "government",
    // Russian
    "министр",
    "министра",
    "министром",
    "иностранных",
    "дел",
    "российской",
    "федерации",
    "россии",
    "рф",
    "мид",
    "президент",
    "президента",
    "председатель",
    "председателя",
    "заместитель",
    "заместителя",
    "первый",
    "первого",
    "официальный",
    "официального",
    "представитель",
    "представителя",
    "директор",
    "директора",
    "департамента",
    "информации",
    "печати",
    "генеральный",
    "генерального",
    "генсек",
    "секретарь",
    "секретаря",
    "государственный",
    "госсекретарь",
    "посол",
    "постоянный",
    "постпред",
    "глава",
    "главы",
    "господин",
    "госпожа",
    "снг",
    "оон",
    "сша",
    "кнр",
    "китая",
    "франции",
    "казахстана",
    "беларуси",
    "обороны",
    "правительства",
];

/// Small words skipped when a forum's name is compared with a title.
const STOP_WORDS: &[&str] = &[
    "of", "the", "for", "on", "in", "and", "a", "an", "и", "по", "в", "во", "на", "о", "об",
];

/// One word of a text: as printed, in lower case (`ё` read as `е`), and whether it
/// began with a capital letter.
#[derive(Debug, Clone)]
pub(super) struct Word<'a> {
    pub lower: Cow<'a, str>,
    pub original: &'a str,
    pub capital: bool,
}

/// Splits text into words of letters and digits; everything else separates.
pub(super) fn words(text: &str) -> Vec<Word<'_>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| Word {
            // Most words are in lower case already: no allocation for them.
            lower: if w.chars().any(|c| c.is_uppercase() || c == 'ё') {
                Cow::Owned(lower(w))
            } else {
                Cow::Borrowed(w)
            },
            original: w,
            capital: w.chars().next().is_some_and(char::is_uppercase),
        })
        .collect()
}

/// Lower case with `ё` read as `е`.
pub(super) fn lower(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        for l in c.to_lowercase() {
            out.push(if l == 'ё' { 'е' } else { l });
        }
    }
    out
}

fn is_cyrillic_word(word: &str) -> bool {
    word.chars().next().is_some_and(is_cyrillic)
}

/// The first three characters: the key under which words that may inflect are filed.
fn key(word: &str) -> &str {
    match word.char_indices().nth(3) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Whether `word` is `base` in some Russian case ending (`лаврова` for `лавров`,
/// `захаровой` for `захарова`), or `base` itself.
pub(super) fn inflects(word: &str, base: &str) -> bool {
    if word == base {
        return true;
    }
    if !is_cyrillic_word(base) {
        return false;
    }
    // The stem loses a final vowel or soft sign: `захаров|а`, `сергe|й`.
    let stem = base
        .strip_suffix(['а', 'я', 'й', 'ь', 'о', 'е'])
        .unwrap_or(base);
    stem.chars().count() >= 3
        && word
            .strip_prefix(stem)
            .is_some_and(|ending| ENDINGS.contains(&ending))
}

/// Like [`inflects`], for the words of a forum's name, whose stems lose whole endings
/// (`шанхайск|ая` -> `шанхайск|ой`).
fn inflects_loose(word: &str, base: &str) -> bool {
    if word == base {
        return true;
    }
    if !is_cyrillic_word(base) {
        return false;
    }
    ENDINGS.iter().any(|e| {
        base.strip_suffix(e).is_some_and(|stem| {
            stem.chars().count() >= 3
                && word
                    .strip_prefix(stem)
                    .is_some_and(|ending| ENDINGS.contains(&ending))
        })
    })
}

/// Whether two words of a name agree: equal, in another Russian case, or one the
/// initial of the other (`s` ~ `sergey`).
fn given_agrees(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let one_letter = |w: &str| w.chars().nth(1).is_none();
    if one_letter(a) {
        return b.starts_with(a);
    }
    if one_letter(b) {
        return a.starts_with(b);
    }
    inflects(a, b) || inflects(b, a)
}

/// One way of writing a speaker's name: given names (or initials) and surname.
#[derive(Debug, Clone)]
struct NameForm {
    speaker: usize,
    given: Vec<String>,
    surname: String,
}

/// A forum name or acronym as a sequence of words.
#[derive(Debug, Clone)]
struct Phrase {
    forum: usize,
    words: Vec<String>,
    /// Acronyms (`UN`, `СНГ`, `G20`) match only as printed; names in any case.
    exact_case: bool,
}

/// Lookup tables built once from the registry's lists.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    forms: Vec<NameForm>,
    /// Surname -> forms bearing it.
    by_surname: HashMap<String, Vec<usize>>,
    /// First three letters of a Cyrillic surname -> forms, for inflected forms.
    by_surname_key: HashMap<String, Vec<usize>>,
    /// Surname -> distinct speakers bearing it.
    surname_owners: HashMap<String, Vec<usize>>,
    /// Every given name of every speaker: a surname after someone else's given name
    /// is someone else.
    given_names: HashSet<String>,
    role_words: HashSet<&'static str>,
    phrases: Vec<Phrase>,
    /// Key of a phrase's first word -> phrases.
    by_first_word: HashMap<String, Vec<usize>>,
}

impl Index {
    /// Builds the tables for these lists.
    pub fn build(forums: &[Forum], speakers: &[Speaker]) -> Index {
        let mut index = Index {
            role_words: ROLE_WORDS.iter().copied().collect(),
            ..Index::default()
        };
        for (i, s) in speakers.iter().enumerate() {
            let mut spellings: Vec<&str> = vec![s.name.as_str()];
            spellings.extend(s.name_ru.as_deref());
            spellings.extend(s.aliases.iter().map(String::as_str));
            let mut seen = HashSet::new();
            for spelling in spellings {
                let latin = crate::text::transliterate(spelling);
                for text in [spelling, latin.as_str()] {
                    let ws: Vec<String> = words(text)
                        .into_iter()
                        .map(|w| w.lower.into_owned())
                        .collect();
                    if seen.insert(ws.clone()) {
                        index.add_form(i, &ws);
                    }
                }
            }
        }
        for (i, f) in forums.iter().enumerate() {
            let mut names: Vec<(&str, bool)> = vec![(&f.acronym, true), (&f.name, false)];
            names.extend(f.acronym_ru.as_deref().map(|a| (a, true)));
            names.extend(f.name_ru.as_deref().map(|n| (n, false)));
            // An alias in capitals (`UNGA`, `СБ ООН`) is an acronym.
            names.extend(
                f.aliases
                    .iter()
                    .map(|a| (a.as_str(), !a.chars().any(char::is_lowercase))),
            );
            for (name, exact_case) in names {
                index.add_phrase(i, name, exact_case);
            }
        }
        index
    }

    fn add_form(&mut self, speaker: usize, ws: &[String]) {
        let Some((first, rest)) = ws.split_first() else {
            return;
        };
        // `Лавров С.В.`: surname first, initials after.
        let (surname, given) = if !rest.is_empty()
            && first.chars().count() > 1
            && rest.iter().all(|w| w.chars().count() == 1)
        {
            (first.clone(), rest.to_vec())
        } else {
            let (last, given) = ws.split_last().expect("non-empty");
            (last.clone(), given.to_vec())
        };
        let n = self.forms.len();
        self.by_surname.entry(surname.clone()).or_default().push(n);
        if is_cyrillic_word(&surname) {
            self.by_surname_key
                .entry(key(&surname).to_owned())
                .or_default()
                .push(n);
        }
        let owners = self.surname_owners.entry(surname.clone()).or_default();
        if !owners.contains(&speaker) {
            owners.push(speaker);
        }
        self.given_names
            .extend(given.iter().filter(|g| g.chars().count() > 1).cloned());
        self.forms.push(NameForm {
            speaker,
            given,
            surname,
        });
    }

    fn add_phrase(&mut self, forum: usize, name: &str, exact_case: bool) {
        let ws: Vec<String> = words(name)
            .into_iter()
            .map(|w| {
                if exact_case {
                    w.original.to_owned()
                } else {
                    w.lower.into_owned()
                }
            })
            .filter(|w| exact_case || !STOP_WORDS.contains(&w.as_str()))
            .collect();
        let Some(first) = ws.first() else { return };
        let k = if exact_case {
            first.clone()
        } else {
            key(first).to_owned()
        };
        let n = self.phrases.len();
        self.by_first_word.entry(k).or_default().push(n);
        self.phrases.push(Phrase {
            forum,
            words: ws,
            exact_case,
        });
    }

    /// Speakers whose name the printed words make, without role words.
    pub fn match_name(&self, name: &str) -> Option<usize> {
        // A parenthesised note is not part of the name.
        let name = name.split('(').next().unwrap_or(name);
        let ws: Vec<Cow<'_, str>> = words(name)
            .into_iter()
            .map(|w| w.lower)
            .filter(|w| !self.role_words.contains(w.as_ref()))
            .collect();
        if ws.is_empty() || ws.len() > 6 {
            return None;
        }
        let mut found: Option<usize> = None;
        let mut ambiguous = false;
        let mut consider = |speaker: usize| match found {
            None => found = Some(speaker),
            Some(s) if s != speaker => ambiguous = true,
            Some(_) => {}
        };
        let last = ws.len() - 1;
        // Surname last (`S.V. Lavrov`), or first with initials after it (`Лавров С.В.`).
        let surname_first =
            last > 0 && ws[1..].iter().all(|w| w.chars().count() == 1) && ws[0].chars().count() > 1;
        let orders = [(last, &ws[..last]), (0, &ws[1..])];
        for &(pos, others) in &orders[..if surname_first { 2 } else { 1 }] {
            for &f in self.by_surname.get(ws[pos].as_ref()).into_iter().flatten() {
                let form = &self.forms[f];
                let ok = if others.is_empty() {
                    self.sole_bearer(&form.surname).is_some()
                } else {
                    others.len() <= form.given.len()
                        && others
                            .iter()
                            .zip(&form.given)
                            .all(|(a, b)| given_agrees(a, b))
                };
                if ok {
                    consider(form.speaker);
                }
            }
        }
        if ambiguous {
            None
        } else {
            found
        }
    }

    /// The one speaker bearing this surname, when it is long enough to name them alone.
    fn sole_bearer(&self, surname: &str) -> Option<usize> {
        if surname.chars().count() < 4 {
            return None;
        }
        match self.surname_owners.get(surname).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Speakers named in a title, in order of first mention.
    pub fn speakers_in(&self, title: &str) -> Vec<usize> {
        let ws = words(title);
        let mut out: Vec<usize> = Vec::new();
        for (i, w) in ws.iter().enumerate() {
            // Once the speaking party is named, `talks with X` and `переговоров с X`
            // name the other side, not a speaker (whose turns, if published, carry
            // labels). Before it, `Interview with Igor Ivanov` names the speaker.
            if !out.is_empty() && (w.lower == "with" || w.original == "с" || w.original == "со")
            {
                break;
            }
            let exact = self.by_surname.get(w.lower.as_ref()).into_iter().flatten();
            let inflected = if is_cyrillic_word(&w.lower) {
                self.by_surname_key.get(key(&w.lower))
            } else {
                None
            };
            let mut strong: Option<usize> = None;
            let mut weak: Option<usize> = None;
            for &f in exact.chain(inflected.into_iter().flatten()) {
                let form = &self.forms[f];
                if !inflects(&w.lower, &form.surname) {
                    continue;
                }
                if self.given_before(&ws, i, form) || self.initials_after(&ws, i, form) {
                    strong.get_or_insert(form.speaker);
                } else if form.given.is_empty() || !self.named_otherwise(&ws, i) {
                    if let Some(s) = self.sole_bearer(&form.surname) {
                        if w.capital {
                            weak.get_or_insert(s);
                        }
                    }
                }
            }
            if let Some(s) = strong.or(weak) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }

    /// Whether the words before position `i` are the form's given names or initials.
    fn given_before(&self, ws: &[Word], i: usize, form: &NameForm) -> bool {
        let m = form.given.len().min(i);
        // The longest run of given names that ends right before the surname.
        (1..=m).rev().any(|k| {
            ws[i - k..i]
                .iter()
                .zip(&form.given)
                .all(|(w, g)| given_agrees(&w.lower, g))
        })
    }

    /// `Лаврова С.В.`: the form's initials after the surname.
    fn initials_after(&self, ws: &[Word], i: usize, form: &NameForm) -> bool {
        let after = &ws[i + 1..];
        !form.given.is_empty()
            && after.len() >= form.given.len()
            && form
                .given
                .iter()
                .zip(after)
                .all(|(g, w)| w.lower.chars().count() == 1 && g.starts_with(w.lower.as_ref()))
    }

    /// Whether the word before position `i` is a given name or a capital initial (of
    /// someone the registry does not know by it): `Sergei Ivanov` is not `Igor Ivanov`.
    /// A lower-case letter is a preposition (`с Захаровой`), not an initial.
    fn named_otherwise(&self, ws: &[Word], i: usize) -> bool {
        i > 0 && {
            let prev = &ws[i - 1];
            (prev.capital && prev.lower.chars().count() == 1)
                || self.given_names.contains(prev.lower.as_ref())
        }
    }

    /// Forums named in a title, in title order, each once.
    pub fn forums_in(&self, title: &str) -> Vec<usize> {
        let all = words(title);
        // Names are compared without small words; acronyms on the whole sequence.
        let content: Vec<(usize, &str)> = all
            .iter()
            .enumerate()
            .filter(|(_, w)| !STOP_WORDS.contains(&w.lower.as_ref()))
            .map(|(i, w)| (i, w.lower.as_ref()))
            .collect();
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (i, w) in all.iter().enumerate() {
            for &p in self.by_first_word.get(w.original).into_iter().flatten() {
                let phrase = &self.phrases[p];
                if phrase.exact_case
                    && all.len() - i >= phrase.words.len()
                    && all[i..]
                        .iter()
                        .zip(&phrase.words)
                        .all(|(w, p)| w.original == p)
                {
                    hits.push((i, phrase.forum));
                }
            }
        }
        for (c, &(i, w)) in content.iter().enumerate() {
            for &p in self.by_first_word.get(key(w)).into_iter().flatten() {
                let phrase = &self.phrases[p];
                if !phrase.exact_case
                    && content.len() - c >= phrase.words.len()
                    && content[c..]
                        .iter()
                        .zip(&phrase.words)
                        .all(|(&(_, w), p)| word_agrees(w, p))
                {
                    hits.push((i, phrase.forum));
                }
            }
        }
        hits.sort_unstable();
        let mut out: Vec<usize> = Vec::new();
        for (_, f) in hits {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

/// Whether a title word is a name word: equal, or (Russian) in another case ending.
fn word_agrees(word: &str, name_word: &str) -> bool {
    word == name_word || inflects_loose(word, name_word)
}
