//! One reader's reading state: which articles are read (and when), starred, new since the last visit,
//! and where each was left. Personal, so it lives outside the shared workspace (the caller picks the
//! file, by default in the user state dir). Every change re-reads the file under a lock, applies itself
//! and replaces the file atomically, so that two processes (the reader and `mark`) never lose each
//! other's marks. A file that does not parse is read as far as it can be and never overwritten.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let now = time::OffsetDateTime::now_utc();
//! let mut store = newsgloss::reading::ReadingStore::open(&dir.path().join("reading.toml")).unwrap();
//! store.set_read("chips", true, now).unwrap();
//! assert!(store.state().is_read("chips"));
//! ```

mod filter;
mod model;
mod position;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::OffsetDateTime;

pub use filter::{
    Facts, FeedArticles, FilterError, LibraryFilter, SortKey, order, parse_date, sort,
};
pub use model::{ArticleState, ParseProblem, ReadingState};
pub use position::{CONTEXT_CHARS, Position};

use crate::article::Location;
use crate::content::shown;

/// The name of the state file.
pub const FILE: &str = "reading.toml";

/// Why the state could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    /// The file does not parse: what could be read is used, and the file is not written until fixed.
    #[error(
        "{}:{location}: {message} (the reading state there is not changed until the file is fixed or \
         moved aside)",
        shown(path)
    )]
    Damaged {
        path: PathBuf,
        location: Location,
        message: String,
    },
    #[error("{}: {message}", shown(path))]
    Io { path: PathBuf, message: String },
}

/// The values some articles had before a change, to put back (an undo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    before: Vec<(String, Option<ArticleState>)>,
}

impl Undo {
    /// How many articles the change touched.
    pub fn len(&self) -> usize {
        self.before.len()
    }

    pub fn is_empty(&self) -> bool {
        self.before.is_empty()
    }
}

/// The reading state file and the state last read from it.
#[derive(Debug)]
pub struct ReadingStore {
    path: PathBuf,
    /// Shared with whoever shows it (the reader), who keeps it until the next state arrives: one copy of
    /// every article's state instead of one each.
    state: Arc<ReadingState>,
    problem: Option<ReadingError>,
    /// The file's bytes as last read or written (their length and hash; `None`: no file), so that a
    /// change re-reads the file but parses it only when another process has written it since.
    known: Option<Digest>,
}

/// The length and a hash of a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Digest(usize, u64);

impl Digest {
    fn of(bytes: &[u8]) -> Digest {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Digest(bytes.len(), hasher.finish())
    }
}

impl ReadingStore {
    /// Reads the state at `path` (empty when there is no file yet). A file that does not parse is not an
    /// error here: the state is what could be read, and [`ReadingStore::problem`] says where it broke.
    pub fn open(path: &Path) -> Result<ReadingStore, ReadingError> {
        let bytes = read_bytes(path)?;
        let (state, problem) = parse(path, bytes.as_deref());
        Ok(ReadingStore {
            path: path.to_owned(),
            state: Arc::new(state),
            problem,
            known: bytes.as_deref().map(Digest::of),
        })
    }

    /// A store whose file could not be read at all: an empty state, with the error as its problem.
    pub fn unreadable(path: &Path, error: ReadingError) -> ReadingStore {
        ReadingStore {
            path: path.to_owned(),
            state: Arc::default(),
            problem: Some(error),
            known: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state as last read or written.
    pub fn state(&self) -> &ReadingState {
        &self.state
    }

    /// The same state, to keep without copying it.
    pub fn shared(&self) -> Arc<ReadingState> {
        Arc::clone(&self.state)
    }

    /// Why the file is not written, when it does not parse.
    pub fn problem(&self) -> Option<&ReadingError> {
        self.problem.as_ref()
    }

    /// Reads the file again (what another process wrote); returns whether it held other bytes than
    /// those last read or written (only then is it parsed).
    pub fn reload(&mut self) -> Result<bool, ReadingError> {
        let bytes = read_bytes(&self.path)?;
        let digest = bytes.as_deref().map(Digest::of);
        // The same bytes as last read or written: the state held is what they say.
        if self.problem.is_none() && digest == self.known {
            return Ok(false);
        }
        let (state, problem) = parse(&self.path, bytes.as_deref());
        (self.state, self.problem) = (Arc::new(state), problem);
        self.known = digest;
        Ok(true)
    }

    /// Applies `change` to the state as it is in the file now, under the lock, and writes it. Refused
    /// (nothing written) while the file does not parse.
    pub fn update<T>(
        &mut self,
        change: impl FnOnce(&mut ReadingState) -> T,
    ) -> Result<T, ReadingError> {
        let _lock = lock(&self.path)?;
        self.reload()?;
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let mut state = ReadingState::clone(&self.state);
        let out = change(&mut state);
        if state != *self.state {
            let text = state.render();
            crate::atomic_file::write(&self.path, text.as_bytes())
                .map_err(|e| io(&self.path, e))?;
            self.known = Some(Digest::of(text.as_bytes()));
            self.state = Arc::new(state);
        }
        Ok(out)
    }

    /// Marks one article read (`true`, at `now`) or unread; returns whether that changed anything.
    pub fn set_read(
        &mut self,
        id: &str,
        read: bool,
        now: OffsetDateTime,
    ) -> Result<bool, ReadingError> {
        self.update(|state| {
            let changed = state.is_read(id) != read;
            if changed {
                state.entry(id).read = read.then_some(now);
                state.tidy(id);
            }
            changed
        })
    }

    /// Flips one article between read and unread; returns whether it is read now.
    pub fn toggle_read(&mut self, id: &str, now: OffsetDateTime) -> Result<bool, ReadingError> {
        self.update(|state| {
            let read = !state.is_read(id);
            state.entry(id).read = read.then_some(now);
            state.tidy(id);
            read
        })
    }

    /// Stars or unstars one article; returns whether that changed anything.
    pub fn set_starred(&mut self, id: &str, starred: bool) -> Result<bool, ReadingError> {
        self.update(|state| {
            let changed = state.is_starred(id) != starred;
            state.entry(id).starred = starred;
            state.tidy(id);
            changed
        })
    }

    /// Flips one article's star; returns whether it is starred now.
    pub fn toggle_star(&mut self, id: &str) -> Result<bool, ReadingError> {
        self.update(|state| {
            let starred = !state.is_starred(id);
            state.entry(id).starred = starred;
            state.tidy(id);
            starred
        })
    }

    /// Marks every one of `ids` read; the undo puts back those that were unread.
    pub fn mark_all_read<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
        now: OffsetDateTime,
    ) -> Result<Undo, ReadingError> {
        let ids: Vec<&str> = ids.into_iter().collect();
        self.update(|state| {
            let mut before = Vec::new();
            for id in ids {
                if !state.is_read(id) {
                    before.push((id.to_owned(), state.articles.get(id).cloned()));
                    state.entry(id).read = Some(now);
                }
            }
            Undo { before }
        })
    }

    /// Puts back what a change took away: each article's read mark as it was before it (its star and
    /// position as they are now, since they may have changed since).
    pub fn undo(&mut self, undo: &Undo) -> Result<(), ReadingError> {
        self.update(|state| {
            for (id, before) in &undo.before {
                state.entry(id).read = before.as_ref().and_then(|b| b.read);
                state.tidy(id);
            }
        })
    }

    /// Remembers where the reader is in an article (`offset` into its plain text `text`).
    pub fn set_position(
        &mut self,
        id: &str,
        text: &[char],
        offset: usize,
    ) -> Result<(), ReadingError> {
        let position = Position::at(text, offset);
        self.update(|state| state.entry(id).position = Some(position))
    }

    /// Where the reader left an article, found in its text as it is now.
    pub fn position(&self, id: &str, text: &[char]) -> Option<usize> {
        let position = self.state.articles.get(id)?.position.as_ref()?;
        Some(position.find(text))
    }

    /// Records the first sight of each of `ids` not seen before (what decides whether it is new);
    /// returns how many were. Writes only when there are some.
    pub fn note_arrivals<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str> + Clone,
        now: OffsetDateTime,
    ) -> Result<usize, ReadingError> {
        let unseen = |state: &ReadingState, id: &str| {
            state.articles.get(id).is_none_or(|a| a.seen.is_none())
        };
        if !ids.clone().into_iter().any(|id| unseen(&self.state, id)) {
            return Ok(0);
        }
        self.update(|state| state.see(ids, now))
    }

    /// Ends a visit of the reader: what arrives after `now` is new.
    pub fn end_visit(&mut self, now: OffsetDateTime) -> Result<(), ReadingError> {
        self.update(|state| state.last_visit = Some(now))
    }
}

/// The state file of a content dir under `state_dir` (the user state dir's `newsgloss`, or
/// `[paths] state`): `<state_dir>/<key>/reading.toml`, with the same key the index cache uses.
pub fn state_file(state_dir: &Path, content_key: &str) -> PathBuf {
    state_dir.join(content_key).join(FILE)
}

/// The bytes of the file at `path`; `None` when there is no file yet.
fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, ReadingError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
    }
}

/// The state the file's `bytes` hold (empty without a file), and why part of it cannot be read.
fn parse(path: &Path, bytes: Option<&[u8]>) -> (ReadingState, Option<ReadingError>) {
    let Some(bytes) = bytes else {
        return (ReadingState::default(), None);
    };
    let damaged = |location: Location, message: String| ReadingError::Damaged {
        path: path.to_owned(),
        location,
        message,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = Location::of_byte(bytes, e.valid_up_to());
            return (
                ReadingState::default(),
                Some(damaged(at, "not UTF-8".into())),
            );
        }
    };
    let (state, problem) = ReadingState::parse(text);
    (state, problem.map(|p| damaged(p.location, p.message)))
}

/// The lock beside the state file, held while it lives.
struct Lock {
    _file: File,
}

fn lock(path: &Path) -> Result<Lock, ReadingError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    let lock_path = dir.join(format!(".{}", name.to_string_lossy()));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io(&lock_path, e))?;
    file.lock().map_err(|e| io(&lock_path, e))?;
    Ok(Lock { _file: file })
}

fn io(path: &Path, error: std::io::Error) -> ReadingError {
    ReadingError::Io {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests;
