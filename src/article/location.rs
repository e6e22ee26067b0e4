//! Line and column positions in a source file, for error messages that name `file:line:col`.

use std::fmt;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub col: usize,
}

impl Location {
    /// The start of a file.
    pub const START: Location = Location { line: 1, col: 1 };

    /// The location of byte `offset` in `text` (clamped to its length and to a char boundary).
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { line, col }
    }

    /// The location of byte `offset` in bytes that are valid UTF-8 up to that offset.
    pub fn of_byte(bytes: &[u8], offset: usize) -> Location {
        let valid = &bytes[..offset.min(bytes.len())];
        let text = std::str::from_utf8(valid).unwrap_or_default();
        Location::of_offset(text, text.len())
    }

    /// This location moved down by `lines` lines (for text that starts part-way through a file).
    pub fn below(self, lines: usize) -> Location {
        Location {
            line: self.line + lines,
            col: self.col,
        }
    }
}

/// The locations of many offsets in one text (every key or table of a file). The line starts are found
/// once, so each offset costs only its own line, where [`Location::of_offset`] reads all the text before
/// it: locating one item per line of a file is linear in the file, not quadratic.
#[derive(Debug, Clone)]
pub struct Locator<'a> {
    text: &'a str,
    /// The byte offset where each line starts; the first is 0.
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        let after_newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Locator {
            text,
            line_starts: std::iter::once(0).chain(after_newlines).collect(),
        }
    }

    /// The location of byte `offset`, as [`Location::of_offset`] gives it.
    pub fn locate(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // Line starts at or before the offset; the first, 0, always is.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let col = self.text[line_start..offset].chars().count() + 1;
        Location { line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "ab\ncdé\nf";
        assert_eq!(Location::of_offset(text, 0), Location { line: 1, col: 1 });
        assert_eq!(Location::of_offset(text, 3), Location { line: 2, col: 1 });
        assert_eq!(Location::of_offset(text, 7), Location { line: 2, col: 4 });
        assert_eq!(Location::of_offset(text, 100), Location { line: 3, col: 2 });
    }

    #[test]
    fn the_locator_agrees_with_of_offset() {
        for text in ["", "\n", "ab\ncdé\nf", "\n\nx\n", "中文\r\n😀\n\n"] {
            let locator = Locator::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    locator.locate(offset),
                    Location::of_offset(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn invalid_utf8_is_located() {
        let bytes = b"+++\nti\xfftle";
        assert_eq!(Location::of_byte(bytes, 6), Location { line: 2, col: 3 });
    }
}
