//! The work the pure update asks for: [`Effect`]s, done by the worker, which answers with
//! [`Msg`](super::command::Msg)s.

use crate::annotation::{Annotation, AnnotationId, Relation};
use crate::ingest::Totals;
use crate::reading::{Position, ReadingState};

/// What a fetch of the feeds did, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    pub summary: Totals,
    /// One line per feed that gave nothing: `name: why`.
    pub failures: Vec<String>,
    /// The articles whose text changed (a reader showing one of them reopens it).
    pub updated: Vec<String>,
    /// Annotations of those articles that moved with their text, and that lost it.
    pub moved: usize,
    pub orphaned: usize,
}

/// A change of the reading state, written through the reading store at once (under its lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingChange {
    /// Mark an article read or unread.
    Read { id: String, read: bool },
    /// Star an article or take its star away.
    Star { id: String, starred: bool },
    /// Mark every one of these articles read (the worker keeps what it takes to undo it).
    ReadAll(Vec<String>),
    /// Put back the read marks the last [`ReadingChange::ReadAll`] changed.
    UndoReadAll,
    /// Remember where the reader left an article.
    Position { id: String, position: Position },
    /// The first sight of these articles (what makes them new).
    Arrivals(Vec<String>),
    /// The reader is closing: what arrives from now on is new on the next visit.
    EndVisit,
    /// The file changed on disk: read it again, and answer only if it holds something else than what
    /// the store last read or wrote (another process wrote it, not this reader).
    Reload,
}

/// The reading state as its file is now, for the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingUpdate {
    /// Shared with the worker's store (never copied on the way).
    pub state: std::sync::Arc<ReadingState>,
    /// Why the file cannot be written (it does not parse), while it cannot: `file:line:col: why`.
    pub problem: Option<String>,
    /// It answers one [`Effect::Reading`] (else another process changed the file).
    pub answers: bool,
    /// Why that change could not be written, when it could not.
    pub error: Option<String>,
    /// A message for the status bar (what an undo put back).
    pub notice: Option<String>,
}

/// Work for the worker thread; it answers with [`Msg`](super::command::Msg)s on the event channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Run search request `seq` for `query`.
    Search { seq: u64, query: String },
    /// Run search request `seq` for `query` from hit `offset` on, best or newest first (answered with
    /// [`Msg::Results`](super::command::Msg::Results) for the first page, [`Msg::Page`](super::command::Msg::Page) for the others).
    SearchPage {
        seq: u64,
        query: String,
        offset: usize,
        newest_first: bool,
    },
    /// Load article `id`, with the matches of `query` when there is one, and its annotations.
    Open { id: String, query: Option<String> },
    /// Load article `id` again as its file is now (answered with [`Msg::Reloaded`](super::command::Msg::Reloaded)), with its
    /// annotations.
    Reload { id: String, query: Option<String> },
    /// Save a new annotation of the chars `start..end` of `text`, the plain text of `article`.
    Annotate {
        article: String,
        text: String,
        start: usize,
        end: usize,
        tags: Vec<String>,
        note: Option<String>,
    },
    /// Change the tags or the note of an annotation (`None` leaves that part alone).
    Edit {
        article: String,
        id: AnnotationId,
        tags: Option<Vec<String>>,
        note: Option<Option<String>>,
    },
    /// Delete an annotation.
    Delete { article: String, id: AnnotationId },
    /// Bring a deleted annotation back.
    Restore(Box<Annotation>),
    /// Load every claim of the corpus for the claims view.
    LoadClaims,
    /// Fetch every configured feed on a thread of its own, then bring the index up to date.
    FetchFeeds,
    /// Sync the workspace through git on a thread of its own, then bring the index up to date.
    Sync,
    /// Diff article `id` against its newest previous version.
    Versions { id: String },
    /// Find the original or a translation of article `id`, with its annotations.
    LoadSideBySide { id: String },
    /// Run trace request `seq`: the passages of articles other than `article` that state `quote`
    /// (answered with [`Msg::Traced`](super::command::Msg::Traced); only the newest queued runs).
    Trace {
        seq: u64,
        article: String,
        quote: String,
    },
    /// Make the passage `start..end` (chars) of article `to`, which read `text` when traced, evidence
    /// for annotation `id` of article `article`, linked with `rel` (answered with
    /// [`Msg::Linked`](super::command::Msg::Linked) and both articles' annotations).
    LinkEvidence {
        article: String,
        id: AnnotationId,
        to: String,
        start: usize,
        end: usize,
        text: String,
        rel: Relation,
    },
    /// Read what the sources view counts with: the feeds' articles and the reading state.
    LoadSources,
    /// Set article `id`'s own tags (its front matter) to `tags`, then reindex it.
    TagArticle { id: String, tags: Vec<String> },
    /// Open article `id`'s page (its front matter `url`, http or https only) in the browser.
    Browse { id: String },
    /// Write this OSC 52 sequence (made by [`osc52`](super::clipboard::osc52)) to the terminal.
    Copy(String),
    /// Change the reading state (answered with [`Msg::Reading`](super::command::Msg::Reading)).
    Reading(ReadingChange),
    /// Say when article `id` has been open for [`DWELL`] (answered with
    /// [`Msg::Dwelt`](super::command::Msg::Dwelt)).
    Dwell { id: String },
}

/// How long an article must stay open to count as read.
pub const DWELL: std::time::Duration = std::time::Duration::from_secs(1);
