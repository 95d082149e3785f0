//! Golden tests on ten real transcripts (2002–2023, English and Russian) read as pages:
//! the dataset row's title line on top, a blank line, then the stored text byte for byte.
//!
//! The rows' dates and URLs are not in the text, so the page form leaves `source_url`
//! empty and takes the date from the title or the document number only. A dataset
//! importer passing the row as hints would add each row's URL (rows 08, 11 and 12 share
//! one, a defect of the source) and the dates the rows print for the undated pages:
//! `02-12-2003` for 08, `07-08-2002` for 12 (day first, as in the other Ivanov rows).

mod common;

use common::*;
use communique::parse::parse_bytes;

#[test]
#[rustfmt::skip]
fn real_01_sco_panaji_2023_ru() {
    let file = "real/bikovoy_01_ru_midru_1867466.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        // The site suffix " - Министерство иностранных дел Российской Федерации" is dropped.
        title: Some("Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова по итогам СМИД ШОС, Панаджи, 5 мая 2023 года"),
        date: Some("2023-05-05"), time: None, place: Some("Панаджи"),
        // "Выступление и ответы на вопросы": `answers` is tested before `speech`.
        kind: "answers",
        language: "ru", languages: &[],
        source_number: Some("867-05-05-2023"),
        // СМИД ШОС: the SCO Council of Foreign Ministers.
        forums: &["sco"],
        speakers: &["sergey-lavrov"],
        // Photo-album residue and the copyright line only.
        tags: &[],
        questions: 9, answers: 9,
        answered: answered_by(9, "sergey-lavrov", &[]),
        // The unlabelled greeting "Добрый день!" opens the minister's own remarks
        // ("Мы завершили заседание ..."): the title's first speaker.
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 5, &["Добрый день!", "Добрый день!", "Время у нас ещё есть.", "Нью-Дели летом 2023 г."]),
        (Q, "q1", NOBODY, Some("Вопрос"), None, Some(1), 1, &["Страны БРИКС обсуждают введение некой", "подобной валюты странами ШОС?"]),
        (A, "a1", LAVROV, Some("С.В.Лавров"), None, Some(1), 3, &["Название – это последнее дело.", "тоже грешит подобными подходами.", "Говоря о Новом банке развития", "Её уже не остановить."]),
        (Q, "q2", NOBODY, Some("Вопрос"), None, Some(2), 1, &["Москва расценила атаку на Кремль", "прощать Украине подобные выходки?"]),
        (A, "a2", LAVROV, Some("С.В.Лавров"), None, Some(2), 5, &["Что касается теракта над Кремлём", "истины и определение виновных.", "Если вы внимательно ознакомились с", "У нас терпения хватает."]),
        (Q, "q3", NOBODY, Some("Вопрос"), None, Some(3), 1, &["После теракта над Кремлем многие", "том, что готовит Украина?"]),
        (A, "a3", LAVROV, Some("С.В.Лавров"), None, Some(3), 4, &["Как и в случае с", "о названии или терминах.", "Обратил внимание на заявление госсекретаря", "Наверное, этим все сказано."]),
        (Q, "q4", NOBODY, Some("Вопрос"), None, Some(4), 1, &["Одним из пунктов внешнеполитической стратегии", "играть Шанхайская организация сотрудничества?"]),
        (A, "a4", LAVROV, Some("С.В.Лавров"), None, Some(4), 2, &["О роли ШОС в новом", "центров формирующегося многополярного мироустройства.", "Большой шаг в этом направлении", "линия задана. Движение начинается."]),
        (Q, "q5", NOBODY, Some("Вопрос"), None, Some(5), 1, &["Какой сейчас статус в отношении", "приняты на грядущем саммите?"]),
        (A, "a5", LAVROV, Some("С.В.Лавров"), None, Some(5), 2, &["Мы сегодня договорились активизировать контактную", "выступают с единых позиций.", "Убежден, что предложение, которое мы", "Будем им твердо противодействовать."]),
        (Q, "q6", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(6), 1, &["Обсуждалась ли недавняя атака на", "«на полях» СМИД ШОС?"]),
        (A, "a6", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(6), 1, &["Мы не обсуждали с Министром", "нет в этом сомнений."]),
        (Q, "q7", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(7), 1, &["Появились сообщения, что переговоры о", "ли обсуждение этой темы?"]),
        (A, "a7", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(7), 1, &["Это проблема. Мы накопили миллиарды", "другую валюту. Вопрос обсуждается."]),
        (Q, "q8", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(8), 1, &["Как Россия оценивает председательство Индии", "проблем, стоящих перед организацией?"]),
        (A, "a8", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(8), 1, &["Мы работаем над этим. Поддерживаем", "саммита, который скоро состоится."]),
        (Q, "q9", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(9), 1, &["Украина и США отвергли обвинения", "иностранных дел Индии С.Джайшанкаром?"]),
        (A, "a9", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(9), 2, &["Только что ответил на этот", "Вы меня не слушаете.", "Что касается первой части вопроса", "поведение режима, возглавляемого В.А.Зеленским."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_02_interview_film_moscow_2022_ru() {
    let file = "real/bikovoy_02_ru_midru_1840230.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        // Suffix dropped; the double space before it goes with whitespace normalisation.
        title: Some("Интервью Министра иностранных дел Российской Федерации С.В.Лаврова для фильма «Нацизм под следствием», Москва, 26 ноября 2022 года"),
        date: Some("2022-11-26"), time: None, place: Some("Москва"),
        kind: "interview",
        language: "ru", languages: &[],
        source_number: Some("2439-26-11-2022"),
        // ОБСЕ, ЕС are only mentioned in the answers.
        forums: &[],
        speakers: &["sergey-lavrov"],
        tags: &[],
        questions: 4, answers: 4,
        answered: answered_by(4, "sergey-lavrov", &[]),
        turns: vec![
        (Q, "q1", NOBODY, Some("Вопрос"), None, Some(1), 1, &["Сегодня нам говорят (прежде всего", "этом влияние внешних сил?"]),
        (A, "a1", LAVROV, Some("С.В.Лавров"), None, Some(1), 7, &["Безусловно. Без влияния внешних сил", "Союза в 1991 г.", "«Майдан» полностью ещё не «закипел»", "и никак не изменилась."]),
        (Q, "q2", NOBODY, Some("Вопрос"), None, Some(2), 1, &["Вся вот эта философия, которой", "прошлого и общей истории?"]),
        (A, "a2", LAVROV, Some("С.В.Лавров"), None, Some(2), 5, &["Сначала П.А.Порошенко, осознав, что блицкриг", "мол, не было альтернативы.", "Украинский народ будет освобожден от", "с его славянскими братьями."]),
        (Q, "q3", NOBODY, Some("Вопрос"), None, Some(3), 1, &["Ощущение, что у режима, находящегося", "настроем на территории Европы?"]),
        (A, "a3", LAVROV, Some("С.В.Лавров"), None, Some(3), 7, &["Европа «играет» вместе с США.", "автономию, тем более стратегическую.", "В этой связи Европа тоже", "Европа… Желаю ей удачи."]),
        (Q, "q4", NOBODY, Some("Вопрос"), None, Some(4), 1, &["Мы живем в интересную эпоху,", "нацизма на современной Украине?"]),
        (A, "a4", LAVROV, Some("С.В.Лавров"), None, Some(4), 4, &["Роль СМИ возрастает постоянно, включая", "та или иная власть.", "Во время событий, предшествовавших исчезновению", "всё той же Франции."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_05_interview_india_today_2022_en() {
    let file = "real/bikovoy_05_en_midru_1810023.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("Foreign Minister Sergey Lavrov’s interview with India Today television channel, Moscow, April 19, 2022"),
        date: Some("2022-04-19"), time: None, place: Some("Moscow"),
        kind: "interview",
        language: "en", languages: &[],
        source_number: None,
        forums: &[],
        speakers: &["sergey-lavrov"],
        tags: &[],
        questions: 30, answers: 29,
        // The closing "Question: That was the Foreign Minister of Russia speaking
        // exclusively to India Today." is labelled as a question and answered by no one.
        answered: answered_by(30, "sergey-lavrov", &[30]),
        turns: vec![
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["The big question that most", "but it did happen."]),
        (A, "a1", LAVROV, Some("Sergey Lavrov"), None, Some(1), 9, &["The real reason is the", "for this “defensive alliance.”", "It was all linked with", "to protect their lives."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["You provided the basics: the", "out independent foreign policy?"]),
        (A, "a2", LAVROV, Some("Sergey Lavrov"), None, Some(2), 4, &["I don’t think it’s about", "were running the place.", "Speaking of civilians and the", "and not against civilians."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["Mr Lavrov, you said that", "also on the bloodshed?"]),
        (A, "a3", LAVROV, Some("Sergey Lavrov"), None, Some(3), 4, &["It is always terrible when", "was going on there.", "This is a tragedy, when", "Russian speaking population dominates."]),
        (Q, "q4", NOBODY, Some("Question"), None, Some(4), 1, &["You made a very important", "it did not happen?"]),
        (A, "a4", LAVROV, Some("Sergey Lavrov"), None, Some(4), 7, &["We are investigating the atrocities", "to establish the truth.", "It is us who until", "of the same nature."]),
        (Q, "q5", NOBODY, Some("Question"), None, Some(5), 1, &["Going back to the investigations,", "they be held accountable?"]),
        (A, "a5", LAVROV, Some("Sergey Lavrov"), None, Some(5), 4, &["We have a law that", "are registered and investigated.", "You, I mean the media,", "in Europe in 1930s."]),
        (Q, "q6", NOBODY, Some("Question"), None, Some(6), 1, &["President Zelensky said that Russia", "use tactical nuclear weapons."]),
        (A, "a6", LAVROV, Some("Sergey Lavrov"), None, Some(6), 1, &["He says many things. Depends", "He says many things."]),
        (Q, "q7", NOBODY, Some("Question"), None, Some(7), 1, &["Do you think it was", "would actually back Ukraine?"]),
        (A, "a7", LAVROV, Some("Sergey Lavrov"), None, Some(7), 1, &["President Zelensky came to power", "Minsk Agreements are “unimplementable.”"]),
        (Q, "q8", NOBODY, Some("Question"), None, Some(8), 1, &["It was the Russian forces,", "Russian forces, the DPR."]),
        (A, "a8", LAVROV, Some("Sergey Lavrov"), None, Some(8), 2, &["No, he never said that", "was not very far-sighted.", "Had he cooperated as he", "been over long ago."]),
        (Q, "q9", NOBODY, Some("Question"), None, Some(9), 1, &["Did the West betray Zelensky?", "the West betray Zelensky?"]),
        (A, "a9", LAVROV, Some("Sergey Lavrov"), None, Some(9), 2, &["No, I think the West", "ignore the Minsk Agreements.", "The “West” is a broad", "just an obedient servant."]),
        (Q, "q10", NOBODY, Some("Question"), None, Some(10), 1, &["Tactical nuclear weapons. Will Russia", "Russia ever use them?"]),
        (A, "a10", LAVROV, Some("Sergey Lavrov"), None, Some(10), 1, &["Ask Mr Zelensky. We never", "very adequate person pronounces."]),
        (Q, "q11", NOBODY, Some("Question"), None, Some(11), 1, &["As a P5 member, as", "the table at all?"]),
        (A, "a11", LAVROV, Some("Sergey Lavrov"), None, Some(11), 3, &["When the Soviet Union and", "must never be launched.", "But we were really encouraged", "for all these years."]),
        (Q, "q12", NOBODY, Some("Question"), None, Some(12), 1, &["So nuclear is off the", "is off the table?"]),
        (A, "a12", LAVROV, Some("Sergey Lavrov"), None, Some(12), 1, &["This statement, both the Russian-American", "of the Russian Federation."]),
        (Q, "q13", NOBODY, Some("Question"), None, Some(13), 1, &["Coming back to the Donbass", "Kharkov, Zaporozhye, Kherson, Nikolayev?"]),
        (A, "a13", LAVROV, Some("Sergey Lavrov"), None, Some(13), 3, &["I thought you are a", "is never the case.", "When they had a referendum", "result of the referendum."]),
        (Q, "q14", NOBODY, Some("Question"), None, Some(14), 1, &["Which in fact includes Mariupol", "as part of Donetsk."]),
        (A, "a14", LAVROV, Some("Sergey Lavrov"), None, Some(14), 1, &["Yes.", "Yes."]),
        (Q, "q15", NOBODY, Some("Question"), None, Some(15), 1, &["My question is, if there", "are the red lines?"]),
        (A, "a15", LAVROV, Some("Sergey Lavrov"), None, Some(15), 3, &["I cannot intelligently discuss what", "changes his mind diametrically.", "It was not our language,", "and about his team."]),
        (Q, "q16", NOBODY, Some("Question"), None, Some(16), 1, &["Was there any understanding in", "from Kiev, as well?"]),
        (A, "a16", LAVROV, Some("Sergey Lavrov"), None, Some(16), 2, &["We changed the configuration of", "Kiev and Chernigov areas.", "This was not appreciated at", "which they cannot challenge."]),
        (Q, "q17", NOBODY, Some("Question"), None, Some(17), 1, &["There are mayors who have", "Is that the plan?"]),
        (A, "a17", LAVROV, Some("Sergey Lavrov"), None, Some(17), 1, &["That’s the outmost democracy, right?", "saying what they want."]),
        (Q, "q18", NOBODY, Some("Question"), None, Some(18), 1, &["Which means that you are", "look at Zaporozhye, Nikolayev."]),
        (A, "a18", LAVROV, Some("Sergey Lavrov"), None, Some(18), 2, &["People have been suffering in", "grandparents of these people.", "Now when they have thrown", "many years of oppression."]),
        (Q, "q19", NOBODY, Some("Question"), None, Some(19), 1, &["It seems that Ukraine has", "by negotiating on Donbass."]),
        (A, "a19", LAVROV, Some("Sergey Lavrov"), None, Some(19), 2, &["It’s the decision of those", "European Union and cheated.", "We want the people to", "to live in Ukraine."]),
        (Q, "q20", NOBODY, Some("Question"), None, Some(20), 1, &["Russia is one of the", "long can you sustain?"]),
        (A, "a20", LAVROV, Some("Sergey Lavrov"), None, Some(20), 4, &["I don’t think we are", "this would be over.", "India is among those. We", "in many international organisations."]),
        (Q, "q21", NOBODY, Some("Question"), None, Some(21), 1, &["Speaking of India, India is", "Delhi on this ground?"]),
        (A, "a21", LAVROV, Some("Sergey Lavrov"), None, Some(21), 3, &["India is our very old", "between India and Russia.", "We promoted national information systems,", "of India’s outside partners."]),
        (Q, "q22", NOBODY, Some("Question"), None, Some(22), 1, &["We have got away with", "could they become difficult?"]),
        (A, "a22", LAVROV, Some("Sergey Lavrov"), None, Some(22), 3, &["You know, when the Americans", "join sanctions against Russia.”", "When Antony Blinken, the US", "security.” How about that?"]),
        (Q, "q23", NOBODY, Some("Question"), None, Some(23), 1, &["I suppose your counterpart gave", "conduct one’s foreign policy?"]),
        (A, "a23", LAVROV, Some("Sergey Lavrov"), None, Some(23), 1, &["Absolutely. I respect Subrahmanyam Jaishankar", "say something like this."]),
        (Q, "q24", NOBODY, Some("Question"), None, Some(24), 1, &["You mentioned China. For us,", "where does Russia stand?"]),
        (A, "a24", LAVROV, Some("Sergey Lavrov"), None, Some(24), 4, &["We stand in favour of", "should be applied everywhere.", "We were very much in", "to build more confidence."]),
        (Q, "q25", NOBODY, Some("Question"), None, Some(25), 1, &["Finally, before I let you", "should they start halting?"]),
        (A, "a25", LAVROV, Some("Sergey Lavrov"), None, Some(25), 2, &["There will be no change", "for our gas deliveries.", "In other words, they paid", "account Gazprom receives roubles."]),
        (Q, "q26", NOBODY, Some("Question"), None, Some(26), 1, &["So you are not running", "that has been stopped?"]),
        (A, "a26", LAVROV, Some("Sergey Lavrov"), None, Some(26), 1, &["Exactly. As of now, they", "would not happen again."]),
        (Q, "q27", NOBODY, Some("Question"), None, Some(27), 1, &["Finally, sir, before I let", "more intensification against Ukraine?"]),
        (A, "a27", LAVROV, Some("Sergey Lavrov"), None, Some(27), 1, &["No, this operation in the", "this entire special operation."]),
        (Q, "q28", NOBODY, Some("Question"), None, Some(28), 1, &["What happened to the warship?", "happened to the warship?"]),
        (A, "a28", LAVROV, Some("Sergey Lavrov"), None, Some(28), 1, &["It is for the Ministry", "add anything to this."]),
        (Q, "q29", NOBODY, Some("Question"), None, Some(29), 1, &["On that note, many thanks", "indeed a pleasure, sir."]),
        (A, "a29", LAVROV, Some("Sergey Lavrov"), None, Some(29), 1, &["Thank you very much.", "Thank you very much."]),
        (Q, "q30", NOBODY, Some("Question"), None, Some(30), 1, &["That was the Foreign Minister", "exclusively to India Today."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_06_answers_rossiya1_2022_ru() {
    let file = "real/bikovoy_06_ru_midru_1799937.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("Ответы Министра иностранных дел Российской Федерации С.В.Лаврова на вопросы телеканала «Россия 1», Москва, 22 февраля 2022 года"),
        date: Some("2022-02-22"), time: None, place: Some("Москва"),
        kind: "answers",
        language: "ru", languages: &[],
        source_number: None,
        // ООН is discussed, but this is a television interview, not a UN event.
        forums: &[],
        speakers: &["sergey-lavrov"],
        tags: &[],
        questions: 3, answers: 3,
        answered: answered_by(3, "sergey-lavrov", &[]),
        turns: vec![
        (Q, "q1", NOBODY, Some("Вопрос"), None, Some(1), 1, &["Как Вы можете прокомментировать международную", "об уважении суверенитета государств."]),
        (A, "a1", LAVROV, Some("С.В.Лавров"), None, Some(1), 4, &["Реакция известна. Она уже у", "без исключения стран-членов ООН.", "Мне бы хотелось, чтобы руководство", "соответствии с решениями государств-членов."]),
        (Q, "q2", NOBODY, Some("Вопрос"), None, Some(2), 1, &["Какова сейчас судьба Минских договоренностей?", "сейчас судьба Минских договоренностей?"]),
        (A, "a2", LAVROV, Some("С.В.Лавров"), None, Some(2), 9, &["Минские договоренности были растоптаны украинским", "это тоже мы понимаем.", "Вспомним кризис в Косово. Одностороннее", "что все это понимают."]),
        (Q, "q3", NOBODY, Some("Вопрос"), None, Some(3), 1, &["В сложившихся обстоятельствах готов ли", "переходить к конкретным действиям."]),
        (A, "a3", LAVROV, Some("С.В.Лавров"), None, Some(3), 2, &["Да, читал то, что он", "российскому народу. Это печально.", "По-прежнему всегда открыты к диалогу.", "в нашем общем регионе."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_07_g20_denpasar_2022_ru() {
    let file = "real/bikovoy_07_ru_midru_1821243.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова по итогам заседания СМИД «Группы двадцати», Денпасар, 8 июля 2022 года"),
        date: Some("2022-07-08"), time: None, place: Some("Денпасар"),
        kind: "answers",
        language: "ru", languages: &[],
        source_number: None,
        // «Группа двадцати» is the G20.
        forums: &["g20"],
        speakers: &["sergey-lavrov"],
        tags: &[],
        questions: 7, answers: 7,
        answered: answered_by(7, "sergey-lavrov", &[]),
        // Unlabelled opening statement: the minister's. The first question runs over two
        // paragraphs (the second asks about S.Abe).
        turns: vec![
        (R, "r1", LAVROV, None, None, None, 8, &["Заседание министров иностранных дел «Группы", "известна. Мы её представили.", "Несмотря на всё сказанное мною,", "и создавалась «Группа двадцати»."]),
        (Q, "q1", NOBODY, Some("Вопрос"), None, Some(1), 2, &["Уже ясно, что никакого бойкота,", "и давно стал многополярным?", "Совершено покушение на бывшего Премьера", "внес в мировую политику?"]),
        (A, "a1", LAVROV, Some("С.В.Лавров"), None, Some(1), 3, &["Не знаю, что стоит за", "Мне больше добавить нечего.", "7 июля с.г. индонезийская сторона", "но, уверен, нас услышали."]),
        (Q, "q2", NOBODY, Some("Вопрос"), None, Some(2), 1, &["Как Вы прокомментируете информацию о", "кабмина «помогать украинскому народу»."]),
        (A, "a2", LAVROV, Some("С.В.Лавров"), None, Some(2), 2, &["Даже не хочется комментировать, поскольку", "интересы Евросоюза в целом.", "Ушел и ушел. Все говорили,", "партия Б.Джонсона изолировала его."]),
        (Q, "q3", NOBODY, Some("Вопрос"), None, Some(3), 1, &["Когда состоятся переговоры России, Турции,", "Минобороны) они будут проходить?"]),
        (A, "a3", LAVROV, Some("С.В.Лавров"), None, Some(3), 4, &["Мы готовы к переговорам с", "они пойдут собственным ходом.", "В этом вопросе пытается играть", "послушаем, что нам скажут."]),
        (Q, "q4", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(4), 1, &["Какой Вы видите позицию правительства", "в нынешнем поляризованном мире?"]),
        (A, "a4", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(4), 1, &["Считаю, что Президент и правительство", "и будущего председателя АСЕАН."]),
        (Q, "q5", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(5), 1, &["Есть шанс, что Россия и", "сядут за стол переговоров?"]),
        (A, "a5", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(5), 1, &["Не мы отказались от всех", "говорить, это её выбор."]),
        (Q, "q6", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(6), 1, &["Бывший премьер-министр Японии был застрелен.", "комментарий по этому поводу?"]),
        (A, "a6", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(6), 1, &["Только что прокомментировал, что я", "иностранных дел этой страны."]),
        (Q, "q7", NOBODY, Some("Вопрос"), Some("перевод с английского языка"), Some(7), 1, &["Министр иностранных дел Австралии назвал", "сказать на этот счет?"]),
        (A, "a7", LAVROV, Some("С.В.Лавров"), Some("перевод с английского языка"), Some(7), 1, &["Если Австралия сильно обеспокоена тем,", "Канберрой. Это их выбор."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_08_article_without_labels_en() {
    let file = "real/bikovoy_08_en_midru_1618725.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        // A defect of the source: this title belongs to another text (row 12); the page
        // form tests what the page says.
        title: Some("MINISTER OF FOREIGN AFFAIRS OF THE RUSSIAN FEDERATION IGOR IVANOV ANSWERS A QUESTION FROM ITAR-TASS NEWS AGENCY REGARDING THE CROSSING BY CHECHEN GUNMEN AND TERRORISTS OF THE RUSSIAN-GEORGIAN BORDER"),
        // The title ends without place or date and the text has no date line.
        date: None, time: None, place: None,
        kind: "answers",
        language: "en", languages: &[],
        source_number: None,
        forums: &[],
        speakers: &["igor-ivanov"],
        tags: &[],
        questions: 0, answers: 0,
        answered: vec![],
        // No labels and no blank lines: each line is a whole paragraph of one text in the
        // first person ("our countries"), hence the title's first speaker's remarks.
        turns: vec![
        (R, "r1", IVANOV, None, None, None, 18, &["The visit of President of", "relations between our countries.", "It is deeply interested in", "aspirations of all peoples."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_09_interview_trud_2003_en() {
    let file = "real/bikovoy_09_en_midru_1611546.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("INTERVIEW WITH RUSSIAN FOREIGN MINISTER IGOR IVANOV GRANTED TO THE NEWSPAPER TRUD-7 PUBLISHED UNDER THE HEADLINE \"IGOR IVANOV: WE HAVE COME TO THINK IN A MORE PRAGMATIC FASHION\" ON JANUARY 23, 2003"),
        // "... ON JANUARY 23, 2003": a date but no place.
        date: Some("2003-01-23"), time: None, place: None,
        kind: "interview",
        language: "en", languages: &[],
        source_number: None,
        forums: &[],
        speakers: &["igor-ivanov"],
        tags: &[],
        questions: 20, answers: 19,
        // The closing "Question: Thank you very much ..." is answered by no one.
        answered: answered_by(20, "igor-ivanov", &[20]),
        // The newspaper's introduction speaks of "Igor Ivanov" in the third person: an
        // editorial remark with no speaker. `Answer:` is the title's first speaker. The
        // colon in "I have many friends among culture people: ..." is prose, not a label.
        turns: vec![
        (R, "r1", NOBODY, None, None, None, 1, &["The two-hour talk with Igor", "extracts from the conversation."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["Igor Sergeyevich, could you formulate", "and the nation headaches?"]),
        (A, "a1", IVANOV, Some("Answer"), None, Some(1), 5, &["Some tasks are of a", "the fight against terrorism.", "It is necessary to strengthen", "affairs of sovereign states."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["What is the real extent", "main target of terror."]),
        (A, "a2", IVANOV, Some("Answer"), None, Some(2), 3, &["Russia was probably among the", "partners in counter-terrorist struggle.", "Naturally, the principled and firm", "threat to our country."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["Do you have confirmation that", "to both of them?"]),
        (A, "a3", IVANOV, Some("Answer"), None, Some(3), 2, &["One can hardly talk about", "exist in what country.", "If, upon the expiry of", "the sanctions against Iraq."]),
        (Q, "q4", NOBODY, Some("Question"), None, Some(4), 1, &["Some reports say that Moscow", "to go into exile."]),
        (A, "a4", IVANOV, Some("Answer"), None, Some(4), 1, &["We have never done that.", "internal affairs of Iraq."]),
        (Q, "q5", NOBODY, Some("Question"), None, Some(5), 1, &["What do you take into", "the crisis in Iraq?"]),
        (A, "a5", IVANOV, Some("Answer"), None, Some(5), 1, &["Nobody would presume to know", "look at things realistically."]),
        (Q, "q6", NOBODY, Some("Question"), None, Some(6), 1, &["What is the biggest obstacle", "its great power past."]),
        (A, "a6", IVANOV, Some("Answer"), None, Some(6), 3, &["Even in the West they", "taken by common agreement?", "Take the Middle East. If", "the platform of cooperation."]),
        (Q, "q7", NOBODY, Some("Question"), None, Some(7), 1, &["Could we elicit a more", "around the Kaliningrad region?"]),
        (A, "a7", IVANOV, Some("Answer"), None, Some(7), 3, &["For some reason, if a", "of transit without stopping.", "It's important to understand that", "Kaliningrad and to Kaliningrad."]),
        (Q, "q8", NOBODY, Some("Question"), None, Some(8), 1, &["How would you comment on", "that Russia is seeking\"?"]),
        (A, "a8", IVANOV, Some("Answer"), None, Some(8), 2, &["We are not flirting with", "end of the bargain.", "What should be the most", "Beijing, Seoul and Tokyo."]),
        (Q, "q9", NOBODY, Some("Question"), None, Some(9), 1, &["You are well aware of", "commentaries on current events."]),
        (A, "a9", IVANOV, Some("Answer"), None, Some(9), 2, &["I understand that as a", "we determine our position.", "We have an interest in", "in America wake up."]),
        (Q, "q10", NOBODY, Some("Question"), None, Some(10), 1, &["The Commonwealth of Independent States.", "body with no future?"]),
        (A, "a10", IVANOV, Some("Answer"), None, Some(10), 1, &["There can hardly be a", "CIS and other structures."]),
        (Q, "q11", NOBODY, Some("Question"), None, Some(11), 1, &["What tools does the Foreign", "that face the country?"]),
        (A, "a11", IVANOV, Some("Answer"), None, Some(11), 3, &["Our goal is to attract", "as an economic partner.", "And third. As far as", "sense of this word."]),
        (Q, "q12", NOBODY, Some("Question"), None, Some(12), 1, &["The Foreign Ministry has an", "4,000 rubles and less."]),
        (A, "a12", IVANOV, Some("Answer"), None, Some(12), 3, &["First of all, the outflow", "do feel this shortage.", "Following the latest decisions, the", "country as a whole."]),
        (Q, "q13", NOBODY, Some("Question"), None, Some(13), 1, &["Your predecessor sang a duet", "with over these years?"]),
        (A, "a13", IVANOV, Some("Answer"), None, Some(13), 2, &["We have only the ASEAN", "or so everybody says.", "From the professional and human", "made in the talks."]),
        (Q, "q14", NOBODY, Some("Question"), None, Some(14), 1, &["How do you spend free", "leaf through a magazine?"]),
        (A, "a14", IVANOV, Some("Answer"), None, Some(14), 2, &["Last year (according to a", "fly, I work too.", "I have many friends among", "Council on January 21."]),
        (Q, "q15", NOBODY, Some("Question"), None, Some(15), 1, &["A few words about your", "words about your family."]),
        (A, "a15", IVANOV, Some("Answer"), None, Some(15), 1, &["I am lucky because my", "a sister. That's it."]),
        (Q, "q16", NOBODY, Some("Question"), None, Some(16), 1, &["Diplomats are indeed a special", "are also your colleagues?"]),
        (A, "a16", IVANOV, Some("Answer"), None, Some(16), 1, &["Of course. But I still", "close relationships with them."]),
        (Q, "q17", NOBODY, Some("Question"), None, Some(17), 1, &["Do you regret that you", "made a military career?"]),
        (A, "a17", IVANOV, Some("Answer"), None, Some(17), 1, &["My father was a military", "the way it happened?"]),
        (Q, "q18", NOBODY, Some("Question"), None, Some(18), 1, &["The Foreign Ministry celebrated its", "foreign affairs, Count Vorontsov."]),
        (A, "a18", IVANOV, Some("Answer"), None, Some(18), 1, &["We have restored a small", "is our professional holiday."]),
        (Q, "q19", NOBODY, Some("Question"), None, Some(19), 1, &["Why February 10?", "Why February 10?"]),
        (A, "a19", IVANOV, Some("Answer"), None, Some(19), 1, &["On this day 450 years", "Ambassadorial Office was created."]),
        (Q, "q20", NOBODY, Some("Question"), None, Some(20), 1, &["Thank you very much for", "come to our office."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_10_press_conference_de_villepin_2004_en() {
    let file = "real/bikovoy_10_en_midru_1596482.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("TRANSCRIPT OF RUSSIAN FOREIGN MINISTER IGOR IVANOV'S REMARKS AND REPLIES TO MEDIA QUESTIONS AT PRESS CONFERENCE FOLLOWING TALKS WITH FRENCH MINISTER OF FOREIGN AFFAIRS DOMINIQUE DE VILLEPIN, MOSCOW, JANUARY 23, 2004"),
        // A place is a name: the capitals of an old title are not part of it.
        date: Some("2004-01-23"), time: None, place: Some("Moscow"),
        kind: "press_conference",
        language: "en", languages: &[],
        source_number: None,
        forums: &[],
        // De Villepin's turns were not published; the title names him as a partner only.
        speakers: &["igor-ivanov"],
        tags: &[],
        questions: 5, answers: 5,
        answered: answered_by(5, "igor-ivanov", &[]),
        // "Foreign Minister Ivanov:" stands alone on the first line; his remarks follow.
        // Role words are not part of the name; the label is kept as printed.
        turns: vec![
        (R, "r1", IVANOV, Some("Foreign Minister Ivanov"), None, None, 4, &["I am very pleased to", "de Villepin, to Moscow.", "In recent years relations between", "the states and peoples."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["Mr. de Villepin has declared", "rights violations in Chechnya."]),
        (A, "a1", IVANOV, Some("Foreign Minister Ivanov"), Some("speaking after de Villepin"), Some(1), 2, &["First of all, I cannot", "fight against international terrorism.", "An important symbolic event took", "trip to the region."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["Were any specific steps discussed", "of the Road Map?"]),
        (A, "a2", IVANOV, Some("Foreign Minister Ivanov"), None, Some(2), 1, &["First of all, I want", "arrive at such accords."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["Russia still has not ratified", "say in this connection?"]),
        (A, "a3", IVANOV, Some("Foreign Minister Ivanov"), None, Some(3), 3, &["Russia has been advocating the", "should be dealt with.", "The International Court question also", "stage of intra-agency consideration."]),
        (Q, "q4", NOBODY, Some("Question"), None, Some(4), 1, &["Did you the discuss the", "power to the Iraqis?"]),
        (A, "a4", IVANOV, Some("Foreign Minister Ivanov"), Some("speaks after de Vileppin"), Some(4), 1, &["Russia is ready to participate", "stability in broader terms."]),
        (Q, "q5", NOBODY, Some("Question"), None, Some(5), 1, &["How do you regard the", "Colin Powell concerning Syria?"]),
        (A, "a5", IVANOV, Some("Foreign Minister Ivanov"), None, Some(5), 1, &["Mr. Powell will be in", "and answer this question."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_11_online_conference_renmin_ribao_2003_en() {
    let file = "real/bikovoy_11_en_midru_1618725.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("REPLIES BY RUSSIAN MINISTER OF FOREIGN AFFAIRS IGOR IVANOV TO READERS' QUESTIONS DURING AN ONLINE CONFERENCE ON THE RENMIN RIBAO WEBSITE, BEIJING, FEBRUARY 27, 2003"),
        date: Some("2003-02-27"), time: None, place: Some("Beijing"),
        // An online conference with readers is not a press conference: "replies ... to
        // readers' questions" makes it `answers`.
        kind: "answers",
        language: "en", languages: &[],
        source_number: None,
        // SCO, CIS, NATO and the UN are topics of the answers, not the event.
        forums: &[],
        speakers: &["igor-ivanov"],
        tags: &[],
        questions: 10, answers: 10,
        answered: answered_by(10, "igor-ivanov", &[]),
        // The first line announces the broadcast in the third person (editorial, no
        // speaker). "Renmin Ribao:" is the host outlet's welcome, which no one answers
        // (the first question follows), so it is remarks by the press, label kept.
        turns: vec![
        (R, "r1", NOBODY, None, None, None, 1, &["The live broadcast of the", "Affairs Igor Ivanov begins."]),
        (R, "r2", NOBODY, Some("Renmin Ribao"), None, None, 1, &["How do you do, dear", "thanks for your visit."]),
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["We know that a mechanism", "state and development prospects."]),
        (A, "a1", IVANOV, Some("Foreign Minister Ivanov"), None, Some(1), 1, &["In the last few years", "and support each other."]),
        (Q, "q2", NOBODY, Some("Question"), None, Some(2), 1, &["Since the signing of the", "the present international situation?"]),
        (A, "a2", IVANOV, Some("Foreign Minister Ivanov"), None, Some(2), 1, &["Russia and China are two", "signing of the Treaty."]),
        (Q, "q3", NOBODY, Some("Question"), None, Some(3), 1, &["How, in your opinion, should", "international struggle against terrorism?"]),
        (A, "a3", IVANOV, Some("Foreign Minister Ivanov"), None, Some(3), 1, &["The Shanghai Cooperation Organization is", "direction of SCO cooperation."]),
        (Q, "q4", NOBODY, Some("Question"), None, Some(4), 1, &["Please tell us about the", "and the Iraq problem."]),
        (A, "a4", IVANOV, Some("Foreign Minister Ivanov"), None, Some(4), 1, &["The coordinated stand of Russia", "fail to be heeded."]),
        (Q, "q5", NOBODY, Some("Question"), None, Some(5), 1, &["A Draft Constitution of Chechnya", "counter-terrorist struggle in Chechnya."]),
        (A, "a5", IVANOV, Some("Foreign Minister Ivanov"), None, Some(5), 3, &["Indeed, on March 23, this", "in the Chechen Republic.", "Even though individual attacks by", "clear at the referendum."]),
        (Q, "q6", NOBODY, Some("Question"), None, Some(6), 1, &["How will you comment on", "the East Turkestan movement?"]),
        (A, "a6", IVANOV, Some("Foreign Minister Ivanov"), None, Some(6), 2, &["In our firm conviction, there", "has to be waged.", "We welcomed and actively backed", "community as a whole."]),
        (Q, "q7", NOBODY, Some("Question"), None, Some(7), 1, &["Do you think the moment", "of force against Iraq?"]),
        (A, "a7", IVANOV, Some("Foreign Minister Ivanov"), None, Some(7), 2, &["The situation around Iraq continues", "on Iraq's WMD potential.", "Therefore at this moment Russia", "on a politico-diplomatic plane."]),
        (Q, "q8", NOBODY, Some("Question"), None, Some(8), 1, &["Nearly all the CIS countries", "assessment of this situation?"]),
        (A, "a8", IVANOV, Some("Foreign Minister Ivanov"), None, Some(8), 3, &["The situation in the world", "effectiveness of their activities.", "On the other hand -", "meets its national interests."]),
        (Q, "q9", NOBODY, Some("Question"), None, Some(9), 1, &["How do you assess the", "presence in Central Asia?"]),
        (A, "a9", IVANOV, Some("Foreign Minister Ivanov"), None, Some(9), 1, &["We view the US military", "United Nations Security Council."]),
        (Q, "q10", NOBODY, Some("Question"), None, Some(10), 1, &["What specific measures will Russia", "the economy and trade?"]),
        (A, "a10", IVANOV, Some("Foreign Minister Ivanov"), None, Some(10), 6, &["We note with satisfaction that", "in the aluminum industry.", "The main lines of further", "comprehensive and balanced character."]),
        ],
    });
}

#[test]
#[rustfmt::skip]
fn real_12_answer_itar_tass_2002_en() {
    let file = "real/bikovoy_12_en_midru_1618725.page.txt";
    check(&parse_fixture(file), &Expected {
        file,
        title: Some("MINISTER OF FOREIGN AFFAIRS OF THE RUSSIAN FEDERATION IGOR IVANOV ANSWERS A QUESTION FROM ITAR-TASS NEWS AGENCY REGARDING THE CROSSING BY CHECHEN GUNMEN AND TERRORISTS OF THE RUSSIAN-GEORGIAN BORDER"),
        date: None, time: None, place: None,
        kind: "answers",
        language: "en", languages: &[],
        source_number: None,
        forums: &[],
        speakers: &["igor-ivanov"],
        tags: &[],
        questions: 1, answers: 1,
        answered: answered_by(1, "igor-ivanov", &[]),
        // `Answer:` is the title's first speaker.
        turns: vec![
        (Q, "q1", NOBODY, Some("Question"), None, Some(1), 1, &["The Russian side officially invited", "the situation develop afterwards?"]),
        (A, "a1", IVANOV, Some("Answer"), None, Some(1), 2, &["Moscow promptly reacted to the", "leads is well known.", "Russia together with the overwhelming", "joint actions with Russia."]),
        ],
    });
}

/// The dataset rows' own facts, as an importer would pass them: title, date (where the row
/// has one; `NA` for 01 and 02) and URL.
const ROWS: &[(&str, Option<&str>)] = &[
    ("bikovoy_01_ru_midru_1867466", None),
    ("bikovoy_02_ru_midru_1840230", None),
    ("bikovoy_05_en_midru_1810023", Some("2022-04-19")),
    ("bikovoy_06_ru_midru_1799937", Some("2022-02-22")),
    ("bikovoy_07_ru_midru_1821243", Some("2022-07-08")),
    ("bikovoy_08_en_midru_1618725", Some("2003-12-02")),
    ("bikovoy_09_en_midru_1611546", Some("2003-01-23")),
    ("bikovoy_10_en_midru_1596482", Some("2004-01-23")),
    ("bikovoy_11_en_midru_1618725", Some("2003-02-27")),
    ("bikovoy_12_en_midru_1618725", Some("2002-08-07")),
];

/// A bare dataset text with its row as hints reads like the page made of the same row:
/// same title, kind, place, forums, speakers and turns; the row's URL is kept; the row's
/// date only fills a date the text does not give.
#[test]
fn bare_rows_with_hints_parse_like_pages() {
    use communique::model::Hints;
    use communique::parse::parse_with_hints;

    let mut bad = Vec::new();
    for (name, row_date) in ROWS {
        let row: serde_json::Value =
            serde_json::from_slice(&fixture_bytes(&format!("real/{name}.json"))).unwrap();
        let body = String::from_utf8(fixture_bytes(&format!("real/{name}.txt"))).unwrap();
        let page = parse_fixture(&format!("real/{name}.page.txt"));
        let hints = Hints {
            title: row["title"].as_str().map(str::to_string),
            date: row_date.map(|d| d.parse().unwrap()),
            source_url: row["url"].as_str().map(str::to_string),
            speaker: row["speaker"].as_str().map(str::to_string),
            ..Hints::default()
        };
        let got = match parse_with_hints(&body, &hints, &registry()) {
            Ok(s) => s,
            Err(e) => {
                bad.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut same = |field: &str, g: String, w: String| {
            if g != w {
                bad.push(format!("{name} {field}: expected {w}, got {g}"));
            }
        };
        same(
            "title",
            format!("{:?}", got.title),
            format!("{:?}", page.title),
        );
        same(
            "kind",
            format!("{:?}", got.kind),
            format!("{:?}", page.kind),
        );
        same(
            "place",
            format!("{:?}", got.place),
            format!("{:?}", page.place),
        );
        same("language", got.language.clone(), page.language.clone());
        same(
            "forums",
            format!("{:?}", got.forums),
            format!("{:?}", page.forums),
        );
        same(
            "speakers",
            format!("{:?}", got.speakers),
            format!("{:?}", page.speakers),
        );
        same(
            "source_number",
            format!("{:?}", got.source_number),
            format!("{:?}", page.source_number),
        );
        same(
            "source_url",
            format!("{:?}", got.source_url),
            format!("{:?}", row["url"].as_str()),
        );
        let want_date = page.date.or(hints.date);
        same("date", format!("{:?}", got.date), format!("{want_date:?}"));
        if got.segments != page.segments {
            bad.push(format!("{name}: turns differ from the page form's"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

/// `communique parse` prints one JSON object per document, in argument order, with every
/// key of Contract 1 present (unknown values `null`, empty lists `[]`).
#[test]
fn cli_prints_every_contract_key_for_every_document() {
    let mut files = fixture_files("seeds", ".txt");
    files.extend(fixture_files("real", ".page.txt"));
    assert_eq!(files.len(), 15);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_communique"))
        .arg("parse")
        .args(&files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 15, "{stdout}");
    const KEYS: [&str; 14] = [
        "id",
        "title",
        "date",
        "time",
        "place",
        "kind",
        "language",
        "languages",
        "source_number",
        "source_url",
        "forums",
        "speakers",
        "tags",
        "segments",
    ];
    const SEGMENT_KEYS: [&str; 9] = [
        "n",
        "kind",
        "speaker",
        "label",
        "note",
        "exchange",
        "anchor",
        "title",
        "paragraphs",
    ];
    for (file, object) in files.iter().zip(&objects) {
        let shown = file.display();
        for key in KEYS {
            assert!(object.get(key).is_some(), "{shown}: no {key:?}");
        }
        let parsed = parse_bytes(&std::fs::read(file).unwrap(), &registry()).unwrap();
        assert_eq!(object["id"], parsed.id, "{shown}");
        assert_eq!(object["source_url"], serde_json::Value::Null, "{shown}");
        for forum in object["forums"].as_array().unwrap() {
            for key in ["slug", "acronym", "name"] {
                assert!(forum[key].is_string(), "{shown}: forum without {key:?}");
            }
        }
        for speaker in object["speakers"].as_array().unwrap() {
            for key in ["slug", "name"] {
                assert!(speaker[key].is_string(), "{shown}: speaker without {key:?}");
            }
        }
        for segment in object["segments"].as_array().unwrap() {
            for key in SEGMENT_KEYS {
                assert!(
                    segment.get(key).is_some(),
                    "{shown}: segment without {key:?}"
                );
            }
        }
    }
}

/// A dataset text without its title line has no title (its first line is statement text,
/// not a title, however long), and the same turns as the page form: the title line only
/// adds the title and the speakers it names.
#[test]
fn bare_texts_have_no_title_and_the_same_turns() {
    use communique::parse::parse_text;

    let mut bad = Vec::new();
    for (name, _) in ROWS {
        let body = String::from_utf8(fixture_bytes(&format!("real/{name}.txt"))).unwrap();
        let page = parse_fixture(&format!("real/{name}.page.txt"));
        let bare = match parse_text(&body, &registry()) {
            Ok(s) => s,
            Err(e) => {
                bad.push(format!("{name}: {e}"));
                continue;
            }
        };
        if bare.title.is_some() {
            bad.push(format!("{name}: title {:?}", bare.title));
        }
        let shape = |s: &communique::model::Statement| {
            s.segments
                .iter()
                .map(|g| {
                    (
                        g.anchor.clone(),
                        g.kind,
                        g.label.clone(),
                        g.note.clone(),
                        g.exchange,
                        g.paragraphs.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        if shape(&bare) != shape(&page) {
            bad.push(format!("{name}: turns differ from the page form's"));
        }
        if bare.source_number != page.source_number || bare.language != page.language {
            bad.push(format!("{name}: document number or language differ"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}
