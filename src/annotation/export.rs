//! The TOML export, exactly in the shape (`format`, `version`, `exported`, `offsets`, then
//! `[[tags]]` for the vocabulary of the tags it uses, `[[article]]` with `[[article.annotation]]` tables),
//! and parsing it back with `file:line:col` errors.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;
use toml::Spanned;
use toml::value::Datetime;

use super::model::{Annotation, AnnotationId};
use super::record::{RawAnnotation, write_annotation};
use super::tags::TagInfo;
use super::toml_text::{TomlWriter, instant};
use crate::article::clean::{clean_line, quoted};
use crate::article::{Article, Location, Locator, Published};
use crate::content::shown;

/// The value of `format` in an export.
pub const FORMAT: &str = "newsgloss-annotations";
/// The value of `offsets`: what `start` and `end` count.
pub const OFFSETS: &str = "unicode-scalar";

/// One article in an export, with what is known about it and its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportArticle {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub original_source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    pub annotations: Vec<Annotation>,
}

impl ExportArticle {
    /// `article`'s metadata with `annotations`.
    pub fn of(article: &Article, annotations: Vec<Annotation>) -> ExportArticle {
        let meta = &article.meta;
        ExportArticle {
            id: article.id.clone(),
            title: meta.title.clone(),
            source: meta.source.clone(),
            original_source: meta.original_source.clone(),
            url: meta.url.clone(),
            author: meta.author.clone(),
            published: meta.published,
            annotations,
        }
    }

    /// Annotations of an article that is no longer in the content dir (its id stands in for the title).
    pub fn missing(id: &str, annotations: Vec<Annotation>) -> ExportArticle {
        ExportArticle {
            id: id.to_owned(),
            title: id.to_owned(),
            source: None,
            original_source: None,
            url: None,
            author: None,
            published: None,
            annotations,
        }
    }
}

/// A parsed export.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// When it was written; `None` for an export written without a timestamp (to be reproducible).
    pub exported: Option<OffsetDateTime>,
    /// The vocabulary of the tags it uses (`[[tags]]`): name, description and colour.
    pub tags: Vec<TagInfo>,
    pub articles: Vec<ExportArticle>,
    /// Annotations whose id an earlier one in the file has already (all are kept for the merge to judge).
    pub duplicates: Vec<DuplicateId>,
}

/// An annotation table of an export whose id appeared before in the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateId {
    pub id: AnnotationId,
    /// Where the repeat starts.
    pub at: Location,
    /// Where the first annotation with this id starts.
    pub first: Location,
}

/// The TOML export of `articles` (written in the order given, annotations in text order); `exported`
/// may be `None`, for an export that is the same bytes whenever the store is the same.
pub fn export_toml(
    articles: &[ExportArticle],
    exported: impl Into<Option<OffsetDateTime>>,
) -> String {
    export_toml_with_tags(articles, exported, &[])
}

/// The TOML export with the vocabulary of the tags it uses: one `[[tags]]` table for each of `tags`
/// that an annotation of `articles` carries, in name order.
pub fn export_toml_with_tags(
    articles: &[ExportArticle],
    exported: impl Into<Option<OffsetDateTime>>,
    tags: &[TagInfo],
) -> String {
    let mut w = TomlWriter::new();
    w.string("format", FORMAT).raw("version", "1");
    if let Some(exported) = exported.into() {
        w.datetime("exported", exported);
    }
    w.raw(
        "offsets",
        &format!(
            "{:?}   # start/end count Unicode scalar values in the article's plain text",
            OFFSETS
        ),
    );
    write_vocabulary(&mut w, articles, tags);
    for article in articles {
        w.table_array("article");
        w.string("id", &article.id)
            .string("title", &article.title)
            .optional("source", article.source.as_deref())
            .optional("original_source", article.original_source.as_deref())
            .optional("url", article.url.as_deref())
            .optional("author", article.author.as_deref());
        if let Some(published) = article.published {
            w.raw("published", &published.to_string());
        }
        let mut annotations: Vec<&Annotation> = article.annotations.iter().collect();
        annotations.sort_by_key(|a| a.position_key());
        for annotation in annotations {
            w.table_array("article.annotation");
            write_annotation(&mut w, annotation);
        }
    }
    w.finish()
}

/// The `[[tags]]` tables of the tags in `tags` that `articles` use, in name order.
fn write_vocabulary(w: &mut TomlWriter, articles: &[ExportArticle], tags: &[TagInfo]) {
    let used: BTreeSet<&str> = articles
        .iter()
        .flat_map(|a| &a.annotations)
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .collect();
    let mut described: Vec<&TagInfo> = tags
        .iter()
        .filter(|t| used.contains(t.name.as_str()))
        .collect();
    described.sort_by(|a, b| a.name.cmp(&b.name));
    described.dedup_by(|a, b| a.name == b.name);
    for tag in described {
        w.table_array("tags");
        w.string("name", &tag.name);
        if !tag.description.is_empty() {
            w.string("description", &tag.description);
        }
        w.optional("color", tag.color.as_deref());
    }
}

/// An export that cannot be read; displays as `path:line:col: problem`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{location}: {message}", shown(path))]
pub struct ExportError {
    pub path: PathBuf,
    pub location: Location,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExport {
    format: Spanned<String>,
    version: Spanned<i64>,
    exported: Option<Datetime>,
    offsets: Spanned<String>,
    #[serde(default)]
    tags: Vec<Spanned<RawTag>>,
    #[serde(default)]
    article: Vec<RawArticle>,
}

/// A `[[tags]]` table: a tag of the vocabulary the export uses.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    name: String,
    #[serde(default)]
    description: String,
    color: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    id: Spanned<String>,
    title: String,
    source: Option<String>,
    original_source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    published: Option<Spanned<Datetime>>,
    #[serde(default)]
    annotation: Vec<Spanned<RawAnnotation>>,
}

/// Parses the bytes of the export file at `path` (named in errors).
pub fn parse_export(bytes: &[u8], path: &Path) -> Result<Exported, ExportError> {
    let fail = |location, message: String| ExportError {
        path: path.to_owned(),
        location,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(
            Location::of_byte(bytes, e.valid_up_to()),
            "not UTF-8".into(),
        )
    })?;
    let locator = Locator::new(text);
    let at = |offset: usize| locator.locate(offset);
    let raw: RawExport = toml::from_str(text)
        .map_err(|e| fail(at(e.span().map_or(0, |s| s.start)), clean_line(e.message())))?;
    let checks = [
        (
            raw.format.get_ref() == FORMAT,
            raw.format.span().start,
            format!("`format` must be {FORMAT:?}"),
        ),
        (
            *raw.version.get_ref() == 1,
            raw.version.span().start,
            "only `version = 1` is known".into(),
        ),
        (
            raw.offsets.get_ref() == OFFSETS,
            raw.offsets.span().start,
            format!("`offsets` must be {OFFSETS:?}"),
        ),
    ];
    if let Some((_, offset, message)) = checks.into_iter().find(|c| !c.0) {
        return Err(fail(at(offset), message));
    }
    let exported = match &raw.exported {
        Some(at) => Some(instant(at).map_err(|m| fail(Location::START, format!("exported: {m}")))?),
        None => None,
    };
    let mut tags = Vec::with_capacity(raw.tags.len());
    for tag in raw.tags {
        let location = at(tag.span().start);
        tags.push(check_tag(tag.into_inner()).map_err(|m| fail(location, m))?);
    }
    let mut articles = Vec::with_capacity(raw.article.len());
    let mut first_seen: HashMap<AnnotationId, Location> = HashMap::new();
    let mut duplicates = Vec::new();
    for article in raw.article {
        let (article, locations) = check_article(article, &at).map_err(|(l, m)| fail(l, m))?;
        for (annotation, location) in article.annotations.iter().zip(locations) {
            match first_seen.get(&annotation.id) {
                Some(&first) => duplicates.push(DuplicateId {
                    id: annotation.id,
                    at: location,
                    first,
                }),
                None => {
                    first_seen.insert(annotation.id, location);
                }
            }
        }
        articles.push(article);
    }
    Ok(Exported {
        exported,
        tags,
        articles,
        duplicates,
    })
}

/// A checked `[[tags]]` entry: a well-formed name, a one-line description and colour.
fn check_tag(raw: RawTag) -> Result<TagInfo, String> {
    if !crate::config::is_tag_name(&raw.name) {
        return Err(format!(
            "tag {} is not a tag name (lower-case kebab-case: a-z, 0-9, -)",
            quoted(&raw.name)
        ));
    }
    Ok(TagInfo {
        name: raw.name,
        description: clean_line(&raw.description),
        color: raw.color.map(|c| clean_line(&c)).filter(|c| !c.is_empty()),
        known: false,
    })
}

/// The checked article, with where each of its annotations starts.
fn check_article(
    raw: RawArticle,
    at: &impl Fn(usize) -> Location,
) -> Result<(ExportArticle, Vec<Location>), (Location, String)> {
    let id_at = at(raw.id.span().start);
    let id = raw.id.into_inner();
    if crate::content::path_of(Path::new(""), &id).is_none() {
        return Err((id_at, format!("{} is not an article id", quoted(&id))));
    }
    let published = match raw.published {
        Some(p) => Some(Published::from_toml(p.get_ref()).map_err(|m| (at(p.span().start), m))?),
        None => None,
    };
    let mut annotations = Vec::with_capacity(raw.annotation.len());
    let mut locations = Vec::with_capacity(raw.annotation.len());
    for spanned in raw.annotation {
        let location = at(spanned.span().start);
        annotations.push(spanned.into_inner().check(&id).map_err(|m| (location, m))?);
        locations.push(location);
    }
    let line = |field: Option<String>| field.map(|f| clean_line(&f));
    let article = ExportArticle {
        id,
        title: clean_line(&raw.title),
        source: line(raw.source),
        original_source: line(raw.original_source),
        url: line(raw.url),
        author: line(raw.author),
        published,
        annotations,
    };
    Ok((article, locations))
}
