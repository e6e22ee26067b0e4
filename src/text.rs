//! Short text for people, measured in terminal columns: a line cut to fit (`shorten`), a cell padded to
//! a width (`pad`), a count with its noun (`plural`), and text with what must not reach a terminal
//! replaced (`shown_text`). The command line and the reader share them.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::article::clean::is_forbidden;

/// `text` on one line (runs of whitespace become one space), cut to at most `columns` display columns
/// with an ellipsis marking the cut (the ellipsis alone when `columns` is 0). A wide character (CJK)
/// takes two columns and is never split.
pub fn shorten(text: &str, columns: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.width() <= columns {
        return line;
    }
    let mut out = take_columns(&line, columns.saturating_sub(1));
    out.push('…');
    out
}

/// `text` cut or padded with spaces to exactly `width` columns (an ellipsis marks a cut). A wide
/// character that would straddle the edge is left out and its column padded.
pub fn pad(text: &str, width: u16) -> String {
    let width = usize::from(width);
    let total = text.width();
    let mut out = match total > width {
        true => take_columns(text, width.saturating_sub(1)),
        false => text.to_owned(),
    };
    if total > width && width > 0 {
        out.push('…');
    }
    let used = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// A count with its noun: `1 article`, `3 articles`, `2 matches`.
pub fn plural(n: usize, noun: &str) -> String {
    let ending = match n {
        1 => "",
        _ if ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| noun.ends_with(e)) =>
        {
            "es"
        }
        _ => "s",
    };
    format!("{n} {noun}{ending}")
}

/// `text` with any forbidden char replaced (one char for one, so that char offsets hold).
pub fn shown_text(text: &str) -> String {
    text.chars()
        .map(|c| if is_forbidden(c) { '\u{fffd}' } else { c })
        .collect()
}

/// The longest start of `text` that fits in `columns` columns.
fn take_columns(text: &str, columns: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= columns
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_what_fits_and_marks_a_cut() {
        assert_eq!(shorten("a  quick\n fox", 20), "a quick fox");
        assert_eq!(shorten("the quick fox", 7), "the qu…");
        assert_eq!(shorten("anything", 0), "…");
        assert_eq!(shorten("ab", 1), "…");
    }

    #[test]
    fn shorten_counts_cjk_as_two_columns() {
        // Six characters, twelve columns.
        let text = "東京の天気予報";
        assert_eq!(shorten(text, 14), text);
        assert_eq!(shorten(text, 7), "東京の…");
        assert_eq!(shorten(text, 6).width(), 5);
        assert!(shorten("新闻报道中文", 9).width() <= 9);
    }

    #[test]
    fn pad_fills_or_cuts_to_the_width() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad("abc", 0), "");
        assert_eq!(pad("東京都", 6), "東京都");
        // A wide character that would cross the edge is dropped and its column padded.
        assert_eq!(pad("東京都", 4), "東… ");
        assert_eq!(pad("東京都", 5), "東京…");
    }

    #[test]
    fn plural_names_the_count() {
        assert_eq!(plural(1, "article"), "1 article");
        assert_eq!(plural(0, "claim"), "0 claims");
        assert_eq!(plural(3, "match"), "3 matches");
        assert_eq!(plural(2, "box"), "2 boxes");
        assert_eq!(plural(1, "match"), "1 match");
    }
}
