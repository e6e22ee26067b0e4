//! Everything on screen: the mode, the library list, the article being read with its annotations, the
//! search, the claims view, the status bar.

mod claims;
mod messages;
mod note;
mod panel;
mod picker;
mod reading;
mod side_by_side;
mod sources;
mod trace;
mod versions;

use std::ops::Range;

use tui_input::Input;

use super::command::Mode;
use super::keymap::{Key, Keymap};
use super::motion::Segments;
use super::wrap::Wrapped;
use crate::annotation::{Annotation, TagVocabulary};
use crate::article::clean::clean_line;
use crate::article::{Article, Published};
use crate::index::{SearchResults, Summary};
use crate::reading::{Facts, FeedArticles, SortKey};

pub use claims::{Claim, ClaimRow, Claims, Months, marks};
pub use messages::Messages;
pub use note::NoteEditor;
pub use panel::Panel;
pub use picker::{PickRow, Picker, Target};
pub use reading::Reading;
pub use side_by_side::{OtherText, Row, Side};
pub use sources::{SourceKind, SourceRow, Sources};
pub use trace::{TraceView, next_relation};
pub use versions::{Sign, Versions};

/// The screen being shown (the panels and overlays over the reader are its key [`Mode`]s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Reader,
    Search,
    Claims,
    /// The trace of a claim.
    Trace,
    /// Every source and feed with its counts.
    Sources,
}

/// An article in the library list (every string already inert).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub source: String,
    pub published: Option<Published>,
    pub words: u64,
    /// How many annotations the article has, and their tags.
    pub claims: u64,
    pub claim_tags: Vec<String>,
    /// The article's own tags (front matter `tags`).
    pub tags: Vec<String>,
    /// Whether the article is only the text its feed gave (its page is still to be fetched).
    pub summary_only: bool,
}

impl Entry {
    pub fn from_summary(s: Summary) -> Entry {
        Entry {
            id: clean_line(&s.id),
            title: clean_line(&s.title),
            source: s.source.as_deref().map(clean_line).unwrap_or_default(),
            published: s.published,
            words: s.words,
            claims: s.claims,
            claim_tags: s.claim_tags.iter().map(|t| clean_line(t)).collect(),
            tags: s.tags.iter().map(|t| clean_line(t)).collect(),
            summary_only: s.summary_only,
        }
    }

    /// What the library's filter and orders look at.
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            id: &self.id,
            title: &self.title,
            source: Some(self.source.as_str()).filter(|s| !s.is_empty()),
            published: self.published,
            tags: &self.tags,
            claim_tags: &self.claim_tags,
            words: self.words,
            claims: self.claims,
        }
    }
}

/// The library: every article, sorted and filtered.
#[derive(Debug, Default)]
pub struct Library {
    pub entries: Vec<Entry>,
    /// Indices into `entries` of the rows shown, in order.
    pub shown: Vec<usize>,
    pub sort: SortKey,
    /// The filter line is open for typing (it is shown, not open, while it holds words).
    pub filter_open: bool,
    /// The filter line: `LibraryFilter` words (`unread source:KrASIA`) and free text.
    pub filter: Input,
    /// Which articles came from each configured feed (for `feed:NAME`).
    pub feeds: FeedArticles,
    /// The selected row (an index into `shown`) and the first row drawn.
    pub selected: usize,
    pub offset: usize,
    /// How much of the list has been read from the index.
    pub listed: Listed,
}

/// How much of the library's list is here.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Nothing yet: the index is being opened.
    #[default]
    Nothing,
    /// The list's first rows, newest first (`entries` holds them), of this many articles.
    FirstRows(usize),
    /// Every article.
    Whole,
}

impl Library {
    /// Whether the whole list has been read from the index.
    pub fn loaded(&self) -> bool {
        self.listed == Listed::Whole
    }

    /// How many articles there are, while only the list's first rows are here.
    pub fn first_rows_of(&self) -> Option<usize> {
        match self.listed {
            Listed::FirstRows(total) => Some(total),
            _ => None,
        }
    }
}

/// The article being read.
#[derive(Debug)]
pub struct Reader {
    pub article: Article,
    pub wrapped: Wrapped,
    /// The reading position: the char offset of the first line drawn.
    pub anchor: usize,
    /// Matches highlighted, as sorted char ranges into the text.
    pub matches: Vec<Range<usize>>,
    /// The match last jumped to.
    pub current: Option<usize>,
    /// The find line, while it is open, and the text it holds.
    pub find_open: bool,
    pub find: Input,
    /// The screen it was opened from (Back returns there).
    pub from: Screen,
    /// The lower-cased text, made on the first find.
    pub folded: Option<String>,
    /// The cursor: a char offset into the text.
    pub cursor: usize,
    /// While selecting: the end of the selection that stays put (the cursor is the other end).
    pub visual: Option<usize>,
    /// Where a mouse drag started.
    pub drag: Option<usize>,
    /// The text was scrolled since it was opened.
    pub scrolled: bool,
    /// The article is still to be marked read by being open a moment or scrolled (not once it has been,
    /// nor once it was marked by hand).
    pub auto_read: bool,
    /// The text's length in chars.
    pub chars: usize,
    /// The article's words, sentences and paragraphs, for the cursor motions: found on the first motion
    /// that needs them, so that opening a long article does not wait for them.
    segments: std::cell::OnceCell<Segments>,
    /// The article's annotations placed in its text, sorted by position (orphans included, flagged).
    pub annotations: Vec<Annotation>,
    /// Whether the annotations have arrived from the store.
    pub annotations_loaded: bool,
    /// Why the annotations cannot be changed (the store file does not parse), when they cannot.
    pub read_only: Option<String>,
    /// The original or the translation beside it, while shown side by side.
    pub side: Option<Box<Side>>,
}

impl Reader {
    /// A reader of `article`, at its top.
    pub fn new(article: Article, matches: Vec<Range<usize>>, from: Screen) -> Reader {
        let chars = article.text.chars().count();
        Reader {
            article,
            wrapped: Wrapped::default(),
            anchor: 0,
            matches,
            current: None,
            find_open: false,
            find: Input::default(),
            from,
            folded: None,
            cursor: 0,
            visual: None,
            drag: None,
            scrolled: false,
            auto_read: false,
            chars,
            segments: std::cell::OnceCell::new(),
            annotations: Vec::new(),
            annotations_loaded: false,
            read_only: None,
            side: None,
        }
    }

    /// The selected chars (both ends included), while selecting.
    pub fn selection(&self) -> Option<Range<usize>> {
        let fixed = self.visual?;
        let (a, b) = (fixed.min(self.cursor), fixed.max(self.cursor));
        Some(a..(b + 1).min(self.chars))
    }

    /// The article's words, sentences and paragraphs.
    pub fn segments(&self) -> &Segments {
        self.segments
            .get_or_init(|| Segments::new(&self.article.text))
    }

    /// The innermost (then newest) placed annotation under the cursor.
    pub fn annotation_at(&self, at: usize) -> Option<&Annotation> {
        self.annotations
            .iter()
            .filter(|a| !a.orphaned && a.start <= at && at < a.end)
            .min_by_key(|a| (a.end - a.start, std::cmp::Reverse(a.id)))
    }
}

/// The search screen.
#[derive(Debug, Default)]
pub struct Search {
    pub input: Input,
    /// The newest request sent and the request whose results are shown.
    pub sent: u64,
    pub shown: u64,
    pub results: SearchResults,
    /// The query the shown results answer.
    pub query: String,
    pub error: Option<String>,
    pub selected: usize,
    pub offset: usize,
    /// The screen to go back to.
    pub from: Option<Screen>,
    /// Hits newest first rather than best first.
    pub newest_first: bool,
    /// The next page of hits has been asked for.
    pub loading_more: bool,
    /// The request in flight reruns the shown query because files changed: its answer keeps the selection.
    pub refresh: bool,
}

impl Search {
    /// A newer query than the one whose results are shown is on its way (a rerun of the same query
    /// because files changed is not: its results stay true meanwhile).
    pub fn pending(&self) -> bool {
        self.sent > self.shown && !self.refresh
    }
}

/// What the status bar says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Status {
    pub message: Option<String>,
    pub error: Option<String>,
    /// Indexing progress, while the worker indexes.
    pub progress: Option<(usize, usize)>,
    pub indexing: bool,
    /// The index is being written by another newsgloss: searching works, indexing does not.
    pub read_only: bool,
    /// Fetching feeds, while the worker fetches: (done, total, the feed being fetched).
    pub fetching: Option<(usize, usize, String)>,
    /// Syncing the workspace through git, while it runs: the step under way.
    pub syncing: Option<String>,
    /// Keys were dropped at an input line's cap and that was said; said again only after a key is taken.
    pub input_cut: bool,
}

/// The whole state of the reader.
#[derive(Debug)]
pub struct State {
    /// The screen being shown (the panels over the reader are in their own fields).
    pub screen: Screen,
    pub help: bool,
    /// How far the help is scrolled, in rows.
    pub help_scroll: usize,
    pub library: Library,
    pub reader: Option<Reader>,
    pub search: Search,
    pub claims: Claims,
    /// The trace of a claim, while shown (and under the article opened from it, for going back).
    pub trace: Option<TraceView>,
    /// The newest trace request made.
    pub trace_seq: u64,
    /// The passage to highlight and put the cursor on once its article opens (from the trace).
    pub passage: Option<(String, Range<usize>)>,
    /// The annotation a link was last followed from (the next follow from its target goes on round).
    pub came_from: Option<crate::annotation::AnnotationId>,
    /// The sources view.
    pub sources: Sources,
    /// Whether `y` copies through the terminal (`[reader] osc52`).
    pub osc52: bool,
    /// The tag picker, the note editor and the annotations panel, while open (over the reader).
    pub picker: Option<Picker>,
    pub note: Option<NoteEditor>,
    pub panel: Option<Panel>,
    /// What changed since the previous version, while shown (over the reader).
    pub versions: Option<Versions>,
    /// Which articles are read, starred, new, and where each was left.
    pub reading: Reading,
    /// Deleted annotations, newest last, for undo.
    pub undo: Vec<Annotation>,
    /// The configured tags.
    pub vocabulary: TagVocabulary,
    /// The annotation to put the cursor on once its article's annotations arrive.
    pub jump: Option<(String, crate::annotation::AnnotationId)>,
    /// The chars to keep whole on screen (a claim just tagged, stepped to or opened, a match jumped to)
    /// until the next key, while panels come and go.
    pub reveal: Option<Range<usize>>,
    /// The claims a search matched in the article being opened from it: they become its matches once its
    /// annotations arrive, and the reader opens at the first.
    pub claim_hits: Option<(String, Vec<crate::annotation::AnnotationId>)>,
    /// The open article changed on disk and is read again once no tag or note is being made on it.
    pub reload: Option<String>,
    pub status: Status,
    /// Every message of the session.
    pub messages: Messages,
    /// Keys of a chord typed so far.
    pub pending: Vec<Key>,
    /// The key bindings (the help lists them).
    pub keymap: Keymap,
    /// The window size.
    pub width: u16,
    pub height: u16,
    /// `reader.max_width` from the config.
    pub max_width: u16,
    /// Hits asked for and snippet length (from the config).
    pub search_limit: usize,
    pub snippet_chars: usize,
    /// How many `[[feeds]]` the config has (the fetch key says how to add some when there are none).
    pub feeds: usize,
    pub quit: bool,
    /// The signal that made the reader quit, if one did (the process then exits with 128 + it).
    pub signal: Option<i32>,
}

impl State {
    pub fn new(max_width: u16, width: u16, height: u16) -> State {
        State {
            screen: Screen::Library,
            help: false,
            help_scroll: 0,
            library: Library::default(),
            reader: None,
            search: Search::default(),
            claims: Claims::default(),
            trace: None,
            trace_seq: 0,
            passage: None,
            came_from: None,
            sources: Sources::default(),
            osc52: true,
            picker: None,
            note: None,
            panel: None,
            versions: None,
            reading: Reading::default(),
            undo: Vec::new(),
            vocabulary: TagVocabulary::default(),
            jump: None,
            reload: None,
            reveal: None,
            claim_hits: None,
            status: Status::default(),
            messages: Messages::default(),
            pending: Vec::new(),
            keymap: Keymap::default(),
            width,
            height,
            max_width: max_width.max(1),
            search_limit: 50,
            snippet_chars: 200,
            feeds: 0,
            quit: false,
            signal: None,
        }
    }

    /// The key table in force: the help, the messages, or what is under them.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        if self.messages.open {
            return Mode::Messages;
        }
        self.screen_mode()
    }

    /// The key table of the screen under the help: an open input line, picker, editor or panel, a
    /// selection, or the screen.
    pub fn screen_mode(&self) -> Mode {
        match self.screen {
            Screen::Library if self.library.filter_open => Mode::Filter,
            Screen::Library => Mode::Library,
            Screen::Reader if self.versions.is_some() => Mode::Versions,
            Screen::Reader if self.note.is_some() => Mode::Note,
            Screen::Reader if self.picker.is_some() => Mode::Picker,
            Screen::Reader if self.panel.is_some() => Mode::Panel,
            Screen::Reader => match &self.reader {
                Some(r) if r.find_open => Mode::Find,
                Some(r) if r.visual.is_some() => Mode::Visual,
                _ => Mode::Reader,
            },
            Screen::Search => Mode::Search,
            Screen::Claims => Mode::Claims,
            Screen::Trace => Mode::Trace,
            Screen::Sources => Mode::Sources,
        }
    }

    /// How many of the articles the library shows are unread.
    pub fn library_unread(&self) -> usize {
        let lib = &self.library;
        let shown = lib.shown.iter().map(|&i| lib.entries[i].id.as_str());
        self.reading.state.unread_count(shown)
    }

    /// How many of the search hits loaded are unread.
    pub fn hits_unread(&self) -> usize {
        let hits = self.search.results.hits.iter().map(|h| h.id.as_str());
        self.reading.state.unread_count(hits)
    }

    /// How many of the claims shown (each counted once, whatever its tags) are in unread articles.
    pub fn claims_unread(&self) -> usize {
        let unread = self
            .claims
            .shown_claims()
            .filter(|c| !self.reading.is_read(&c.article))
            .map(|c| (c.article.as_str(), c.id));
        unread.collect::<std::collections::HashSet<_>>().len()
    }

    /// The selected library entry.
    pub fn selected_entry(&self) -> Option<&Entry> {
        let i = *self.library.shown.get(self.library.selected)?;
        self.library.entries.get(i)
    }
}
