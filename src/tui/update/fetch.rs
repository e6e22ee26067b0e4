//! Fetching the configured feeds in the background.

use super::super::effect::{Effect, FetchReport};
use super::super::state::State;
use crate::article::clean::clean_line;

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
