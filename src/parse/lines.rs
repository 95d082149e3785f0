//! Lines and paragraphs: line ends, odd spaces, indentation and hard-wrapped text.

/// One input line with its whitespace normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text, trimmed, every run of whitespace (NBSP, tabs, ...) one space.
    pub text: String,
    /// Leading whitespace before the text, in characters (a tab counts four).
    pub indent: usize,
}

impl Line {
    /// Whether the line holds no text.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Whether a character is whitespace for the purpose of normalising (incl. NBSP).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}')
}

/// Splits text into lines on any line end (`\r\n`, `\n`, `\r`, U+2028/9).
pub fn split(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        // U+2028 and U+2029 are E2 80 A8/A9 in UTF-8.
        let sep = match b {
            b'\n' => 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => 1,
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                3
            }
            _ => 0,
        };
        if sep == 0 {
            i += 1;
            continue;
        }
        out.push(normalise_line(&text[start..i]));
        i += sep;
        start = i;
    }
    if start < bytes.len() {
        out.push(normalise_line(&text[start..]));
    }
    out
}

/// Trims a line, measures its indent and collapses inner whitespace.
fn normalise_line(line: &str) -> Line {
    let mut indent = 0;
    for c in line.chars() {
        if c == '\t' {
            indent += 4;
        } else if is_space(c) {
            indent += 1;
        } else {
            break;
        }
    }
    Line {
        text: collapse(line),
        indent,
    }
}

/// Whether bytes need no whitespace normalising: no leading, trailing or double
/// spaces, no tabs or other control spaces, no Unicode spaces (NBSP, U+2000–U+200B,
/// U+202F, U+205F, U+2060, U+3000, U+FEFF, U+1680, U+0085).
fn is_clean(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' => {
                if prev_space {
                    return false;
                }
                prev_space = true;
                i += 1;
                continue;
            }
            b'\t' | 0x0B | 0x0C | b'\r' | b'\n' => return false,
            0xC2 if matches!(b.get(i + 1), Some(0xA0 | 0x85)) => return false,
            0xE1 if b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80) => return false,
            0xE2 if b.get(i + 1) == Some(&0x80)
                && matches!(b.get(i + 2), Some(0x80..=0x8B | 0xA8 | 0xA9 | 0xAF)) =>
            {
                return false
            }
            0xE2 if b.get(i + 1) == Some(&0x81) && matches!(b.get(i + 2), Some(0x9F | 0xA0)) => {
                return false
            }
            0xE3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => return false,
            0xEF if b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) => return false,
            _ => {}
        }
        prev_space = false;
        i += 1;
    }
    true
}

/// Trims and collapses every whitespace run (incl. NBSP, zero-width) to one space.
pub fn collapse(s: &str) -> String {
    if is_clean(s.as_bytes()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_space(c) {
            // Zero-width characters vanish; real spaces separate words.
            if !matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}') {
                pending = true;
            }
        } else {
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push(c);
        }
    }
    out
}

/// Whether a line ends a sentence (or a greeting/list item that stands alone).
pub fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '»', '”', '’', ')', ']', '*']);
    matches!(
        t.chars().last(),
        Some('.' | '!' | '?' | ':' | ';' | '…' | ',')
    ) || t.is_empty()
}

/// Groups lines into paragraphs: blank lines separate them; a block of several lines is
/// joined when the document is hard-wrapped, else each line is its own paragraph.
/// `starts_turn` tells whether a line opens a new turn (a speaker label), which always
/// starts a paragraph.
pub fn paragraphs(lines: &[Line], starts_turn: impl Fn(&str) -> bool) -> Vec<String> {
    let blocks: Vec<&[Line]> = lines
        .split(Line::is_blank)
        .filter(|b| !b.is_empty())
        .collect();
    let width = wrap_width(&blocks);
    let mut out = Vec::new();
    for block in blocks {
        let Some(width) = width else {
            out.extend(block.iter().map(|l| l.text.clone()));
            continue;
        };
        let base_indent = block.iter().map(|l| l.indent).min().unwrap_or(0);
        let mut cur = String::new();
        for (i, line) in block.iter().enumerate() {
            let new_par = i > 0 && {
                let prev = &block[i - 1];
                let prev_short = prev.text.chars().count() * 10 < width * 8;
                (ends_sentence(&prev.text) && prev_short)
                    || (line.indent > base_indent && line.indent > prev.indent)
                    || starts_turn(&line.text)
            };
            if new_par && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(&line.text);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The line width of a hard-wrapped document, or `None` when its lines are paragraphs.
///
/// Hard-wrapped text breaks most lines mid-sentence at a similar length; a file whose
/// lines are whole paragraphs ends nearly every line with a sentence.
fn wrap_width(blocks: &[&[Line]]) -> Option<usize> {
    let inner: Vec<&Line> = blocks
        .iter()
        .filter(|b| b.len() > 1)
        .flat_map(|b| &b[..b.len() - 1])
        .collect();
    // Wrapping shows on most lines; a list block in a page of one-line paragraphs does not.
    let total: usize = blocks.iter().map(|b| b.len()).sum();
    if inner.len() < 2 || inner.len() * 3 < total {
        return None;
    }
    let mut lens: Vec<usize> = inner.iter().map(|l| l.text.chars().count()).collect();
    lens.sort_unstable();
    let width = lens[lens.len() * 9 / 10];
    if !(20..=250).contains(&width) {
        return None;
    }
    let mid = inner.iter().filter(|l| !ends_sentence(&l.text)).count();
    let near = lens.iter().filter(|&&n| n * 10 >= width * 6).count();
    (mid * 2 >= inner.len() && near * 10 >= inner.len() * 7).then_some(width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_spaces() {
        let lines = split("a\r\n\u{a0} b\u{a0}\u{a0}c \rd\n");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b c", "d"]);
        assert_eq!(lines[1].indent, 2);
    }

    #[test]
    fn clean_lines_pass_unchanged_and_odd_spaces_do_not() {
        assert_eq!(collapse("Вопрос: Как дела?"), "Вопрос: Как дела?");
        assert_eq!(collapse("a\u{2009}b\u{3000}c\u{85}d"), "a b c d");
        assert_eq!(collapse("a\u{200b}b\u{feff}"), "ab");
        assert_eq!(collapse("\u{a0}x\u{a0}"), "x");
        for s in [
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{a0}b",
            "a\u{2028}b",
            "a\u{1680}b",
        ] {
            assert!(!is_clean(s.as_bytes()), "{s:?}");
        }
        let lines = split("a\u{2028}b\u{2029}c\r\rd");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "", "d"]);
    }

    #[test]
    fn unwrapped_lines_stay_paragraphs() {
        let lines = split("First sentence here.\nSecond one is here.\nThird.");
        assert_eq!(paragraphs(&lines, |_| false).len(), 3);
    }

    #[test]
    fn a_list_among_one_line_paragraphs_is_not_wrapping() {
        let mut text = String::from("Table of contents\n\n");
        for i in 1..=8 {
            text.push_str(&format!(
                "{i}. A heading of about the same length number {i}\n"
            ));
        }
        for _ in 0..20 {
            text.push_str("\nA paragraph on one line, as page saves have them.\n");
        }
        let pars = paragraphs(&split(&text), |_| false);
        assert_eq!(pars.len(), 1 + 8 + 20);
    }

    #[test]
    fn wrapped_lines_join() {
        let text = "This is a long line of text that is wrapped at\n\
                    a similar width in the middle of the sentence and\n\
                    continues here until it ends.\n\n\
                    Another paragraph begins here and it is wrapped\n\
                    too, at the same width as the first one was.";
        let pars = paragraphs(&split(text), |_| false);
        assert_eq!(pars.len(), 2, "{pars:?}");
        assert!(pars[0].ends_with("until it ends."));
    }
}
