//! Storing a fetched article without losing anything: a new story is written; a changed one replaces the
//! file only after the old file is kept as it was under `.newsgloss/versions/<id>/`, and its annotations
//! are re-anchored in the new text; a file edited by hand (its bytes are not what newsgloss last wrote)
//! is never overwritten: the fetched version is kept beside the old ones instead. Also: listing an
//! article's versions and the line diff between two of them, for the reader.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::IngestError;
use super::state::{DIR, Fingerprints, IngestState, fingerprint};
use crate::annotation::{AnnotationId, AnnotationStore};
use crate::article::Article;
use crate::atomic_file::Batch;

/// Where articles and their annotations live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDirs {
    pub content_dir: PathBuf,
    pub annotations_dir: PathBuf,
}

/// What storing an article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    New,
    Unchanged,
    /// The text changed: the old file was kept and the annotations re-anchored.
    Updated(Reanchored),
    /// The file was edited by hand and kept; the fetched version was written to `incoming`.
    KeptEdit {
        incoming: PathBuf,
    },
}

/// The outcome of replacing an article's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reanchored {
    /// The previous version, as it was.
    pub previous: PathBuf,
    /// Annotations that moved with their text.
    pub moved: usize,
    /// Annotations whose quote is no longer in the text.
    pub orphans: Vec<Orphan>,
    /// Why the annotations could not be re-anchored (they are left as they were), if so.
    pub error: Option<String>,
}

/// An annotation left without its quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub id: AnnotationId,
    pub quote: String,
}

/// One kept version of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub path: PathBuf,
    /// When it was kept, as `YYYYMMDDTHHMMSSZ` (with `-N` when several were kept in one second).
    pub name: String,
    /// A fetched version set aside because the file had been edited by hand (not a previous one).
    pub fetched: bool,
}

impl ArticleDirs {
    /// The article file of `id`.
    pub fn article_path(&self, id: &str) -> PathBuf {
        self.content_dir.join(format!("{id}.md"))
    }

    /// The folder of `id`'s kept versions.
    pub fn versions_dir(&self, id: &str) -> PathBuf {
        self.content_dir.join(DIR).join("versions").join(id)
    }

    /// Writes `bytes` as article `id`, keeping what was there (see the module doc).
    pub fn store(
        &self,
        state: &mut IngestState,
        id: &str,
        bytes: &[u8],
        now: OffsetDateTime,
    ) -> Result<Change, IngestError> {
        let mut batch = Batch::default();
        let change = self.store_batched(state, id, bytes, now, &mut batch)?;
        let dir = &self.content_dir;
        batch.commit().map_err(|e| IngestError::io(dir, e))?;
        Ok(change)
    }

    /// [`ArticleDirs::store`], a new article staged in `batch` (in place once it is committed) rather
    /// than written at once; a changed one is still replaced at once, its annotations re-anchored.
    pub fn store_batched(
        &self,
        state: &mut IngestState,
        id: &str,
        bytes: &[u8],
        now: OffsetDateTime,
        batch: &mut Batch,
    ) -> Result<Change, IngestError> {
        let path = self.article_path(id);
        let new = fingerprint(bytes);
        let remember = |state: &mut IngestState, written: &str| {
            let fingerprints = Fingerprints {
                written: written.to_owned(),
                fetched: new.clone(),
                entry: None,
                item: None,
            };
            state.files.insert(id.to_owned(), fingerprints);
        };
        if let Some(same) = batch.staged_as(&path, bytes) {
            // Staged by this run and not in place yet: the same again, or still new with these bytes.
            if same {
                return Ok(Change::Unchanged);
            }
            batch
                .stage(&path, bytes)
                .map_err(|e| IngestError::io(&path, e))?;
            remember(state, &new);
            return Ok(Change::New);
        }
        let current = match std::fs::read(&path) {
            Ok(current) => current,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                batch
                    .stage(&path, bytes)
                    .map_err(|e| IngestError::io(&path, e))?;
                remember(state, &new);
                return Ok(Change::New);
            }
            Err(e) => return Err(IngestError::io(&path, e)),
        };
        let known = state.files.get(id).cloned();
        let on_disk = fingerprint(&current);
        if known.as_ref().is_some_and(|k| k.fetched == new) || on_disk == new {
            let written = known.map_or(on_disk, |k| k.written);
            remember(state, &written);
            return Ok(Change::Unchanged);
        }
        if known.as_ref().is_none_or(|k| k.written != on_disk) {
            let incoming = self.keep(id, now, "fetched.md", bytes)?;
            // Not what newsgloss wrote: it stays "edited" until the user replaces it.
            remember(state, &known.map_or(String::new(), |k| k.written));
            return Ok(Change::KeptEdit { incoming });
        }
        let previous = self.keep(id, now, "md", &current)?;
        write_atomically(&path, bytes)?;
        remember(state, &new);
        Ok(Change::Updated(self.reanchor(id, bytes, previous)))
    }

    /// Writes `bytes` into `id`'s versions folder under a name made from `now`.
    fn keep(
        &self,
        id: &str,
        now: OffsetDateTime,
        extension: &str,
        bytes: &[u8],
    ) -> Result<PathBuf, IngestError> {
        let dir = self.versions_dir(id);
        let stamp = stamp(now);
        let name = super::slug::unique(&stamp, |n| dir.join(format!("{n}.{extension}")).exists());
        let path = dir.join(format!("{name}.{extension}"));
        write_atomically(&path, bytes)?;
        Ok(path)
    }

    /// Re-anchors `id`'s annotations in its new text.
    fn reanchor(&self, id: &str, bytes: &[u8], previous: PathBuf) -> Reanchored {
        let mut report = Reanchored {
            previous,
            moved: 0,
            orphans: Vec::new(),
            error: None,
        };
        let text = match Article::from_bytes(id, &self.article_path(id), bytes) {
            Ok((article, _)) => article.text,
            Err(e) => {
                report.error = Some(e.to_string());
                return report;
            }
        };
        let store = AnnotationStore::new(&self.annotations_dir);
        let result = store
            .load(id)
            .and_then(|before| Ok((before, store.anchored(id, &text)?)));
        match result {
            Ok((before, anchored)) => {
                for annotation in anchored.file.annotations {
                    let old = before.get(annotation.id);
                    if annotation.orphaned {
                        report.orphans.push(Orphan {
                            id: annotation.id,
                            quote: annotation.quote,
                        });
                    } else if old.is_some_and(|o| {
                        (o.start, o.end, &o.quote)
                            != (annotation.start, annotation.end, &annotation.quote)
                    }) {
                        report.moved += 1;
                    }
                }
            }
            Err(e) => report.error = Some(e.to_string()),
        }
        report
    }

    /// The kept versions of `id`, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<Version>, IngestError> {
        let dir = self.versions_dir(id);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(IngestError::io(&dir, e)),
        };
        let mut versions: Vec<Version> = entries
            .flatten()
            .filter_map(|entry| {
                let file = entry.file_name().to_str()?.to_owned();
                let (name, fetched) = match file.strip_suffix(".fetched.md") {
                    Some(name) => (name.to_owned(), true),
                    None => (file.strip_suffix(".md")?.to_owned(), false),
                };
                (!name.starts_with('.')).then(|| Version {
                    path: entry.path(),
                    name,
                    fetched,
                })
            })
            .collect();
        versions.sort_by(|a, b| (&a.name, a.fetched).cmp(&(&b.name, b.fetched)));
        Ok(versions)
    }
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
fn stamp(now: OffsetDateTime) -> String {
    let at = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Writes a file atomically (temp file, fsync, rename, fsync of the dir).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IngestError> {
    crate::atomic_file::write(path, bytes).map_err(|e| IngestError::io(path, e))
}

#[cfg(test)]
mod tests;
