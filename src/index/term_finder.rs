//! Finding a query's terms in a text without analysing every word of it.
//!
//! Snippets and highlights cut text into the tokens the index made of it ([`super::schema::text_analyzer`])
//! and look each token up among the query's terms. Lower-casing, folding and above all stemming every word
//! was most of a search's time. A token can only become a term that starts with the same letter: the
//! lower-casing and folding of an ASCII letter depend on that letter alone, and the English stemmer only
//! ever changes a word's end (its suffix rules work in the regions after the first vowel-consonant pair,
//! and words of one or two letters are left alone). So a token whose first character is ASCII and,
//! lower-cased, starts none of the terms is never analysed; the others go through the full analyzer, each
//! distinct token text once per query. The text is cut byte by byte without making each token's text
//! ([`each_token`]). The tokens that match, and so the snippets, are the same.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, TokenStream,
};

use rustc_hash::FxHashMap;

use super::tokenizer::is_cjk;

/// A query's terms, weighted, found in texts: what tantivy's `SnippetGenerator` finds, with the text cut
/// by [`each_token`] and only the tokens that may be a term analysed, each distinct one once.
#[derive(Clone)]
pub struct Highlighter {
    terms: BTreeMap<String, f32>,
    /// Which ASCII bytes begin one of the terms.
    first: [bool; 128],
    analysis: RefCell<Analysis>,
    max_chars: usize,
}

/// The analyzer's filters over one whole token, and what each token text analysed so far weighs: the
/// weight of the term it becomes, or none. Analysing a token depends on its text alone, so a word met
/// again (the common ones, many times in each text) is looked up instead of analysed again.
#[derive(Clone)]
struct Analysis {
    normalize: TextAnalyzer,
    seen: FxHashMap<String, Option<f32>>,
}

/// The most token texts [`Analysis`] remembers; past this it starts again (a bound on its memory over a
/// long text of distinct words, not a limit on what is found).
const SEEN_LIMIT: usize = 1 << 16;

/// A fragment of `max_chars` bytes at most, as tantivy cuts them.
struct Candidate {
    score: f32,
    start: usize,
    stop: usize,
    highlights: Vec<Range<usize>>,
}

impl Candidate {
    fn new(start: usize) -> Candidate {
        Candidate {
            score: 0.0,
            start,
            stop: start,
            highlights: Vec::new(),
        }
    }
}

impl Highlighter {
    /// Finds `terms` (analysed, with their weights) in fragments of at most `max_chars` bytes.
    pub fn new(terms: BTreeMap<String, f32>, max_chars: usize) -> Highlighter {
        let mut first = [false; 128];
        for term in terms.keys() {
            if let Some(&b) = term.as_bytes().first()
                && b.is_ascii()
            {
                first[usize::from(b)] = true;
            }
        }
        let normalize = TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        Highlighter {
            terms,
            first,
            analysis: RefCell::new(Analysis {
                normalize,
                seen: FxHashMap::default(),
            }),
            max_chars,
        }
    }

    /// The weight of the term that the token `word` becomes, if it is one of the terms. A word whose
    /// first character is ASCII and, lower-cased, starts none of the terms cannot become one (module
    /// docs) and is not analysed.
    #[inline]
    fn weight(&self, word: &str) -> Option<f32> {
        let lead = word.as_bytes().first().copied().unwrap_or(0);
        if lead.is_ascii() && !self.first[usize::from(lead.to_ascii_lowercase())] {
            return None;
        }
        self.analysed_weight(word)
    }

    /// [`Self::weight`] of a word that may be a term: remembered, or analysed as the index does.
    #[inline(never)]
    fn analysed_weight(&self, word: &str) -> Option<f32> {
        let mut analysis = self.analysis.borrow_mut();
        if let Some(&weight) = analysis.seen.get(word) {
            return weight;
        }
        let weight = {
            let mut analysed = analysis.normalize.token_stream(word);
            match analysed.advance() {
                true if !analysed.token().text.is_empty() => self
                    .terms
                    .get(&analysed.token().text.to_lowercase())
                    .copied(),
                _ => None,
            }
        };
        if analysis.seen.len() >= SEEN_LIMIT {
            analysis.seen.clear();
        }
        analysis.seen.insert(word.to_owned(), weight);
        weight
    }

    /// The best fragment of `text` (the one whose terms weigh most, the first of equals): its byte range
    /// and its matches as byte ranges into it. `None` when no term is in `text`. The same as
    /// `SnippetGenerator::snippet` gives, which cuts the text into fragments the same way.
    pub fn best(&self, text: &str) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        let mut fragment = Candidate::new(0);
        let mut fragments = Vec::new();
        each_token(text, |from, to| {
            if to - from >= TOKEN_LIMIT {
                return;
            }
            if to - fragment.start > self.max_chars {
                let done = std::mem::replace(&mut fragment, Candidate::new(from));
                if done.score > 0.0 {
                    fragments.push(done);
                }
            }
            fragment.stop = to;
            if let Some(score) = self.weight(&text[from..to]) {
                fragment.score += score;
                fragment.highlights.push(from..to);
            }
        });
        if fragment.score > 0.0 {
            fragments.push(fragment);
        }
        let best = fragments.iter().max_by(|left, right| {
            match left
                .score
                .partial_cmp(&right.score)
                .unwrap_or(Ordering::Equal)
            {
                Ordering::Equal => (right.start, right.stop).cmp(&(left.start, left.stop)),
                other => other,
            }
        })?;
        let highlights = best
            .highlights
            .iter()
            .map(|r| r.start - best.start..r.end - best.start)
            .collect();
        Some((best.start..best.stop, highlights))
    }
}

/// Longer tokens are dropped, as the index's `RemoveLongFilter::limit(40)` drops them.
const TOKEN_LIMIT: usize = 40;

/// Calls `token` with the byte range of each token [`super::tokenizer::WordsAndBigrams`] cuts `text`
/// into, in order: words of letters and digits, CJK bigrams, and a CJK character standing alone. The
/// same tokens, found byte by byte (ASCII without decoding) and without making their text.
#[inline]
pub fn each_token(text: &str, mut token: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    // The last CJK character of the current run (its offset and width), and whether the run has given
    // a bigram yet: a run of one character is a unigram.
    let mut run: Option<(usize, usize)> = None;
    let mut paired = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if let Some((at, w)) = run.take()
                && !paired
            {
                token(at, at + w);
            }
            if b.is_ascii_alphanumeric() {
                let end = word_end(text, i + 1);
                token(i, end);
                i = end;
            } else {
                i += 1;
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let width = c.len_utf8();
        if is_cjk(c) {
            if let Some((at, _)) = run {
                paired = true;
                token(at, i + width);
            } else {
                paired = false;
            }
            run = Some((i, width));
            i += width;
            continue;
        }
        if let Some((at, w)) = run.take()
            && !paired
        {
            token(at, at + w);
        }
        if c.is_alphanumeric() {
            let end = word_end(text, i + width);
            token(i, end);
            i = end;
        } else {
            i += width;
        }
    }
    if let Some((at, w)) = run
        && !paired
    {
        token(at, at + w);
    }
}

/// Where the word going on at byte `i` of `text` ends: at the first character that is not a letter or
/// digit, or is CJK.
#[inline]
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphanumeric() {
            i += 1;
        } else if b.is_ascii() {
            break;
        } else {
            return word_end_beyond_ascii(text, i);
        }
    }
    i
}

/// [`word_end`] from a byte that is not ASCII.
#[cold]
fn word_end_beyond_ascii(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if !c.is_alphanumeric() || is_cjk(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::text_analyzer;
    use crate::index::tokenizer::WordsAndBigrams;
    use tantivy::tokenizer::Tokenizer;

    fn analysed(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.offset_from, t.offset_to, t.text.clone()));
        }
        out
    }

    fn cut(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        each_token(text, |from, to| out.push((from, to)));
        out
    }

    fn raw_tokens(text: &str) -> Vec<(usize, usize)> {
        let mut raw = WordsAndBigrams::default();
        let mut stream = raw.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().offset_from, stream.token().offset_to));
        }
        out
    }

    fn weighted(terms: &[&str]) -> BTreeMap<String, f32> {
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), 1.0 / (2.0 + i as f32)))
            .collect()
    }

    /// Each token of the index's analyzer weighs what its term weighs among `terms`, and every other
    /// token cut is one the analyzer drops (too long).
    fn agrees(text: &str, terms: &[&str]) {
        let terms = weighted(terms);
        let full = analysed(text_analyzer(), text);
        let kept: Vec<_> = cut(text)
            .into_iter()
            .filter(|(from, to)| to - from < TOKEN_LIMIT)
            .collect();
        let offsets: Vec<_> = full.iter().map(|(f, t, _)| (*f, *t)).collect();
        assert_eq!(kept, offsets, "{text:?}");
        let highlighter = Highlighter::new(terms.clone(), 200);
        // Twice: the second time from what was remembered.
        for _ in 0..2 {
            for (from, to, term) in &full {
                assert_eq!(
                    highlighter.weight(&text[*from..*to]),
                    terms.get(term).copied(),
                    "{term:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn tokens_weigh_what_the_index_s_analysis_makes_of_them() {
        let text = "Policing the POLICE: Yearly skies, dying ugly, hoping généralisations \
                    ÉLAN naïve Straße 华为Mate60发布 東京都 Ægir yttria ies sses";
        for terms in [
            &["polic"][..],
            &["yearli", "sky", "die"],
            &["elan", "naiv", "strass"],
            &["华为", "mate60"],
            &["aegir", "yttria", "ie", "ss"],
            &[],
        ] {
            agrees(text, terms);
        }
        let long = format!("{} words", "x".repeat(TOKEN_LIMIT));
        agrees(&long, &["x", "word"]);
    }

    /// The fragment and highlights tantivy's `SnippetGenerator` picks: every token analysed and looked
    /// up, as before any of the shortcuts.
    fn reference_best(
        terms: &BTreeMap<String, f32>,
        max_chars: usize,
        text: &str,
    ) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        let mut fragments: Vec<Candidate> = Vec::new();
        let mut fragment = Candidate::new(0);
        for (from, to, term) in analysed(text_analyzer(), text) {
            if to - fragment.start > max_chars {
                if fragment.score > 0.0 {
                    fragments.push(fragment);
                }
                fragment = Candidate::new(from);
            }
            fragment.stop = to;
            if let Some(&score) = terms.get(&term.to_lowercase()) {
                fragment.score += score;
                fragment.highlights.push(from..to);
            }
        }
        if fragment.score > 0.0 {
            fragments.push(fragment);
        }
        let mut best: Option<&Candidate> = None;
        for candidate in &fragments {
            if best.is_none_or(|b| candidate.score > b.score) {
                best = Some(candidate);
            }
        }
        best.map(|b| {
            let marks = b
                .highlights
                .iter()
                .map(|r| r.start - b.start..r.end - b.start)
                .collect();
            (b.start..b.stop, marks)
        })
    }

    #[test]
    fn fragments_and_highlights_are_those_of_full_analysis() {
        let texts = [
            "The police said the policy of policing was poli-tics. Police, POLICE; polices!",
            "华为Mate60发布 东京都的出口管制。出口 rose; 出口管制 AI 出口管制 芯 片",
            "",
            "no match at all in these words",
        ];
        let filler = "words about the market and the court, prices rise ".repeat(40);
        let long = format!("{filler} police court {filler} court police police {filler}");
        for terms in [
            &["polic"][..],
            &["court", "polic", "market"],
            &["出口", "华为", "mate60", "芯"],
            &["the"],
        ] {
            let terms = weighted(terms);
            for max_chars in [20, 80, 200, usize::MAX / 2] {
                let highlighter = Highlighter::new(terms.clone(), max_chars);
                for text in texts.iter().copied().chain([long.as_str()]) {
                    assert_eq!(
                        highlighter.best(text),
                        reference_best(&terms, max_chars, text),
                        "{terms:?} {max_chars} {text:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn each_token_cuts_what_the_tokenizer_cuts(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", "é", "ß", "٣", " ", "\n", ".", "-", "。", "、", "“",
                    "芯", "片", "が", "ア", "한", "々", "🙂", "\u{300}", "word", "Ümlaut",
                ]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(cut(&text), raw_tokens(&text), "{:?}", text);
        }
    }

    /// Over every text of a real corpus: [`each_token`] cuts what the tokenizer cuts, and an ASCII first
    /// letter is the analysed token's first letter, lower-cased (the rule the highlighter rests on).
    #[test]
    fn cutting_and_analysis_agree_over_a_real_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(sources) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is missing", dir.display());
            return;
        };
        let mut words = 0;
        let files = sources.flatten().flat_map(|source| {
            std::fs::read_dir(source.path())
                .into_iter()
                .flatten()
                .flatten()
        });
        for file in files {
            let Ok(text) = std::fs::read_to_string(file.path()) else {
                continue;
            };
            let raw = raw_tokens(&text);
            assert_eq!(cut(&text), raw, "{}", file.path().display());
            let leads: Vec<u8> = raw
                .iter()
                .filter(|(from, to)| to - from < TOKEN_LIMIT)
                .map(|(from, _)| text.as_bytes()[*from])
                .collect();
            let full = analysed(text_analyzer(), &text);
            assert_eq!(leads.len(), full.len());
            for (lead, (_, _, term)) in leads.into_iter().zip(full) {
                if lead.is_ascii() {
                    assert_eq!(
                        term.as_bytes().first(),
                        Some(&lead.to_ascii_lowercase()),
                        "{term}"
                    );
                }
                words += 1;
            }
        }
        assert!(words > 0, "no word read in {}", dir.display());
    }
}
