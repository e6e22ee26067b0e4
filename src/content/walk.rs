//! The walk of a content dir: every directory read once, and each article file stat'ed relative to its
//! directory's open handle (a `statx` of one name, not a lookup of the whole path), on a few threads that
//! each take the next directory or piece of one when they are free. This is the freshness check's floor:
//! one `stat` per file, because an edit in place changes only the file's own time. So the walk spends
//! little else: on Linux a directory is read into one buffer (`getdents64`, no allocation per entry) and
//! an article costs the two allocations it keeps, its id and its path.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::{ContentFile, Warning, is_forbidden_in_name};

/// The id prefix of what is in a directory ("" at the top), or why its path cannot be part of an id.
type Prefix = Result<String, &'static str>;

/// A regular file with the extension looked for, not yet stat'ed.
struct Found {
    /// Its directory, held open until its files are stat'ed.
    dir: Arc<sys::Dir>,
    /// Its id: the id prefix, then its name without the extension.
    id: String,
    /// Where its name begins in `id`.
    name_at: usize,
}

/// What kind of file a directory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    /// Not a regular file or directory, with why it is passed over (it is never opened).
    Other(&'static str),
}

const SYMLINK: &str = "a symbolic link (links are not followed)";
const FIFO: &str = "a FIFO, not a regular file";
const SOCKET: &str = "a socket, not a regular file";
const SPECIAL: &str = "a device or other special file, not a regular file";

/// The work of a walk, taken by whichever thread is free.
#[derive(Default)]
struct Queue {
    /// Found files still to stat, at most [`STAT_CHUNK`] of one directory each. They are taken before
    /// directories, so that few directories are held open at once.
    stats: Vec<Vec<Found>>,
    /// Directories still to read, each with the id prefix of what is in it.
    dirs: Vec<(PathBuf, Prefix)>,
    /// How many threads are doing a piece of work (which may add more).
    busy: usize,
}

/// The queue, the signal that it changed, and the extension of the files looked for.
struct Shared<'a> {
    queue: Mutex<Queue>,
    changed: Condvar,
    extension: &'a str,
}

/// What one thread found: article files (sorted by id once its work is done) and warnings.
#[derive(Default)]
struct Part {
    files: Vec<ContentFile>,
    warnings: Vec<Warning>,
}

/// A directory's files are stat'ed in pieces of this many, so that one large directory is shared among
/// the threads.
const STAT_CHUNK: usize = 2048;

/// Every regular file named `*.{extension}` under `root` (hidden names skipped, links not followed),
/// sorted by id, and a warning for each entry passed over, sorted by path.
pub(super) fn walk(root: &Path, extension: &str) -> (Vec<ContentFile>, Vec<Warning>) {
    let shared = Shared {
        extension,
        queue: Mutex::new(Queue {
            dirs: vec![(root.to_owned(), Ok(String::new()))],
            ..Queue::default()
        }),
        changed: Condvar::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut parts = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| work(&shared)))
            .collect();
        let mut parts = vec![work(&shared)];
        parts.extend(
            helpers
                .into_iter()
                .map(|helper| helper.join().expect("a walk does not panic")),
        );
        parts
    });
    let (mut files, mut warnings) = (Vec::new(), Vec::new());
    files.reserve_exact(parts.iter().map(|part| part.files.len()).sum());
    for part in &mut parts {
        files.append(&mut part.files);
        warnings.append(&mut part.warnings);
    }
    // Each part is sorted already: the stable sort finds those runs and merges them. Ids are unique
    // (one file each).
    files.sort_by(|a, b| a.id.cmp(&b.id));
    warnings.sort_by_cached_key(warned_path);
    (files, warnings)
}

/// One thread's share of a walk: pieces of work until there are none left and no thread is doing one
/// (which could add more).
fn work(shared: &Shared<'_>) -> Part {
    let mut part = Part::default();
    let mut name = String::new();
    let lock = || shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
    let mut queue = lock();
    loop {
        if let Some(found) = queue.stats.pop() {
            queue.busy += 1;
            drop(queue);
            part.files.reserve(found.len());
            for found in found {
                match stat(found, shared.extension, &mut name) {
                    Ok(file) => part.files.push(file),
                    Err(warning) => part.warnings.push(warning),
                }
            }
            queue = lock();
            queue.busy -= 1;
        } else if let Some((dir, prefix)) = queue.dirs.pop() {
            queue.busy += 1;
            drop(queue);
            let (dirs, found) = read(dir, &prefix, shared.extension, &mut part.warnings);
            queue = lock();
            queue.busy -= 1;
            queue.dirs.extend(dirs);
            queue.stats.extend(found);
        } else if queue.busy == 0 {
            break;
        } else {
            queue = shared
                .changed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        shared.changed.notify_all();
    }
    drop(queue);
    shared.changed.notify_all();
    part.files.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    part
}

/// The entries of one directory: its subdirectories to read, and its `*.{extension}` files in pieces to
/// stat.
fn read(
    path: PathBuf,
    prefix: &Prefix,
    extension: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<(PathBuf, Prefix)>, Vec<Vec<Found>>) {
    let (mut dirs, mut names) = (Vec::new(), Vec::new());
    // Only the top has the empty prefix: it may be a link, which its user gave.
    let top = prefix.as_ref().is_ok_and(String::is_empty);
    let dir = sys::read(&path, top, |entry| {
        let (name, kind) = match entry {
            Ok(entry) => entry,
            Err(warning) => return warnings.push(warning),
        };
        if name.as_encoded_bytes().starts_with(b".") {
            return;
        }
        match kind {
            Kind::Dir => dirs.push((path.join(name), joined(prefix, name, 0))),
            _ if !has_extension(name, extension) => {}
            Kind::File => match joined(prefix, name, extension.len() + 1) {
                // The id is the path without its extension.
                Ok(id) => names.push(id),
                Err(why) => warnings.push(Warning::BadName {
                    path: path.join(name),
                    why,
                }),
            },
            Kind::Other(why) => warnings.push(Warning::Unreadable {
                path: path.join(name),
                error: why.into(),
            }),
        }
    });
    let dir = match dir {
        Ok(dir) => Arc::new(dir),
        Err(warning) => {
            warnings.push(warning);
            return (Vec::new(), Vec::new());
        }
    };
    let name_at = prefix
        .as_ref()
        .map_or(0, |p| p.len() + usize::from(!p.is_empty()));
    let mut pieces = Vec::with_capacity(names.len().div_ceil(STAT_CHUNK));
    let mut names = names.into_iter().peekable();
    while names.peek().is_some() {
        let piece = names.by_ref().take(STAT_CHUNK).map(|id| Found {
            dir: Arc::clone(&dir),
            id,
            name_at,
        });
        pieces.push(piece.collect());
    }
    (dirs, pieces)
}

/// The file of `found`, or why it cannot be one; `name` is room for its file name.
fn stat(found: Found, extension: &str, name: &mut String) -> Result<ContentFile, Warning> {
    name.clear();
    name.push_str(&found.id[found.name_at..]);
    name.push('.');
    name.push_str(extension);
    let name = OsStr::new(name.as_str());
    // Sized at once (`join` copies the directory's path, then grows it for the name).
    let mut path = PathBuf::with_capacity(found.dir.path.as_os_str().len() + 1 + name.len());
    path.push(&found.dir.path);
    path.push(name);
    match sys::stat(&found.dir, name) {
        Ok(sys::Stat {
            kind: Kind::File,
            size,
            mtime_ns,
        }) => Ok(ContentFile {
            id: found.id,
            path,
            size,
            mtime_ns,
        }),
        Ok(sys::Stat { kind, .. }) => {
            let error = match kind {
                Kind::Other(why) => why,
                _ => "a directory, not a regular file",
            };
            Err(Warning::Unreadable {
                path,
                error: error.into(),
            })
        }
        Err(e) => Err(unreadable(&path, &e)),
    }
}

/// The path a warning of the walk names, by which the warnings are put in order.
fn warned_path(warning: &Warning) -> PathBuf {
    match warning {
        Warning::BadName { path, .. } | Warning::Unreadable { path, .. } => path.clone(),
        _ => PathBuf::new(),
    }
}

/// `name` without its last `cut` bytes (an extension) appended to the id prefix of its directory, or why
/// the name cannot be part of an id. One allocation of the id's length: this runs once per file.
fn joined(prefix: &Prefix, name: &OsStr, cut: usize) -> Result<String, &'static str> {
    let prefix = prefix.as_ref().map_err(|why| *why)?;
    let name = name.to_str().ok_or("file name is not UTF-8")?;
    if name.chars().any(is_forbidden_in_name) {
        return Err("file name holds control or format characters");
    }
    let stem = &name[..name.len() - cut];
    let mut id = String::with_capacity(prefix.len() + 1 + stem.len());
    if !prefix.is_empty() {
        id.push_str(prefix);
        id.push('/');
    }
    id.push_str(stem);
    Ok(id)
}

fn has_extension(name: &OsStr, extension: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|ext| ext == extension)
}

fn unreadable(path: &Path, error: &std::io::Error) -> Warning {
    Warning::Unreadable {
        path: path.to_owned(),
        error: format!("IO error for operation on {}: {error}", path.display()),
    }
}

/// Reading a directory and stat'ing a name in it: on Linux through its open handle, elsewhere through
/// `std` and the whole path.
mod sys {
    use std::ffi::OsStr;
    use std::path::{Path, PathBuf};

    use super::{FIFO, Kind, SOCKET, SPECIAL, SYMLINK, Warning, unreadable};

    /// A directory that was read.
    pub(super) struct Dir {
        pub(super) path: PathBuf,
        #[cfg(target_os = "linux")]
        fd: rustix::fd::OwnedFd,
    }

    /// What a `stat` of a file says.
    pub(super) struct Stat {
        pub(super) kind: Kind,
        pub(super) size: u64,
        /// Modification time in nanoseconds since the Unix epoch, as [`crate::content::mtime_ns`] gives.
        pub(super) mtime_ns: i64,
    }

    /// Reads the directory at `path` (a link to one only when `follow` is set), calling `each` with every
    /// entry's name and kind, or with a warning for an entry that cannot be read; the directory, or a
    /// warning when it cannot be read at all.
    #[cfg(target_os = "linux")]
    pub(super) fn read(
        path: &Path,
        follow: bool,
        mut each: impl FnMut(Result<(&OsStr, Kind), Warning>),
    ) -> Result<Dir, Warning> {
        use rustix::fs::{FileType, Mode, OFlags, RawDir};
        use std::os::unix::ffi::OsStrExt;

        let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        if !follow {
            // A directory replaced by a link since its parent was read is not followed.
            flags |= OFlags::NOFOLLOW;
        }
        let fd = rustix::fs::open(path, flags, Mode::empty())
            .map_err(|e| unreadable(path, &e.into()))?;
        let dir = Dir {
            path: path.to_owned(),
            fd,
        };
        let mut buffer = Vec::with_capacity(64 * 1024);
        let mut entries = RawDir::new(&dir.fd, buffer.spare_capacity_mut());
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    each(Err(unreadable(&dir.path, &e.into())));
                    break;
                }
            };
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => match stat(&dir, name) {
                    Ok(stat) => stat.kind,
                    Err(e) => {
                        each(Err(unreadable(&dir.path.join(name), &e)));
                        continue;
                    }
                },
                kind => kind_of(kind),
            };
            each(Ok((name, kind)));
        }
        Ok(dir)
    }

    /// A `statx` of `name` in `dir`, relative to its handle, not following a link.
    #[cfg(target_os = "linux")]
    pub(super) fn stat(dir: &Dir, name: &OsStr) -> std::io::Result<Stat> {
        use rustix::fs::{AtFlags, FileType, StatxFlags};

        let mask = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME;
        let stat = rustix::fs::statx(&dir.fd, name, AtFlags::SYMLINK_NOFOLLOW, mask)?;
        // As `std` makes a `SystemTime` of it: a time before the epoch is 0.
        let mtime_ns = u64::try_from(stat.stx_mtime.tv_sec).map_or(0, |secs| {
            let ns = u128::from(secs) * 1_000_000_000 + u128::from(stat.stx_mtime.tv_nsec);
            i64::try_from(ns).unwrap_or(i64::MAX)
        });
        Ok(Stat {
            kind: kind_of(FileType::from_raw_mode(stat.stx_mode.into())),
            size: stat.stx_size,
            mtime_ns,
        })
    }

    #[cfg(target_os = "linux")]
    fn kind_of(kind: rustix::fs::FileType) -> Kind {
        use rustix::fs::FileType;
        match kind {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Other(SYMLINK),
            FileType::Fifo => Kind::Other(FIFO),
            FileType::Socket => Kind::Other(SOCKET),
            _ => Kind::Other(SPECIAL),
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn read(
        path: &Path,
        _follow: bool,
        mut each: impl FnMut(Result<(&OsStr, Kind), Warning>),
    ) -> Result<Dir, Warning> {
        let entries = std::fs::read_dir(path).map_err(|e| unreadable(path, &e))?;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    each(Err(unreadable(path, &e)));
                    continue;
                }
            };
            match entry.file_type() {
                Ok(kind) => each(Ok((&entry.file_name(), kind_of(&kind)))),
                Err(e) => each(Err(unreadable(&entry.path(), &e))),
            }
        }
        Ok(Dir {
            path: path.to_owned(),
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn stat(dir: &Dir, name: &OsStr) -> std::io::Result<Stat> {
        let meta = std::fs::symlink_metadata(dir.path.join(name))?;
        Ok(Stat {
            kind: kind_of(&meta.file_type()),
            size: meta.len(),
            mtime_ns: crate::content::mtime_ns(&meta),
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn kind_of(kind: &std::fs::FileType) -> Kind {
        if kind.is_file() {
            return Kind::File;
        }
        if kind.is_dir() {
            return Kind::Dir;
        }
        if kind.is_symlink() {
            return Kind::Other(SYMLINK);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Kind::Other(FIFO);
            }
            if kind.is_socket() {
                return Kind::Other(SOCKET);
            }
        }
        Kind::Other(SPECIAL)
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    /// Asserts that the scan's warnings are as many as `expected`, in its order, each holding its text.
    fn assert_warned(scan: &super::super::Scan, expected: &[&str]) {
        let warnings: Vec<String> = scan.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), expected.len(), "{warnings:?}");
        for (warning, expected) in warnings.iter().zip(expected) {
            assert!(warning.contains(expected), "{expected}: {warnings:?}");
        }
    }

    #[test]
    fn files_in_many_dirs_are_all_found_with_their_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for i in 0..133 {
            let sub = dir.path().join(format!("d{i:03}/inner"));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join("a.md"), "x").unwrap();
            std::fs::write(dir.path().join(format!("d{i:03}/b.c.md")), "xy").unwrap();
            expected.push(format!("d{i:03}/b.c"));
            expected.push(format!("d{i:03}/inner/a"));
        }
        std::fs::write(dir.path().join("top.md"), "xyz").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not an article").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/x.md"), "hidden").unwrap();
        expected.push("top".into());
        expected.sort();
        let scan = scan(dir.path()).unwrap();
        let ids: Vec<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, expected);
        assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
        let top = scan.files.iter().find(|f| f.id == "top").unwrap();
        assert_eq!((top.size, top.path.clone()), (3, dir.path().join("top.md")));
        assert!(top.mtime_ns > 0);
    }

    #[cfg(unix)]
    #[test]
    fn links_and_bad_names_are_warned_about_and_the_rest_found() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("link.md")).unwrap();
        let bad = dir.path().join(OsStr::from_bytes(b"bad\xff"));
        std::fs::create_dir(&bad).unwrap();
        std::fs::write(bad.join("c.md"), "x").unwrap();
        let scan = scan(dir.path()).unwrap();
        let ids: Vec<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a"]);
        assert_warned(
            &scan,
            &[
                "c.md: skipped: file name is not UTF-8",
                "link.md: skipped: a symbolic link",
            ],
        );
    }

    #[test]
    fn a_directory_larger_than_a_piece_is_stat_ed_whole_and_in_id_order() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::create_dir(&big).unwrap();
        let count = STAT_CHUNK * 2 + 17;
        for i in 0..count {
            std::fs::write(big.join(format!("{i}.md")), "x".repeat(i % 7)).unwrap();
        }
        std::fs::write(dir.path().join("big.md"), "y").unwrap();
        std::fs::write(dir.path().join("big.c.md"), "y").unwrap();
        let scan = scan(dir.path()).unwrap();
        assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
        let mut expected: Vec<String> = (0..count).map(|i| format!("big/{i}")).collect();
        expected.extend(["big".into(), "big.c".into()]);
        expected.sort();
        let ids: Vec<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, expected);
        for file in &scan.files {
            let meta = std::fs::metadata(&file.path).unwrap();
            assert_eq!(
                (file.size, file.mtime_ns),
                (meta.len(), crate::content::mtime_ns(&meta)),
                "{}",
                file.id
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn special_files_named_md_are_warned_about_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b-pipe.md", "a-pipe.md"] {
            let path =
                std::ffi::CString::new(dir.path().join(name).into_os_string().into_encoded_bytes())
                    .unwrap();
            assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        }
        std::os::unix::net::UnixListener::bind(dir.path().join("sock.md")).unwrap();
        std::fs::write(dir.path().join("real.md"), "x").unwrap();
        let scan = scan(dir.path()).unwrap();
        let ids: Vec<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["real"]);
        assert_warned(
            &scan,
            &[
                "/a-pipe.md: skipped: a FIFO, not a regular file",
                "/b-pipe.md: skipped: a FIFO, not a regular file",
                "/sock.md: skipped: a socket, not a regular file",
            ],
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_content_dir_that_is_a_link_is_read_but_links_inside_it_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        std::fs::write(real.join("a.md"), "x").unwrap();
        std::fs::write(real.join("sub/b.md"), "x").unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("c.md"), "x").unwrap();
        std::os::unix::fs::symlink(&elsewhere, real.join("linked")).unwrap();
        let link = dir.path().join("content");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let scan = scan(&link).unwrap();
        let ids: Vec<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "sub/b"]);
        assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
    }
}
