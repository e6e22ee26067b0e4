//! Anchoring: placing an annotation in the article's current plain text by its quote and context, as
//! Hypothesis does. At `start..end` if the quote is still there; else where the quote occurs exactly, then
//! approximately, scored quote 50, prefix 20, suffix 20, nearness 2; else the annotation is an orphan.
//!
//! A wrong-context match is worse than an orphan: a quote found in several places is placed only where
//! its prefix or suffix also matches at least half; a quote found in one place is placed there.

use super::fuzzy::{self, Candidate};
use super::model::{Annotation, context_of};

/// What anchoring did to an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The quote is where it was.
    Unchanged,
    /// The quote was found exactly, somewhere else.
    Moved,
    /// Text close to the quote was found; the annotation now quotes it and keeps `original_quote`.
    Fuzzy,
    /// The quote is not in the text.
    Orphaned,
}

const QUOTE_WEIGHT: f64 = 50.0;
const PREFIX_WEIGHT: f64 = 20.0;
const SUFFIX_WEIGHT: f64 = 20.0;
const NEARNESS_WEIGHT: f64 = 2.0;

/// The most edits a fuzzy match of a quote of `len` characters may have: a fifth of it, at most 64.
pub fn max_errors(len: usize) -> usize {
    (len / 5).min(64)
}

/// Places `annotation` in `text` (the article's plain text as characters), updating its offsets, context,
/// quote and `orphaned` flag. Returns what happened; anything but `Unchanged` (on an annotation that was
/// not an orphan) changed it.
pub fn anchor(annotation: &mut Annotation, text: &[char]) -> Placement {
    let quote: Vec<char> = annotation.quote.chars().collect();
    let (start, end) = (annotation.start, annotation.end);
    if !quote.is_empty() && end <= text.len() && start <= end && text[start..end] == quote[..] {
        annotation.orphaned = false;
        return Placement::Unchanged;
    }
    let selector = Selector::of(annotation, &quote);
    let exact: Vec<Candidate> = occurrences(text, &quote)
        .into_iter()
        .map(|start| Candidate {
            start,
            end: start + quote.len(),
            errors: 0,
        })
        .collect();
    let (found, placement) = if exact.is_empty() {
        let fuzzy = fuzzy::search(text, &quote, max_errors(quote.len()));
        (selector.choose(text, &fuzzy), Placement::Fuzzy)
    } else {
        (selector.choose(text, &exact), Placement::Moved)
    };
    let Some(found) = found else {
        annotation.orphaned = true;
        return Placement::Orphaned;
    };
    place(annotation, text, found, placement == Placement::Fuzzy);
    placement
}

/// Every start (in scalar values) of `quote` in `text`, overlapping ones included.
pub fn occurrences(text: &[char], quote: &[char]) -> Vec<usize> {
    if quote.is_empty() || quote.len() > text.len() {
        return Vec::new();
    }
    text.windows(quote.len())
        .enumerate()
        .filter(|(_, w)| *w == quote)
        .map(|(i, _)| i)
        .collect()
}

fn place(annotation: &mut Annotation, text: &[char], found: Candidate, fuzzy: bool) {
    let (prefix, quote, suffix) = context_of(text, found.start, found.end);
    if fuzzy && quote != annotation.quote && annotation.original_quote.is_none() {
        annotation.original_quote = Some(annotation.quote.clone());
    }
    annotation.quote = quote;
    annotation.prefix = prefix;
    annotation.suffix = suffix;
    annotation.start = found.start;
    annotation.end = found.end;
    annotation.orphaned = false;
}

/// What an annotation remembers of where it was.
struct Selector {
    quote_len: usize,
    prefix: Vec<char>,
    suffix: Vec<char>,
    old_start: usize,
}

impl Selector {
    fn of(annotation: &Annotation, quote: &[char]) -> Selector {
        Selector {
            quote_len: quote.len(),
            prefix: annotation.prefix.chars().collect(),
            suffix: annotation.suffix.chars().collect(),
            old_start: annotation.start,
        }
    }

    /// The one candidate, or the best-scoring one whose prefix or suffix matches at least half.
    fn choose(&self, text: &[char], candidates: &[Candidate]) -> Option<Candidate> {
        if let [only] = candidates {
            return Some(*only);
        }
        candidates
            .iter()
            .filter_map(|c| {
                let (prefix, suffix) = self.context_match(text, c);
                (prefix >= 0.5 || suffix >= 0.5).then(|| (self.score(text, c, prefix, suffix), *c))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.start.cmp(&a.1.start)))
            .map(|(_, c)| c)
    }

    /// How well the text around `c` matches the remembered prefix and suffix, each from 0 to 1. An empty
    /// prefix (suffix) means the quote started (ended) the text, which only the text's edge matches.
    fn context_match(&self, text: &[char], c: &Candidate) -> (f64, f64) {
        let before = &text[c.start.saturating_sub(self.prefix.len())..c.start];
        let after = &text[c.end..(c.end + self.suffix.len()).min(text.len())];
        let prefix = match self.prefix.is_empty() {
            true => f64::from(u8::from(c.start == 0)),
            false => fuzzy::similarity(&self.prefix, before),
        };
        let suffix = match self.suffix.is_empty() {
            true => f64::from(u8::from(c.end == text.len())),
            false => fuzzy::similarity(&self.suffix, after),
        };
        (prefix, suffix)
    }

    fn score(&self, text: &[char], c: &Candidate, prefix: f64, suffix: f64) -> f64 {
        let quote = 1.0 - c.errors as f64 / self.quote_len.max(1) as f64;
        let nearness = 1.0 - (c.start.abs_diff(self.old_start) as f64 / text.len().max(1) as f64);
        QUOTE_WEIGHT * quote
            + PREFIX_WEIGHT * prefix
            + SUFFIX_WEIGHT * suffix
            + NEARNESS_WEIGHT * nearness.max(0.0)
    }
}

#[cfg(test)]
mod tests;
