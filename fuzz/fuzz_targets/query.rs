//! Search queries from any text, through the checks, the date rewrite and tantivy's parser, run against a
//! small index. Nothing panics outside what the query wrapper contains; a refused query gets an inert
//! message; an accepted one searches without being taken for a damaged index, and its snippets and match
//! ranges are inert and in bounds. As a search box searches while its query is typed, every prefix of an
//! accepted query is accepted too, or refused only for having no words yet, an unfinished date, or a cap.

#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsgloss::annotation::{Annotation, AnnotationStore};
use newsgloss::index::{ArticleIndex, QueryError, SearchError, SyncOptions};

/// The index, and the dir its articles and annotations were written to (kept for the process's life).
static INDEX: OnceLock<(ArticleIndex, tempfile::TempDir)> = OnceLock::new();

const ARTICLES: &[(&str, &str)] = &[
    (
        "alibaba-cloud-spin-off.md",
        include_str!("../../content/alibaba-cloud-spin-off.md"),
    ),
    (
        "chips.md",
        "+++\ntitle = \"芯片 export rules\"\nsource = \"Example News\"\nauthor = \"A. Writer\"\n\
         published = 2023-11-16T08:30:00Z\nlanguage = \"zh\"\ntags = [\"chips\", \"ai\"]\n+++\n\n",
    ),
    (
        "tokyo.md",
        "+++\ntitle = \"東京都\"\npublished = 2024-02-29\n+++\n\n",
    ),
];

fn index() -> &'static ArticleIndex {
    &INDEX.get_or_init(build).0
}

fn build() -> (ArticleIndex, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).expect("a content dir");
    for (name, text) in ARTICLES {
        let text = match *name {
            "alibaba-cloud-spin-off.md" => text.to_string(),
            _ => format!("{text}{}", common::TEXT),
        };
        std::fs::write(content.join(name), text).expect("an article file");
    }
    let annotations = dir.path().join("annotations");
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let claim = Annotation::new(
        "chips",
        common::TEXT,
        3,
        20,
        vec!["chip-restrictions".into()],
        Some("why \"it\" matters".into()),
        now,
    );
    AnnotationStore::new(&annotations)
        .add(claim)
        .expect("an annotation");
    let scan = newsgloss::content::scan(&content).expect("the content dir");
    let options = SyncOptions {
        annotations_dir: Some(annotations),
        threads: 1,
        writer_memory_mib: 50,
        ..SyncOptions::default()
    };
    let index = ArticleIndex::in_ram();
    index.sync(&scan, &options, &|_, _| {}).expect("a sync");
    (index, dir)
}

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic; a panic that the query wrapper contains is its design.
        let aborting = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !newsgloss::contain::is_containing() {
                aborting(info);
            }
        }));
        index();
    },
    |data: &[u8]| {
        let Ok(query) = std::str::from_utf8(data) else {
            return;
        };
        let index = index();
        match index.search(query, 10, 160) {
            Ok(results) => {
                assert!(results.hits.len() <= 10 && results.hits.len() <= results.total);
                for hit in &results.hits {
                    common::assert_inert("a snippet", &hit.snippet);
                    let len = hit.snippet.chars().count();
                    assert!(hit.highlights.iter().all(|r| r.start < r.end && r.end <= len));
                }
            }
            Err(SearchError::Query(error)) => common::assert_inert("an error", &error.to_string()),
            Err(error) => panic!("the query {query:?} failed as {error}"),
        }
        if query.chars().count() <= 64 && index.search(query, 1, 80).is_ok() {
            for (end, _) in query.char_indices().skip(1) {
                check_prefix(index, &query[..end]);
            }
        }
        if let Ok(ranges) = index.match_ranges(query, common::TEXT) {
            let len = common::TEXT.chars().count();
            assert!(ranges.iter().all(|r| r.start < r.end && r.end <= len), "{ranges:?}");
        }
    }
);

/// A prefix of an accepted query: results, or a refusal that typing on can mend.
fn check_prefix(index: &ArticleIndex, prefix: &str) {
    match index.search(prefix, 1, 80) {
        Ok(_)
        | Err(SearchError::Query(
            QueryError::Empty | QueryError::NoWords | QueryError::TooCostly(_),
        )) => {}
        Err(SearchError::Query(QueryError::Invalid(why)))
            if why.contains("date") || why.contains("FIELD:*") => {}
        Err(error) => panic!("the prefix {prefix:?} of an accepted query failed as {error}"),
    }
}
