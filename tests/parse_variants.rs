//! The variants of the input format, one small page each (tests/fixtures/variants/):
//! header forms, labels, turns, footers, encodings, errors; and the parser never panics.

use communique::model::{Hints, Kind, Segment, SegmentKind, Statement};
use communique::parse::{parse_bytes, parse_text, parse_with_hints, ParseError};
use communique::registry::Registry;
use proptest::prelude::*;

/// Parses a fixture of tests/fixtures/variants/ with the built-in registry.
fn parse(name: &str) -> Statement {
    let path = format!(
        "{}/tests/fixtures/variants/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_bytes(&bytes, &Registry::builtin()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(kind, anchor, speaker, label, note)` of a segment.
type Turn<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// The [`Turn`] of every segment.
fn turns(st: &Statement) -> Vec<Turn<'_>> {
    st.segments
        .iter()
        .map(|s| {
            (
                s.kind.as_str(),
                s.anchor.as_str(),
                s.speaker.as_deref(),
                s.label.as_deref(),
                s.note.as_deref(),
            )
        })
        .collect()
}

fn slugs(st: &Statement) -> Vec<&str> {
    st.speakers.iter().map(|s| s.slug.as_str()).collect()
}

fn first_par(s: &Segment) -> &str {
    s.paragraphs.first().map_or("", String::as_str)
}

fn last_par(s: &Segment) -> &str {
    s.paragraphs.last().map_or("", String::as_str)
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[test]
fn glued_date_line_breadcrumbs_language_versions_and_tags() {
    let st = parse("glued_date_breadcrumbs.txt");
    assert_eq!(st.date, date("2012-09-12"));
    assert_eq!(st.time.as_deref(), Some("14:03"));
    assert_eq!(st.place.as_deref(), Some("Astana"));
    assert_eq!(st.kind, Kind::Answers);
    assert!(st
        .title
        .as_deref()
        .unwrap()
        .starts_with("Comment and answers"));
    assert!(st
        .title
        .as_deref()
        .unwrap()
        .ends_with("Astana, September, 12th, 2012"));
    assert_eq!(st.languages, ["en", "es", "ru"]);
    assert_eq!(st.language, "en");
    assert_eq!(
        st.tags,
        [
            "Organization for Security and Co-operation in Europe (OSCE)",
            "European Union (EU)"
        ]
    );
    assert_eq!(
        turns(&st),
        [
            ("remarks", "r1", Some("sergey-lavrov"), None, None),
            ("question", "q1", None, Some("Question"), None),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("S.V. Lavrov"),
                None
            ),
        ]
    );
    assert_eq!(st.segments[0].paragraphs[0], "Dear colleagues,");
    assert_eq!(
        last_par(&st.segments[2]),
        "I am sure that the document will be adopted by a consensus."
    );
    assert!(st.id.starts_with("2012-09-12-"), "{}", st.id);
    assert!(st.id.is_ascii() && !st.id.contains("astana"), "{}", st.id);
}

#[test]
fn time_only_line_document_number_two_answerers_russian_footer() {
    let st = parse("time_only_doc_number.txt");
    assert_eq!(st.time.as_deref(), Some("15:38"));
    assert_eq!(st.date, date("2024-04-12"), "the date comes from the title");
    assert_eq!(st.place.as_deref(), Some("Minsk"));
    assert_eq!(st.source_number.as_deref(), Some("676-12-04-2024"));
    assert_eq!(st.kind, Kind::PressConference);
    assert_eq!(st.languages, Vec::<String>::new());
    assert_eq!(st.tags, ["Международная безопасность"]);
    assert_eq!(
        turns(&st),
        [
            ("remarks", "r1", Some("sergey-lavrov"), None, None),
            ("question", "q1", None, Some("Question"), None),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("Sergey Lavrov"),
                None
            ),
            (
                "answer",
                "a1-2",
                Some("sergey-lebedev"),
                Some("Sergey Lebedev"),
                None
            ),
        ]
    );
    assert_eq!(slugs(&st)[..2], ["sergey-lavrov", "sergey-lebedev"]);
    assert_eq!(st.segments[3].exchange, Some(1));
    let all: Vec<&String> = st.segments.iter().flat_map(|s| &s.paragraphs).collect();
    assert!(all
        .iter()
        .all(|p| !p.contains("Фото") && !p.contains("Дополнительные")));
}

#[test]
fn russian_windows_1251_page() {
    let st = parse("russian_cp1251.txt");
    assert_eq!(st.language, "ru");
    assert_eq!(st.date, date("2022-03-03"));
    assert_eq!(st.time.as_deref(), Some("11:00"));
    assert_eq!(st.place.as_deref(), Some("Москва"));
    assert_eq!(st.kind, Kind::Answers);
    assert_eq!(st.source_number.as_deref(), Some("867-03-03-2022"));
    let title = st.title.as_deref().unwrap();
    assert!(
        title.ends_with("Москва, 3 марта 2022 года"),
        "suffix removed: {title}"
    );
    assert_eq!(
        turns(&st),
        [
            ("remarks", "r1", Some("sergey-lavrov"), None, None),
            ("question", "q1", None, Some("Вопрос"), None),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("С.В.Лавров"),
                None
            ),
            (
                "question",
                "q2",
                None,
                Some("Вопрос"),
                Some("перевод с английского языка")
            ),
            (
                "answer",
                "a2",
                Some("sergey-lavrov"),
                Some("С.В.Лавров"),
                Some("перевод с английского языка")
            ),
        ]
    );
    assert_eq!(st.segments[0].paragraphs[0], "Добрый день!");
    // A proverb after a colon is prose inside the answer, not a label.
    assert!(last_par(&st.segments[2]).starts_with("Есть такая пословица:"));
    assert!(st.tags.is_empty());
    assert!(
        st.id.starts_with("2022-03-03-") && st.id.is_ascii(),
        "{}",
        st.id
    );
}

#[test]
fn capitals_title_over_two_lines_label_alone_and_unnamed_answer() {
    let st = parse("capitals_2004.txt");
    let title = st.title.as_deref().unwrap();
    assert!(title.starts_with("TRANSCRIPT OF RUSSIAN FOREIGN MINISTER IGOR IVANOV'S"));
    assert!(title.ends_with("DOMINIQUE DE VILLEPIN, MOSCOW, JANUARY 23, 2004"));
    assert_eq!(st.date, date("2004-01-23"));
    assert_eq!(st.place.as_deref(), Some("Moscow"));
    assert_eq!(st.kind, Kind::PressConference);
    assert_eq!(
        turns(&st),
        [
            (
                "remarks",
                "r1",
                Some("igor-ivanov"),
                Some("Foreign Minister Ivanov"),
                None
            ),
            ("question", "q1", None, Some("Question"), None),
            (
                "answer",
                "a1",
                Some("igor-ivanov"),
                Some("Foreign Minister Ivanov"),
                Some("speaking after the French minister")
            ),
            ("question", "q2", None, Some("Question"), None),
            ("answer", "a2", Some("igor-ivanov"), Some("Answer"), None),
        ]
    );
    // The label stood alone on its line: its words are the next paragraphs.
    assert_eq!(st.segments[0].paragraphs.len(), 2);
    assert!(first_par(&st.segments[0]).starts_with("I am very pleased"));
    assert_eq!(slugs(&st), ["igor-ivanov"]);
}

#[test]
fn briefing_with_table_of_contents() {
    let st = parse("briefing_toc.txt");
    assert_eq!(st.kind, Kind::Briefing);
    assert!(st.forums.is_empty());
    let got: Vec<(&str, &str, Option<&str>)> = st
        .segments
        .iter()
        .map(|s| (s.kind.as_str(), s.anchor.as_str(), s.title.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("heading", "h1", Some("Sergey Lavrov’s schedule")),
            ("remarks", "r1", None),
            ("heading", "h2", Some("The situation in Ukraine")),
            ("remarks", "r2", None),
            ("heading", "h3", Some("Answers to media questions:")),
            ("question", "q1", None),
            ("answer", "a1", None),
            ("question", "q2", None),
            ("answer", "a2", None),
        ]
    );
    assert!(st.segments[0].paragraphs.is_empty());
    assert_eq!(st.segments[1].speaker.as_deref(), Some("maria-zakharova"));
    assert_eq!(st.segments[6].speaker.as_deref(), Some("maria-zakharova"));
    let all: Vec<&String> = st.segments.iter().flat_map(|s| &s.paragraphs).collect();
    assert!(all
        .iter()
        .all(|p| p.as_str() != "Back to contents" && !p.starts_with("1.")));
}

#[test]
fn briefing_headings_without_table_of_contents() {
    let st = parse("briefing_no_toc.txt");
    let kinds: Vec<&str> = st.segments.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["heading", "remarks", "heading", "remarks", "heading", "question", "answer"]
    );
    assert_eq!(
        st.segments[0].title.as_deref(),
        Some("The Foreign Minister’s schedule")
    );
    assert_eq!(
        st.segments[4].title.as_deref(),
        Some("From answers to media questions:")
    );
    assert_eq!(st.segments[6].anchor, "a1");
}

#[test]
fn interview_in_capitals_interviewer_asks() {
    let st = parse("interview_caps.txt");
    assert_eq!(st.kind, Kind::Interview);
    assert_eq!(
        turns(&st),
        [
            ("question", "q1", None, Some("TUCKER CARLSON"), None),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("SERGEY LAVROV"),
                None
            ),
            ("question", "q2", None, Some("TUCKER CARLSON"), None),
            (
                "answer",
                "a2",
                Some("sergey-lavrov"),
                Some("SERGEY LAVROV"),
                None
            ),
            ("question", "q3", None, Some("TUCKER CARLSON"), None),
        ]
    );
    assert_eq!(
        st.segments[3].paragraphs,
        ["I would say that we are not.", "It is a long story."]
    );
    assert_eq!(slugs(&st), ["sergey-lavrov"]);
}

#[test]
fn outlet_as_asker() {
    let st = parse("outlet_asker.txt");
    assert_eq!(
        turns(&st),
        [
            ("question", "q1", None, Some("Trud"), None),
            (
                "answer",
                "a1",
                Some("igor-ivanov"),
                Some("Foreign Minister Ivanov"),
                None
            ),
            ("question", "q2", None, Some("Trud"), None),
            (
                "answer",
                "a2",
                Some("igor-ivanov"),
                Some("Foreign Minister Ivanov"),
                None
            ),
        ]
    );
    assert_eq!(st.date, date("2003-01-23"));
    assert_eq!(st.place, None, "`JANUARY 23, 2003` has no place before it");
}

#[test]
fn colons_in_prose_are_not_labels() {
    let st = parse("prose_colons.txt");
    assert_eq!(st.segments.len(), 1);
    let s = &st.segments[0];
    assert_eq!((s.kind, s.label.as_deref()), (SegmentKind::Remarks, None));
    assert_eq!(s.speaker.as_deref(), Some("sergey-lavrov"));
    assert_eq!(
        s.paragraphs,
        [
            "Colleagues,",
            "As the proverb goes: better late than never.",
            "The conclusion is simple: the treaty no longer works.",
            "I have many friends among people of culture: Rostropovich, Spivakov and many others.",
            "Kaliningrad: the visa problem was politicised.",
            "Thank you.",
        ]
    );
}

#[test]
fn editorial_introduction_and_closing_question_nobody_answers() {
    let st = parse("editorial_intro.txt");
    assert_eq!(
        turns(&st),
        [
            ("remarks", "r1", None, None, None),
            ("question", "q1", None, Some("Question"), None),
            ("answer", "a1", Some("igor-ivanov"), Some("Answer"), None),
            ("question", "q2", None, Some("Question"), None),
        ]
    );
    assert_eq!(st.segments[3].exchange, Some(2));
    assert_eq!(st.kind, Kind::Interview);
}

#[test]
fn joint_press_conference_labelled_remarks_of_both_and_second_answerer() {
    let st = parse("joint_press_conference.txt");
    assert_eq!(
        turns(&st),
        [
            (
                "remarks",
                "r1",
                Some("sergey-lavrov"),
                Some("Sergey Lavrov"),
                None
            ),
            (
                "remarks",
                "r2",
                Some("wang-yi"),
                Some("Wang Yi"),
                Some("speaking in Chinese")
            ),
            (
                "question",
                "q1",
                None,
                Some("Question"),
                Some("to both ministers")
            ),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("Sergey Lavrov"),
                None
            ),
            (
                "answer",
                "a1-2",
                Some("wang-yi"),
                Some("Wang Yi"),
                Some("speaking in Chinese")
            ),
            (
                "question",
                "q2",
                None,
                Some("Question"),
                Some("retranslated from Chinese")
            ),
            (
                "answer",
                "a2",
                Some("sergey-lavrov"),
                Some("Sergey Lavrov"),
                None
            ),
        ]
    );
    assert_eq!(slugs(&st), ["sergey-lavrov", "wang-yi"]);
    assert_eq!(st.speakers[1].name, "Wang Yi");
    let n: Vec<u32> = st.segments.iter().map(|s| s.n).collect();
    assert_eq!(n, [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn hard_wrapped_text_is_joined() {
    let st = parse("hard_wrapped.txt");
    assert_eq!(
        st.title.as_deref(),
        Some("Foreign Minister Sergey Lavrov’s remarks at a news conference, Moscow, January 18, 2023")
    );
    assert_eq!(st.date, date("2023-01-18"));
    assert_eq!(st.segments.len(), 3);
    assert_eq!(st.segments[0].paragraphs.len(), 1);
    assert!(st.segments[0].paragraphs[0].contains("the past year, and I would like to say"));
    assert_eq!(
        st.segments[1].paragraphs,
        ["What do you expect from the coming year in relations with the United States and its allies in Europe and in Asia?"]
    );
    assert!(last_par(&st.segments[2]).ends_with("on an equal footing."));
}

#[test]
fn lines_without_blank_lines_stay_paragraphs() {
    let st = parse("lines_without_blanks.txt");
    assert_eq!(st.kind, Kind::Article);
    assert_eq!(st.date, None);
    assert!(st.id.starts_with("undated-"), "{}", st.id);
    assert_eq!(st.segments.len(), 1);
    assert_eq!(st.segments[0].paragraphs.len(), 3);
    assert_eq!(st.segments[0].speaker.as_deref(), Some("igor-ivanov"));
}

#[test]
fn q_and_a_letters_and_numbered_questions() {
    let st = parse("q_a_numbered.txt");
    assert_eq!(
        turns(&st),
        [
            ("question", "q1", None, Some("Q"), None),
            ("answer", "a1", None, Some("A"), None),
            ("question", "q2", None, Some("Question 2"), None),
            ("answer", "a2", None, Some("Answer 2"), None),
        ]
    );
    assert_eq!(st.place.as_deref(), Some("Moscow"));
}

#[test]
fn crlf_bom_nbsp_indent_and_parenthesised_place_date() {
    let st = parse("crlf_bom_nbsp.txt");
    assert_eq!(
        st.title.as_deref(),
        Some("Foreign Minister Sergey Lavrov’s answers to media questions (Moscow, 12 May 2010)")
    );
    assert_eq!(st.date, date("2010-05-12"));
    assert_eq!(st.place.as_deref(), Some("Moscow"));
    assert_eq!(
        turns(&st),
        [
            ("question", "q1", None, Some("Question"), None),
            (
                "answer",
                "a1",
                Some("sergey-lavrov"),
                Some("Sergey Lavrov"),
                None
            ),
        ]
    );
    assert_eq!(st.segments[1].paragraphs, ["Yes, it is."]);
}

#[test]
fn hints_fill_only_what_the_text_leaves_empty() {
    let text = "867-05-05-2023\n\nДобрый день!\n\nВопрос: Как дела?\n\nС.В.Лавров: Хорошо.\n";
    let hints = Hints {
        title: Some("Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова, Панаджи, 5 мая 2023 года - Министерство иностранных дел Российской Федерации".into()),
        source_url: Some("https://mid.ru/ru/1867466/".into()),
        source_number: Some("999-01-01-2000".into()),
        language: Some("ru".into()),
        languages: vec!["ru-RU".into(), "en".into(), "ru".into()],
        ..Hints::default()
    };
    let st = parse_with_hints(text, &hints, &Registry::builtin()).unwrap();
    assert!(st
        .title
        .as_deref()
        .unwrap()
        .ends_with("Панаджи, 5 мая 2023 года"));
    assert_eq!(st.date, date("2023-05-05"));
    assert_eq!(st.place.as_deref(), Some("Панаджи"));
    assert_eq!(
        st.source_number.as_deref(),
        Some("867-05-05-2023"),
        "the text wins"
    );
    assert_eq!(st.source_url.as_deref(), Some("https://mid.ru/ru/1867466/"));
    assert_eq!(st.kind, Kind::Answers);
    assert_eq!(st.languages, ["en", "ru"]);
    assert_eq!(st.language, "ru");
    assert_eq!(
        turns(&st)[0],
        ("remarks", "r1", Some("sergey-lavrov"), None, None)
    );
}

#[test]
fn errors() {
    let reg = Registry::builtin();
    assert_eq!(parse_bytes(b"", &reg), Err(ParseError::Empty));
    assert_eq!(parse_bytes(b" \n\r\n\t ", &reg), Err(ParseError::Empty));
    assert_eq!(parse_bytes(b"Question:\0 x", &reg), Err(ParseError::Binary));
    assert_eq!(
        parse_text("\u{feff}  \u{a0}\n", &reg),
        Err(ParseError::Empty)
    );
    let residue = "official site\n\nHome \\ Statements and speeches \\\n\nAdditional materials\n\nAdvanced settings\n";
    assert_eq!(parse_text(residue, &reg), Err(ParseError::NoText));
    assert_eq!(ParseError::NoText.to_string(), "no statement text");
}

#[test]
fn ids_are_stable_ascii_slugs() {
    for name in [
        "glued_date_breadcrumbs.txt",
        "russian_cp1251.txt",
        "capitals_2004.txt",
        "briefing_toc.txt",
    ] {
        let a = parse(name);
        let b = parse(name);
        assert_eq!(a.id, b.id);
        assert!(
            a.id.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
            "{}",
            a.id
        );
        assert!(a.id.split('-').count() <= 3 + 12, "{}", a.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_bytes(&bytes, &Registry::builtin());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,1500}") {
        let _ = parse_text(&text, &Registry::builtin());
    }

    #[test]
    fn page_like_text_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("Question: ".to_string()),
                Just("S.V. Lavrov: ".to_string()),
                Just("Вопрос (перевод):".to_string()),
                Just("\n\n".to_string()),
                Just("\r\n".to_string()),
                Just("12 September 201214:03\n".to_string()),
                Just("Table of contents\n".to_string()),
                Just("Additional materials\n".to_string()),
                Just("  • ru-RU1 en-GB1\n".to_string()),
                Just("\u{a0}".to_string()),
                Just("(".to_string()),
                Just(":".to_string()),
                "[A-Za-zА-Яа-я .,]{0,40}",
            ],
            0..60,
        )
    ) {
        let text: String = parts.concat();
        if let Ok(st) = parse_text(&text, &Registry::builtin()) {
            for (i, s) in st.segments.iter().enumerate() {
                prop_assert_eq!(s.n as usize, i + 1);
                // The archive stores a turn's paragraphs joined by blank lines and splits
                // them back: that needs paragraphs that are never empty and hold no newline.
                for p in &s.paragraphs {
                    prop_assert!(!p.is_empty() && !p.contains('\n'), "{:?}", p);
                }
            }
            let mut anchors: Vec<&str> = st.segments.iter().map(|s| s.anchor.as_str()).collect();
            anchors.sort_unstable();
            let n = anchors.len();
            anchors.dedup();
            prop_assert_eq!(anchors.len(), n);
        }
    }
}

#[test]
fn russian_briefing_with_contents_and_back_links() {
    let st = parse("russian_briefing.txt");
    assert_eq!(st.kind, Kind::Briefing);
    assert_eq!(st.language, "ru");
    assert_eq!(st.date, date("2022-03-03"));
    assert_eq!(st.place.as_deref(), Some("Москва"));
    assert_eq!(st.tags, ["Украина"]);
    assert!(st.forums.is_empty());
    assert_eq!(slugs(&st), ["maria-zakharova"]);
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = st
        .segments
        .iter()
        .map(|s| {
            (
                s.kind.as_str(),
                s.anchor.as_str(),
                s.speaker.as_deref(),
                s.title.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "heading",
                "h1",
                None,
                Some("О графике Министра иностранных дел России С.В.Лаврова")
            ),
            ("remarks", "r1", Some("maria-zakharova"), None),
            ("heading", "h2", None, Some("О ситуации на Украине")),
            ("remarks", "r2", Some("maria-zakharova"), None),
            ("heading", "h3", None, Some("Из ответов на вопросы:")),
            ("question", "q1", None, None),
            ("answer", "a1", Some("maria-zakharova"), None),
            ("question", "q2", None, None),
            ("answer", "a2", Some("maria-zakharova"), None),
        ]
    );
    assert_eq!(
        st.segments[7].note.as_deref(),
        Some("перевод с английского языка")
    );
    assert_eq!(
        st.segments[3].paragraphs,
        ["Ситуация остаётся напряжённой."]
    );
}

#[test]
fn date_from_the_document_number_when_nothing_else_says() {
    let text = "MINISTER IGOR IVANOV ANSWERS A QUESTION FROM ITAR-TASS\n\n1000-21-05-2013\n\nQuestion: Why?\n\nAnswer: Because.\n";
    let st = parse_text(text, &Registry::builtin()).unwrap();
    assert_eq!(st.date, date("2013-05-21"));
    assert_eq!(st.source_number.as_deref(), Some("1000-21-05-2013"));
    assert_eq!(
        turns(&st)[1],
        ("answer", "a1", Some("igor-ivanov"), Some("Answer"), None)
    );
}

#[test]
fn questions_labelled_answers_not() {
    let st = parse("unlabelled_answers.txt");
    assert_eq!(
        turns(&st),
        [
            ("question", "q1", None, Some("Question"), None),
            ("answer", "a1", Some("sergey-lavrov"), None, None),
            ("question", "q2", None, Some("Question"), None),
            ("answer", "a2", Some("sergey-lavrov"), None, None),
        ]
    );
    assert_eq!(st.segments[1].paragraphs.len(), 2);
    assert_eq!(
        st.segments[3].paragraphs,
        ["The same applies to Washington."]
    );
}

#[test]
fn topic_phrases_with_a_colon_inside_an_answer_are_not_labels() {
    let text =
        "Foreign Minister Sergey Lavrov’s answers to media questions, Moscow, May 5, 2019\n\n\
                Question: What about the region?\n\n\
                Sergey Lavrov: Several points.\n\n\
                Middle East: the situation is grave.\n\n\
                Security Council: We will insist.\n\n\
                CSTO Allies: We are coordinating.\n";
    let st = parse_text(text, &Registry::builtin()).unwrap();
    assert_eq!(st.segments.len(), 2);
    assert_eq!(
        st.segments[1].paragraphs,
        [
            "Several points.",
            "Middle East: the situation is grave.",
            "Security Council: We will insist.",
            "CSTO Allies: We are coordinating.",
        ]
    );
}

#[test]
fn a_title_that_reads_like_a_label_after_the_date_line() {
    let text = "12 May 201010:00\n\nSergey Lavrov: Russia will not be isolated\n\n1234-12-05-2010\n\nThe world has changed.\n";
    let st = parse_text(text, &Registry::builtin()).unwrap();
    assert_eq!(
        st.title.as_deref(),
        Some("Sergey Lavrov: Russia will not be isolated")
    );
    assert_eq!(st.segments.len(), 1);
    assert_eq!(st.segments[0].paragraphs, ["The world has changed."]);
    // Without that header context the same line is a turn.
    let st = parse_text(
        "Sergey Lavrov: Russia will not be isolated.\n",
        &Registry::builtin(),
    )
    .unwrap();
    assert_eq!(st.title, None);
    assert_eq!(st.segments[0].label.as_deref(), Some("Sergey Lavrov"));
}

#[test]
fn russian_breadcrumbs_above_the_date_line() {
    let text = "Официальный сайт\n\nГлавная \\ Брифинги \\\n\nНовости\n\n3 марта 202211:00\n\nБрифинг официального представителя МИД России М.В.Захаровой, Москва, 3 марта 2022 года\n\nДобрый день!\n";
    let st = parse_text(text, &Registry::builtin()).unwrap();
    assert!(st
        .title
        .as_deref()
        .unwrap()
        .starts_with("Брифинг официального"));
    assert_eq!(st.time.as_deref(), Some("11:00"));
    assert_eq!(st.segments.len(), 1);
    assert_eq!(st.segments[0].paragraphs, ["Добрый день!"]);
    assert_eq!(st.segments[0].speaker.as_deref(), Some("maria-zakharova"));
}

/// A page with no title line whose only text is one block right after the header: the
/// block is the statement, not a title that leaves nothing to read.
#[test]
fn untitled_page_with_one_block_keeps_it_as_text() {
    let st = parse("untitled_single_block.txt");
    assert_eq!(st.title, None);
    assert_eq!(st.date, date("2019-03-14"));
    assert_eq!(st.time.as_deref(), Some("17:05"));
    assert_eq!(st.source_number.as_deref(), Some("512-14-03-2019"));
    assert_eq!(
        st.tags,
        ["USA", "NATO (North Atlantic Treaty Organization)"]
    );
    let text: Vec<&str> = st
        .segments
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(String::as_str))
        .collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text[0].starts_with("The Russian Foreign Ministry notes with concern"));
    assert!(text[2].ends_with("on the basis of equality."));
    assert!(st.segments.iter().all(|s| s.kind == SegmentKind::Remarks));
}
