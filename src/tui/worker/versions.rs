//! The versions overlay's work: the diff of an article against its newest previous version.

use super::feeds::library_of;
use super::*;

/// The diff from article `id`'s newest previous version to its current text, if it has one.
pub(super) fn versions(setup: &Setup, id: &str) -> Msg {
    let library = library_of(setup);
    let result = (|| {
        let Some(current) = crate::content::path_of(&setup.content_dir, id) else {
            return Err(format!("{id:?} is not an article id"));
        };
        let versions = library.versions(id).map_err(|e| e.to_string())?;
        let Some(previous) = versions.iter().rev().find(|v| !v.fetched) else {
            return Ok(None);
        };
        let lines = ingest::diff_files(&previous.path, &current, setup.max_file_bytes)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|line| match line {
                DiffLine::Same(t) => DiffLine::Same(clean_line(&t)),
                DiffLine::Removed(t) => DiffLine::Removed(clean_line(&t)),
                DiffLine::Added(t) => DiffLine::Added(clean_line(&t)),
            })
            .collect();
        Ok(Some(Versions::new(clean_line(&previous.name), lines)))
    })();
    Msg::VersionsLoaded {
        article: id.to_owned(),
        result,
    }
}
