//! The side-by-side view in the reader: opening it (the worker finds the original or a translation),
//! closing it, swapping the panes, scrolling both together, and keeping the cursor's row on screen.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layout;
use super::super::layout::reader_rows;
use super::super::state::{OtherText, Reader, Side, State};
use super::super::wrap::Wrapped;
use super::reader::{rewrap, scroll_step};
use crate::annotation::Annotation;
use crate::article::clean::clean_line;

/// Whether the reader shows its article side by side with another.
pub fn is_open(state: &State) -> bool {
    state.reader.as_ref().is_some_and(|r| r.side.is_some())
}

/// The view's own commands while it is open (scrolling, closing, swapping); `None` for the rest, which
/// the reader handles as usual (the cursor, selecting, annotating, finding).
pub fn command(state: &mut State, action: &Command) -> Option<Vec<Effect>> {
    if !is_open(state) {
        return None;
    }
    let page = reader_rows(state).max(1) as isize;
    match action {
        Command::SideBySide => return Some(toggle(state)),
        Command::SwapPanes => {
            swap(state);
            return Some(Vec::new());
        }
        _ => {}
    }
    scroll(state, scroll_step(action, page)?);
    Some(Vec::new())
}

/// Opens the view (asking the worker for the other article) or closes it.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    let Some(reader) = state.reader.as_mut() else {
        return Vec::new();
    };
    if reader.side.take().is_some() {
        rewrap(state);
        return Vec::new();
    }
    state.status.message = Some("looking for the original or a translation…".into());
    vec![Effect::LoadSideBySide {
        id: reader.article.id.clone(),
    }]
}

/// The worker's answer: the other article, or why there is none (a warning in the status bar).
pub fn loaded(state: &mut State, article: &str, result: Result<Box<OtherText>, String>) {
    let Some(reader) = state.reader.as_mut().filter(|r| r.article.id == article) else {
        return;
    };
    let found = match result {
        Ok(found) => found,
        Err(why) => {
            state.status.message = None;
            state.status.error = Some(format!("no side by side: {}", clean_line(&why)));
            return;
        }
    };
    let OtherText {
        article: other,
        role,
        annotations,
    } = *found;
    let mut other = Reader::new(other, Vec::new(), reader.from);
    match annotations {
        Ok(mut list) => {
            list.iter_mut().for_each(super::annotate::make_inert);
            list.sort_by_key(Annotation::position_key);
            other.annotations = list;
        }
        Err(why) => other.read_only = Some(clean_line(&why)),
    }
    other.annotations_loaded = true;
    reader.side = Some(Box::new(Side::new(reader, other, role)));
    // The other title heads its pane; the status says only how to work the view.
    state.status.message = Some(format!("beside its {}: Tab swaps, p closes", role.name()));
    rewrap(state);
    if let Some(reader) = state.reader.as_mut()
        && let Some(side) = reader.side.as_mut()
    {
        side.top = side.row_of(&reader.wrapped, reader.anchor);
    }
    keep_cursor_shown(state);
}

/// Puts the other article on the left, with the cursor at the start of the paragraph paired with the
/// cursor's (or the selection's) paragraph.
pub fn swap(state: &mut State) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let Some(mut side) = reader.side.take() else {
        state.status.error =
            Some("Tab swaps the panes of the side-by-side view (p opens it)".into());
        return;
    };
    let at = reader
        .selection()
        .unwrap_or(reader.cursor..reader.cursor + 1);
    let beads = side.beads_of(at);
    std::mem::swap(reader, &mut side.other);
    let from = side.other.from;
    let Side {
        beads: pairs,
        left_paragraphs,
        right_paragraphs,
        ..
    } = &mut *side;
    for bead in pairs.iter_mut() {
        std::mem::swap(&mut bead.left, &mut bead.right);
    }
    std::mem::swap(left_paragraphs, right_paragraphs);
    side.role = side.role.flipped();
    side.other.visual = None;
    side.other.drag = None;
    side.followed = None;
    let cursor = side
        .beads
        .get(beads.start)
        .and_then(|b| side.left_paragraphs.get(b.left.start))
        .map_or(0, |p| p.chars.start);
    reader.from = from;
    reader.visual = None;
    reader.drag = None;
    reader.cursor = cursor.min(reader.chars.saturating_sub(1));
    reader.side = Some(side);
    rewrap(state);
    keep_cursor_shown(state);
}

/// Wraps the right pane for its width and lays the rows out again (after the left pane was wrapped).
pub fn relayout(state: &mut State) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let Some(areas) = layout::side_by_side(state, reader) else {
        return;
    };
    let reader = state.reader.as_mut().expect("checked above");
    let Some(mut side) = reader.side.take() else {
        return;
    };
    let other = &mut side.other;
    if other.wrapped.width != areas.right.width || other.wrapped.lines.is_empty() {
        other.wrapped = Wrapped::new(&other.article.text, areas.right.width);
    }
    side.relayout(reader);
    reader.side = Some(side);
}

/// Scrolls both panes by `step` rows; the cursor stays on screen (it moves to the first or last line of
/// its pane shown).
pub fn scroll(state: &mut State, step: isize) {
    let rows = reader_rows(state).max(1);
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let Some(side) = reader.side.as_mut() else {
        return;
    };
    let last_top = side.rows.len().saturating_sub(rows);
    side.top = side.top.saturating_add_signed(step).min(last_top);
    let row = side.row_of(&reader.wrapped, reader.cursor);
    let shown = side.rows[side.top..(side.top + rows).min(side.rows.len())].iter();
    // A line of text rather than the blank line between two paragraphs, where there is one.
    let pick = |rows: &mut dyn Iterator<Item = &super::super::state::Row>| {
        let rows: Vec<_> = rows.collect();
        let text = rows.iter().find(|r| r.bead.is_some() && r.left.is_some());
        text.or_else(|| rows.iter().find(|r| r.left.is_some()))
            .and_then(|r| r.left)
    };
    let line = if row < side.top {
        pick(&mut shown.clone())
    } else if row >= side.top + rows {
        pick(&mut shown.rev())
    } else {
        None
    };
    if let Some(line) = line {
        reader.cursor = reader.wrapped.lines[line].char_start;
    }
    side.followed = Some(reader.cursor);
    sync_anchor(reader);
}

/// After any change: a cursor that moved since the view last followed it is scrolled into view, and the
/// reader's own reading position follows the view (so closing it keeps the place).
pub fn keep_cursor_shown(state: &mut State) {
    if !is_open(state) {
        return;
    }
    let rows = reader_rows(state).max(1);
    let reader = state.reader.as_mut().expect("checked above");
    let Some(side) = reader.side.as_mut() else {
        return;
    };
    if side.followed != Some(reader.cursor) {
        let row = side.row_of(&reader.wrapped, reader.cursor);
        if row < side.top {
            side.top = row;
        } else if row >= side.top + rows {
            side.top = row + 1 - rows;
        }
        side.followed = Some(reader.cursor);
    }
    side.top = side.top.min(side.rows.len().saturating_sub(rows));
    sync_anchor(reader);
}

fn sync_anchor(reader: &mut Reader) {
    let Some(side) = reader.side.as_ref() else {
        return;
    };
    if let Some(line) = side.left_line_from(side.top) {
        reader.anchor = reader.wrapped.lines[line].char_start;
    }
}
