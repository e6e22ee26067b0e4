//! Moving the selection of a list: the library, the search results, the claims.

use super::super::command::Command;
use super::super::layout;
use super::super::state::{Screen, State};
use super::claims;

/// Moves the selection of the library or the search results.
pub fn move_by(state: &mut State, action: &Command, page: isize) {
    let step = match action {
        Command::Up => -1,
        Command::Down => 1,
        Command::HalfPageUp => -(page / 2).max(1),
        Command::HalfPageDown => (page / 2).max(1),
        Command::PageUp => -page,
        Command::PageDown => page,
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        _ => return,
    };
    move_selection(state, step);
}

/// Moves the selection of the current list by `step` rows, clamped.
pub fn move_selection(state: &mut State, step: isize) {
    let (selected, len) = match state.screen {
        Screen::Library => (&mut state.library.selected, state.library.shown.len()),
        Screen::Search => (&mut state.search.selected, state.search.results.hits.len()),
        Screen::Claims => return claims::move_selection(state, step),
        Screen::Trace => return super::trace::move_selection(state, step),
        Screen::Sources => return super::sources::move_selection(state, step),
        Screen::Reader => return,
    };
    let target = (*selected as isize).saturating_add(step);
    *selected = target.clamp(0, len.saturating_sub(1) as isize) as usize;
    keep_selection_visible(state);
}

/// Moves the lists' first rows so that their selections are drawn.
pub fn keep_selection_visible(state: &mut State) {
    let rows = layout::library(state).1.height as usize;
    let lib = &mut state.library;
    lib.offset = layout::scrolled(lib.selected, lib.offset, rows);
    let hits = (layout::search(state).2.height / layout::HIT_ROWS) as usize;
    let search = &mut state.search;
    search.offset = layout::scrolled(search.selected, search.offset, hits.max(1));
}
