//! HTML to the Markdown of an article body. Only what reads as text survives: paragraphs, headings, lists,
//! quotes, code, tables, emphasis and links (http, https and mailto only, resolved against the page's URL).
//! Scripts, styles, forms, media and anything else that is not text are dropped, every piece of text is
//! escaped so that it stays text, and the result is made inert with [`clean_text`].

use dom_query::{Document, NodeRef};
use url::Url;

use crate::article::clean::clean_text;

/// Elements whose content is never text of the article.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head",
    "title", "form", "button", "input", "select", "textarea", "img", "video", "audio", "canvas",
    "nav",
];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "figure",
    "figcaption",
    "address",
    "dd",
    "dt",
    "dl",
    "aside",
    "details",
    "summary",
    "center",
    "body",
    "html",
    "hr",
];

/// Converts an HTML fragment to Markdown; relative links are resolved against `base`.
pub fn html_to_markdown(html: &str, base: Option<&Url>) -> String {
    // As for whole pages: escape sequences removed whole first, and nesting bounded.
    let html = super::nesting::cap_nesting(
        &crate::article::clean::strip_controls(html),
        super::nesting::MAX_DEPTH,
    );
    let document = Document::fragment(html.as_str());
    let mut writer = Writer::new(base);
    writer.children(&document.root());
    clean_text(&writer.finish())
}

/// Markdown from plain text: paragraphs (split at blank lines) with their lines escaped.
pub fn text_to_markdown(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| escape_block_start(&escape(l.trim())))
                .collect::<Vec<_>>()
        })
        .map(|lines| {
            lines
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|p| !p.is_empty())
        .collect();
    clean_text(&paragraphs.join("\n\n"))
}

struct Writer<'u> {
    base: Option<&'u Url>,
    blocks: Vec<String>,
    inline: String,
}

impl<'u> Writer<'u> {
    fn new(base: Option<&'u Url>) -> Writer<'u> {
        Writer {
            base,
            blocks: Vec::new(),
            inline: String::new(),
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.blocks.join("\n\n")
    }

    /// Ends the current paragraph.
    fn flush(&mut self) {
        let text = collapse(&self.inline);
        self.inline.clear();
        if !text.is_empty() {
            self.blocks.push(escape_block_start(&text));
        }
    }

    fn children(&mut self, node: &NodeRef) {
        for child in node.children() {
            self.node(&child);
        }
    }

    /// The inline text of `node`'s children, rendered on its own.
    fn inner(&self, node: &NodeRef) -> String {
        let mut sub = Writer::new(self.base);
        sub.children(node);
        sub.flush();
        sub.blocks.join(" ")
    }

    /// The blocks of `node`'s children, rendered on their own.
    fn inner_blocks(&self, node: &NodeRef) -> Vec<String> {
        let mut sub = Writer::new(self.base);
        sub.children(node);
        sub.flush();
        sub.blocks
    }

    fn node(&mut self, node: &NodeRef) {
        if node.is_text() {
            self.inline.push_str(&escape(&node.text()));
            return;
        }
        if !node.is_element() {
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            n if DROPPED.contains(&n) => {}
            "br" => self.inline.push(' '),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(node, &name),
            "ul" | "ol" => self.list(node, name == "ol"),
            "blockquote" => self.quote(node),
            "pre" => self.code_block(node),
            "table" => self.table(node),
            "code" | "kbd" | "samp" | "tt" => self.inline_code(node),
            "em" | "i" | "cite" => self.emphasis(node, "*"),
            "strong" | "b" => self.emphasis(node, "**"),
            "a" => self.link(node),
            n if BLOCKS.contains(&n) => {
                self.flush();
                self.children(node);
                self.flush();
            }
            _ => self.children(node),
        }
    }

    fn heading(&mut self, node: &NodeRef, name: &str) {
        self.flush();
        let level: usize = name[1..].parse().unwrap_or(2);
        let text = self.inner(node);
        if !text.is_empty() {
            self.blocks.push(format!("{} {}", "#".repeat(level), text));
        }
    }

    fn list(&mut self, node: &NodeRef, ordered: bool) {
        self.flush();
        let mut number = 0;
        for item in node.element_children() {
            let blocks = self.inner_blocks(&item);
            if blocks.is_empty() {
                continue;
            }
            number += 1;
            let marker = if ordered {
                format!("{number}.")
            } else {
                "-".to_owned()
            };
            let indent = " ".repeat(marker.len() + 1);
            let body = blocks.join("\n\n").replace('\n', &format!("\n{indent}"));
            self.blocks
                .push(format!("{marker} {body}").replace(&format!("\n{indent}\n"), "\n\n"));
        }
    }

    fn quote(&mut self, node: &NodeRef) {
        self.flush();
        let blocks = self.inner_blocks(node);
        if !blocks.is_empty() {
            let body = blocks.join("\n\n");
            let quoted: Vec<String> = body
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".into()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect();
            self.blocks.push(quoted.join("\n"));
        }
    }

    fn code_block(&mut self, node: &NodeRef) {
        self.flush();
        let code = node.text().to_string();
        let code = code.trim_matches('\n');
        if code.trim().is_empty() {
            return;
        }
        let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
        self.blocks.push(format!("{fence}\n{code}\n{fence}"));
    }

    fn inline_code(&mut self, node: &NodeRef) {
        let code = collapse(&node.text());
        if code.is_empty() {
            return;
        }
        let fence = "`".repeat(longest_run(&code, '`') + 1);
        let pad = if code.starts_with('`') || code.ends_with('`') {
            " "
        } else {
            ""
        };
        self.inline
            .push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
    }

    fn emphasis(&mut self, node: &NodeRef, marker: &str) {
        let text = self.inner(node);
        if text.is_empty() {
            return;
        }
        let (lead, trail) = edges(node);
        self.inline
            .push_str(&format!("{lead}{marker}{text}{marker}{trail}"));
    }

    fn link(&mut self, node: &NodeRef) {
        let text = self.inner(node);
        if text.is_empty() {
            return;
        }
        let (lead, trail) = edges(node);
        match node
            .attr("href")
            .and_then(|href| safe_link(&href, self.base))
        {
            Some(url) => self
                .inline
                .push_str(&format!("{lead}[{text}](<{url}>){trail}")),
            None => self.inline.push_str(&format!("{lead}{text}{trail}")),
        }
    }

    fn table(&mut self, node: &NodeRef) {
        self.flush();
        let rows: Vec<Vec<String>> = node
            .select_rows()
            .iter()
            .map(|row| {
                row.element_children()
                    .iter()
                    .map(|cell| self.inner(cell))
                    .collect()
            })
            .filter(|cells: &Vec<String>| !cells.is_empty())
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        let line = |cells: &[String]| {
            let mut cells = cells.to_vec();
            cells.resize(width, String::new());
            format!("| {} |", cells.join(" | "))
        };
        let mut out = vec![line(&rows[0]), line(&vec!["---".to_owned(); width])];
        out.extend(rows[1..].iter().map(|r| line(r)));
        self.blocks.push(out.join("\n"));
    }
}

trait Rows<'a> {
    fn select_rows(&self) -> Vec<NodeRef<'a>>;
}

impl<'a> Rows<'a> for NodeRef<'a> {
    /// The `tr` elements of a table, in order, not those of tables inside it.
    fn select_rows(&self) -> Vec<NodeRef<'a>> {
        let mut rows = Vec::new();
        for child in self.element_children() {
            match child.node_name().map(|n| n.to_ascii_lowercase()).as_deref() {
                Some("tr") => rows.push(child),
                Some("thead" | "tbody" | "tfoot") => rows.extend(child.select_rows()),
                _ => {}
            }
        }
        rows
    }
}

/// A link target kept in the Markdown: resolved, and only http, https or mailto.
pub fn safe_link(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https" | "mailto").then_some(url)
}

/// A space before and after an inline element whose text starts or ends with whitespace.
fn edges(node: &NodeRef) -> (&'static str, &'static str) {
    let text = node.text();
    let space = |c: Option<char>| {
        if c.is_some_and(char::is_whitespace) {
            " "
        } else {
            ""
        }
    };
    (space(text.chars().next()), space(text.chars().last()))
}

/// Whitespace runs become one space; the ends are trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Backslash-escapes what Markdown would read as markup inside a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what Markdown would read as a block marker at the start of a paragraph.
fn escape_block_start(text: &str) -> String {
    let first = text.chars().next();
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        return format!("\\{text}");
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text[digits..].chars().next() {
        Some(c @ ('.' | ')')) if digits > 0 => {
            format!("{}\\{c}{}", &text[..digits], &text[digits + 1..])
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
