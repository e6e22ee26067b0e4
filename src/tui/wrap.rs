//! The wrap cache: an article's text broken into screen lines by display width (wide characters never
//! split; CJK text breaks between characters, keeping the line-breaking rules for its punctuation),
//! computed once per width. Each line knows its byte range and its first char offset, so that a
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
    // Current line: start byte/char; width so far; the last break (after a run of spaces, or between two
    // chars where CJK text may break).
    let (mut start, mut start_char) = (0usize, 0usize);
    let mut used = 0usize;
    let mut brk: Option<(usize, usize, usize, usize)> = None; // (line end byte, next start byte, next char, width at next)
    let mut in_space_end = 0usize;
    let mut prev: Option<char> = None;
    for (ci, (bi, c)) in para.char_indices().enumerate() {
        let w = c.width().unwrap_or(0);
        let before = prev.replace(c);
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
        if bi > start && before.is_some_and(|b| b != ' ' && cjk_break(b, c)) {
            brk = Some((bi, bi, ci, used));
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

/// Whether a line may break between `before` and `after` with no space between them: next to a CJK
/// character, unless `after` may not start a line (closing punctuation, small kana, the prolonged sound
/// mark) or `before` may not end one (opening brackets), the Japanese and Chinese line-breaking rules
/// (kinsoku).
fn cjk_break(before: char, after: char) -> bool {
    (is_wide_text(before) || is_wide_text(after)) && !no_line_start(after) && !no_line_end(before)
}

/// CJK ideographs, kana, hangul, CJK and full-width punctuation: text that breaks between characters.
fn is_wide_text(c: char) -> bool {
    crate::translation::align::is_cjk(c)
}

/// Characters that may not start a line.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | '」'
            | '』'
            | '）'
            | '】'
            | '》'
            | '〉'
            | '〕'
            | '］'
            | '｝'
            | '〗'
            | '〙'
            | '”'
            | '’'
            | 'ー'
            | '々'
            | '〻'
            | '・'
            | '…'
            | '‥'
            | '〜'
            | '～'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '゛'
            | '゜'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | '％'
            | '.'
            | ','
            | ':'
            | ';'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// Characters that may not end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '【'
            | '《'
            | '〈'
            | '〔'
            | '［'
            | '｛'
            | '〖'
            | '〘'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
            | '＄'
            | '￥'
            | '$'
    )
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

    #[test]
    fn cjk_breaks_between_characters_keeping_punctuation_rules() {
        // 。 may not start a line: the char before it goes down with it.
        assert_eq!(shown("一二三四。五", 8), ["一二三", "四。五"]);
        // 「 may not end a line: it goes down with what it opens.
        assert_eq!(shown("一二三「四五」", 8), ["一二三", "「四五」"]);
        // Latin text before CJK text breaks between them, not at the last space.
        assert_eq!(shown("US AI芯片出口限制", 10), ["US AI芯片", "出口限制"]);
        assert_eq!(shown("出口限制，芯片", 8), ["出口限", "制，芯片"]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        let text = "阿里巴巴集团宣布，不再推进阿里云的完全分拆。公司表示，美国扩大对先进计算芯片的出口限制（包括“AI芯片”），\
            给云业务带来了不确定性！分析人士认为：算力需求仍在上升？";
        // From 8 columns up (the longest run that may not break, 片”）， is 7 wide).
        for width in 8..40u16 {
            let w = Wrapped::new(text, width);
            for i in 0..w.lines.len() {
                let line = w.text(text, i);
                assert!(line.width() <= usize::from(width), "{width}: {line:?}");
                let first = line.chars().next().unwrap();
                assert!(i == 0 || !no_line_start(first), "{width}: {line:?}");
                let last = line.chars().last().unwrap();
                assert!(!no_line_end(last), "{width}: {line:?}");
            }
            let joined: String = (0..w.lines.len()).map(|i| w.text(text, i)).collect();
            assert_eq!(joined, text);
        }
    }
}
