//! Reading files as Contract 1 says: the errors for empty, binary and undecodable input,
//! Windows-1251 Russian pages, and BOM / CRLF variants that must not change the result.

mod common;

use common::{fixture_bytes, fixture_files, registry};
use communique::model::Statement;
use communique::parse::{parse_bytes, parse_text, ParseError};

fn parse(bytes: &[u8]) -> Result<Statement, ParseError> {
    parse_bytes(bytes, &registry())
}

#[track_caller]
fn assert_error(bytes: &[u8], want: &ParseError, display: &str) {
    match parse(bytes) {
        Ok(s) => panic!(
            "expected the error {display:?}, got a statement titled {:?}",
            s.title
        ),
        Err(e) => {
            assert_eq!(&e, want);
            assert_eq!(e.to_string(), display);
        }
    }
}

#[test]
fn empty_file_is_empty() {
    assert_error(b"", &ParseError::Empty, "empty");
}

#[test]
fn whitespace_only_is_empty() {
    for text in [
        "   ",
        "\n\n\n",
        " \t\r\n \r\n",
        "\u{a0}",
        "\u{a0}\u{a0}\n \u{a0}\n\n",
        "\u{feff}\n  \n",
    ] {
        match parse(text.as_bytes()) {
            Err(e) => {
                assert_eq!(e, ParseError::Empty, "{text:?}");
                assert_eq!(e.to_string(), "empty");
            }
            Ok(s) => panic!("{text:?} parsed as a statement: {s:?}"),
        }
    }
}

#[test]
fn nul_bytes_are_binary() {
    assert_error(b"\0", &ParseError::Binary, "binary");
    assert_error(
        b"Question: Did you discuss Afghanistan?\0\n\nSergey Lavrov: Yes.",
        &ParseError::Binary,
        "binary",
    );
    // A seed saved as UTF-16 is full of NULs.
    let text = String::from_utf8(fixture_bytes("seeds/003_e563b7151c10cdad.txt")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_error(&utf16, &ParseError::Binary, "binary");
}

/// French in Windows-1252 / Latin-1: not UTF-8, and read as Windows-1251 it would not be
/// mostly Cyrillic letters.
const FRENCH: &str =
    "Déclaration du ministre des Affaires étrangères à la presse, Paris, 12 février 2004

Question : Où en sont les négociations ? Les délégations ont-elles réaffirmé leur volonté ?

Réponse : Les échanges ont été très approfondis. Nous avons évoqué la sécurité européenne, \
la coopération économique et les événements récents. Il reste beaucoup à faire, mais la \
volonté commune de progresser est réelle. Merci à tous.
";

#[test]
fn latin1_french_is_not_utf8_or_windows_1251() {
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(FRENCH);
    assert!(!had_errors);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    assert_error(
        &bytes,
        &ParseError::Encoding,
        "not UTF-8 or Windows-1251 text",
    );
}

/// A Russian page in the seeds' shape, written for this test.
const RUSSIAN_PAGE: &str = "3 марта 202211:00

Ответы Министра иностранных дел Российской Федерации С.В.Лаврова на вопросы СМИ по итогам заседания Совета министров иностранных дел СНГ, Москва, 3 марта 2022 года

412-03-03-2022

Добрый день!

Мы провели заседание Совета министров иностранных дел Содружества Независимых Государств. Обсудили подготовку к саммиту и согласовали проекты документов — их немало.

Вопрос: Как Вы оцениваете итоги встречи? Удалось ли «сблизить позиции»?

С.В.Лавров: Итоги встречи положительные. Коллеги поддержали наши предложения.

Есть общее понимание: работу нужно продолжать.

Вопрос (перевод с английского языка): Обсуждался ли вопрос о визах?

С.В.Лавров (перевод с английского языка): Нет, этот вопрос не обсуждался.

Дополнительные материалы

  • Фото

Фотоальбом

1 из 1 фотографий в альбоме

© Министерство иностранных дел Российской Федерации
";

#[track_caller]
fn windows_1251(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!had_errors, "text not representable in Windows-1251");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the 1251 bytes must not pass as UTF-8"
    );
    bytes.into_owned()
}

#[test]
fn windows_1251_russian_page_parses_like_its_utf8_twin() {
    let utf8 = parse(RUSSIAN_PAGE.as_bytes()).expect("the UTF-8 page parses");
    let cp1251 = parse(&windows_1251(RUSSIAN_PAGE)).expect("the Windows-1251 page parses");
    assert_eq!(cp1251, utf8);
    assert_eq!(parse_text(RUSSIAN_PAGE, &registry()).unwrap(), utf8);
    // The twin is a real statement, not two equal failures of the same kind.
    assert_eq!(utf8.language, "ru");
    assert_eq!(utf8.source_number.as_deref(), Some("412-03-03-2022"));
    assert_eq!(
        utf8.date.map(|d| d.to_string()).as_deref(),
        Some("2022-03-03")
    );
    assert_eq!(utf8.time.as_deref(), Some("11:00"));
    assert_eq!(utf8.place.as_deref(), Some("Москва"));
    assert_eq!(
        utf8.forums
            .iter()
            .map(|f| f.slug.as_str())
            .collect::<Vec<_>>(),
        ["cis"]
    );
    let turns: Vec<(&str, Option<&str>, Option<&str>, usize)> = utf8
        .segments
        .iter()
        .map(|s| {
            (
                s.anchor.as_str(),
                s.speaker.as_deref(),
                s.note.as_deref(),
                s.paragraphs.len(),
            )
        })
        .collect();
    let note = Some("перевод с английского языка");
    assert_eq!(
        turns,
        [
            ("r1", Some("sergey-lavrov"), None, 2),
            ("q1", None, None, 1),
            ("a1", Some("sergey-lavrov"), None, 2),
            ("q2", None, note, 1),
            ("a2", Some("sergey-lavrov"), note, 1),
        ]
    );
    assert_eq!(
        utf8.segments[2].paragraphs[1],
        "Есть общее понимание: работу нужно продолжать."
    );
}

#[test]
fn windows_1251_real_russian_pages_parse_like_their_utf8_twins() {
    let pages = fixture_files("real", ".page.txt");
    let russian: Vec<_> = pages
        .iter()
        .filter(|p| p.to_string_lossy().contains("_ru_"))
        .collect();
    assert_eq!(russian.len(), 4);
    for path in russian {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let utf8 = parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cp1251 =
            parse(&windows_1251(&text)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(cp1251, utf8, "{}", path.display());
    }
}

/// Every seed and real page with a BOM, with CRLF line ends, and with both.
#[test]
fn bom_and_crlf_do_not_change_the_statement() {
    let mut files = fixture_files("seeds", ".txt");
    files.extend(fixture_files("real", ".page.txt"));
    assert_eq!(files.len(), 15);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let shown = path.display();
        let original = parse(&bytes).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let text = String::from_utf8(bytes).unwrap();
        let crlf = text.replace('\n', "\r\n");
        for (variant, data) in [
            ("BOM", format!("\u{feff}{text}")),
            ("CRLF", crlf.clone()),
            ("BOM+CRLF", format!("\u{feff}{crlf}")),
        ] {
            let got = parse(data.as_bytes()).unwrap_or_else(|e| panic!("{shown} {variant}: {e}"));
            assert_eq!(got, original, "{shown} with {variant}");
        }
    }
}

/// Contract 1 at the command line: a bad file is reported on stderr as `FILE: reason`,
/// the others are still printed, and the exit status is 1.
#[test]
fn cli_reports_bad_files_and_parses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    let binary = dir.path().join("binary.txt");
    std::fs::write(&empty, " \n\u{a0}\n").unwrap();
    std::fs::write(&binary, b"abc\0def").unwrap();
    let seed = common::fixture("seeds/003_e563b7151c10cdad.txt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_communique"))
        .arg("parse")
        .arg(&empty)
        .arg(&seed)
        .arg(&binary)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON object per parsed file: {stdout}");
    let json: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(json["date"], "2018-06-11");
    assert_eq!(json["segments"][1]["anchor"], "a1");
    assert!(
        stderr.contains(&format!("{}: empty", empty.display())),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: binary", binary.display())),
        "stderr: {stderr}"
    );
}
