//! The TOML export, exactly in the shape (`format`, `version`, `exported`, `offsets`, then
//! `[[article]]` with `[[article.annotation]]` tables), and parsing it back with `file:line:col` errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;
use toml::Spanned;
use toml::value::Datetime;

use super::model::{Annotation, AnnotationId};
use super::record::{RawAnnotation, write_annotation};
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
    pub exported: OffsetDateTime,
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

/// The TOML export of `articles` (written in the order given, annotations in text order).
pub fn export_toml(articles: &[ExportArticle], exported: OffsetDateTime) -> String {
    let mut w = TomlWriter::new();
    w.string("format", FORMAT)
        .raw("version", "1")
        .datetime("exported", exported)
        .raw(
            "offsets",
            &format!(
                "{:?}   # start/end count Unicode scalar values in the article's plain text",
                OFFSETS
            ),
        );
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
    exported: Datetime,
    offsets: Spanned<String>,
    #[serde(default)]
    article: Vec<RawArticle>,
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
    let exported =
        instant(&raw.exported).map_err(|m| fail(Location::START, format!("exported: {m}")))?;
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
        articles,
        duplicates,
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
