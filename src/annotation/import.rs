//! Importing an export into the store: each annotation is re-anchored against its article's current text,
//! then merged by id (the newest `updated` wins); a copy of a claim already held under another id is merged
//! into it. Every annotation of the export is counted as what happened to it, never "unchanged" for one
//! that was dropped.

mod foreign;
mod hypothesis;
mod w3c;

pub use foreign::{
    ImportError, ImportFile, ImportFormat, Placed, Placing, Row, RowFailure, place_rows,
    read_import, tag_name,
};

use std::collections::{HashMap, HashSet};

use time::OffsetDateTime;

use super::StoreError;
use super::anchor::anchor;
use super::article_file::ArticleAnnotations;
#[cfg(test)]
use super::article_file::Merged;
use super::export::Exported;
use super::model::{Annotation, AnnotationId};
use super::store::AnnotationStore;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    /// The same as the stored copy.
    pub unchanged: usize,
    /// The same claim (place, quote, tags, note) as another annotation, under another id: merged into it.
    pub merged: usize,
    /// Not newer than the stored copy with the same id, which differs: the stored one was kept.
    pub older: usize,
    /// Deleted in the store after this copy was last changed: left deleted.
    pub deleted: usize,
    /// Annotations with an id that an earlier annotation of the same export has (counted also as whatever
    /// the merge made of them: the newest of them wins).
    pub duplicate_ids: usize,
    /// How many of the annotations added or updated are orphans: their quote is not in the article's
    /// current text, or the article is not in the content dir.
    pub orphaned: usize,
    /// Articles of the export that are not in the content dir (their annotations are kept as exported).
    pub missing_articles: Vec<String>,
    /// Articles whose store file could not be read or written; nothing of theirs was imported.
    pub errors: Vec<StoreError>,
}

/// Imports `exported` into `store`; `text_of` gives an article's current plain text, if it exists.
pub fn import(
    store: &AnnotationStore,
    exported: Exported,
    text_of: impl Fn(&str) -> Option<String>,
    dry_run: bool,
) -> ImportReport {
    let mut report = ImportReport::default();
    for article in exported.articles {
        let mut incoming = article.annotations;
        let present = match text_of(&article.id) {
            Some(text) => {
                let chars: Vec<char> = text.chars().collect();
                for annotation in &mut incoming {
                    anchor(annotation, &chars);
                }
                true
            }
            None => {
                report.missing_articles.push(article.id.clone());
                false
            }
        };
        let merged = if dry_run {
            store
                .load(&article.id)
                .map(|mut file| merge_into(&mut file, incoming))
        } else {
            store.change(&article.id, |file| Ok(merge_into(file, incoming)))
        };
        match merged {
            Ok(outcomes) => report.add(&outcomes, present),
            Err(error) => report.errors.push(error),
        }
    }
    report
}

/// Merges `incoming` into `file`: per annotation, what happened and whether it is an orphan. Each one is
/// merged as [`ArticleAnnotations::merge`] would, after the ones before it, and one that is the same claim
/// as a stored one under another id is skipped; lookups by id and by claim go through hash maps and the
/// file is sorted once, so an export with many annotations of one article imports in linear time.
fn merge_into(file: &mut ArticleAnnotations, incoming: Vec<Annotation>) -> Vec<Outcome> {
    let mut merger = Merger::new(file);
    let mut seen = HashSet::with_capacity(incoming.len());
    let outcomes = incoming
        .into_iter()
        .map(|annotation| Outcome {
            orphaned: annotation.orphaned,
            duplicate_id: !seen.insert(annotation.id),
            kind: merger.merge(annotation),
        })
        .collect();
    merger.finish();
    outcomes
}

/// What merging one imported annotation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Added,
    Updated,
    Unchanged,
    /// Another annotation holds the same claim under another id.
    Merged,
    /// The stored copy with this id is newer and differs.
    Older,
    /// The store deleted this id after the copy was last changed.
    Deleted,
}

/// One imported annotation's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub kind: Kind,
    /// Whether it is an orphan in the current text.
    pub orphaned: bool,
    /// Whether an earlier annotation of the same import had its id.
    pub duplicate_id: bool,
}

impl Kind {
    /// The merge by id alone, as [`ArticleAnnotations::merge`] reports it.
    #[cfg(test)]
    fn as_merged(self) -> Merged {
        match self {
            Kind::Added => Merged::Added,
            Kind::Updated => Merged::Updated,
            _ => Merged::Unchanged,
        }
    }
}

/// What makes two annotations the same claim: place, quote, tags, note and links (so that a copy with
/// links of its own is never dropped as a repeat).
type Claim = (
    usize,
    usize,
    String,
    Vec<String>,
    Option<String>,
    Vec<super::model::Link>,
);

fn claim(a: &Annotation) -> Claim {
    (
        a.start,
        a.end,
        a.quote.clone(),
        a.tags.clone(),
        a.note.clone(),
        a.links.clone(),
    )
}

/// An article's annotations while many are merged into them, indexed by id and by claim.
struct Merger<'a> {
    file: &'a mut ArticleAnnotations,
    by_id: HashMap<AnnotationId, usize>,
    /// How many annotations hold each claim.
    claims: HashMap<Claim, usize>,
    /// When each annotation was deleted (the first tombstone of an id, as a scan would find it).
    deleted: HashMap<AnnotationId, OffsetDateTime>,
    /// Tombstones that a newer annotation overrode, to be removed.
    overridden: HashSet<AnnotationId>,
}

impl<'a> Merger<'a> {
    fn new(file: &'a mut ArticleAnnotations) -> Merger<'a> {
        let by_id = file.annotations.iter().enumerate().map(|(i, a)| (a.id, i));
        let mut claims = HashMap::new();
        for a in &file.annotations {
            *claims.entry(claim(a)).or_insert(0) += 1;
        }
        let mut deleted = HashMap::new();
        for t in &file.tombstones {
            deleted.entry(t.id).or_insert(t.deleted);
        }
        Merger {
            by_id: by_id.collect(),
            claims,
            deleted,
            overridden: HashSet::new(),
            file,
        }
    }

    fn merge(&mut self, incoming: Annotation) -> Kind {
        let key = claim(&incoming);
        let existing = self.by_id.get(&incoming.id).copied();
        if existing.is_none() && self.claims.contains_key(&key) {
            return Kind::Merged;
        }
        if self
            .deleted
            .get(&incoming.id)
            .is_some_and(|&deleted| deleted >= incoming.updated)
        {
            return Kind::Deleted;
        }
        if self.deleted.remove(&incoming.id).is_some() {
            self.overridden.insert(incoming.id);
        }
        match existing {
            None => {
                self.by_id.insert(incoming.id, self.file.annotations.len());
                *self.claims.entry(key).or_insert(0) += 1;
                self.file.annotations.push(incoming);
                Kind::Added
            }
            Some(i) => {
                let stored = &mut self.file.annotations[i];
                if *stored == incoming {
                    return Kind::Unchanged;
                }
                if incoming.updated <= stored.updated {
                    return Kind::Older;
                }
                let old = claim(stored);
                *stored = incoming;
                if let Some(count) = self.claims.get_mut(&old) {
                    *count -= 1;
                    if *count == 0 {
                        self.claims.remove(&old);
                    }
                }
                *self.claims.entry(key).or_insert(0) += 1;
                Kind::Updated
            }
        }
    }

    fn finish(self) {
        let overridden = self.overridden;
        self.file.tombstones.retain(|t| !overridden.contains(&t.id));
        self.file.sort();
    }
}

impl ImportReport {
    /// Counts the outcomes of one article's annotations; `present` is whether the article is in the
    /// content dir (when it is not, what was added or updated is an orphan).
    fn add(&mut self, outcomes: &[Outcome], present: bool) {
        for outcome in outcomes {
            let counter = match outcome.kind {
                Kind::Added => &mut self.added,
                Kind::Updated => &mut self.updated,
                Kind::Unchanged => &mut self.unchanged,
                Kind::Merged => &mut self.merged,
                Kind::Older => &mut self.older,
                Kind::Deleted => &mut self.deleted,
            };
            *counter += 1;
            let stored = matches!(outcome.kind, Kind::Added | Kind::Updated);
            self.orphaned += usize::from(stored && (outcome.orphaned || !present));
            self.duplicate_ids += usize::from(outcome.duplicate_id);
        }
    }

    /// The counts in one line: `3 added, 0 updated, 0 unchanged, 3 orphaned`, with what else happened
    /// (`2 merged into the same claim under another id`, ...) named when it did.
    pub fn summary(&self) -> String {
        let mut parts = vec![
            format!("{} added", self.added),
            format!("{} updated", self.updated),
            format!("{} unchanged", self.unchanged),
        ];
        for (count, what) in [
            (self.merged, "merged into the same claim under another id"),
            (
                self.older,
                "not newer than a different stored copy (that one kept)",
            ),
            (self.deleted, "deleted here since (left deleted)"),
            (
                self.duplicate_ids,
                "with an id repeated in the file (newest kept)",
            ),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        parts.push(format!("{} orphaned", self.orphaned));
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests;
