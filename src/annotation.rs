//! Annotations: key claims marked in an article's plain text, tagged, noted, anchored by quote and
//! context so that they survive edits, kept in one TOML file per article, and exported as TOML, W3C Web
//! Annotation JSON or a Markdown digest.
//!
//! The domain never prints, reads the environment or the clock: callers pass paths and `now`.
//!
//! ```
//! use newsgloss::annotation::{Annotation, AnnotationStore};
//! use time::macros::datetime;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let store = AnnotationStore::new(dir.path());
//! let text = "US export restrictions on advanced chips.";
//! let now = datetime!(2026-01-01 00:00:00 UTC);
//! let claim = Annotation::new("chips", text, 3, 22, vec!["chip-restrictions".into()], None, now);
//! store.add(claim).unwrap();
//! let edited = format!("A new lead.\n\n{text}");
//! let anchored = store.anchored("chips", &edited).unwrap();
//! assert_eq!(anchored.file.annotations[0].start, 16);
//! ```

mod anchor;
mod article_file;
mod digest;
mod disk;
mod export;
mod fuzzy;
mod import;
mod model;
mod obsidian;
mod readwise;
mod record;
mod store;
mod tags;
mod three_way;
mod toml_text;
mod web;

use std::path::PathBuf;

pub use anchor::{Placement, anchor, occurrences};
pub use article_file::{ArticleAnnotations, Merged};
pub use digest::markdown_digest;
pub use export::{
    DuplicateId, ExportArticle, ExportError, Exported, export_toml, export_toml_with_tags,
    parse_export,
};
pub use import::{
    ImportError, ImportFile, ImportFormat, ImportReport, Placed, Placing, Row, RowFailure, import,
    place_rows, read_import, tag_name,
};
pub use model::{Annotation, AnnotationId, CONTEXT_CHARS, Link, Person, Relation, Tombstone};
pub use obsidian::{ObsidianReport, note as obsidian_note, write_obsidian};
pub use readwise::readwise_csv;
pub use store::{Anchored, AnnotationStore, Corpus, Edit, Restored, anchor_all};
pub use tags::{TagInfo, TagVocabulary};
pub use three_way::merge_three;
pub use web::web_annotation_json;

use crate::article::Location;
use crate::content::shown;

/// Why the store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A store file that does not parse; it is left alone, and its article's annotations are read-only.
    #[error(
        "{}:{location}: {message} (fix or move the file; it is not changed until then{})",
        shown(path),
        restore_hint(last_good.as_ref())
    )]
    Corrupt {
        path: PathBuf,
        location: Location,
        message: String,
        /// The newest backup that parses, when there is one.
        last_good: Option<LastGood>,
    },
    #[error("{}: {message}", shown(path))]
    Io { path: PathBuf, message: String },
    #[error("{} is not an article id", crate::article::clean::quoted(.0))]
    BadArticleId(String),
    #[error("{0}")]
    BadTag(String),
    #[error("no annotation with id {0}")]
    NotFound(AnnotationId),
    #[error("{} parses; there is nothing to restore", shown(.0))]
    NotCorrupt(PathBuf),
    #[error(
        "{}: no backup of it parses (backups are kept in {})",
        shown(path),
        shown(backups)
    )]
    NoBackup { path: PathBuf, backups: PathBuf },
}

/// The last good version of a store file that does not parse: a backup kept by an earlier save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastGood {
    pub article: String,
    pub path: PathBuf,
}

fn restore_hint(last_good: Option<&LastGood>) -> String {
    match last_good {
        Some(LastGood { article, path }) => format!(
            "; the last good version is {}: `newsgloss annotations restore {}` puts it back",
            shown(path),
            crate::article::clean::clean_line(article)
        ),
        None => String::new(),
    }
}
