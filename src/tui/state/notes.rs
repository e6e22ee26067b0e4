//! The annotation parts of the state: the tag picker, the note editor, the annotations panel and the
//! claims view across the corpus.

use ratatui_textarea::TextArea;
use tui_input::Input;

use super::Screen;
use crate::annotation::AnnotationId;
use crate::article::Published;

/// What a tag picker or note editor is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new annotation of the chars `start..end`.
    New { start: usize, end: usize },
    /// An annotation that exists.
    Edit(AnnotationId),
}

/// One row of the tag picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickRow {
    /// A tag of the vocabulary (or one the annotation has already).
    Tag(String),
    /// A new tag made from what was typed.
    New(String),
}

impl PickRow {
    pub fn name(&self) -> &str {
        match self {
            PickRow::Tag(name) | PickRow::New(name) => name,
        }
    }
}

/// The tag picker: filters the vocabulary as you type, takes several tags.
#[derive(Debug, Clone)]
pub struct Picker {
    pub target: Target,
    pub input: Input,
    /// The tags checked so far, in the order checked.
    pub checked: Vec<String>,
    /// The rows shown for what is typed, best first.
    pub rows: Vec<PickRow>,
    pub selected: usize,
    pub offset: usize,
    /// Tag names to pick from (the vocabulary, then tags already in use).
    pub names: Vec<String>,
}

/// The note editor (multi-line).
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub target: Target,
    /// The tags a new annotation will get.
    pub tags: Vec<String>,
    pub editor: TextArea<'static>,
}

/// The list of the article's annotations, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Panel {
    pub selected: usize,
    pub offset: usize,
}

/// One claim of the claims view: an annotation under one of its tags (an annotation with two tags is in
/// two groups). Every string is already inert.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub tag: String,
    pub article: String,
    pub title: String,
    pub published: Option<Published>,
    pub id: AnnotationId,
    pub quote: String,
    pub note: Option<String>,
    pub orphaned: bool,
    /// Where the quote starts in the article's text.
    pub start: usize,
    /// Who made it, when known.
    pub creator: Option<String>,
}

/// The claims view: every annotation of the corpus grouped by tag, filtered as you type.
#[derive(Debug, Default)]
pub struct Claims {
    pub loaded: bool,
    /// A load is under way (the claims are read in the background when the library first shows, and
    /// again each time the view opens, so that opening it never waits).
    pub loading: bool,
    /// Sorted by tag (vocabulary order first), then article date and position.
    pub claims: Vec<Claim>,
    /// Indices into `claims` of the rows shown.
    pub shown: Vec<usize>,
    /// Each claim's tag, quote, note and title, folded for the filter: made once per load, not per key.
    pub folded: Vec<String>,
    pub filter: Input,
    pub selected: usize,
    pub offset: usize,
    /// Store files that could not be read.
    pub errors: Vec<String>,
    /// The screen to go back to.
    pub from: Option<Screen>,
}
