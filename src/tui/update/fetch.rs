//! Fetching the configured feeds in the background, and the versions overlay (what changed since the
//! previous version of the article being read).

use super::super::command::Command;
use super::super::effect::{Effect, FetchReport};
use super::super::layout;
use super::super::state::{Changes, State};
use crate::article::clean::clean_line;
use crate::ingest::DiffLine;

/// The fetch key: ask the worker to fetch every feed, unless there are none or a fetch is running.
pub fn start(state: &mut State) -> Vec<Effect> {
    if state.feeds == 0 {
        state.status.message =
            Some("no feeds to fetch: add [[feeds]] with a name and a url to config.toml".into());
        return Vec::new();
    }
    if state.status.fetching.is_some() {
        state.status.message = Some("already fetching the feeds".into());
        return Vec::new();
    }
    state.status.fetching = Some((0, state.feeds, String::new()));
    vec![Effect::FetchFeeds]
}

/// Progress from the worker.
pub fn progress(state: &mut State, done: usize, total: usize, current: &str) {
    state.status.fetching = Some((done, total, clean_line(current)));
}

/// The fetch finished: its summary in the status bar (as an error when a feed failed); the article being
/// read is reopened when its text changed, so that it and its annotations are the new ones.
pub fn finished(
    state: &mut State,
    feeds: usize,
    result: Result<FetchReport, String>,
) -> Vec<Effect> {
    state.status.fetching = None;
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            state.status.error = Some(format!("fetching failed: {}", clean_line(&e)));
            return Vec::new();
        }
    };
    let line = summary_line(feeds, &report);
    match report.failures.first() {
        Some(first) => state.status.error = Some(format!("{line} ({})", clean_line(first))),
        None => state.status.message = Some(line),
    }
    match &state.reader {
        Some(reader) if report.updated.contains(&reader.article.id) => vec![Effect::Open {
            id: reader.article.id.clone(),
            query: None,
        }],
        _ => Vec::new(),
    }
}

/// `fetched 2 feeds: 3 new, 1 updated, 7 unchanged, 1 not modified; 2 annotations moved, 1 orphaned (a
/// lists them)`: the counts that are not zero, or `nothing new`.
pub fn summary_line(feeds: usize, report: &FetchReport) -> String {
    let s = &report.summary;
    let counts: Vec<String> = [
        (s.new, "new"),
        (s.updated, "updated"),
        (s.unchanged, "unchanged"),
        (s.kept, "kept (edited by hand)"),
        (s.not_modified, "not modified"),
        (s.failed, "failed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let mut line = format!("fetched {}: ", crate::text::plural(feeds, "feed"));
    match counts.is_empty() {
        true => line.push_str("nothing new"),
        false => line.push_str(&counts.join(", ")),
    }
    if report.moved + report.orphaned > 0 {
        line.push_str(&format!(
            "; {} moved, {} orphaned (a lists them)",
            crate::text::plural(report.moved, "annotation"),
            report.orphaned
        ));
    }
    line
}

/// The versions key: ask the worker for the diff of the article being read.
pub fn versions(state: &mut State) -> Vec<Effect> {
    match &state.reader {
        Some(reader) => vec![Effect::Versions {
            id: reader.article.id.clone(),
        }],
        None => Vec::new(),
    }
}

/// The worker's answer: the overlay, or why there is none.
pub fn changed(state: &mut State, article: &str, result: Result<Option<Changes>, String>) {
    if state
        .reader
        .as_ref()
        .is_none_or(|r| r.article.id != article)
    {
        return; // the reader moved on meanwhile.
    }
    match result {
        Ok(Some(changes)) => {
            let lines = changes.lines.iter().map(inert).collect();
            state.panel = None;
            state.changes = Some(Changes::new(clean_line(&changes.previous), lines));
        }
        Ok(None) => state.status.message = Some("no earlier versions of this article".into()),
        Err(e) => {
            state.status.error = Some(format!("cannot show the versions: {}", clean_line(&e)));
        }
    }
}

/// A key while the overlay is open: scroll it, or close it.
pub fn overlay(state: &mut State, action: Command) {
    let (width, page) = {
        let inner = layout::inner(layout::changes(state));
        (inner.width, usize::from(inner.height).max(1))
    };
    let Some(changes) = state.changes.as_mut() else {
        return;
    };
    let last = changes.rows(width).len().saturating_sub(page);
    changes.scroll = match action {
        Command::Down => changes.scroll + 1,
        Command::Up => changes.scroll.saturating_sub(1),
        Command::PageDown => changes.scroll + page.saturating_sub(1).max(1),
        Command::PageUp => changes.scroll.saturating_sub(page.saturating_sub(1).max(1)),
        Command::Top => 0,
        Command::Bottom => last,
        Command::Back | Command::Cancel | Command::Versions => {
            state.changes = None;
            return;
        }
        _ => changes.scroll,
    }
    .min(last);
}

/// A diff line with its text made inert.
fn inert(line: &DiffLine) -> DiffLine {
    match line {
        DiffLine::Same(t) => DiffLine::Same(clean_line(t)),
        DiffLine::Removed(t) => DiffLine::Removed(clean_line(t)),
        DiffLine::Added(t) => DiffLine::Added(clean_line(t)),
    }
}
