//! Page residue: the footer with its tags, photo-album lines, copyright, site tools.

use super::lines::Line;
use regex::Regex;
use std::sync::LazyLock;

/// Lines that are never statement text, wherever they stand (lower case, bullets off).
const RESIDUE: &[&str] = &[
    "advanced settings",
    "advanced search",
    "unofficial translation from russian",
    "unofficial translation",
    "unofficial translation from the russian",
    "неофициальный перевод",
    "back to contents",
    "back to table of contents",
    "back to top",
    "назад к оглавлению",
    "к оглавлению",
    "наверх",
    "фото",
    "photo",
    "photos",
    "видео",
    "video",
    "аудио",
    "audio",
    "фотоальбом",
    "photo album",
    "некорректно указаны даты",
    "incorrect dates",
    "дополнительные инструменты поиска",
    "additional search tools",
    "расширенный поиск",
    "расширенные настройки",
    "версия для печати",
    "print version",
    "print",
    "распечатать",
    "share",
    "поделиться",
];

/// `1 из 1 фотографий в альбоме`, `3 of 12 photos in album`.
static ALBUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\d+ (?:из|of) \d+ (?:фотографи\w*|photos?)(?: (?:в альбоме|in (?:the )?album))?$",
    )
    .expect("album regex")
});

/// Footer markers after which only tags and residue follow.
const FOOTER_START: &[&str] = &[
    "additional materials",
    "дополнительные материалы",
    "related materials",
    "связанные материалы",
];

/// The line without leading bullets and trailing colon, lower case.
fn key(text: &str) -> String {
    text.trim_start_matches(['•', '·', '*', '-', '–', ' '])
        .trim_end_matches([':', ' '])
        .to_lowercase()
}

/// Whether a line is navigation or page residue, never statement text.
pub fn is_residue(text: &str) -> bool {
    if text.starts_with('©') || text.starts_with("(c) ") {
        return text.chars().count() < 200;
    }
    if text.len() > 100 {
        return false;
    }
    let k = key(text);
    RESIDUE.contains(&k.as_str())
        || (k.starts_with(|c: char| c.is_ascii_digit()) && ALBUM.is_match(&k))
        || (text.contains('-') && super::header::languages(text).is_some())
}

/// Whether a line opens the footer.
fn is_footer_start(text: &str) -> bool {
    text.len() < 60 && FOOTER_START.contains(&key(text).as_str())
}

/// Splits the body lines into the text and the footer's tags. Residue lines in the
/// text are blanked so they never reach a paragraph.
pub fn split(mut lines: Vec<Line>) -> (Vec<Line>, Vec<String>) {
    // The footer starts at its marker, or at the first of a trailing run of residue,
    // provided only short lines (tags, residue) follow.
    let mut start = lines.len();
    for (i, line) in lines.iter().enumerate().rev() {
        let t = line.text.as_str();
        if t.is_empty() {
            continue;
        }
        if is_footer_start(t) || is_residue(t) {
            start = i;
        } else if t.len() > 480 || t.chars().count() > 120 || super::lines::ends_sentence(t) {
            break;
        }
    }
    let mut tags = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for line in &lines[start..] {
        let t = line.text.as_str();
        if !t.is_empty() && !is_residue(t) && !is_footer_start(t) && seen.insert(t) {
            tags.push(t.to_string());
        }
    }
    lines.truncate(start);
    for line in &mut lines {
        if is_residue(&line.text) {
            line.text.clear();
        }
    }
    (lines, tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lines;

    #[test]
    fn russian_footer() {
        let text = "Text of the statement.\n\nДополнительные материалы\n\n  • Фото\n\nФотоальбом\n\n1 из 1 фотографий в альбоме\n\nНекорректно указаны даты\nДополнительные инструменты поиска\n\nМеждународная безопасность\n";
        let (body, tags) = split(lines::split(text));
        assert_eq!(tags, ["Международная безопасность"]);
        assert_eq!(body.iter().filter(|l| !l.is_blank()).count(), 1);
    }

    #[test]
    fn english_footer() {
        let text = "Text.\n\nAdditional materials\n\n\nEuropean Union (EU)\n\nNATO (North Atlantic Treaty Organization)\n\nAdvanced settings";
        let (_, tags) = split(lines::split(text));
        assert_eq!(
            tags,
            [
                "European Union (EU)",
                "NATO (North Atlantic Treaty Organization)"
            ]
        );
    }
}
