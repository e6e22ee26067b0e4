//! The versions overlay: what changed since the previous version of the article being read.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layout;
use super::super::state::{State, Versions};
use crate::article::clean::clean_line;
use crate::ingest::DiffLine;

/// The versions key: ask the worker for the diff of the article being read.
pub fn open(state: &mut State) -> Vec<Effect> {
    match &state.reader {
        Some(reader) => vec![Effect::Versions {
            id: reader.article.id.clone(),
        }],
        None => Vec::new(),
    }
}

/// The worker's answer: the overlay, or why there is none.
pub fn loaded(state: &mut State, article: &str, result: Result<Option<Versions>, String>) {
    if state
        .reader
        .as_ref()
        .is_none_or(|r| r.article.id != article)
    {
        return; // the reader moved on meanwhile.
    }
    match result {
        Ok(Some(changes)) => {
            let lines = changes.lines.iter().map(inert).collect();
            state.panel = None;
            state.versions = Some(Versions::new(clean_line(&changes.previous), lines));
        }
        Ok(None) => state.status.message = Some("no earlier versions of this article".into()),
        Err(e) => {
            state.status.error = Some(format!("cannot show the versions: {}", clean_line(&e)));
        }
    }
}

/// A command while the overlay is open: scroll it, or close it.
pub fn command(state: &mut State, action: Command) {
    let (width, page) = {
        let inner = layout::inner(layout::versions(state));
        (inner.width, usize::from(inner.height).max(1))
    };
    let Some(changes) = state.versions.as_mut() else {
        return;
    };
    let last = changes.rows(width).len().saturating_sub(page);
    changes.scroll = match action {
        Command::Down => changes.scroll + 1,
        Command::Up => changes.scroll.saturating_sub(1),
        Command::PageDown => changes.scroll + page.saturating_sub(1).max(1),
        Command::PageUp => changes.scroll.saturating_sub(page.saturating_sub(1).max(1)),
        Command::Top => 0,
        Command::Bottom => last,
        Command::Back | Command::Cancel | Command::Versions => {
            state.versions = None;
            return;
        }
        _ => changes.scroll,
    }
    .min(last);
}

/// A diff line with its text made inert.
fn inert(line: &DiffLine) -> DiffLine {
    match line {
        DiffLine::Same(t) => DiffLine::Same(clean_line(t)),
        DiffLine::Removed(t) => DiffLine::Removed(clean_line(t)),
        DiffLine::Added(t) => DiffLine::Added(clean_line(t)),
    }
}
