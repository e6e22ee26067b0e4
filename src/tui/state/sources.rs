//! The sources view: every configured feed and every source the articles name, with how many articles
//! each has and how many of them are unread; the rows are counted from the library and the reading
//! state each time they are asked for, so that they always agree with them.

use std::collections::BTreeMap;

use super::{Library, State};
use crate::reading::{FeedArticles, ReadingState};

/// What a row of the sources view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// A `[[feeds]]` of the config.
    Feed,
    /// A front matter `source`.
    Source,
}

/// One row: a feed or a source, its name (inert) and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub kind: SourceKind,
    pub name: String,
    pub total: usize,
    pub unread: usize,
}

impl SourceRow {
    /// The library filter that shows this row's articles (`feed:"NAME"` or `source:"NAME"`).
    pub fn filter(&self) -> String {
        let field = match self.kind {
            SourceKind::Feed => "feed",
            SourceKind::Source => "source",
        };
        format!("{field}:\"{}\"", self.name)
    }
}

/// The sources view's own state; the counts come from the library and the reading state.
#[derive(Debug, Default)]
pub struct Sources {
    /// The configured feeds' names (inert), in config order, and which articles came from each.
    pub feeds: Vec<String>,
    pub members: FeedArticles,
    pub selected: usize,
    pub offset: usize,
    /// Whether the feeds and the reading state have arrived from the worker yet.
    pub loaded: bool,
}

impl State {
    /// Every feed (first), then every source, each sorted by name without case; sources that are also a
    /// feed's name are listed once, as the feed. Articles without a source are in no source row.
    pub fn source_rows(&self) -> Vec<SourceRow> {
        source_rows(&self.library, &self.sources, &self.reading.state)
    }

    /// The counts of the whole library: (articles, unread).
    pub fn library_counts(&self) -> (usize, usize) {
        let ids = self.library.entries.iter().map(|e| e.id.as_str());
        (
            self.library.entries.len(),
            self.reading.state.unread_count(ids),
        )
    }
}

fn source_rows(library: &Library, sources: &Sources, reading: &ReadingState) -> Vec<SourceRow> {
    let mut rows: Vec<SourceRow> = sources
        .feeds
        .iter()
        .map(|name| {
            let ids: Vec<&str> = library
                .entries
                .iter()
                .filter(|e| sources.members.holds(name, &e.id, Some(e.source.as_str())))
                .map(|e| e.id.as_str())
                .collect();
            SourceRow {
                kind: SourceKind::Feed,
                name: name.clone(),
                total: ids.len(),
                unread: reading.unread_count(ids),
            }
        })
        .collect();
    let feed_names: Vec<String> = sources.feeds.iter().map(|f| f.to_lowercase()).collect();
    // Keyed without case (as the filter compares), named as the first article spells it.
    let mut by_source: BTreeMap<String, SourceRow> = BTreeMap::new();
    for entry in &library.entries {
        let key = entry.source.to_lowercase();
        if entry.source.is_empty() || feed_names.contains(&key) {
            continue;
        }
        let row = by_source.entry(key).or_insert_with(|| SourceRow {
            kind: SourceKind::Source,
            name: entry.source.clone(),
            total: 0,
            unread: 0,
        });
        row.total += 1;
        row.unread += usize::from(!reading.is_read(&entry.id));
    }
    rows.sort_by_cached_key(|r| (r.name.to_lowercase(), r.name.clone()));
    rows.extend(by_source.into_values());
    rows
}
