//! `newsgloss fetch`: update every `[[feeds]]` of the config and try again the pages of articles kept as
//! summaries, with a progress bar on a terminal and a summary (new, updated, unchanged, kept as summaries,
//! failed with why, and what happened to the annotations of changed stories). Also the report printing
//! that `newsgloss add` shares.

use super::output::{self, warn};
use super::{Failure, Workspace};
use crate::content::shown;
use crate::ingest::{self, ArticleDirs, Change, Progress, SourceReport, Totals};

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Try the page of every article kept as a summary now, not only those whose wait is over.
    #[arg(long)]
    pub retry_summaries: bool,
}

pub fn run(workspace: &Workspace, args: FetchArgs) -> Result<(), Failure> {
    let feeds = &workspace.config.feeds;
    // The state is read here only when there are no feeds (it is the run's to read otherwise).
    let waiting = || {
        ingest::state::IngestState::load(&workspace.content_dir).map_or(0, |s| s.summaries.len())
    };
    if feeds.is_empty() && waiting() == 0 {
        return Err(Failure::BadInput(
            "no feeds to fetch: add [[feeds]] (name, url) to the config file".into(),
        ));
    }
    let now = time::OffsetDateTime::now_utc();
    let options = ingest::FetchOptions {
        retry_summaries: args.retry_summaries,
    };
    let reports = with_progress("fetching", |progress| {
        ingest::fetch_feeds_with(
            &library(workspace),
            &workspace.config.ingest,
            feeds,
            now,
            options,
            progress,
        )
    })
    .map_err(|e| Failure::Failed(e.to_string()))?;
    finish(
        workspace,
        &reports,
        &counted("fetched", feeds.len(), "feed"),
    )
}

/// Runs `work` with a progress bar on stderr when it is a terminal (hidden otherwise): sources done of all,
/// and the one now being read.
pub(super) fn with_progress<T>(what: &str, work: impl FnOnce(&mut dyn FnMut(&Progress)) -> T) -> T {
    let bar = match output::stderr_is_terminal() {
        false => indicatif::ProgressBar::hidden(),
        true => {
            let style =
                indicatif::ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} {wide_msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            indicatif::ProgressBar::new(0)
                .with_style(style)
                .with_prefix(what.to_owned())
        }
    };
    let result = work(&mut |p: &Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        bar.set_message(p.current.clone());
    });
    bar.finish_and_clear();
    result
}

/// Where the workspace keeps articles and annotations.
pub(super) fn library(workspace: &Workspace) -> ArticleDirs {
    ArticleDirs {
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
    reports.iter().for_each(print_report);
    let (line, changed) = summary(reports);
    let failed = Totals::of(reports).failed;
    println!("{what}: {line}");
    if changed {
        workspace.index_change();
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
fn summary(reports: &[SourceReport]) -> (String, bool) {
    let s = Totals::of(reports);
    let mut line = format!(
        "{} new, {} updated, {} unchanged",
        s.new, s.updated, s.unchanged
    );
    if s.not_modified > 0 {
        line.push_str(&format!(" ({} not modified)", s.not_modified));
    }
    if s.kept > 0 {
        line.push_str(&format!(", {} kept as edited by hand", s.kept));
    }
    let summaries = ingest::summaries_kept(reports);
    if summaries > 0 {
        line.push_str(&format!(
            ", {} kept as {} (pages to fetch later)",
            summaries,
            if summaries == 1 {
                "a summary"
            } else {
                "summaries"
            }
        ));
    }
    line.push_str(&format!(", {} failed", s.failed));
    (line, s.new + s.updated > 0)
}

/// Prints what one source did.
fn print_report(report: &SourceReport) {
    let outcome = match &report.result {
        Ok(outcome) => outcome,
        Err(why) => {
            eprintln!("failed: {}: {}", report.source, why);
            return;
        }
    };
    for article in &outcome.articles {
        print_article(&article.id, &article.title, &article.change);
        if let (Some(why), Change::New | Change::Updated(_)) = (&article.summary, &article.change) {
            println!("  summary only, the page is tried again later: {why}");
        }
    }
    for why in &outcome.failures {
        eprintln!("failed: {}: {}", report.source, why);
    }
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
                crate::text::plural(r.moved, "annotation"),
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
    format!("{verb} {}", crate::text::plural(n, word))
}
