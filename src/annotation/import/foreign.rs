//! Annotations from other tools (Hypothesis's JSON, W3C Web Annotation JSON) as rows, read from a file
//! whose format is detected, then placed on the articles they quote: by article id when the row names one,
//! else by the article whose `url` is the row's (compared as translations compare URLs), through the usual
//! anchoring. A row that cannot be placed is a [`RowFailure`], never dropped silently.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use uuid::{Builder, Uuid};

use super::super::anchor::{Placement, anchor};
use super::super::export::{ExportArticle, ExportError, Exported, parse_export};
use super::super::model::{Annotation, AnnotationId, Person, context_of, dedup, to_millis};
use crate::article::clean::{clean_line, quoted};
use crate::content::shown;
use crate::translation::{Link, normalise_url};

/// A format `newsgloss import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// newsgloss's own TOML export.
    Toml,
    /// Hypothesis's API rows (an array, or the search API's `{ "rows": [...] }`).
    Hypothesis,
    /// W3C Web Annotation JSON: one annotation, an array, an `AnnotationCollection` or `AnnotationPage`.
    WebAnnotation,
}

impl ImportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Toml => "a newsgloss TOML export",
            ImportFormat::Hypothesis => "Hypothesis JSON",
            ImportFormat::WebAnnotation => "W3C Web Annotation JSON",
        }
    }
}

/// An import file as read: the TOML export, or rows of another tool with the rows that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportFile {
    Toml(Exported),
    Rows {
        format: ImportFormat,
        rows: Vec<Row>,
        failures: Vec<RowFailure>,
    },
}

/// A file `newsgloss import` cannot read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Toml(#[from] ExportError),
    #[error(
        "{}{detail} is in no format newsgloss imports (a newsgloss TOML export, W3C Web Annotation JSON, or Hypothesis JSON)",
        shown(path)
    )]
    Unknown { path: PathBuf, detail: String },
}

/// One annotation of another tool, before it is placed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Its place in the file, counting from 1.
    pub index: usize,
    /// Its id in the file, when it has one (named in messages, and the seed of its newsgloss id).
    pub foreign_id: Option<String>,
    /// Its newsgloss id, when the file's id is one.
    pub id: Option<AnnotationId>,
    /// The newsgloss article it names, when it comes from newsgloss.
    pub article: Option<String>,
    /// The address of the document it annotates.
    pub uri: Option<String>,
    /// The quoted text and its context (a TextQuoteSelector).
    pub exact: Option<String>,
    pub prefix: String,
    pub suffix: String,
    /// Where the quote was (a TextPositionSelector), a hint unless `exact_position`.
    pub position: Option<(usize, usize)>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub created: Option<OffsetDateTime>,
    pub updated: Option<OffsetDateTime>,
    pub creator: Option<Person>,
    pub editor: Option<Person>,
    pub original_quote: Option<String>,
    /// Exported by newsgloss as an orphan: kept as one.
    pub orphaned: bool,
    /// Links to other annotations (newsgloss's own W3C export carries them).
    pub links: Vec<super::super::model::Link>,
}

impl Row {
    /// How messages name the row: `row 3 (id …, uri …)`.
    pub fn name(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.foreign_id {
            parts.push(format!("id {}", clean_line(id)));
        }
        if let Some(uri) = &self.uri {
            parts.push(format!("uri {}", clean_line(uri)));
        }
        match parts.is_empty() {
            true => format!("row {}", self.index),
            false => format!("row {} ({})", self.index, parts.join(", ")),
        }
    }
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFailure {
    pub row: String,
    pub reason: String,
}

impl fmt::Display for RowFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.row, self.reason)
    }
}

/// Reads an import file, detecting its format: JSON in Hypothesis's or the W3C shape, else the TOML
/// export (whose errors name `file:line:col`).
pub fn read_import(bytes: &[u8], path: &Path) -> Result<ImportFile, ImportError> {
    let unknown = |detail: String| ImportError::Unknown {
        path: path.to_owned(),
        detail,
    };
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(json) => {
            if let Some(read) = super::hypothesis::read(&json) {
                return Ok(rows(ImportFormat::Hypothesis, read));
            }
            if let Some(read) = super::w3c::read(&json) {
                return Ok(rows(ImportFormat::WebAnnotation, read));
            }
            Err(unknown(String::new()))
        }
        Err(json_error) => {
            let text = String::from_utf8_lossy(bytes);
            let looks_toml = text.contains("newsgloss-annotations")
                || toml::from_str::<toml::Table>(&text).is_ok();
            if looks_toml {
                return Ok(ImportFile::Toml(parse_export(bytes, path)?));
            }
            let first = text.trim_start().chars().next();
            let detail = match first {
                Some('{' | '[') => format!(
                    " (JSON that does not parse at {}:{})",
                    json_error.line(),
                    json_error.column()
                ),
                _ => String::new(),
            };
            Err(unknown(detail))
        }
    }
}

fn rows(format: ImportFormat, read: Vec<Result<Row, RowFailure>>) -> ImportFile {
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for row in read {
        match row {
            Ok(row) => rows.push(row),
            Err(failure) => failures.push(failure),
        }
    }
    ImportFile::Rows {
        format,
        rows,
        failures,
    }
}

/// The rows placed on their articles, as an export to merge, with the rows that found no place.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub exported: Exported,
    pub failures: Vec<RowFailure>,
}

/// Where rows are placed: every article's id and url, its current text, and what to do for rows
/// without a tag or a time.
pub struct Placing<'a, F: Fn(&str) -> Option<String>> {
    pub links: &'a [Link],
    pub text_of: F,
    /// The tag of a row that has none (every annotation has at least one).
    pub default_tag: &'a str,
    /// The time of a row that has none.
    pub now: OffsetDateTime,
}

/// Places each row on its article; what cannot be placed is reported by row.
pub fn place_rows<F: Fn(&str) -> Option<String>>(rows: Vec<Row>, placing: &Placing<F>) -> Placed {
    let by_url: BTreeMap<String, &str> = placing
        .links
        .iter()
        .filter_map(|l| Some((normalise_url(l.url.as_deref()?), l.id.as_str())))
        .collect();
    let mut articles: BTreeMap<String, Vec<Annotation>> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in rows {
        let name = row.name();
        match place(row, placing, &by_url) {
            Ok((article, annotation)) => articles.entry(article).or_default().push(annotation),
            Err(reason) => failures.push(RowFailure { row: name, reason }),
        }
    }
    let articles = articles
        .into_iter()
        .map(|(id, annotations)| ExportArticle::missing(&id, annotations))
        .collect();
    Placed {
        exported: Exported {
            exported: None,
            tags: Vec::new(),
            articles,
            duplicates: Vec::new(),
        },
        failures,
    }
}

/// One row placed: its article and the annotation (an orphan when the row is newsgloss's own and its
/// article is not in the content dir, as the TOML import keeps them).
fn place<F: Fn(&str) -> Option<String>>(
    row: Row,
    placing: &Placing<F>,
    by_url: &BTreeMap<String, &str>,
) -> Result<(String, Annotation), String> {
    let exact = row.exact.clone().filter(|q| !q.is_empty()).ok_or_else(|| {
        "no usable selector (a TextQuoteSelector with the quoted text)".to_owned()
    })?;
    let article = match (&row.article, &row.uri) {
        (Some(id), _) if crate::content::path_of(Path::new(""), id).is_some() => id.clone(),
        (_, Some(uri)) => by_url
            .get(&normalise_url(uri))
            .map(|id| (*id).to_owned())
            .ok_or_else(|| format!("no article has the url {}", quoted(uri)))?,
        _ => return Err("it names no document (no uri or source)".into()),
    };
    let mut annotation = annotation_of(row.clone(), &article, exact, placing);
    let Some(text) = (placing.text_of)(&article) else {
        if row.article.is_some() {
            annotation.orphaned = true;
            return Ok((article, annotation));
        }
        return Err(format!("article {} cannot be read", quoted(&article)));
    };
    let chars: Vec<char> = text.chars().collect();
    let placement = anchor(&mut annotation, &chars);
    // newsgloss's own annotations are kept as orphans, as the TOML import keeps them; another tool's
    // quote that is not in the text fits no article.
    if placement == Placement::Orphaned && row.article.is_none() {
        return Err(format!("the quote is not in article {}", quoted(&article)));
    }
    if placement == Placement::Unchanged {
        let (prefix, _, suffix) = context_of(&chars, annotation.start, annotation.end);
        annotation.prefix = prefix;
        annotation.suffix = suffix;
    }
    Ok((article, annotation))
}

/// The annotation a row describes, before anchoring, its text made inert.
fn annotation_of<F: Fn(&str) -> Option<String>>(
    row: Row,
    article: &str,
    exact: String,
    placing: &Placing<F>,
) -> Annotation {
    let created = to_millis(row.created.unwrap_or(placing.now));
    let updated = to_millis(row.updated.unwrap_or(created)).max(created);
    let len = exact.chars().count();
    let (start, end) = match row.position {
        Some((start, end)) if start <= end => (start, end),
        _ => (0, len),
    };
    let mut tags = dedup(row.tags.iter().filter_map(|t| tag_name(t)).collect());
    if tags.is_empty() {
        tags.push(placing.default_tag.to_owned());
    }
    let mut annotation = Annotation {
        id: row
            .id
            .unwrap_or_else(|| derived_id(row.foreign_id.as_deref(), &exact, created)),
        article: article.to_owned(),
        tags,
        note: row.note.filter(|n| !n.trim().is_empty()),
        quote: exact,
        prefix: row.prefix,
        suffix: row.suffix,
        start,
        end,
        created,
        updated,
        original_quote: row.original_quote,
        // The W3C model has no links between annotations: only newsgloss's own export carries them.
        links: row.links,
        orphaned: row.orphaned,
        creator: row.creator,
        editor: row.editor,
    };
    annotation.make_inert();
    annotation
}

/// A tag of another tool as a newsgloss tag name: lower case, every run of other characters a hyphen
/// (`Chip restrictions` → `chip-restrictions`); `None` when nothing of it is left.
pub fn tag_name(tag: &str) -> Option<String> {
    let mut out = String::with_capacity(tag.len());
    for c in tag.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    (!out.is_empty()).then_some(out)
}

/// The id of a row that has no newsgloss id: a UUIDv7 with the row's time and, as its random bits, a
/// hash of its id in the other tool (or its quote), so that importing the same row again finds it.
fn derived_id(foreign: Option<&str>, exact: &str, created: OffsetDateTime) -> AnnotationId {
    let seed = foreign.unwrap_or(exact);
    let hash = blake3::hash(seed.as_bytes());
    let mut bytes = [0u8; 10];
    bytes.copy_from_slice(&hash.as_bytes()[..10]);
    let millis = u64::try_from(created.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    let uuid: Uuid = Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid();
    uuid.hyphenated()
        .to_string()
        .parse()
        .expect("a UUID parses as an annotation id")
}

/// A date-time in RFC 3339 (`2014-01-12T18:36:15.697572+00:00`), in UTC.
pub fn instant(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_other_tools_become_tag_names() {
        assert_eq!(
            tag_name("Chip restrictions").as_deref(),
            Some("chip-restrictions")
        );
        assert_eq!(tag_name("  AI / ML!! ").as_deref(), Some("ai-ml"));
        assert_eq!(tag_name("日本"), None);
    }

    #[test]
    fn the_format_is_detected() {
        let path = Path::new("f");
        let hypothesis =
            br#"{"total": 1, "rows": [{"id": "a", "uri": "https://e.com/", "target": []}]}"#;
        assert!(matches!(
            read_import(hypothesis, path),
            Ok(ImportFile::Rows {
                format: ImportFormat::Hypothesis,
                ..
            })
        ));
        let w3c = br#"{"type": "AnnotationPage", "items": [{"type": "Annotation", "target": "https://e.com/"}]}"#;
        assert!(matches!(
            read_import(w3c, path),
            Ok(ImportFile::Rows {
                format: ImportFormat::WebAnnotation,
                ..
            })
        ));
        let toml = b"format = \"newsgloss-annotations\"\nversion = 2\n";
        assert!(matches!(read_import(toml, path), Err(ImportError::Toml(_))));
        for unknown in [&b"{\"a\": 1}"[..], b"plain words", b"[{\"uri\":"] {
            assert!(matches!(
                read_import(unknown, path),
                Err(ImportError::Unknown { .. })
            ));
        }
    }

    #[test]
    fn the_same_foreign_row_gets_the_same_id() {
        let at = instant("2026-03-01T10:15:30.123456+00:00").unwrap();
        assert_eq!(
            derived_id(Some("x"), "q", at),
            derived_id(Some("x"), "other", at)
        );
        assert_ne!(
            derived_id(Some("x"), "q", at),
            derived_id(Some("y"), "q", at)
        );
    }
}
