//! Moving the reader's cursor through the text: the words, sentences and paragraphs of an article as char
//! ranges (Unicode word and sentence boundaries, so CJK text and emoji move as a reader expects), and the
//! motions over them.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// An article's words, sentences and paragraphs, as sorted char ranges (computed once per article).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segments {
    pub words: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    pub paragraphs: Vec<Range<usize>>,
    /// The text's length in chars.
    pub len: usize,
}

/// Which unit a motion moves by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Word,
    Sentence,
    Paragraph,
}

impl Segments {
    pub fn new(text: &str) -> Segments {
        let mut segments = Segments::default();
        let mut chars = 0;
        for line in text.split('\n') {
            let count = line.chars().count();
            if !line.trim().is_empty() {
                let trimmed = line.trim_end().chars().count();
                let lead = line.chars().take_while(|c| c.is_whitespace()).count();
                segments.paragraphs.push(chars + lead..chars + trimmed);
                let bytes = ByteChars::new(line, chars);
                for (at, word) in line.split_word_bound_indices() {
                    if word.chars().any(char::is_alphanumeric) {
                        segments.words.push(bytes.range(at, word));
                    }
                }
                for (at, sentence) in line.split_sentence_bound_indices() {
                    let sentence = sentence.trim_end();
                    if !sentence.trim().is_empty() {
                        let lead = sentence.len() - sentence.trim_start().len();
                        segments
                            .sentences
                            .push(bytes.range(at + lead, &sentence[lead..]));
                    }
                }
            }
            chars += count + 1;
        }
        segments.len = chars.saturating_sub(1);
        segments
    }

    fn of(&self, unit: Unit) -> &[Range<usize>] {
        match unit {
            Unit::Word => &self.words,
            Unit::Sentence => &self.sentences,
            Unit::Paragraph => &self.paragraphs,
        }
    }

    /// The last char of the unit that ends after `at` (the end of this word, or of the next).
    pub fn next_end(&self, unit: Unit, at: usize) -> usize {
        let ranges = self.of(unit);
        let i = ranges.partition_point(|r| r.end.saturating_sub(1) <= at);
        ranges.get(i).map_or(at, |r| r.end - 1)
    }

    /// The first char of the unit that starts before `at` (the start of this word, or of the one before).
    pub fn prev_start(&self, unit: Unit, at: usize) -> usize {
        let ranges = self.of(unit);
        let i = ranges.partition_point(|r| r.start < at);
        if i == 0 { at } else { ranges[i - 1].start }
    }

    /// The first char of the next unit after `at`.
    pub fn next_start(&self, unit: Unit, at: usize) -> usize {
        let ranges = self.of(unit);
        let i = ranges.partition_point(|r| r.start <= at);
        ranges.get(i).map_or(at, |r| r.start)
    }
}

/// Maps byte offsets in one line to char offsets in the whole text.
struct ByteChars {
    /// Char index of every byte that starts a char, by byte.
    starts: Vec<usize>,
    base: usize,
}

impl ByteChars {
    fn new(line: &str, base: usize) -> ByteChars {
        let mut starts = vec![0; line.len() + 1];
        for (n, (b, _)) in line.char_indices().enumerate() {
            starts[b] = n;
        }
        starts[line.len()] = line.chars().count();
        ByteChars { starts, base }
    }

    fn range(&self, at: usize, piece: &str) -> Range<usize> {
        self.base + self.starts[at]..self.base + self.starts[at + piece.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(text: &str, r: &Range<usize>) -> String {
        text.chars().skip(r.start).take(r.len()).collect()
    }

    #[test]
    fn words_sentences_and_paragraphs() {
        let text = "One two. Three four!\n\n阿里云在故障。影响了服务。 😀 end";
        let s = Segments::new(text);
        let words: Vec<_> = s.words.iter().map(|r| text_of(text, r)).collect();
        assert_eq!(&words[..4], ["One", "two", "Three", "four"]);
        let sentences: Vec<_> = s.sentences.iter().map(|r| text_of(text, r)).collect();
        assert_eq!(
            sentences,
            [
                "One two.",
                "Three four!",
                "阿里云在故障。",
                "影响了服务。",
                "😀 end"
            ]
        );
        assert_eq!(s.paragraphs.len(), 2);
        assert_eq!(s.next_end(Unit::Sentence, 0), 7);
        assert_eq!(s.next_end(Unit::Sentence, 7), 19);
        assert_eq!(s.prev_start(Unit::Sentence, 12), 9);
        assert_eq!(s.next_start(Unit::Word, 0), 4);
        assert_eq!(s.next_end(Unit::Paragraph, 0), 19);
        assert_eq!(s.next_end(Unit::Paragraph, 19), text.chars().count() - 1);
    }
}
