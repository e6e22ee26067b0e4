//! The pure update: `update(&mut State, Msg) -> Vec<Effect>`. No I/O and no clock; work that needs the
//! index goes out as [`Effect`]s and comes back as [`Msg`]s. This file is the router: a key goes
//! through the keymap of the [`Mode`] in force, and a command to that mode's screen (one file each under
//! update/); nothing else routes.

mod annotate;
mod claims;
mod cursor;
mod fetch;
mod help;
mod library;
mod list;
mod live;
mod messages;
mod note;
mod outside;
mod panel;
mod picker;
mod reader;
mod reading;
mod search;
mod side_by_side;
mod sources;
mod team;
mod trace;
mod versions;

use ratatui::crossterm::event::{
    Event, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use tui_input::backend::crossterm::to_input_request;

use super::command::{Command, Mode, Msg};
use super::effect::Effect;
use super::keymap::{Key, Resolved};
use super::layout;
use super::state::{Reader, Screen, State};
use crate::article::clean::clean_line;

pub use claims::{selected as selected_claim, visible as visible_claims};
pub use cursor::char_at;
pub use fetch::summary_line;
pub use library::{current_filter, set_filter};
pub use live::remap;
pub use reader::rewrap;

/// Applies one message (or a [`Command`]) to the state and returns the work it asks for.
pub fn update(state: &mut State, msg: impl Into<Msg>) -> Vec<Effect> {
    let mut effects = apply(state, msg.into());
    effects.extend(live::pending_reload(state));
    effects.extend(reading::after_scroll(state));
    if let Some(span) = state.reveal.clone() {
        reader::show_span(state, span);
    }
    reader::make_room(state);
    let status = &state.status;
    state
        .messages
        .record(status.message.as_ref(), status.error.as_ref());
    side_by_side::keep_cursor_shown(state);
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Command(command) => return route(state, command),
        Msg::Key(event) => return key(state, event),
        Msg::Mouse(event) => return mouse(state, event),
        Msg::Resize(width, height) => {
            let follow = reader::current_match_on_screen(state);
            state.width = width;
            state.height = height;
            rewrap(state);
            if let Some(index) = follow {
                reader::jump_to_match(state, index);
            }
            list::keep_selection_visible(state);
            cursor::follow_view(state);
            claims::keep_visible(state);
        }
        Msg::AnnotationsLoaded { article, result } => annotate::loaded(state, article, result),
        Msg::SideBySideLoaded { article, result } => side_by_side::loaded(state, &article, result),
        Msg::ClaimsLoaded { claims, errors } => claims::loaded(state, claims, errors),
        Msg::Fetching {
            done,
            total,
            current,
        } => fetch::progress(state, done, total, &current),
        Msg::Fetched { feeds, result } => return fetch::finished(state, feeds, result),
        Msg::Syncing(step) => team::progress(state, &step),
        Msg::Synced(result) => return team::finished(state, result),
        Msg::VersionsLoaded { article, result } => versions::loaded(state, &article, result),
        Msg::LibraryHead { entries, total } => library::head(state, entries, total),
        Msg::Library(entries) => {
            library::reload(state, entries);
            let mut effects = claims::preload(state);
            effects.extend(reading::note_arrivals(state));
            effects.extend(sources::refresh(state));
            return effects;
        }
        Msg::SourcesLoaded { feeds, members } => {
            sources::loaded(state, feeds, members);
            library::refilter(state);
        }
        Msg::Progress(done, total) => {
            state.status.indexing = true;
            state.status.progress = Some((done, total));
        }
        Msg::Indexed(message) => {
            state.status.indexing = false;
            state.status.progress = None;
            state.status.message = Some(clean_line(&message));
        }
        Msg::ReadOnly => state.status.read_only = true,
        Msg::Notice(message) => state.status.message = Some(clean_line(&message)),
        Msg::Error(message) => state.status.error = Some(clean_line(&message)),
        Msg::Results { seq, query, result } => results(state, seq, query, result),
        Msg::Page {
            seq,
            offset,
            result,
        } => search::page_arrived(state, seq, offset, result),
        Msg::Opened { article, matches } => return opened(state, *article, matches),
        Msg::Reloaded { article, matches } => live::reloaded(state, *article, matches),
        Msg::FilesChanged { articles, all } => {
            return live::files_changed(state, &articles, all);
        }
        Msg::Traced { seq, result } => trace::traced(state, seq, result),
        Msg::Linked {
            article,
            start,
            end,
            result,
        } => trace::linked(state, article, (start, end), result),
        Msg::Signal(signal) => return quit(state, Some(signal)),
        Msg::Reading(update) => return reading::arrived(state, *update),
        Msg::ReadingFileChanged => return vec![reading::reread()],
        Msg::Dwelt(id) => return reading::dwelt(state, &id),
        Msg::FeedArticles(feeds) => {
            state.library.feeds = feeds;
            library::refilter(state);
        }
    }
    Vec::new()
}

/// A command, to the screen whose keys are in force. Quitting, the help and the messages work from
/// everywhere.
fn route(state: &mut State, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit => return quit(state, None),
        Command::Help => return help::toggle(state),
        Command::Messages => return messages::toggle(state),
        _ => {}
    }
    match state.mode() {
        Mode::Help => help::command(state, command),
        Mode::Messages => messages::command(state, command),
        Mode::Library | Mode::Filter => library::library(state, command),
        Mode::Search => search::search(state, command),
        Mode::Reader | Mode::Find | Mode::Visual => reader::reader(state, command),
        Mode::Picker => picker::command(state, command),
        Mode::Note => note::command(state, command),
        Mode::Panel => panel::command(state, command),
        Mode::Claims => claims::command(state, command),
        Mode::Trace => trace::command(state, command),
        Mode::Sources => sources::command(state, command),
        Mode::Versions => {
            versions::command(state, command);
            Vec::new()
        }
    }
}

/// Quitting: where the open article was left and the end of the visit, then what is pending.
fn quit(state: &mut State, signal: Option<i32>) -> Vec<Effect> {
    let mut effects = reading::closing(state);
    effects.extend(annotate::quit(state, signal));
    effects
}

/// A key press: through the keymap (chords included); keys it does not bind go to an open input line.
fn key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    if event.kind == KeyEventKind::Release {
        return Vec::new();
    }
    state.status.message = None;
    state.status.error = None;
    state.reveal = None;
    let key = Key::from_event(&event);
    let mut resolved = state.keymap.resolve(state.mode(), &state.pending, key);
    if resolved == Resolved::Unbound && !state.pending.is_empty() {
        state.pending.clear();
        resolved = state.keymap.resolve(state.mode(), &[], key);
    }
    match resolved {
        Resolved::Command(command) => {
            state.pending.clear();
            update(state, command)
        }
        Resolved::Pending => {
            state.pending.push(key);
            Vec::new()
        }
        Resolved::Unbound => {
            state.pending.clear();
            match state.mode() {
                Mode::Filter
                | Mode::Find
                | Mode::Search
                | Mode::Picker
                | Mode::Note
                | Mode::Claims => typed(state, event),
                Mode::Library
                | Mode::Reader
                | Mode::Help
                | Mode::Visual
                | Mode::Panel
                | Mode::Trace
                | Mode::Versions
                | Mode::Messages
                | Mode::Sources => Vec::new(),
            }
        }
    }
}

/// The most chars an input line holds (a search is refused past it anyway).
pub const INPUT_CAP: usize = crate::index::MAX_QUERY_CHARS;
/// The most chars a note holds.
pub const NOTE_CAP: usize = 10_000;

/// The chars of the open input line and its cap, for a key that would add one.
fn input_room(state: &State, event: &KeyEvent) -> Option<(usize, usize)> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let adds = match event.code {
        KeyCode::Char(_) => !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT),
        KeyCode::Enter | KeyCode::Tab => state.mode() == Mode::Note,
        _ => false,
    };
    if !adds {
        return None;
    }
    // Bytes first (cheap): only an input line near its cap has its chars counted.
    let count = |text: &str, cap: usize| (text.len() >= cap).then(|| text.chars().count());
    let (chars, cap) = match state.mode() {
        Mode::Filter => (count(state.library.filter.value(), INPUT_CAP), INPUT_CAP),
        Mode::Find => (
            count(state.reader.as_ref()?.find.value(), INPUT_CAP),
            INPUT_CAP,
        ),
        Mode::Search => (count(state.search.input.value(), INPUT_CAP), INPUT_CAP),
        Mode::Picker => (
            count(state.picker.as_ref()?.input.value(), INPUT_CAP),
            INPUT_CAP,
        ),
        Mode::Claims => (count(state.claims.filter.value(), INPUT_CAP), INPUT_CAP),
        Mode::Note => {
            let lines = state.note.as_ref()?.editor.lines();
            let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
            let chars = (bytes >= NOTE_CAP)
                .then(|| lines.iter().map(|l| l.chars().count() + 1).sum::<usize>() - 1);
            (chars, NOTE_CAP)
        }
        Mode::Library
        | Mode::Reader
        | Mode::Help
        | Mode::Visual
        | Mode::Panel
        | Mode::Trace
        | Mode::Versions
        | Mode::Messages
        | Mode::Sources => return None,
    };
    Some((chars?, cap))
}

/// A key for the open input line. What would pass the line's cap is dropped as it arrives (a paste of
/// any size costs no more than the cap), with one message.
fn typed(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    if let Some((chars, cap)) = input_room(state, &event)
        && chars >= cap
    {
        if !std::mem::replace(&mut state.status.input_cut, true) {
            state.status.message =
                Some(format!("input cut at {cap} characters, the most it holds"));
        }
        return Vec::new();
    }
    state.status.input_cut = false;
    if state.mode() == Mode::Note {
        note::typed(state, event);
        return Vec::new();
    }
    let Some(request) = to_input_request(&Event::Key(event)) else {
        return Vec::new();
    };
    match state.mode() {
        Mode::Filter => {
            if state
                .library
                .filter
                .handle(request)
                .is_some_and(|c| c.value)
            {
                library::refilter(state);
            }
        }
        Mode::Find => {
            let Some(reader) = state.reader.as_mut() else {
                return Vec::new();
            };
            if reader.find.handle(request).is_some_and(|c| c.value) {
                let needle = reader.find.value().to_owned();
                reader::find(state, &needle);
            }
        }
        Mode::Search => {
            if state.search.input.handle(request).is_some_and(|c| c.value) {
                return query_changed(state);
            }
        }
        Mode::Picker => picker::typed(state, request),
        Mode::Claims => claims::typed(state, request),
        Mode::Note
        | Mode::Library
        | Mode::Reader
        | Mode::Help
        | Mode::Visual
        | Mode::Panel
        | Mode::Trace
        | Mode::Versions
        | Mode::Messages
        | Mode::Sources => {}
    }
    Vec::new()
}

/// The query changed: ask for its results (an empty query clears them at once).
pub(super) fn query_changed(state: &mut State) -> Vec<Effect> {
    let search = &mut state.search;
    search.sent += 1;
    let query = search.input.value().trim().to_owned();
    if query.is_empty() {
        search.shown = search.sent;
        search.results = Default::default();
        search.query.clear();
        search.error = None;
        search.selected = 0;
        search.offset = 0;
        return Vec::new();
    }
    search.loading_more = false;
    vec![search_effect(search.sent, query, search.newest_first)]
}

/// The first page of `query`'s hits, best or newest first.
pub(super) fn search_effect(seq: u64, query: String, newest_first: bool) -> Effect {
    match newest_first {
        false => Effect::Search { seq, query },
        true => Effect::SearchPage {
            seq,
            query,
            offset: 0,
            newest_first,
        },
    }
}

fn results(
    state: &mut State,
    seq: u64,
    query: String,
    result: Result<crate::index::SearchResults, String>,
) {
    let search = &mut state.search;
    if seq < search.shown {
        return; // older than what is on screen: a stale answer.
    }
    search.shown = seq;
    search.loading_more = false;
    // A rerun because files changed keeps the selected hit (by article) where it is still a hit.
    let keep = std::mem::take(&mut search.refresh)
        .then(|| {
            search
                .results
                .hits
                .get(search.selected)
                .map(|h| h.id.clone())
        })
        .flatten();
    match result {
        Ok(results) => {
            // What the query parser read leniently (a stray operator, an unclosed quote) is said, not hidden.
            if !results.notices.is_empty() {
                state.status.message = Some(format!(
                    "query: {}",
                    clean_line(&results.notices.join("; "))
                ));
            }
            let search = &mut state.search;
            search.results = results;
            search.query = query;
            search.error = None;
            let kept = keep.and_then(|id| search.results.hits.iter().position(|h| h.id == id));
            search.selected = kept.unwrap_or(0);
            if kept.is_none() {
                search.offset = 0;
            }
            list::keep_selection_visible(state);
        }
        // An unfinished query keeps the results of the last one that ran, with why in the status bar.
        Err(message) if !search.query.is_empty() => {
            let last = crate::text::shorten(&search.query, 40);
            state.status.message =
                Some(format!("still showing “{last}”: {}", clean_line(&message)));
        }
        Err(message) => {
            let message = clean_line(&message);
            search.error = Some(message.clone());
            state.status.error = Some(message);
        }
    }
}

fn opened(
    state: &mut State,
    article: crate::article::Article,
    mut matches: Vec<std::ops::Range<usize>>,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    if state
        .reader
        .as_ref()
        .is_some_and(|r| r.article.id != article.id)
    {
        effects.extend(reading::save_position(state));
    }
    if let Some(passage) = trace::passage_matches(state, &article) {
        matches = passage;
    }
    matches.sort_by_key(|r| (r.start, r.end));
    let from = match state.screen {
        Screen::Search | Screen::Claims | Screen::Trace => state.screen,
        Screen::Reader => state.reader.as_ref().map_or(Screen::Library, |r| r.from),
        Screen::Library | Screen::Sources => Screen::Library,
    };
    state.reader = Some(Reader::new(article, matches, from));
    state.screen = Screen::Reader;
    state.help = false;
    state.picker = None;
    state.note = None;
    state.panel = None;
    state.versions = None;
    rewrap(state);
    if state.reader.as_ref().is_some_and(|r| !r.matches.is_empty()) {
        reader::jump_to_match(state, 0);
    }
    effects.extend(reading::opened(state));
    effects
}

fn mouse(state: &mut State, event: MouseEvent) -> Vec<Effect> {
    let (up, down) = (MouseEventKind::ScrollUp, MouseEventKind::ScrollDown);
    match event.kind {
        kind if kind == up || kind == down => {
            let step: isize = if kind == up { -3 } else { 3 };
            match state.screen {
                Screen::Reader if state.versions.is_some() => {
                    let command = if step < 0 { Command::Up } else { Command::Down };
                    versions::command(state, command);
                }
                Screen::Reader if state.panel.is_some() => {
                    let command = if step < 0 { Command::Up } else { Command::Down };
                    let _ = panel::command(state, command);
                }
                Screen::Reader if side_by_side::is_open(state) => side_by_side::scroll(state, step),
                Screen::Reader => {
                    reader::scroll_reader(state, step);
                    cursor::follow_view(state);
                }
                _ => list::move_selection(state, step),
            }
            Vec::new()
        }
        _ if state.screen == Screen::Reader
            && !state.help
            && state.picker.is_none()
            && state.note.is_none()
            && state.panel.is_none()
            && state.versions.is_none() =>
        {
            cursor::mouse(state, event);
            Vec::new()
        }
        MouseEventKind::Down(MouseButton::Left) if state.help => {
            state.help = false;
            Vec::new()
        }
        MouseEventKind::Down(MouseButton::Left) => click(state, event.column, event.row),
        _ => Vec::new(),
    }
}

/// A click selects a row; a click on the selected row opens it.
fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    let at = ratatui::layout::Position::new(column, row);
    let index = match state.screen {
        Screen::Library => {
            let (_, rows) = layout::library(state);
            if !rows.contains(at) {
                return Vec::new();
            }
            state.library.offset + usize::from(row - rows.y)
        }
        Screen::Search => {
            let (_, _, hits) = layout::search(state);
            if !hits.contains(at) {
                return Vec::new();
            }
            state.search.offset + usize::from((row - hits.y) / layout::HIT_ROWS)
        }
        Screen::Reader | Screen::Claims | Screen::Trace | Screen::Sources => return Vec::new(),
    };
    let (selected, len) = match state.screen {
        Screen::Library => (state.library.selected, state.library.shown.len()),
        _ => (state.search.selected, state.search.results.hits.len()),
    };
    if index >= len {
        return Vec::new();
    }
    if index == selected {
        return route(state, Command::Open);
    }
    match state.screen {
        Screen::Library => state.library.selected = index,
        _ => state.search.selected = index,
    }
    list::keep_selection_visible(state);
    Vec::new()
}
