//! Decoding, normalising, transliterating and slugging text.

use crate::parse::ParseError;
use unicode_normalization::UnicodeNormalization;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads bytes as text: UTF-8 (BOM dropped), else Windows-1251 when that gives mostly
/// Cyrillic letters; empty, whitespace-only and NUL-holding input are errors.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    // `<[u8]>::contains` on bytes is a memchr: cheap even for large files.
    if bytes.contains(&0) {
        return Err(ParseError::Binary);
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => decode_windows_1251(bytes).ok_or(ParseError::Encoding)?,
    };
    if is_blank(&text) {
        return Err(ParseError::Empty);
    }
    Ok(text)
}

/// Windows-1251 decoding of `bytes`, or `None` when the result does not read as Cyrillic
/// text. Every byte sequence decodes to *something* in a single-byte code page, so the
/// decision rests on what comes out: a Latin-1 French file, for instance, turns its few
/// accented letters into scattered Cyrillic ones inside mostly Latin words.
fn decode_windows_1251(bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let mut cyrillic = 0usize;
    let mut letters = 0usize;
    let mut odd = 0usize;
    let mut chars = 0usize;
    for c in text.chars() {
        chars += 1;
        // Cyrillic and ASCII first: `is_alphabetic` is a table search for the rest.
        if is_cyrillic(c) {
            letters += 1;
            cyrillic += 1;
        } else if c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic()) {
            letters += 1;
        } else if is_odd(c) {
            odd += 1;
        }
    }
    // Mostly Cyrillic letters, and control characters no more than a stray few. Text
    // without letters (NBSPs, dashes) is accepted so that it can be reported as blank.
    let plausible = if letters == 0 {
        odd == 0
    } else {
        cyrillic * 2 > letters && odd * 100 <= chars
    };
    plausible.then(|| text.into_owned())
}

/// Characters that do not occur in text: C0/C1 controls other than line and tab ends,
/// and the replacement character.
fn is_odd(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}'
}

/// Whether `c` is a letter of the Cyrillic blocks.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

/// Whether `c` is a space for layout purposes: any Unicode white space, plus the
/// invisible characters page saves carry (BOM, zero-width space and joiners).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
}

/// Whether the text holds nothing but white space (NBSP and BOM included).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_space)
}

/// Every Unicode space (NBSP, thin space, tab, line end, ...) becomes one ASCII space;
/// runs collapse; the ends are trimmed. Zero-width characters disappear.
pub fn normalize_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if is_space(c) {
            // Zero-width: no visible gap, so no space either.
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Latin spelling of a Cyrillic letter (lower case), or `None` for other characters.
/// Russian follows a readable scheme (`Сергей Лавров` -> `Sergey Lavrov`); the extra
/// letters of Ukrainian, Belarusian, Kazakh, Serbian and Macedonian get their usual
/// Latin spellings.
fn cyrillic_to_latin(lower: char) -> Option<&'static str> {
    Some(match lower {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Ukrainian
        'є' => "ye",
        'і' => "i",
        'ї' => "yi",
        'ґ' => "g",
        // Belarusian
        'ў' => "u",
        // Kazakh
        'ә' => "a",
        'ғ' => "gh",
        'қ' => "q",
        'ң' => "ng",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        // Serbian, Macedonian
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' | 'ѕ' => "dz",
        'ѓ' => "gj",
        'ќ' => "kj",
        _ => return None,
    })
}

/// Latin transliteration of Cyrillic letters; everything else is kept as it is.
/// Capitals stay capitals: `Щукин` -> `Shchukin`, `ЩУКИН` -> `SHCHUKIN`.
pub fn transliterate(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut prev_upper = false;
    while let Some(c) = chars.next() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let Some(latin) = cyrillic_to_latin(lower) else {
            out.push(c);
            prev_upper = c.is_uppercase();
            continue;
        };
        if c.is_uppercase() {
            // A capital inside a word in capitals gives all capitals (`ЩУКИН`).
            let next_upper = chars.peek().is_some_and(|n| n.is_uppercase());
            if next_upper || prev_upper {
                out.push_str(&latin.to_ascii_uppercase());
            } else {
                let mut letters = latin.chars();
                if let Some(first) = letters.next() {
                    out.push(first.to_ascii_uppercase());
                    out.push_str(letters.as_str());
                }
            }
            prev_upper = true;
        } else {
            out.push_str(latin);
            prev_upper = false;
        }
    }
    out
}

/// ASCII spellings of Latin letters that NFKD does not decompose.
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Lower-case ASCII slug of any text, Cyrillic transliterated, diacritics stripped,
/// words joined by hyphens. Apostrophes vanish inside words (`Lavrov’s` -> `lavrovs`).
/// Text without Latin or Cyrillic letters or digits gives an empty slug.
pub fn slugify(text: &str) -> String {
    // One pass, char by char, with no intermediate strings: the parser slugs names
    // and titles of every statement.
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    let push = |out: &mut String, ascii: &str, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push('-');
        }
        *pending = false;
        out.push_str(ascii);
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            push(
                &mut out,
                lower.encode_utf8(&mut [0; 4]),
                &mut pending_hyphen,
            );
        } else if c.is_ascii() {
            if !matches!(c, '\'' | '`') {
                pending_hyphen = true;
            }
        } else if let Some(latin) = cyrillic_to_latin(c.to_lowercase().next().unwrap_or(c)) {
            if !latin.is_empty() {
                push(&mut out, latin, &mut pending_hyphen);
            }
        } else if let Some(ascii) = latin_special(c) {
            push(&mut out, ascii, &mut pending_hyphen);
        } else if matches!(c, '’' | 'ʼ') {
            // Apostrophes belong to the word.
        } else {
            // Accented letters lose their accents (NFKD, marks dropped); other
            // characters separate words.
            let mut any = false;
            for d in std::iter::once(c).nfkd() {
                if d.is_ascii_alphanumeric() {
                    let lower = d.to_ascii_lowercase();
                    push(
                        &mut out,
                        lower.encode_utf8(&mut [0; 4]),
                        &mut pending_hyphen,
                    );
                    any = true;
                }
            }
            if !any && !unicode_normalization::char::is_combining_mark(c) {
                pending_hyphen = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_names() {
        assert_eq!(transliterate("Сергей Лавров"), "Sergey Lavrov");
        assert_eq!(transliterate("Мария Захарова"), "Mariya Zakharova");
        assert_eq!(transliterate("ЩУКИН Щукин"), "SHCHUKIN Shchukin");
        assert_eq!(transliterate("Объём"), "Obem");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Foreign Minister Sergey Lavrov’s answers"),
            "foreign-minister-sergey-lavrovs-answers"
        );
        assert_eq!(slugify("СМИД ШОС, Панаджи"), "smid-shos-panadzhi");
        assert_eq!(slugify("Élysée — Straße"), "elysee-strasse");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify(" -- 中文 "), "");
    }

    #[test]
    fn whitespace() {
        assert_eq!(normalize_ws("  a\u{a0}\u{a0}b\t\r\nc\u{200b}d  "), "a b cd");
        assert_eq!(normalize_ws("\u{feff}x"), "x");
    }
}
