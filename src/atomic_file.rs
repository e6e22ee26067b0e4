//! The one way newsgloss replaces a file: the bytes go to a hidden temp file in the same directory, which is
//! synced, renamed over the target and followed by a sync of the directory, so that a reader (or a crash at
//! any moment) sees the old file or the new one, never a part. The calls that can fail half-way go through
//! [`FileOps`], so tests can make each of them fail and check that the old file is left as it was.

use std::collections::HashMap;
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

/// Many files replaced at once, made durable together: each is written to its temp file as it is
/// staged, and [`Batch::commit`] syncs them all (many at once), then renames each over its target and
/// syncs each directory once (one sync per file instead of two, and no rename waits for a sync). A crash at any moment leaves
/// each target old or new, never a part; a batch dropped without a commit removes its temp files. It holds
/// a hash of each file's bytes, not the bytes, so that a batch of many files stays small.
#[derive(Default)]
pub struct Batch {
    /// In the order first staged.
    staged: Vec<Staged>,
    /// Where each target is in `staged`.
    at: HashMap<PathBuf, usize>,
    /// Whether everything staged is durable.
    synced: bool,
}

struct Staged {
    temp: PathBuf,
    path: PathBuf,
    hash: blake3::Hash,
}

impl Batch {
    /// Writes `bytes` to a temp file beside `path` (its directory made when missing), to replace `path`
    /// at the commit. Staging the same path again replaces what was staged.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let temp = temp_path(path);
        let written = File::create(&temp).and_then(|mut file| file.write_all(bytes));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        let staged = Staged {
            temp,
            path: path.to_owned(),
            hash: blake3::hash(bytes),
        };
        match self.at.get(path) {
            Some(&at) => {
                let old = std::mem::replace(&mut self.staged[at], staged);
                let _ = std::fs::remove_file(old.temp);
            }
            None => {
                self.at.insert(path.to_owned(), self.staged.len());
                self.staged.push(staged);
            }
        }
        self.synced = false;
        Ok(())
    }

    /// Whether `path` is staged, and if so whether with exactly `bytes` (what it will hold after the
    /// commit).
    pub fn staged_as(&self, path: &Path, bytes: &[u8]) -> Option<bool> {
        let at = *self.at.get(path)?;
        Some(self.staged[at].hash == blake3::hash(bytes))
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// The paths staged, in the order first staged.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|s| s.path.as_path())
    }

    /// Makes every staged file durable where it is staged, not yet in place (a caller that records
    /// the files elsewhere does so between this and [`Batch::commit`]).
    pub fn sync(&mut self) -> std::io::Result<()> {
        if !self.synced && !self.staged.is_empty() {
            let temps: Vec<&Path> = self.staged.iter().map(|s| s.temp.as_path()).collect();
            flush(&temps)?;
        }
        self.synced = true;
        Ok(())
    }

    /// Makes every staged file durable, then puts each in place. On an error the files not yet in place
    /// keep their old contents and their temp files are removed.
    pub fn commit(&mut self) -> std::io::Result<()> {
        self.sync()?;
        self.synced = false;
        self.at.clear();
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut staged = std::mem::take(&mut self.staged).into_iter();
        while let Some(Staged { temp, path, .. }) = staged.next() {
            if let Err(e) = std::fs::rename(&temp, &path) {
                let _ = std::fs::remove_file(&temp);
                // The rest are removed when the batch is dropped.
                self.staged = staged.collect();
                return Err(e);
            }
            let dir = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_owned);
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            File::open(&dir)?.sync_all()?;
        }
        Ok(())
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        for staged in self.staged.drain(..) {
            let _ = std::fs::remove_file(staged.temp);
        }
    }
}

/// How many files are synced at once. On ext4 (and other journalling file systems) syncs that overlap
/// share one journal commit, so a batch of 1,000 new files is durable in about a twentieth of the time
/// that syncing them one after the other takes; past a few dozen threads nothing more is shared.
const SYNC_THREADS: usize = 32;

/// Makes the files at `paths` durable, up to [`SYNC_THREADS`] synced at once (a sync of the whole file
/// system would be one call, but it would also wait for whatever else is unwritten there). The first
/// error is returned once every thread has stopped.
fn flush(paths: &[&Path]) -> std::io::Result<()> {
    let sync = |path: &&Path| File::open(path)?.sync_all();
    if paths.len() < 2 {
        return paths.iter().try_for_each(sync);
    }
    let threads = paths.len().min(SYNC_THREADS);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    // Each thread takes the next file not yet taken, and stops at its first error.
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        match paths.get(i) {
                            None => return Ok(()),
                            Some(path) => sync(path)?,
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a sync thread panicked")))
        })
    })
}

/// Removes the temp files in `dir` left by a process that is no longer running (one killed while it
/// wrote); a temp file of a running process is left alone.
pub fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().filter(|n| is_temp_name(n)).and_then(temp_pid) else {
            continue;
        };
        if !is_running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temp file's name (`.<name>.tmp.<pid>.<n>`).
fn temp_pid(name: &str) -> Option<u32> {
    let (_, tail) = name.rsplit_once(TEMP_MARK)?;
    tail.split('.').next()?.parse().ok()
}

/// Whether a process with this id is running (unknown counts as running, so nothing live is removed).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
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
    fn a_batch_puts_every_file_in_place_at_its_commit_and_nothing_before() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("sub").join("b.md");
        write(&a, b"old").unwrap();
        let mut batch = Batch::default();
        batch.stage(&a, b"new a").unwrap();
        batch.stage(&b, b"first b").unwrap();
        batch.stage(&b, b"new b").unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert!(!b.exists());
        assert_eq!(batch.staged_as(&b, b"new b"), Some(true));
        assert_eq!(batch.staged_as(&b, b"first b"), Some(false));
        assert_eq!(batch.staged_as(&dir.path().join("c.md"), b""), None);
        batch.commit().unwrap();
        assert!(batch.is_empty());
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        let names = |d: &Path| std::fs::read_dir(d).unwrap().count();
        assert_eq!((names(dir.path()), names(&dir.path().join("sub"))), (2, 1));
    }

    #[test]
    fn a_batch_dropped_uncommitted_leaves_the_old_files_and_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        write(&a, b"old").unwrap();
        let mut batch = Batch::default();
        batch.stage(&a, b"new").unwrap();
        batch.stage(&dir.path().join("c.md"), b"c").unwrap();
        drop(batch);
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_the_temp_files_of_processes_gone_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".a.md{TEMP_MARK}{gone}.0"));
        let live = dir
            .path()
            .join(format!(".b.md{TEMP_MARK}{}.0", std::process::id()));
        let article = dir.path().join("c.md");
        for path in [&stale, &live, &article] {
            std::fs::write(path, b"x").unwrap();
        }
        sweep_stale(dir.path());
        assert!(!stale.exists() && live.exists() && article.exists());
    }

    #[test]
    fn temp_names_are_recognised() {
        let path = temp_path(Path::new("/x/a.toml"));
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(is_temp_name(name), "{name}");
        assert!(!is_temp_name("a.toml"));
    }
}
