//! Translations and their originals: which article an article translates (`translation_of = "ID"` in its
//! front matter, or an `original_url` equal to another article's `url`), which articles translate it, and
//! how their paragraphs pair up ([`align`]).
//!
//! ```
//! use newsgloss::translation::{Link, counterpart, Counterpart};
//! let original = Link { id: "zh/chips".into(), url: Some("https://example.cn/chips".into()), ..Link::default() };
//! let translation = Link { id: "chips".into(), original_url: Some("HTTPS://example.cn/chips/".into()), ..Link::default() };
//! let all = [original.clone(), translation.clone()];
//! assert_eq!(counterpart(&translation, &all).unwrap(), Counterpart::Original(&all[0]));
//! assert_eq!(counterpart(&original, &all).unwrap(), Counterpart::Translation(&all[1]));
//! ```

pub mod align;

use std::ops::Range;
use std::path::Path;

use crate::article::clean::clean_line;
use crate::article::{Article, FrontMatter};
use crate::content;

pub use align::Bead;

/// What an article says about where it comes from and where it can be found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub url: Option<String>,
    pub original_url: Option<String>,
    pub translation_of: Option<String>,
}

impl Link {
    pub fn of(id: &str, meta: &FrontMatter) -> Link {
        Link {
            id: id.to_owned(),
            url: meta.url.clone(),
            original_url: meta.original_url.clone(),
            translation_of: meta.translation_of.clone(),
        }
    }
}

/// The article read beside another: the one it translates, or one that translates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterpart<'a> {
    Original(&'a Link),
    Translation(&'a Link),
}

impl<'a> Counterpart<'a> {
    pub fn link(self) -> &'a Link {
        match self {
            Counterpart::Original(l) | Counterpart::Translation(l) => l,
        }
    }

    pub fn role(self) -> Role {
        match self {
            Counterpart::Original(_) => Role::Original,
            Counterpart::Translation(_) => Role::Translation,
        }
    }
}

/// What the other article of a pair is to the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Original,
    Translation,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Original => "original",
            Role::Translation => "translation",
        }
    }

    /// What the first article is to the other.
    pub fn flipped(self) -> Role {
        match self {
            Role::Original => Role::Translation,
            Role::Translation => Role::Original,
        }
    }
}

/// Why an article has no article to be read beside.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslationError {
    #[error(
        "article {article:?} names its original {original:?} (translation_of), but there is no article with that id"
    )]
    UnknownOriginal { article: String, original: String },
    #[error("article {article:?} names itself as its original (translation_of)")]
    OwnOriginal { article: String },
    #[error(
        "article {article:?} has original_url {url:?}, but no article in the content dir has that url"
    )]
    OriginalNotHere { article: String, url: String },
    #[error(
        "article {article:?} has no original and no translation (set translation_of or original_url in a translation's front matter)"
    )]
    Unpaired { article: String },
    #[error("no article with id {0:?}")]
    NoSuchArticle(String),
    #[error("{0}")]
    Unreadable(String),
}

/// A URL as compared: trimmed, scheme and host lower-cased, without a trailing slash.
pub fn normalise_url(url: &str) -> String {
    let url = url.trim();
    let url = url.strip_suffix('/').unwrap_or(url);
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_owned(),
    }
}

/// The article `article` translates: `translation_of` wins; otherwise the article whose `url` is its
/// `original_url` (`None` when it names no original).
pub fn original_of<'a>(
    article: &Link,
    all: &'a [Link],
) -> Result<Option<&'a Link>, TranslationError> {
    if let Some(original) = &article.translation_of {
        if *original == article.id {
            return Err(TranslationError::OwnOriginal {
                article: article.id.clone(),
            });
        }
        return all
            .iter()
            .find(|l| l.id == *original)
            .map(Some)
            .ok_or_else(|| TranslationError::UnknownOriginal {
                article: article.id.clone(),
                original: original.clone(),
            });
    }
    let Some(url) = &article.original_url else {
        return Ok(None);
    };
    let wanted = normalise_url(url);
    all.iter()
        .filter(|l| l.id != article.id)
        .find(|l| l.url.as_deref().is_some_and(|u| normalise_url(u) == wanted))
        .map(Some)
        .ok_or_else(|| TranslationError::OriginalNotHere {
            article: article.id.clone(),
            url: url.clone(),
        })
}

/// The articles that translate `article`, in id order.
pub fn translations_of<'a>(article: &Link, all: &'a [Link]) -> Vec<&'a Link> {
    let url = article.url.as_deref().map(normalise_url);
    let mut found: Vec<&Link> = all
        .iter()
        .filter(|l| l.id != article.id)
        .filter(|l| match (&l.translation_of, &l.original_url, &url) {
            (Some(original), _, _) => *original == article.id,
            (None, Some(original_url), Some(url)) => normalise_url(original_url) == *url,
            _ => false,
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// The article to read beside `article`: its original when it names one, else its first translation.
pub fn counterpart<'a>(
    article: &Link,
    all: &'a [Link],
) -> Result<Counterpart<'a>, TranslationError> {
    let original = original_of(article, all);
    if let Ok(Some(original)) = original {
        return Ok(Counterpart::Original(original));
    }
    if let Some(first) = translations_of(article, all).first() {
        return Ok(Counterpart::Translation(first));
    }
    match original {
        Err(e) => Err(e),
        _ => Err(TranslationError::Unpaired {
            article: article.id.clone(),
        }),
    }
}

/// Every article's [`Link`] in the content dir (files that do not parse are passed over: they cannot be
/// read beside anything).
pub fn links(content_dir: &Path, max_bytes: u64) -> Result<Vec<Link>, TranslationError> {
    let scan =
        content::scan(content_dir).map_err(|e| TranslationError::Unreadable(e.to_string()))?;
    Ok(scan
        .files
        .iter()
        .filter_map(|f| {
            crate::article::load_front_matter(&f.path, max_bytes)
                .ok()
                .map(|meta| Link::of(&f.id, &meta))
        })
        .collect())
}

/// An article and the one read beside it, with their paragraphs paired.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub article: Article,
    pub other: Article,
    /// What `other` is to `article`.
    pub role: Role,
    pub beads: Vec<Bead>,
}

impl Pair {
    /// Pairs the paragraphs of two articles.
    pub fn new(article: Article, other: Article, role: Role) -> Pair {
        let beads = align_texts(&article.text, &other.text);
        Pair {
            article,
            other,
            role,
            beads,
        }
    }

    /// Loads `article`'s counterpart from the content dir and pairs them.
    pub fn load(
        content_dir: &Path,
        article: Article,
        max_bytes: u64,
    ) -> Result<Pair, TranslationError> {
        let all = links(content_dir, max_bytes)?;
        let link = Link::of(&article.id, &article.meta);
        let found = counterpart(&link, &all)?;
        let id = &found.link().id;
        let path = content::path_of(content_dir, id)
            .ok_or_else(|| TranslationError::NoSuchArticle(clean_line(id)))?;
        let (other, _) = Article::load(id, &path, max_bytes)
            .map_err(|e| TranslationError::Unreadable(e.to_string()))?;
        Ok(Pair::new(article, other, found.role()))
    }
}

/// The paragraph alignment of two plain texts.
pub fn align_texts(left: &str, right: &str) -> Vec<Bead> {
    let lengths = |text: &str| -> Vec<f64> {
        paragraphs(text)
            .iter()
            .map(|p| align::weighted_len(&text[p.bytes.clone()]))
            .collect()
    };
    align::align(&lengths(left), &lengths(right))
}

/// One paragraph of a plain text (the blocks between blank lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub bytes: Range<usize>,
    /// In Unicode scalar values, as annotation offsets count.
    pub chars: Range<usize>,
}

/// The paragraphs of a plain text: the blocks separated by a blank line (`\n\n`).
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let (mut byte, mut char) = (0, 0);
    for block in text.split("\n\n") {
        let chars = block.chars().count();
        if !block.trim().is_empty() {
            out.push(Paragraph {
                bytes: byte..byte + block.len(),
                chars: char..char + chars,
            });
        }
        byte += block.len() + 2;
        char += chars + 2;
    }
    out
}

#[cfg(test)]
mod tests;
