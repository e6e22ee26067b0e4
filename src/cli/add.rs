//! `newsgloss add SOURCE...`: local Markdown or text files (front matter made for them), local or
//! http(s) HTML pages, and feeds (one article per entry). A source that fails gets one line and the others
//! are still added; a source that is no kind newsgloss knows (an `ftp://` URL) is bad input, and so is a
//! path with nothing there (reported with the other failures, the other sources still added, exit 2).

use std::path::PathBuf;

use super::fetch::{finish, library, with_progress};
use super::{Failure, Workspace};
use crate::ingest::{self, Source};

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Files (Markdown, text, HTML, RSS/Atom) or http(s) URLs of pages and feeds.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
}

pub fn run(workspace: &Workspace, args: AddArgs) -> Result<(), Failure> {
    let sources = args
        .sources
        .iter()
        .map(|s| Source::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::BadInput)?;
    let content_dir: &PathBuf = &workspace.content_dir;
    std::fs::create_dir_all(content_dir).map_err(|e| {
        Failure::Failed(format!(
            "cannot create {}: {e}",
            crate::content::shown(content_dir)
        ))
    })?;
    let now = time::OffsetDateTime::now_utc();
    let reports = with_progress("adding", |progress| {
        ingest::add_sources(
            &library(workspace),
            &workspace.config.ingest,
            &sources,
            now,
            progress,
        )
    })
    .map_err(|e| Failure::Failed(e.to_string()))?;
    let finished = finish(
        workspace,
        &reports,
        &super::fetch::counted("added", sources.len(), "source"),
    );
    // The others were added; a path with nothing there is no source at all, and that is bad input.
    match sources.iter().find_map(nothing_there) {
        Some(path) => Err(Failure::BadInput(format!(
            "{} is not a file or an http(s) URL",
            crate::article::clean::quoted(&path.to_string_lossy())
        ))),
        None => finished,
    }
}

/// The path of a file source with nothing at it.
fn nothing_there(source: &Source) -> Option<&std::path::Path> {
    match source {
        Source::File(path) if std::fs::symlink_metadata(path).is_err() => Some(path),
        _ => None,
    }
}
