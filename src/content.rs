//! The content directory: finding article files (`**/*.md`) and loading them, skipping bad ones with a
//! warning that names the file, so that one broken file never hides the rest.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::article::clean::is_forbidden;
use crate::article::{Article, ArticleFileError, UnknownKey};

mod walk;

/// One article file found on disk, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// The article id: the path under the content dir without `.md`, with `/`.
    pub id: String,
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 when the platform has none).
    pub mtime_ns: i64,
}

/// What a scan of the content dir found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Article files, sorted by id.
    pub files: Vec<ContentFile>,
    /// Files that were passed over, with why.
    pub warnings: Vec<Warning>,
}

/// A file passed over or read with a problem; displays as `path:line:col: problem` where there is a place.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A name newsgloss will not use as an id (not UTF-8, or holding control characters).
    BadName { path: PathBuf, why: &'static str },
    /// A directory entry that could not be read.
    Unreadable { path: PathBuf, error: String },
    /// A file that is not a valid article.
    BadArticle(ArticleFileError),
    /// A front-matter key newsgloss does not know.
    UnknownKey { path: PathBuf, key: UnknownKey },
    /// Unknown keys past the first few of one file, counted.
    MoreUnknownKeys { path: PathBuf, count: usize },
    /// An annotation store file that cannot be read (its message names the file).
    Annotations(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::BadName { path, why } => write!(f, "{}: skipped: {why}", shown(path)),
            Warning::Unreadable { path, error } => write!(f, "{}: skipped: {error}", shown(path)),
            Warning::BadArticle(e) => write!(f, "{}:{}; skipped", shown(&e.path), e.error),
            Warning::UnknownKey { path, key } => write!(f, "{}:{key}", shown(path)),
            Warning::MoreUnknownKeys { path, count } => write!(
                f,
                "{}: {count} more unknown front-matter keys (ignored)",
                shown(path)
            ),
            Warning::Annotations(message) => {
                write!(f, "{message}; its annotations are not searchable")
            }
        }
    }
}

/// A path as it may be shown: lossy UTF-8 with forbidden characters replaced.
pub fn shown(path: &Path) -> String {
    path.to_string_lossy()
        .chars()
        .map(|c| if is_forbidden(c) { '\u{fffd}' } else { c })
        .collect()
}

/// Why the content dir as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("content directory {} does not exist", shown(.0))]
    Missing(PathBuf),
    #[error("{} is not a directory", shown(.0))]
    NotADirectory(PathBuf),
    #[error("cannot read content directory {}: {error}", shown(path))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Finds every `*.md` file under `dir` (hidden files and directories are skipped; links are not followed).
pub fn scan(dir: &Path) -> Result<Scan, ContentError> {
    let meta = std::fs::metadata(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ContentError::Missing(dir.to_owned()),
        _ => ContentError::Io {
            path: dir.to_owned(),
            error: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(ContentError::NotADirectory(dir.to_owned()));
    }
    let (files, warnings) = walk::walk(dir, "md");
    Ok(Scan { files, warnings })
}

/// Every regular file named `*.{extension}` under `dir`, found as [`scan`] finds articles (hidden names
/// skipped, links not followed), each with its id (its path under `dir` without the extension), sorted
/// by id; and what was passed over (only a warning when `dir` cannot be read).
pub fn files_named(dir: &Path, extension: &str) -> (Vec<ContentFile>, Vec<Warning>) {
    walk::walk(dir, extension)
}

/// At most this many unknown front-matter keys are reported one by one per file.
pub const UNKNOWN_KEYS_SHOWN: usize = 5;

/// The warnings for a file's unknown front-matter keys: the first few, then how many more.
pub fn unknown_keys(path: &Path, keys: Vec<UnknownKey>) -> Vec<Warning> {
    let more = keys.len().saturating_sub(UNKNOWN_KEYS_SHOWN);
    let mut warnings: Vec<Warning> = keys
        .into_iter()
        .take(UNKNOWN_KEYS_SHOWN)
        .map(|key| Warning::UnknownKey {
            path: path.to_owned(),
            key,
        })
        .collect();
    if more > 0 {
        warnings.push(Warning::MoreUnknownKeys {
            path: path.to_owned(),
            count: more,
        });
    }
    warnings
}

/// The id of the article at `path` under `dir`.
pub fn article_id(dir: &Path, path: &Path) -> Result<String, &'static str> {
    let relative = path
        .strip_prefix(dir)
        .map_err(|_| "outside the content directory")?;
    let mut parts = Vec::new();
    for part in relative.iter() {
        let part = part.to_str().ok_or("file name is not UTF-8")?;
        if part.chars().any(is_forbidden_in_name) {
            return Err("file name holds control or format characters");
        }
        parts.push(part);
    }
    let joined = parts.join("/");
    Ok(joined.strip_suffix(".md").unwrap_or(&joined).to_owned())
}

/// A file's modification time in nanoseconds since the Unix epoch.
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Loads one file, turning its problems into warnings; `None` when it cannot be used.
pub fn load(file: &ContentFile, max_bytes: u64, warnings: &mut Vec<Warning>) -> Option<Article> {
    match Article::load(&file.id, &file.path, max_bytes) {
        Ok((article, unknown)) => {
            warnings.extend(unknown_keys(&file.path, unknown));
            Some(article)
        }
        Err(e) => {
            warnings.push(Warning::BadArticle(e));
            None
        }
    }
}

/// Whether `c` may not be in a file name used as an id: what the cleaner removes, and the line break it
/// keeps in text (an id is one line: `list` prints it, `show` takes it back).
fn is_forbidden_in_name(c: char) -> bool {
    c == '\n' || is_forbidden(c)
}

/// The path of the article with `id` under `dir`, if `id` is a well-formed id.
pub fn path_of(dir: &Path, id: &str) -> Option<PathBuf> {
    let well_formed = !id.is_empty()
        && !id.chars().any(is_forbidden_in_name)
        && id
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.starts_with('.'));
    well_formed.then(|| dir.join(format!("{id}.md")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_line_break_are_refused_like_other_controls() {
        let dir = Path::new("/c");
        let escape = article_id(dir, Path::new("/c/a\x1bb.md"));
        assert_eq!(article_id(dir, Path::new("/c/a\nb.md")), escape);
        assert!(escape.is_err());
        assert_eq!(path_of(dir, "a\nb"), None);
        assert_eq!(article_id(dir, Path::new("/c/a\u{e0041}.md")), escape);
    }

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn scan_finds_markdown_files_with_ids() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", "+++\ntitle = \"A\"\n+++\n");
        write(dir.path(), "tech/b.md", "+++\ntitle = \"B\"\n+++\n");
        write(dir.path(), "notes.txt", "not an article");
        write(dir.path(), ".hidden/c.md", "+++\ntitle = \"C\"\n+++\n");
        let scan = scan(dir.path()).unwrap();
        let ids: Vec<_> = scan.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "tech/b"]);
        assert!(scan.warnings.is_empty());
    }

    #[test]
    fn missing_dir_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = scan(&dir.path().join("nope")).unwrap_err();
        assert!(err.to_string().contains("does not exist"));
    }

    #[test]
    fn bad_files_become_warnings_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "bad.md",
            "+++\ntitle = \"A\"\nbroken = [\n+++\n",
        );
        write(
            dir.path(),
            "good.md",
            "+++\ntitle = \"G\"\nextra = 1\n+++\nText.",
        );
        let scan = scan(dir.path()).unwrap();
        let mut warnings = Vec::new();
        let loaded: Vec<_> = scan
            .files
            .iter()
            .filter_map(|f| load(f, 1 << 20, &mut warnings))
            .collect();
        assert_eq!(loaded.len(), 1);
        assert_eq!(warnings.len(), 2);
        let text: Vec<_> = warnings.iter().map(ToString::to_string).collect();
        assert!(text[0].contains("bad.md:3:"), "{text:?}");
        assert!(
            text[1].contains("good.md:3:1: unknown front-matter key `extra`"),
            "{text:?}"
        );
    }

    #[test]
    fn ids_map_back_to_paths() {
        let dir = Path::new("/c");
        assert_eq!(path_of(dir, "tech/b"), Some(PathBuf::from("/c/tech/b.md")));
        assert_eq!(path_of(dir, "../etc/passwd"), None);
        assert_eq!(path_of(dir, ""), None);
        assert_eq!(path_of(dir, "a\u{1b}b"), None);
    }
}
