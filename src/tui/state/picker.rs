//! The tag picker: what it is for (a new span or an annotation), the rows shown for what is typed, the
//! tags checked.

use tui_input::Input;

use crate::annotation::AnnotationId;

/// What a tag picker or note editor is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new annotation of the chars `start..end`.
    New { start: usize, end: usize },
    /// An annotation that exists.
    Edit(AnnotationId),
    /// The article's own tags (its front matter), as they were when the picker opened.
    Article(Vec<String>),
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
