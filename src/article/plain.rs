//! The canonical plain text of an article body.
//!
//! Annotations store character offsets into this text, so it must be deterministic and stable: the same
//! Markdown always gives the same text. The body is first made inert (`clean::strip_controls`, so the
//! Markdown parser never sees an escape sequence), parsed as CommonMark with tables and strikethrough, and
//! rendered to blocks of text: paragraphs, headings, list items, code blocks, tables. Each block is then
//! cleaned with [`clean::clean_text`] and the blocks are joined by exactly one blank line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::clean;

/// Renders a CommonMark body to its canonical plain text.
///
/// * Blocks (paragraphs, headings, list items, code blocks, tables, paragraphs of block quotes) are separated
///   by exactly one blank line; there are no leading or trailing blank lines and no trailing newline.
/// * Inline markup gives its text: emphasis, links (the URL is dropped), images (their alt text), inline code.
///   A soft break is one space, a hard break a `\n`. HTML is dropped. Thematic breaks are dropped.
/// * A code block keeps its lines; a table has one row per line with cells joined by `" | "`.
/// * Everything is cleaned with [`clean::clean_text`]: no controls, tabs expanded, NFC.
pub fn markdown_to_plain(body: &str) -> String {
    let body = clean::strip_controls(body);
    let blocks = render_blocks(&body);
    join_blocks(blocks.iter().map(|block| clean_block(block)))
}

/// Parses `body` and renders each block to raw (not yet cleaned) text; blocks may be empty.
fn render_blocks(body: &str) -> Vec<String> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut renderer = Renderer::default();
    for event in Parser::new_ext(body, options) {
        renderer.event(event);
    }
    renderer.finish()
}

/// Collects the text of each block from parser events.
#[derive(Default)]
struct Renderer {
    blocks: Vec<String>,
    /// The text of the block being rendered.
    current: String,
    /// Rows started so far in the current table.
    table_rows: usize,
    /// Cells started so far in the current table row.
    row_cells: usize,
}

impl Renderer {
    /// Handles one parser event.
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(&tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.current.push_str(&text),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.current.push_str(&text),
            Event::SoftBreak => self.current.push(' '),
            Event::HardBreak => self.current.push('\n'),
            Event::Rule => self.end_block(),
            // HTML is markup, not text; footnotes and task lists are not enabled.
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
        }
    }

    /// Handles the start of a tag: block containers end the block before them; tables lay out rows and cells.
    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Table(_) => {
                self.end_block();
                self.table_rows = 0;
            }
            Tag::TableHead | Tag::TableRow => {
                if self.table_rows > 0 {
                    self.current.push('\n');
                }
                self.table_rows += 1;
                self.row_cells = 0;
            }
            Tag::TableCell => {
                if self.row_cells > 0 {
                    self.current.push_str(" | ");
                }
                self.row_cells += 1;
            }
            tag if is_block(tag) => self.end_block(),
            _ => {}
        }
    }

    /// Handles the end of a tag: the end of any block container ends the block being rendered.
    fn end(&mut self, tag: TagEnd) {
        if is_block_end(tag) {
            self.end_block();
        }
    }

    /// Ends the current block, if it has any text.
    fn end_block(&mut self) {
        if !self.current.is_empty() {
            self.blocks.push(std::mem::take(&mut self.current));
        }
    }

    /// Returns all the blocks.
    fn finish(mut self) -> Vec<String> {
        self.end_block();
        self.blocks
    }
}

/// Whether a tag starts a block container (whose start ends the block before it).
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::MetadataBlock(_)
    )
}

/// Whether a tag end closes a block container (table rows and cells stay inside the table's block).
fn is_block_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Table
            | TagEnd::MetadataBlock(_)
    )
}

/// Cleans one rendered block so that it can sit between blank-line separators: [`clean::clean_text`], then
/// leading blank lines and trailing whitespace are removed and runs of blank lines inside (a code block's)
/// become one `\n\n`. May return an empty string, which [`join_blocks`] drops.
fn clean_block(block: &str) -> String {
    let cleaned = clean::clean_text(block);
    let mut out = String::with_capacity(cleaned.len());
    let mut pending_blank = false;
    for line in cleaned.split('\n') {
        // Empty lines, and whitespace-only lines before any text, are blank.
        if line.is_empty() || (out.is_empty() && line.trim().is_empty()) {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_blank { "\n\n" } else { "\n" });
        }
        pending_blank = false;
        out.push_str(line);
    }
    out.truncate(out.trim_end().len());
    out
}

/// Joins the non-empty blocks with one blank line between each two.
fn join_blocks(blocks: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for block in blocks.filter(|b| !b.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs() {
        assert_eq!(
            markdown_to_plain("One.\n\nTwo.\n\nThree.\n"),
            "One.\n\nTwo.\n\nThree."
        );
        assert_eq!(markdown_to_plain(""), "");
        assert_eq!(markdown_to_plain("\n\n  \n"), "");
    }

    #[test]
    fn soft_break_is_a_space() {
        assert_eq!(markdown_to_plain("one\ntwo\nthree"), "one two three");
    }

    #[test]
    fn hard_break_is_a_newline() {
        assert_eq!(markdown_to_plain("one  \ntwo\\\nthree"), "one\ntwo\nthree");
    }

    #[test]
    fn heading_emphasis_and_link_text() {
        let md = "# The *big* **news**\n\nRead [the ~~old~~ report](https://example.com \"t\") and \
                  ![a chart](chart.png) with `code` &amp; more.\n\nSetext\n======\n";
        assert_eq!(
            markdown_to_plain(md),
            "The big news\n\nRead the old report and a chart with code & more.\n\nSetext"
        );
    }

    #[test]
    fn nested_list() {
        let md = "Intro:\n\n- one\n- two\n  - two a\n  - two b\n- three\n\n1. first\n2. second\n";
        assert_eq!(
            markdown_to_plain(md),
            "Intro:\n\none\n\ntwo\n\ntwo a\n\ntwo b\n\nthree\n\nfirst\n\nsecond"
        );
        // A loose list gives the same blocks.
        assert_eq!(markdown_to_plain("- one\n\n- two\n"), "one\n\ntwo");
    }

    #[test]
    fn block_quote() {
        assert_eq!(
            markdown_to_plain("> quoted\n> more\n>\n> second\n\nafter"),
            "quoted more\n\nsecond\n\nafter"
        );
    }

    #[test]
    fn code_block() {
        let md = "Before:\n\n```rust\nfn main() {\n\tprintln!(\"hi\");\n}\n```\n\n    indented\n      code\n\nAfter.";
        assert_eq!(
            markdown_to_plain(md),
            "Before:\n\nfn main() {\n    println!(\"hi\");\n}\n\nindented\n  code\n\nAfter."
        );
    }

    #[test]
    fn code_block_blank_lines_collapse() {
        assert_eq!(markdown_to_plain("```\na\n\n\n\nb\n\n```\n"), "a\n\nb");
        assert_eq!(markdown_to_plain("```\n\n  \n\n```\n\nx"), "x");
    }

    #[test]
    fn table() {
        let md = "| Company | Share |\n|---|---:|\n| Alibaba | 36% |\n| *Tencent* |  |\n\nAfter.";
        assert_eq!(
            markdown_to_plain(md),
            "Company | Share\nAlibaba | 36%\nTencent |\n\nAfter."
        );
    }

    #[test]
    fn thematic_break_dropped() {
        assert_eq!(markdown_to_plain("a\n\n---\n\nb"), "a\n\nb");
    }

    #[test]
    fn html_dropped() {
        let md = "<div class=\"ad\">\nBuy now\n</div>\n\nText with <b>bold</b> and <!-- a comment -->.\n";
        assert_eq!(markdown_to_plain(md), "Text with bold and .");
    }

    #[test]
    fn escape_sequence_in_body_removed_whole() {
        assert_eq!(
            markdown_to_plain("a\x1b[31mred\x1b[0m b\n\nc\x1b]8;;http://x\x07d"),
            "ared b\n\ncd"
        );
        // A numeric character reference cannot smuggle one in either.
        assert_eq!(markdown_to_plain("x&#27;[31my&#x9b;1mz"), "xyz");
    }

    #[test]
    fn crlf_input() {
        assert_eq!(
            markdown_to_plain("one\r\ntwo\r\n\r\nthree\r\n"),
            "one two\n\nthree"
        );
        assert_eq!(markdown_to_plain("one\rtwo\r\rthree\r"), "one two\n\nthree");
    }

    #[test]
    fn many_blank_lines_collapse() {
        assert_eq!(
            markdown_to_plain("\n\none\n\n\n\n\ntwo\n\n\n"),
            "one\n\ntwo"
        );
    }

    #[test]
    fn blocks_that_clean_to_nothing_disappear() {
        assert_eq!(
            markdown_to_plain("a\n\n\u{200b}\u{202e}\n\n&#x2028;&#x2029;\n\nb"),
            "a\n\nb"
        );
        assert_eq!(markdown_to_plain("a\n\n&#x2029;b&#x2029;"), "a\n\nb");
    }

    #[test]
    fn nfc_and_tabs() {
        assert_eq!(markdown_to_plain("Cafe\u{301}"), "Café");
    }

    /// The body of an article file: everything after the second line that is exactly `+++`.
    fn body_of(source: &str) -> &str {
        let mut fences = 0;
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            offset += line.len();
            if line.trim_end_matches(['\r', '\n']) == "+++" {
                fences += 1;
                if fences == 2 {
                    return &source[offset..];
                }
            }
        }
        panic!("no front matter");
    }

    #[test]
    fn golden_seed_article() {
        let source = include_str!("../../content/alibaba-cloud-spin-off.md");
        let expected = include_str!("testdata/seed.plain.txt");
        let text = markdown_to_plain(body_of(source));
        assert_eq!(text, expected);
        assert_eq!(text.split("\n\n").count(), 27);
        assert!(!text.ends_with('\n'));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn plain_text_is_clean(s in "(\\PC|[\r\n\t\x1b\u{9b}\u{202e}]|[-*#>`|_~\\[\\]()!<&; ]){0,200}") {
            check(&s)?;
        }

        #[test]
        fn arbitrary_bodies_are_clean(s in any::<String>()) {
            check(&s)?;
        }

        #[test]
        fn prose_paragraphs_are_joined(paras in prop::collection::vec("[A-Za-z][A-Za-z0-9 ,.'\u{201c}\u{201d}\u{2014}\u{4e00}-\u{4e20}]{0,40}[A-Za-z0-9.]", 1..6)) {
            let md = paras.join("\n\n");
            prop_assert_eq!(markdown_to_plain(&md), md);
        }
    }

    fn check(s: &str) -> Result<(), TestCaseError> {
        let text = markdown_to_plain(s);
        prop_assert!(
            !text.chars().any(clean::is_forbidden),
            "forbidden char in {:?}",
            text
        );
        prop_assert!(!text.contains("\n\n\n"), "{:?}", text);
        prop_assert!(
            !text.starts_with('\n') && !text.ends_with(char::is_whitespace),
            "{:?}",
            text
        );
        prop_assert_eq!(markdown_to_plain(s), text);
        Ok(())
    }
}
