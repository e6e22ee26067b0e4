//! What can happen in the reader: [`Action`]s (bound to keys in `config.toml`, or sent back by the worker)
//! and [`Effect`]s (work the pure update asks the worker to do).

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use serde::Deserialize;

use super::state::{Changes, Claim, Entry, OtherText};
use crate::annotation::{Annotation, AnnotationId};
use crate::article::Article;
use crate::index::SearchResults;
use crate::ingest::Summary;

/// Everything the reader does. The unit variants are the action names a key can be bound to in
/// `config.toml` (`[keys.reader]` `"g g" = "top"`); the others come from the terminal and the worker.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit newsgloss.
    Quit,
    /// Go back (close the help, the reader, the search).
    Back,
    /// Show or hide the keys of this screen.
    Help,
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
    /// Sort the library by date or by title.
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
    /// Check or uncheck the highlighted tag.
    Toggle,
    /// Save with this note.
    SaveNote,
    /// Save without a note (editing: keep the old one).
    SkipNote,
    /// Fetch every feed in the config in the background.
    FetchFeeds,
    /// Share the workspace through git in the background: commit, pull, push (as `newsgloss sync`).
    Sync,
    /// Show what changed since the previous version of this article.
    Versions,
    /// Read this article side by side with its original or translation (again: close).
    SideBySide,
    /// Every message of this session, in full (again: close).
    Messages,
    /// Sort the search results by relevance or by date, newest first.
    SortResults,
    /// Side by side: put the other text on the left, with the cursor.
    SwapPanes,
    /// A key no binding took, for the input line (not bindable).
    #[serde(skip)]
    Type(KeyEvent),
    /// A key from the terminal, before the keymap resolves it (not bindable).
    #[serde(skip)]
    Key(KeyEvent),
    /// A mouse event (not bindable).
    #[serde(skip)]
    Mouse(MouseEvent),
    /// The window is now this many columns and rows (not bindable).
    #[serde(skip)]
    Resize(u16, u16),
    /// The article list, from the index (not bindable).
    #[serde(skip)]
    Library(Vec<Entry>),
    /// Indexing progress: files read out of files to read (not bindable).
    #[serde(skip)]
    Progress(usize, usize),
    /// Indexing finished, with a message for the status bar (not bindable).
    #[serde(skip)]
    Indexed(String),
    /// The answer to search request `seq` (not bindable).
    #[serde(skip)]
    Results {
        seq: u64,
        query: String,
        result: Result<SearchResults, String>,
    },
    /// An article to read, with the matches of the query it was opened from (not bindable).
    #[serde(skip)]
    Opened {
        article: Box<Article>,
        matches: Vec<std::ops::Range<usize>>,
    },
    /// Hits `offset..` of search request `seq`, after those shown (not bindable).
    #[serde(skip)]
    Page {
        seq: u64,
        offset: usize,
        result: Result<SearchResults, String>,
    },
    /// The article being read as its file is now, with the matches of its query (not bindable).
    #[serde(skip)]
    Reloaded {
        article: Box<Article>,
        matches: Vec<std::ops::Range<usize>>,
    },
    /// Files changed outside the reader and the index has caught up: these articles (or, with `all`,
    /// any) changed in their text or their annotations (not bindable).
    #[serde(skip)]
    FilesChanged { articles: Vec<String>, all: bool },
    /// The index is being written by another newsgloss: work read-only (not bindable).
    #[serde(skip)]
    ReadOnly,
    /// A message for the status bar (not bindable).
    #[serde(skip)]
    Notice(String),
    /// An error for the status bar (not bindable).
    #[serde(skip)]
    Error(String),
    /// The annotations of an article as the store holds them now, or why they could not be read (not
    /// bindable).
    #[serde(skip)]
    AnnotationsLoaded {
        article: String,
        result: Result<Vec<Annotation>, String>,
    },
    /// Fetching feeds: `done` of `total` feeds, `current` being fetched (inert) (not bindable).
    #[serde(skip)]
    Fetching {
        done: usize,
        total: usize,
        current: String,
    },
    /// Fetching `feeds` feeds finished: what it did, or why nothing could be fetched (not bindable).
    #[serde(skip)]
    Fetched {
        feeds: usize,
        result: Result<FetchReport, String>,
    },
    /// A sync is at this step (not bindable).
    #[serde(skip)]
    Syncing(String),
    /// A sync finished: what it did, or why it stopped (not bindable).
    #[serde(skip)]
    Synced(Result<String, String>),
    /// What changed since the previous version of `article` (`None`: it has no earlier version), or why
    /// that could not be found (not bindable).
    #[serde(skip)]
    Changed {
        article: String,
        result: Result<Option<Changes>, String>,
    },
    /// The article to read beside `article`, or why there is none (not bindable).
    #[serde(skip)]
    CounterpartLoaded {
        article: String,
        result: Result<Box<OtherText>, String>,
    },
    /// Every claim of the corpus, and the store files that could not be read (not bindable).
    #[serde(skip)]
    ClaimsLoaded {
        claims: Vec<Claim>,
        errors: Vec<String>,
    },
    /// SIGTERM, SIGHUP or SIGINT arrived (its number): save what is pending and quit (not bindable).
    #[serde(skip)]
    Signal(i32),
}

impl Action {
    /// Every bindable action, in the order the help lists them.
    pub const BINDABLE: [Action; 51] = [
        Action::Up,
        Action::Down,
        Action::HalfPageUp,
        Action::HalfPageDown,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::ToggleSort,
        Action::Filter,
        Action::Search,
        Action::Find,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Submit,
        Action::Cancel,
        Action::CursorLeft,
        Action::CursorRight,
        Action::CursorUp,
        Action::CursorDown,
        Action::WordForward,
        Action::WordBack,
        Action::WordEnd,
        Action::SentenceForward,
        Action::SentenceBack,
        Action::ParagraphForward,
        Action::ParagraphBack,
        Action::Visual,
        Action::SwapEnds,
        Action::Tag,
        Action::EditNote,
        Action::DeleteAnnotation,
        Action::Undo,
        Action::NextAnnotation,
        Action::PrevAnnotation,
        Action::Annotations,
        Action::Claims,
        Action::Toggle,
        Action::SaveNote,
        Action::SkipNote,
        Action::FetchFeeds,
        Action::Sync,
        Action::Versions,
        Action::SideBySide,
        Action::SwapPanes,
        Action::Messages,
        Action::SortResults,
        Action::Help,
        Action::Back,
        Action::Quit,
    ];

    /// What the action does, for the help screen (the same words as the variant's documentation).
    pub fn description(&self) -> &'static str {
        match self {
            Action::Quit => "Quit newsgloss",
            Action::Back => "Go back (close the help, the reader, the search)",
            Action::Help => "Show or hide the keys of this screen",
            Action::Up => "Move up one row, or scroll up one line",
            Action::Down => "Move down one row, or scroll down one line",
            Action::HalfPageUp => "Scroll up half a page",
            Action::HalfPageDown => "Scroll down half a page",
            Action::PageUp => "Scroll up a page",
            Action::PageDown => "Scroll down a page",
            Action::Top => "Go to the top",
            Action::Bottom => "Go to the bottom",
            Action::Open => "Open the selected article",
            Action::ToggleSort => "Sort the library by date or by title",
            Action::Filter => "Filter the library by title, source or id as you type",
            Action::Search => "Search every article as you type",
            Action::Find => "Find in this article as you type",
            Action::NextMatch => "Go to the next match",
            Action::PrevMatch => "Go to the previous match",
            Action::Submit => "Accept what was typed",
            Action::Cancel => "Close the input line and drop what was typed",
            Action::CursorLeft => "Cursor one character left",
            Action::CursorRight => "Cursor one character right",
            Action::CursorUp => "Cursor up a line",
            Action::CursorDown => "Cursor down a line",
            Action::WordForward => "Cursor to the next word's start",
            Action::WordBack => "Cursor to this or the previous word's start",
            Action::WordEnd => "Cursor to this or the next word's end",
            Action::SentenceForward => "Cursor to this or the next sentence's end",
            Action::SentenceBack => "Cursor to this or the previous sentence's start",
            Action::ParagraphForward => "Cursor to this or the next paragraph's end",
            Action::ParagraphBack => "Cursor to this or the previous paragraph's start",
            Action::Visual => "Select text from the cursor (again: cancel)",
            Action::SwapEnds => "Swap the ends of the selection",
            Action::Tag => "Tag the selection, or retag the annotation here",
            Action::EditNote => "Edit the note of the annotation here",
            Action::DeleteAnnotation => "Delete the annotation here (u undoes)",
            Action::Undo => "Undo the last delete",
            Action::NextAnnotation => "Cursor to the next annotation",
            Action::PrevAnnotation => "Cursor to the previous annotation",
            Action::Annotations => "List this article's annotations",
            Action::Claims => "Every claim of every article, by tag",
            Action::Toggle => "Check or uncheck the highlighted tag",
            Action::SaveNote => "Save with this note",
            Action::SkipNote => "Save without a note (editing: keep the old one)",
            Action::FetchFeeds => "Fetch every feed in the config in the background",
            Action::Sync => {
                "Share the workspace through git: commit, pull, push (in the background)"
            }
            Action::Versions => "Show what changed since the previous version of this article",
            Action::SideBySide => {
                "Read this article side by side with its original or translation (again: close)"
            }
            Action::SwapPanes => "Side by side: put the other text on the left, with the cursor",
            Action::Messages => "Every message of this session, in full (again: close)",
            Action::SortResults => "Sort the search results by relevance or by date, newest first",
            _ => "",
        }
    }

    /// The name a key binding uses for this action (`half_page_down`).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Back => "back",
            Action::Help => "help",
            Action::Up => "up",
            Action::Down => "down",
            Action::HalfPageUp => "half_page_up",
            Action::HalfPageDown => "half_page_down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::ToggleSort => "toggle_sort",
            Action::Filter => "filter",
            Action::Search => "search",
            Action::Find => "find",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Submit => "submit",
            Action::Cancel => "cancel",
            Action::CursorLeft => "cursor_left",
            Action::CursorRight => "cursor_right",
            Action::CursorUp => "cursor_up",
            Action::CursorDown => "cursor_down",
            Action::WordForward => "word_forward",
            Action::WordBack => "word_back",
            Action::WordEnd => "word_end",
            Action::SentenceForward => "sentence_forward",
            Action::SentenceBack => "sentence_back",
            Action::ParagraphForward => "paragraph_forward",
            Action::ParagraphBack => "paragraph_back",
            Action::Visual => "visual",
            Action::SwapEnds => "swap_ends",
            Action::Tag => "tag",
            Action::EditNote => "edit_note",
            Action::DeleteAnnotation => "delete_annotation",
            Action::Undo => "undo",
            Action::NextAnnotation => "next_annotation",
            Action::PrevAnnotation => "prev_annotation",
            Action::Annotations => "annotations",
            Action::Claims => "claims",
            Action::Toggle => "toggle",
            Action::SaveNote => "save_note",
            Action::SkipNote => "skip_note",
            Action::FetchFeeds => "fetch_feeds",
            Action::Sync => "sync",
            Action::Versions => "versions",
            Action::SideBySide => "side_by_side",
            Action::SwapPanes => "swap_panes",
            Action::Messages => "messages",
            Action::SortResults => "sort_results",
            _ => "",
        }
    }
}

/// What a fetch of the feeds did, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    pub summary: Summary,
    /// One line per feed that gave nothing: `name: why`.
    pub failures: Vec<String>,
    /// The articles whose text changed (a reader showing one of them reopens it).
    pub updated: Vec<String>,
    /// Annotations of those articles that moved with their text, and that lost it.
    pub moved: usize,
    pub orphaned: usize,
}

/// Work for the worker thread; it answers with [`Action`]s on the event channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Run search request `seq` for `query`.
    Search { seq: u64, query: String },
    /// Run search request `seq` for `query` from hit `offset` on, best or newest first (answered with
    /// [`Action::Results`] for the first page, [`Action::Page`] for the others).
    SearchPage {
        seq: u64,
        query: String,
        offset: usize,
        newest_first: bool,
    },
    /// Load article `id`, with the matches of `query` when there is one, and its annotations.
    Open { id: String, query: Option<String> },
    /// Load article `id` again as its file is now (answered with [`Action::Reloaded`]), with its
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
    LoadCounterpart { id: String },
}
