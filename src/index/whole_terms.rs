//! Chinese and Japanese query terms highlighted whole: the index splits CJK text into pieces (character
//! pairs), so the term highlighter marks each piece wherever it occurs, `出口` alone included. Here the
//! pieces' highlights give way to every occurrence of the query's CJK runs as typed (`出口管制`), which is
//! where the pieces stand together, that is, where the index matched.

use std::ops::Range;

use super::tokenizer::is_cjk;

/// The runs of CJK characters in `query` (`AI 出口管制 "東京都"` gives `出口管制`, `東京都`), except
/// those of excluded clauses (`-芯片`).
pub fn cjk_runs(query: &str) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    for word in query.split_whitespace() {
        if word.starts_with('-') {
            continue;
        }
        let mut run = String::new();
        for c in word.chars().chain(std::iter::once(' ')) {
            if is_cjk(c) {
                run.push(c);
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
    }
    runs.sort();
    runs.dedup();
    runs
}

/// `highlights` (byte ranges into `text`, sorted) with those of CJK text replaced by every occurrence of
/// a run of `runs` in `text`; the others are kept. Sorted, without overlaps.
pub fn whole(text: &str, highlights: Vec<Range<usize>>, runs: &[String]) -> Vec<Range<usize>> {
    if runs.is_empty() {
        return highlights;
    }
    let mut out: Vec<Range<usize>> = highlights
        .into_iter()
        .filter(|r| !text.get(r.clone()).is_some_and(|t| t.chars().any(is_cjk)))
        .collect();
    for run in runs {
        out.extend(
            text.match_indices(run.as_str())
                .map(|(at, _)| at..at + run.len()),
        );
    }
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_terms_are_marked_whole_and_only_where_they_stand_together() {
        let runs = cjk_runs("AI 出口管制 -芯片 title:東京都");
        assert_eq!(runs, ["出口管制", "東京都"]);
        let text = "出口 rose; 出口管制 AI 出口管制";
        let pair = |at: usize| at..at + "出口".len();
        let ai = text.find("AI").unwrap();
        // What the term highlighter gives: each pair wherever it is.
        let pieces = vec![pair(0), pair(text.find("出口管制").unwrap()), ai..ai + 2];
        let marked: Vec<&str> = whole(text, pieces, &runs)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(marked, ["出口管制", "AI", "出口管制"]);
        let kept = whole("a b", vec![0..1, 2..3], &[]);
        assert_eq!(kept, [0..1, 2..3]);
    }
}
