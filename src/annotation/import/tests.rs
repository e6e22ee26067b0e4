//! Export, import into an empty store, export again: the same file but for `exported`, whatever the
//! quotes and notes hold; and what an import reports.

use std::path::Path;

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::annotation::{AnnotationId, ExportArticle, Tombstone, export_toml, parse_export};

const NOW: time::OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

/// Strings full of what breaks TOML writers: quotes, `'''`, line breaks, CJK, emoji, control characters.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("'''".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\\".to_owned()),
        Just("芯片出口限制".to_owned()),
        Just("😀🇺🇸👍🏽".to_owned()),
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]",
        "[a-z ]{1,6}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn without_exported(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("exported = "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn export_of(store: &AnnotationStore, text: &str) -> String {
    let mut file = store.load("a").unwrap();
    crate::annotation::anchor_all(&mut file, &text.chars().collect::<Vec<_>>());
    let article = ExportArticle::missing("a", file.annotations);
    export_toml(&[article], datetime!(2027-02-02 00:00:00 UTC))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn export_import_export_is_stable(
        before in nasty(), quote in nasty(), after in nasty(), note in nasty(),
    ) {
        // An article's plain text is always clean (the note need not be: it is cleaned as it comes in).
        let text = crate::article::clean::clean_text(&format!("{before}{quote}{after}"));
        let n = text.chars().count();
        prop_assume!(n > 0);
        let start = before.chars().count().min(n - 1);
        let end = (start + quote.chars().count()).clamp(start + 1, n);
        let claim = Annotation::new("a", &text, start, end, vec!["t".into()], Some(note), NOW);
        let first = export_toml(&[ExportArticle::missing("a", vec![claim])], NOW);
        let parsed = toml::from_str::<toml::Table>(&first);
        prop_assert!(parsed.is_ok(), "{first}");
        let exported = parse_export(first.as_bytes(), Path::new("x.toml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = AnnotationStore::new(dir.path());
        let report = import(&store, exported, |_| Some(text.clone()), false);
        prop_assert_eq!((report.added, report.orphaned), (1, 0));
        let second = export_of(&store, &text);
        prop_assert_eq!(without_exported(&first), without_exported(&second));
    }
}

#[test]
fn imports_report_and_merge() {
    let text = "One claim here. Another claim there.";
    let first = Annotation::new("a", text, 0, 15, vec!["t".into()], None, NOW);
    let second = Annotation::new("a", text, 16, 36, vec!["t".into()], None, NOW);
    let export = |annotations: Vec<Annotation>| {
        let text = export_toml(&[ExportArticle::missing("a", annotations)], NOW);
        parse_export(text.as_bytes(), Path::new("x")).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path());
    let dry = import(
        &store,
        export(vec![first.clone()]),
        |_| Some(text.into()),
        true,
    );
    assert_eq!(dry.added, 1);
    assert!(store.article_ids().is_empty());
    import(
        &store,
        export(vec![first.clone()]),
        |_| Some(text.into()),
        false,
    );
    let mut newer = first.clone();
    newer.note = Some("now with a note".into());
    newer.updated = datetime!(2026-01-05 00:00:00 UTC);
    let mut twin = newer.clone();
    twin.id = crate::annotation::AnnotationId::new(NOW);
    let edited = format!("Intro. {}", text.replace("Another claim there.", ""));
    let report = import(
        &store,
        export(vec![newer.clone(), second, twin]),
        |_| Some(edited.clone()),
        false,
    );
    assert_eq!(
        (
            report.added,
            report.updated,
            report.unchanged,
            report.merged,
            report.orphaned
        ),
        (1, 1, 0, 1, 1)
    );
    let stored = store.load("a").unwrap().annotations;
    assert_eq!(stored.len(), 2);
    assert!(
        stored
            .iter()
            .any(|a| a.note.as_deref() == Some("now with a note") && a.start == 7)
    );
}

fn export_of_claims(annotations: Vec<Annotation>) -> crate::annotation::Exported {
    let text = export_toml(&[ExportArticle::missing("a", annotations)], NOW);
    parse_export(text.as_bytes(), Path::new("x")).unwrap()
}

#[test]
fn one_id_twice_with_different_content_is_a_duplicate_not_unchanged() {
    let text = "One claim here. Another claim there.";
    let first = Annotation::new("a", text, 0, 15, vec!["t".into()], None, NOW);
    let mut other = first.clone();
    other.tags = vec!["u".into()];
    other.updated = NOW + time::Duration::seconds(1);
    let exported = export_of_claims(vec![first.clone(), other]);
    assert_eq!(exported.duplicates.len(), 1);
    assert_eq!(exported.duplicates[0].id, first.id);
    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path());
    let report = import(&store, exported, |_| Some(text.into()), false);
    assert_eq!((report.added, report.updated, report.unchanged), (1, 1, 0));
    assert_eq!(report.duplicate_ids, 1);
    assert!(
        report
            .summary()
            .contains("1 with an id repeated in the file"),
        "{}",
        report.summary()
    );
    assert_eq!(store.load("a").unwrap().annotations[0].tags, ["u"]);
    // The same file again: the older copy is older than the store's, not unchanged.
    let again = import(
        &store,
        export_of_claims(vec![first, store.load("a").unwrap().annotations[0].clone()]),
        |_| Some(text.into()),
        false,
    );
    assert_eq!(
        (again.older, again.unchanged, again.duplicate_ids),
        (1, 1, 1)
    );
}

#[test]
fn many_ids_with_one_claim_are_merged_not_unchanged() {
    let text = "One claim here.";
    let claims: Vec<Annotation> = (0..50_000)
        .map(|_| Annotation::new("a", text, 0, 15, vec!["t".into()], None, NOW))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path());
    let report = import(
        &store,
        export_of_claims(claims),
        |_| Some(text.into()),
        false,
    );
    assert_eq!(
        (report.added, report.merged, report.unchanged),
        (1, 49_999, 0)
    );
    assert_eq!(
        report.summary(),
        "1 added, 0 updated, 0 unchanged, 49999 merged into the same claim under another id, 0 orphaned"
    );
    assert_eq!(store.load("a").unwrap().annotations.len(), 1);
}

#[test]
fn orphans_are_counted_among_what_was_added() {
    let text = "One claim here. Another claim there. A third one.";
    let claims: Vec<Annotation> = [(0, 15), (16, 36), (37, 49)]
        .iter()
        .map(|&(s, e)| Annotation::new("a", text, s, e, vec!["t".into()], None, NOW))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path());
    // The article is not in the content dir: every annotation added is an orphan.
    let report = import(&store, export_of_claims(claims.clone()), |_| None, false);
    assert_eq!((report.added, report.orphaned), (3, 3));
    // Importing them again adds nothing, and no orphan is new.
    let report = import(&store, export_of_claims(claims), |_| None, false);
    assert_eq!((report.added, report.unchanged, report.orphaned), (0, 3, 0));
}

/// The merge as first written, one annotation at a time through `ArticleAnnotations::merge` with a scan
/// for twins: what the indexed merge must agree with.
fn merge_one_by_one(
    file: &mut ArticleAnnotations,
    incoming: Vec<Annotation>,
) -> Vec<(Merged, bool)> {
    let claim = |a: &Annotation| {
        (
            a.start,
            a.end,
            a.quote.clone(),
            a.tags.clone(),
            a.note.clone(),
        )
    };
    incoming
        .into_iter()
        .map(|annotation| {
            let orphaned = annotation.orphaned;
            let twin = file
                .annotations
                .iter()
                .any(|b| claim(b) == claim(&annotation));
            if file.get(annotation.id).is_none() && twin {
                return (Merged::Unchanged, orphaned);
            }
            (file.merge(annotation), orphaned)
        })
        .collect()
}

fn id_of(n: u128) -> AnnotationId {
    format!("00000000-0000-7000-8000-{n:012x}").parse().unwrap()
}

/// An annotation drawn from a few ids, places, tags, notes and times, so that merges collide.
fn colliding() -> impl Strategy<Value = Annotation> {
    (
        0u128..4,
        0usize..3,
        0usize..2,
        any::<bool>(),
        0i64..4,
        any::<bool>(),
    )
        .prop_map(|(id, start, tag, note, updated, orphaned)| {
            let tags = vec![["t", "u"][tag].to_owned()];
            let note = note.then(|| "n".to_owned());
            let mut a = Annotation::new("a", "abcdef", start, start + 2, tags, note, NOW);
            a.id = id_of(id);
            a.updated = NOW + time::Duration::milliseconds(updated);
            a.orphaned = orphaned;
            a
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn indexed_merge_agrees_with_one_by_one(
        stored in prop::collection::vec(colliding(), 0..6),
        deleted in prop::collection::vec((0u128..4, 0i64..4), 0..4),
        incoming in prop::collection::vec(colliding(), 0..10),
    ) {
        let mut file = ArticleAnnotations::new("a");
        for a in stored {
            if file.get(a.id).is_none() {
                file.annotations.push(a);
            }
        }
        for (id, at) in deleted {
            let id = id_of(id);
            file.tombstones.push(Tombstone { id, deleted: NOW + time::Duration::milliseconds(at) });
        }
        file.sort();
        let mut reference = file.clone();
        let expected = merge_one_by_one(&mut reference, incoming.clone());
        let outcomes: Vec<(Merged, bool)> = merge_into(&mut file, incoming)
            .into_iter()
            .map(|o| (o.kind.as_merged(), o.orphaned))
            .collect();
        reference.sort();
        prop_assert_eq!(outcomes, expected);
        prop_assert_eq!(file, reference);
    }
}
