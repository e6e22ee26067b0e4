//! The reading state from the reader: marking read (by hand, or by a moment open or a scroll), starring,
//! marking everything shown read and undoing it, remembering and restoring where an article was left,
//! noting arrivals, and the state as its file says. Every change is shown at once and sent to the
//! worker, which writes it through the reading store and answers with the file as it is then.

use time::OffsetDateTime;
use time::macros::datetime;

use super::super::effect::{Effect, ReadingChange, ReadingUpdate};
use super::super::layout::reader_rows;
use super::super::state::{Screen, State};
use super::library;
use crate::article::clean::clean_line;
use crate::reading::Position;

/// The instant a change shown before the file answers carries (the update has no clock; the worker
/// writes the real one): later than any real one, so that an arrival shown early is new.
const STAND_IN: OffsetDateTime = datetime!(9999-12-31 23:59 UTC);

/// The article the reading keys act on: the one open in the reader, else the library's selection.
fn target(state: &State) -> Option<String> {
    match state.screen {
        Screen::Reader => state.reader.as_ref().map(|r| r.article.id.clone()),
        Screen::Library => state.selected_entry().map(|e| e.id.clone()),
        Screen::Search | Screen::Claims | Screen::Trace | Screen::Sources => None,
    }
}

/// A change for the worker, counted until it is answered.
fn send(state: &mut State, change: ReadingChange) -> Effect {
    state.reading.pending += 1;
    Effect::Reading(change)
}

/// Shows `id` read or unread before the file answers.
fn show_read(state: &mut State, id: &str, read: bool) {
    let reading = state.reading.edit();
    reading.entry(id).read = read.then_some(STAND_IN);
    reading.tidy(id);
}

/// `m`: the article read, or unread again.
pub fn toggle_read(state: &mut State) -> Vec<Effect> {
    let Some(id) = target(state) else {
        return Vec::new();
    };
    let read = !state.reading.is_read(&id);
    // Marked by hand: being open a moment more does not mark it again.
    if let Some(reader) = state.reader.as_mut().filter(|r| r.article.id == id) {
        reader.auto_read = false;
    }
    show_read(state, &id, read);
    state.status.message = Some(if read { "marked read" } else { "marked unread" }.into());
    library::refilter(state);
    vec![send(state, ReadingChange::Read { id, read })]
}

/// `*`: the article starred, or its star taken away.
pub fn toggle_star(state: &mut State) -> Vec<Effect> {
    let Some(id) = target(state) else {
        return Vec::new();
    };
    let starred = !state.reading.is_starred(&id);
    let reading = state.reading.edit();
    reading.entry(&id).starred = starred;
    reading.tidy(&id);
    state.status.message = Some(
        if starred {
            "starred"
        } else {
            "star taken away"
        }
        .into(),
    );
    library::refilter(state);
    vec![send(state, ReadingChange::Star { id, starred })]
}

/// `M`: every article the library shows, read (`u` undoes it).
pub fn mark_all_read(state: &mut State) -> Vec<Effect> {
    let lib = &state.library;
    if lib.first_rows_of().is_some() {
        state.status.message = Some("the list is still being read: M waits for all of it".into());
        return Vec::new();
    }
    let ids: Vec<String> = lib
        .shown
        .iter()
        .map(|&i| lib.entries[i].id.clone())
        .filter(|id| !state.reading.is_read(id))
        .collect();
    if ids.is_empty() {
        state.status.message = Some("every article shown is read already".into());
        return Vec::new();
    }
    for id in &ids {
        show_read(state, id, true);
    }
    state.status.message = Some(format!("marked {} read — u to undo", ids.len()));
    state.reading.undo = Some(ids.clone());
    library::refilter(state);
    vec![send(state, ReadingChange::ReadAll(ids))]
}

/// `u` in the library: the articles the last `M` marked are unread again.
pub fn undo_mark_all(state: &mut State) -> Vec<Effect> {
    let Some(ids) = state.reading.undo.take() else {
        state.status.message = Some("nothing to undo: M marks every article shown read".into());
        return Vec::new();
    };
    for id in &ids {
        show_read(state, id, false);
    }
    state.status.message = Some(format!(
        "{} unread again",
        crate::text::plural(ids.len(), "article")
    ));
    library::refilter(state);
    vec![send(state, ReadingChange::UndoReadAll)]
}

/// The open article counts as read once it has been open a moment or scrolled, if it is still to be.
fn read_by_reading(state: &mut State) -> Option<Effect> {
    let reader = state.reader.as_mut().filter(|r| r.auto_read)?;
    reader.auto_read = false;
    let id = reader.article.id.clone();
    show_read(state, &id, true);
    library::refilter(state);
    Some(send(state, ReadingChange::Read { id, read: true }))
}

/// The open article `id` has been open for a moment.
pub fn dwelt(state: &mut State, id: &str) -> Vec<Effect> {
    match state.reader.as_ref().is_some_and(|r| r.article.id == id) {
        true => read_by_reading(state).into_iter().collect(),
        false => Vec::new(),
    }
}

/// After any message: the open article, once scrolled, counts as read.
pub fn after_scroll(state: &mut State) -> Option<Effect> {
    state.reader.as_ref().filter(|r| r.scrolled)?;
    read_by_reading(state)
}

/// An article was just opened in the reader: back where it was left (unless it opened at a match), and
/// marked read in a moment if it is unread.
pub fn opened(state: &mut State) -> Vec<Effect> {
    let rows = reader_rows(state).max(1);
    let Some(reader) = state.reader.as_mut() else {
        return Vec::new();
    };
    let id = reader.article.id.clone();
    let place = state.reading.state.articles.get(&id);
    if let Some(position) = place.and_then(|a| a.position.as_ref())
        && reader.matches.is_empty()
        && !reader.wrapped.lines.is_empty()
    {
        let text: Vec<char> = reader.article.text.chars().collect();
        let lines = &reader.wrapped.lines;
        let line = reader.wrapped.line_of(position.find(&text));
        let last_top = lines.len().saturating_sub(rows);
        reader.anchor = lines[line.min(last_top)].char_start;
        reader.cursor = reader.anchor;
    }
    if !state.reading.loaded || state.reading.is_read(&id) {
        return Vec::new();
    }
    reader.auto_read = true;
    vec![Effect::Dwell { id }]
}

/// Remembers where the open article was left, when that changed (an article never scrolled from its
/// top has nothing to remember).
pub fn save_position(state: &mut State) -> Option<Effect> {
    if !state.reading.loaded {
        return None; // where it was left before is not known yet
    }
    let reader = state.reader.as_ref()?;
    let id = reader.article.id.clone();
    let stored = state
        .reading
        .state
        .articles
        .get(&id)
        .and_then(|a| a.position.as_ref());
    if stored.is_none() && reader.anchor == 0 {
        return None;
    }
    let text: Vec<char> = reader.article.text.chars().collect();
    let position = Position::at(&text, reader.anchor);
    if stored == Some(&position) {
        return None;
    }
    state.reading.edit().entry(&id).position = Some(position.clone());
    Some(send(state, ReadingChange::Position { id, position }))
}

/// The reader is closing: where the open article was left, and the end of this visit (once the state
/// has been read: a reader closed before that has not shown anything as new).
pub fn closing(state: &mut State) -> Vec<Effect> {
    if !state.reading.loaded {
        return Vec::new();
    }
    let mut effects: Vec<Effect> = save_position(state).into_iter().collect();
    effects.push(send(state, ReadingChange::EndVisit));
    effects
}

/// The first sight of the articles the library lists that newsgloss has never seen (once the state has
/// been read, and while it can be written).
pub fn note_arrivals(state: &mut State) -> Option<Effect> {
    let reading = &state.reading;
    if !reading.loaded || reading.problem.is_some() || !state.library.loaded() {
        return None;
    }
    let ids: Vec<String> = state
        .library
        .entries
        .iter()
        .filter(|e| reading.unseen(&e.id))
        .map(|e| e.id.clone())
        .collect();
    if ids.is_empty() {
        return None;
    }
    state
        .reading
        .edit()
        .see(ids.iter().map(String::as_str), STAND_IN);
    Some(send(state, ReadingChange::Arrivals(ids)))
}

/// The reading state file changed on disk: the worker reads it again. Not counted as a change of the
/// reader's own: its answer, if any, is what another process wrote.
pub fn reread() -> Effect {
    Effect::Reading(ReadingChange::Reload)
}

/// The state as its file is now. While changes of the reader's own are on their way, what another
/// process wrote waits for their answer (which includes it), so that nothing shown flickers back.
pub fn arrived(state: &mut State, update: ReadingUpdate) -> Vec<Effect> {
    let reading = &mut state.reading;
    if update.answers {
        reading.pending = reading.pending.saturating_sub(1);
    }
    if let Some(error) = &update.error {
        state.status.error = Some(clean_line(error));
    } else if let Some(notice) = &update.notice {
        state.status.message = Some(clean_line(notice));
    }
    if reading.pending > 0 {
        return Vec::new();
    }
    let first = !reading.loaded;
    reading.loaded = true;
    if update.problem != reading.problem {
        match &update.problem {
            Some(problem) => state.status.error = Some(clean_line(problem)),
            None if !first => {
                state.status.message = Some("the reading state file reads again".into())
            }
            None => {}
        }
    }
    reading.problem = update.problem;
    reading.state = update.state;
    library::refilter(state);
    match first {
        true => note_arrivals(state).into_iter().collect(),
        false => Vec::new(),
    }
}
