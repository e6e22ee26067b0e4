//! What a sync has to do: the files of a scan compared with what the index's last commit holds of them
//! (from the record beside the index, or from its columns when the record cannot be used), in one pass
//! over both lists, which are sorted by id.

use std::collections::HashMap;
use std::path::Path;

use super::record::{self, Commit, Files, Record};
use super::skipped::Stamp;
use super::state::{self, FileState};
use super::sync::SyncOptions;
use super::{ArticleIndex, IndexError};
use crate::content::{ContentFile, Scan};

/// What the index holds of the article files, and which commit that is.
pub(super) struct Known {
    /// Every indexed article's file state, sorted by id.
    pub files: Indexed,
    /// The commit they are the state of (none for an index in memory, or when commits kept coming while
    /// they were read).
    pub commit: Option<Commit>,
}

/// Every indexed article's file state, sorted by id, from the record or from the columns.
pub(super) enum Indexed {
    /// As the record beside the index has them (its ids not copied out).
    Recorded(Record),
    /// As read from the index's columns, or as a commit left them: the record is to be written.
    Read(Files),
}

impl Indexed {
    /// Every id and state, by id.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&str, FileState)> + '_> {
        match self {
            Indexed::Recorded(record) => Box::new(record.iter()),
            Indexed::Read(files) => Box::new(files.iter().map(|(id, s)| (id.as_str(), *s))),
        }
    }

    /// The files with owned ids.
    pub fn into_files(self) -> Files {
        match self {
            Indexed::Recorded(record) => record.into_files(),
            Indexed::Read(files) => files,
        }
    }
}

/// A file to read: the file, its annotation file's size and time, and its state in the index if any.
pub(super) struct Todo<'a> {
    pub file: &'a ContentFile,
    pub notes: (u64, i64),
    pub old: Option<FileState>,
}

/// The files to read, the ids to remove, and how many files need nothing.
pub(super) struct Plan<'a> {
    pub to_read: Vec<Todo<'a>>,
    pub gone: Vec<String>,
    pub unchanged: usize,
    pub skipped: usize,
}

impl<'a> Plan<'a> {
    /// Compares `scan` with `known` (both sorted by id): unchanged when size, time and the annotation
    /// file's size and time are as indexed; a file that could not be indexed and is as it was then is
    /// passed over when `options` says so.
    pub fn new(
        scan: &'a Scan,
        known: &Indexed,
        notes: &state::NoteFiles,
        known_bad: &HashMap<String, Stamp>,
        options: &SyncOptions,
    ) -> Plan<'a> {
        let mut plan = Plan {
            to_read: Vec::new(),
            gone: Vec::new(),
            unchanged: 0,
            skipped: 0,
        };
        let mut indexed = known.iter().peekable();
        let mut stores = notes.iter().peekable();
        for file in &scan.files {
            while let Some((id, _)) = indexed.next_if(|(id, _)| *id < file.id.as_str()) {
                plan.gone.push(id.to_owned());
            }
            let old = indexed.next_if(|(id, _)| *id == file.id).map(|(_, s)| s);
            // Store files of articles that have no file are passed over (they index nothing).
            while stores
                .next_if(|(id, _)| id.as_str() < file.id.as_str())
                .is_some()
            {}
            let notes = stores
                .next_if(|(id, _)| *id == file.id)
                .map_or((0, 0), |(_, n)| *n);
            match old {
                Some(s)
                    if s.size == file.size && s.mtime_ns == file.mtime_ns && s.notes == notes =>
                {
                    plan.unchanged += 1
                }
                _ if options.pass_known_bad
                    && !options.rebuild
                    && known_bad.get(&file.id) == Some(&(file.size, file.mtime_ns, notes)) =>
                {
                    plan.skipped += 1
                }
                _ => plan.to_read.push(Todo { file, notes, old }),
            }
        }
        plan.gone.extend(indexed.map(|(id, _)| id.to_owned()));
        plan
    }

    /// Whether there is nothing to read and nothing to remove.
    pub fn is_empty(&self) -> bool {
        self.to_read.is_empty() && self.gone.is_empty()
    }
}

/// The state after a commit: `known` (sorted by id) without the ids in `changes` that map to `None`, with
/// those that map to a state put in, still sorted. A commit changes few files among many, so the changes
/// are sorted and merged into `known` in one pass (no lookup per indexed file).
pub(super) fn after(known: Files, changes: HashMap<&str, Option<FileState>>) -> Files {
    let mut changes: Vec<(&str, Option<FileState>)> = changes.into_iter().collect();
    changes.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut files = Files::with_capacity(known.len() + changes.len());
    let mut changes = changes.into_iter().peekable();
    for (id, state) in known {
        while let Some((new, state)) = changes.next_if(|(new, _)| *new < id.as_str()) {
            files.extend(state.map(|s| (new.to_owned(), s)));
        }
        match changes.next_if(|(new, _)| *new == id.as_str()) {
            Some((_, new)) => files.extend(new.map(|s| (id, s))),
            None => files.push((id, state)),
        }
    }
    files.extend(changes.filter_map(|(id, state)| Some((id.to_owned(), state?))));
    files
}

impl ArticleIndex {
    /// What the last commit holds of the article files: from the record when it describes that commit,
    /// else from the columns (the reader reloaded first when it sees another commit).
    pub(super) fn known(&self, rebuild: bool) -> Result<Known, IndexError> {
        let Some(dir) = self.dir.as_deref() else {
            return self.columns_of(None, rebuild);
        };
        for _ in 0..3 {
            let commit = self.last_commit(dir)?;
            if rebuild {
                return Ok(Known {
                    files: Indexed::Read(Files::new()),
                    commit: Some(commit),
                });
            }
            if let Some(record) = record::load(dir, &commit) {
                return Ok(Known {
                    files: Indexed::Recorded(record),
                    commit: Some(commit),
                });
            }
            if !commit.is_seen_by(&self.reader.searcher()) {
                self.reader.reload()?;
            }
            if commit.is_seen_by(&self.reader.searcher()) {
                return self.columns_of(Some(commit), rebuild);
            }
        }
        // Commits kept coming: the columns as last loaded, and no record written from them.
        self.columns_of(None, rebuild)
    }

    fn columns_of(&self, commit: Option<Commit>, rebuild: bool) -> Result<Known, IndexError> {
        let mut files: Files = if rebuild {
            Files::new()
        } else {
            state::read(&self.reader.searcher(), &self.fields)?
                .into_iter()
                .collect()
        };
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Known {
            files: Indexed::Read(files),
            commit,
        })
    }

    /// The commit that the index dir's `meta.json` names.
    pub(super) fn last_commit(&self, dir: &Path) -> Result<Commit, IndexError> {
        Commit::read(dir).map_err(|e| IndexError::Damaged(format!("its meta.json: {e}")))
    }

    /// Writes the record when `known` was read from the columns of a commit (it was missing, stale or
    /// unreadable). Only a cost when it fails: the columns are read again next time.
    pub(super) fn keep_record(&self, known: &Known) {
        if let (Some(dir), Some(commit), Indexed::Read(files)) =
            (&self.dir, &known.commit, &known.files)
            && let Err(e) = record::save(dir, commit, files)
        {
            tracing::debug!(error = %e, "the record of indexed files could not be written");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(size: u64) -> FileState {
        FileState {
            size,
            mtime_ns: 0,
            fingerprint: 0,
            notes: (0, 0),
        }
    }

    #[test]
    fn after_merges_additions_changes_and_removals_in_id_order() {
        let known: Files = ["a", "b/c", "b/d", "e"]
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id.to_owned(), state(i as u64)))
            .collect();
        let changes: HashMap<&str, Option<FileState>> = [
            ("0", Some(state(10))),
            ("a", None),
            ("b", Some(state(11))),
            ("b/d", Some(state(12))),
            ("e", None),
            ("z", Some(state(13))),
            ("y", None),
        ]
        .into_iter()
        .collect();
        let got: Vec<(String, u64)> = after(known, changes)
            .into_iter()
            .map(|(id, s)| (id, s.size))
            .collect();
        let want = [("0", 10), ("b", 11), ("b/c", 1), ("b/d", 12), ("z", 13)];
        let want: Vec<(String, u64)> = want.iter().map(|(i, s)| (i.to_string(), *s)).collect();
        assert_eq!(got, want);
    }
}
