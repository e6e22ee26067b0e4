//! The wrap cache: an article's text broken into screen lines by display width (wide characters never
//! split), computed once per width. Each line knows its byte range and its first char offset, so that a
//! reading position (a char offset) survives a resize and highlights map onto lines.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

/// One screen line of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Byte range in the text (no trailing newline or break spaces).
    pub start: usize,
    pub end: usize,
    /// Char (scalar) offset of `start`.
    pub char_start: usize,
}

/// The text wrapped at one width.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wrapped {
    pub width: u16,
    pub lines: Vec<Line>,
}

impl Wrapped {
    /// Wraps `text` to `width` columns (at least 1): at spaces where possible, anywhere in a word too long.
    pub fn new(text: &str, width: u16) -> Wrapped {
        let width = width.max(1);
        let max = usize::from(width);
        let mut lines = Vec::with_capacity(text.len() / max + 8);
        let mut char_base = 0;
        let mut byte_base = 0;
        for para in text.split('\n') {
            wrap_line(para, byte_base, char_base, max, &mut lines);
            byte_base += para.len() + 1;
            char_base += para.chars().count() + 1;
        }
        Wrapped { width, lines }
    }

    /// The index of the line holding char offset `pos`.
    pub fn line_of(&self, pos: usize) -> usize {
        self.lines
            .partition_point(|l| l.char_start <= pos)
            .saturating_sub(1)
    }

    /// The text of line `i`.
    pub fn text<'t>(&self, text: &'t str, i: usize) -> &'t str {
        self.lines
            .get(i)
            .and_then(|l| text.get(l.start..l.end))
            .unwrap_or("")
    }
}

fn wrap_line(para: &str, byte_base: usize, char_base: usize, max: usize, out: &mut Vec<Line>) {
    // Current line: start byte/char; width so far; the last break (after a run of spaces).
    let (mut start, mut start_char) = (0usize, 0usize);
    let mut used = 0usize;
    let mut brk: Option<(usize, usize, usize, usize)> = None; // (line end byte, next start byte, next char, width at next)
    let mut in_space_end = 0usize;
    for (ci, (bi, c)) in para.char_indices().enumerate() {
        let w = c.width().unwrap_or(0);
        if c == ' ' {
            if used == 0 && bi == start {
                // Spaces at the start of a continuation line are dropped.
                start = bi + 1;
                start_char = ci + 1;
                continue;
            }
            if in_space_end != bi {
                brk = Some((bi, bi + 1, ci + 1, used + w));
            } else if let Some(b) = brk.as_mut() {
                *b = (b.0, bi + 1, ci + 1, used + w);
            }
            in_space_end = bi + 1;
            used += w;
            continue;
        }
        if used + w > max && used > 0 {
            match brk.take() {
                Some((end, next, next_char, at)) if next > start => {
                    out.push(line(byte_base, char_base, start, end, start_char));
                    start = next;
                    start_char = next_char;
                    used -= at.min(used);
                }
                _ => {
                    out.push(line(byte_base, char_base, start, bi, start_char));
                    start = bi;
                    start_char = ci;
                    used = 0;
                }
            }
            // A run of the rest may still be too wide (a long word after a break).
            if used + w > max && used > 0 {
                out.push(line(byte_base, char_base, start, bi, start_char));
                start = bi;
                start_char = ci;
                used = 0;
            }
        }
        used += w;
    }
    out.push(line(byte_base, char_base, start, para.len(), start_char));
}

fn line(byte_base: usize, char_base: usize, start: usize, end: usize, start_char: usize) -> Line {
    Line {
        start: byte_base + start,
        end: byte_base + end.max(start),
        char_start: char_base + start_char,
    }
}

/// The parts of `ranges` (char offsets into the whole text, sorted) that fall in the line starting at char
/// `line_start` and `line_chars` long, relative to the line.
pub fn ranges_in_line(
    ranges: &[Range<usize>],
    line_start: usize,
    line_chars: usize,
) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    let line_end = line_start + line_chars;
    let first = ranges.partition_point(|r| r.end <= line_start);
    ranges[first..]
        .iter()
        .enumerate()
        .take_while(move |(_, r)| r.start < line_end)
        .map(move |(i, r)| {
            (
                first + i,
                r.start.max(line_start) - line_start..r.end.min(line_end) - line_start,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn shown(text: &str, width: u16) -> Vec<String> {
        let w = Wrapped::new(text, width);
        (0..w.lines.len())
            .map(|i| w.text(text, i).to_owned())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        assert_eq!(shown("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(shown("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(shown("a\n\nb", 3), ["a", "", "b"]);
        assert_eq!(shown("ab  cdefgh ij", 4), ["ab", "cdef", "gh", "ij"]);
    }

    #[test]
    fn wide_characters_never_cross_the_edge() {
        let text = "漢字漢字漢字 emoji 😀😀😀 x";
        for width in 1..12u16 {
            let w = Wrapped::new(text, width);
            for i in 0..w.lines.len() {
                let line = w.text(text, i);
                assert!(
                    line.width() <= usize::from(width).max(2),
                    "{width}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn char_offsets_and_line_lookup() {
        let text = "é b\nc d e";
        let w = Wrapped::new(text, 3);
        let starts: Vec<_> = w.lines.iter().map(|l| l.char_start).collect();
        assert_eq!(starts, [0, 4, 8]);
        assert_eq!(w.line_of(5), 1);
        assert_eq!(w.line_of(100), 2);
    }
}
