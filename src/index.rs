//! The search index: a tantivy index over every article's title, body and metadata.
//!
//! The index is derived data. Articles stay the source of truth; an index that is missing, of another
//! schema version or damaged is moved aside and rebuilt from them. [`ArticleIndex::sync`] brings it up to
//! date incrementally, [`ArticleIndex::search`] answers queries with snippets.

mod counted;
mod create;
mod directory;
mod fresh;
mod lenient;
mod plan;
mod query;
mod queue;
mod record;
pub mod schema;
mod search;
pub mod segment;
mod skipped;
mod state;
mod summaries;
mod sync;
mod term_finder;
pub mod tokenizer;
mod whole_terms;

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

pub use create::Steps;
pub use fresh::{Behind, RefreshError, Refreshed, WRITER_PATIENCE};
pub use lenient::{FIELDS, MAX_SLOP, MAX_WORDS};
pub use query::{MAX_NESTING, MAX_PHRASE_TERMS, MAX_QUERY_CHARS, MAX_TERMS, QueryError};
pub use schema::{Fields, SCHEMA_VERSION};
pub use search::{ClaimHit, Hit, Page, SearchError, SearchResults, byte_to_scalar_ranges};
pub use summaries::Summary;
pub use sync::{SyncOptions, SyncReport, document_for};

/// The file beside tantivy's own that says which newsgloss schema wrote the index.
const MARKER: &str = "newsgloss-index.toml";

/// An open article index.
pub struct ArticleIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    query_parser: tantivy::query::QueryParser,
    /// The index's directory (none in memory).
    dir: Option<PathBuf>,
}

/// How [`ArticleIndex::open`] found the index directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An index of this version was there.
    Existing,
    /// There was none; an empty one was made.
    Created,
    /// The old one could not be used: it was moved to `moved_to` and an empty one made.
    Replaced { reason: String, moved_to: PathBuf },
}

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("the index is busy: another newsgloss is updating it; try again when it is done")]
    Busy,
    #[error("{} is not a newsgloss index and not empty; choose another index directory", .0.display())]
    NotAnIndex(PathBuf),
    #[error("index {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("index: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("the index is damaged ({0}); run `newsgloss index --rebuild`")]
    Damaged(String),
}

impl ArticleIndex {
    /// Opens the index in `dir`, making it when there is none and replacing one that cannot be used.
    pub fn open(dir: &Path) -> Result<(ArticleIndex, Opened), IndexError> {
        ArticleIndex::open_with_steps(dir, &(std::sync::Arc::new(|_: &str| {}) as Steps))
    }

    /// [`ArticleIndex::open`], telling `steps` each step of making a new index once it is done (where a
    /// test stops the process, to check that a run after a kill at any step finds an index it can use).
    pub fn open_with_steps(
        dir: &Path,
        steps: &Steps,
    ) -> Result<(ArticleIndex, Opened), IndexError> {
        let io = |error| IndexError::Io {
            path: dir.to_owned(),
            error,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        // Empty, or left part-made by a process killed while making it.
        if let Some(index) = create::create_if_new(dir, steps)? {
            return Ok((index, Opened::Created));
        }
        let problem = match crate::contain::contain(|| Self::open_existing(dir)) {
            Ok(Ok(index)) => return Ok((index, Opened::Existing)),
            Ok(Err(problem)) => problem,
            Err(panic) => format!("reading it failed ({panic})"),
        };
        if !looks_like_an_index(dir) {
            return Err(IndexError::NotAnIndex(dir.to_owned()));
        }
        let moved_to = move_aside(dir).map_err(io)?;
        std::fs::create_dir_all(dir).map_err(io)?;
        let index = match create::create_if_new(dir, steps)? {
            Some(index) => index,
            // Another process made one there since the move.
            None => Self::open_existing(dir).map_err(IndexError::Damaged)?,
        };
        Ok((
            index,
            Opened::Replaced {
                reason: problem,
                moved_to,
            },
        ))
    }

    /// An index in memory (for tests and benchmarks).
    pub fn in_ram() -> ArticleIndex {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        ArticleIndex::wrap(index, fields).expect("an index in memory opens")
    }

    /// Opens an index of this schema version, or says in words why it cannot be used.
    fn open_existing(dir: &Path) -> Result<ArticleIndex, String> {
        match std::fs::read_to_string(dir.join(MARKER)) {
            Ok(text) if text == marker_text() => {}
            Ok(_) => return Err("it was written by another version of newsgloss".into()),
            Err(_) => return Err(format!("it has no {MARKER}")),
        }
        if !dir.join("meta.json").exists() {
            return Err("its meta.json is missing".into());
        }
        let (schema, fields) = schema::build();
        let index = directory::IndexDirectory::open(dir)
            .and_then(Index::open)
            .map_err(|e| format!("it cannot be opened ({e})"))?;
        if index.schema() != schema {
            return Err("its schema is not this version's".into());
        }
        ArticleIndex::wrap(index, fields)
            .map(|index| index.in_dir(dir))
            .map_err(|e| format!("it cannot be read ({e})"))
    }

    fn wrap(index: Index, fields: Fields) -> Result<ArticleIndex, IndexError> {
        schema::register_tokenizers(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // Opening every segment's file-state columns catches most damage here rather than mid-search.
        state::check(&reader.searcher(), &fields)?;
        let query_parser = search::query_parser(&index, &fields);
        Ok(ArticleIndex {
            index,
            reader,
            fields,
            query_parser,
            dir: None,
        })
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn in_dir(mut self, dir: &Path) -> ArticleIndex {
        self.dir = Some(dir.to_owned());
        self
    }

    /// Whether another writer (another newsgloss updating the index) holds the index's writer lock now.
    /// It asks for a shared lock on tantivy's lock file, so that readers asking at once never see each
    /// other as writers.
    pub fn writer_busy(&self) -> bool {
        let Some(dir) = &self.dir else {
            return false;
        };
        let path = dir.join(tantivy::directory::INDEX_WRITER_LOCK.filepath.as_path());
        // No lock file: no writer has ever opened this index.
        let Ok(file) = std::fs::File::open(path) else {
            return false;
        };
        matches!(
            file.try_lock_shared(),
            Err(std::fs::TryLockError::WouldBlock)
        )
    }

    /// A searcher over the index as last loaded, for queries made outside this module (tracing a claim).
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The handles to the schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Picks up what another writer committed.
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload().map_err(IndexError::from)
    }
}

fn marker_text() -> String {
    format!(
        "# Written by newsgloss; the index is derived data and can be deleted.\nschema_version = {SCHEMA_VERSION}\n"
    )
}

/// Whether `dir` holds what an index (of any version) holds, so that moving it aside loses nothing of the
/// user's.
fn looks_like_an_index(dir: &Path) -> bool {
    [MARKER, "meta.json", ".managed.json", record::FILE]
        .iter()
        .any(|name| dir.join(name).exists())
}

/// Renames `dir` to `<dir>.old` (replacing an older one) and returns the new path.
fn move_aside(dir: &Path) -> std::io::Result<PathBuf> {
    let mut name = dir.file_name().unwrap_or_default().to_owned();
    name.push(".old");
    let target = dir.with_file_name(name);
    if target.exists() {
        std::fs::remove_dir_all(&target)?;
    }
    std::fs::rename(dir, &target)?;
    Ok(target)
}
