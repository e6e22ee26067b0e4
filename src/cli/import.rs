//! `newsgloss import`: merge a TOML export into the store (by id, newest wins, exact duplicates
//! skipped), re-anchored against the current text, and report what it did.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::annotate::{open_store, store_failure};
use super::output::warn;
use super::{Failure, Workspace};
use crate::annotation::{import, parse_export};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::content::shown;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `newsgloss export` (TOML).
    pub file: PathBuf,
    /// Report what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(workspace: &Workspace, args: ImportArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Failure::BadInput(format!("cannot read {}: {e}", shown(&args.file))))?;
    let exported =
        parse_export(&bytes, &args.file).map_err(|e| Failure::BadInput(e.to_string()))?;
    for duplicate in &exported.duplicates {
        warn(&format!(
            "{}:{}: annotation {} appears again (first at {}); the newest of them is kept",
            shown(&args.file),
            duplicate.at,
            duplicate.id,
            duplicate.first
        ));
    }
    let store = open_store(workspace)?;
    let max = workspace.config.content.max_file_bytes;
    let text_of = |id: &str| {
        let path = crate::content::path_of(&workspace.content_dir, id)?;
        Article::load(id, &path, max).ok().map(|(a, _)| a.text)
    };
    let report = import(&store, exported, text_of, args.dry_run);
    if !args.dry_run && report.added + report.updated > 0 {
        workspace.index_change();
    }
    for id in &report.missing_articles {
        warn(&format!(
            "article {} is not in the content dir; its annotations are kept as exported",
            clean_line(id)
        ));
    }
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    let _ = writeln!(std::io::stdout().lock(), "{verb}: {}", report.summary());
    match report.errors.into_iter().next() {
        Some(error) => Err(store_failure(error)),
        None => Ok(()),
    }
}
