//! Fuzzy matching for the tag picker, behind one function (nucleo-matcher, the matcher of helix).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The indices of `items` that match `query` fuzzily, best first (ties in the items' order); every item, in
/// order, for an empty query.
pub fn rank(query: &str, items: &[&str]) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..items.len()).collect();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, u32)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let score = pattern.score(Utf32Str::new(item, &mut buf), &mut matcher)?;
            Some((i, score))
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_fuzzy_matches_best_first() {
        let items = ["spin-off", "chip-restrictions", "copilot-losses", "outage"];
        assert_eq!(rank("", &items), [0, 1, 2, 3]);
        assert_eq!(rank("cpl", &items)[0], 2);
        assert_eq!(rank("chip", &items), [1]);
        assert!(rank("zzz", &items).is_empty());
    }
}
