//! The Markdown digest: every claim grouped by tag, each quote as a block quote followed by its article's
//! title (linked when it has a URL) and its note.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::export::ExportArticle;
use super::model::Annotation;

/// The digest of `articles`: one `##` section per tag, in name order.
pub fn markdown_digest(articles: &[ExportArticle]) -> String {
    let mut by_tag: BTreeMap<&str, Vec<(&ExportArticle, &Annotation)>> = BTreeMap::new();
    for article in articles {
        for annotation in &article.annotations {
            for tag in &annotation.tags {
                by_tag.entry(tag).or_default().push((article, annotation));
            }
        }
    }
    let mut out = String::from("# Annotations\n");
    for (tag, claims) in by_tag {
        let _ = write!(out, "\n## {tag}\n");
        for (article, annotation) in claims {
            out.push('\n');
            claim(&mut out, article, annotation);
        }
    }
    // Whatever the fields hold, the digest is read as text: nothing in it may drive a terminal.
    crate::article::clean::clean_text(&out)
}

fn claim(out: &mut String, article: &ExportArticle, a: &Annotation) {
    for line in a.quote.lines() {
        let _ = writeln!(out, "> {}", line.trim_end());
    }
    let title = escape(&article.title);
    let source = match &article.url {
        Some(url) => format!("[{title}](<{}>)", url.replace(['<', '>'], "")),
        None => title,
    };
    let orphan = if a.orphaned {
        " (orphaned: not in the current text)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n— {source}, `{}` {}..{}{orphan}",
        article.id, a.start, a.end
    );
    if let Some(note) = &a.note {
        out.push('\n');
        for line in note.lines() {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// Escapes the characters that would make a title read as Markdown.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
