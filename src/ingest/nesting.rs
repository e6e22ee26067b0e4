//! Bounding how deep an HTML page nests before it is parsed: an HTML tree builder and Readability both do
//! work per element in proportion to its depth, so a page of 100,000 nested `<div>`s costs the square of
//! its size. One linear pass drops the start and end tags of elements opened below [`MAX_DEPTH`] (their
//! text is kept, in place), which real pages never reach, so a page under the cap comes out unchanged.

use std::collections::HashMap;

/// The deepest element kept. Real pages nest a few dozen levels; the deepest seen in the shared corpora's
/// sources is under 60.
pub const MAX_DEPTH: usize = 256;

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag may be left out (the parser closes them itself, so they are not counted).
const OPTIONAL_END: &[&str] = &[
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// `html` with the tags of elements nested deeper than `max` removed; unchanged when none are.
pub fn cap_nesting(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|at| i + at) {
        out.push_str(&html[i..lt]);
        let end = markup_end(html, lt);
        let tag = &html[lt..end];
        i = end;
        match parse_tag(tag) {
            Some(Tag::Start(name, self_closing)) => {
                if RAW_TEXT.contains(&name.as_str()) {
                    out.push_str(tag);
                    let close = raw_text_end(html, i, &name);
                    out.push_str(&html[i..close]);
                    i = close;
                } else if self_closing || !counted(&name) {
                    out.push_str(tag);
                } else if open.len() >= max {
                    *dropped.entry(name).or_insert(0) += 1;
                } else {
                    open.push(name);
                    out.push_str(tag);
                }
            }
            Some(Tag::End(name)) => match dropped.get_mut(&name) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    if let Some(at) = open.iter().rposition(|o| *o == name) {
                        open.truncate(at);
                    }
                    out.push_str(tag);
                }
            },
            None => out.push_str(tag),
        }
    }
    out.push_str(&html[i..]);
    out
}

/// Whether an element of this name counts towards the depth.
fn counted(name: &str) -> bool {
    !VOID.contains(&name) && !OPTIONAL_END.contains(&name)
}

enum Tag {
    /// A start tag's lower-case name and whether it ends with `/>`.
    Start(String, bool),
    End(String),
}

/// The start or end tag that `markup` (from `<` to its end) is, if it is one.
fn parse_tag(markup: &str) -> Option<Tag> {
    let (rest, end) = match markup.strip_prefix("</") {
        Some(rest) => (rest, true),
        None => (&markup[1..], false),
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(match end {
        true => Tag::End(name),
        false => Tag::Start(name, markup.ends_with("/>")),
    })
}

/// Where the markup that starts with the `<` at `lt` ends: after `-->` for a comment, after the first `>`
/// outside quotes for a tag, just after the `<` for a `<` that starts nothing.
fn markup_end(html: &str, lt: usize) -> usize {
    let rest = &html[lt..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or(html.len(), |at| lt + 4 + at + 3);
    }
    let starts_tag = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || "/!?".contains(c));
    if !starts_tag {
        return lt + 1;
    }
    // A quote opens an attribute value only right after `=` (spaces aside), as in the HTML tokenizer.
    let (mut quote, mut after_equals) = (None, false);
    for (at, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') if after_equals => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return lt + at + 1,
            _ => {}
        }
        if quote.is_none() && !c.is_ascii_whitespace() {
            after_equals = c == '=';
        }
    }
    html.len()
}

/// Where the raw text of a `name` element that starts at `from` ends: at its end tag, or the end.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = html[at..].find("</").map(|f| at + f) {
        let candidate = html.get(found + 2..found + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return found;
        }
        at = found + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_under_the_cap_is_unchanged() {
        let page = "<!doctype html><html><head><title>a <b> c</title><script>if (a<b) x = '</div>';</script>\
                    </head><body><div class=\"x>y\"><p>One<p>Two <img src=a.png> <br/>\
                    <!-- <div> --><ul><li>a<li>b</ul>3 < 4 <a title=it's>x</a></div></body></html>";
        assert_eq!(cap_nesting(page, 3), page);
        let nested = format!("{}text{}", "<div>".repeat(200), "</div>".repeat(200));
        assert_eq!(cap_nesting(&nested, MAX_DEPTH), nested);
    }

    #[test]
    fn deeper_tags_are_dropped_and_their_text_kept() {
        let deep = format!(
            "<div>{}deep text{}</div>after",
            "<span>".repeat(10),
            "</span>".repeat(10)
        );
        assert_eq!(
            cap_nesting(&deep, 3),
            "<div><span><span>deep text</span></span></div>after"
        );
    }

    #[test]
    fn a_hundred_thousand_nested_divs_are_bounded() {
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let capped = cap_nesting(&deep, MAX_DEPTH);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        // Unclosed, the same.
        let unclosed = "<div>".repeat(100_000);
        assert_eq!(
            cap_nesting(&unclosed, MAX_DEPTH).matches("<div>").count(),
            MAX_DEPTH
        );
    }
}
