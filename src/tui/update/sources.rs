//! The sources view: opened from the library (its counts are read afresh then), moved through as a
//! list; Enter shows the row's articles in the library, Esc goes back to the library as it was.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layout;
use super::super::state::{Screen, State};
use super::library;
use crate::article::clean::clean_line;
use crate::reading::{FeedArticles, LibraryFilter};

/// Opens the sources view on the row the library is filtered to, if it is, and asks for the feeds and
/// the reading state as they are now.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Sources;
    let filter = state.library.filter.value().trim().to_owned();
    let rows = state.source_rows();
    let same = |r: &super::super::state::SourceRow| {
        LibraryFilter::read(&r.filter()).0.to_string() == filter
    };
    if let Some(i) = rows.iter().position(same) {
        state.sources.selected = i;
    }
    state.sources.selected = state.sources.selected.min(rows.len().saturating_sub(1));
    keep_visible(state);
    vec![Effect::LoadSources]
}

/// The library changed (articles arrived, changed or left): the counts are read again when the
/// sources view is shown or feeds are configured (the library's `feed:` filter needs them).
pub fn refresh(state: &State) -> Vec<Effect> {
    match state.screen == Screen::Sources || state.feeds > 0 {
        true => vec![Effect::LoadSources],
        false => Vec::new(),
    }
}

/// The feeds and the reading state arrived.
pub fn loaded(state: &mut State, feeds: Vec<String>, members: FeedArticles) {
    state.sources.feeds = feeds.iter().map(|f| clean_line(f)).collect();
    // The same record the library's `feed:` words read, as fresh.
    state.library.feeds = members.clone();
    state.sources.members = members;
    state.sources.loaded = true;
    let rows = state.source_rows().len();
    state.sources.selected = state.sources.selected.min(rows.saturating_sub(1));
    keep_visible(state);
}

/// A command in the sources view.
pub fn command(state: &mut State, command: Command) -> Vec<Effect> {
    let len = state.source_rows().len();
    let page = layout::sources(state).1.height.max(1) as usize;
    let sources = &mut state.sources;
    let last = len.saturating_sub(1);
    match command {
        Command::Down => sources.selected = (sources.selected + 1).min(last),
        Command::Up => sources.selected = sources.selected.saturating_sub(1),
        Command::HalfPageDown => sources.selected = (sources.selected + page / 2).min(last),
        Command::HalfPageUp => sources.selected = sources.selected.saturating_sub(page / 2),
        Command::PageDown => sources.selected = (sources.selected + page).min(last),
        Command::PageUp => sources.selected = sources.selected.saturating_sub(page),
        Command::Top => sources.selected = 0,
        Command::Bottom => sources.selected = last,
        Command::Open => return show(state),
        Command::Back => state.screen = Screen::Library,
        _ => {}
    }
    keep_visible(state);
    Vec::new()
}

/// Enter: the library, filtered to the selected row's articles.
fn show(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.source_rows().into_iter().nth(state.sources.selected) else {
        return Vec::new();
    };
    state.screen = Screen::Library;
    library::set_filter(state, &LibraryFilter::read(&row.filter()).0);
    state.library.selected = 0;
    state.library.offset = 0;
    Vec::new()
}

/// Moves the selection by `step` rows (the mouse wheel), clamped.
pub fn move_selection(state: &mut State, step: isize) {
    let last = state.source_rows().len().saturating_sub(1);
    let target = (state.sources.selected as isize).saturating_add(step);
    state.sources.selected = target.clamp(0, last as isize) as usize;
    keep_visible(state);
}

/// Scrolls the list so that the selected row is on screen.
pub fn keep_visible(state: &mut State) {
    let rows = layout::sources(state).1.height as usize;
    let s = &mut state.sources;
    s.offset = layout::scrolled(s.selected, s.offset, rows);
}
