//! Adding local files: Markdown (front matter made when it has none, kept when it has), plain text, an
//! HTML page (the article extracted), or a feed file (its entries, pages fetched for summary-only ones).

use std::path::Path;

use super::draft::{Draft, line};
use super::markdown::text_to_markdown;
use super::report::SourceOutcome;
use super::session::{Labels, Session};
use super::{charset, feed, page};
use crate::article::Article;
use crate::article::plain::markdown_to_plain;

/// What a local file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Markdown,
    Text,
    Html,
    Feed,
}

/// Adds the file at `path`.
pub(super) fn add_file(
    session: &mut Session,
    path: &Path,
    pages: &mut dyn FnMut(usize, usize),
) -> Result<SourceOutcome, String> {
    let settings = &session.settings;
    // A feed may be far bigger than a page: read up to the larger cap, then hold the rest to the smaller.
    let bytes = read(path, settings.max_feed_bytes.max(settings.max_bytes))?;
    let kind = kind(path, &bytes);
    if kind != Kind::Feed && bytes.len() as u64 > settings.max_bytes {
        return Err(read_error(crate::article::ArticleError::TooLarge {
            len: bytes.len() as u64,
            max_bytes: settings.max_bytes,
        }));
    }
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let keys = vec![format!("file:{}", full.display())];
    let draft = match kind {
        Kind::Feed => {
            let parsed = feed::read(&bytes, None, None).map_err(|e| e.to_string())?;
            drop(bytes);
            let labels = Labels {
                source: parsed.head.title.clone(),
                ..Labels::default()
            };
            return Ok(session.store_feed(&parsed, labels, None, pages));
        }
        Kind::Html => {
            let text = charset::decode(&bytes, None).map_err(|e| e.to_string())?;
            page::extract(&text, None).map_err(|e| e.to_string())?
        }
        Kind::Markdown | Kind::Text => {
            let text = charset::decode(&bytes, Some("text/plain; charset=utf-8"))
                .map_err(|e| e.to_string())?;
            if text.starts_with("+++") {
                return store_as_is(session, &keys, path, &text);
            }
            made_up(path, &text, kind == Kind::Markdown)
        }
    };
    let article = session.store(&keys, &draft).map_err(|e| e.to_string())?;
    Ok(SourceOutcome {
        articles: vec![article],
        ..SourceOutcome::default()
    })
}

/// A Markdown file that already has front matter: checked, then stored as it is.
fn store_as_is(
    session: &mut Session,
    keys: &[String],
    path: &Path,
    text: &str,
) -> Result<SourceOutcome, String> {
    let (article, _) =
        Article::parse("new", text).map_err(|e| format!("{}:{e}", crate::content::shown(path)))?;
    let draft = Draft {
        title: article.meta.title.clone(),
        ..Draft::default()
    };
    let id = match session.state.article_of(keys) {
        Some(id) => id.to_owned(),
        None => super::slug::unique(&super::slug::slugify(&draft.title), |s| {
            super::slug::exists(&session.library.content_dir, s)
                || session.state.files.contains_key(s)
        }),
    };
    let change = session
        .library
        .store(&mut session.state, &id, text.as_bytes(), session.now)
        .map_err(|e| e.to_string())?;
    session.state.remember(keys, &id);
    let article = super::report::ArticleReport {
        id,
        title: draft.title,
        change,
        summary: None,
    };
    Ok(SourceOutcome {
        articles: vec![article],
        ..SourceOutcome::default()
    })
}

/// Front matter made for a Markdown or text file: the title from its first heading or line, else its name.
fn made_up(path: &Path, text: &str, markdown: bool) -> Draft {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let heading = first.trim_start().strip_prefix("# ").filter(|_| markdown);
    let (title, body) = match heading {
        Some(h) => (line(&markdown_to_plain(h)), text.replacen(first, "", 1)),
        None if !markdown => (line(first), text.replacen(first, "", 1)),
        None => (None, text.to_owned()),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "));
    let title = title
        .or_else(|| stem.as_deref().and_then(line))
        .unwrap_or_else(|| "Untitled".into());
    let body = if markdown {
        body.trim().to_owned()
    } else {
        text_to_markdown(&body)
    };
    Draft {
        title,
        body,
        ..Draft::default()
    }
}

fn kind(path: &Path, bytes: &[u8]) -> Kind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("md" | "markdown") => Kind::Markdown,
        Some("txt" | "text") => Kind::Text,
        Some("html" | "htm" | "xhtml") => Kind::Html,
        Some("xml" | "rss" | "atom" | "rdf" | "json") => Kind::Feed,
        _ if looks_like_feed(bytes) => Kind::Feed,
        _ if looks_like_html(bytes) => Kind::Html,
        _ => Kind::Text,
    }
}

fn head(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.trim_start_matches('\u{feff}').trim_start().to_owned()
}

/// Whether bytes start like a feed document (XML, or a JSON Feed naming its version).
pub(super) fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = head(bytes);
    head.starts_with("<?xml") && !head.contains("<html")
        || ["<rss", "<feed", "<rdf:rdf"]
            .iter()
            .any(|t| head.starts_with(t))
        || head.starts_with('{') && head.contains("jsonfeed.org/version/")
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = head(bytes);
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Reads a file of at most `max_bytes`, with a one-line error naming it.
fn read(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    crate::article::read_capped(path, max_bytes).map_err(read_error)
}

fn read_error(error: crate::article::ArticleError) -> String {
    match error {
        crate::article::ArticleError::Io(why) => format!("cannot read it: {why}"),
        other => other.to_string().trim_start_matches("1:1: ").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_then_content() {
        assert_eq!(kind(Path::new("a.md"), b""), Kind::Markdown);
        assert_eq!(
            kind(Path::new("a"), b"<?xml version='1.0'?><rss/>"),
            Kind::Feed
        );
        assert_eq!(kind(Path::new("a"), b"<!DOCTYPE html><html>"), Kind::Html);
        let json =
            br#" {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}"#;
        assert_eq!(kind(Path::new("feed"), json), Kind::Feed);
        assert_eq!(kind(Path::new("data"), b"{\"a\": 1}"), Kind::Text);
        assert_eq!(kind(Path::new("notes"), b"Hello"), Kind::Text);
    }

    #[test]
    fn titles_for_files_without_front_matter() {
        let md = made_up(Path::new("x.md"), "# The *title*\n\nBody.\n", true);
        assert_eq!(
            (md.title.as_str(), md.body.as_str()),
            ("The title", "Body.")
        );
        let txt = made_up(Path::new("x.txt"), "First line\n\nA *b* c.\n", false);
        assert_eq!(
            (txt.title.as_str(), txt.body.as_str()),
            ("First line", "A \\*b\\* c.")
        );
        let bare = made_up(Path::new("my_notes.md"), "Just text.", true);
        assert_eq!(bare.title, "my notes");
    }
}
