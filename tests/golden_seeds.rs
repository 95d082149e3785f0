//! Golden tests on the five page saves of the input format: every field of Contract 1 and
//! every turn, as a careful reader of each page states them.

mod common;

use common::*;

#[test]
#[rustfmt::skip]
fn seed_000_cica_astana_2012() {
    let got = parse_fixture("seeds/000_25f760081960ba59.txt");
    check(&got, &Expected {
        file: "seeds/000_25f760081960ba59.txt",
        title: Some("Comment and answers of the Minister of Foreign Affairs of Russia S.V. Lavrov to the questions of mass-media following the results of the participation in the meeting of the Ministers of Foreign Affairs of the member states of the Conference on Interaction and Confidence Building Measures in Asia, Astana, September, 12th, 2012"),
        date: Some("2012-09-12"), time: Some("14:03"), place: Some("Astana"),
        // "Comment and answers ... to the questions": `answers` comes before `comment`.
        kind: "answers",
        language: "en", languages: &["en", "es", "ru"],
        source_number: None,
        // The footer's OSCE/CoE/NATO/EU are tags, not the forum of the event.
        forums: &["cica"],
        speakers: &["sergey-lavrov"],
        tags: &[
            "Organization for Security and Co-operation in Europe (OSCE)",
            "Council of Europe (CoE)",
            "NATO (North Atlantic Treaty Organization)",
            "European Union (EU)",
        ],
        questions: 2, answers: 2,
        answered: answered_by(2, "sergey-lavrov", &[]),
        // Unlabelled opening ("Dear colleagues,") belongs to the title's first speaker.
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 6, &["Dear colleagues,", "Dear colleagues,", "Within the frames of the", "of the United Nations."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["The information has appeared in", "comments on this issue?"]),
        (A, "a1", LAVROV, Some("S.V. Lavrov"), None, Some(1), 3, &["The Iranian problem will not", "the situation through negotiations.", "I am sure that the", "are unreasonable and counterproductive."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["We have just received the", "comments on this decision?"]),
        (A, "a2", LAVROV, Some("S.V. Lavrov"), None, Some(2), 2, &["Certainly, it is regrettable. Till", "an act of terrorism.", "As far as the recent", "but to preserve it."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn seed_001_cica_speech_beijing_2016() {
    let got = parse_fixture("seeds/001_1ddf46fd7ad83b62.txt");
    check(&got, &Expected {
        file: "seeds/001_1ddf46fd7ad83b62.txt",
        title: Some("Foreign Minister Sergey Lavrov’s speech at a meeting of foreign ministers of countries that are parties to the Conference for Interaction and Confidence Building Measures in Asia, Beijing, April 28, 2016"),
        date: Some("2016-04-28"), time: Some("09:49"), place: Some("Beijing"),
        kind: "speech",
        language: "en", languages: &["en", "ru"],
        source_number: None,
        // "Conference for Interaction ..." is CICA under a variant name.
        forums: &["cica"],
        speakers: &["sergey-lavrov"],
        // `Additional materials` is followed directly by `Advanced settings`: no tags.
        tags: &[],
        questions: 0, answers: 0,
        answered: vec![],
        // One unlabelled speech: a single remarks turn; trailing NBSPs are whitespace.
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 19, &["Thank you Mr Chairman,", "Thank you Mr Chairman,", "Let me conclude by saying", "for each other’s interests."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn seed_002_cis_joint_news_conference_minsk_2024() {
    let got = parse_fixture("seeds/002_50d26956223dd4d0.txt");
    check(&got, &Expected {
        file: "seeds/002_50d26956223dd4d0.txt",
        title: Some("Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev make remarks and reply to questions at a joint news conference following the CIS Council of Foreign Ministers, Minsk, April 12, 2024"),
        // Only a time line: the date comes from the title.
        date: Some("2024-04-12"), time: Some("15:38"), place: Some("Minsk"),
        kind: "press_conference",
        language: "en", languages: &[],
        source_number: Some("676-12-04-2024"),
        forums: &["cis"],
        // The title names both as speaking, though only Lavrov's turns were published.
        speakers: &["sergey-lavrov", "sergey-lebedev"],
        // The Russian footer's topic tag is a tag as printed; the rest of it is residue.
        tags: &["Международная безопасность"],
        questions: 5, answers: 5,
        answered: answered_by(5, "sergey-lavrov", &[]),
        // The unlabelled opening is Lavrov's: he is named first, speaks of Russia's CIS
        // chairmanship and of "Sergey Lebedev" in the third person.
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 12, &["Colleagues,", "Colleagues,", "We will be glad to", "the heads of state."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["Recently, politicians dubbed the CIS", "describe the Commonwealth today?"]),
        (A, "a1", LAVROV, Some("Sergey Lavrov"), None, Some(1), 2, &["If we apply this analogy,", "more, resembles this scenario.", "Nearly every CIS member country", "essence of our association."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["Yesterday, our presidents discussed matters", "the Istanbul Agreements entail?"]),
        (A, "a2", LAVROV, Some("Sergey Lavrov"), None, Some(2), 5, &["The focus was not on", "reflected entirely different circumstances.", "President Vladimir Putin reiterated our", "engage in sincere negotiations."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["How feasible is China’s peace", "an invitation is forthcoming?"]),
        (A, "a3", LAVROV, Some("Sergey Lavrov"), None, Some(3), 5, &["They are not planning to", "of this Swiss “project.”", "China and Switzerland voice incompatible", "conflicts are flaring up."]),
        (Q, "q4", NOBODY, Some("Question"), None, Some(4), 1, &["The British Foreign Office advised", "you comment on this?"]),
        (A, "a4", LAVROV, Some("Sergey Lavrov"), None, Some(4), 2, &["They are insecure.", "They are insecure.", "They are afraid that His", "spread by Western propaganda."]),
        (Q, "q5", NOBODY, Some("Question"), None, Some(5), 1, &["The United States is trying", "the CIS member states?"]),
        (A, "a5", LAVROV, Some("Sergey Lavrov"), None, Some(5), 2, &["It was discussed at a", "Everyone understands everything perfectly.", "The United States and its", "only the post-Soviet countries."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn seed_003_csto_almaty_2018() {
    let got = parse_fixture("seeds/003_e563b7151c10cdad.txt");
    check(&got, &Expected {
        file: "seeds/003_e563b7151c10cdad.txt",
        title: Some("Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018"),
        date: Some("2018-06-11"), time: Some("11:50"), place: Some("Almaty"),
        kind: "answers",
        language: "en", languages: &["de", "en", "es", "fr", "ru"],
        source_number: None,
        forums: &["csto"],
        speakers: &["sergey-lavrov"],
        tags: &[],
        questions: 3, answers: 3,
        answered: answered_by(3, "sergey-lavrov", &[]),
        turns: vec![
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["What is the focal point", "adopted at Russia’s initiative?"]),
        (A, "a1", LAVROV, Some("Sergey Lavrov"), None, Some(1), 2, &["Indeed, the CSTO foreign ministers", "the CSTO member states.", "The statement is urging the", "have the desired effect."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["Did you discuss Afghanistan?", "Did you discuss Afghanistan?"]),
        (A, "a2", LAVROV, Some("Sergey Lavrov"), None, Some(2), 3, &["The ministers agreed on the", "the airspace over Afghanistan.", "In addition to normalising the", "Foreign Ministers meeting today."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["What can you tell us", "that it is insufficient."]),
        (A, "a3", LAVROV, Some("Sergey Lavrov"), None, Some(3), 2, &["I would recommend you to", "end of this year.", "It is true that there", "the Chemical Weapons Convention."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn seed_004_bilateral_press_conference_astana_2013() {
    let got = parse_fixture("seeds/004_8de327bb625e098c.txt");
    check(&got, &Expected {
        file: "seeds/004_8de327bb625e098c.txt",
        title: Some("Speech by the Russian Foreign Minister, Sergey Lavrov, and his answers to questions from the mass media during the press conference summarising the results of the negotiations with the Kazakh Foreign Minister, Erlan Idrisov, Astana, 12 September 2013"),
        // No date line: the date is the title's; the page gives no time.
        date: Some("2013-09-12"), time: None, place: Some("Astana"),
        // `press_conference` is tested before `answers` and `speech`.
        kind: "press_conference",
        language: "en", languages: &[],
        source_number: None,
        // Bilateral talks: CSTO, UN, OSCE, CICA are only mentioned in the text.
        forums: &[],
        // Idrisov is named as the negotiating partner, not as speaking, and has no turn.
        speakers: &["sergey-lavrov"],
        // The page has no footer.
        tags: &[],
        questions: 1, answers: 1,
        answered: answered_by(1, "sergey-lavrov", &[]),
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 14, &["Ladies and Gentlemen,", "Ladies and Gentlemen,", "I wish again to express", "any time whenever convenient."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["Today you fly to Geneva", "on Syrian chemical weapons?"]),
        (A, "a1", LAVROV, Some("Sergey Lavrov"), None, Some(1), 4, &["First of all, we agreed", "are mostly technical weapons.", "We also agreed with John", "currently has top priority."]),
        ],
    });
}
