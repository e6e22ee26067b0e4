//! The file-system side of the store: a store-wide lock file, atomic writes (a temp file in the same dir,
//! fsync, rename, fsync the dir) that keep the last few versions of each file as backups, and removing
//! temp files left behind by a writer that died.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use super::StoreError;
pub use crate::atomic_file::{FileOps, RealFs};

/// The name of the lock file at the top of the store dir.
pub const LOCK_FILE: &str = ".lock";
/// The dir under the store dir that holds backups: `.backup/<article-id>.toml.<n>`, 1 the newest.
pub const BACKUP_DIR: &str = ".backup";
/// How many earlier versions of each store file are kept.
pub const BACKUPS: usize = 3;

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

/// Replaces the file at `path` with `bytes` atomically: readers see the old file or the new one. The
/// old one becomes backup 1 of `store_dir` (and the older backups move down, the oldest dropped).
pub fn write_atomically(
    store_dir: &Path,
    path: &Path,
    bytes: &[u8],
    lock: &StoreLock,
) -> Result<(), StoreError> {
    write_atomically_with(&RealFs, store_dir, path, bytes, lock)
}

/// [`write_atomically`] through `fs`.
pub fn write_atomically_with(
    fs: &dyn FileOps,
    store_dir: &Path,
    path: &Path,
    bytes: &[u8],
    _lock: &StoreLock,
) -> Result<(), StoreError> {
    crate::atomic_file::write_with(fs, path, bytes, || keep_backup(fs, store_dir, path))
        .map_err(|e| io(path, e))
}

/// Backup `n` (1 the newest) of the store file at `path`.
pub fn backup_path(store_dir: &Path, path: &Path, n: usize) -> PathBuf {
    let relative = path.strip_prefix(store_dir).unwrap_or(path);
    let mut name = store_dir.join(BACKUP_DIR).join(relative).into_os_string();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// Moves the backups of `path` down one place and links the current file in as backup 1.
fn keep_backup(fs: &dyn FileOps, store_dir: &Path, path: &Path) -> std::io::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let newest = backup_path(store_dir, path, 1);
    if let Some(parent) = newest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    for n in (1..BACKUPS).rev() {
        let from = backup_path(store_dir, path, n);
        if from.exists() {
            fs.rename(&from, &backup_path(store_dir, path, n + 1))?;
        }
    }
    // A hard link keeps the old bytes once the rename replaces the name; copy where links cannot be made.
    if std::fs::hard_link(path, &newest).is_err() {
        std::fs::copy(path, &newest)?;
    }
    Ok(())
}

/// Renames `path` to `<path>.<what>`, or `<path>.<what>.N` with the first free N; returns the new path.
pub fn keep_aside(path: &Path, what: &str) -> Result<PathBuf, StoreError> {
    let named = |suffix: String| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let target = std::iter::once(named(format!(".{what}")))
        .chain((2..).map(|n| named(format!(".{what}.{n}"))))
        .find(|p| !p.exists())
        .expect("some name is free");
    std::fs::rename(path, &target).map_err(|e| io(path, e))?;
    Ok(target)
}

/// Removes temp files that a writer left behind; call with the lock held, when no write is under way.
pub fn remove_stray_temp_files(dir: &Path, _lock: &StoreLock) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && crate::atomic_file::is_temp_name(&name)
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

#[cfg(test)]
mod tests;
