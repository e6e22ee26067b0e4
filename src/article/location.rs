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
    fn invalid_utf8_is_located() {
        let bytes = b"+++\nti\xfftle";
        assert_eq!(Location::of_byte(bytes, 6), Location { line: 2, col: 3 });
    }
}
