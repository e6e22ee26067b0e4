//! Importing an export into the store: each annotation is re-anchored against its article's current text,
//! then merged by id (the newest `updated` wins); exact duplicates are skipped.

use super::StoreError;
use super::anchor::anchor;
use super::article_file::{ArticleAnnotations, Merged};
use super::export::Exported;
use super::model::Annotation;
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

/// Merges `incoming` into `file`: per annotation, what happened and whether it is an orphan.
fn merge_into(file: &mut ArticleAnnotations, incoming: Vec<Annotation>) -> Vec<(Merged, bool)> {
    incoming
        .into_iter()
        .map(|annotation| {
            let orphaned = annotation.orphaned;
            if file.get(annotation.id).is_none() && has_twin(file, &annotation) {
                return (Merged::Unchanged, orphaned);
            }
            (file.merge(annotation), orphaned)
        })
        .collect()
}

/// Whether `file` already holds the same claim under another id.
fn has_twin(file: &ArticleAnnotations, a: &Annotation) -> bool {
    file.annotations.iter().any(|b| {
        (b.start, b.end, &b.quote, &b.tags, &b.note) == (a.start, a.end, &a.quote, &a.tags, &a.note)
    })
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
