//! An article about to be written: its front matter and Markdown body, rendered to the bytes of a content
//! file the same way every time (so that an unchanged story gives the same bytes).

use crate::article::Published;
use crate::article::clean::clean_line;

/// An article made from a feed entry, a page or a file, not yet written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    /// The feed's or site's name.
    pub source: Option<String>,
    pub language: Option<String>,
    pub tags: Vec<String>,
    /// The body, Markdown.
    pub body: String,
    /// The body is only the text the feed gave; the entry's page is still to be fetched.
    pub summary_only: bool,
}

impl Draft {
    /// The content file: `+++` TOML front matter `+++`, a blank line, the body.
    pub fn render(&self) -> String {
        let mut out = String::from("+++\n");
        let mut key = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                out.push_str(&format!(
                    "{name} = {}\n",
                    toml::Value::String(value.to_owned())
                ));
            }
        };
        key("title", Some(&self.title));
        key("url", self.url.as_deref());
        key("author", self.author.as_deref());
        key("source", self.source.as_deref());
        key("language", self.language.as_deref());
        if let Some(published) = self.published {
            out.push_str(&format!("published = {published}\n"));
        }
        if !self.tags.is_empty() {
            let tags =
                toml::Value::Array(self.tags.iter().cloned().map(toml::Value::String).collect());
            out.push_str(&format!("tags = {tags}\n"));
        }
        if self.summary_only {
            out.push_str("summary_only = true\n");
        }
        out.push_str("+++\n\n");
        out.push_str(self.body.trim());
        out.push('\n');
        out
    }
}

/// An untrusted one-line field made inert; `None` when nothing is left.
pub fn line(text: &str) -> Option<String> {
    let text = clean_line(text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A publication date from a feed or page: RFC 3339, or a date at the start of the text.
pub fn published(text: &str) -> Option<Published> {
    let text = text.trim();
    Published::parse(text)
        .ok()
        .or_else(|| text.get(..10).and_then(|d| Published::parse(d).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    #[test]
    fn renders_a_file_that_parses_back() {
        let draft = Draft {
            title: "A \"quoted\" title".into(),
            url: Some("https://example.com/a".into()),
            author: Some("Yong Yi".into()),
            published: published("2023-11-20T10:00:00+08:00"),
            source: Some("KrASIA".into()),
            language: Some("en".into()),
            tags: vec!["china".into()],
            body: "Body text.\n".into(),
            summary_only: true,
        };
        let (article, unknown) = Article::parse("a", &draft.render()).unwrap();
        assert!(unknown.is_empty());
        assert_eq!(article.meta.title, "A \"quoted\" title");
        assert_eq!(
            article.meta.published.unwrap().to_string(),
            "2023-11-20T02:00:00Z"
        );
        assert_eq!(article.meta.tags, ["china"]);
        assert!(article.meta.summary_only);
        assert_eq!(article.text, "Body text.");
    }

    #[test]
    fn fields_are_made_inert() {
        assert_eq!(
            line("Red\u{1b}[31m  alert\n now").as_deref(),
            Some("Red alert now")
        );
        assert_eq!(line(" \u{1b}[0m "), None);
        assert_eq!(published("Mon, 20 Nov 2023"), None);
        assert_eq!(
            published("2023-11-20 10:00").unwrap().to_string(),
            "2023-11-20"
        );
    }
}
