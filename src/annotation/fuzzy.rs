//! Approximate matching: where a quote occurs in a text within a bounded number of edits (Sellers'
//! algorithm, tracking where each match starts), and how well a short string occurs in
//! a window of text.

use std::collections::{BTreeMap, BTreeSet};

/// One approximate occurrence: `start..end` in scalar values, and its edit distance from the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub errors: usize,
}

/// The most work (pattern length times text length) one fuzzy search may do; beyond it there is no
/// fuzzy search and the annotation stays unplaced.
pub const MAX_CELLS: usize = 64_000_000;

/// Every place where `pattern` occurs in `text` with at most `max_errors` edits, one per run of
/// overlapping matches (the one with the fewest edits, then the earliest).
pub fn search(text: &[char], pattern: &[char], max_errors: usize) -> Vec<Candidate> {
    let m = pattern.len();
    if m == 0 || m.saturating_mul(text.len()) > MAX_CELLS {
        return Vec::new();
    }
    // (cost, start) per pattern prefix length, for the text read so far.
    let mut column: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut found = Vec::new();
    for (j, &c) in text.iter().enumerate() {
        let mut diagonal = column[0];
        column[0] = (0, j + 1);
        for i in 1..=m {
            let substitute = (diagonal.0 + usize::from(pattern[i - 1] != c), diagonal.1);
            let skip_text = (column[i].0 + 1, column[i].1);
            let skip_pattern = (column[i - 1].0 + 1, column[i - 1].1);
            diagonal = column[i];
            column[i] = [skip_text, skip_pattern]
                .into_iter()
                .fold(
                    substitute,
                    |best, next| if next.0 < best.0 { next } else { best },
                );
        }
        let (errors, start) = column[m];
        if errors <= max_errors {
            found.push(Candidate {
                start: start.min(j + 1),
                end: j + 1,
                errors,
            });
        }
    }
    best_of_overlapping(found)
}

/// Keeps the best of each group of overlapping candidates: best first, then each that overlaps none kept
/// before it. Kept non-empty candidates do not overlap, so ordered by start they are ordered by end too,
/// and the only one that can overlap a candidate is the last that starts before the candidate ends: one
/// look in a sorted map per candidate, where scanning every kept one made a text full of near matches
/// quadratic. (An empty candidate overlaps what strictly contains it; none occurs with fewer errors
/// allowed than the pattern is long, but the rule holds for them too.)
fn best_of_overlapping(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_by_key(|c| (c.errors, c.start, c.end));
    let mut kept = Vec::new();
    // The end of each kept non-empty candidate, by start; the place of each kept empty one.
    let mut spans: BTreeMap<usize, usize> = BTreeMap::new();
    let mut points: BTreeSet<usize> = BTreeSet::new();
    for c in found {
        let overlaps_span = spans
            .range(..c.end)
            .next_back()
            .is_some_and(|(_, &end)| c.start < end);
        let overlaps_point = c.start < c.end && points.range(c.start + 1..c.end).next().is_some();
        if overlaps_span || overlaps_point {
            continue;
        }
        if c.start < c.end {
            spans.insert(c.start, c.end);
        } else {
            points.insert(c.start);
        }
        kept.push(c);
    }
    kept.sort_by_key(|c| (c.start, c.errors, c.end));
    kept
}

/// How well `pattern` occurs somewhere in `window`, from 0 to 1: one less the fewest edits that turn it
/// into some stretch of the window, over its length. Context beside a quote is compared so, as Hypothesis
/// does, so that a word inserted or dropped next to the quote shifts the context without spoiling it.
pub fn containment(pattern: &[char], window: &[char]) -> f64 {
    let m = pattern.len();
    if m == 0 {
        return 1.0;
    }
    // Edits of each pattern prefix against the best stretch of the window ending here.
    let mut column: Vec<usize> = (0..=m).collect();
    let mut fewest = m;
    for &c in window {
        let mut diagonal = column[0];
        column[0] = 0;
        for i in 1..=m {
            let next = (diagonal + usize::from(pattern[i - 1] != c))
                .min(column[i] + 1)
                .min(column[i - 1] + 1);
            diagonal = column[i];
            column[i] = next;
        }
        fewest = fewest.min(column[m]);
    }
    1.0 - fewest as f64 / m as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_a_quote_with_one_word_fixed() {
        let text = chars("the decision to terminate the spin-off was made");
        let found = search(&text, &chars("the decison to terminate"), 3);
        assert_eq!(found.len(), 1);
        let c = found[0];
        assert_eq!(c.errors, 1);
        let matched: String = text[c.start..c.end].iter().collect();
        assert_eq!(matched, "the decision to terminate");
    }

    #[test]
    fn finds_every_separate_occurrence() {
        let text = chars("chip ban, then a chop ban, then a chip ban");
        let found = search(&text, &chars("chip ban"), 1);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found.iter().map(|c| c.errors).collect::<Vec<_>>(),
            [0, 1, 0]
        );
        assert!(search(&text, &chars("nothing like it"), 2).is_empty());
    }

    /// What `best_of_overlapping` must keep: the best first, then each that overlaps none kept before it.
    fn best_of_overlapping_by_scanning(mut found: Vec<Candidate>) -> Vec<Candidate> {
        found.sort_by_key(|c| (c.errors, c.start, c.end));
        let mut kept: Vec<Candidate> = Vec::new();
        for c in found {
            if !kept.iter().any(|k| c.start < k.end && k.start < c.end) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|c| c.start);
        kept
    }

    proptest::proptest! {
        #[test]
        fn best_of_overlapping_keeps_what_a_scan_keeps(
            spans in proptest::collection::vec((0usize..60, 0usize..12, 0usize..4), 0..40)
        ) {
            let found: Vec<Candidate> = spans
                .into_iter()
                .map(|(start, len, errors)| Candidate { start, end: start + len, errors })
                .collect();
            proptest::prop_assert_eq!(
                best_of_overlapping(found.clone()),
                best_of_overlapping_by_scanning(found)
            );
        }
    }

    #[test]
    fn an_empty_candidate_inside_a_kept_one_overlaps_it() {
        let kept = Candidate {
            start: 5,
            end: 14,
            errors: 0,
        };
        let empty = Candidate {
            start: 6,
            end: 6,
            errors: 0,
        };
        assert_eq!(best_of_overlapping(vec![kept, empty]), [kept]);
        let outside = Candidate { start: 14, ..empty };
        assert_eq!(best_of_overlapping(vec![outside, kept]), [kept, outside]);
    }

    #[test]
    fn near_matches_everywhere_are_kept_apart() {
        // Found by the superlinear check: every place in a run of `a` is a near match of `aaaaaaaaab`.
        let text = chars(&"a".repeat(5_000));
        let found = search(&text, &chars("aaaaaaaaab"), 2);
        assert_eq!(found.len(), 500);
        assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
        assert!(found.iter().all(|c| c.errors == 1));
    }

    #[test]
    fn containment_of_context() {
        assert_eq!(containment(&chars("abcd"), &chars("xxabcdxx")), 1.0);
        assert_eq!(containment(&chars("abcd"), &chars("")), 0.0);
        assert_eq!(containment(&chars("abcd"), &chars("zabxdz")), 0.75);
        assert_eq!(containment(&chars(""), &chars("abc")), 1.0);
        // A word dropped beside the quote costs only its own edits.
        let prefix = chars("we had nothing ");
        assert!(containment(&prefix, &chars("e had nothing ")) > 0.9);
    }
}
