//! How closely a passage says what a quote says: a blend of the terms they share, weighted by how
//! distinctive each term is, and the character trigrams they share.
//!
//! Terms are the index's own (lower-cased, accent-folded, English-stemmed words; CJK character bigrams),
//! so `restricted` meets `restrictions` and `芯片出口` meets `出口芯片` by their bigrams. For a quote `Q`
//! and a passage `W` (their distinct terms):
//!
//! - recall `R` = the IDF weight of the terms of `Q` found in `W` over the weight of all of `Q`'s terms
//!   (a rare word counts more than `the`);
//! - precision `P` = the share of `W`'s distinct terms that are in `Q` (a passage padded with other
//!   matter says less of the same thing);
//! - `F` = the F2 measure of the two, `5PR / (4P + R)`, which counts recall four times as much (a quote
//!   is often part of a sentence, and the passage is at least a sentence);
//! - `D` = the Dice coefficient of the two texts' sets of character trigrams (lower-cased letters and
//!   digits, other runs as one space), which sees small edits inside words that terms miss;
//! - the similarity is `0.7 F + 0.3 D`, in 0..1: 1 for the same text, unchanged by reordering the
//!   terms except for the few trigrams at the seams.

use std::collections::HashMap;

use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use crate::index::schema::text_analyzer;
use crate::index::tokenizer::WordsAndBigrams;

/// How much of the similarity the shared terms make (the rest is the shared trigrams).
const TERM_SHARE: f32 = 0.7;

/// A term of the index's analysis, as a small number.
pub type TermId = u32;

/// Reads text as the index does, numbering its terms; each distinct word is analysed (stemmed) once.
pub struct Analyzer {
    raw: WordsAndBigrams,
    full: TextAnalyzer,
    ids: HashMap<String, TermId>,
    texts: Vec<String>,
    /// A word as it stands in a text, to its term (none when the analysis drops it, as an over-long one).
    cache: HashMap<String, Option<TermId>>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            raw: WordsAndBigrams::default(),
            full: text_analyzer(),
            ids: HashMap::new(),
            texts: Vec::new(),
            cache: HashMap::new(),
        }
    }
}

impl Analyzer {
    /// The terms of `text`, each with the byte offset where its word starts, in text order.
    pub fn terms(&mut self, text: &str) -> Vec<(usize, TermId)> {
        let mut words = Vec::new();
        let mut stream = self.raw.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            words.push((token.offset_from, token.offset_to));
        }
        words
            .into_iter()
            .filter_map(|(from, to)| Some((from, self.term_of(&text[from..to])?)))
            .collect()
    }

    /// The term of one word as the tokenizer cut it.
    fn term_of(&mut self, word: &str) -> Option<TermId> {
        if let Some(&known) = self.cache.get(word) {
            return known;
        }
        let mut analysed = None;
        let mut stream = self.full.token_stream(word);
        if stream.advance() {
            analysed = Some(stream.token().text.clone());
        }
        let id = analysed.map(|term| match self.ids.get(&term) {
            Some(&id) => id,
            None => {
                let id = self.texts.len() as TermId;
                self.ids.insert(term.clone(), id);
                self.texts.push(term);
                id
            }
        });
        self.cache.insert(word.to_owned(), id);
        id
    }

    /// The text of a term, as the index holds it.
    pub fn text_of(&self, id: TermId) -> &str {
        &self.texts[id as usize]
    }
}

/// A quote ready to be compared with passages: its terms with their weights, and its trigrams.
#[derive(Debug, Clone)]
pub struct Quote {
    weights: HashMap<TermId, f32>,
    total: f32,
    trigrams: Vec<u64>,
}

impl Quote {
    /// `text` read by `analyzer`, each term weighted by `weight` (its IDF in the index).
    pub fn new(analyzer: &mut Analyzer, text: &str, weight: impl Fn(&str) -> f32) -> Quote {
        let mut weights = HashMap::new();
        for (_, id) in analyzer.terms(text) {
            weights
                .entry(id)
                .or_insert_with(|| weight(analyzer.text_of(id)).max(f32::EPSILON));
        }
        Quote {
            total: weights.values().sum(),
            weights,
            trigrams: trigrams(text),
        }
    }

    /// The quote's distinct terms and their weights.
    pub fn weights(&self) -> &HashMap<TermId, f32> {
        &self.weights
    }

    /// Whether the quote has `term`.
    pub fn has(&self, term: TermId) -> bool {
        self.weights.contains_key(&term)
    }

    /// The similarity of a passage, `text`, whose distinct terms are `terms` (see the module docs).
    pub fn similarity(&self, terms: &[TermId], text: &str) -> f32 {
        let f = self.term_score(terms);
        if f == 0.0 {
            return 0.0;
        }
        TERM_SHARE * f + (1.0 - TERM_SHARE) * dice(&self.trigrams, &trigrams(text))
    }

    /// The F2 measure of the weighted recall and the precision of `terms` (distinct).
    pub fn term_score(&self, terms: &[TermId]) -> f32 {
        let (mut found, mut shared) = (0.0, 0usize);
        for term in terms {
            if let Some(w) = self.weights.get(term) {
                found += w;
                shared += 1;
            }
        }
        if shared == 0 || self.total <= 0.0 {
            return 0.0;
        }
        let recall = (found / self.total).min(1.0);
        let precision = shared as f32 / terms.len() as f32;
        5.0 * precision * recall / (4.0 * precision + recall)
    }

    /// The most a passage with term score `f` can reach (with every trigram shared).
    pub fn bound(f: f32) -> f32 {
        TERM_SHARE * f + (1.0 - TERM_SHARE)
    }

    /// The least term score with which a passage can reach `similarity`.
    pub fn least_term_score(similarity: f32) -> f32 {
        ((similarity - (1.0 - TERM_SHARE)) / TERM_SHARE).max(0.0)
    }
}

/// The set of character trigrams of `text`, sorted: letters and digits lower-cased, every other run one
/// space, each trigram packed into 63 bits (21 per character: exact, no hashing).
pub fn trigrams(text: &str) -> Vec<u64> {
    let mut chars: Vec<char> = Vec::with_capacity(text.len() + 2);
    chars.push(' ');
    for c in text.chars() {
        if c.is_alphanumeric() {
            chars.extend(c.to_lowercase());
        } else if chars.last() != Some(&' ') {
            chars.push(' ');
        }
    }
    if chars.last() != Some(&' ') {
        chars.push(' ');
    }
    let mut set: Vec<u64> = chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// `2 |A ∩ B| / (|A| + |B|)` of two sorted sets.
pub fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The similarity of `passage` to `quote`, every term weighing 1 but the listed common ones 0.1.
    fn similarity(quote: &str, passage: &str) -> f32 {
        let mut analyzer = Analyzer::default();
        let common = ["the", "of", "a", "at", "on", "to", "in", "and", "for", "by"];
        let q = Quote::new(&mut analyzer, quote, |t| {
            if common.contains(&t) { 0.1 } else { 1.0 }
        });
        let mut terms: Vec<TermId> = analyzer.terms(passage).into_iter().map(|t| t.1).collect();
        terms.sort_unstable();
        terms.dedup();
        q.similarity(&terms, passage)
    }

    const QUOTE: &str = "For every user served by Copilot, Microsoft incurs a monthly loss of at \
                         least USD 20, which can sometimes go as high as USD 80.";

    #[test]
    fn the_same_text_scores_one_and_reordering_keeps_it_high() {
        assert!((similarity(QUOTE, QUOTE) - 1.0).abs() < 1e-5);
        let reordered = "Microsoft incurs a monthly loss of at least USD 20 for every user served \
                         by Copilot, which can sometimes go as high as USD 80.";
        assert!(
            similarity(QUOTE, reordered) > 0.9,
            "{}",
            similarity(QUOTE, reordered)
        );
    }

    #[test]
    fn a_rewording_scores_above_an_unrelated_sentence_sharing_words() {
        let reworded = "Microsoft loses at least USD 20 each month on every Copilot user it \
                        serves, and sometimes as much as USD 80.";
        let unrelated = "Microsoft said every user of its cloud would see a new monthly plan.";
        let (near, far) = (similarity(QUOTE, reworded), similarity(QUOTE, unrelated));
        assert!(near > 0.5, "{near}");
        assert!(far < 0.3, "{far}");
    }

    #[test]
    fn padding_a_passage_with_other_sentences_lowers_it() {
        let padded = format!("{QUOTE} Alibaba Cloud also called off its spin-off this week.");
        assert!(similarity(QUOTE, &padded) < similarity(QUOTE, QUOTE));
        assert_eq!(similarity(QUOTE, "Nothing alike here."), 0.0);
    }

    #[test]
    fn cjk_text_is_compared_by_its_bigrams() {
        let quote = "美国对先进芯片的出口限制使阿里云取消了分拆计划。";
        let reordered = "阿里云取消了分拆计划，原因是美国对先进芯片的出口限制。";
        let unrelated = "今天北京的天气晴朗，气温适中，适合出游。";
        assert!(
            similarity(quote, reordered) > 0.6,
            "{}",
            similarity(quote, reordered)
        );
        assert!(similarity(quote, unrelated) < 0.1);
    }

    #[test]
    fn words_are_analysed_as_the_index_analyses_them() {
        let mut analyzer = Analyzer::default();
        let terms: Vec<String> = analyzer
            .terms("Restrictions restricted 芯片")
            .into_iter()
            .map(|(_, id)| analyzer.text_of(id).to_owned())
            .collect();
        assert_eq!(terms, ["restrict", "restrict", "芯片"]);
        let a = trigrams("Ab-c");
        assert_eq!(a, trigrams("ab c"));
        assert_eq!(dice(&a, &a), 1.0);
    }
}
