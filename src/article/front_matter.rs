//! The TOML front matter between the two `+++` lines at the top of an article file.

use std::fmt;

use serde::Deserialize;

use super::clean::clean_line;
use super::{ArticleError, Location, Locator, Published};

/// The keys the front matter knows; any other key is reported and ignored.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "source",
    "url",
    "author",
    "published",
    "original_source",
    "original_url",
    "original_title",
    "language",
    "tags",
    "translation_of",
    "summary_only",
];

/// An article's metadata. Every string is inert (see [`super::clean`]) and on one line.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    pub original_source: Option<String>,
    pub original_url: Option<String>,
    pub original_title: Option<String>,
    /// BCP 47 language tag; `en` when not given.
    pub language: String,
    /// Article-level tags.
    pub tags: Vec<String>,
    /// The id of the article this one translates.
    pub translation_of: Option<String>,
    /// The body is only the text a feed gave (a summary or teaser): the page could not be fetched yet.
    pub summary_only: bool,
}

/// A front-matter key newsgloss does not know (reported as a warning, never an error).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownKey {
    pub key: String,
    pub location: Location,
}

impl fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: unknown front-matter key `{}` (ignored)",
            self.location,
            clean_line(&self.key)
        )
    }
}

#[derive(Deserialize)]
struct Raw {
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    published: Option<toml::Value>,
    original_source: Option<String>,
    original_url: Option<String>,
    original_title: Option<String>,
    language: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    translation_of: Option<String>,
    #[serde(default)]
    summary_only: bool,
}

/// Splits a file into front matter and body, and parses the front matter.
pub(super) fn split_and_parse(
    source: &str,
) -> Result<(FrontMatter, Vec<UnknownKey>, &str), ArticleError> {
    let (toml_text, body) = split(source)?;
    // The front matter starts on line 2 of the file.
    let locator = Locator::new(toml_text);
    let locate = |offset: usize| locator.locate(offset).below(1);
    let table = toml::de::DeTable::parse(toml_text).map_err(|e| bad_toml(&e, &locate))?;
    let unknown = table
        .get_ref()
        .keys()
        .filter(|key| !KNOWN_KEYS.contains(&key.get_ref().as_ref()))
        .map(|key| UnknownKey {
            key: key.get_ref().to_string(),
            location: locate(key.span().start),
        })
        .collect();
    let raw =
        Raw::deserialize(toml::Deserializer::from(table)).map_err(|e| bad_toml(&e, &locate))?;
    let key_location = |key: &str| locate(find_key(toml_text, key));
    let meta = FrontMatter::from_raw(raw, &key_location)?;
    Ok((meta, unknown, body))
}

fn bad_toml(error: &toml::de::Error, locate: &dyn Fn(usize) -> Location) -> ArticleError {
    let location = locate(error.span().map_or(0, |span| span.start));
    let message = error.message().trim().replace('\n', " ");
    ArticleError::BadToml(location, clean_line(&message))
}

/// The byte offset of the line that sets `key`, for messages about a value (0 when not found).
fn find_key(toml_text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in toml_text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

/// The byte range of the TOML between the two `+++` lines of `source` (for editing it in place).
pub(super) fn split_offsets(source: &str) -> Result<(usize, usize), ArticleError> {
    let (toml_text, _) = split(source)?;
    let start = toml_text.as_ptr() as usize - source.as_ptr() as usize;
    Ok((start, start + toml_text.len()))
}

/// Splits `+++\n<toml>\n+++\n<body>`; a leading byte-order mark is allowed.
fn split(source: &str) -> Result<(&str, &str), ArticleError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = source.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(ArticleError::NoFrontMatter(Location::START));
    }
    let toml_start = first.len();
    let mut offset = toml_start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok((&source[toml_start..offset], &source[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(ArticleError::UnterminatedFrontMatter(Location::START))
}

impl FrontMatter {
    fn from_raw(
        raw: Raw,
        key_location: &dyn Fn(&str) -> Location,
    ) -> Result<FrontMatter, ArticleError> {
        let line = |value: Option<String>| value.map(|v| clean_line(&v)).filter(|v| !v.is_empty());
        let title = line(raw.title).ok_or(ArticleError::NoTitle(Location::START))?;
        let published = match raw.published {
            None => None,
            Some(toml::Value::Datetime(dt)) => Some(Published::from_toml(&dt)),
            Some(toml::Value::String(s)) => Some(Published::parse(&s)),
            Some(other) => Some(Err(format!(
                "`published` must be a date or date-time, not a {}",
                other.type_str()
            ))),
        }
        .transpose()
        .map_err(|message| ArticleError::BadToml(key_location("published"), message))?;
        Ok(FrontMatter {
            title,
            source: line(raw.source),
            url: line(raw.url),
            author: line(raw.author),
            published,
            original_source: line(raw.original_source),
            original_url: line(raw.original_url),
            original_title: line(raw.original_title),
            language: line(raw.language).unwrap_or_else(|| "en".to_owned()),
            tags: raw
                .tags
                .iter()
                .map(|t| clean_line(t))
                .filter(|t| !t.is_empty())
                .collect(),
            translation_of: line(raw.translation_of),
            summary_only: raw.summary_only,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Result<(FrontMatter, Vec<UnknownKey>, &str), ArticleError> {
        split_and_parse(source)
    }

    #[test]
    fn all_keys() {
        let source = "+++\ntitle = \"T\"\nsource = \"KrASIA\"\nurl = \"https://example.com/a\"\n\
            author = \"Yong Yi\"\npublished = 2023-11-20\noriginal_source = \"36Kr\"\n\
            original_url = \"https://example.com/o\"\noriginal_title = \"O\"\nlanguage = \"zh\"\n\
            tags = [\"a\", \"b\"]\nsummary_only = true\n+++\n\nBody.\n";
        let (meta, unknown, body) = parse(source).unwrap();
        assert!(unknown.is_empty());
        assert_eq!(meta.title, "T");
        assert_eq!(meta.source.as_deref(), Some("KrASIA"));
        assert_eq!(meta.published.unwrap().to_string(), "2023-11-20");
        assert_eq!(meta.language, "zh");
        assert_eq!(meta.tags, ["a", "b"]);
        assert!(meta.summary_only);
        assert_eq!(body, "\nBody.\n");
    }

    #[test]
    fn language_defaults_to_english_and_crlf_works() {
        let (meta, _, body) = parse("+++\r\ntitle = \"T\"\r\n+++\r\nBody").unwrap();
        assert_eq!(meta.language, "en");
        assert!(!meta.summary_only);
        assert_eq!(body, "Body");
    }

    #[test]
    fn unknown_keys_warn_with_their_place() {
        let (_, unknown, _) = parse("+++\ntitle = \"T\"\n  colour = 3\n+++\n").unwrap();
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            unknown[0].to_string(),
            "3:3: unknown front-matter key `colour` (ignored)"
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = |s| parse(s).unwrap_err().to_string();
        assert!(err("title = \"T\"\n").starts_with("1:1: no front matter"));
        assert!(err("+++\ntitle = \"T\"\n").starts_with("1:1: front matter is not closed"));
        assert!(err("+++\nsource = \"S\"\n+++\n").contains("no `title`"));
        assert!(err("+++\ntitle = \"\\u001b[31m\"\n+++\n").contains("no `title`"));
        let bad = err("+++\ntitle = \"T\"\nauthor = [\n+++\n");
        assert!(bad.starts_with("3:"), "{bad}");
        let wrong_type = err("+++\ntitle = \"T\"\ntags = 3\n+++\n");
        assert!(wrong_type.starts_with("3:"), "{wrong_type}");
        let date = err("+++\ntitle = \"T\"\n\npublished = \"soon\"\n+++\n");
        assert!(date.starts_with("4:1:"), "{date}");
    }

    #[test]
    fn published_outside_the_years_of_rfc_3339_is_an_error() {
        // Found by fuzzing: an offset that takes the instant past 9999 or before 0000 in UTC panicked.
        for published in [
            "9999-12-31T23:59:59-01:00",
            "0000-01-01T00:00:00+00:01",
            "\"9999-12-31T23:30:00-00:31\"",
            "\"0000-01-01T00:00:00.5+23:59\"",
        ] {
            let source = format!("+++\ntitle = \"T\"\npublished = {published}\n+++\n");
            let err = parse(&source).unwrap_err().to_string();
            assert!(err.starts_with("3:1: front matter: "), "{err}");
            assert!(err.contains("0000 to 9999"), "{err}");
        }
        let (meta, _, _) =
            parse("+++\ntitle = \"T\"\npublished = 9999-12-31T23:59:59Z\n+++\n").unwrap();
        assert_eq!(meta.published.unwrap().to_string(), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn strings_are_made_inert() {
        let (meta, _, _) =
            parse("+++\ntitle = \"Red\\u001b[31m alert\\u202e\\nnow\"\n+++\n").unwrap();
        assert_eq!(meta.title, "Red alert now");
    }
}
