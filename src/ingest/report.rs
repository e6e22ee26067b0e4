//! What adding or fetching did, per source and per article, for the caller to show; and the progress it
//! reports while it works.

use super::versions::Change;

/// What happened to one source (a feed, a page, a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// The source as shown to the user: the feed's name, the URL or the path (inert).
    pub source: String,
    /// What it gave, or the one line that says why it gave nothing.
    pub result: Result<SourceOutcome, String>,
}

/// What a source that could be read gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceOutcome {
    /// The server said nothing changed since the last fetch (304).
    pub not_modified: bool,
    pub articles: Vec<ArticleReport>,
    /// Entries that could not be stored, one line each (the rest were).
    pub failures: Vec<String>,
}

/// One article written, updated or left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleReport {
    /// The article id (its file name under the content dir, without `.md`).
    pub id: String,
    pub title: String,
    pub change: Change,
    /// Set when the article is only the text its feed gave (its page is still to be fetched): why.
    pub summary: Option<String>,
}

/// Progress: `done` of `total` sources, `current` being the one now worked on (inert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub current: String,
}

/// Counts over all the reports of a run, for a one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Articles edited by hand, kept, with the fetched version set beside them.
    pub kept: usize,
    /// Sources the server said were not modified (their articles are not counted as unchanged).
    pub not_modified: usize,
    /// Sources that gave nothing, plus entries that could not be stored.
    pub failed: usize,
}

impl Totals {
    pub fn of(reports: &[SourceReport]) -> Totals {
        let count = |which: fn(&Change) -> bool| reports.iter().map(|r| r.count(which)).sum();
        let outcomes = || reports.iter().filter_map(|r| r.result.as_ref().ok());
        Totals {
            new: count(|c| matches!(c, Change::New)),
            updated: count(|c| matches!(c, Change::Updated(_))),
            unchanged: count(|c| matches!(c, Change::Unchanged)),
            kept: count(|c| matches!(c, Change::KeptEdit { .. })),
            not_modified: outcomes().filter(|o| o.not_modified).count(),
            failed: reports.iter().filter(|r| r.result.is_err()).count()
                + outcomes().map(|o| o.failures.len()).sum::<usize>(),
        }
    }
}

/// How many of the articles of a run are kept as summaries, their pages still to be fetched.
pub fn summaries_kept(reports: &[SourceReport]) -> usize {
    reports
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .flat_map(|o| &o.articles)
        .filter(|a| a.summary.is_some())
        .count()
}

impl SourceReport {
    /// The articles of this source whose change is `which`.
    pub fn count(&self, which: fn(&Change) -> bool) -> usize {
        self.result.as_ref().map_or(0, |o| {
            o.articles.iter().filter(|a| which(&a.change)).count()
        })
    }
}
