//! The file-system side of the store: a store-wide lock file, atomic writes (a temp file in the same dir,
//! fsync, rename, fsync the dir), and removing temp files left behind by a writer that died.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::StoreError;

/// The name of the lock file at the top of the store dir.
pub const LOCK_FILE: &str = ".lock";
/// What every temp file's name holds: `.<name>.tmp.<pid>.<n>`.
const TEMP_MARK: &str = ".tmp.";

/// The store-wide lock, held while it lives.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

/// Takes the store-wide lock, waiting for another writer to finish; creates the dir if needed.
pub fn lock(dir: &Path) -> Result<StoreLock, StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io(&path, e))?;
    // `File::lock` is stable since Rust 1.89; drop this allow when `rust-version` says 1.89.
    file.lock().map_err(|e| io(&path, e))?;
    Ok(StoreLock { _file: file })
}

/// Reads a file, `None` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
    }
}

/// Replaces the file at `path` with `bytes` atomically: readers see the old file or the new one.
pub fn write_atomically(path: &Path, bytes: &[u8], _lock: &StoreLock) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let temp = temp_path(path);
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(|e| io(path, e))
}

fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}{TEMP_MARK}{}.{n}", std::process::id()))
}

/// Removes temp files that a writer left behind; call with the lock held, when no write is under way.
pub fn remove_stray_temp_files(dir: &Path, _lock: &StoreLock) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with('.')
            && name.contains(TEMP_MARK)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed.push(entry.path().to_owned());
        }
    }
    removed
}

pub fn io(path: &Path, error: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_owned(),
        message: error.to_string(),
    }
}
