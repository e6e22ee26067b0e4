//! Reading a feed (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed 1.0/1.1) with `feed-rs`: its title and language,
//! and per entry the id, link, title, author, date, and its full text (`content:encoded`, Atom `content`,
//! JSON `content_html`/`content_text`) and summary (`description`, Atom or JSON `summary`) as HTML; the
//! caller decides whether that text is the article or the linked page is wanted.

use feed_rs::model::{Entry, Text};
use url::Url;

use super::charset::{self, CharsetError};
use super::draft::{line, published};
use super::page::language;

mod split;
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

/// Parses a feed fetched from `url` (relative links are resolved against it), every entry at once.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> Result<Feed, FeedError> {
    let (text, json) = text_of(bytes, content_type)?;
    parse_text(&text, url, json)
}

/// The feed as UTF-8 text declared so, and whether it is JSON.
fn text_of(bytes: &[u8], content_type: Option<&str>) -> Result<(String, bool), FeedError> {
    let mut text = charset::decode(bytes, content_type)?;
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    if json {
        let boms = text.len() - text.trim_start_matches('\u{feff}').len();
        text.drain(..boms);
    } else {
        charset::declare_utf8(&mut text);
        if !text.starts_with('<') {
            return Err(FeedError::NotAFeed("it is neither XML nor JSON".into()));
        }
    }
    Ok((text, json))
}

fn parse_text(text: &str, url: Option<&Url>, json: bool) -> Result<Feed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(url.map(Url::as_str))
        .sanitize_content(false)
        .build();
    let feed = crate::contain::contain(|| parser.parse(text.as_bytes()))
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

/// A feed read to be stored a few entries at a time: its title and language (in `head`, whose
/// `entries` are empty), and its items, which are parsed only when asked for. An RSS or Atom feed is
/// split into its items' bytes (see [`split`]), each with a fingerprint, so that an item seen before
/// need not be parsed again; a JSON feed, or XML that cannot be split, is parsed whole at once.
pub struct FeedItems {
    pub head: Feed,
    items: Items,
    url: Option<Url>,
}

enum Items {
    Parsed(Vec<FeedEntry>),
    Xml {
        text: String,
        split: split::Split,
        /// Per item, the blake3 hash (hex) of its bytes and the bytes above it that give them meaning.
        fingerprints: Vec<String>,
    },
}

/// Reads a feed fetched from `url` as [`parse`] does, but leaves its items unparsed where it can.
pub fn read(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> Result<FeedItems, FeedError> {
    let (text, json) = text_of(bytes, content_type)?;
    let whole = |text: &str| {
        parse_text(text, url, json).map(|mut head| {
            let entries = std::mem::take(&mut head.entries);
            FeedItems {
                head,
                items: Items::Parsed(entries),
                url: url.cloned(),
            }
        })
    };
    let Some(split) = (!json).then(|| split::split(&text)).flatten() else {
        return whole(&text);
    };
    // The feed without its items: its title and language. Should that not parse, the whole feed is
    // read as before (and fails, if it does, as before).
    let Ok(head) = parse_text(&split.with_only(&text, &[]), url, false) else {
        return whole(&text);
    };
    let mut context = blake3::Hasher::new();
    for range in &split.context {
        context.update(&(range.len() as u64).to_le_bytes());
        context.update(&text.as_bytes()[range.clone()]);
    }
    let context = context.finalize();
    let fingerprints = split
        .items
        .iter()
        .map(|range| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(context.as_bytes());
            hasher.update(&text.as_bytes()[range.clone()]);
            hasher.finalize().to_hex().to_string()
        })
        .collect();
    Ok(FeedItems {
        head,
        items: Items::Xml {
            text,
            split,
            fingerprints,
        },
        url: url.cloned(),
    })
}

impl FeedItems {
    /// How many items the feed has (an item may give no entry: see [`FeedItems::entries`]).
    pub fn len(&self) -> usize {
        match &self.items {
            Items::Parsed(entries) => entries.len(),
            Items::Xml { split, .. } => split.items.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fingerprint of item `i`'s bytes, when the feed was split into items.
    pub fn fingerprint(&self, i: usize) -> Option<&str> {
        match &self.items {
            Items::Parsed(_) => None,
            Items::Xml { fingerprints, .. } => fingerprints.get(i).map(String::as_str),
        }
    }

    /// The entries of the items at `which` (ascending), each as the whole feed's parse gives it: `None`
    /// for an item that gives no entry.
    pub fn entries(&self, which: &[usize]) -> Result<Vec<Option<FeedEntry>>, FeedError> {
        let (text, split) = match &self.items {
            Items::Parsed(entries) => {
                return Ok(which.iter().map(|&i| entries.get(i).cloned()).collect());
            }
            Items::Xml { text, split, .. } => (text, split),
        };
        let parse = |keep: &[usize]| {
            parse_text(&split.with_only(text, keep), self.url.as_ref(), false).map(|f| f.entries)
        };
        let entries = parse(which)?;
        if entries.len() == which.len() {
            return Ok(entries.into_iter().map(Some).collect());
        }
        // Some item gave no entry: each is read alone, to know which.
        which
            .iter()
            .map(|&i| parse(&[i]).map(|mut one| one.pop()))
            .collect()
    }
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
