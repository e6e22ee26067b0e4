//! Store files: the stable layout parses back to the same annotations; corrupt files are located; merges
//! by id keep the newest and respect tombstones.

use std::path::Path;

use time::macros::datetime;

use super::*;
use crate::annotation::StoreError;

const TEXT: &str = "The \"chip\" ban: '''export restrictions''' on\nadvanced chips 芯片 😀.";

fn claim(start: usize, end: usize) -> Annotation {
    let now = datetime!(2026-01-01 00:00:00 UTC);
    let note = Some("why:\n  \"it matters\"\t'''".to_owned());
    Annotation::new(
        "a/b",
        TEXT,
        start,
        end,
        vec!["chip-restrictions".into()],
        note,
        now,
    )
}

fn file_of(annotations: Vec<Annotation>) -> ArticleAnnotations {
    let mut file = ArticleAnnotations::new("a/b");
    file.annotations = annotations;
    file.sort();
    file
}

fn corrupt_location(bytes: &[u8]) -> (usize, usize, String) {
    match ArticleAnnotations::parse("a/b", Path::new("a/b.toml"), bytes) {
        Err(StoreError::Corrupt {
            location, message, ..
        }) => (location.line, location.col, message),
        other => panic!("not a corrupt-file error: {other:?}"),
    }
}

#[test]
fn render_then_parse_gives_the_same_file() {
    let mut file = file_of(vec![claim(16, 41), claim(4, 10)]);
    file.tombstones.push(Tombstone {
        id: AnnotationId::new(datetime!(2026-01-02 0:00 UTC)),
        deleted: datetime!(2026-01-03 0:00 UTC),
    });
    let text = file.render();
    let parsed = ArticleAnnotations::parse("a/b", Path::new("x"), text.as_bytes()).unwrap();
    assert_eq!(parsed, file);
    assert_eq!(parsed.render(), text);
    assert!(text.find("start = 4").unwrap() < text.find("start = 16").unwrap());
}

#[test]
fn corrupt_files_are_located() {
    let good = file_of(vec![claim(4, 10)]).render();
    let truncated = &good.as_bytes()[..good.find("end =").unwrap() + 4];
    let (line, _, _) = corrupt_location(truncated);
    assert_eq!(
        line,
        good[..good.find("end =").unwrap()].lines().count() + 1
    );
    let mut not_utf8 = good.clone().into_bytes();
    not_utf8.splice(3..3, [0xff]);
    let (line, col, _) = corrupt_location(&not_utf8);
    assert_eq!((line, col), (1, 4));
    let duplicate = good.replace("start = 4\n", "start = 4\nstart = 5\n");
    let (line, _, message) = corrupt_location(duplicate.as_bytes());
    assert_eq!(
        line,
        good[..good.find("start = 4").unwrap()].lines().count() + 2
    );
    assert!(message.contains("duplicate"), "{message}");
    let wrong_type = good.replace("start = 4", "start = \"four\"");
    let (line, col, _) = corrupt_location(wrong_type.as_bytes());
    assert_eq!(
        (line, col),
        (
            good[..good.find("start = 4").unwrap()].lines().count() + 1,
            9
        )
    );
    let bad_tag = good.replace("[\"chip-restrictions\"]", "[\"Chips\"]");
    assert!(corrupt_location(bad_tag.as_bytes()).2.contains("Chips"));
    let other_article = good.replace("article = \"a/b\"", "article = \"c\"");
    assert_eq!(corrupt_location(other_article.as_bytes()).0, 1);
}

#[test]
fn merge_keeps_the_newest_and_respects_tombstones() {
    let old = claim(4, 10);
    let mut newer = old.clone();
    newer.note = Some("newer".into());
    newer.updated = datetime!(2026-01-02 00:00:00 UTC);
    let mut file = file_of(vec![newer.clone()]);
    assert_eq!(file.merge(old.clone()), Merged::Unchanged);
    assert_eq!(file.annotations, [newer.clone()]);
    let mut file = file_of(vec![old.clone()]);
    assert_eq!(file.merge(newer.clone()), Merged::Updated);
    assert_eq!(file.merge(newer.clone()), Merged::Unchanged);
    // A deletion after the last update wins; an update after the deletion brings it back.
    file.merge_tombstone(Tombstone {
        id: old.id,
        deleted: datetime!(2026-01-03 0:00 UTC),
    });
    assert!(file.annotations.is_empty());
    assert_eq!(file.merge(newer.clone()), Merged::Unchanged);
    let mut revived = newer.clone();
    revived.updated = datetime!(2026-01-04 0:00 UTC);
    assert_eq!(file.merge(revived), Merged::Added);
    assert!(file.tombstones.is_empty());
}

#[test]
fn every_store_file_says_that_hand_comments_are_not_kept() {
    let file = file_of(vec![claim(0, 4)]);
    let text = file.render();
    assert!(
        text.contains("comments added by hand are\n# not kept"),
        "{text}"
    );
    // And so it is: a comment added by hand is gone after a parse and render.
    let edited = text.replace("[[annotation]]", "# my own remark\n[[annotation]]");
    let parsed = ArticleAnnotations::parse("a/b", Path::new("b.toml"), edited.as_bytes()).unwrap();
    assert_eq!(parsed.render(), text);
}

#[test]
fn links_are_kept_in_the_file_and_bad_ones_are_located() {
    use crate::annotation::model::{Link, Relation};
    let (first, second) = (claim(4, 10), claim(16, 41));
    let mut linked = claim(0, 3);
    linked.links = vec![
        Link {
            id: first.id,
            rel: Relation::Supports,
        },
        Link {
            id: second.id,
            rel: Relation::Contradicts,
        },
    ];
    let file = file_of(vec![first.clone(), second, linked]);
    let text = file.render();
    assert!(
        text.contains(&format!(
            "links = [{{ id = \"{}\", rel = \"supports\" }}, ",
            first.id
        )),
        "{text}"
    );
    let parsed = ArticleAnnotations::parse("a/b", Path::new("x"), text.as_bytes()).unwrap();
    assert_eq!(parsed, file);
    assert_eq!(parsed.render(), text);
    // Only annotations with links carry the key, so files without links keep their layout.
    assert_eq!(text.matches("links =").count(), 1);
    let bad = text.replace("rel = \"contradicts\"", "rel = \"refutes\"");
    let (line, _, message) = corrupt_location(bad.as_bytes());
    assert!(
        message.contains("\"refutes\" is not one of supports"),
        "{message}"
    );
    assert!(line > 1);
    // A link without `rel` supports; a repeated link and a link to itself are dropped.
    let own = file.annotations[0].id;
    let loose = text.replacen(
        &format!("links = [{{ id = \"{}\", rel = \"supports\" }}", first.id),
        &format!(
            "links = [{{ id = \"{}\" }}, {{ id = \"{}\" }}, {{ id = \"{own}\" }}",
            first.id, first.id
        ),
        1,
    );
    let parsed = ArticleAnnotations::parse("a/b", Path::new("x"), loose.as_bytes()).unwrap();
    let links = &parsed
        .annotations
        .iter()
        .find(|a| !a.links.is_empty())
        .unwrap()
        .links;
    assert_eq!(links.len(), 2);
    assert_eq!(
        links.iter().find(|l| l.id == first.id).unwrap().rel,
        Relation::Supports
    );
}
