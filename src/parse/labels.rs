//! Speaker labels at the start of a paragraph: `Question:`, `S.V. Lavrov:`,
//! `Wang Yi (speaking in Chinese):`, `Вопрос (перевод с английского языка):`.

/// What a label's words say about the turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `Question`, `Q`, `Вопрос`, `Journalist`: the press asks.
    Question,
    /// `Answer`, `A`, `Ответ`: the statement's first speaker answers.
    Answer,
    /// `Moderator`, `Ведущий`: an unnamed host.
    Host,
    /// A name: a person or an outlet.
    Name,
}

/// A label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    /// The label as printed, without note and colon.
    pub printed: &'a str,
    /// The parenthesised note, without parentheses.
    pub note: Option<&'a str>,
    /// The paragraph's text after the label (may be empty: the words follow).
    pub rest: &'a str,
    /// What the label's words are.
    pub role: Role,
}

/// Words that begin prose, never a speaker label.
const STOP_START: &[&str] = &[
    "the",
    "this",
    "that",
    "these",
    "those",
    "as",
    "i",
    "we",
    "it",
    "in",
    "on",
    "at",
    "for",
    "but",
    "and",
    "so",
    "here",
    "there",
    "then",
    "thus",
    "therefore",
    "hence",
    "moreover",
    "however",
    "note",
    "example",
    "conclusion",
    "firstly",
    "secondly",
    "thirdly",
    "first",
    "second",
    "third",
    "finally",
    "why",
    "what",
    "how",
    "when",
    "who",
    "where",
    "yes",
    "no",
    "well",
    "now",
    "today",
    "yesterday",
    "our",
    "my",
    "your",
    "his",
    "her",
    "their",
    "its",
    "there's",
    "let",
    "also",
    "result",
    "results",
    "subject",
    "topic",
    "re",
    "ps",
    "p.s.",
    "source",
    "sources",
    "quote",
    "update",
    "see",
    "in",
    "если",
    "в",
    "на",
    "и",
    "но",
    "а",
    "это",
    "так",
    "как",
    "что",
    "мы",
    "я",
    "он",
    "она",
    "они",
    "итак",
    "например",
    "вывод",
    "первое",
    "второе",
    "третье",
    "во-первых",
    "во-вторых",
    "в-третьих",
    "сегодня",
    "вчера",
    "наш",
    "наша",
    "наши",
    "мой",
    "моя",
    "тема",
    "цитата",
    "итоги",
    "примечание",
    "справка",
    "по",
    "для",
    "при",
    "о",
    "об",
    "из",
    "с",
    "к",
    "у",
];

/// Lower-case particles inside names (`Dominique de Villepin`, `Minister of ...`).
const PARTICLES: &[&str] = &[
    "de",
    "da",
    "di",
    "del",
    "della",
    "van",
    "von",
    "der",
    "den",
    "du",
    "la",
    "le",
    "al",
    "bin",
    "ibn",
    "of",
    "for",
    "the",
    "el",
    "y",
    "dos",
    "das",
    "ben",
    "иностранных",
    "дел",
    "россии",
    "российской",
    "федерации",
    "по",
];

/// The role of a label's words, or `None` when they are not a label at all.
fn role(name: &str) -> Option<Role> {
    let lower = name.to_lowercase();
    // `Question 3`, `Вопрос №2`, `Question No. 4`: numbering is part of the label.
    let core = lower
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.' || c == '№')
        .trim_end_matches(" no")
        .trim();
    let first = core.split_whitespace().next().unwrap_or("");
    let words = core.split_whitespace().count();
    match core {
        "question"
        | "questions"
        | "q"
        | "вопрос"
        | "вопросы"
        | "journalist"
        | "journalists"
        | "correspondent"
        | "reporter"
        | "audience"
        | "журналист"
        | "корреспондент"
        | "реплика"
        | "вопрос из зала"
        | "question from the floor"
        | "question from the audience"
        | "follow-up question"
        | "follow-up"
        | "уточняющий вопрос"
        | "дополнительный вопрос"
        | "reply from the floor" => return Some(Role::Question),
        "answer" | "a" | "ответ" | "reply" => return Some(Role::Answer),
        "moderator" | "host" | "presenter" | "anchor" | "ведущий" | "ведущая" | "модератор" => {
            return Some(Role::Host)
        }
        _ => {}
    }
    if words <= 6 && (first == "question" || first == "вопрос") {
        return Some(Role::Question);
    }
    is_name(name).then_some(Role::Name)
}

/// Whether words read as a person's or outlet's name: 1–7 capitalised words.
pub fn is_name(name: &str) -> bool {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    if tokens.is_empty() || tokens.len() > 7 || name.chars().count() > 60 {
        return false;
    }
    let first = tokens[0].to_lowercase();
    if STOP_START.contains(&first.as_str()) {
        return false;
    }
    tokens.iter().enumerate().all(|(i, t)| {
        let ok_chars = t
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '’' | '\''));
        let upper = t.chars().next().is_some_and(char::is_uppercase);
        ok_chars && (upper || (i > 0 && PARTICLES.contains(t)))
    })
}

/// The label at the start of a paragraph, when it has one.
pub fn split(par: &str) -> Option<Label<'_>> {
    // A label ends at the first colon outside parentheses, early in the paragraph.
    let mut depth = 0i32;
    let mut colon = None;
    for (n, (i, c)) in par.char_indices().enumerate() {
        if n > 110 {
            break;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ':' | '：' if depth == 0 => {
                colon = Some((i, c.len_utf8()));
                break;
            }
            '!' | '?' | ',' | ';' if depth == 0 => return None,
            // Initials (`S.V. Lavrov`) keep their dots; a sentence end does not.
            '.' if depth == 0 && par[i + 1..].starts_with(' ') && !is_initial(&par[..i]) => {
                return None
            }
            _ => {}
        }
    }
    let (ci, clen) = colon?;
    let head = par[..ci].trim();
    let mut rest = par[ci + clen..].trim();
    let (printed, mut note) = match head.find('(') {
        Some(open) if head.ends_with(')') => (
            head[..open].trim(),
            Some(head[open + 1..head.len() - 1].trim()),
        ),
        Some(_) => return None,
        None => (head, None),
    };
    if printed.is_empty() || printed.contains([')', '[', ']']) {
        return None;
    }
    let role = role(printed)?;
    // `Igor Ivanov: (speaking after the French minister) First ...`
    if note.is_none() && rest.starts_with('(') {
        if let Some(close) = rest.find(')') {
            let inner = rest[1..close].trim();
            let lower = inner.to_lowercase();
            if close < 120
                && [
                    "speak",
                    "retransl",
                    "transl",
                    "in ",
                    "через",
                    "перевод",
                    "по-",
                    "на ",
                ]
                .iter()
                .any(|w| lower.starts_with(w))
            {
                note = Some(inner);
                rest = rest[close + 1..].trim();
            }
        }
    }
    Some(Label {
        printed,
        note: note.filter(|n| !n.is_empty()),
        rest,
        role,
    })
}

/// Whether the text before a dot ends with an initial (`S`, `S.V`, `Дж`) or a title (`Mr`).
fn is_initial(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .next()
        .unwrap_or("");
    let n = word.chars().count();
    (1..=2).contains(&n) && word.chars().next().is_some_and(char::is_uppercase)
        || matches!(word, "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Jr" | "Sr")
}

/// Cheap test for the wrap joiner and the header: does this line open a turn?
pub fn looks_like_label(line: &str) -> bool {
    match split(line) {
        Some(l) => {
            l.role != Role::Name
                || l.printed.contains(' ')
                || l.printed.contains('.')
                || l.note.is_some()
                || is_caps(l.printed)
        }
        None => false,
    }
}

/// Whether a name is written in capitals (`SERGEY LAVROV`).
pub fn is_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(s: &str) -> Option<(String, Option<String>, String, Role)> {
        split(s).map(|l| {
            (
                l.printed.to_string(),
                l.note.map(str::to_string),
                l.rest.to_string(),
                l.role,
            )
        })
    }

    #[test]
    fn labels() {
        assert_eq!(lab("Question: Why?").unwrap().3, Role::Question);
        assert_eq!(lab("S.V. Lavrov: Yes.").unwrap().0, "S.V. Lavrov");
        assert_eq!(lab("С.В.Лавров: Да.").unwrap().0, "С.В.Лавров");
        assert_eq!(lab("S.Lavrov: Yes.").unwrap().0, "S.Lavrov");
        let l = lab("Question (retranslated from Chinese): Why?").unwrap();
        assert_eq!(l.1.as_deref(), Some("retranslated from Chinese"));
        assert_eq!(l.2, "Why?");
        let l = lab("Foreign Minister Ivanov (speaking after de Villepin): First").unwrap();
        assert_eq!(l.0, "Foreign Minister Ivanov");
        assert_eq!(lab("Foreign Minister Ivanov:").unwrap().2, "");
        assert_eq!(lab("SERGEY LAVROV: Well.").unwrap().3, Role::Name);
        assert_eq!(lab("Q: Why?").unwrap().3, Role::Question);
        let l = lab("Вопрос агентства «Интерфакс»: Как?").unwrap();
        assert_eq!(
            (l.0.as_str(), l.3),
            ("Вопрос агентства «Интерфакс»", Role::Question)
        );
        assert_eq!(lab("Question\u{a0}: Why?").unwrap().0, "Question");
        assert_eq!(lab("A: Because.").unwrap().3, Role::Answer);
        assert_eq!(lab("Question 3: Why?").unwrap().3, Role::Question);
        assert_eq!(
            lab("Вопрос (перевод с английского языка): Как?").unwrap().3,
            Role::Question
        );
        let l = lab("Igor Ivanov: (speaking after the French minister) First.").unwrap();
        assert_eq!(l.1.as_deref(), Some("speaking after the French minister"));
        assert_eq!(l.2, "First.");
    }

    #[test]
    fn prose_is_not_a_label() {
        assert_eq!(lab("As the proverb goes: better late."), None);
        assert_eq!(lab("The conclusion is simple: the treaty is dead."), None);
        assert_eq!(
            lab("I have many friends among people of culture: Rostropovich."),
            None
        );
        assert_eq!(
            lab("Есть такая пословица: «Русские долго запрягают»."),
            None
        );
        assert_eq!(lab("We met yesterday. Then: nothing."), None);
        assert_eq!(lab("At 10:30 we met."), None);
        assert_eq!(lab("Ukraine, Syria, Libya: all of them."), None);
    }
}
