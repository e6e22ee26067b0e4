//! Importing an export into the store: each annotation is re-anchored against its article's current text,
//! then merged by id (the newest `updated` wins); exact duplicates are skipped.

use std::collections::{HashMap, HashSet};

use time::OffsetDateTime;

use super::StoreError;
use super::anchor::anchor;
use super::article_file::{ArticleAnnotations, Merged};
use super::export::Exported;
use super::model::{Annotation, AnnotationId};
use super::store::AnnotationStore;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// How many of the imported annotations are orphans in the current text.
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
        match text_of(&article.id) {
            Some(text) => {
                let chars: Vec<char> = text.chars().collect();
                for annotation in &mut incoming {
                    anchor(annotation, &chars);
                }
            }
            None => report.missing_articles.push(article.id.clone()),
        }
        let merged = if dry_run {
            store
                .load(&article.id)
                .map(|mut file| merge_into(&mut file, incoming))
        } else {
            store.change(&article.id, |file| Ok(merge_into(file, incoming)))
        };
        match merged {
            Ok(counts) => report.add(&counts),
            Err(error) => report.errors.push(error),
        }
    }
    report
}

/// Merges `incoming` into `file`: per annotation, what happened and whether it is an orphan. Each one is
/// merged as [`ArticleAnnotations::merge`] would, after the ones before it, and one that is the same claim
/// as a stored one under another id is skipped; lookups by id and by claim go through hash maps and the
/// file is sorted once, so an export with many annotations of one article imports in linear time.
fn merge_into(file: &mut ArticleAnnotations, incoming: Vec<Annotation>) -> Vec<(Merged, bool)> {
    let mut merger = Merger::new(file);
    let outcomes = incoming
        .into_iter()
        .map(|annotation| {
            let orphaned = annotation.orphaned;
            (merger.merge(annotation), orphaned)
        })
        .collect();
    merger.finish();
    outcomes
}

/// What makes two annotations the same claim: place, quote, tags and note.
type Claim = (usize, usize, String, Vec<String>, Option<String>);

fn claim(a: &Annotation) -> Claim {
    (
        a.start,
        a.end,
        a.quote.clone(),
        a.tags.clone(),
        a.note.clone(),
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

    fn merge(&mut self, incoming: Annotation) -> Merged {
        let key = claim(&incoming);
        let existing = self.by_id.get(&incoming.id).copied();
        if existing.is_none() && self.claims.contains_key(&key) {
            return Merged::Unchanged;
        }
        if self
            .deleted
            .get(&incoming.id)
            .is_some_and(|&deleted| deleted >= incoming.updated)
        {
            return Merged::Unchanged;
        }
        if self.deleted.remove(&incoming.id).is_some() {
            self.overridden.insert(incoming.id);
        }
        match existing {
            None => {
                self.by_id.insert(incoming.id, self.file.annotations.len());
                *self.claims.entry(key).or_insert(0) += 1;
                self.file.annotations.push(incoming);
                Merged::Added
            }
            Some(i) => {
                let stored = &mut self.file.annotations[i];
                if incoming.updated <= stored.updated || *stored == incoming {
                    return Merged::Unchanged;
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
                Merged::Updated
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
    fn add(&mut self, counts: &[(Merged, bool)]) {
        for &(merged, orphaned) in counts {
            match merged {
                Merged::Added => self.added += 1,
                Merged::Updated => self.updated += 1,
                Merged::Unchanged => self.unchanged += 1,
            }
            self.orphaned += usize::from(orphaned);
        }
    }
}

#[cfg(test)]
mod tests;
