//! Decoding and slugging: what `communique parse` accepts as text.

use communique::parse::ParseError;
use communique::text::{decode, normalize_ws, slugify, transliterate};

const RUSSIAN: &str = "Вопрос: Как Вы можете прокомментировать международную реакцию?\r\n\r\n\
С.В.Лавров: Спасибо. «Группа двадцати» – это площадка для диалога.\r\n";

#[test]
fn utf8_is_read_as_is() {
    assert_eq!(decode(RUSSIAN.as_bytes()).unwrap(), RUSSIAN);
    assert_eq!(decode(b"Question: What?\n").unwrap(), "Question: What?\n");
}

#[test]
fn utf8_bom_is_dropped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Сергей Лавров: Добрый день!".as_bytes());
    assert_eq!(decode(&bytes).unwrap(), "Сергей Лавров: Добрый день!");
}

#[test]
fn windows_1251_russian_is_decoded() {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    assert_eq!(decode(&bytes).unwrap(), RUSSIAN);
}

#[test]
fn windows_1251_with_some_english_is_still_russian() {
    let text = "Брифинг официального представителя МИД России М.В.Захаровой. \
        Sergey Lavrov, NATO, OSCE. Вопрос: Прокомментируйте, пожалуйста, заявления.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    assert_eq!(decode(&bytes).unwrap(), text);
}

#[test]
fn latin1_french_is_an_encoding_error() {
    let text = "Déclaration du ministre des Affaires étrangères à la presse. \
        Les négociations se sont déroulées dans une atmosphère très amicale; \
        nous avons évoqué la sécurité européenne et l'élargissement.";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    assert_eq!(decode(&bytes), Err(ParseError::Encoding));
    assert_eq!(
        ParseError::Encoding.to_string(),
        "not UTF-8 or Windows-1251 text"
    );
}

#[test]
fn random_high_bytes_are_an_encoding_error() {
    // Bytes that decode to C1 controls and undefined positions, not letters.
    let bytes: Vec<u8> = (0..400u32)
        .map(|i| [0x81u8, 0x98, 0x83, b'a', b' '][(i % 5) as usize])
        .collect();
    assert_eq!(decode(&bytes), Err(ParseError::Encoding));
}

#[test]
fn nul_bytes_are_binary() {
    assert_eq!(decode(b"Question\0: what?"), Err(ParseError::Binary));
    // UTF-16 text is full of NULs: binary, not a mis-decoded statement.
    let utf16: Vec<u8> = "Question: what?"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(decode(&utf16), Err(ParseError::Binary));
}

#[test]
fn empty_and_blank_files_are_empty() {
    assert_eq!(decode(b""), Err(ParseError::Empty));
    assert_eq!(decode(b"\xEF\xBB\xBF"), Err(ParseError::Empty));
    assert_eq!(decode(b"  \r\n\t\n"), Err(ParseError::Empty));
    assert_eq!(
        decode("\u{a0} \u{a0}\n\u{2003}\u{feff}".as_bytes()),
        Err(ParseError::Empty)
    );
    // NBSP in Windows-1251 is 0xA0.
    assert_eq!(decode(b"\xA0\xA0\r\n"), Err(ParseError::Empty));
}

#[test]
fn transliteration_reads_like_english_spellings() {
    assert_eq!(transliterate("Сергей Лавров"), "Sergey Lavrov");
    assert_eq!(transliterate("Захарова"), "Zakharova");
    assert_eq!(
        transliterate("Щёлково, Чечня, Цхинвал, Южно-Сахалинск, Ярославль, Объединённых"),
        "Shchelkovo, Chechnya, Tskhinval, Yuzhno-Sakhalinsk, Yaroslavl, Obedinennykh"
    );
    assert_eq!(transliterate("Ґудзь, Єрмак, Їжак"), "Gudz, Yermak, Yizhak");
    assert_eq!(transliterate("Қасым-Жомарт Тоқаев"), "Qasym-Zhomart Toqaev");
    assert_eq!(transliterate("Lavrov"), "Lavrov");
}

#[test]
fn slugs_are_lower_case_ascii_words() {
    assert_eq!(
        slugify("Ответы на вопросы СМИ по итогам СМИД ШОС"),
        "otvety-na-voprosy-smi-po-itogam-smid-shos"
    );
    assert_eq!(
        slugify("Sergey Lavrov’s interview with «Россия 1»"),
        "sergey-lavrovs-interview-with-rossiya-1"
    );
    assert_eq!(
        slugify("Déjà vu in Zürich — naïve façade"),
        "deja-vu-in-zurich-naive-facade"
    );
    for odd in ["", " ", "—", "\u{a0}", "中文", "!!!"] {
        assert_eq!(slugify(odd), "", "{odd:?}");
    }
    for s in [slugify("A\u{a0}B  C"), slugify("Минск, 12 апреля 2024 г.")] {
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{s}"
        );
        assert!(
            !s.starts_with('-') && !s.ends_with('-') && !s.contains("--"),
            "{s}"
        );
    }
}

#[test]
fn whitespace_is_normalised() {
    assert_eq!(
        normalize_ws("\u{feff} Sergey\u{a0}Lavrov :\u{2009}\r\n yes  "),
        "Sergey Lavrov : yes"
    );
    assert_eq!(normalize_ws("\u{a0}\n"), "");
}
