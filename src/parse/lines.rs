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
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.find(['\n', '\r', '\u{2028}', '\u{2029}']) {
            Some(i) => {
                let c = rest[i..].chars().next().unwrap_or('\n');
                let mut end = i + c.len_utf8();
                if c == '\r' && rest[end..].starts_with('\n') {
                    end += 1;
                }
                (&rest[..i], &rest[end..])
            }
            None => (rest, ""),
        };
        out.push(normalise_line(line));
        rest = next;
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

/// Trims and collapses every whitespace run (incl. NBSP, zero-width) to one space.
pub fn collapse(s: &str) -> String {
    let simple = s.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ");
    if simple {
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
