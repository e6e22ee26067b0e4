//! The three-way merge: the cases the driver decides, and random histories on two sides that merge the
//! same whichever side is ours.

use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::annotation::model::{Person, Tombstone};

const TEXT: &str =
    "Alibaba terminated the spin-off of its cloud unit, citing US export restrictions.";

fn at(minute: i64) -> OffsetDateTime {
    datetime!(2026-01-01 00:00:00 UTC) + time::Duration::minutes(minute)
}

fn person(name: &str) -> Option<Person> {
    Person::new(name, Some(&format!("{name}@example.com")))
}

fn claim(start: usize, minute: i64, who: &str) -> Annotation {
    Annotation::new(
        "a",
        TEXT,
        start,
        start + 7,
        vec!["cloud".into()],
        None,
        at(minute),
    )
    .by(person(who))
}

fn file(annotations: &[Annotation], tombstones: &[Tombstone]) -> ArticleAnnotations {
    let mut f = ArticleAnnotations::new("a");
    f.annotations = annotations.to_vec();
    f.tombstones = tombstones.to_vec();
    f.sort();
    f
}

#[test]
fn both_sides_changing_different_fields_keeps_both_changes() {
    let base = claim(0, 0, "ana");
    let mut ours = base.clone();
    ours.note = Some("ours".into());
    ours.updated = at(5);
    ours.edited_by(person("ana"));
    let mut theirs = base.clone();
    theirs.tags = vec!["export-controls".into()];
    theirs.updated = at(3);
    theirs.edited_by(person("ben"));
    let merged = merge_three(
        &file(std::slice::from_ref(&base), &[]),
        &file(&[ours], &[]),
        &file(&[theirs], &[]),
    );
    let a = &merged.annotations[0];
    assert_eq!(
        (a.note.as_deref(), a.tags.clone()),
        (Some("ours"), vec!["export-controls".to_string()])
    );
    assert_eq!(
        (a.updated, a.creator.clone(), a.editor.clone()),
        (at(5), person("ana"), person("ben"))
    );
}

#[test]
fn a_later_edit_beats_a_deletion_and_an_earlier_one_does_not() {
    let base = claim(0, 0, "ana");
    let mut edited = base.clone();
    edited.note = Some("edited".into());
    edited.updated = at(5);
    for (deleted, survives) in [(at(4), true), (at(6), false), (at(5), false)] {
        let gone = file(
            &[],
            &[Tombstone {
                id: base.id,
                deleted,
            }],
        );
        let b = file(std::slice::from_ref(&base), &[]);
        let one = merge_three(&b, &file(&[edited.clone()], &[]), &gone);
        let other = merge_three(&b, &gone, &file(&[edited.clone()], &[]));
        assert_eq!(one, other);
        assert_eq!(one.annotations.len() == 1, survives, "deleted {deleted}");
        assert_eq!(one.tombstones.len() == 1, !survives);
    }
}

#[test]
fn both_sides_adding_keeps_the_union_and_a_tie_is_decided_by_value() {
    let base = claim(0, 0, "ana");
    let (a, b) = (claim(10, 1, "ana"), claim(20, 1, "ben"));
    let merged = merge_three(
        &file(std::slice::from_ref(&base), &[]),
        &file(&[base.clone(), a], &[]),
        &file(&[base.clone(), b], &[]),
    );
    assert_eq!(merged.annotations.len(), 3);
    let (mut x, mut y) = (base.clone(), base.clone());
    x.note = Some("x".into());
    y.note = Some("y".into());
    let one = merge_three(
        &file(std::slice::from_ref(&base), &[]),
        &file(&[x.clone()], &[]),
        &file(&[y.clone()], &[]),
    );
    let other = merge_three(&file(&[base], &[]), &file(&[y], &[]), &file(&[x], &[]));
    assert_eq!(one, other);
    assert_eq!(one.annotations[0].note.as_deref(), Some("y"));
}

/// One step of a history on one side: what the store's own operations do to a file.
#[derive(Debug, Clone)]
enum Step {
    Add { start: usize, by: usize },
    Tag { pick: usize, tag: usize, by: usize },
    Note { pick: usize, note: usize, by: usize },
    Delete { pick: usize },
}

fn step() -> impl Strategy<Value = (Step, i64)> {
    let step = prop_oneof![
        (0..60usize, 0..3usize).prop_map(|(start, by)| Step::Add { start, by }),
        (0..8usize, 0..4usize, 0..3usize).prop_map(|(pick, tag, by)| Step::Tag { pick, tag, by }),
        (0..8usize, 0..3usize, 0..3usize).prop_map(|(pick, note, by)| Step::Note {
            pick,
            note,
            by
        }),
        (0..8usize).prop_map(|pick| Step::Delete { pick }),
    ];
    (step, 0..4i64)
}

const PEOPLE: [&str; 3] = ["ana", "ben", "chen"];
const TAGS: [&str; 4] = ["cloud", "ipo", "export-controls", "chips"];
const NOTES: [&str; 3] = ["why", "because", ""];

/// Applies `steps` to `file`, the clock starting at `minute` and moving on by each step's gap (0 makes ties).
fn apply(
    mut file: ArticleAnnotations,
    steps: &[(Step, i64)],
    mut minute: i64,
) -> ArticleAnnotations {
    for (step, gap) in steps {
        minute += gap;
        let now = at(minute);
        let n = file.annotations.len();
        match *step {
            Step::Add { start, by } => {
                file.merge(claim(start, minute, PEOPLE[by]));
            }
            Step::Delete { pick } if n > 0 => {
                let a = &file.annotations[pick % n];
                let tombstone = Tombstone {
                    id: a.id,
                    deleted: now.max(a.updated),
                };
                file.merge_tombstone(tombstone);
            }
            Step::Tag { pick, tag, by } if n > 0 => {
                let a = &mut file.annotations[pick % n];
                a.tags = vec![TAGS[tag].into()];
                a.updated = now.max(a.updated);
                a.edited_by(person(PEOPLE[by]));
            }
            Step::Note { pick, note, by } if n > 0 => {
                let a = &mut file.annotations[pick % n];
                a.note = Some(NOTES[note].to_owned()).filter(|n| !n.is_empty());
                a.updated = now.max(a.updated);
                a.edited_by(person(PEOPLE[by]));
            }
            _ => {}
        }
    }
    file
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_histories_merge_the_same_whichever_side_is_ours(
        shared in prop::collection::vec(step(), 0..6),
        left in prop::collection::vec(step(), 0..8),
        right in prop::collection::vec(step(), 0..8),
    ) {
        let base = apply(ArticleAnnotations::new("a"), &shared, 0);
        let ours = apply(base.clone(), &left, 30);
        let theirs = apply(base.clone(), &right, 30);
        let one = merge_three(&base, &ours, &theirs);
        let other = merge_three(&base, &theirs, &ours);
        prop_assert_eq!(one.render(), other.render());
        // Nothing added on either side and deleted on neither is lost.
        let tombstoned = |id| ours.tombstones.iter().chain(&theirs.tombstones).any(|t| t.id == id);
        for a in ours.annotations.iter().chain(&theirs.annotations) {
            if base.get(a.id).is_none() && !tombstoned(a.id) {
                prop_assert!(one.get(a.id).is_some(), "{} was lost", a.id);
            }
        }
        // Each side merged with itself, or with the merge, is unchanged.
        for x in [&base, &ours, &theirs, &one] {
            prop_assert_eq!(&merge_three(x, x, x), x);
            prop_assert_eq!(&merge_three(&base, x, x), x);
        }
        let reparsed = ArticleAnnotations::parse("a", std::path::Path::new("a.toml"), one.render().as_bytes());
        prop_assert_eq!(reparsed.as_ref(), Ok(&one));
    }
}

#[test]
fn links_merge_as_a_set_additions_kept_removals_taken() {
    use crate::annotation::model::{Link, Relation};
    let (x, y, z, w) = (
        claim(1, 0, "a"),
        claim(2, 0, "a"),
        claim(3, 0, "a"),
        claim(4, 0, "a"),
    );
    let link = |a: &Annotation, rel| Link { id: a.id, rel };
    let mut base = claim(0, 0, "ana");
    base.links = vec![link(&x, Relation::Supports), link(&y, Relation::Supports)];
    // Ours removes x and adds z; theirs adds w and calls y a contradiction.
    let mut ours = base.clone();
    ours.links = vec![link(&y, Relation::Supports), link(&z, Relation::Same)];
    ours.updated = at(5);
    let mut theirs = base.clone();
    theirs.links = vec![
        link(&x, Relation::Supports),
        link(&y, Relation::Contradicts),
        link(&w, Relation::Supports),
    ];
    theirs.updated = at(3);
    let expected = {
        let mut l = vec![
            link(&y, Relation::Contradicts),
            link(&z, Relation::Same),
            link(&w, Relation::Supports),
        ];
        l.sort();
        l
    };
    for (one, other) in [(&ours, &theirs), (&theirs, &ours)] {
        let merged = merge_three(
            &file(std::slice::from_ref(&base), &[]),
            &file(std::slice::from_ref(one), &[]),
            &file(std::slice::from_ref(other), &[]),
        );
        assert_eq!(merged.annotations[0].links, expected);
    }
    // Without a common ancestor, both sides' links are kept.
    let merged = merge_three(
        &file(&[], &[]),
        &file(std::slice::from_ref(&ours), &[]),
        &file(std::slice::from_ref(&theirs), &[]),
    );
    assert_eq!(merged.annotations[0].links.len(), 4);
}
