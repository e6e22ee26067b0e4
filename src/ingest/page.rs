//! Extracting the article from an HTML page in-process with `dom_smoothie` (Mozilla's Readability, in
//! Rust): its title, byline, date, language and site name from the page's metadata, and its body as
//! Markdown.

use dom_smoothie::{Config, Readability};
use url::Url;

use super::draft::{Draft, line, published};
use super::markdown::html_to_markdown;
use super::nesting::{MAX_DEPTH, cap_nesting};
use crate::article::clean::strip_controls;

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("no article found on the page")]
    NoArticle,
    #[error("the page could not be read: {0}")]
    Unreadable(String),
}

/// The article on a page at `url` (used to resolve links, and as the article's `url`).
pub fn extract(html: &str, url: Option<&Url>) -> Result<Draft, PageError> {
    let config = Config {
        max_elements_to_parse: 200_000,
        ..Config::default()
    };
    let document_url = url.map(Url::as_str);
    // Escape sequences go whole before the parser sees them (it would drop the ESC and keep the rest), and
    // nesting is bounded so that the work stays linear in the page's size.
    let html = cap_nesting(&strip_controls(html), MAX_DEPTH);
    let mut readability = Readability::new(html.as_str(), document_url, Some(config))
        .map_err(|e| PageError::Unreadable(e.to_string()))?;
    if !readability.is_probably_readable() {
        return Err(PageError::NoArticle);
    }
    let article = readability.parse().map_err(|e| match e {
        dom_smoothie::ReadabilityError::GrabFailed => PageError::NoArticle,
        other => PageError::Unreadable(other.to_string()),
    })?;
    let body = html_to_markdown(&article.content, url);
    if body.trim().is_empty() {
        return Err(PageError::NoArticle);
    }
    Ok(Draft {
        title: line(&article.title).unwrap_or_else(|| "Untitled".to_owned()),
        url: url.map(Url::to_string),
        author: article.byline.as_deref().and_then(line),
        published: article.published_time.as_deref().and_then(published),
        source: article.site_name.as_deref().and_then(line),
        language: article.lang.as_deref().and_then(language),
        tags: Vec::new(),
        body,
        summary_only: false,
    })
}

/// A language tag as given by a page (`en-US`, `zh_CN`), or `None` when it is not one.
pub fn language(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let well_formed = !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    well_formed.then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head><title>Chips &amp; rules | Site</title>
        <meta property="og:site_name" content="Example News">
        <meta name="author" content="Yong Yi">
        <meta property="article:published_time" content="2023-11-20T10:00:00+08:00">
        <script>var tracking = 1;</script></head><body><nav><a href="/">Home</a></nav>
        <article><h1>Chips &amp; rules</h1>
        <p>The United States tightened its export restrictions on advanced computing chips this week,
        a move that analysts say will reshape the market for cloud computing in China for years.</p>
        <p>Cloud providers had stockpiled accelerators ahead of the rules, according to three people
        familiar with the matter, and are now rationing capacity among their largest customers.</p>
        </article><footer>Copyright</footer></body></html>"#;

    #[test]
    fn the_article_and_its_metadata() {
        let url = Url::parse("https://example.com/chips").unwrap();
        let draft = extract(PAGE, Some(&url)).unwrap();
        assert!(draft.title.starts_with("Chips & rules"), "{}", draft.title);
        assert_eq!(draft.author.as_deref(), Some("Yong Yi"));
        assert_eq!(draft.source.as_deref(), Some("Example News"));
        assert_eq!(draft.language.as_deref(), Some("en-GB"));
        assert_eq!(draft.published.unwrap().to_string(), "2023-11-20T02:00:00Z");
        assert!(
            draft.body.contains("tightened its export restrictions"),
            "{}",
            draft.body
        );
        assert!(!draft.body.contains("tracking"));
    }

    #[test]
    fn escape_sequences_in_a_page_leave_no_residue() {
        let hostile = PAGE
            .replace("Chips &amp; rules | Site", "Chips\x1b]0;TITLE\x07 rules")
            .replace(
                "this week,",
                "this\x1b]52;c;ZXZpbA==\x07 week\x1b[31m,\u{9b}1m",
            );
        let draft = extract(&hostile, None).unwrap();
        for text in [&draft.title, &draft.body] {
            assert!(
                !text.contains("]0;")
                    && !text.contains("52;c")
                    && !text.contains("[31m")
                    && !text.contains("1m"),
                "{text}"
            );
        }
        assert!(draft.body.contains("this week,"), "{}", draft.body);
    }

    #[test]
    fn a_hundred_thousand_nested_divs_give_a_bounded_result() {
        // 1.1 MB; without the depth cap this took 35 s, here a fraction of a second (see the README).
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        assert_eq!(extract(&deep, None), Err(PageError::NoArticle));
        let deep_article = PAGE.replace(
            "<article>",
            &format!("<article>{}", "<div>".repeat(100_000)),
        );
        let draft = extract(&deep_article, None).unwrap();
        assert!(
            draft.body.contains("tightened its export restrictions"),
            "{}",
            draft.body
        );
    }

    #[test]
    fn a_page_without_an_article() {
        let page = "<html><body><nav><a href=\"/\">Home</a></nav></body></html>";
        assert_eq!(extract(page, None), Err(PageError::NoArticle));
    }
}
