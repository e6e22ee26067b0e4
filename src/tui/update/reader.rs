//! The reader: its commands (while selecting and while its find line is open too), scrolling and
//! wrapping the article, and walking its matches.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::find;
use super::super::layout::{self, reader_rows};
use super::super::state::{Screen, State};
use super::super::wrap::Wrapped;
use super::{annotate, claims, cursor};

/// How many lines a scrolling command moves a text whose view shows `page` lines (a page keeps one line of
/// the last in view); `None` for other commands.
pub fn scroll_step(action: &Command, page: isize) -> Option<isize> {
    Some(match action {
        Command::Up => -1,
        Command::Down => 1,
        Command::HalfPageUp => -(page / 2).max(1),
        Command::HalfPageDown => (page / 2).max(1),
        Command::PageUp => -(page - 1).max(1),
        Command::PageDown => (page - 1).max(1),
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

/// A command in the reader, while selecting, or while its find line is open.
pub fn reader(state: &mut State, action: Command) -> Vec<Effect> {
    let finding = state.reader.as_ref().is_some_and(|r| r.find_open);
    match action {
        Command::Submit if finding => return close_find(state, true),
        Command::Cancel if finding => return close_find(state, false),
        _ => {}
    }
    if let Some(effects) = super::side_by_side::command(state, &action) {
        return effects;
    }
    let page = reader_rows(state).max(1) as isize;
    if cursor::motion(state, &action) {
        return Vec::new();
    }
    if let Some(step) = scroll_step(&action, page) {
        scroll_reader(state, step);
        cursor::follow_view(state);
        return Vec::new();
    }
    match action {
        Command::Visual => cursor::visual(state),
        Command::Tag => super::picker::tag(state),
        Command::ArticleTags => super::picker::tag_article(state),
        Command::OpenInBrowser => return super::outside::browse(state),
        Command::Copy => return super::outside::copy(state),
        Command::EditNote => super::note::edit_note(state),
        Command::DeleteAnnotation => return annotate::delete(state),
        Command::Undo => return annotate::undo(state),
        Command::NextAnnotation => annotate::step_annotation(state, true),
        Command::PrevAnnotation => annotate::step_annotation(state, false),
        Command::Annotations => super::panel::open(state),
        Command::Versions => return super::versions::open(state),
        Command::Sync => return super::team::start(state),
        Command::SideBySide => return super::side_by_side::toggle(state),
        Command::SwapPanes => super::side_by_side::swap(state),
        Command::Claims => return claims::open(state),
        Command::Trace => return super::trace::open(state),
        Command::FollowLink => return super::trace::follow(state),
        Command::Back if state.reader.as_ref().is_some_and(|r| r.visual.is_some()) => {
            cursor::visual(state)
        }
        Command::Find => {
            // A new find starts empty, as in vim and less; the last matches stay for n and N until
            // the first character is typed.
            if let Some(r) = state.reader.as_mut() {
                r.find_open = true;
                r.find.reset();
            }
        }
        Command::NextMatch => step_match(state, 1),
        Command::PrevMatch => step_match(state, -1),
        Command::Search => super::search::open_search(state),
        Command::ToggleRead => return super::reading::toggle_read(state),
        Command::ToggleStar => return super::reading::toggle_star(state),
        Command::Back => {
            let mut effects: Vec<Effect> =
                super::reading::save_position(state).into_iter().collect();
            let from = state.reader.as_ref().map_or(Screen::Library, |r| r.from);
            state.screen = from;
            state.reader = None;
            if from == Screen::Claims {
                effects.push(Effect::LoadClaims);
            }
            return effects;
        }
        _ => {}
    }
    Vec::new()
}

fn close_find(state: &mut State, keep: bool) -> Vec<Effect> {
    let Some(r) = state.reader.as_mut() else {
        return Vec::new();
    };
    r.find_open = false;
    if !keep {
        r.find.reset();
        r.matches.clear();
        r.current = None;
    } else if r.matches.is_empty() && !r.find.value().is_empty() {
        state.status.error = Some("not found".into());
    }
    Vec::new()
}

/// Wraps the article again when the width of its column changed; the reading position is kept.
pub fn rewrap(state: &mut State) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let width = layout::reader(state, reader).1.width;
    let reader = state.reader.as_mut().expect("checked above");
    if reader.wrapped.width != width || reader.wrapped.lines.is_empty() {
        reader.wrapped = Wrapped::new(&reader.article.text, width);
        let line = reader.wrapped.line_of(reader.anchor);
        reader.anchor = reader.wrapped.lines[line].char_start;
    }
    super::side_by_side::relayout(state);
}

/// Scrolls the reader by `step` lines, never past the point where the last line is at the bottom.
pub fn scroll_reader(state: &mut State, step: isize) {
    let rows = reader_rows(state);
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let lines = &reader.wrapped.lines;
    if lines.is_empty() {
        return;
    }
    let last_top = lines.len().saturating_sub(rows.max(1));
    let line = reader.wrapped.line_of(reader.anchor) as isize;
    let target = if step > 0 {
        line.saturating_add(step).min(line.max(last_top as isize))
    } else {
        line.saturating_add(step).max(0)
    };
    let anchor = lines[target as usize].char_start;
    reader.scrolled |= anchor != reader.anchor;
    reader.anchor = anchor;
}

/// Finds `needle` in the article and goes to the first match at or after the reading position.
pub fn find(state: &mut State, needle: &str) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let folded = reader
        .folded
        .get_or_insert_with(|| find::fold(&reader.article.text));
    reader.matches = find::find_all(folded, needle);
    reader.current = None;
    if reader.matches.is_empty() {
        return;
    }
    let anchor = reader.anchor;
    let first = reader
        .matches
        .iter()
        .position(|m| m.start >= anchor)
        .unwrap_or(0);
    jump_to_match(state, first);
}

fn step_match(state: &mut State, step: isize) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let count = reader.matches.len();
    if count == 0 {
        state.status.error = Some("no matches: press / to find".into());
        return;
    }
    let next = match reader.current {
        Some(i) => (i as isize + step).rem_euclid(count as isize) as usize,
        None => {
            let anchor = reader.anchor;
            let after = reader
                .matches
                .iter()
                .position(|m| m.start >= anchor)
                .unwrap_or(0);
            if step > 0 {
                after
            } else {
                (after + count - 1) % count
            }
        }
    };
    if reader
        .current
        .is_some_and(|i| (step > 0 && next < i) || (step < 0 && next > i))
    {
        state.status.message = Some("search wrapped".into());
    }
    jump_to_match(state, next);
}

/// Makes match `index` current and brings it whole into view (centred where it fits) when it was not.
pub fn jump_to_match(state: &mut State, index: usize) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let Some(m) = reader.matches.get(index).cloned() else {
        return;
    };
    reader.current = Some(index);
    reader.cursor = m.start;
    state.reveal = Some(m.clone());
    show_span(state, m);
}

/// Scrolls so that the chars `span` are all on screen above any panel: centred where they fit, else
/// from their first line. Nothing moves when they are on screen already.
pub fn show_span(state: &mut State, span: std::ops::Range<usize>) {
    let rows = reader_rows(state).max(1);
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let wrapped = &reader.wrapped;
    if wrapped.lines.is_empty() {
        return;
    }
    let first = wrapped.line_of(span.start);
    let last = wrapped.line_of(span.end.saturating_sub(1).max(span.start));
    let top = wrapped.line_of(reader.anchor);
    if first >= top && last < top + rows {
        return;
    }
    let height = last + 1 - first;
    let last_top = wrapped.lines.len().saturating_sub(rows);
    let target = match height >= rows {
        true => first,
        false => first.saturating_sub((rows - height) / 2),
    };
    reader.anchor = wrapped.lines[target.min(last_top)].char_start;
}

/// While the tag picker or the note editor is open and the screen has no room for it beside the span it
/// works on, scrolls the reader so that both fit: the span at the top of the text with the popup under
/// it, or at the bottom with the popup over it, whichever leaves more room (a span taller than the text
/// starts at its top).
pub fn make_room(state: &mut State) {
    if layout::popup(state).is_none_or(|p| p.whole) {
        return;
    }
    let Some(span) = layout::popup_span(state) else {
        return;
    };
    let rows = reader_rows(state).max(1);
    let area = layout::main(state);
    let Some(r) = state.reader.as_ref().filter(|r| r.side.is_none()) else {
        return;
    };
    let body = layout::reader(state, r).1;
    let w = &r.wrapped;
    if w.lines.is_empty() {
        return;
    }
    let first = w.line_of(span.start);
    let last = w.line_of(span.end.saturating_sub(1).max(span.start));
    let under = area.bottom().saturating_sub(body.y);
    let over = body.bottom().saturating_sub(area.y);
    let top = match last + 1 - first >= rows || under >= over {
        true => first,
        false => (last + 1).saturating_sub(rows),
    };
    let anchor = w.lines[top].char_start;
    if let Some(reader) = state.reader.as_mut() {
        reader.anchor = anchor;
    }
}

/// The current match, when it is on screen (a resize keeps it there).
pub fn current_match_on_screen(state: &State) -> Option<usize> {
    let reader = state.reader.as_ref()?;
    let index = reader.current?;
    let line = reader.wrapped.line_of(reader.matches.get(index)?.start);
    let top = reader.wrapped.line_of(reader.anchor);
    (line >= top && line < top + reader_rows(state)).then_some(index)
}
