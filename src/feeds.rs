//! Feeds in and out: OPML subscription lists read into the `[[feeds]]` of a config file (edited in
//! place, its comments and layout kept) and written from them, and what is known of each configured
//! feed (its last fetch, how it went, its articles and how many are unread).

mod opml;

use std::fmt;

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

pub use opml::{read as read_opml, tag_of, write as write_opml};

use crate::article::Location;
use crate::article::clean::quoted;
use crate::config::FeedDef;
use crate::index::Summary;
use crate::ingest::state::{FetchResult, IngestState};
use crate::reading::{FeedArticles, ReadingState};

/// A feed read from an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFeed {
    /// Its title (inert).
    pub name: String,
    pub url: String,
    /// The folders it is in and its categories, as tags.
    pub tags: Vec<String>,
}

/// An outline that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its title (inert; may be empty).
    pub title: String,
    /// Its URL (inert), when it has one.
    pub url: Option<String>,
    pub why: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}", quoted(&self.title))?;
        if let Some(url) = &self.url {
            write!(f, " ({url})")?;
        }
        write!(f, ": {}", self.why)
    }
}

/// An OPML file that cannot be read: where, and why (inert).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct OpmlError {
    pub location: Location,
    pub message: String,
}

/// What an import did to the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Feeds added as `[[feeds]]`.
    pub added: Vec<ImportedFeed>,
    /// Feeds already configured (by their normalised URL), left as they are.
    pub known: Vec<ImportedFeed>,
}

/// A URL as compared for "the same feed": parsed (scheme and host in lower case, default port and
/// dot segments gone), without its fragment or a trailing `/`.
pub fn normalise_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url.trim()) else {
        return url.trim().to_owned();
    };
    parsed.set_fragment(None);
    let mut text = parsed.to_string();
    if parsed.path() != "/" && parsed.query().is_none() && text.ends_with('/') {
        text.pop();
    }
    text
}

/// Adds to the config file's text every feed of `feeds` whose URL is not configured yet, as
/// `[[feeds]]` tables (name, url, tags) after the ones there; everything else in the text is kept as
/// it is. Returns the new text and what was added.
pub fn add_to_config(
    text: &str,
    feeds: Vec<ImportedFeed>,
) -> Result<(String, Imported), toml_edit::TomlError> {
    let mut doc: DocumentMut = text.parse()?;
    let mut known: Vec<String> = configured_urls(&doc);
    let mut imported = Imported::default();
    for feed in feeds {
        let key = normalise_url(&feed.url);
        if known.contains(&key) {
            imported.known.push(feed);
        } else {
            known.push(key);
            imported.added.push(feed);
        }
    }
    if !imported.added.is_empty() {
        append(&mut doc, &imported.added);
    }
    Ok((doc.to_string(), imported))
}

/// The normalised URLs of the feeds a config document has.
fn configured_urls(doc: &DocumentMut) -> Vec<String> {
    let url_of = |item: Option<&Item>| item.and_then(Item::as_str).map(normalise_url);
    match doc.get("feeds") {
        Some(Item::ArrayOfTables(tables)) => {
            tables.iter().filter_map(|t| url_of(t.get("url"))).collect()
        }
        Some(Item::Value(Value::Array(array))) => array
            .iter()
            .filter_map(|v| v.as_inline_table())
            .filter_map(|t| t.get("url").and_then(Value::as_str).map(normalise_url))
            .collect(),
        _ => Vec::new(),
    }
}

fn append(doc: &mut DocumentMut, feeds: &[ImportedFeed]) {
    let empty_file = doc.to_string().trim().is_empty();
    if doc.get("feeds").is_none() {
        doc.insert("feeds", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match doc.get_mut("feeds") {
        Some(Item::ArrayOfTables(tables)) => {
            let first_ever = tables.is_empty() && empty_file;
            for (i, feed) in feeds.iter().enumerate() {
                let mut table = feed_table(feed);
                if !(first_ever && i == 0) {
                    table.decor_mut().set_prefix("\n");
                }
                tables.push(table);
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            for feed in feeds {
                array.push(feed_table(feed).into_inline_table());
            }
        }
        _ => {}
    }
}

fn feed_table(feed: &ImportedFeed) -> Table {
    let mut table = Table::new();
    table.insert("name", toml_edit::value(feed.name.as_str()));
    table.insert("url", toml_edit::value(feed.url.as_str()));
    if !feed.tags.is_empty() {
        let tags: Array = feed.tags.iter().map(String::as_str).collect();
        table.insert("tags", toml_edit::value(tags));
    }
    table
}

/// What is known of one configured feed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedStatus {
    pub name: String,
    pub url: String,
    /// When it was last fetched (RFC 3339), if ever.
    pub last_fetch: Option<String>,
    /// `ok`, `not modified`, or the error (inert); `None` when never fetched.
    pub result: Option<String>,
    /// How many of its entries failed on the last fetch.
    pub failed: usize,
    /// Its articles in the library, and how many of them are unread.
    pub articles: usize,
    pub unread: usize,
}

/// The status of every configured feed, in config order.
pub fn statuses(
    feeds: &[FeedDef],
    ingest: &IngestState,
    library: &[Summary],
    reading: &ReadingState,
) -> Vec<FeedStatus> {
    let members = FeedArticles::new(feeds, |url| ingest.feeds.get(url).map(|f| &f.articles));
    feeds
        .iter()
        .map(|def| {
            let record = ingest.feeds.get(&def.url);
            let mine: Vec<&Summary> = library
                .iter()
                .filter(|s| members.contains(&def.name, s))
                .collect();
            let (result, failed) = match record.and_then(|r| r.result.as_ref()) {
                None => (None, 0),
                Some(FetchResult::Ok { failed, .. }) => (Some("ok".to_owned()), *failed),
                Some(FetchResult::NotModified) => (Some("not modified".to_owned()), 0),
                Some(FetchResult::Error(why)) => (Some(crate::article::clean::clean_line(why)), 0),
            };
            FeedStatus {
                name: def.name.clone(),
                url: crate::article::clean::clean_line(&def.url),
                last_fetch: record.and_then(|r| r.last_fetch.clone()),
                result,
                failed,
                articles: mine.len(),
                unread: reading.unread_count(mine.iter().map(|s| s.id.as_str())),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
