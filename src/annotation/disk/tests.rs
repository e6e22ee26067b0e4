//! Atomic writes under injected failures (write, fsync, rename): the previous file stays byte for byte
//! and the error names the file; backups rotate and keep the last three versions.

use std::cell::Cell;
use std::io::Write;

use super::*;
use crate::atomic_file::TEMP_MARK;

/// Which call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Write,
    Sync,
    Rename,
    DirSync,
}

/// The real file system, but the `fail`th call of `step` fails (counting from 1).
struct Failing {
    step: Step,
    syncs: Cell<usize>,
}

impl Failing {
    fn new(step: Step) -> Failing {
        Failing {
            step,
            syncs: Cell::new(0),
        }
    }

    fn injected() -> std::io::Error {
        std::io::Error::other("injected failure")
    }
}

impl FileOps for Failing {
    fn write_all(&self, file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
        if self.step == Step::Write {
            // Half the bytes reach the temp file before the failure, as on a full disk.
            file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(Failing::injected());
        }
        RealFs.write_all(file, bytes)
    }

    fn sync(&self, file: &File) -> std::io::Result<()> {
        self.syncs.set(self.syncs.get() + 1);
        match (self.step, self.syncs.get()) {
            (Step::Sync, 1) | (Step::DirSync, 2) => Err(Failing::injected()),
            _ => RealFs.sync(file),
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        // Backups rotate by rename too; only the final rename onto the store file fails.
        let onto_store_file = from.to_string_lossy().contains(TEMP_MARK);
        if self.step == Step::Rename && onto_store_file {
            return Err(Failing::injected());
        }
        RealFs.rename(from, to)
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_write_fsync_or_rename_leaves_the_previous_file_byte_for_byte() {
    for step in [Step::Write, Step::Sync, Step::Rename] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news/a.toml");
        let lock = lock(dir.path()).unwrap();
        write_atomically(dir.path(), &path, b"article = \"news/a\"\n", &lock).unwrap();
        let before = entries(dir.path());
        let error = write_atomically_with(
            &Failing::new(step),
            dir.path(),
            &path,
            b"article = \"news/a\"\n# more\n",
            &lock,
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("news/a.toml") && message.contains("injected failure"),
            "{step:?}: {message}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"article = \"news/a\"\n");
        // No temp file is left; a backup made before a failed rename is the file itself.
        let after: Vec<String> = entries(dir.path())
            .into_iter()
            .filter(|e| !e.starts_with(BACKUP_DIR))
            .collect();
        let before: Vec<String> = before
            .into_iter()
            .filter(|e| !e.starts_with(BACKUP_DIR))
            .collect();
        assert_eq!(after, before, "{step:?}");
    }
}

#[test]
fn a_failed_directory_fsync_is_reported_after_the_rename() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.toml");
    let lock = lock(dir.path()).unwrap();
    let error = write_atomically_with(
        &Failing::new(Step::DirSync),
        dir.path(),
        &path,
        b"new",
        &lock,
    )
    .unwrap_err();
    assert!(error.to_string().contains("a.toml: injected failure"));
    // The rename had happened: the new bytes are whole, never half.
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
}

#[test]
fn each_save_keeps_the_three_previous_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news/a.toml");
    let lock = lock(dir.path()).unwrap();
    for version in 1..=5 {
        write_atomically(dir.path(), &path, format!("v{version}").as_bytes(), &lock).unwrap();
    }
    assert_eq!(std::fs::read(&path).unwrap(), b"v5");
    let backups: Vec<Vec<u8>> = (1..=BACKUPS)
        .map(|n| std::fs::read(backup_path(dir.path(), &path, n)).unwrap())
        .collect();
    assert_eq!(backups, [b"v4", b"v3", b"v2"]);
    assert_eq!(
        backup_path(dir.path(), &path, 2),
        dir.path().join(".backup/news/a.toml.2")
    );
    assert!(!backup_path(dir.path(), &path, 4).exists());
}

#[test]
fn keeping_aside_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.toml");
    for n in 0..3 {
        std::fs::write(&path, format!("bad {n}")).unwrap();
        keep_aside(&path, "corrupt").unwrap();
    }
    assert_eq!(
        entries(dir.path()),
        ["a.toml.corrupt", "a.toml.corrupt.2", "a.toml.corrupt.3"]
    );
    let kept = std::fs::read(dir.path().join("a.toml.corrupt.3")).unwrap();
    assert_eq!(kept, b"bad 2");
}
