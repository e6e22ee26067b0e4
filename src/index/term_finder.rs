//! Finding a query's terms in a text without analysing every word of it.
//!
//! Snippets and highlights tokenise text the way the index did ([`super::schema::text_analyzer`]) and
//! look each token up among the query's terms. Lower-casing, folding and above all stemming every word
//! was most of a search's time. A token can only become a term that starts with the same letter: the
//! lower-casing and folding of an ASCII letter depend on that letter alone, and the English stemmer only
//! ever changes a word's end (its suffix rules work in the regions after the first vowel-consonant pair,
//! and words of one or two letters are left alone). So a token whose first character is ASCII and,
//! lower-cased, starts none of the terms is given as it is, its text empty, with the same offsets; the
//! others go through the full analyzer. The tokens that match, and so the snippets, are the same.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

use super::tokenizer::{Stream, WordsAndBigrams};

/// A query's terms, weighted, found in texts: tantivy's `SnippetGenerator` with a [`TermFinder`], which
/// looks up only the tokens the finder analysed.
#[derive(Clone)]
pub struct Highlighter {
    terms: BTreeMap<String, f32>,
    finder: TextAnalyzer,
    max_chars: usize,
}

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
        let finder = TermFinder::new(terms.keys().map(String::as_str));
        Highlighter {
            terms,
            finder: TextAnalyzer::from(finder),
            max_chars,
        }
    }

    /// The best fragment of `text` (the one whose terms weigh most, the first of equals): its byte range
    /// and its matches as byte ranges into it. `None` when no term is in `text`. The same as
    /// `SnippetGenerator::snippet` gives, which cuts the text into fragments the same way.
    pub fn best(&self, text: &str) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        let mut finder = self.finder.clone();
        let mut stream = finder.token_stream(text);
        let mut fragment = Candidate::new(0);
        let mut fragments = Vec::new();
        while let Some(token) = stream.next() {
            if token.offset_to - fragment.start > self.max_chars {
                if fragment.score > 0.0 {
                    fragments.push(fragment);
                }
                fragment = Candidate::new(token.offset_from);
            }
            fragment.stop = token.offset_to;
            if !token.text.is_empty()
                && let Some(&score) = self.terms.get(&token.text.to_lowercase())
            {
                fragment.score += score;
                fragment.highlights.push(token.offset_from..token.offset_to);
            }
        }
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

/// The text analyzer's tokens, analysed only where they may be one of a set of terms (module docs).
#[derive(Clone)]
pub struct TermFinder {
    words: WordsAndBigrams,
    /// The analyzer's filters over one whole token.
    normalize: TextAnalyzer,
    /// Which ASCII bytes begin one of the terms.
    first: [bool; 128],
    token: Token,
}

impl TermFinder {
    /// A finder for `terms` (as the index holds them: analysed).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> TermFinder {
        let mut first = [false; 128];
        for term in terms {
            if let Some(&b) = term.as_bytes().first()
                && b.is_ascii()
            {
                first[usize::from(b)] = true;
            }
        }
        TermFinder {
            words: WordsAndBigrams::default(),
            normalize: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(Language::English))
                .build(),
            first,
            token: Token::default(),
        }
    }
}

impl Tokenizer for TermFinder {
    type TokenStream<'a> = FinderStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FinderStream<'a> {
        self.token.reset();
        FinderStream {
            words: self.words.token_stream(text),
            normalize: &mut self.normalize,
            first: &self.first,
            token: &mut self.token,
        }
    }
}

pub struct FinderStream<'a> {
    words: Stream<'a>,
    normalize: &'a mut TextAnalyzer,
    first: &'a [bool; 128],
    token: &'a mut Token,
}

impl TokenStream for FinderStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.words.advance() {
                return false;
            }
            let word = self.words.token();
            if word.text.len() >= TOKEN_LIMIT {
                continue;
            }
            self.token.offset_from = word.offset_from;
            self.token.offset_to = word.offset_to;
            self.token.position = word.position;
            self.token.position_length = word.position_length;
            self.token.text.clear();
            let lead = word.text.as_bytes().first().copied().unwrap_or(0);
            if !lead.is_ascii() || self.first[usize::from(lead.to_ascii_lowercase())] {
                let mut analysed = self.normalize.token_stream(&word.text);
                if analysed.advance() {
                    self.token.text.push_str(&analysed.token().text);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::text_analyzer;

    fn analysed(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.offset_from, t.offset_to, t.text.clone()));
        }
        out
    }

    /// Every token the finder analyses is the index's token; the others are the index's tokens that
    /// start with another letter than every term.
    fn agrees(text: &str, terms: &[&str]) {
        let full = analysed(text_analyzer(), text);
        let found = analysed(
            TextAnalyzer::from(TermFinder::new(terms.iter().copied())),
            text,
        );
        assert_eq!(full.len(), found.len(), "{text:?}");
        for ((from, to, whole), (f, t, part)) in full.iter().zip(&found) {
            assert_eq!((from, to), (f, t), "{text:?}");
            if part.is_empty() {
                assert!(
                    terms
                        .iter()
                        .all(|term| term.chars().next() != whole.chars().next()),
                    "{whole:?} was skipped in {text:?}"
                );
            } else {
                assert_eq!(whole, part, "{text:?}");
            }
        }
    }

    #[test]
    fn tokens_that_may_match_are_analysed_as_the_index_does() {
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

    /// The rule the finder rests on, over every word of a real corpus: an ASCII first letter is the
    /// analysed token's first letter, lower-cased.
    #[test]
    fn analysis_keeps_an_ascii_first_letter_over_a_real_corpus() {
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
            let mut raw = WordsAndBigrams::default();
            let mut stream = raw.token_stream(&text);
            let mut leads = Vec::new();
            while stream.advance() {
                let t = stream.token();
                if t.text.len() < TOKEN_LIMIT {
                    leads.push(t.text.as_bytes()[0]);
                }
            }
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
