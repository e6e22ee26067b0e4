//! What the reader is told: a [`Command`] is what a key can be bound to in `config.toml`
//! (`[keys.reader]` `"g g" = "top"`), each written once here, its doc line the help text; a [`Msg`] is
//! everything that reaches the update (a command, a key, the mouse, a resize, the worker's answers); a
//! [`Mode`] names a key table.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::effect::{FetchReport, ReadingUpdate};
use super::state::{Claim, Entry, OtherText, Versions};
use crate::annotation::{Annotation, AnnotationId};
use crate::article::Article;
use crate::index::SearchResults;

/// What a key can be bound to, in the order the help lists them. Its name in the config is the
/// variant's in snake case (`half_page_down`); its doc line is what the help says.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, EnumString, IntoStaticStr, EnumMessage,
)]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    /// Move up one row, or scroll up one line.
    Up,
    /// Move down one row, or scroll down one line.
    Down,
    /// Scroll up half a page.
    HalfPageUp,
    /// Scroll down half a page.
    HalfPageDown,
    /// Scroll up a page.
    PageUp,
    /// Scroll down a page.
    PageDown,
    /// Go to the top.
    Top,
    /// Go to the bottom.
    Bottom,
    /// Open the selected article.
    Open,
    /// Sort the library by the next order: date, title, source, length, claims.
    ToggleSort,
    /// Filter the library by title, source or id as you type.
    Filter,
    /// Search every article as you type.
    Search,
    /// Find in this article as you type.
    Find,
    /// Go to the next match.
    NextMatch,
    /// Go to the previous match.
    PrevMatch,
    /// Accept what was typed.
    Submit,
    /// Close the input line and drop what was typed.
    Cancel,
    /// Cursor one character left.
    CursorLeft,
    /// Cursor one character right.
    CursorRight,
    /// Cursor up a line.
    CursorUp,
    /// Cursor down a line.
    CursorDown,
    /// Cursor to the next word's start.
    WordForward,
    /// Cursor to this or the previous word's start.
    WordBack,
    /// Cursor to this or the next word's end.
    WordEnd,
    /// Cursor to this or the next sentence's end.
    SentenceForward,
    /// Cursor to this or the previous sentence's start.
    SentenceBack,
    /// Cursor to this or the next paragraph's end.
    ParagraphForward,
    /// Cursor to this or the previous paragraph's start.
    ParagraphBack,
    /// Select text from the cursor (again: cancel).
    Visual,
    /// Swap the ends of the selection.
    SwapEnds,
    /// Tag the selection, or retag the annotation here.
    Tag,
    /// Edit the note of the annotation here.
    EditNote,
    /// Delete the annotation here (u undoes).
    DeleteAnnotation,
    /// Undo the last delete.
    Undo,
    /// Cursor to the next annotation.
    NextAnnotation,
    /// Cursor to the previous annotation.
    PrevAnnotation,
    /// List this article's annotations.
    Annotations,
    /// Every claim of every article, by tag.
    Claims,
    /// Trace the claim here through the corpus: every article that states it.
    Trace,
    /// Link the passage as evidence for the claim traced.
    LinkEvidence,
    /// The relation the next link makes: supports, contradicts, same.
    CycleRelation,
    /// Follow the link of the claim here to the claim it is linked to.
    FollowLink,
    /// Check or uncheck the highlighted tag.
    Toggle,
    /// Save with this note.
    SaveNote,
    /// Save without a note (editing: keep the old one).
    SkipNote,
    /// Fetch every feed in the config in the background.
    FetchFeeds,
    /// Share the workspace through git: commit, pull, push (in the background).
    Sync,
    /// Show what changed since the previous version of this article.
    Versions,
    /// Read this article side by side with its original or translation (again: close).
    SideBySide,
    /// Side by side: put the other text on the left, with the cursor.
    SwapPanes,
    /// Every message of this session, in full (again: close).
    Messages,
    /// Sort the search results by relevance or by date, newest first.
    SortResults,
    /// Every source and feed, with its unread and total counts.
    Sources,
    /// Tag this article (its own tags, not a claim's).
    ArticleTags,
    /// Open the article's page in the browser.
    OpenInBrowser,
    /// Copy the selection, or the annotation here as a quote, to the clipboard.
    Copy,
    /// Mark the article read, or unread again.
    ToggleRead,
    /// Mark every article shown read (u undoes).
    MarkAllRead,
    /// Undo the last mark of every article shown.
    UndoMarkAll,
    /// Star the article (save it for later), or take its star away.
    ToggleStar,
    /// Show only unread articles (again: all).
    UnreadOnly,
    /// Show only starred articles (again: all).
    StarredOnly,
    /// Show only articles new since the last visit (again: all).
    NewOnly,
    /// Show or hide the keys of this screen.
    Help,
    /// Go back (close the help, the reader, the search).
    Back,
    /// Quit newsgloss.
    Quit,
}

impl Command {
    /// The name a key binding uses (`half_page_down`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the command does, for the help screen: its doc line without the full stop.
    pub fn help(self) -> &'static str {
        let doc = self.get_documentation().unwrap_or_default().trim();
        doc.strip_suffix('.').unwrap_or(doc)
    }
}

/// A key table: what a key does depends on the one in force ([`State::mode`](super::state::State::mode)).
/// Its name is the config's `[keys.<mode>]` section.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, EnumString, IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum Mode {
    Library,
    Reader,
    Search,
    /// The library's filter line.
    Filter,
    /// The reader's find line.
    Find,
    Help,
    /// Selecting text in the reader.
    Visual,
    /// The tag picker.
    Picker,
    /// The note editor.
    Note,
    /// The list of the article's annotations.
    #[strum(serialize = "annotations")]
    Panel,
    Claims,
    /// The trace of a claim: the passages of other articles that state it.
    Trace,
    Versions,
    Messages,
    /// Every source and feed with its counts.
    Sources,
}

impl Mode {
    /// The config's name for it (`annotations` for the panel).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Everything the update handles.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A command, from a key binding or a click.
    Command(Command),
    /// A key from the terminal, before the keymap resolves it.
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The window is now this many columns and rows.
    Resize(u16, u16),
    /// The article list, from the index.
    Library(Vec<Entry>),
    /// The list's first rows in its first order (newest first), while the whole list is read; and how
    /// many articles there are in all.
    LibraryHead { entries: Vec<Entry>, total: usize },
    /// Indexing progress: files read out of files to read.
    Progress(usize, usize),
    /// Indexing finished, with a message for the status bar.
    Indexed(String),
    /// The answer to search request `seq`.
    Results {
        seq: u64,
        query: String,
        result: Result<SearchResults, String>,
    },
    /// An article to read, with the matches of the query it was opened from.
    Opened {
        article: Box<Article>,
        matches: Vec<std::ops::Range<usize>>,
    },
    /// Hits `offset..` of search request `seq`, after those shown.
    Page {
        seq: u64,
        offset: usize,
        result: Result<SearchResults, String>,
    },
    /// The article being read as its file is now, with the matches of its query.
    Reloaded {
        article: Box<Article>,
        matches: Vec<std::ops::Range<usize>>,
    },
    /// Files changed outside the reader and the index has caught up: these articles (or, with `all`,
    /// any) changed in their text or their annotations.
    FilesChanged { articles: Vec<String>, all: bool },
    /// The index is being written by another newsgloss: work read-only.
    ReadOnly,
    /// A message for the status bar.
    Notice(String),
    /// An error for the status bar.
    Error(String),
    /// The annotations of an article as the store holds them now, or why they could not be read .
    AnnotationsLoaded {
        article: String,
        result: Result<Vec<Annotation>, String>,
    },
    /// Fetching feeds: `done` of `total` feeds, `current` being fetched (inert).
    Fetching {
        done: usize,
        total: usize,
        current: String,
    },
    /// Fetching `feeds` feeds finished: what it did, or why nothing could be fetched.
    Fetched {
        feeds: usize,
        result: Result<FetchReport, String>,
    },
    /// A sync is at this step.
    Syncing(String),
    /// A sync finished: what it did, or why it stopped.
    Synced(Result<String, String>),
    /// What changed since the previous version of `article` (`None`: it has no earlier version), or why
    /// that could not be found.
    VersionsLoaded {
        article: String,
        result: Result<Option<Versions>, String>,
    },
    /// The article to read beside `article`, or why there is none.
    SideBySideLoaded {
        article: String,
        result: Result<Box<OtherText>, String>,
    },
    /// Every claim of the corpus, and the store files that could not be read.
    ClaimsLoaded {
        claims: Vec<Claim>,
        errors: Vec<String>,
    },
    /// The answer to trace request `seq`: the passages found (every string inert), or why none could be.
    Traced {
        seq: u64,
        result: Result<crate::trace::Trace, String>,
    },
    /// The passage `start..end` of `article` was linked as evidence: the evidence's id, or why not.
    Linked {
        article: String,
        start: usize,
        end: usize,
        result: Result<AnnotationId, String>,
    },
    /// SIGTERM, SIGHUP or SIGINT arrived (its number): save what is pending and quit.
    Signal(i32),
    /// What the sources view counts with: the configured feeds (names in config order, and which
    /// articles came from each).
    SourcesLoaded {
        feeds: Vec<String>,
        members: crate::reading::FeedArticles,
    },
    /// The reading state as its file is now.
    Reading(Box<ReadingUpdate>),
    /// The reading state file changed on disk (perhaps by this reader's own write).
    ReadingFileChanged,
    /// Article `id` has been open for a moment (it counts as read if it is still open).
    Dwelt(String),
    /// Which articles came from each configured feed.
    FeedArticles(crate::reading::FeedArticles),
}

impl From<Command> for Msg {
    fn from(command: Command) -> Msg {
        Msg::Command(command)
    }
}
