//! The store on a temp dir: adding, editing, deleting and restoring; anchoring saves moved anchors;
//! concurrent writers lose nothing; a corrupt file is reported and never touched.

use time::macros::datetime;

use super::*;

const TEXT: &str =
    "Alibaba terminated the spin-off. US export restrictions on chips hurt. Copilot loses USD 20.";
const NOW: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

fn claim(article: &str, quote: &str) -> Annotation {
    let start = TEXT.find(quote).map(|b| TEXT[..b].chars().count()).unwrap();
    let end = start + quote.chars().count();
    Annotation::new(
        article,
        TEXT,
        start,
        end,
        vec!["spin-off".into()],
        None,
        NOW,
    )
}

fn store() -> (tempfile::TempDir, AnnotationStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path().join("annotations"));
    (dir, store)
}

#[test]
fn add_edit_delete_and_undo() {
    let (_dir, store) = store();
    let a = claim("news/2023/alibaba", "terminated the spin-off");
    assert_eq!(store.add(a.clone()).unwrap(), Merged::Added);
    assert!(store.dir().join("news/2023/alibaba.toml").is_file());
    let edit = Edit {
        tags: Some(vec!["spin-off".into(), "ipo".into()]),
        note: Some(Some("why".into())),
    };
    let later = datetime!(2026-01-02 00:00:00 UTC);
    let edited = store.edit("news/2023/alibaba", a.id, edit, later).unwrap();
    assert_eq!((edited.tags.len(), edited.updated), (2, later));
    assert_eq!(
        store.load("news/2023/alibaba").unwrap().annotations,
        std::slice::from_ref(&edited)
    );
    let bad = Edit {
        tags: Some(vec!["Bad Tag".into()]),
        note: None,
    };
    assert!(matches!(
        store.edit("news/2023/alibaba", a.id, bad, later),
        Err(StoreError::BadTag(_))
    ));
    let deleted = store.delete("news/2023/alibaba", a.id, later).unwrap();
    let file = store.load("news/2023/alibaba").unwrap();
    assert!(file.annotations.is_empty() && file.tombstones.len() == 1);
    assert_eq!(store.find(a.id), Err(StoreError::NotFound(a.id)));
    store.restore(deleted, later).unwrap();
    let file = store.load("news/2023/alibaba").unwrap();
    assert_eq!(file.annotations.len(), 1);
    assert!(file.tombstones.is_empty());
    assert_eq!(store.find(a.id).unwrap().0, "news/2023/alibaba");
    assert_eq!(store.article_ids(), ["news/2023/alibaba"]);
}

#[test]
fn anchoring_saves_moved_anchors_and_keeps_orphans() {
    let (_dir, store) = store();
    store
        .add(claim("a", "export restrictions on chips"))
        .unwrap();
    store.add(claim("a", "Copilot loses USD 20")).unwrap();
    let edited = format!("New lead.\n\n{}", TEXT.replace("Copilot loses USD 20.", ""));
    let anchored = store.anchored("a", &edited).unwrap();
    assert_eq!((anchored.moved, anchored.orphaned), (2, 1));
    let on_disk = store.load("a").unwrap();
    assert_eq!(on_disk, anchored.file);
    let placed = on_disk.annotations.iter().find(|a| !a.orphaned).unwrap();
    let chars: Vec<char> = edited.chars().collect();
    assert_eq!(
        chars[placed.start..placed.end].iter().collect::<String>(),
        placed.quote
    );
    // Anchoring again changes nothing and writes nothing.
    let again = store.anchored("a", &edited).unwrap();
    assert_eq!((again.moved, again.orphaned), (0, 1));
}

#[test]
fn eight_threads_adding_twenty_each_keep_all_160() {
    let (_dir, store) = store();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let store = store.clone();
            scope.spawn(move || {
                for _ in 0..20 {
                    store
                        .add(claim("busy", "export restrictions on chips"))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(store.load("busy").unwrap().annotations.len(), 160);
}

#[test]
fn a_corrupt_file_is_reported_and_never_touched() {
    let (_dir, store) = store();
    store.add(claim("good", "terminated the spin-off")).unwrap();
    store.add(claim("bad", "terminated the spin-off")).unwrap();
    let path = store.path_of("bad").unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() - 30);
    bytes.extend_from_slice(b"\xff\xfe");
    std::fs::write(&path, &bytes).unwrap();
    let error = store.add(claim("bad", "Copilot loses USD 20")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("bad.toml:") && message.contains("not UTF-8"),
        "{message}"
    );
    assert!(store.anchored("bad", TEXT).is_err());
    assert!(store.delete("bad", AnnotationId::new(NOW), NOW).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // Everything else works.
    store.add(claim("good", "Copilot loses USD 20")).unwrap();
    let corpus = store.load_all();
    assert_eq!((corpus.articles.len(), corpus.errors.len()), (1, 1));
    assert_eq!(corpus.articles[0].annotations.len(), 2);
}

#[test]
fn stray_temp_files_are_removed_on_open() {
    let (_dir, store) = store();
    store.add(claim("a/b", "terminated the spin-off")).unwrap();
    let stray = store.dir().join("a/.b.toml.tmp.999.0");
    std::fs::write(&stray, "half").unwrap();
    let (store, removed) = AnnotationStore::open(store.dir()).unwrap();
    assert_eq!(removed, std::slice::from_ref(&stray));
    assert!(!stray.exists());
    assert_eq!(store.article_ids(), ["a/b"]);
}

#[test]
fn bad_article_ids_are_refused() {
    let (_dir, store) = store();
    assert!(matches!(
        store.load("../escape"),
        Err(StoreError::BadArticleId(_))
    ));
    assert!(matches!(
        store.add(claim("", "Copilot loses USD 20")),
        Err(StoreError::BadArticleId(_))
    ));
}

/// The ways a store file goes bad: truncated, not UTF-8, a duplicate key, a wrong type, deep nesting.
fn corruptions(good: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let text = std::str::from_utf8(good).unwrap();
    let start_line = text.lines().find(|l| l.starts_with("start = ")).unwrap();
    let mut not_utf8 = good.to_vec();
    not_utf8.splice(good.len() / 2..good.len() / 2, *b"\xff\xfe");
    vec![
        ("truncated", good[..good.len() * 2 / 3].to_vec()),
        ("not UTF-8", not_utf8),
        (
            "duplicate key",
            text.replacen(start_line, &format!("{start_line}\n{start_line}"), 1)
                .into_bytes(),
        ),
        (
            "wrong type",
            text.replacen(start_line, "start = \"four\"", 1)
                .into_bytes(),
        ),
        (
            "20,000 nested [",
            format!("{text}nested = {}\n", "[".repeat(20_000)).into_bytes(),
        ),
    ]
}

#[test]
fn corrupt_files_name_the_place_and_the_last_good_backup_and_are_never_written() {
    for (what, bad) in corruptions(&good_file_bytes()) {
        let (_dir, store) = store();
        store.add(claim("bad", "terminated the spin-off")).unwrap();
        store.add(claim("bad", "Copilot loses USD 20")).unwrap();
        let path = store.path_of("bad").unwrap();
        std::fs::write(&path, &bad).unwrap();
        let error = store.add(claim("bad", "export restrictions on chips"));
        let message = error.unwrap_err().to_string();
        let place = regex_free_place(&message);
        assert!(place.is_some(), "{what}: no file:line:col in {message}");
        let backup = store.dir().join(".backup/bad.toml.1");
        assert!(
            message.contains(&crate::content::shown(&backup))
                && message.contains("newsgloss annotations restore bad"),
            "{what}: {message}"
        );
        assert!(store.anchored("bad", TEXT).is_err(), "{what}");
        assert_eq!(std::fs::read(&path).unwrap(), bad, "{what}: file changed");
        // The rest of the store works.
        store.add(claim("good", "Copilot loses USD 20")).unwrap();
        let corpus = store.load_all();
        assert_eq!(
            (corpus.articles.len(), corpus.errors.len()),
            (1, 1),
            "{what}"
        );
        // Restoring puts back the last good version and keeps the damaged one aside.
        let restored = store.restore_last_good("bad").unwrap();
        assert_eq!((restored.from, restored.annotations), (backup, 1), "{what}");
        let kept = restored.kept.unwrap();
        assert_eq!(std::fs::read(&kept).unwrap(), bad, "{what}");
        assert_eq!(store.load("bad").unwrap().annotations.len(), 1, "{what}");
        assert_eq!(store.article_ids(), ["bad", "good"], "{what}");
        assert!(matches!(
            store.restore_last_good("bad"),
            Err(StoreError::NotCorrupt(_))
        ));
    }
}

/// A store file with two annotations.
fn good_file_bytes() -> Vec<u8> {
    let (_dir, store) = store();
    store.add(claim("bad", "terminated the spin-off")).unwrap();
    store.add(claim("bad", "Copilot loses USD 20")).unwrap();
    std::fs::read(store.path_of("bad").unwrap()).unwrap()
}

/// `bad.toml:LINE:COL: ` in a message, as (line, col).
fn regex_free_place(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("bad.toml:")? + "bad.toml:".len()..];
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    parts.next()?.starts_with(' ').then_some((line, col))
}

#[test]
fn without_a_backup_that_parses_nothing_is_restored() {
    let (_dir, store) = store();
    store.add(claim("bad", "terminated the spin-off")).unwrap();
    let path = store.path_of("bad").unwrap();
    std::fs::write(&path, "article = ").unwrap();
    let message = store.load("bad").unwrap_err().to_string();
    assert!(!message.contains("restore"), "{message}");
    assert!(matches!(
        store.restore_last_good("bad"),
        Err(StoreError::NoBackup { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), b"article = ");
}

#[test]
fn evidence_is_an_annotation_with_the_same_tags_linked_both_ways() {
    use crate::annotation::{Link, Relation};
    let (_dir, store) = store();
    let first = claim("krasia", "Copilot loses USD 20");
    store.add(first.clone()).unwrap();
    let later = NOW + time::Duration::minutes(1);
    let evidence = store
        .link_evidence(
            &first,
            "wsj",
            TEXT,
            (71, 91),
            Relation::Contradicts,
            None,
            later,
        )
        .unwrap();
    assert_eq!(evidence.quote, "Copilot loses USD 20");
    assert_eq!(
        (evidence.article.as_str(), evidence.tags.clone()),
        ("wsj", first.tags.clone())
    );
    let back = Link {
        id: first.id,
        rel: Relation::Contradicts,
    };
    assert_eq!(store.load("wsj").unwrap().annotations[0].links, [back]);
    let first_now = store.load("krasia").unwrap().annotations[0].clone();
    assert_eq!(
        first_now.links,
        [Link {
            id: evidence.id,
            rel: Relation::Contradicts
        }]
    );
    assert_eq!(first_now.updated, later);
    // The same passage again: the annotation there is linked, not a second one made.
    let again = store
        .link_evidence(
            &first,
            "wsj",
            TEXT,
            (71, 91),
            Relation::Supports,
            None,
            later,
        )
        .unwrap();
    assert_eq!(again.id, evidence.id);
    let stored = store.load("wsj").unwrap();
    assert_eq!(stored.annotations.len(), 1);
    assert_eq!(stored.annotations[0].links[0].rel, Relation::Supports);
    assert!(matches!(
        store.link("krasia", evidence.id, first.id, Relation::Same, None, later),
        Err(StoreError::NotFound(_))
    ));
}
