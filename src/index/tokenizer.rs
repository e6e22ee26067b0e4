//! The tokenizer for article text: words of letters and digits, and, for Chinese, Japanese and Korean
//! text (which has no spaces between words), overlapping character bigrams.
//!
//! Bigrams need no dictionary (lindera would have to download one at build time; jieba covers Chinese
//! alone) and work alike for Chinese and Japanese: `芯片` is the bigram `芯片`, and `中国芯片` is the phrase
//! `中国 国芯 芯片`, so a query matches where its characters stand together. A run of a single CJK character
//! is a unigram. Latin words inside CJK text are words as usual (`华为Mate60` gives `华为` and `Mate60`).

use std::iter::Peekable;
use std::str::CharIndices;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words and CJK bigrams (see the module docs).
#[derive(Clone, Default)]
pub struct WordsAndBigrams {
    token: Token,
}

impl Tokenizer for WordsAndBigrams {
    type TokenStream<'a> = Stream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream<'a> {
        self.token.reset();
        Stream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
            previous_cjk: None,
            pair_emitted: false,
        }
    }
}

pub struct Stream<'a> {
    text: &'a str,
    chars: Peekable<CharIndices<'a>>,
    token: &'a mut Token,
    /// The last CJK character of the current run and its byte offset.
    previous_cjk: Option<(usize, char)>,
    /// Whether the current CJK run has given a bigram yet.
    pair_emitted: bool,
}

/// Whether `c` is written without spaces between words: Han, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F // Han
        | 0x3005..=0x3007 | 0x3021..=0x3029 // 々 〆 〇, Hangzhou numerals
        | 0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // kana
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF // Hangul
    )
}

impl Stream<'_> {
    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        true
    }

    /// Ends the current CJK run: a run of one character is a unigram.
    fn end_run(&mut self) -> Option<(usize, usize)> {
        let (at, c) = self.previous_cjk.take()?;
        (!self.pair_emitted).then(|| (at, at + c.len_utf8()))
    }

    fn word_from(&mut self, start: usize) -> (usize, usize) {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if !c.is_alphanumeric() || is_cjk(c) {
                break;
            }
            end = i + c.len_utf8();
            self.chars.next();
        }
        (start, end)
    }
}

impl TokenStream for Stream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(&(i, c)) = self.chars.peek() {
            if is_cjk(c) {
                self.chars.next();
                match self.previous_cjk.replace((i, c)) {
                    Some((at, _)) => {
                        self.pair_emitted = true;
                        return self.emit(at, i + c.len_utf8());
                    }
                    None => self.pair_emitted = false,
                }
                continue;
            }
            if let Some((from, to)) = self.end_run() {
                return self.emit(from, to);
            }
            if c.is_alphanumeric() {
                let (from, to) = self.word_from(i);
                return self.emit(from, to);
            }
            self.chars.next();
        }
        match self.end_run() {
            Some((from, to)) => self.emit(from, to),
            None => false,
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// How many tokens [`WordsAndBigrams`] cuts `text` into, without making them: a token's position in the
/// index is its number in that stream, so a count finds which part of a text a position falls in.
pub fn count_tokens(text: &str) -> usize {
    let (mut count, mut in_word, mut cjk_run) = (0, false, 0usize);
    // A CJK run of n characters gives n - 1 bigrams, or one unigram when n is 1.
    let end_run = |count: &mut usize, run: &mut usize| {
        if *run > 0 {
            *count += (*run - 1).max(1);
            *run = 0;
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word, cjk, width) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), false, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), is_cjk(c), c.len_utf8())
        };
        if cjk {
            in_word = false;
            cjk_run += 1;
        } else {
            end_run(&mut count, &mut cjk_run);
            if word && !in_word {
                count += 1;
            }
            in_word = word;
        }
        i += width;
    }
    end_run(&mut count, &mut cjk_run);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut tokenizer = WordsAndBigrams::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            assert_eq!(&text[t.offset_from..t.offset_to], t.text);
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn words_bigrams_and_unigrams() {
        assert_eq!(tokens("US chips, 2023."), ["US", "chips", "2023"]);
        assert_eq!(tokens("中国芯片"), ["中国", "国芯", "芯片"]);
        assert_eq!(tokens("芯"), ["芯"]);
        assert_eq!(tokens("华为Mate60发布"), ["华为", "Mate60", "发布"]);
        assert_eq!(
            tokens("地震が発生。東"),
            ["地震", "震が", "が発", "発生", "東"]
        );
        assert_eq!(tokens("AI 芯片 export"), ["AI", "芯片", "export"]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(tokens("。、"), Vec::<String>::new());
    }

    #[test]
    fn positions_count_up_from_zero() {
        let mut tokenizer = WordsAndBigrams::default();
        let mut stream = tokenizer.token_stream("中国芯片 x");
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push(stream.token().position);
        }
        assert_eq!(positions, [0, 1, 2, 3]);
    }

    proptest::proptest! {
        #[test]
        fn the_count_is_the_number_of_tokens_cut(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", "é", "ß", "٣", " ", "\n", "\n\n", ".", "-", "。", "、", "“",
                    "芯", "片", "が", "ア", "한", "々", "🙂", "\u{300}",
                ]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(count_tokens(&text), tokens(&text).len(), "{:?}", text);
        }
    }
}
