//! The one way newsgloss replaces a file: the bytes go to a hidden temp file in the same directory, which is
//! synced, renamed over the target and followed by a sync of the directory, so that a reader (or a crash at
//! any moment) sees the old file or the new one, never a part. The calls that can fail half-way go through
//! [`FileOps`], so tests can make each of them fail and check that the old file is left as it was.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What every temp file's name holds: `.<name>.tmp.<pid>.<n>`.
pub const TEMP_MARK: &str = ".tmp.";

/// The calls an atomic write makes that can fail half-way; tests put in one that fails on purpose.
pub trait FileOps {
    fn write_all(&self, file: &mut File, bytes: &[u8]) -> std::io::Result<()>;
    fn sync(&self, file: &File) -> std::io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()>;
}

/// The real file system.
pub struct RealFs;

impl FileOps for RealFs {
    fn write_all(&self, file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
        file.write_all(bytes)
    }

    fn sync(&self, file: &File) -> std::io::Result<()> {
        file.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::rename(from, to)
    }
}

/// Replaces the file at `path` with `bytes` atomically (its directory is made when missing).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(&RealFs, path, bytes, || Ok(()))
}

/// [`write`] through `fs`; `before_rename` runs once the new bytes are safe on disk and before they replace
/// the old file (the annotation store keeps its backup there). On any failure the temp file is removed
/// and the old file is untouched.
pub fn write_with(
    fs: &dyn FileOps,
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce() -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let temp = temp_path(path);
    let written = (|| {
        let mut file = File::create(&temp)?;
        fs.write_all(&mut file, bytes)?;
        fs.sync(&file)?;
        before_rename()?;
        fs.rename(&temp, path)?;
        fs.sync(&File::open(dir)?)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Whether `name` is the name of a temp file that [`write`] makes.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMP_MARK)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails the named call.
    struct Failing(&'static str);

    impl FileOps for Failing {
        fn write_all(&self, file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
            match self.0 {
                "write" => Err(std::io::Error::other("disk full")),
                _ => RealFs.write_all(file, bytes),
            }
        }
        fn sync(&self, file: &File) -> std::io::Result<()> {
            match self.0 {
                "sync" => Err(std::io::Error::other("I/O error")),
                _ => RealFs.sync(file),
            }
        }
        fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
            match self.0 {
                "rename" => Err(std::io::Error::other("read-only")),
                _ => RealFs.rename(from, to),
            }
        }
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("file.toml");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["file.toml"]);
    }

    #[test]
    fn every_failure_keeps_the_old_file_and_removes_the_temp_file() {
        for call in ["write", "sync", "rename", "before"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("file.toml");
            write(&path, b"old").unwrap();
            let before = || match call {
                "before" => Err(std::io::Error::other("no backup")),
                _ => Ok(()),
            };
            assert!(
                write_with(&Failing(call), &path, b"new", before).is_err(),
                "{call}"
            );
            assert_eq!(std::fs::read(&path).unwrap(), b"old", "{call}");
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "{call}");
        }
    }

    #[test]
    fn temp_names_are_recognised() {
        let path = temp_path(Path::new("/x/a.toml"));
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(is_temp_name(name), "{name}");
        assert!(!is_temp_name("a.toml"));
    }
}
