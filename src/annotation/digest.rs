//! The Markdown digest: every claim grouped by tag, each quote as a block quote followed by its article's
//! title, source and date, linked when it has a URL (with a text fragment that opens the page at the
//! quote), and its note.

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
    let mut source = match &article.url {
        Some(url) if !a.orphaned => format!("[{title}](<{}>)", linked(url, &a.quote)),
        Some(url) => format!("[{title}](<{}>)", url.replace(['<', '>'], "")),
        None => title,
    };
    for part in [
        article.source.as_deref().map(escape),
        article.published.map(|p| p.to_string()),
    ]
    .into_iter()
    .flatten()
    {
        source.push_str(" · ");
        source.push_str(&part);
    }
    let orphan = if a.orphaned {
        " (orphaned: not in the current text)"
    } else {
        ""
    };
    let _ = writeln!(out, "\n— {source}{orphan}");
    if let Some(note) = &a.note {
        out.push('\n');
        for line in note.lines() {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// `url` with a text fragment (`#:~:text=`) that makes a browser scroll to and highlight `quote`: the
/// whole quote when it is short and on one line, else its first and last words (`text=start,end`).
fn linked(url: &str, quote: &str) -> String {
    const ENDS: usize = 5;
    let url = url.replace(['<', '>'], "");
    let words: Vec<&str> = quote.split_whitespace().collect();
    if words.is_empty() {
        return url;
    }
    let directive = if words.len() <= 2 * ENDS && !quote.contains('\n') {
        encode(&words.join(" "))
    } else {
        let first = words[..ENDS.min(words.len())].join(" ");
        let last = words[words.len().saturating_sub(ENDS).max(ENDS.min(words.len()))..].join(" ");
        match last.is_empty() {
            true => encode(&first),
            false => format!("{},{}", encode(&first), encode(&last)),
        }
    };
    let joint = if url.contains('#') {
        ":~:text="
    } else {
        "#:~:text="
    };
    format!("{url}{joint}{directive}")
}

/// Percent-encodes all but ASCII letters, digits and `._~` (so `-`, `,` and `&`, which a text directive
/// uses, are encoded too).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn each_claim_names_its_source_date_and_links_to_the_quote() {
        let text = "Microsoft incurs a monthly loss of at least USD 20, which can go higher.";
        let claim = Annotation::new(
            "a",
            text,
            0,
            50,
            vec!["copilot-losses".into()],
            None,
            datetime!(2026-01-01 00:00:00 UTC),
        );
        let mut article = ExportArticle::missing("a", vec![claim]);
        article.title = "Cloud".into();
        article.source = Some("KrASIA".into());
        article.url = Some("https://example.com/a".into());
        article.published =
            Some(crate::article::Published::from_toml(&"2023-11-20".parse().unwrap()).unwrap());
        let digest = markdown_digest(&[article]);
        assert!(
            digest.contains("— [Cloud](<https://example.com/a#:~:text=Microsoft%20incurs%20a%20monthly%20loss%20of%20at%20least%20USD%2020>) · KrASIA · 2023-11-20\n"),
            "{digest}"
        );
        assert!(!digest.contains("0..50"), "no internal offsets");
    }

    #[test]
    fn short_quotes_are_linked_whole() {
        assert_eq!(
            linked("https://e.com/a#top", "chips, bite-size"),
            "https://e.com/a#top:~:text=chips%2C%20bite%2Dsize"
        );
    }
}
