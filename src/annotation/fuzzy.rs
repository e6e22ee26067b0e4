//! Approximate matching: where a quote occurs in a text within a bounded number of edits (Sellers'
//! algorithm, tracking where each match starts), and how similar two short strings are.

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

/// Keeps the best of each group of overlapping candidates.
fn best_of_overlapping(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_by_key(|c| (c.errors, c.start, c.end));
    let mut kept: Vec<Candidate> = Vec::new();
    for candidate in found {
        let overlaps = kept
            .iter()
            .any(|k| candidate.start < k.end && k.start < candidate.end);
        if !overlaps {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|c| c.start);
    kept
}

/// Levenshtein distance between two short strings.
pub fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// How alike `expected` and `actual` are, from 0 to 1; two empty strings are alike, one empty one is not.
pub fn similarity(expected: &[char], actual: &[char]) -> f64 {
    let longest = expected.len().max(actual.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - distance(expected, actual) as f64 / longest as f64
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

    #[test]
    fn similarity_of_context() {
        assert_eq!(similarity(&chars(""), &chars("")), 1.0);
        assert_eq!(similarity(&chars("abcd"), &chars("")), 0.0);
        assert_eq!(similarity(&chars("abcd"), &chars("abxd")), 0.75);
        assert_eq!(distance(&chars("kitten"), &chars("sitting")), 3);
    }
}
