//! The three-way merge of one store file, as git's merge driver runs it: by annotation id, with the common
//! ancestor telling which side changed what. It builds on the store's two-way rules (a tombstone against a
//! later edit keeps the edit, against an earlier one deletes) and adds the field-by-field choice for an
//! annotation both sides changed. The result does not depend on which side is "ours".

use std::collections::BTreeSet;

use super::article_file::ArticleAnnotations;
use super::model::{Annotation, AnnotationId, Link};

/// Merges `ours` and `theirs`, two versions of one article's store file descended from `base`.
///
/// - An annotation on one side only is kept, unless the other side deleted it: with a tombstone (which
///   wins unless the annotation was updated after it), or by dropping it when this side left it as in `base`.
/// - An annotation on both sides is merged field by field (tags, note, anchor, creator, editor): a field
///   changed on one side only takes that change; changed on both, the side with the newer `updated` wins,
///   and when both were updated at the same instant the greater value, so that either order agrees.
///   Links are merged as a set by linked id: a link added on either side is kept, one removed on either
///   side is removed, and a relation changed is merged like a field.
/// - Tombstones from both sides are kept, the later deletion time winning.
pub fn merge_three(
    base: &ArticleAnnotations,
    ours: &ArticleAnnotations,
    theirs: &ArticleAnnotations,
) -> ArticleAnnotations {
    let mut out = ArticleAnnotations::new(&ours.article);
    let ids: BTreeSet<AnnotationId> = ours
        .annotations
        .iter()
        .chain(&theirs.annotations)
        .map(|a| a.id)
        .collect();
    for id in ids {
        let kept = match (ours.get(id), theirs.get(id)) {
            (Some(o), Some(t)) => Some(merge_fields(base.get(id), o, t)),
            (Some(one), None) => one_side(base.get(id), one, theirs, id),
            (None, Some(one)) => one_side(base.get(id), one, ours, id),
            (None, None) => None,
        };
        out.annotations.extend(kept);
    }
    for tombstone in ours.tombstones.iter().chain(&theirs.tombstones) {
        out.merge_tombstone(*tombstone);
    }
    out.sort();
    out
}

/// An annotation that `other` does not hold: kept when `other` has a tombstone for it (which the
/// tombstone pass then weighs), when it is new, or when this side changed it since `base`.
fn one_side(
    base: Option<&Annotation>,
    one: &Annotation,
    other: &ArticleAnnotations,
    id: AnnotationId,
) -> Option<Annotation> {
    let tombstoned = other.tombstones.iter().any(|t| t.id == id);
    let dropped_unchanged = base.is_some_and(|b| b == one);
    (tombstoned || !dropped_unchanged).then(|| one.clone())
}

/// Which side's `updated` is newer, for fields both sides changed.
#[derive(Clone, Copy)]
enum Newer {
    Ours,
    Theirs,
    Same,
}

/// One field of one annotation merged three ways.
fn pick<T: Ord + Clone>(base: Option<T>, ours: T, theirs: T, newer: Newer) -> T {
    if ours == theirs || base.as_ref() == Some(&theirs) {
        return ours;
    }
    if base.as_ref() == Some(&ours) {
        return theirs;
    }
    match newer {
        Newer::Ours => ours,
        Newer::Theirs => theirs,
        Newer::Same => ours.max(theirs),
    }
}

/// The anchor of an annotation: where it is and what it quotes; re-anchoring changes these together.
type AnchorFields = (String, String, String, usize, usize, Option<String>, bool);

fn anchor_of(a: &Annotation) -> AnchorFields {
    (
        a.quote.clone(),
        a.prefix.clone(),
        a.suffix.clone(),
        a.start,
        a.end,
        a.original_quote.clone(),
        a.orphaned,
    )
}

/// An annotation both sides hold, merged field by field against its version in `base` (if any).
fn merge_fields(base: Option<&Annotation>, o: &Annotation, t: &Annotation) -> Annotation {
    let newer = match o.updated.cmp(&t.updated) {
        std::cmp::Ordering::Greater => Newer::Ours,
        std::cmp::Ordering::Less => Newer::Theirs,
        std::cmp::Ordering::Equal => Newer::Same,
    };
    // Each field from the side that changed it against the base (the newer side when both did).
    fn field<T: Ord + Clone>(
        (base, o, t): (Option<&Annotation>, &Annotation, &Annotation),
        newer: Newer,
        get: impl Fn(&Annotation) -> T,
    ) -> T {
        pick(base.map(&get), get(o), get(t), newer)
    }
    let sides = (base, o, t);
    let (quote, prefix, suffix, start, end, original_quote, orphaned) =
        field(sides, newer, anchor_of);
    Annotation {
        id: o.id,
        article: o.article.clone(),
        tags: field(sides, newer, |a| a.tags.clone()),
        note: field(sides, newer, |a| a.note.clone()),
        quote,
        prefix,
        suffix,
        start,
        end,
        created: field(sides, newer, |a| a.created),
        updated: o.updated.max(t.updated),
        original_quote,
        orphaned,
        creator: field(sides, newer, |a| a.creator.clone()),
        editor: field(sides, newer, |a| a.editor.clone()),
        links: merge_links(base.map(|b| b.links.as_slice()), &o.links, &t.links, newer),
    }
}

/// Links merged as a set by the id they point at: kept when either side has it, unless it was in `base`
/// and one side removed it; the relation of a link both sides keep is merged like any field.
fn merge_links(base: Option<&[Link]>, ours: &[Link], theirs: &[Link], newer: Newer) -> Vec<Link> {
    let find = |links: &[Link], id: AnnotationId| links.iter().find(|l| l.id == id).map(|l| l.rel);
    let ids: BTreeSet<AnnotationId> = ours.iter().chain(theirs).map(|l| l.id).collect();
    ids.into_iter()
        .filter_map(|id| {
            let was = base.and_then(|b| find(b, id));
            let rel = match (find(ours, id), find(theirs, id)) {
                (Some(o), Some(t)) => pick(was, o, t, newer),
                // On one side only: new there (kept), or removed on the other (dropped).
                (Some(one), None) | (None, Some(one)) if was.is_none() => one,
                _ => return None,
            };
            Some(Link { id, rel })
        })
        .collect()
}

#[cfg(test)]
mod tests;
