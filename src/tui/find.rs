//! Find in an article: every case-insensitive occurrence of a string, as char ranges into the text.

use std::ops::Range;

/// `text` with every char lower-cased to one char, so that char offsets stay the same.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Every occurrence of `needle` in `folded` (made by [`fold`]), as char ranges.
pub fn find_all(folded: &str, needle: &str) -> Vec<Range<usize>> {
    let needle = fold(needle);
    if needle.is_empty() {
        return Vec::new();
    }
    let len = needle.chars().count();
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0usize, 0usize);
    for (at, _) in folded.match_indices(&needle) {
        chars += folded[byte..at].chars().count();
        byte = at;
        out.push(chars..chars + len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_without_case_in_char_offsets() {
        let folded = fold("Éa éA ÉA");
        assert_eq!(find_all(&folded, "éa"), [0..2, 3..5, 6..8]);
        assert!(find_all(&folded, "").is_empty());
        assert_eq!(find_all(&fold("aaa"), "aa").len(), 1);
    }
}
