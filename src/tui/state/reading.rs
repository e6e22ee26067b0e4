//! The reading state as the reader shows it: which articles are read, starred and new, and where each
//! was left, as the state file last said, with the reader's own changes applied at once while the worker
//! writes them.

use std::sync::Arc;

use crate::reading::ReadingState;

/// What the reader knows of the reading state file.
#[derive(Debug, Default)]
pub struct Reading {
    /// The state shown: the file's, with the changes sent to the worker applied. Shared with the
    /// worker's store until the reader changes it (see [`Reading::edit`]).
    pub state: Arc<ReadingState>,
    /// Changes sent to the worker and not answered yet. While there are some, a state read from the
    /// file by someone else's change is not shown: the answer to the last of them includes it.
    pub pending: usize,
    /// Why the file cannot be written (it does not parse), while it cannot: `file:line:col: why`.
    pub problem: Option<String>,
    /// The articles the last "mark all read" marked, to undo it.
    pub undo: Option<Vec<String>>,
    /// Whether the state has been read from the file yet.
    pub loaded: bool,
    /// The worker is reading the state (the reader says so until it is loaded).
    pub coming: bool,
}

impl Reading {
    /// The state to change before the file answers: the reader's own copy (made on the first change
    /// after an answer; the answer replaces it).
    pub fn edit(&mut self) -> &mut ReadingState {
        Arc::make_mut(&mut self.state)
    }

    pub fn is_read(&self, id: &str) -> bool {
        self.state.is_read(id)
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.state.is_starred(id)
    }

    pub fn is_new(&self, id: &str) -> bool {
        self.state.is_new(id)
    }

    /// Whether newsgloss has never seen the article (its arrival is still to be noted).
    pub fn unseen(&self, id: &str) -> bool {
        self.state.articles.get(id).is_none_or(|a| a.seen.is_none())
    }
}
