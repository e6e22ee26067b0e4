//! Articles: a Markdown file with TOML front matter, and the one canonical plain text it reads as.
//!
//! The plain text is what every other part of newsgloss counts in: annotation offsets, search snippets and
//! the reader's lines all refer to [`Article::text`], so it is deterministic and free of anything that could
//! drive a terminal (see [`clean`]).

pub mod clean;
mod front_matter;
pub mod link;
mod location;
pub mod plain;
mod published;
pub mod retag;

use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

pub use front_matter::{FrontMatter, UnknownKey};
pub use location::{Location, Locator};
pub use published::Published;

/// The default cap on the size of one article file.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One article, parsed and rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The path under the content dir without `.md`, with `/` between components.
    pub id: String,
    /// Its front matter, every string already made inert.
    pub meta: FrontMatter,
    /// The canonical plain text of the body.
    pub text: String,
}

impl Article {
    /// Parses a whole article file (`+++` front matter, then a CommonMark body).
    pub fn parse(id: &str, source: &str) -> Result<(Article, Vec<UnknownKey>), ArticleError> {
        if let Some(at) = conflict_marker(source) {
            return Err(ArticleError::MergeConflict(at));
        }
        let (meta, unknown, body) = front_matter::split_and_parse(source)?;
        let text = plain::markdown_to_plain(body);
        Ok((
            Article {
                id: id.to_owned(),
                meta,
                text,
            },
            unknown,
        ))
    }

    /// Reads and parses the file at `path`, refusing files over `max_bytes` and files that are not UTF-8.
    pub fn load(
        id: &str,
        path: &Path,
        max_bytes: u64,
    ) -> Result<(Article, Vec<UnknownKey>), ArticleFileError> {
        let bytes = read_capped(path, max_bytes).map_err(|error| ArticleFileError {
            path: path.to_owned(),
            error,
        })?;
        Article::from_bytes(id, path, &bytes)
    }

    /// Parses the bytes of the file at `path` (which is named in errors only).
    pub fn from_bytes(
        id: &str,
        path: &Path,
        bytes: &[u8],
    ) -> Result<(Article, Vec<UnknownKey>), ArticleFileError> {
        let fail = |error| ArticleFileError {
            path: path.to_owned(),
            error,
        };
        let source = std::str::from_utf8(bytes).map_err(|e| {
            fail(ArticleError::NotUtf8(Location::of_byte(
                bytes,
                e.valid_up_to(),
            )))
        })?;
        Article::parse(id, source).map_err(fail)
    }

    /// The number of words in the plain text (Unicode word boundaries; each CJK ideograph counts as one).
    pub fn word_count(&self) -> usize {
        word_count(&self.text)
    }
}

/// Reads only the front matter of the article file at `path` (for finding articles by their metadata
/// without rendering their bodies).
pub fn load_front_matter(path: &Path, max_bytes: u64) -> Result<FrontMatter, ArticleFileError> {
    let fail = |error| ArticleFileError {
        path: path.to_owned(),
        error,
    };
    let source = read_text(path, max_bytes)?;
    front_matter::split_and_parse(&source)
        .map(|(meta, _, _)| meta)
        .map_err(fail)
}

/// Counts words by Unicode word boundaries.
pub fn word_count(text: &str) -> usize {
    text.unicode_words().count()
}

/// Reads the article file at `path` as UTF-8 text, refusing one over `max_bytes`; a byte that is not
/// UTF-8 is an error naming where it is.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, ArticleFileError> {
    let fail = |error| ArticleFileError {
        path: path.to_owned(),
        error,
    };
    let bytes = read_capped(path, max_bytes).map_err(fail)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        fail(ArticleError::NotUtf8(Location::of_byte(e.as_bytes(), at)))
    })
}

/// Reads a whole file, refusing one over `max_bytes`.
pub fn read_capped(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ArticleError> {
    use std::io::Read;
    // Opening a FIFO blocks until a writer comes, and a device may never end: read regular files only.
    let kind = std::fs::metadata(path).map_err(|e| ArticleError::Io(e.to_string()))?;
    if !kind.is_file() {
        return Err(ArticleError::Io("not a regular file".into()));
    }
    let file = std::fs::File::open(path).map_err(|e| ArticleError::Io(e.to_string()))?;
    let len = file
        .metadata()
        .map_err(|e| ArticleError::Io(e.to_string()))?
        .len();
    if len > max_bytes {
        return Err(ArticleError::TooLarge { len, max_bytes });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the cap so that a file that grew since the stat is still refused.
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ArticleError::Io(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(ArticleError::TooLarge {
            len: bytes.len() as u64,
            max_bytes,
        });
    }
    Ok(bytes)
}

/// Why an article's text could not be read as an article.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArticleError {
    #[error("{0}: no front matter (the file must start with a line `+++`)")]
    NoFrontMatter(Location),
    #[error("{0}: front matter is not closed (no second `+++` line)")]
    UnterminatedFrontMatter(Location),
    #[error("{0}: front matter: {1}")]
    BadToml(Location, String),
    #[error("{0}: front matter has no `title`")]
    NoTitle(Location),
    #[error("{0}: not UTF-8")]
    NotUtf8(Location),
    #[error("1:1: {len} bytes is over the size cap of {max_bytes} bytes")]
    TooLarge { len: u64, max_bytes: u64 },
    #[error("1:1: {0}")]
    Io(String),
    /// The file still holds git's conflict markers: it is never read with them in it.
    #[error("{0}: unresolved merge conflict (resolve it and remove the markers)")]
    MergeConflict(Location),
}

/// Where the first line of an unresolved merge conflict is: a `<<<<<<<` line with a `=======` (or `|||||||`)
/// line and a `>>>>>>>` line after it, as git writes them.
pub fn conflict_marker(source: &str) -> Option<Location> {
    let is = |line: &str, mark: &str| {
        line.strip_prefix(mark)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let mut opened = None;
    let mut middle = false;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if is(bare, "<<<<<<<") {
            opened = Some(offset);
            middle = false;
        } else if opened.is_some() && (is(bare, "=======") || is(bare, "|||||||")) {
            middle = true;
        } else if let (Some(start), true) = (opened, middle && is(bare, ">>>>>>>")) {
            return Some(Location::of_offset(source, start));
        }
        offset += line.len();
    }
    None
}

/// An [`ArticleError`] with the file it came from; displays as `path:line:col: problem`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{error}", path.display())]
pub struct ArticleFileError {
    pub path: PathBuf,
    pub error: ArticleError,
}
