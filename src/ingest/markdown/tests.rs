//! HTML to Markdown: structure kept, markup that is not text dropped, links filtered, text escaped, and
//! the Markdown reading back as the same plain text.

use super::*;
use crate::article::plain::markdown_to_plain;

fn md(html: &str) -> String {
    let base = Url::parse("https://example.com/news/story.html").unwrap();
    html_to_markdown(html, Some(&base))
}

#[test]
fn structure_survives() {
    let out = md(
        "<h2>Chips</h2><p>US <em>export</em> rules on <strong>advanced</strong> chips.</p>\
        <ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol><blockquote><p>Quoted.</p></blockquote>\
        <pre><code>let x = 1;</code></pre>",
    );
    assert_eq!(
        out,
        "## Chips\n\nUS *export* rules on **advanced** chips.\n\n- One\n\n- Two\n\n1. First\n\n> Quoted.\n\n\
         ```\nlet x = 1;\n```"
    );
}

#[test]
fn hostile_markup_does_not_survive() {
    let out = md(
        "<p>Hi<script>alert(1)</script><style>p{}</style> there\u{1b}[31m</p>\
        <p><a href=\"javascript:alert(1)\">bad</a> <a href=\"/a\">good</a> <a href=\"data:x\">d</a></p>\
        <iframe src=\"https://evil\"></iframe><img src=x onerror=alert(1)>",
    );
    assert!(!out.contains("alert"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(!out.contains("javascript"), "{out}");
    assert!(out.contains("[good](<https://example.com/a>)"), "{out}");
    assert!(out.contains("bad "), "{out}");
}

#[test]
fn text_stays_text() {
    let html = "<p>1. Not a list *nor* emphasis &lt;b&gt;raw&lt;/b&gt; [x](y) `c` # no</p><p># not a heading</p>";
    let plain = markdown_to_plain(&md(html));
    assert_eq!(
        plain,
        "1. Not a list *nor* emphasis <b>raw</b> [x](y) `c` # no\n\n# not a heading"
    );
}

#[test]
fn tables_and_plain_text() {
    let out = md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2|3</td></tr></table>");
    assert_eq!(out, "| A | B |\n| --- | --- |\n| 1 | 2\\|3 |");
    assert_eq!(
        text_to_markdown("Line *one*\nline two\n\n- not a list\n\n\n"),
        "Line \\*one\\*\nline two\n\n\\- not a list"
    );
}

#[test]
fn spaces_around_inline_elements_are_kept() {
    assert_eq!(
        md("<p>a<em> b</em>c <a href=\"x\">d </a>e</p>"),
        "a *b*c [d](<https://example.com/news/x>) e"
    );
}
