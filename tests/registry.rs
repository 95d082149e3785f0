//! The registry: names, labels and titles resolve to the right speakers and forums.

use communique::registry::Registry;

fn speaker(r: &Registry, name: &str) -> Option<String> {
    r.match_speaker(name).map(|s| s.slug.clone())
}

fn title_speakers(r: &Registry, title: &str) -> Vec<String> {
    r.speakers_in_title(title)
        .iter()
        .map(|s| s.slug.clone())
        .collect()
}

fn title_forums(r: &Registry, title: &str) -> Vec<String> {
    r.forums_in_title(title)
        .iter()
        .map(|f| f.slug.clone())
        .collect()
}

#[test]
fn builtin_has_the_forums_and_speakers_the_archive_needs() {
    let r = Registry::builtin();
    for slug in [
        "cis", "csto", "sco", "cica", "brics", "eaeu", "un", "osce", "asean", "g20", "eu", "nato",
        "coe",
    ] {
        assert!(r.forum(slug).is_some(), "{slug}");
    }
    for slug in [
        "sergey-lavrov",
        "maria-zakharova",
        "sergey-lebedev",
        "igor-ivanov",
    ] {
        assert!(r.speaker(slug).is_some(), "{slug}");
    }
    assert_eq!(r.forum("CSTO").unwrap().acronym, "CSTO");
    assert_eq!(r.forum("csto").unwrap().acronym_ru.as_deref(), Some("ОДКБ"));
}

#[test]
fn every_spelling_of_lavrov_resolves() {
    let r = Registry::builtin();
    for name in [
        "Sergey Lavrov",
        "Sergei Lavrov",
        "SERGEY LAVROV",
        "sergey lavrov",
        "S.V. Lavrov",
        "S.V.Lavrov",
        "S. V. Lavrov",
        "S.Lavrov",
        "Lavrov",
        "Сергей Лавров",
        "С.В.Лавров",
        "С.В. Лавров",
        "Лавров С.В.",
        "Лавров",
        "Foreign Minister Sergey Lavrov",
        "Russian Foreign Minister Sergey Lavrov",
        "Министр иностранных дел Российской Федерации С.В.Лавров",
        "С.В.Лавров (перевод с английского языка)",
        "Sergey\u{a0}Lavrov",
        "Sergey Lavrov:",
    ] {
        assert_eq!(
            speaker(&r, name).as_deref(),
            Some("sergey-lavrov"),
            "{name:?}"
        );
    }
}

#[test]
fn other_speakers_resolve() {
    let r = Registry::builtin();
    for (name, slug) in [
        ("Maria Zakharova", "maria-zakharova"),
        ("М.В.Захарова", "maria-zakharova"),
        ("Захарова М.В.", "maria-zakharova"),
        ("MARIA ZAKHAROVA", "maria-zakharova"),
        ("Foreign Minister Ivanov", "igor-ivanov"),
        ("Igor Ivanov", "igor-ivanov"),
        ("И.С.Иванов", "igor-ivanov"),
        ("Sergey Lebedev", "sergey-lebedev"),
        ("С.Н.Лебедев", "sergey-lebedev"),
        ("Wang Yi", "wang-yi"),
        ("Wang Yi (speaking in Chinese)", "wang-yi"),
        ("Ван И", "wang-yi"),
        ("John Kerry", "john-kerry"),
        ("Antony Blinken", "antony-blinken"),
        ("Rex Tillerson", "rex-tillerson"),
        ("А.К.Лукашевич", "alexander-lukashevich"),
        ("Alexander Yakovenko", "alexander-yakovenko"),
        ("Mikhail Kamynin", "mikhail-kamynin"),
        ("Andrei Nesterenko", "andrei-nesterenko"),
        ("Andrey Nesterenko", "andrei-nesterenko"),
        ("Alexander Grushko", "alexander-grushko"),
        ("Sergey Ryabkov", "sergey-ryabkov"),
        ("В.В.Путин", "vladimir-putin"),
        ("President Vladimir Putin", "vladimir-putin"),
        ("Dmitry Medvedev", "dmitry-medvedev"),
        ("Небензя", "vasily-nebenzya"),
        ("Vasily Nebenzya", "vasily-nebenzya"),
        ("Сергей Лёбедев", "sergey-lebedev"),
    ] {
        assert_eq!(speaker(&r, name).as_deref(), Some(slug), "{name:?}");
    }
}

#[test]
fn prose_and_generic_labels_are_not_speakers() {
    let r = Registry::builtin();
    for name in [
        "Question",
        "Answer",
        "Вопрос",
        "Trud",
        "Renmin Ribao",
        "TUCKER CARLSON",
        "I have many friends among people of culture",
        "The conclusion is simple",
        "As the proverb goes",
        "Foreign Minister",
        "Sergey",
        "Сергей",
        "Sergei Ivanov",
        "P.V. Lavrov",
        "Wang",
        "Yi",
        "И",
        "",
        "  ",
        "Lavrov Sergey Viktorovich Foreign Minister of the Russian Federation and many other words",
    ] {
        assert_eq!(speaker(&r, name), None, "{name:?}");
    }
}

#[test]
fn titles_name_their_speakers_in_order() {
    let r = Registry::builtin();
    let cases: &[(&str, &[&str])] = &[
        (
            "Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev make remarks and reply to questions at a joint news conference following the CIS Council of Foreign Ministers, Minsk, April 12, 2024",
            &["sergey-lavrov", "sergey-lebedev"],
        ),
        (
            "Foreign Minister Sergey Lavrov’s answers to media questions following CSTO Council of Foreign Ministers meeting, Almaty, June 11, 2018",
            &["sergey-lavrov"],
        ),
        (
            "Comment and answers of the Minister of Foreign Affairs of Russia S.V. Lavrov to the questions of mass-media, Astana, September, 12th, 2012",
            &["sergey-lavrov"],
        ),
        (
            "Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова по итогам СМИД ШОС, Панаджи, 5 мая 2023 года",
            &["sergey-lavrov"],
        ),
        (
            "TRANSCRIPT OF RUSSIAN FOREIGN MINISTER IGOR IVANOV'S REMARKS AND REPLIES TO MEDIA QUESTIONS AT PRESS CONFERENCE FOLLOWING TALKS WITH FRENCH MINISTER OF FOREIGN AFFAIRS DOMINIQUE DE VILLEPIN, MOSCOW, JANUARY 23, 2004",
            &["igor-ivanov"],
        ),
        (
            "Брифинг официального представителя МИД России М.В.Захаровой, Москва, 3 марта 2022 года",
            &["maria-zakharova"],
        ),
        (
            "Совместная пресс-конференция Сергея Лаврова и Ван И по итогам переговоров",
            &["sergey-lavrov", "wang-yi"],
        ),
        (
            "Интервью Министра иностранных дел Российской Федерации С.В.Лаврова для фильма «Нацизм под следствием», Москва, 26 ноября 2022 года",
            &["sergey-lavrov"],
        ),
        // The other side of talks is not a speaker of the statement.
        ("Statement by Lavrov on the talks with Kerry", &["sergey-lavrov"]),
        ("Talks of Sergey Lavrov and John Kerry", &["sergey-lavrov", "john-kerry"]),
        (
            "Speech by the Russian Foreign Minister, Sergey Lavrov, and his answers to questions from the mass media during the press conference summarising the results of the negotiations with the Kazakh Foreign Minister, Erlan Idrisov, Astana, 12 September 2013",
            &["sergey-lavrov"],
        ),
        ("Пресс-конференция С.В.Лаврова по итогам переговоров с Ван И", &["sergey-lavrov"]),
        ("Interview with Foreign Minister Sergey Lavrov", &["sergey-lavrov"]),
        ("Беседа с Захаровой", &["maria-zakharova"]),
        ("Лавров С.В.", &["sergey-lavrov"]),
        ("Remarks by Sergei Ivanov at the meeting", &[]),
        ("Briefing on rice exports and the weather", &[]),
    ];
    for (title, want) in cases {
        assert_eq!(title_speakers(&r, title), *want, "{title}");
    }
}

#[test]
fn titles_name_their_forums_in_order() {
    let r = Registry::builtin();
    let cases: &[(&str, &[&str])] = &[
        ("Foreign Minister Sergey Lavrov’s remarks at the CIS Council of Foreign Ministers", &["cis"]),
        (
            "Comment and answers of S.V. Lavrov following the meeting of the Ministers of Foreign Affairs of the member states of the Conference on Interaction and Confidence Building Measures in Asia, Astana, September, 12th, 2012",
            &["cica"],
        ),
        (
            "Foreign Minister Sergey Lavrov’s speech at a meeting of foreign ministers of countries that are parties to the Conference for Interaction and Confidence Building Measures in Asia, Beijing, April 28, 2016",
            &["cica"],
        ),
        ("Sergey Lavrov’s remarks at the SCO meeting", &["sco"]),
        ("Statement at the UN Security Council", &["un"]),
        ("Address to the 77th session of the United Nations General Assembly", &["un"]),
        ("Выступление на заседании Совета Безопасности ООН", &["un"]),
        ("Ответы на вопросы по итогам СМИД ШОС, Панаджи", &["sco"]),
        ("по итогам заседания СМИД «Группы двадцати», Денпасар, 8 июля 2022 года", &["g20"]),
        ("заседание Совета министров иностранных дел Шанхайской организации сотрудничества", &["sco"]),
        ("встреча глав МИД государств – членов Содружества Независимых Государств", &["cis"]),
        ("Remarks at the CSTO and CIS meetings, then at the SCO", &["csto", "cis", "sco"]),
        ("Speech at the OSCE Ministerial Council; talks with the EU and NATO", &["osce", "eu", "nato"]),
        ("Russia-ASEAN Foreign Ministers’ Meeting and the East Asia Summit", &["asean", "eas"]),
        ("Speech at the G20 summit", &["g20"]),
        ("BRICS Foreign Ministers meet on the sidelines of UNGA", &["brics", "un"]),
        ("Заявление по итогам заседания Совета министров иностранных дел ОДКБ", &["csto"]),
        ("Remarks at the session of the Parliamentary Assembly of the Council of Europe", &["coe"]),
        ("EAEU intergovernmental council", &["eaeu"]),
        // Acronyms are whole words and case-sensitive.
        ("Interview with UNESCO and Union leaders; a united front", &[]),
        ("Sergey Lavrov’s interview with India Today television channel, Moscow, April 19, 2022", &[]),
        ("Briefing by Maria Zakharova, Moscow, March 3, 2022", &[]),
    ];
    for (title, want) in cases {
        assert_eq!(title_forums(&r, title), *want, "{title}");
    }
}

#[test]
fn forums_of_the_real_and_seed_titles() {
    let r = Registry::builtin();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let row: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let title = row["title"].as_str().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let want: &[&str] = match &name[..11] {
            "bikovoy_01_" => &["sco"],
            "bikovoy_07_" => &["g20"],
            _ => &[],
        };
        assert_eq!(title_forums(&r, title), want, "{name}: {title}");
        // Every real title names its speaker (the row's `speaker` field).
        let who = r.match_speaker(row["speaker"].as_str().unwrap()).unwrap();
        assert_eq!(
            r.speakers_in_title(title).first().map(|s| &s.slug),
            Some(&who.slug),
            "{title}"
        );
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn user_file_adds_speakers_and_overrides_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        r#"
[[speaker]]
slug = "sergey-lavrov"
role = "Foreign Minister"
aliases = ["Серёжа Лавров"]

[[speaker]]
slug = "jean-dupont"
name = "Jean Dupont"
aliases = ["J.-P. Dupont"]

[[forum]]
slug = "oas"
acronym = "OAS"
name = "Organization of American States"
"#,
    )
    .unwrap();
    let r = Registry::load(Some(&path)).unwrap();
    let lavrov = r.speaker("sergey-lavrov").unwrap();
    assert_eq!(lavrov.role.as_deref(), Some("Foreign Minister"));
    assert_eq!(lavrov.name, "Sergey Lavrov", "fields not given are kept");
    assert!(
        lavrov.aliases.iter().any(|a| a == "S.V. Lavrov"),
        "aliases are extended"
    );
    assert_eq!(
        speaker(&r, "Серёжа Лавров").as_deref(),
        Some("sergey-lavrov")
    );
    assert_eq!(speaker(&r, "Jean Dupont").as_deref(), Some("jean-dupont"));
    assert_eq!(speaker(&r, "Dupont").as_deref(), Some("jean-dupont"));
    assert_eq!(
        title_forums(&r, "Remarks at the OAS General Assembly"),
        ["oas", "un"]
    );
    assert_eq!(r.speakers().len(), Registry::builtin().speakers().len() + 1);

    // A folder merges its files in name order.
    std::fs::write(
        dir.path().join("zz.toml"),
        "[[speaker]]\nslug = \"jean-dupont\"\nrole = \"Ambassador\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "not a registry").unwrap();
    let r = Registry::load(Some(dir.path())).unwrap();
    assert_eq!(
        r.speaker("jean-dupont").unwrap().role.as_deref(),
        Some("Ambassador")
    );
}

#[test]
fn bad_user_files_are_clear_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("syntax.toml", "[[speaker]\nslug = 1"),
        (
            "unknown.toml",
            "[[speaker]]\nslug = \"x\"\nname = \"X\"\nsurname = \"X\"\n",
        ),
        ("noname.toml", "[[speaker]]\nslug = \"nobody\"\n"),
        (
            "slug.toml",
            "[[forum]]\nslug = \"Not A Slug\"\nname = \"X\"\n",
        ),
    ];
    for (file, text) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let err = format!("{:#}", Registry::load(Some(&path)).unwrap_err());
        assert!(err.contains(file), "{file}: {err}");
    }
    let missing = dir.path().join("missing.toml");
    let err = format!("{:#}", Registry::load(Some(&missing)).unwrap_err());
    assert!(err.contains("missing.toml"), "{err}");
}
