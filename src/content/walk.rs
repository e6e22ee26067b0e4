//! The walk of a content dir: every directory read once with `read_dir`, and each article file stat'ed
//! relative to its directory's open handle (a `statx` of one name, not a lookup of the whole path), on a
//! few threads when there are many. This is the freshness check's floor: one `stat` per file, because an
//! edit in place changes only the file's own time.

use std::ffi::OsStr;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

use super::{ContentFile, Warning, is_forbidden_in_name, mtime_ns, not_a_file};

/// A `*.md` regular file that the walk found, not yet stat'ed.
struct Found {
    /// Its directory entry, which holds its directory open.
    entry: DirEntry,
    /// Its article id, or why its name cannot be one.
    id: Result<String, &'static str>,
}

/// Found files are stat'ed (and their directories closed) once they hold this many directories open.
const MAX_OPEN_DIRS: usize = 128;

/// What a walk found: each `*.md` regular file stat'ed, or why it cannot be an article; and the walk's
/// own warnings, each with how many files came before it.
pub(super) type Walked = (Vec<Result<ContentFile, Warning>>, Vec<(usize, Warning)>);

/// Every `*.md` regular file under `root` (hidden names skipped, links not followed).
pub(super) fn walk(root: &Path) -> Walked {
    let (mut done, mut pending, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let mut open_dirs = 0;
    // Directories still to read, each with the id prefix of what is in it ("" at the top).
    let mut dirs: Vec<(PathBuf, Result<String, &'static str>)> =
        vec![(root.to_owned(), Ok(String::new()))];
    while let Some((dir, prefix)) = dirs.pop() {
        let before = pending.len();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                warnings.push((done.len() + pending.len(), unreadable(&dir, &e)));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    warnings.push((done.len() + pending.len(), unreadable(&dir, &e)));
                    continue;
                }
            };
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    warnings.push((done.len() + pending.len(), unreadable(&entry.path(), &e)));
                    continue;
                }
            };
            if kind.is_dir() {
                dirs.push((entry.path(), joined(&prefix, &name, 0)));
            } else if !is_markdown(&name) {
                continue;
            } else if kind.is_file() {
                // The id is the path without its `.md`.
                let id = joined(&prefix, &name, ".md".len());
                pending.push(Found { entry, id });
            } else {
                let warning = Warning::Unreadable {
                    path: entry.path(),
                    error: not_a_file(&kind).into(),
                };
                warnings.push((done.len() + pending.len(), warning));
            }
        }
        open_dirs += usize::from(pending.len() > before);
        if open_dirs >= MAX_OPEN_DIRS {
            done.extend(stat_all(&pending));
            pending.clear();
            open_dirs = 0;
        }
    }
    done.extend(stat_all(&pending));
    (done, warnings)
}

/// The article file of each found file, or why it cannot be one, in the order found: a `stat` each, which
/// is most of a scan's time, on a few threads when there are many.
fn stat_all(found: &[Found]) -> Vec<Result<ContentFile, Warning>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = found.len().div_ceil(threads).max(STAT_CHUNK);
    let stat = |found: &[Found]| -> Vec<_> { found.iter().map(content_file).collect() };
    if found.len() <= chunk {
        return stat(found);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = found
            .chunks(chunk)
            .map(|part| scope.spawn(move || stat(part)))
            .collect();
        let mut all = Vec::with_capacity(found.len());
        for part in parts {
            all.extend(part.join().expect("a stat does not panic"));
        }
        all
    })
}

/// Up to this many files a scan stats on one thread.
const STAT_CHUNK: usize = 2048;

/// The article file of `found`, or why it cannot be one.
fn content_file(found: &Found) -> Result<ContentFile, Warning> {
    let path = found.entry.path();
    let id = match &found.id {
        Ok(id) => id.clone(),
        Err(why) => return Err(Warning::BadName { path, why }),
    };
    // Relative to the directory's handle, and without following a link (std's `DirEntry::metadata`).
    match found.entry.metadata() {
        Ok(meta) => Ok(ContentFile {
            id,
            path,
            size: meta.len(),
            mtime_ns: mtime_ns(&meta),
        }),
        Err(e) => Err(unreadable(&path, &e)),
    }
}

/// `name` without its last `cut` bytes (an extension) appended to the id prefix of its directory, or why
/// the name cannot be part of an id. One allocation of the id's length: this runs once per file.
fn joined(
    prefix: &Result<String, &'static str>,
    name: &OsStr,
    cut: usize,
) -> Result<String, &'static str> {
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

fn is_markdown(name: &OsStr) -> bool {
    Path::new(name).extension().is_some_and(|ext| ext == "md")
}

fn unreadable(path: &Path, error: &std::io::Error) -> Warning {
    Warning::Unreadable {
        path: path.to_owned(),
        error: format!("IO error for operation on {}: {error}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    #[test]
    fn files_in_more_dirs_than_are_held_open_are_all_found_with_their_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for i in 0..MAX_OPEN_DIRS + 5 {
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
        let mut warnings: Vec<String> = scan.warnings.iter().map(ToString::to_string).collect();
        warnings.sort();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("c.md: skipped: file name is not UTF-8"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("link.md: skipped: a symbolic link"),
            "{warnings:?}"
        );
    }
}
