//! Sentences of an article's plain text, as byte ranges: Unicode sentence boundaries (UAX #29, which
//! ends Chinese and Japanese sentences at `。！？` as well), never across a paragraph, white space trimmed
//! from both ends so that a passage cuts exactly the sentence.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// The longest sentence kept whole, in bytes; a longer run of text (a list or a table with no stops) is
/// cut at the white space nearest below each multiple of it, so that no window is unbounded.
const LONGEST: usize = 2_000;

/// The sentences of `text`, in order, as byte ranges of `text` with no white space at either end.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // An opening quote or bracket that UAX #29 left at the end of a sentence starts the next one.
    let mut carried: Option<usize> = None;
    for (at, piece) in text.split_sentence_bound_indices() {
        for line in split_lines(piece) {
            let offset = at + (line.as_ptr() as usize - piece.as_ptr() as usize);
            let lead = line.len() - line.trim_start().len();
            let start = carried.take().unwrap_or(offset + lead);
            let body = line.trim_end();
            let without = body.trim_end_matches(is_opening);
            if without.len() < body.len() {
                carried = Some(offset + without.len());
            }
            let end = offset + without.trim_end().len();
            if end > start && !text[start..end].trim().is_empty() {
                cut_long(text, start..end, &mut out);
            }
        }
    }
    out
}

/// Opening quotes and brackets, which belong to the sentence after them (straight quotes open and close
/// alike, so they stay where UAX #29 puts them).
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '「' | '『' | '（' | '《' | '〈' | '【' | '(' | '['
    )
}

/// A piece split at blank lines (UAX #29 breaks after a line break only when a stop precedes it in
/// some cases; a paragraph break always ends a sentence here).
fn split_lines(piece: &str) -> impl Iterator<Item = &str> {
    piece.split("\n\n")
}

/// Pushes `range` of `text`, cut into pieces of at most [`LONGEST`] bytes at white space.
fn cut_long(text: &str, mut range: Range<usize>, out: &mut Vec<Range<usize>>) {
    while range.len() > LONGEST {
        let mut cut = range.start + LONGEST;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = &text[range.start..cut];
        let end = head
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0)
            .map_or(cut, |i| range.start + i);
        let piece = text[range.start..end].trim_end();
        out.push(range.start..range.start + piece.len());
        let rest = &text[end..range.end];
        range = range.end - rest.trim_start().len()..range.end;
    }
    if !range.is_empty() {
        out.push(range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn english_sentences_keep_abbreviations_and_never_cross_paragraphs() {
        assert_eq!(
            texts(
                "The U.S. export rules bite. Alibaba said so!  Did it?\n\nA heading\n\nLast one."
            ),
            [
                "The U.S. export rules bite.",
                "Alibaba said so!",
                "Did it?",
                "A heading",
                "Last one."
            ]
        );
    }

    #[test]
    fn chinese_and_japanese_sentences_end_at_full_width_stops() {
        assert_eq!(
            texts("美国限制芯片出口。阿里云取消分拆！真的吗？“是的。”他说。"),
            [
                "美国限制芯片出口。",
                "阿里云取消分拆！",
                "真的吗？",
                "“是的。”",
                "他说。"
            ]
        );
        assert_eq!(
            texts("東京で地震が発生した。被害は不明です。"),
            ["東京で地震が発生した。", "被害は不明です。"]
        );
    }

    #[test]
    fn offsets_cut_the_sentence_exactly() {
        let text = "  First one.   Second 芯片 one.  ";
        let ranges = sentences(text);
        assert_eq!(&text[ranges[0].clone()], "First one.");
        assert_eq!(&text[ranges[1].clone()], "Second 芯片 one.");
        assert!(sentences("  \n\n ").is_empty());
    }

    #[test]
    fn a_run_of_text_without_stops_is_cut_into_bounded_pieces() {
        let text = "word ".repeat(2_000);
        let ranges = sentences(&text);
        assert!(ranges.len() >= 5, "{}", ranges.len());
        assert!(ranges.iter().all(|r| r.len() <= LONGEST && !r.is_empty()));
        assert!(ranges.iter().all(|r| !text[r.clone()].starts_with(' ')));
        let cjk = "芯".repeat(3_000);
        assert!(sentences(&cjk).iter().all(|r| r.len() <= LONGEST));
    }
}
