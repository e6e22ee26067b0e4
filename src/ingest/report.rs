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
}

/// Progress: `done` of `total` sources, `current` being the one now worked on (inert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub current: String,
}

impl SourceReport {
    /// The articles of this source whose change is `which`.
    pub fn count(&self, which: fn(&Change) -> bool) -> usize {
        self.result.as_ref().map_or(0, |o| {
            o.articles.iter().filter(|a| which(&a.change)).count()
        })
    }
}
