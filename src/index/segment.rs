//! Word boundaries in Chinese and Japanese text, a second signal beside the bigrams.
//!
//! Bigrams find every place where a query's characters stand together, including places where they only
//! straddle two words (`和平` in `平台和平台内`, platforms and the sellers on them, is `和` + `平台`). A
//! segmenter tells the two apart: jieba for Chinese, whose dictionary is compiled into the crate. An
//! occurrence of a query counts as a word when it begins and ends on word boundaries (`出口管制` is `出口` +
//! `管制`), or when it begins or ends a longer word that holds it (`人民` in `人民共和国`); else it
//! straddles. jieba's long dictionary words are split into the fewest shorter ones (`中华人民共和国` is
//! `中华` + `人民` + `共和国`), so that the words inside names and set phrases are still found. A Chinese
//! hit whose every occurrence straddles is dropped.
//!
//! Text with kana is Japanese. No one segmenter that builds without downloading a dictionary splits it
//! well enough to drop hits by, so three are asked: the cheapest cut by the word costs of ICU's dictionary
//! ([`lattice`]: `新|内閣`, `東京|都`, `日本|人`), ICU's own longest-match segmenter (`新内|閣`, but
//! `外国|籍` where the costs give `外|国籍`) and TinySegmenter ([`tiny`], a small model of its own: `外国産`).
//! Where the costs barely decide a boundary ([`CLOSE_CALL`]) and the other two agree against the cheapest
//! cut, they decide (`評議|員`, where the costs give `評|議員` by 16), except after a number, where the
//! run's first character is the number's counter (`第170回|国会`). An occurrence counts as a word when it
//! is one by that cut, as in Chinese; or when the longest match puts boundaries at both its ends and
//! TinySegmenter begins a word with it that ends with it or later (`外国` in `外国籍`). TinySegmenter ending
//! a longer word with it is no evidence: Japanese compounds end in suffixes (`日本人`, `東京都`). A Japanese
//! hit whose every occurrence straddles is dropped: 京都 in `東京|都`, 本人 in `日本|人`, 会議 in
//! `県議会|議長`.
//!
//! The decisions are made once, at index time: the field [`WORDS_TOKENIZER`] indexes, per bigram `ab`,
//! the bigram itself, `<ab` when a word begins at `a`, `ab>` when one ends after `b`, and `=ab` when no
//! boundary falls between them (by jieba, or by the cheapest cut in Japanese); in Japanese also `{ab` where
//! the longest match and TinySegmenter both begin a word at `a`, `ab]` where the longest match ends one
//! after `b` and `ab}` where TinySegmenter does too, and `~ab` where TinySegmenter has no boundary between
//! `a` and `b`: eight positions per bigram. A query then asks for its bigrams in a row, marked at the
//! ends ([`word_query`]), as one phrase search.

use std::sync::LazyLock;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;
use jieba_rs::Jieba;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::{Field, Term};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::tokenizer::is_cjk;

/// The tokenizer of the word-boundary field.
pub const WORDS_TOKENIZER: &str = "newsgloss_cjk_words";

/// Positions per bigram in the word-boundary field: `<ab`, `ab`, `=ab`, `ab>`, and in Japanese `{ab`,
/// `~ab`, `ab]`, `ab}`.
const SLOTS: usize = 8;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The one token of a value whose bigram matches all stay hits (Korean, text without a segmenter), at
/// position 0.
const UNSEGMENTED: &str = "*";

/// How much a hit where each CJK word of the query occurs as a word gains over one where none does: more
/// than the BM25 score of a query of a few words, so that such hits come first (where a note or a tag
/// holds the word, an article whose text only straddles it stays a hit).
const AS_WORD_BOOST: f32 = 100.0;

/// Whether `c` is kana, which only Japanese is written with.
fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF)
}

/// Whether `text` is segmented as Chinese: it has Han characters and no kana.
pub fn is_chinese(text: &str) -> bool {
    let mut han = false;
    for c in text.chars() {
        if is_kana(c) {
            return false;
        }
        han |= is_cjk(c) && !is_hangul(c);
    }
    han
}

/// Whether `text` is segmented as Japanese: it has kana.
pub fn is_japanese(text: &str) -> bool {
    text.chars().any(is_kana)
}

/// The value to index in the word-boundary field for an article, when it has two CJK characters in a row.
pub fn words_value(title: &str, body: &str) -> Option<String> {
    let has_pair = |text: &str| {
        let mut previous = false;
        text.chars().any(|c| {
            let pair = previous && is_cjk(c);
            previous = is_cjk(c);
            pair
        })
    };
    (has_pair(title) || has_pair(body)).then(|| format!("{title}\n{body}"))
}

/// Where words begin and end in `run` (a run of CJK characters in Chinese text), as one flag per
/// character offset from 0 to its length. Hangul, which jieba does not know, has a boundary between every
/// two characters, so that the bigrams alone decide there.
pub fn boundaries(run: &str) -> Vec<bool> {
    let chars = run.chars().count();
    let mut at = vec![false; chars + 1];
    at[0] = true;
    at[chars] = true;
    if run.chars().all(is_hangul) {
        at.fill(true);
        return at;
    }
    for token in JIEBA.cut(run, false) {
        at[token.start] = true;
        at[token.end] = true;
        if token.end - token.start >= LONG_WORD {
            split_long(token.word, token.start, &mut at);
        }
    }
    at
}

/// The shortest dictionary word that is split further: jieba's dictionary has long names and set phrases
/// (`中华人民共和国`, `国务院发展研究中心`) whose parts a reader still sees as words.
const LONG_WORD: usize = 4;

/// Marks in `at` (from `offset`) where the parts of a long `word` meet, and so on inside each long part:
/// `中华人民共和国` is `中华` + `人民共和国`, and that is `人民` + `共和国`; `光合作用` is `光合` + `作用`.
fn split_long(word: &str, offset: usize, at: &mut [bool]) {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut edges = tiling(word);
    edges.push(chars.len());
    let mut from = 0;
    for to in edges {
        at[offset + to] = true;
        if to - from >= LONG_WORD && to - from < chars.len() {
            let end = chars.get(to).map_or(word.len(), |c| c.0);
            split_long(&word[chars[from].0..end], offset + from, at);
        }
        from = to;
    }
}

/// The inner edges of the best tiling of `word` by shorter dictionary words or single characters: the
/// fewest single characters, then the fewest pieces (`国会` + `议员`, not `国` + `会议员`).
fn tiling(word: &str) -> Vec<usize> {
    let n = word.chars().count();
    let pieces: Vec<(usize, usize)> = JIEBA
        .cut_all(word)
        .into_iter()
        .map(|t| (t.start, t.end))
        .filter(|&(start, end)| end - start < n && end - start > 1)
        .chain((0..n).map(|i| (i, i + 1)))
        .collect();
    // The best cost (single characters, pieces) of tiling the first `i` characters, and where the last
    // piece starts.
    let mut best: Vec<Option<((usize, usize), usize)>> = vec![None; n + 1];
    best[0] = Some(((0, 0), 0));
    for end in 1..=n {
        for &(start, _) in pieces.iter().filter(|p| p.1 == end) {
            let Some(((singles, count), _)) = best[start] else {
                continue;
            };
            let cost = (singles + usize::from(end - start == 1), count + 1);
            if best[end].is_none_or(|(known, _)| cost < known) {
                best[end] = Some((cost, start));
            }
        }
    }
    let mut inner = Vec::new();
    let mut at = best[n].map_or(0, |b| b.1);
    while at > 0 {
        inner.push(at);
        at = best[at].map_or(0, |b| b.1);
    }
    inner.reverse();
    inner
}

/// Where words begin and end in `run` (a run of CJK characters in Japanese text) by ICU's longest-match
/// dictionary segmenter, as one flag per character offset from 0 to its length.
pub fn longest_match_boundaries(run: &str) -> Vec<bool> {
    let offsets: Vec<usize> = run.char_indices().map(|(at, _)| at).collect();
    let mut at = vec![false; offsets.len() + 1];
    at[0] = true;
    at[offsets.len()] = true;
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    for byte in segmenter.segment_str(run) {
        if let Ok(k) = offsets.binary_search(&byte) {
            at[k] = true;
        }
    }
    at
}

/// Whether the characters `start..end` of a run with these `boundaries` are a word: they begin and end on
/// boundaries, or no boundary falls inside them and they begin or end on one.
pub fn is_word(boundaries: &[bool], start: usize, end: usize) -> bool {
    let (begins, ends) = (boundaries[start], boundaries[end]);
    let inside = (start + 1..end).any(|i| boundaries[i]);
    (begins && ends) || (!inside && (begins || ends))
}

/// How much more a cut must cost than the cheapest for the boundary between them to count as barely
/// decided by the dictionary's costs (a word costs from about 50, frequent, to 255, unknown).
const CLOSE_CALL: u32 = 25;

/// The three segmentations of a run of Japanese text.
pub struct JapaneseBoundaries {
    /// The cheapest cut by the dictionary's word costs ([`lattice::cut_with_margins`]), moved where the
    /// costs barely decide and the other two agree, with long words cut again into their parts.
    pub cheapest: Vec<bool>,
    /// ICU's longest-match segmenter's.
    pub longest_match: Vec<bool>,
    /// TinySegmenter's.
    pub tiny: Vec<bool>,
}

impl JapaneseBoundaries {
    /// The segmentations of `run`; `after_number` when it follows a digit, as a counter does (`第170回国会`:
    /// `回` is the number's, not a word with what follows).
    pub fn of(run: &str, after_number: bool) -> Self {
        let longest_match = longest_match_boundaries(run);
        let tiny = tiny::boundaries(run);
        let (mut cheapest, margins) = lattice::cut_with_margins(run);
        // Where the costs barely decide, the other two decide when they agree.
        let first = if after_number { 2 } else { 1 };
        for i in first..cheapest.len().saturating_sub(1) {
            if margins[i] < CLOSE_CALL && longest_match[i] != cheapest[i] && tiny[i] != cheapest[i]
            {
                cheapest[i] = !cheapest[i];
            }
        }
        let chars: Vec<char> = run.chars().collect();
        lattice::split_long_words(&chars, &mut cheapest);
        Self {
            cheapest,
            longest_match,
            tiny,
        }
    }

    /// Whether the characters `start..end` are a word: by the cheapest cut; or the longest match begins
    /// and ends on them and TinySegmenter begins a word on them that ends with them or after them.
    pub fn is_word(&self, start: usize, end: usize) -> bool {
        let (longest, tiny) = (&self.longest_match, &self.tiny);
        let tiny_inside = (start + 1..end).any(|i| tiny[i]);
        is_word(&self.cheapest, start, end)
            || (longest[start] && longest[end] && tiny[start] && (tiny[end] || !tiny_inside))
    }
}

/// The tokenizer of the word-boundary field (see the module docs).
#[derive(Clone, Default)]
pub struct WordBoundaries {
    tokens: Vec<Token>,
}

/// The tokens of one value, handed out in order.
pub struct BoundaryStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for WordBoundaries {
    type TokenStream<'a> = BoundaryStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoundaryStream<'a> {
        self.tokens.clear();
        let mut position = 0;
        if is_chinese(text) {
            for (from, run) in cjk_runs(text) {
                let at = boundaries(run);
                let marks = |k: usize| chinese_marks(&at, k);
                position = push_run(&mut self.tokens, from, run, marks, position) + SLOTS;
            }
        } else if is_japanese(text) {
            for (from, run) in cjk_runs(text) {
                let at = JapaneseBoundaries::of(run, follows_number(text, from));
                let marks = |k: usize| japanese_marks(&at, k);
                position = push_run(&mut self.tokens, from, run, marks, position) + SLOTS;
            }
        } else if cjk_runs(text).next().is_some() {
            self.tokens.push(Token {
                text: UNSEGMENTED.to_owned(),
                position: 0,
                ..Token::default()
            });
        }
        BoundaryStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for BoundaryStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Whether the run at byte `from` of `text` follows a digit (its first character a counter).
fn follows_number(text: &str, from: usize) -> bool {
    text[..from].ends_with(|c: char| c.is_numeric())
}

/// The runs of two or more CJK characters in `text`, with their byte offsets.
fn cjk_runs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !is_cjk(c))
        .filter(|run| run.chars().nth(1).is_some())
        .map(move |run| (run.as_ptr() as usize - text.as_ptr() as usize, run))
}

/// Which marks the bigram `k` of a run gets, one flag per slot: a word begins at its first character, it
/// is a bigram (always), no boundary falls between its characters, a word ends after it; then, in
/// Japanese, the longest match and TinySegmenter both begin a word there, TinySegmenter has no boundary
/// between its characters, the longest match ends a word after it, it and TinySegmenter both do.
type Marks = [bool; SLOTS];

/// The marks of bigram `k` in a Chinese run with these boundaries `at`.
fn chinese_marks(at: &[bool], k: usize) -> Marks {
    let mut marks = [false; SLOTS];
    marks[..4].copy_from_slice(&[at[k], true, !at[k + 1], at[k + 2]]);
    marks
}

/// The marks of bigram `k` in a Japanese run with these boundaries.
fn japanese_marks(at: &JapaneseBoundaries, k: usize) -> Marks {
    let (cheapest, longest, tiny) = (&at.cheapest, &at.longest_match, &at.tiny);
    [
        cheapest[k],
        true,
        !cheapest[k + 1],
        cheapest[k + 2],
        longest[k] && tiny[k],
        !tiny[k + 1],
        longest[k + 2],
        longest[k + 2] && tiny[k + 2],
    ]
}

/// The text of the token of `bigram` in `slot`.
fn marked(bigram: &str, slot: usize) -> String {
    const AROUND: [(&str, &str); SLOTS] = [
        ("<", ""),
        ("", ""),
        ("=", ""),
        ("", ">"),
        ("{", ""),
        ("~", ""),
        ("", "]"),
        ("", "}"),
    ];
    let (before, after) = AROUND[slot];
    format!("{before}{bigram}{after}")
}

/// Pushes the tokens of one run, the marks of its bigram `k` by `marks(k)`, its first bigram at
/// `position`; returns the position after its last.
fn push_run(
    tokens: &mut Vec<Token>,
    from: usize,
    run: &str,
    marks: impl Fn(usize) -> Marks,
    position: usize,
) -> usize {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let mut position = position;
    for (k, pair) in chars.windows(2).enumerate() {
        let (start, end) = (pair[0].0, pair[1].0 + pair[1].1.len_utf8());
        let bigram = &run[start..end];
        for (slot, on) in marks(k).into_iter().enumerate() {
            if on {
                tokens.push(Token {
                    offset_from: from + start,
                    offset_to: from + end,
                    position: position + slot,
                    text: marked(bigram, slot),
                    position_length: 1,
                });
            }
        }
        position += SLOTS;
    }
    position
}

/// The articles where `word` (two or more CJK characters) occurs as a word at least once, or whose
/// bigram matches all stay hits (no segmenter: Korean), in the word-boundary `field`; none for anything
/// else.
pub fn word_query(field: Field, word: &str) -> Option<Box<dyn Query>> {
    let unsegmented = TermQuery::new(
        Term::from_field_text(field, UNSEGMENTED),
        IndexRecordOption::Basic,
    );
    let mut clauses = word_phrases(field, word)?;
    clauses.push((Occur::Should, Box::new(unsegmented)));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The articles where `word` occurs as a word at least once, as `Should` clauses: one phrase per way of
/// being a word (see [`is_word`] and [`JapaneseBoundaries::is_word`]).
fn word_phrases(field: Field, word: &str) -> Option<Vec<(Occur, Box<dyn Query>)>> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 || !chars.iter().all(|&c| is_cjk(c)) {
        return None;
    }
    let bigrams: Vec<String> = chars.windows(2).map(|p| p.iter().collect()).collect();
    let last = bigrams.len() - 1;
    let term = |k: usize, slot: usize| {
        let text = marked(&bigrams[k], slot);
        (k * SLOTS + slot, Term::from_field_text(field, &text))
    };
    // A phrase that begins with the mark in slot `begins`, ends with the one in slot `ends`, and has the
    // mark in slot `each` on every bigram.
    let phrase = |begins: usize, each: usize, ends: usize| {
        let terms: Vec<(usize, Term)> = std::iter::once(term(0, begins))
            .chain((0..=last).map(|k| term(k, each)))
            .chain([term(last, ends)])
            .collect();
        (
            Occur::Should,
            Box::new(PhraseQuery::new_with_offset(terms)) as Box<dyn Query>,
        )
    };
    Some(vec![
        // Begins and ends on boundaries, or no boundary inside and begins or ends on one (jieba's or the
        // cheapest cut's).
        phrase(0, 1, 3),
        phrase(0, 2, 1),
        phrase(1, 2, 3),
        // Japanese: the longest match begins and ends on boundaries, and TinySegmenter has them at both
        // ends, or one at the start and none inside.
        phrase(4, 1, 7),
        phrase(4, 5, 6),
    ])
}

/// `parsed` (the user's `query`) narrowed to the articles where each CJK word of the query occurs as a
/// word at least once (in the title or body, or anywhere in a note or tag) or that have no segmenter
/// (Korean), scored as before plus [`AS_WORD_BOOST`] per CJK word that occurs as a word in the title or
/// body, so that those articles come first. Only a query of plain words is narrowed; one with operators,
/// fields, phrases or wildcards is left as it is.
pub fn restrict(
    parsed: Box<dyn Query>,
    query: &str,
    words_field: Field,
    parser: &QueryParser,
) -> Box<dyn Query> {
    let Some(terms) = plain_terms(query) else {
        return parsed;
    };
    let mut clauses = vec![(Occur::Must, parsed)];
    for (_, word) in terms.into_iter().flat_map(cjk_runs) {
        let Some(as_word) = word_query(words_field, word) else {
            continue;
        };
        let mut either = vec![(Occur::Should, as_word)];
        if let Ok(elsewhere) = parser.parse_query(&format!("note:\"{word}\" OR tag:\"{word}\"")) {
            either.push((Occur::Should, elsewhere));
        }
        let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(either)), 0.0);
        clauses.push((Occur::Must, Box::new(filter)));
        if let Some(phrases) = word_phrases(words_field, word) {
            let boost = ConstScoreQuery::new(Box::new(BooleanQuery::new(phrases)), AS_WORD_BOOST);
            clauses.push((Occur::Should, Box::new(boost)));
        }
    }
    match clauses.len() {
        1 => clauses.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

/// The words of a query made of plain words alone; none if it has anything the parser reads as syntax.
fn plain_terms(query: &str) -> Option<Vec<&str>> {
    const SYNTAX: &[char] = &[
        ':', '"', '(', ')', '[', ']', '{', '}', '^', '~', '*', '\\', '\'',
    ];
    query
        .split_whitespace()
        .map(|term| {
            let operator = matches!(term, "AND" | "OR" | "NOT") || term.starts_with(['+', '-']);
            (!operator && !term.contains(SYNTAX)).then_some(term)
        })
        .collect()
}

mod lattice;
mod tiny;

#[cfg(test)]
mod tests;
