//! The versions overlay: what changed since the previous version of the article being read.

use crate::ingest::DiffLine;
use crate::tui::wrap::Wrapped;

/// The diff from an article's newest previous version to its current text (every string already inert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// The previous version's name (when it was kept, `YYYYMMDDTHHMMSSZ`).
    pub previous: String,
    /// One line per paragraph of plain text (blank lines between them).
    pub lines: Vec<DiffLine>,
    /// The first row drawn.
    pub scroll: usize,
}

/// How a row of the overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Same,
    Removed,
    Added,
}

impl Versions {
    pub fn new(previous: String, lines: Vec<DiffLine>) -> Versions {
        Versions {
            previous,
            lines,
            scroll: 0,
        }
    }

    /// The rows at `width` columns: each line marked `-`, `+` or a space, wrapped under its text.
    pub fn rows(&self, width: u16) -> Vec<(Sign, String)> {
        let room = width.saturating_sub(2).max(1);
        let mut rows = Vec::new();
        for line in &self.lines {
            let (sign, mark, text) = match line {
                DiffLine::Same(t) => (Sign::Same, ' ', t),
                DiffLine::Removed(t) => (Sign::Removed, '-', t),
                DiffLine::Added(t) => (Sign::Added, '+', t),
            };
            let wrapped = Wrapped::new(text, room);
            for i in 0..wrapped.lines.len().max(1) {
                let part = if wrapped.lines.is_empty() {
                    ""
                } else {
                    wrapped.text(text, i)
                };
                let lead = if i == 0 { mark } else { ' ' };
                rows.push((sign, format!("{lead} {part}")));
            }
        }
        rows
    }

    /// How many lines were removed and added.
    pub fn counts(&self) -> (usize, usize) {
        let removed = self
            .lines
            .iter()
            .filter(|l| matches!(l, DiffLine::Removed(_)))
            .count();
        let added = self
            .lines
            .iter()
            .filter(|l| matches!(l, DiffLine::Added(_)))
            .count();
        (removed, added)
    }
}
