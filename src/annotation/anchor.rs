//! Anchoring: placing an annotation in the article's current plain text by its quote and context, as
//! Hypothesis does. At `start..end` if the quote is still there; else where the quote occurs exactly, then
//! approximately, each place scored by its quote (weight 50), prefix (20) and suffix (20); else the
//! annotation is an orphan.
//!
//! A wrong-context match is worse than an orphan. A quote found in one place is placed there. A quote found
//! in several is placed where its context is clearly closest (by [`MARGIN`] or more, with its prefix or
//! suffix matching at least half); when several are about as close, at the one overlapping its old
//! position, but only if the quote was edited or its context matches at each; else it is an orphan.

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
/// How much higher than every other candidate's score the chosen one's must be for its context to
/// decide: a fifth of the prefix's (or the suffix's) weight, about six characters of a full context.
pub const MARGIN: f64 = 4.0;
/// How well at least one side of the context must match for it to place a repeated quote.
const CONTEXT_FLOOR: f64 = 0.5;

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
        (selector.choose(text, &fuzzy, true), Placement::Fuzzy)
    } else {
        (selector.choose(text, &exact, false), Placement::Moved)
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
    old_end: usize,
}

/// A candidate with how well its surroundings match the remembered context.
#[derive(Debug, Clone, Copy)]
struct Scored {
    candidate: Candidate,
    prefix: f64,
    suffix: f64,
    score: f64,
}

impl Scored {
    /// Whether the prefix or the suffix matches at least half: a context that is recognisably the same.
    fn context_matches(&self) -> bool {
        self.prefix >= CONTEXT_FLOOR || self.suffix >= CONTEXT_FLOOR
    }
}

impl Selector {
    fn of(annotation: &Annotation, quote: &[char]) -> Selector {
        Selector {
            quote_len: quote.len(),
            prefix: annotation.prefix.chars().collect(),
            suffix: annotation.suffix.chars().collect(),
            old_start: annotation.start,
            old_end: annotation.end.max(annotation.start + quote.len()),
        }
    }

    /// The one candidate; else the one whose context is clearly closest; else, among those whose context
    /// is as close, the one at the old position; else none.
    fn choose(&self, text: &[char], candidates: &[Candidate], edited: bool) -> Option<Candidate> {
        if let [only] = candidates {
            return Some(*only);
        }
        let scored: Vec<Scored> = candidates.iter().map(|c| self.scored(text, c)).collect();
        let best = scored.iter().copied().max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(b.candidate.start.cmp(&a.candidate.start))
        })?;
        let close: Vec<&Scored> = scored
            .iter()
            .filter(|s| best.score - s.score < MARGIN)
            .collect();
        if let [only] = close[..] {
            return only.context_matches().then_some(only.candidate);
        }
        self.at_old_position(&close, edited)
    }

    /// Among candidates whose contexts are equally close, the only one overlapping where the quote was.
    /// The old position decides for an edited quote (its surroundings may have been edited with it), or
    /// for an exact one whose context matches at each (a passage repeated word for word); never for an
    /// exact quote whose context matches nowhere, which is more likely text rewritten around it.
    fn at_old_position(&self, close: &[&Scored], edited: bool) -> Option<Candidate> {
        if !edited && !close.iter().all(|s| s.context_matches()) {
            return None;
        }
        let mut overlapping = close.iter().filter(|s| {
            let c = s.candidate;
            c.start < self.old_end && self.old_start < c.end.max(c.start + 1)
        });
        match (overlapping.next(), overlapping.next()) {
            (Some(only), None) => Some(only.candidate),
            _ => None,
        }
    }

    fn scored(&self, text: &[char], c: &Candidate) -> Scored {
        let (prefix, suffix) = self.context_match(text, c);
        let quote = 1.0 - c.errors as f64 / self.quote_len.max(1) as f64;
        Scored {
            candidate: *c,
            prefix,
            suffix,
            score: QUOTE_WEIGHT * quote + PREFIX_WEIGHT * prefix + SUFFIX_WEIGHT * suffix,
        }
    }

    /// How well the text around `c` matches the remembered prefix and suffix, each from 0 to 1: the best
    /// approximate match of each within as many characters beside the candidate. An empty prefix
    /// (suffix) means the quote started (ended) the text, which only the text's edge matches.
    fn context_match(&self, text: &[char], c: &Candidate) -> (f64, f64) {
        let before = &text[c.start.saturating_sub(self.prefix.len())..c.start];
        let after = &text[c.end..(c.end + self.suffix.len()).min(text.len())];
        let prefix = match self.prefix.is_empty() {
            true => f64::from(u8::from(c.start == 0)),
            false => fuzzy::containment(&self.prefix, before),
        };
        let suffix = match self.suffix.is_empty() {
            true => f64::from(u8::from(c.end == text.len())),
            false => fuzzy::containment(&self.suffix, after),
        };
        (prefix, suffix)
    }
}

#[cfg(test)]
mod tests;
