//! The note editor: the note of a new annotation (with the tags it will get) or of one that exists.

use ratatui_textarea::TextArea;

use super::Target;

/// The note editor (multi-line).
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub target: Target,
    /// The tags a new annotation will get.
    pub tags: Vec<String>,
    pub editor: TextArea<'static>,
}
