//! Making a new index directory so that a process killed at any moment of it (or a machine that dies)
//! leaves a directory that the next run recognises and finishes, never one it refuses.
//!
//! The order is what makes it so. The writer lock is taken first, so that two processes never make the
//! same index at once; then `newsgloss-index.toml` is put in place (written to a temp file of ours and
//! renamed), before tantivy writes anything; then tantivy writes `.managed.json` and `meta.json`, each
//! through a temp file of ours too. Until `meta.json` is in place the directory holds nothing but those
//! files, the lock files and their temp files, which [`is_unfinished`] recognises by name: such a
//! directory is cleared of the temp files and `.managed.json` and the index is made again. Once `meta.json` is in place the index is whole (and
//! empty). A test kills the binary after each step ([`Steps`]) and checks that the next run indexes.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, INDEX_WRITER_LOCK, Lock, META_LOCK, MmapDirectory,
    WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Index, TantivyError};

use super::{ArticleIndex, IndexError, MARKER, marker_text, schema};
use crate::atomic_file::{self, TEMP_MARK};

/// Told the name of each step of making a new index once it is done (the debug binary can stop there,
/// so that a test kills it after every step).
pub type Steps = Arc<dyn Fn(&str) + Send + Sync>;

/// tantivy's list of the files it manages.
const MANAGED: &str = ".managed.json";

/// The files that making an index writes before `meta.json` is in place, besides temp files.
const MADE_FIRST: [&str; 2] = [MARKER, MANAGED];

/// Whether `dir` holds no index yet: nothing, or only what making one leaves before its `meta.json` is in
/// place (see the module's doc). Anything else in it (an index, or files of the user's) says no.
pub fn is_unfinished(dir: &Path) -> io::Result<bool> {
    if dir.join("meta.json").exists() {
        return Ok(false);
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if !(is_lock(&name) || is_made_first(&name) || is_temp(&name)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Makes a new, empty index in `dir` if it holds none yet ([`is_unfinished`]); `None` when it holds
/// something else, which the caller opens or refuses.
pub fn create_if_new(dir: &Path, steps: &Steps) -> Result<Option<ArticleIndex>, IndexError> {
    let io = |error| IndexError::Io {
        path: dir.to_owned(),
        error,
    };
    if !is_unfinished(dir).map_err(io)? {
        return Ok(None);
    }
    let _lock = lock_writer(dir)?;
    steps("writer lock taken");
    // Another process may have made it between the look and the lock.
    if !is_unfinished(dir).map_err(io)? {
        return Ok(None);
    }
    remove_leftovers(dir).map_err(io)?;
    let marker = dir.join(MARKER);
    atomic_file::write_with(
        &atomic_file::RealFs,
        &marker,
        marker_text().as_bytes(),
        || {
            steps(&format!("{MARKER} written"));
            Ok(())
        },
    )
    .map_err(io)?;
    steps(&format!("{MARKER} in place"));
    let made = Making {
        inner: MmapDirectory::open(dir).map_err(TantivyError::from)?,
        root: dir.to_owned(),
        steps: Arc::clone(steps),
    };
    let (schema, _) = schema::build();
    drop(Index::create(made, schema, Default::default())?);
    steps("index made");
    // Opened as every index is, through its own directory: what was made is checked as it will be read.
    ArticleIndex::open_existing(dir)
        .map(Some)
        .map_err(|problem| IndexError::Damaged(format!("the new index {problem}")))
}

/// Takes tantivy's writer lock on `dir` (made when missing): a second process making or updating the
/// index meanwhile is told it is busy. Dropping the file releases it.
fn lock_writer(dir: &Path) -> Result<std::fs::File, IndexError> {
    let path = dir.join(INDEX_WRITER_LOCK.filepath.as_path());
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|error| IndexError::Io {
            path: path.clone(),
            error,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(IndexError::Busy),
        Err(std::fs::TryLockError::Error(error)) => Err(IndexError::Io { path, error }),
    }
}

/// Removes what an earlier, killed creation left in `dir` (which [`is_unfinished`] holds) besides the
/// lock files and the marker, which is written again: its temp files and tantivy's list of its files,
/// which names nothing yet but `meta.json`.
fn remove_leftovers(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if is_temp(&name) || name == MANAGED {
            match std::fs::remove_file(entry.path()) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}

fn is_lock(name: &OsStr) -> bool {
    [&*INDEX_WRITER_LOCK, &*META_LOCK]
        .iter()
        .any(|lock| lock.filepath.as_os_str() == name)
}

fn is_made_first(name: &OsStr) -> bool {
    MADE_FIRST.iter().any(|made| OsStr::new(made) == name)
}

/// A temp file of one of the files made first (`.<name>.tmp.<pid>.<n>`, see [`atomic_file`]), or one that
/// tantivy's own atomic write makes (`.tmp` and six letters or digits: newsgloss before this order was
/// kept could be killed with only that in the directory).
fn is_temp(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let ours = MADE_FIRST
        .iter()
        .chain(&["meta.json"])
        .any(|made| name.starts_with(&format!(".{made}{TEMP_MARK}")));
    let tantivys = name.len() == 10
        && name
            .strip_prefix(".tmp")
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    ours || tantivys
}

/// The directory tantivy makes a new index through: its own, except that each file is written by
/// [`atomic_file::write_with`] (to a temp file of a name [`is_temp`] knows, synced, renamed, the
/// directory synced) and each step reported.
#[derive(Clone)]
struct Making {
    inner: MmapDirectory,
    root: PathBuf,
    steps: Steps,
}

impl fmt::Debug for Making {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Making").field("root", &self.root).finish()
    }
}

impl Directory for Making {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let name = path.display();
        atomic_file::write_with(&atomic_file::RealFs, &self.root.join(path), data, || {
            (self.steps)(&format!("{name} written"));
            Ok(())
        })?;
        (self.steps)(&format!("{name} in place"));
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_step_is_reported_and_the_index_holds_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let steps: Steps = Arc::new(move |step: &str| record.lock().unwrap().push(step.to_owned()));
        let index = create_if_new(dir.path(), &steps).unwrap().expect("made");
        assert!(index.is_empty());
        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            [
                "writer lock taken",
                "newsgloss-index.toml written",
                "newsgloss-index.toml in place",
                ".managed.json written",
                ".managed.json in place",
                "meta.json written",
                "meta.json in place",
                "index made",
            ]
        );
        let names = names(dir.path());
        assert!(names.iter().all(|n| !n.contains("tmp")), "{names:?}");
        // Whole now: another look finds an index, not a directory to make one in.
        assert!(!is_unfinished(dir.path()).unwrap());
        assert!(create_if_new(dir.path(), &steps).unwrap().is_none());
    }

    #[test]
    fn only_what_a_creation_leaves_counts_as_unfinished() {
        let pid = std::process::id();
        let cases: [(&[&str], bool); 9] = [
            (&[], true),
            (&[".tantivy-writer.lock"], true),
            (&[".tmpAb12Cd"], true),
            (
                &[".tantivy-writer.lock", ".newsgloss-index.toml.tmp.7.0"],
                true,
            ),
            (&["newsgloss-index.toml", "..managed.json.tmp.7.1"], true),
            (
                &[
                    "newsgloss-index.toml",
                    ".managed.json",
                    ".meta.json.tmp.7.2",
                ],
                true,
            ),
            (
                &["newsgloss-index.toml", ".managed.json", "meta.json"],
                false,
            ),
            (&["notes.md"], false),
            (&[".tmp-notes", ".tantivy-writer.lock"], false),
        ];
        for (files, unfinished) in cases {
            let dir = tempfile::tempdir().unwrap();
            for file in files {
                std::fs::write(dir.path().join(file.replace('7', &pid.to_string())), b"x").unwrap();
            }
            assert_eq!(is_unfinished(dir.path()).unwrap(), unfinished, "{files:?}");
        }
    }

    #[test]
    fn an_unfinished_directory_is_cleared_and_made_again() {
        let dir = tempfile::tempdir().unwrap();
        for file in [".tmpAb12Cd", "newsgloss-index.toml", ".managed.json"] {
            std::fs::write(dir.path().join(file), b"half").unwrap();
        }
        let steps: Steps = Arc::new(|_: &str| {});
        let index = create_if_new(dir.path(), &steps).unwrap().expect("made");
        assert!(index.is_empty());
        let names = names(dir.path());
        assert!(!names.contains(&".tmpAb12Cd".to_owned()), "{names:?}");
        assert!(names.contains(&".managed.json".to_owned()), "{names:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(MARKER)).unwrap(),
            marker_text()
        );
    }

    #[test]
    fn a_creation_while_another_holds_the_writer_lock_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_writer(dir.path()).unwrap();
        let steps: Steps = Arc::new(|_: &str| {});
        assert!(matches!(
            create_if_new(dir.path(), &steps),
            Err(IndexError::Busy)
        ));
        drop(held);
        assert!(create_if_new(dir.path(), &steps).unwrap().is_some());
    }
}
