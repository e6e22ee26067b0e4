//! Reading a feed (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed 1.0/1.1) with `feed-rs`: its title and language,
//! and per entry the id, link, title, author, date, and its full text (`content:encoded`, Atom `content`,
//! JSON `content_html`/`content_text`) and summary (`description`, Atom or JSON `summary`) as HTML; the
//! caller decides whether that text is the article or the linked page is wanted.

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
    #[error("not a feed (RSS, Atom or JSON Feed): {0}")]
    NotAFeed(String),
}

/// Parses a feed fetched from `url` (relative links are resolved against it).
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> Result<Feed, FeedError> {
    let text = charset::decode(bytes, content_type)?;
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let declared_utf8;
    let xml: &str = if json {
        text.trim_start_matches('\u{feff}')
    } else {
        declared_utf8 = charset::as_utf8_xml(&text);
        &declared_utf8
    };
    if !json && !xml.starts_with('<') {
        return Err(FeedError::NotAFeed("it is neither XML nor JSON".into()));
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(url.map(Url::as_str))
        .sanitize_content(false)
        .build();
    let feed = crate::contain::contain(|| parser.parse(xml.as_bytes()))
        .map_err(FeedError::NotAFeed)?
        .map_err(|e| FeedError::NotAFeed(crate::article::clean::clean_line(&e.to_string())))?;
    let language = feed.language.as_deref().and_then(language);
    let entries = feed.entries.iter().map(|e| entry(e, url, json)).collect();
    Ok(Feed {
        title: feed.title.as_ref().and_then(text_line),
        language,
        entries,
    })
}

fn entry(entry: &Entry, base: Option<&Url>, json: bool) -> FeedEntry {
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
    // JSON Feed's `content_text` and `summary` are plain text; everything else is read as HTML.
    let content = entry
        .content
        .as_ref()
        .and_then(|c| {
            let plain = json && c.content_type.to_string().starts_with("text/plain");
            c.body
                .as_deref()
                .map(|b| if plain { as_html(b) } else { b.to_owned() })
        })
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
            .map(|s| match json {
                true => as_html(&s.content),
                false => s.content.clone(),
            })
            .filter(|s| has_text(s)),
    }
}

/// Plain text as HTML: each run of lines between blank lines a paragraph, escaped.
fn as_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\n', "<br>");
            format!("<p>{escaped}</p>")
        })
        .collect()
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
