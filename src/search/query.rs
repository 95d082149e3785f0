//! The search box's query language, and its translation into safe FTS5 expressions.
//!
//! The language: words (all must match), `"exact phrase"`, `OR` between two terms,
//! `-exclude`, `prefix*`. Anything else is read as plain words, so no input is an error.
//! Every term reaches FTS5 as a quoted string holding only letters, digits and spaces:
//! no column filter, `NEAR`, `^`, bareword operator or unbalanced quote can get through.

use std::fmt::Write as _;

use unicode_normalization::char::is_combining_mark;

/// Prefixes shorter than this many letters are searched as whole words: `a*` would
/// otherwise merge the doclists of a large part of the vocabulary.
pub const MIN_PREFIX_CHARS: usize = 3;

/// One searchable unit of a query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// A word, stemmed (`sanctions` finds `sanction`).
    Word(String),
    /// Words that must appear together, in order, stemmed: a quoted phrase, or text
    /// that splits into several words (`U.S.`, `don't`, `Secretary-General`).
    Phrase(String),
    /// The start of a word as written, not stemmed (`negotiat*`).
    Prefix(String),
}

impl Term {
    /// The normalised text of the term (letters, digits, single spaces).
    pub fn text(&self) -> &str {
        match self {
            Term::Word(t) | Term::Phrase(t) | Term::Prefix(t) => t,
        }
    }

    /// Whether this term is matched in the unstemmed (`*_plain`) tables.
    pub fn is_prefix(&self) -> bool {
        matches!(self, Term::Prefix(_))
    }

    /// The term as an FTS5 expression: a quoted string, `"` doubled, `*` for a prefix.
    pub fn to_fts(&self) -> String {
        let quoted = format!("\"{}\"", self.text().replace('"', "\"\""));
        match self {
            Term::Prefix(_) => quoted + "*",
            _ => quoted,
        }
    }

    /// The term as the user could type it again.
    fn display(&self) -> String {
        match self {
            Term::Word(t) => t.clone(),
            Term::Phrase(t) => format!("\"{t}\""),
            Term::Prefix(t) => format!("{t}*"),
        }
    }
}

/// A parsed query: every clause must match (each clause is one term or several joined by
/// `OR`), and no excluded term may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Clauses that must all match; the terms of one clause are alternatives.
    pub clauses: Vec<Vec<Term>>,
    /// Terms that must not match.
    pub excluded: Vec<Term>,
}

/// A raw piece of the input before terms are built.
#[derive(Debug)]
enum Token {
    Term { negated: bool, term: Term },
    Or,
}

impl Query {
    /// Reads a query. Never fails: unreadable syntax is taken as plain words, and
    /// a query of exclusions only searches for the excluded words.
    pub fn parse(input: &str) -> Query {
        let tokens = tokenize(input);
        let mut query = Query::default();
        let mut pending_or = false;
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Or => {
                    // An operator only between two wanted terms; elsewhere the word "or".
                    let before = i > 0
                        && matches!(tokens[i - 1], Token::Term { negated: false, .. })
                        && !query.clauses.is_empty();
                    let after =
                        matches!(tokens.get(i + 1), Some(Token::Term { negated: false, .. }));
                    if before && after {
                        pending_or = true;
                    } else {
                        query.clauses.push(vec![Term::Word("or".into())]);
                    }
                }
                Token::Term {
                    negated: true,
                    term,
                } => query.excluded.push(term.clone()),
                Token::Term {
                    negated: false,
                    term,
                } => {
                    if std::mem::take(&mut pending_or) {
                        let last = query.clauses.last_mut().expect("OR follows a clause");
                        if !last.contains(term) {
                            last.push(term.clone());
                        }
                    } else {
                        query.clauses.push(vec![term.clone()]);
                    }
                }
            }
        }
        if query.clauses.is_empty() {
            // Nothing to find but exclusions: search for those words instead of
            // returning the whole archive minus them.
            query.clauses = query.excluded.drain(..).map(|t| vec![t]).collect();
        }
        query.clauses.dedup();
        query
    }

    /// Whether the query has nothing to search for (empty, or punctuation only).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The query as understood, in the language's own syntax (shown on the page).
    pub fn display(&self) -> String {
        let mut out = String::new();
        for clause in &self.clauses {
            if !out.is_empty() {
                out.push(' ');
            }
            let parts: Vec<String> = clause.iter().map(Term::display).collect();
            out.push_str(&parts.join(" OR "));
        }
        for term in &self.excluded {
            let _ = write!(out, " -{}", term.display());
        }
        out
    }

    /// Splits the query into FTS5 expressions for the stemmed and plain tables.
    pub fn plan(&self) -> Plan {
        let mut stemmed = Vec::new();
        let mut plain = Vec::new();
        let mut prefix_clauses = Vec::new();
        let mut mixed = Vec::new();
        for clause in &self.clauses {
            let (prefixes, words): (Vec<&Term>, Vec<&Term>) =
                clause.iter().partition(|t| t.is_prefix());
            match (words.is_empty(), prefixes.is_empty()) {
                (false, true) => stemmed.push(or_expr(&words)),
                (true, false) => {
                    plain.push(or_expr(&prefixes));
                    prefix_clauses.push(prefixes.iter().map(|t| fold(t.text())).collect());
                }
                (false, false) => mixed.push(Mixed {
                    stemmed: or_expr(&words),
                    plain: or_expr(&prefixes),
                    prefixes: prefixes.iter().map(|t| fold(t.text())).collect(),
                }),
                (true, true) => {}
            }
        }
        let (ex_prefixes, ex_words): (Vec<&Term>, Vec<&Term>) =
            self.excluded.iter().partition(|t| t.is_prefix());
        let positive: Vec<&Term> = self.clauses.iter().flatten().collect();
        let (hl_prefixes, hl_words): (Vec<&Term>, Vec<&Term>) =
            positive.into_iter().partition(|t| t.is_prefix());
        Plan {
            stemmed: and_expr(&stemmed),
            plain: and_expr(&plain),
            prefix_clauses,
            mixed,
            excluded_stemmed: (!ex_words.is_empty()).then(|| or_expr(&ex_words)),
            excluded_plain: (!ex_prefixes.is_empty()).then(|| or_expr(&ex_prefixes)),
            excluded_prefixes: ex_prefixes.iter().map(|t| fold(t.text())).collect(),
            highlight_stemmed: (!hl_words.is_empty()).then(|| or_expr(&hl_words)),
            highlight_prefixes: hl_prefixes.iter().map(|t| fold(t.text())).collect(),
        }
    }
}

/// A clause whose alternatives live in both tables: a row matches when either does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mixed {
    /// The stemmed alternatives, for `*_fts`.
    pub stemmed: String,
    /// The prefix alternatives, for `*_plain`.
    pub plain: String,
    /// The same prefixes, folded as the plain tables fold words.
    pub prefixes: Vec<String>,
}

/// FTS5 expressions for one query. Each is built from quoted strings, parentheses,
/// `AND` and `OR` only, so FTS5 accepts it whatever the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Clauses of words and phrases, for the stemmed tables.
    pub stemmed: Option<String>,
    /// Clauses of prefixes, for the plain tables.
    pub plain: Option<String>,
    /// The same clauses as lists of prefixes, folded as the plain tables fold words.
    pub prefix_clauses: Vec<Vec<String>>,
    /// Clauses mixing both.
    pub mixed: Vec<Mixed>,
    /// Excluded words and phrases (a row matching any is dropped), stemmed tables.
    pub excluded_stemmed: Option<String>,
    /// Excluded prefixes, plain tables.
    pub excluded_plain: Option<String>,
    /// The same prefixes, folded as the plain tables fold words.
    pub excluded_prefixes: Vec<String>,
    /// Every wanted word and phrase, OR-ed: what to highlight via the stemmed tables.
    pub highlight_stemmed: Option<String>,
    /// Every wanted prefix, folded as [`fold`] does.
    pub highlight_prefixes: Vec<String>,
}

impl Plan {
    /// Character ranges of the words of `text` that the plan's prefixes match: how a
    /// prefix search is highlighted in a text already found, without expanding the
    /// prefix over the index's vocabulary again for the page's few rows. Words are runs
    /// of letters and digits, as the plain tables' tokenizer reads them.
    pub fn prefix_ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let mut ranges = Vec::new();
        if self.highlight_prefixes.is_empty() {
            return ranges;
        }
        let matches = |word: &str| {
            let folded = fold(word);
            self.highlight_prefixes
                .iter()
                .any(|p| folded.starts_with(p.as_str()))
        };
        // (character, byte) where the current word began.
        let mut start: Option<(usize, usize)> = None;
        let mut chars = 0;
        for (byte, c) in text.char_indices() {
            if is_word_char(c) {
                start.get_or_insert((chars, byte));
            } else if let Some((first, from)) = start.take() {
                if matches(&text[from..byte]) {
                    ranges.push((first, chars));
                }
            }
            chars += 1;
        }
        if let Some((first, from)) = start {
            if matches(&text[from..]) {
                ranges.push((first, chars));
            }
        }
        ranges
    }
}

/// A word as the plain tables' tokenizer compares it: lower case, and Latin letters
/// without their diacritics (`unicode61 remove_diacritics 2` folds Latin letters only,
/// so `й` stays `й`).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if u32::from(c) < 0x250 {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn or_expr(terms: &[&Term]) -> String {
    let parts: Vec<String> = terms.iter().map(|t| t.to_fts()).collect();
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

fn and_expr(parts: &[String]) -> Option<String> {
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Whether a character can be part of a word FTS5's unicode61 tokenizer indexes (letters
/// and digits; combining marks separate words there, so they do here).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_combining_mark(c)
}

/// Whether FTS5 surely reads a prefix made of these characters as one token: the plain
/// tables keep no positions, so a prefix that split into two tokens would be a phrase,
/// which they cannot answer. Scripts outside these ranges are searched as whole words.
fn is_single_token(word: &str) -> bool {
    word.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || (c.is_alphabetic()
                && matches!(u32::from(c), 0xC0..=0x24F | 0x370..=0x3FF | 0x400..=0x52F))
    })
}

/// Keeps the letters and digits of `raw`, every run of anything else becoming one space.
fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_word = false;
    for c in raw.chars() {
        if is_word_char(c) {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    out
}

fn words_term(text: String) -> Term {
    if text.contains(' ') {
        Term::Phrase(text)
    } else {
        Term::Word(text)
    }
}

/// Splits the input into terms and `OR`s, honouring quotes, `-` and a trailing `*`.
fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        if c == '-' {
            chars.next();
            match chars.peek() {
                Some(&n) if !n.is_whitespace() && n != '-' => negated = true,
                _ => continue,
            }
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            // An unbalanced quote runs to the end of the input.
            let mut raw = String::new();
            for ch in chars.by_ref() {
                if ch == '"' {
                    break;
                }
                raw.push(ch);
            }
            let text = normalise(&raw);
            if !text.is_empty() {
                let term = words_term(text);
                tokens.push(Token::Term { negated, term });
            }
            continue;
        }
        let mut raw = String::new();
        while let Some(&ch) = chars.peek() {
            if ch.is_whitespace() || ch == '"' {
                break;
            }
            raw.push(ch);
            chars.next();
        }
        if raw == "OR" && !negated {
            tokens.push(Token::Or);
            continue;
        }
        let text = normalise(&raw);
        if text.is_empty() {
            continue;
        }
        let (head, last_word) = match text.rsplit_once(' ') {
            Some((head, last)) => (Some(head), last),
            None => (None, text.as_str()),
        };
        let term = if raw.ends_with('*')
            && last_word.chars().count() >= MIN_PREFIX_CHARS
            && is_single_token(last_word)
        {
            // `Secretary-Gen*`: the words before the prefix are required beside it.
            if let Some(head) = head {
                let term = words_term(head.to_string());
                tokens.push(Token::Term { negated, term });
            }
            Term::Prefix(last_word.to_string())
        } else {
            words_term(text)
        };
        tokens.push(Token::Term { negated, term });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Term {
        Term::Word(s.into())
    }
    fn p(s: &str) -> Term {
        Term::Phrase(s.into())
    }
    fn x(s: &str) -> Term {
        Term::Prefix(s.into())
    }
    fn q(clauses: Vec<Vec<Term>>, excluded: Vec<Term>) -> Query {
        Query { clauses, excluded }
    }

    #[test]
    fn prefix_ranges_are_the_words_a_prefix_matches() {
        let plan = Query::parse("negotiat* CAFÉ* шанх* sanctions").plan();
        assert_eq!(plan.highlight_prefixes, ["negotiat", "cafe", "шанх"]);
        let text = "Negotiations, renegotiate; the Café and CAFETERIA; Шанхайская, шанхайской; \
                    sanctions, negotiat";
        let marked: Vec<String> = plan
            .prefix_ranges(text)
            .into_iter()
            .map(|(a, b)| text.chars().skip(a).take(b - a).collect())
            .collect();
        assert_eq!(
            marked,
            [
                "Negotiations",
                "Café",
                "CAFETERIA",
                "Шанхайская",
                "шанхайской",
                "negotiat"
            ]
        );
        assert!(Query::parse("sanctions")
            .plan()
            .prefix_ranges(text)
            .is_empty());
        // Only Latin letters lose their marks, as in FTS5: `й` is not `и`.
        assert_eq!(fold("Élysée"), "elysee");
        assert_eq!(fold("Мой"), "мой");
    }

    #[test]
    fn words_are_all_required() {
        assert_eq!(
            Query::parse("INF Treaty"),
            q(vec![vec![w("INF")], vec![w("Treaty")]], vec![])
        );
        let plan = Query::parse("INF Treaty").plan();
        assert_eq!(plan.stemmed.as_deref(), Some(r#""INF" AND "Treaty""#));
        assert_eq!(plan.plain, None);
    }

    #[test]
    fn phrases_keep_their_words_together() {
        assert_eq!(
            Query::parse(r#""nuclear forces" treaty"#),
            q(vec![vec![p("nuclear forces")], vec![w("treaty")]], vec![])
        );
        // A quoted single word is just a word; an unbalanced quote runs to the end.
        assert_eq!(
            Query::parse(r#""treaty""#),
            q(vec![vec![w("treaty")]], vec![])
        );
        assert_eq!(
            Query::parse(r#"a "b c"#),
            q(vec![vec![w("a")], vec![p("b c")]], vec![])
        );
    }

    #[test]
    fn or_joins_neighbours_only() {
        assert_eq!(
            Query::parse("Syria OR Iraq Afghanistan"),
            q(
                vec![vec![w("Syria"), w("Iraq")], vec![w("Afghanistan")]],
                vec![]
            )
        );
        assert_eq!(
            Query::parse("a OR b OR c").plan().stemmed.as_deref(),
            Some(r#"("a" OR "b" OR "c")"#)
        );
        // Dangling or lower-case `or` is a word.
        assert_eq!(
            Query::parse("OR Syria"),
            q(vec![vec![w("or")], vec![w("Syria")]], vec![])
        );
        assert_eq!(
            Query::parse("Syria OR"),
            q(vec![vec![w("Syria")], vec![w("or")]], vec![])
        );
        assert_eq!(
            Query::parse("Syria or Iraq"),
            q(
                vec![vec![w("Syria")], vec![w("or")], vec![w("Iraq")]],
                vec![]
            )
        );
        assert_eq!(
            Query::parse("Syria OR -Iraq"),
            q(vec![vec![w("Syria")], vec![w("or")]], vec![w("Iraq")])
        );
    }

    #[test]
    fn exclusions_and_prefixes() {
        let query = Query::parse("treaty -INF negotiat* -sanction*");
        assert_eq!(
            query,
            q(
                vec![vec![w("treaty")], vec![x("negotiat")]],
                vec![w("INF"), x("sanction")]
            )
        );
        let plan = query.plan();
        assert_eq!(plan.stemmed.as_deref(), Some(r#""treaty""#));
        assert_eq!(plan.plain.as_deref(), Some(r#""negotiat"*"#));
        assert_eq!(plan.excluded_stemmed.as_deref(), Some(r#""INF""#));
        assert_eq!(plan.excluded_plain.as_deref(), Some(r#""sanction"*"#));
        assert_eq!(plan.highlight_prefixes, ["negotiat"]);
        // A hyphen inside a word is not an exclusion; a lone hyphen is nothing.
        assert_eq!(
            Query::parse("Secretary-General - x"),
            q(vec![vec![p("Secretary General")], vec![w("x")]], vec![])
        );
        // Too short a prefix is a word; a lone star is nothing.
        assert_eq!(Query::parse("ne* * **"), q(vec![vec![w("ne")]], vec![]));
        // Only the last word of a compound is a prefix.
        assert_eq!(
            Query::parse("Secretary-Gen*"),
            q(vec![vec![w("Secretary")], vec![x("Gen")]], vec![])
        );
        // Scripts whose word boundaries FTS5 may read otherwise are searched as words.
        assert_eq!(Query::parse("日本語*"), q(vec![vec![w("日本語")]], vec![]));
    }

    #[test]
    fn exclusions_alone_are_searched_as_words() {
        assert_eq!(
            Query::parse("-sanctions -\"arms race\""),
            q(vec![vec![w("sanctions")], vec![p("arms race")]], vec![])
        );
    }

    #[test]
    fn mixed_clauses_span_both_tables() {
        let plan = Query::parse("sanctions OR negotiat*").plan();
        assert_eq!(plan.stemmed, None);
        assert_eq!(plan.plain, None);
        assert_eq!(
            plan.mixed,
            vec![Mixed {
                stemmed: r#""sanctions""#.into(),
                plain: r#""negotiat"*"#.into(),
                prefixes: vec!["negotiat".into()],
            }]
        );
    }

    #[test]
    fn fts_syntax_is_only_words() {
        for (input, expected) in [
            ("title: treaty", r#""title" AND "treaty""#),
            ("body:INF", r#""body INF""#),
            ("NEAR(a b)", r#""NEAR a" AND "b""#),
            ("^treaty", r#""treaty""#),
            (
                "a AND b NOT c",
                r#""a" AND "AND" AND "b" AND "NOT" AND "c""#,
            ),
            (
                "'; DROP TABLE statements; --",
                r#""DROP" AND "TABLE" AND "statements""#,
            ),
            ("(INF", r#""INF""#),
            ("{col1 col2}:x", r#""col1" AND "col2 x""#),
        ] {
            assert_eq!(
                Query::parse(input).plan().stemmed.as_deref(),
                Some(expected),
                "{input}"
            );
        }
    }

    #[test]
    fn nothing_searchable_is_empty() {
        for input in [
            "",
            "   ",
            "\"\"",
            "***",
            "-",
            "- -",
            "()",
            "'; --",
            "\u{0}\u{7}",
            "\u{301}",
        ] {
            assert!(Query::parse(input).is_empty(), "{input:?}");
        }
    }

    #[test]
    fn cyrillic_and_diacritics_are_words() {
        assert_eq!(
            Query::parse("санкции Lavrov’s café"),
            q(
                vec![vec![w("санкции")], vec![p("Lavrov s")], vec![w("café")]],
                vec![]
            )
        );
        assert_eq!(
            Query::parse("переговор*"),
            q(vec![vec![x("переговор")]], vec![])
        );
    }

    #[test]
    fn display_round_trips() {
        for input in [
            "INF Treaty",
            "\"nuclear forces\" treaty",
            "a OR b c",
            "negotiat* -sanction* -x",
        ] {
            let once = Query::parse(input);
            assert_eq!(Query::parse(&once.display()), once, "{input}");
        }
    }

    /// Every expression the translator can produce is accepted by FTS5: run them all
    /// against real stemmed and plain tables.
    mod fts5_accepts {
        use super::*;
        use proptest::prelude::*;
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        use sqlx::SqlitePool;
        use std::str::FromStr;

        fn tables() -> (tokio::runtime::Runtime, SqlitePool) {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let pool = rt.block_on(async {
                let opts = SqliteConnectOptions::from_str("sqlite::memory:").unwrap();
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await
                    .unwrap();
                for sql in [
                    "CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')",
                    "CREATE VIRTUAL TABLE p USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', detail = none)",
                    "INSERT INTO s VALUES ('The INF Treaty negotiations: sanctions, Санкции, café')",
                    "INSERT INTO p SELECT body FROM s",
                ] {
                    sqlx::query(sql).execute(&pool).await.unwrap();
                }
                pool
            });
            (rt, pool)
        }

        fn check(rt: &tokio::runtime::Runtime, pool: &SqlitePool, input: &str) {
            let plan = Query::parse(input).plan();
            let mut runs: Vec<(&str, String)> = Vec::new();
            for e in [
                &plan.stemmed,
                &plan.excluded_stemmed,
                &plan.highlight_stemmed,
            ]
            .into_iter()
            .flatten()
            {
                runs.push(("s", e.clone()));
            }
            for e in [&plan.plain, &plan.excluded_plain].into_iter().flatten() {
                runs.push(("p", e.clone()));
            }
            for m in &plan.mixed {
                runs.push(("s", m.stemmed.clone()));
                runs.push(("p", m.plain.clone()));
            }
            if let (Some(a), Some(b)) = (&plan.stemmed, &plan.excluded_stemmed) {
                runs.push(("s", format!("({a}) NOT ({b})")));
            }
            rt.block_on(async {
                for (table, expr) in runs {
                    let sql = format!(
                        "SELECT rowid, highlight({table}, 0, '<', '>') FROM {table} WHERE {table} MATCH ?"
                    );
                    let result = sqlx::query(&sql).bind(&expr).fetch_all(pool).await;
                    if let Err(e) = result {
                        panic!("{input:?} -> {expr:?}: {e}");
                    }
                }
            });
        }

        #[test]
        fn known_hostile_inputs() {
            let (rt, pool) = tables();
            for input in [
                "\"",
                "\"\"\"",
                "a\"b",
                "NEAR(a b, 2)",
                "title:x",
                "body : x",
                "^x",
                "*",
                "x**",
                "AND",
                "OR",
                "NOT",
                "a OR OR b",
                "-",
                "--x",
                "-\"",
                "(",
                ")",
                "{a b}: c",
                "'; DROP TABLE s; --",
                "\u{0}x",
                "x\u{0}y",
                "\u{FFFD}",
                "\u{202E}abc",
                "\u{1F600} emoji",
                "a\u{301}",
                "\u{301}a",
                "ab*cd*",
                "Санкц*",
                "x*\"y\"",
            ] {
                check(&rt, &pool, input);
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn any_string_translates_to_a_valid_expression(input in "\\PC{0,40}") {
                thread_local! { static DB: (tokio::runtime::Runtime, SqlitePool) = tables(); }
                DB.with(|(rt, pool)| check(rt, pool, &input));
            }

            #[test]
            fn query_syntax_soup_is_valid(
                input in proptest::collection::vec(
                    prop_oneof![
                        Just("\"".to_string()), Just("*".to_string()), Just("-".to_string()),
                        Just(" OR ".to_string()), Just(" AND ".to_string()), Just("NEAR(".to_string()),
                        Just(")".to_string()), Just(":".to_string()), Just("^".to_string()),
                        Just(" ".to_string()), Just("\u{0}".to_string()), Just("\u{301}".to_string()),
                        "[a-zа-я]{1,6}",
                    ],
                    0..20,
                ).prop_map(|v| v.concat())
            ) {
                thread_local! { static DB: (tokio::runtime::Runtime, SqlitePool) = tables(); }
                DB.with(|(rt, pool)| check(rt, pool, &input));
            }
        }
    }
}
