//! The annotation store: one TOML file per annotated article under one dir. Every change is made under
//! the store-wide lock on the file as it is on disk now (re-read, merged by id, written atomically), so
//! two processes never lose each other's work, and a file that does not parse is never overwritten.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::anchor::{Placement, anchor};
use super::article_file::{ArticleAnnotations, Merged};
use super::disk::{self, StoreLock};
use super::model::{Annotation, AnnotationId, Person, Relation, Tombstone, dedup, to_millis};
use super::record::check_tags;
use super::{LastGood, StoreError};

/// The store at one dir.
#[derive(Debug, Clone)]
pub struct AnnotationStore {
    dir: PathBuf,
}

/// A change to an annotation's tags or note; `None` leaves that part alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    pub tags: Option<Vec<String>>,
    /// `Some(None)` removes the note.
    pub note: Option<Option<String>>,
}

/// An article's annotations placed in its current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchored {
    pub file: ArticleAnnotations,
    /// How many annotations moved (and were saved with their new offsets).
    pub moved: usize,
    /// How many could not be placed.
    pub orphaned: usize,
}

/// What [`AnnotationStore::restore_last_good`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The backup put back.
    pub from: PathBuf,
    /// Where the file it replaced was kept.
    pub kept: Option<PathBuf>,
    /// How many annotations the restored file holds.
    pub annotations: usize,
}

/// Every store file that parsed, and the errors of those that did not.
#[derive(Debug, Default)]
pub struct Corpus {
    pub articles: Vec<ArticleAnnotations>,
    pub errors: Vec<StoreError>,
}

impl AnnotationStore {
    /// The store at `dir` (which need not exist yet).
    pub fn new(dir: impl Into<PathBuf>) -> AnnotationStore {
        AnnotationStore { dir: dir.into() }
    }

    /// Opens the store at startup: removes temp files a crashed writer left. Returns what it removed.
    pub fn open(dir: impl Into<PathBuf>) -> Result<(AnnotationStore, Vec<PathBuf>), StoreError> {
        let store = AnnotationStore::new(dir);
        if !store.dir.exists() {
            return Ok((store, Vec::new()));
        }
        let lock = disk::lock(&store.dir)?;
        let removed = disk::remove_stray_temp_files(&store.dir, &lock);
        Ok((store, removed))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store file of `article`: `<dir>/<article-id>.toml`.
    pub fn path_of(&self, article: &str) -> Result<PathBuf, StoreError> {
        crate::content::path_of(&self.dir, article)
            .map(|_| self.dir.join(format!("{article}.toml")))
            .ok_or_else(|| StoreError::BadArticleId(article.to_owned()))
    }

    /// The annotations of `article` as stored (none when it has no file). A file that does not parse
    /// is an error that names its newest backup that does.
    pub fn load(&self, article: &str) -> Result<ArticleAnnotations, StoreError> {
        let path = self.path_of(article)?;
        match disk::read(&path)? {
            Some(bytes) => {
                ArticleAnnotations::parse(article, &path, &bytes).map_err(|error| match error {
                    StoreError::Corrupt {
                        path,
                        location,
                        message,
                        ..
                    } => StoreError::Corrupt {
                        last_good: self.last_good(article).map(|(path, _)| LastGood {
                            article: article.to_owned(),
                            path,
                        }),
                        path,
                        location,
                        message,
                    },
                    other => other,
                })
            }
            None => Ok(ArticleAnnotations::new(article)),
        }
    }

    /// The newest backup of `article`'s store file that parses, with its bytes.
    fn last_good(&self, article: &str) -> Option<(PathBuf, Vec<u8>)> {
        let path = self.path_of(article).ok()?;
        (1..=disk::BACKUPS).find_map(|n| {
            let backup = disk::backup_path(&self.dir, &path, n);
            let bytes = std::fs::read(&backup).ok()?;
            ArticleAnnotations::parse(article, &backup, &bytes).ok()?;
            Some((backup, bytes))
        })
    }

    /// Puts back the newest backup of `article`'s store file that parses, when the file does not parse
    /// (or is gone). The file it replaces is kept beside it as `<file>.corrupt` (`.corrupt.2`, ... when
    /// that name is taken); nothing is deleted.
    pub fn restore_last_good(&self, article: &str) -> Result<Restored, StoreError> {
        let path = self.path_of(article)?;
        let lock = disk::lock(&self.dir)?;
        let current = disk::read(&path)?;
        if let Some(bytes) = &current
            && ArticleAnnotations::parse(article, &path, bytes).is_ok()
        {
            return Err(StoreError::NotCorrupt(path));
        }
        let Some((from, bytes)) = self.last_good(article) else {
            return Err(StoreError::NoBackup {
                backups: self.dir.join(disk::BACKUP_DIR),
                path,
            });
        };
        let kept = match current {
            Some(_) => Some(disk::keep_aside(&path, "corrupt")?),
            None => None,
        };
        disk::write_atomically(&self.dir, &path, &bytes, &lock)?;
        let annotations = ArticleAnnotations::parse(article, &path, &bytes)?
            .annotations
            .len();
        Ok(Restored {
            from,
            kept,
            annotations,
        })
    }

    /// Under the lock: re-reads `article`'s file, lets `change` edit it, and writes it if it changed.
    pub fn change<T>(
        &self,
        article: &str,
        change: impl FnOnce(&mut ArticleAnnotations) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let path = self.path_of(article)?;
        let lock = disk::lock(&self.dir)?;
        let before = self.load(article)?;
        let mut file = before.clone();
        let result = change(&mut file)?;
        // Whatever door an annotation came in by, what is stored is inert.
        file.annotations.iter_mut().for_each(Annotation::make_inert);
        if file != before {
            file.sort();
            self.write(&path, &file, &lock)?;
            tracing::info!(
                article = ?article,
                annotations = file.annotations.len(),
                "annotations saved"
            );
        }
        Ok(result)
    }

    fn write(
        &self,
        path: &Path,
        file: &ArticleAnnotations,
        lock: &StoreLock,
    ) -> Result<(), StoreError> {
        disk::write_atomically(&self.dir, path, file.render().as_bytes(), lock)
    }

    /// Saves a new annotation (or merges it by id when the store has it already).
    pub fn add(&self, annotation: Annotation) -> Result<Merged, StoreError> {
        check_tags(&annotation.tags).map_err(StoreError::BadTag)?;
        let article = annotation.article.clone();
        self.change(&article, |file| Ok(file.merge(annotation)))
    }

    /// Merges a whole in-memory copy of an article's annotations into the store, newest `updated` winning.
    pub fn save(&self, copy: ArticleAnnotations) -> Result<ArticleAnnotations, StoreError> {
        let article = copy.article.clone();
        self.change(&article, |file| {
            file.merge_all(copy);
            Ok(file.clone())
        })
    }

    /// Changes the tags or note of annotation `id` of `article`; returns it as saved.
    pub fn edit(
        &self,
        article: &str,
        id: AnnotationId,
        edit: Edit,
        now: OffsetDateTime,
    ) -> Result<Annotation, StoreError> {
        self.edit_by(article, id, edit, None, now)
    }

    /// [`edit`](Self::edit), made by `by` (recorded as the editor when that is not the creator).
    pub fn edit_by(
        &self,
        article: &str,
        id: AnnotationId,
        edit: Edit,
        by: Option<Person>,
        now: OffsetDateTime,
    ) -> Result<Annotation, StoreError> {
        if let Some(tags) = &edit.tags {
            check_tags(tags).map_err(StoreError::BadTag)?;
        }
        self.change(article, |file| {
            let annotation = file
                .annotations
                .iter_mut()
                .find(|a| a.id == id)
                .ok_or(StoreError::NotFound(id))?;
            if let Some(tags) = edit.tags {
                annotation.tags = dedup(tags);
            }
            if let Some(note) = edit.note {
                annotation.note = note.filter(|n| !n.is_empty());
            }
            annotation.updated = to_millis(now).max(annotation.updated);
            annotation.edited_by(by);
            Ok(annotation.clone())
        })
    }

    /// Links annotation `id` of `article` to annotation `to` with `rel` (replacing the relation of a link
    /// to it already there), by `by` at `now`; returns it as saved.
    pub fn link(
        &self,
        article: &str,
        id: AnnotationId,
        to: AnnotationId,
        rel: Relation,
        by: Option<Person>,
        now: OffsetDateTime,
    ) -> Result<Annotation, StoreError> {
        self.change(article, |file| {
            let annotation = file
                .annotations
                .iter_mut()
                .find(|a| a.id == id)
                .ok_or(StoreError::NotFound(id))?;
            if annotation.link(to, rel) {
                annotation.updated = to_millis(now).max(annotation.updated);
                annotation.edited_by(by);
            }
            Ok(annotation.clone())
        })
    }

    /// Makes the passage `start..end` of the plain `text` of `article` evidence for `first`: an
    /// annotation there with `first`'s tags, linked to `first` with `rel`, and the same link back on
    /// `first`. An annotation already on exactly that passage is linked instead (and gains the tags). The
    /// evidence is saved first, so that if the link back cannot be saved the two are still joined by
    /// the one link. Returns the evidence as saved.
    #[allow(clippy::too_many_arguments)]
    pub fn link_evidence(
        &self,
        first: &Annotation,
        article: &str,
        text: &str,
        (start, end): (usize, usize),
        rel: Relation,
        by: Option<Person>,
        now: OffsetDateTime,
    ) -> Result<Annotation, StoreError> {
        let evidence = self.change(article, |file| {
            let existing = file
                .annotations
                .iter_mut()
                .find(|a| !a.orphaned && a.start == start && a.end == end && a.id != first.id);
            let annotation = match existing {
                Some(a) => {
                    let mut tags = a.tags.clone();
                    tags.extend(first.tags.iter().cloned());
                    let tags = dedup(tags);
                    let linked = a.link(first.id, rel);
                    if linked || tags != a.tags {
                        a.tags = tags;
                        a.updated = to_millis(now).max(a.updated);
                        a.edited_by(by.clone());
                    }
                    a.clone()
                }
                None => {
                    let mut new =
                        Annotation::new(article, text, start, end, first.tags.clone(), None, now)
                            .by(by.clone());
                    new.link(first.id, rel);
                    file.merge(new.clone());
                    new
                }
            };
            Ok(annotation)
        })?;
        self.link(&first.article, first.id, evidence.id, rel, by, now)?;
        Ok(evidence)
    }

    /// Deletes annotation `id` of `article`, leaving a tombstone; returns it, for [`restore`](Self::restore).
    pub fn delete(
        &self,
        article: &str,
        id: AnnotationId,
        now: OffsetDateTime,
    ) -> Result<Annotation, StoreError> {
        self.change(article, |file| {
            let deleted = file.get(id).cloned().ok_or(StoreError::NotFound(id))?;
            let at = to_millis(now).max(deleted.updated);
            file.merge_tombstone(Tombstone { id, deleted: at });
            Ok(deleted)
        })
    }

    /// Undoes a delete: brings `annotation` back, as updated at `now` (later than its tombstone).
    pub fn restore(
        &self,
        mut annotation: Annotation,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let article = annotation.article.clone();
        self.change(&article, |file| {
            let tombstone = file.tombstones.iter().find(|t| t.id == annotation.id);
            let floor = tombstone.map_or(annotation.updated, |t| t.deleted);
            annotation.updated = to_millis(now).max(floor + time::Duration::milliseconds(1));
            file.merge(annotation);
            Ok(())
        })
    }

    /// The annotations of `article` placed in its current plain `text`; moved ones are saved (under the
    /// lock, on the file as it is now). A file that does not parse is an error and is left alone.
    pub fn anchored(&self, article: &str, text: &str) -> Result<Anchored, StoreError> {
        let chars: Vec<char> = text.chars().collect();
        let stored = self.load(article)?;
        let mut trial = stored.clone();
        if anchor_all(&mut trial, &chars).0 == 0 {
            let orphaned = trial.annotations.iter().filter(|a| a.orphaned).count();
            return Ok(Anchored {
                file: trial,
                moved: 0,
                orphaned,
            });
        }
        self.change(article, |file| {
            let (moved, orphaned) = anchor_all(file, &chars);
            Ok(Anchored {
                file: file.clone(),
                moved,
                orphaned,
            })
        })
    }

    /// Every store file under the dir, with the errors of those that do not parse.
    pub fn load_all(&self) -> Corpus {
        let mut corpus = Corpus::default();
        for article in self.article_ids() {
            match self.load(&article) {
                Ok(file) => corpus.articles.push(file),
                Err(e) => corpus.errors.push(e),
            }
        }
        corpus
    }

    /// The ids of the articles that have a store file, sorted.
    pub fn article_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let relative = e.path().strip_prefix(&self.dir).ok()?;
                let text = relative.to_str()?.strip_suffix(".toml")?;
                let id = text.replace(std::path::MAIN_SEPARATOR, "/");
                crate::content::path_of(&self.dir, &id).map(|_| id)
            })
            .collect();
        ids.sort();
        ids
    }

    /// Finds annotation `id` anywhere in the store: its article's id and the annotation.
    pub fn find(&self, id: AnnotationId) -> Result<(String, Annotation), StoreError> {
        let corpus = self.load_all();
        let found = corpus
            .articles
            .into_iter()
            .find_map(|f| f.get(id).cloned().map(|a| (f.article, a)));
        match (found, corpus.errors.into_iter().next()) {
            (Some(found), _) => Ok(found),
            (None, Some(error)) => Err(error),
            (None, None) => Err(StoreError::NotFound(id)),
        }
    }
}

/// Anchors every annotation of `file` in `text`: how many changed, and how many are orphans.
pub fn anchor_all(file: &mut ArticleAnnotations, text: &[char]) -> (usize, usize) {
    let (mut changed, mut orphaned) = (0, 0);
    for annotation in &mut file.annotations {
        let was_orphan = annotation.orphaned;
        match anchor(annotation, text) {
            Placement::Unchanged if !was_orphan => {}
            Placement::Orphaned if was_orphan => orphaned += 1,
            Placement::Orphaned => {
                orphaned += 1;
                changed += 1;
            }
            _ => changed += 1,
        }
    }
    file.sort();
    (changed, orphaned)
}

#[cfg(test)]
mod tests;
