//! Reading a feed (RSS 2.0, RSS 1.0/RDF, Atom) with `feed-rs`: its title and language, and per entry the
//! id, link, title, author, date and either the full text (`content:encoded`, Atom `content`) or only a
//! summary, in which case the caller extracts the linked page.

use feed_rs::model::{Entry, Text};
use url::Url;

use super::charset::{self, CharsetError};
use super::draft::{line, published};
use super::page::language;
use crate::article::Published;

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub title: Option<String>,
    pub language: Option<String>,
    pub entries: Vec<FeedEntry>,
}

/// One entry of a feed, every field untrusted until it is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// The entry's id (guid, Atom id), or one made by feed-rs from its link and title.
    pub id: String,
    pub url: Option<Url>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    pub language: Option<String>,
    /// The full text, HTML.
    pub content: Option<String>,
    /// The summary, HTML.
    pub summary: Option<String>,
}

/// Why bytes are not a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Charset(#[from] CharsetError),
    #[error("not a feed (RSS or Atom): {0}")]
    NotAFeed(String),
}

/// Parses a feed fetched from `url` (relative links are resolved against it).
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> Result<Feed, FeedError> {
    let text = charset::decode(bytes, content_type)?;
    let xml = charset::as_utf8_xml(&text);
    if !xml.starts_with('<') {
        return Err(FeedError::NotAFeed("it is not XML".into()));
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(url.map(Url::as_str))
        .sanitize_content(false)
        .build();
    let feed = crate::contain::contain(|| parser.parse(xml.as_bytes()))
        .map_err(FeedError::NotAFeed)?
        .map_err(|e| FeedError::NotAFeed(crate::article::clean::clean_line(&e.to_string())))?;
    let language = feed.language.as_deref().and_then(language);
    let entries = feed.entries.iter().map(|e| entry(e, url)).collect();
    Ok(Feed {
        title: feed.title.as_ref().and_then(text_line),
        language,
        entries,
    })
}

fn entry(entry: &Entry, base: Option<&Url>) -> FeedEntry {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first());
    let url = link.and_then(|l| match base {
        Some(base) => base.join(&l.href).ok(),
        None => Url::parse(&l.href).ok(),
    });
    let url = url.filter(|u| matches!(u.scheme(), "http" | "https"));
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .filter(|body| has_text(body));
    FeedEntry {
        id: entry.id.clone(),
        url,
        title: entry.title.as_ref().and_then(text_line),
        author: entry
            .authors
            .first()
            .and_then(|p| p.name.as_deref())
            .and_then(line),
        published: entry
            .published
            .or(entry.updated)
            .and_then(|at| published(&at.to_rfc3339())),
        language: entry.language.as_deref().and_then(language),
        content,
        summary: entry
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .filter(|s| has_text(s)),
    }
}

/// A feed text field on one line, without markup: read as HTML whatever its declared type, since RSS
/// titles often hold escaped tags.
fn text_line(text: &Text) -> Option<String> {
    line(&dom_query::Document::fragment(text.content.as_str()).text())
}

fn has_text(html: &str) -> bool {
    !dom_query::Document::fragment(html).text().trim().is_empty()
}

#[cfg(test)]
mod tests;
