//! Storing articles: new, unchanged, updated with the old version kept and annotations re-anchored, and a
//! hand-edited file kept with the fetched version beside it.

use time::macros::datetime;

use super::*;
use crate::annotation::Annotation;

fn library() -> (tempfile::TempDir, ArticleDirs) {
    let dir = tempfile::tempdir().unwrap();
    let library = ArticleDirs {
        content_dir: dir.path().join("content"),
        annotations_dir: dir.path().join("annotations"),
    };
    (dir, library)
}

fn file(body: &str) -> Vec<u8> {
    format!("+++\ntitle = \"T\"\n+++\n\n{body}\n").into_bytes()
}

const NOW: OffsetDateTime = datetime!(2026-11-26 08:00:00 UTC);

#[test]
fn new_unchanged_updated() {
    let (_dir, library) = library();
    let mut state = IngestState::default();
    let old = "Alibaba will spin off its cloud unit.\n\nThe plan was announced in March.";
    assert_eq!(
        library.store(&mut state, "a", &file(old), NOW).unwrap(),
        Change::New
    );
    assert_eq!(
        library.store(&mut state, "a", &file(old), NOW).unwrap(),
        Change::Unchanged
    );

    let store = AnnotationStore::new(&library.annotations_dir);
    let text = Article::parse("a", std::str::from_utf8(&file(old)).unwrap())
        .unwrap()
        .0
        .text;
    let at = |quote: &str| text.find(quote).map(|b| text[..b].chars().count()).unwrap();
    let moves = Annotation::new(
        "a",
        &text,
        at("announced in March"),
        at("announced in March") + 18,
        vec!["spin-off".into()],
        None,
        NOW,
    );
    let goes = Annotation::new(
        "a",
        &text,
        at("spin off"),
        at("spin off") + 8,
        vec!["spin-off".into()],
        None,
        NOW,
    );
    store.add(moves).unwrap();
    store.add(goes).unwrap();

    let new = "Update: a new lead paragraph.\n\nAlibaba called off its cloud unit's listing.\n\nThe plan was announced in March.";
    let Change::Updated(report) = library.store(&mut state, "a", &file(new), NOW).unwrap() else {
        panic!("not updated")
    };
    assert_eq!(report.moved, 1);
    assert_eq!(report.orphans.len(), 1);
    assert_eq!(report.orphans[0].quote, "spin off");
    assert_eq!(std::fs::read(&report.previous).unwrap(), file(old));
    assert_eq!(std::fs::read(library.article_path("a")).unwrap(), file(new));
    let versions = library.versions("a").unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].name, "20261126T080000Z");
    assert!(!versions[0].fetched);
}

#[test]
fn a_hand_edit_is_kept() {
    let (_dir, library) = library();
    let mut state = IngestState::default();
    library
        .store(&mut state, "a", &file("Original."), NOW)
        .unwrap();
    std::fs::write(library.article_path("a"), file("My own edit.")).unwrap();
    assert_eq!(
        library
            .store(&mut state, "a", &file("Original."), NOW)
            .unwrap(),
        Change::Unchanged
    );
    let Change::KeptEdit { incoming } = library
        .store(&mut state, "a", &file("Changed upstream."), NOW)
        .unwrap()
    else {
        panic!("overwritten")
    };
    assert_eq!(
        std::fs::read(library.article_path("a")).unwrap(),
        file("My own edit.")
    );
    assert_eq!(std::fs::read(&incoming).unwrap(), file("Changed upstream."));
    assert_eq!(
        library
            .store(&mut state, "a", &file("Changed upstream."), NOW)
            .unwrap(),
        Change::Unchanged
    );
    assert!(library.versions("a").unwrap()[0].fetched);
}

#[test]
fn a_file_newsgloss_did_not_write_is_never_overwritten() {
    let (_dir, library) = library();
    let mut state = IngestState::default();
    write_atomically(&library.article_path("a"), &file("Mine.")).unwrap();
    assert!(matches!(
        library
            .store(&mut state, "a", &file("Theirs."), NOW)
            .unwrap(),
        Change::KeptEdit { .. }
    ));
    assert_eq!(
        std::fs::read(library.article_path("a")).unwrap(),
        file("Mine.")
    );
}
