//! Everything on screen: the mode, the library list, the article being read, the search, the status bar.

use std::ops::Range;

use tui_input::Input;

use super::keymap::{Key, Keymap};
use super::wrap::Wrapped;
use crate::article::clean::clean_line;
use crate::article::{Article, Published};
use crate::index::{SearchResults, Summary};

/// The screen being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Library,
    Reader,
    Search,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Library => "library",
            Mode::Reader => "reader",
            Mode::Search => "search",
        }
    }
}

/// An article in the library list (every string already inert).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub source: String,
    pub published: Option<Published>,
    pub words: u64,
}

impl Entry {
    pub fn from_summary(s: Summary) -> Entry {
        Entry {
            id: clean_line(&s.id),
            title: clean_line(&s.title),
            source: s.source.as_deref().map(clean_line).unwrap_or_default(),
            published: s.published,
            words: s.words,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest first.
    Date,
    Title,
}

/// The library: every article, sorted and filtered.
#[derive(Debug, Default)]
pub struct Library {
    pub entries: Vec<Entry>,
    /// Indices into `entries` of the rows shown, in order.
    pub shown: Vec<usize>,
    pub sort: Option<Sort>,
    /// The filter line, while it is open.
    pub filter_open: bool,
    pub filter: Input,
    /// The selected row (an index into `shown`) and the first row drawn.
    pub selected: usize,
    pub offset: usize,
    /// Whether the list has been read from the index yet.
    pub loaded: bool,
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
    pub from: Mode,
    /// The lower-cased text, made on the first find.
    pub folded: Option<String>,
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
    pub from: Option<Mode>,
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
}

/// The whole state of the reader.
#[derive(Debug)]
pub struct State {
    pub mode: Mode,
    pub help: bool,
    pub library: Library,
    pub reader: Option<Reader>,
    pub search: Search,
    pub status: Status,
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
    pub quit: bool,
}

impl State {
    pub fn new(max_width: u16, width: u16, height: u16) -> State {
        State {
            mode: Mode::Library,
            help: false,
            library: Library {
                sort: Some(Sort::Date),
                ..Library::default()
            },
            reader: None,
            search: Search::default(),
            status: Status::default(),
            pending: Vec::new(),
            keymap: Keymap::default(),
            width,
            height,
            max_width: max_width.max(1),
            search_limit: 50,
            snippet_chars: 200,
            quit: false,
        }
    }

    /// The name of the key table in force: an open input line, the help, or the screen.
    pub fn key_mode(&self) -> &'static str {
        if self.help {
            return "help";
        }
        match self.mode {
            Mode::Library if self.library.filter_open => "filter",
            Mode::Reader if self.reader.as_ref().is_some_and(|r| r.find_open) => "find",
            mode => mode.name(),
        }
    }

    /// The selected library entry.
    pub fn selected_entry(&self) -> Option<&Entry> {
        let i = *self.library.shown.get(self.library.selected)?;
        self.library.entries.get(i)
    }
}
