//! What changed between two versions of an article: a line diff of their plain texts (each paragraph is
//! one line of the plain text), for the reader to show.

use std::path::Path;

use similar::{ChangeTag, TextDiff};

use super::IngestError;
use crate::article::Article;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// The line diff from `old` to `new` (plain texts).
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| {
            let line = change.value().trim_end_matches('\n').to_owned();
            match change.tag() {
                ChangeTag::Equal => DiffLine::Same(line),
                ChangeTag::Delete => DiffLine::Removed(line),
                ChangeTag::Insert => DiffLine::Added(line),
            }
        })
        .collect()
}

/// The plain text of an article file (a kept version or the current one), at most `max_bytes` long.
pub fn plain_text_of(path: &Path, max_bytes: u64) -> Result<String, IngestError> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("version");
    Article::load(id, path, max_bytes)
        .map(|(article, _)| article.text)
        .map_err(|e| IngestError::Io {
            path: path.to_owned(),
            message: e.error.to_string(),
        })
}

/// The line diff between two article files.
pub fn diff_files(old: &Path, new: &Path, max_bytes: u64) -> Result<Vec<DiffLine>, IngestError> {
    Ok(diff(
        &plain_text_of(old, max_bytes)?,
        &plain_text_of(new, max_bytes)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_added_removed_and_kept() {
        let lines = diff("One.\n\nTwo.", "One.\n\nThree.");
        assert_eq!(
            lines,
            [
                DiffLine::Same("One.".into()),
                DiffLine::Same(String::new()),
                DiffLine::Removed("Two.".into()),
                DiffLine::Added("Three.".into()),
            ]
        );
    }
}
