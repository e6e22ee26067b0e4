//! `newsgloss fetch`: update every `[[feeds]]` of the config, with a progress bar on a terminal and a
//! summary (new, updated, unchanged, failed with why, and what happened to the annotations of changed
//! stories). Also the report printing that `newsgloss add` shares.

use super::output::{self, warn};
use super::{Failure, Workspace};
use crate::content::shown;
use crate::ingest::{self, Change, Library, Progress, SourceReport};

pub fn run(workspace: &Workspace) -> Result<(), Failure> {
    let feeds = &workspace.config.feeds;
    if feeds.is_empty() {
        return Err(Failure::BadInput(
            "no feeds to fetch: add [[feeds]] (name, url) to the config file".into(),
        ));
    }
    let bar = output::progress_bar("fetching");
    let mut progress = |p: &Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        bar.set_message(p.current.clone());
    };
    let now = time::OffsetDateTime::now_utc();
    let reports = ingest::fetch_feeds(
        &library(workspace),
        &workspace.config.ingest,
        feeds,
        now,
        &mut progress,
    )
    .map_err(|e| Failure::Failed(e.to_string()))?;
    bar.finish_and_clear();
    finish(
        workspace,
        &reports,
        &counted("fetched", feeds.len(), "feed"),
    )
}

/// Where the workspace keeps articles and annotations.
pub(super) fn library(workspace: &Workspace) -> Library {
    Library {
        content_dir: workspace.content_dir.clone(),
        annotations_dir: workspace.annotations_dir.clone(),
    }
}

/// Prints the reports and the summary, brings the index up to date, and fails (exit 1) when a source or
/// an entry failed.
pub(super) fn finish(
    workspace: &Workspace,
    reports: &[SourceReport],
    what: &str,
) -> Result<(), Failure> {
    let mut failed = 0;
    for report in reports {
        failed += print_report(report);
    }
    let (line, changed) = summary(reports, failed);
    println!("{what}: {line}");
    if changed {
        sync_index(workspace);
    }
    match failed {
        0 => Ok(()),
        1 => Err(Failure::Failed(
            "1 source or entry failed (see above)".into(),
        )),
        n => Err(Failure::Failed(format!(
            "{n} sources or entries failed (see above)"
        ))),
    }
}

/// The summary line (new, updated, unchanged, kept, failed), and whether any article was written.
fn summary(reports: &[SourceReport], failed: usize) -> (String, bool) {
    let count = |which: fn(&Change) -> bool| reports.iter().map(|r| r.count(which)).sum::<usize>();
    let new = count(|c| matches!(c, Change::New));
    let updated = count(|c| matches!(c, Change::Updated(_)));
    let kept = count(|c| matches!(c, Change::KeptEdit { .. }));
    let unchanged = count(|c| matches!(c, Change::Unchanged));
    let not_modified = reports
        .iter()
        .filter(|r| r.result.as_ref().is_ok_and(|o| o.not_modified))
        .count();
    let mut line = format!("{new} new, {updated} updated, {unchanged} unchanged");
    if not_modified > 0 {
        line.push_str(&format!(" ({not_modified} not modified)"));
    }
    if kept > 0 {
        line.push_str(&format!(", {kept} kept as edited by hand"));
    }
    line.push_str(&format!(", {failed} failed"));
    (line, new + updated > 0)
}

/// Prints what one source did; returns how many failures it had.
fn print_report(report: &SourceReport) -> usize {
    let outcome = match &report.result {
        Ok(outcome) => outcome,
        Err(why) => {
            eprintln!("failed: {}: {}", report.source, why);
            return 1;
        }
    };
    for article in &outcome.articles {
        print_article(&article.id, &article.title, &article.change);
    }
    for why in &outcome.failures {
        eprintln!("failed: {}: {}", report.source, why);
    }
    outcome.failures.len()
}

fn print_article(id: &str, title: &str, change: &Change) {
    match change {
        Change::New => println!("new      {id}  {title}"),
        Change::Unchanged => {}
        Change::KeptEdit { incoming } => println!(
            "kept     {id}: edited by hand, so not overwritten; the fetched version is in {}",
            shown(incoming)
        ),
        Change::Updated(r) => {
            println!(
                "updated  {id}: {} moved, {} orphaned; previous version kept in {}",
                plural(r.moved, "annotation"),
                r.orphans.len(),
                shown(&r.previous)
            );
            for orphan in &r.orphans {
                println!(
                    "  orphan {}: \"{}\"",
                    orphan.id,
                    output::emphasise(&orphan.quote, &[], false)
                );
            }
            if let Some(why) = &r.error {
                warn(&format!("{id}: annotations not re-anchored: {why}"));
            }
        }
    }
}

/// `"fetched 1 feed"`, `"added 3 sources"`.
pub(super) fn counted(verb: &str, n: usize, word: &str) -> String {
    format!("{verb} {}", plural(n, word))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Brings the index up to date; a failure only warns (the next command catches up).
fn sync_index(workspace: &Workspace) {
    let result = workspace
        .open_index_unsynced()
        .and_then(|(index, _)| super::index_cmd::sync(workspace, &index, false));
    if let Err(failure) = result {
        warn(&format!(
            "the index was not updated ({}); `newsgloss index` will catch up",
            failure.message()
        ));
    }
}
