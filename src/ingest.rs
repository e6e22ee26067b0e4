//! Getting news in: feeds (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed), web pages and local files become article files in
//! the content dir, with full front matter and readable, stable names; fetching again updates them without
//! losing annotations.
//!
//! - [`http`] fetches one URL (rustls, timeouts, retries with backoff, a size cap, conditional requests);
//!   [`charset`] turns the bytes into text.
//! - [`feed`] reads a feed, [`teaser`] says whether an entry's own text is the article, [`pool`] fetches
//!   the pages of the others several at a time, [`page`] extracts the article from a page, [`markdown`] turns HTML into the
//!   Markdown of a body, [`draft`] renders a content file, [`slug`] names it.
//! - [`state`] remembers validators, which article each story became, and what was written;
//!   [`versions`] stores an article keeping old versions and hand edits and re-anchoring annotations;
//!   [`diff`] shows what changed between versions.
//! - [`session`] ties them together: [`add_sources`] and [`fetch_feeds`] are what the command line and the
//!   reader's worker call.
//!
//! The domain never prints, reads the environment or the clock: callers pass paths, `now` and a progress
//! callback, and get a report per source back.

pub mod charset;
pub mod diff;
mod digest;
pub mod draft;
mod entry;
pub mod feed;
pub mod http;
mod local;
pub mod markdown;
mod nesting;
pub mod page;
pub mod pool;
mod report;
mod retry;
pub mod session;
pub mod slug;
pub mod state;
pub mod teaser;
pub mod versions;

use std::path::{Path, PathBuf};

pub use diff::{DiffLine, diff, diff_files, plain_text_of};
pub use report::{ArticleReport, Progress, SourceOutcome, SourceReport, Totals, summaries_kept};
pub use session::{FetchOptions, Session, Source, add_sources, fetch_feeds, fetch_feeds_with};
pub use versions::{ArticleDirs, Change, Orphan, Reanchored, Version};

use crate::content::shown;

/// A problem with the workspace itself (not with one source): the state file, the lock, the disk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("{}: {message}", shown(path))]
    Io { path: PathBuf, message: String },
    #[error("{}: the ingest state cannot be read: {message}", shown(path))]
    State { path: PathBuf, message: String },
}

impl IngestError {
    pub fn io(path: &Path, error: std::io::Error) -> IngestError {
        IngestError::Io {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }
}
