//! The shared corpora, when they are there (`../shared/corpus`): the index holds every loadable file, and
//! a one-word search finds every article whose plain text holds the word.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{Workspace, copy_dir, shared_corpus, stdout_of};

/// The ids of every hit of `query` (JSON output, no limit in practice).
fn hit_ids(ws: &Workspace, query: &str) -> BTreeSet<String> {
    ranked_ids(ws, query).into_iter().collect()
}

/// The ids of every hit of `query`, best first.
pub fn ranked_ids(ws: &Workspace, query: &str) -> Vec<String> {
    let out = stdout_of(
        ws.cmd()
            .args(["search", "--format", "json", "--limit", "100000", query]),
    );
    let hits: Value = serde_json::from_str(&out).unwrap();
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every loadable article of a content dir.
pub fn load_all(dir: &std::path::Path) -> Vec<newsgloss::article::Article> {
    let scan = newsgloss::content::scan(dir).unwrap();
    let mut warnings = Vec::new();
    scan.files
        .iter()
        .filter_map(|f| newsgloss::content::load(f, 1 << 23, &mut warnings))
        .collect()
}

/// Whether `text` holds `word` as a whole word, in any case.
fn holds_word(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    lower.match_indices(word).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn bbc_is_indexed_whole_and_one_word_search_misses_nothing() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let ws = Workspace::new();
    let files = copy_dir(&bbc, &ws.content());
    let first = stdout_of(ws.cmd().arg("index"));
    // Every file of the corpus loads.
    assert!(
        first.starts_with(&format!("{files} articles indexed")),
        "{first}"
    );

    // The plain text of every article, to check recall against.
    let articles = load_all(&ws.content());
    assert_eq!(articles.len(), files);
    for word in [
        "broadband",
        "election",
        "chelsea",
        "gadget",
        "tax",
        "film",
        "microsoft",
    ] {
        let expected: BTreeSet<String> = articles
            .iter()
            .filter(|a| holds_word(&a.text, word) || holds_word(&a.meta.title, word))
            .map(|a| a.id.clone())
            .collect();
        let found = hit_ids(&ws, word);
        let missed: Vec<_> = expected.difference(&found).collect();
        assert!(
            missed.is_empty(),
            "{word}: {} expected, missed {missed:?}",
            expected.len()
        );
        assert!(!expected.is_empty(), "{word} is in the corpus");
    }

    // Nothing changed: nothing is written.
    let second = stdout_of(ws.cmd().arg("index"));
    assert!(second.contains(&format!("{files} unchanged")), "{second}");
    assert!(second.contains("nothing to write"), "{second}");
    // One file changed: that file alone is read again.
    let one = ws.content().join("00042.md");
    let text = std::fs::read_to_string(&one).unwrap();
    std::fs::write(
        &one,
        text.replace("+++\n\n", "+++\n\nZanzibarian marmalade. "),
    )
    .unwrap();
    let third = stdout_of(ws.cmd().arg("index"));
    assert!(
        third.contains(&format!(
            "0 added, 1 updated, 0 removed, {} unchanged",
            files - 1
        )),
        "{third}"
    );
    let out = stdout_of(ws.cmd().args(["search", "--format", "json", "zanzibarian"]));
    let hits: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(hits[0]["id"], "00042");
}
