//! `newsgloss index`: bring the index up to date, with a progress bar on a terminal and a summary.

use std::time::Instant;

use super::output::{self, content_failure, index_failure, warn};
use super::{Failure, Workspace};
use crate::content::shown;
use crate::index::{ArticleIndex, RefreshError, SyncReport};

pub fn run(workspace: &Workspace, rebuild: bool) -> Result<(), Failure> {
    let (index, _) = workspace.open_index_unsynced()?;
    let started = Instant::now();
    let report = sync(workspace, &index, rebuild)?;
    let seconds = started.elapsed().as_secs_f64();
    let mb = report.bytes as f64 / 1e6;
    println!(
        "{} indexed: {} added, {} updated, {} removed, {} unchanged, {} skipped; \
         {:.1} MB read in {:.2} s{}",
        output::counted(index.len() as usize, "article"),
        report.added,
        report.updated + report.touched,
        report.removed,
        report.unchanged,
        report.skipped,
        mb,
        seconds,
        if report.committed {
            ""
        } else {
            " (nothing to write)"
        },
    );
    Ok(())
}

/// Scans the content dir and syncs the index with it, printing warnings and progress.
pub fn sync(
    workspace: &Workspace,
    index: &ArticleIndex,
    rebuild: bool,
) -> Result<SyncReport, Failure> {
    let bar = output::progress_bar("indexing");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let (scan, report) = index
        .scan_and_sync(
            &workspace.content_dir,
            &workspace.sync_options(rebuild),
            &progress,
        )
        .map_err(|e| match e {
            RefreshError::Content(e) => content_failure(e),
            RefreshError::Index(e) => index_failure(e),
        })?;
    bar.finish_and_clear();
    if scan.files.is_empty() {
        warn(&format!(
            "no articles (*.md files) in {}",
            shown(&workspace.content_dir)
        ));
    }
    for warning in &report.warnings {
        warn(&warning.to_string());
    }
    Ok(report)
}
