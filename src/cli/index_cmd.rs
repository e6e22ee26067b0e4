//! `newsgloss index`: bring the index up to date, with a progress bar on a terminal and a summary.

use std::time::Instant;

use super::output::{self, content_failure, index_failure, warn};
use super::{Failure, Workspace};
use crate::content::{self, shown};
use crate::index::{ArticleIndex, SyncReport};

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
    let scan = content::scan(&workspace.content_dir).map_err(content_failure)?;
    if scan.files.is_empty() {
        warn(&format!(
            "no articles (*.md files) in {}",
            shown(&workspace.content_dir)
        ));
    }
    let bar = output::progress_bar("indexing");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let report = index
        .sync(&scan, &workspace.sync_options(rebuild), &progress)
        .map_err(index_failure)?;
    bar.finish_and_clear();
    for warning in &report.warnings {
        warn(&warning.to_string());
    }
    Ok(report)
}
