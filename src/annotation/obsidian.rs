//! The Obsidian (and Logseq) export: one Markdown note per article, `<article id>.md` in the vault folder,
//! with the article's metadata as YAML front matter and each claim as a block quote (the quote, its tags
//! as `#tags`, its note) ending in a `^block-id` made from the annotation id. The claims stand between two
//! marker lines; exporting again replaces only what is between them and newsgloss's own front-matter keys,
//! so what the user wrote around them stays. A file without the markers is not newsgloss's: it is never
//! rewritten, and the note is written beside it as `<article id>.newsgloss.md`.

use std::path::{Path, PathBuf};

use super::export::ExportArticle;
use super::model::Annotation;
use crate::article::clean::{clean_line, clean_text};

/// The line that opens the section newsgloss manages.
pub const BEGIN: &str = "<!-- newsgloss:begin · written by `newsgloss export --format obsidian`; what is between this line and newsgloss:end is replaced on every export -->";
/// The line that closes it.
pub const END: &str = "<!-- newsgloss:end -->";
/// The front-matter keys newsgloss writes (and replaces; other keys are the user's).
const KEYS: [&str; 6] = ["title", "source", "author", "url", "published", "tags"];

/// What writing the notes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObsidianReport {
    /// Notes written (new or changed).
    pub written: Vec<PathBuf>,
    /// Notes already as they would be written.
    pub unchanged: usize,
    /// Files newsgloss did not write (no markers), with the file written beside each instead.
    pub beside: Vec<(PathBuf, PathBuf)>,
    /// Articles whose note and the file beside it are both someone else's: nothing written for them.
    pub skipped: Vec<PathBuf>,
    /// Files that could not be read or written, with why (nothing of theirs changed).
    pub errors: Vec<(PathBuf, String)>,
}

/// Writes (or updates) the note of each of `articles` under `dir`. An article without claims empties
/// the section of a note written before and creates none.
pub fn write_obsidian(dir: &Path, articles: &[ExportArticle]) -> ObsidianReport {
    let mut report = ObsidianReport::default();
    for article in articles {
        let Some(path) = crate::content::path_of(dir, &article.id) else {
            continue;
        };
        let beside = path.with_extension("newsgloss.md");
        let written = write_one(&path, article).and_then(|outcome| match outcome {
            Outcome::NotOurs => {
                let done = write_one(&beside, article)?;
                if !matches!(done, Outcome::NotOurs) {
                    report.beside.push((path.clone(), beside.clone()));
                }
                Ok(done)
            }
            done => Ok(done),
        });
        match written {
            Ok(Outcome::Written(at)) => report.written.push(at),
            Ok(Outcome::Unchanged | Outcome::Nothing) => report.unchanged += 1,
            Ok(Outcome::NotOurs) => report.skipped.push(path),
            Err((at, e)) => report.errors.push((at, e)),
        }
    }
    report
}

enum Outcome {
    Written(PathBuf),
    Unchanged,
    /// No claims and no note: nothing to write.
    Nothing,
    /// The file is there without markers.
    NotOurs,
}

fn write_one(path: &Path, article: &ExportArticle) -> Result<Outcome, (PathBuf, String)> {
    let fail = |e: std::io::Error| (path.to_owned(), e.to_string());
    let existing = match std::fs::read(path) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map_err(|_| (path.to_owned(), "not UTF-8 (left as it is)".to_owned()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    let text = match &existing {
        None if article.annotations.is_empty() => return Ok(Outcome::Nothing),
        None => note(article),
        Some(old) => match updated(old, article) {
            Some(text) => text,
            None if old.trim().is_empty() => note(article),
            None => return Ok(Outcome::NotOurs),
        },
    };
    if existing.as_deref() == Some(text.as_str()) {
        return Ok(Outcome::Unchanged);
    }
    crate::atomic_file::write(path, text.as_bytes()).map_err(fail)?;
    Ok(Outcome::Written(path.to_owned()))
}

/// A new note: the front matter, a blank line, the section.
pub fn note(article: &ExportArticle) -> String {
    let mut out = String::from("---\n");
    for (key, value) in front_matter(article) {
        out.push_str(&format!("{key}: {value}\n"));
    }
    out.push_str("---\n\n");
    out.push_str(&section(article));
    out
}

/// `old` with newsgloss's front-matter keys and section replaced by `article`'s; `None` when `old` has
/// no section (newsgloss did not write it).
pub fn updated(old: &str, article: &ExportArticle) -> Option<String> {
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let is = |line: &str, marker: &str| line.trim_end() == marker;
    let begin = lines.iter().position(|l| is(l, BEGIN))?;
    let end = begin + lines[begin..].iter().position(|l| is(l, END))?;
    let mut out = String::with_capacity(old.len());
    out.push_str(&with_front_matter(&lines[..begin].concat(), article));
    out.push_str(&section(article));
    let after = lines[end + 1..].concat();
    out.push_str(&after);
    Some(out)
}

/// `head` (what comes before the section) with newsgloss's keys in its front matter replaced; a key the
/// user removed is written again, the user's own keys are kept in place.
fn with_front_matter(head: &str, article: &ExportArticle) -> String {
    let Some(rest) = head.strip_prefix("---\n") else {
        return head.to_owned();
    };
    let Some(close) = rest
        .find("\n---\n")
        .map(|i| i + 1)
        .or_else(|| rest.starts_with("---\n").then_some(0))
    else {
        return head.to_owned();
    };
    let (yaml, after) = rest.split_at(close);
    let ours = |line: &str| KEYS.iter().any(|k| line.starts_with(&format!("{k}:")));
    let mut kept: Vec<&str> = Vec::new();
    let mut skipping = false;
    for line in yaml.lines() {
        let continuation = line.starts_with(' ') || line.starts_with('-');
        if ours(line) || (skipping && continuation) {
            skipping = true;
            continue;
        }
        skipping = false;
        kept.push(line);
    }
    let mut out = String::from("---\n");
    for (key, value) in front_matter(article) {
        out.push_str(&format!("{key}: {value}\n"));
    }
    for line in kept {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(after);
    out
}

/// The front matter, each value as YAML (strings double-quoted with JSON's escapes, which YAML reads).
fn front_matter(article: &ExportArticle) -> Vec<(&'static str, String)> {
    let string =
        |s: &str| crate::article::clean::inert_json(serde_json::json!(clean_line(s)).to_string());
    let mut out = vec![("title", string(&article.title))];
    for (key, value) in [
        ("source", &article.source),
        ("author", &article.author),
        ("url", &article.url),
    ] {
        if let Some(value) = value {
            out.push((key, string(value)));
        }
    }
    if let Some(published) = article.published {
        out.push(("published", published.to_string()));
    }
    let mut tags: Vec<&str> = article
        .annotations
        .iter()
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let tags: Vec<String> = tags.iter().map(|t| string(t)).collect();
    out.push(("tags", format!("[{}]", tags.join(", "))));
    out
}

/// The marker lines and, between them, every claim in text order.
fn section(article: &ExportArticle) -> String {
    let mut claims: Vec<&Annotation> = article.annotations.iter().collect();
    claims.sort_by_key(|a| a.position_key());
    let mut out = format!("{BEGIN}\n");
    for claim in claims {
        out.push('\n');
        out.push_str(&block(claim));
    }
    out.push('\n');
    out.push_str(END);
    out.push('\n');
    out
}

/// One claim: `> quote`, `> #tags`, `>`, `> note`, the last line ending in ` ^<annotation id>`.
fn block(claim: &Annotation) -> String {
    let mut lines: Vec<String> = clean_text(&claim.quote)
        .lines()
        .map(|l| escape(l.trim_end()))
        .collect();
    let tags: Vec<String> = claim.tags.iter().map(|t| format!("#{t}")).collect();
    lines.push(tags.join(" "));
    if claim.orphaned {
        lines.push("(orphaned: not in the article's current text)".into());
    }
    if let Some(note) = &claim.note {
        lines.push(String::new());
        lines.extend(clean_text(note).lines().map(|l| escape(l.trim_end())));
    }
    let last = lines.len() - 1;
    lines[last].push_str(&format!(" ^{}", claim.id));
    lines
        .iter()
        .map(|l| match l.is_empty() {
            true => ">\n".to_owned(),
            false => format!("> {l}\n"),
        })
        .collect()
}

/// Escapes what would make text read as Obsidian markup: tags, links, block ids, emphasis, highlights,
/// HTML and comments.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|^=~$%".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
