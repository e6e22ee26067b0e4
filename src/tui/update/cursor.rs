//! The reader's cursor: its motions (char, line, word, sentence, paragraph), keeping it and the view
//! together, the selection it grows, and the mouse (a click puts it, a drag selects).

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use unicode_width::UnicodeWidthChar;

use super::super::command::Command;
use super::super::layout;
use super::super::layout::reader_rows;
use super::super::motion::Unit;
use super::super::state::{Reader, State};

/// Moves the cursor for a motion command; false when `action` is not one.
pub fn motion(state: &mut State, action: &Command) -> bool {
    let Some(reader) = state.reader.as_mut() else {
        return false;
    };
    let (at, last) = (reader.cursor, reader.chars.saturating_sub(1));
    let s = reader.segments();
    let to = match action {
        Command::CursorLeft => at.saturating_sub(1),
        Command::CursorRight => (at + 1).min(last),
        Command::CursorUp | Command::CursorDown => {
            let down = *action == Command::CursorDown;
            line_step(reader, down)
        }
        Command::WordForward => s.next_start(Unit::Word, at),
        Command::WordBack => s.prev_start(Unit::Word, at),
        Command::WordEnd => s.next_end(Unit::Word, at),
        Command::SentenceForward => s.next_end(Unit::Sentence, at),
        Command::SentenceBack => s.prev_start(Unit::Sentence, at),
        Command::ParagraphForward => s.next_end(Unit::Paragraph, at),
        Command::ParagraphBack => s.prev_start(Unit::Paragraph, at),
        Command::SwapEnds => match reader.visual {
            Some(fixed) => {
                reader.visual = Some(at);
                fixed
            }
            None => at,
        },
        _ => return false,
    };
    reader.cursor = to;
    show_cursor(state);
    true
}

/// The char a line up or down from the cursor, at the same display column (or the line's end).
fn line_step(reader: &Reader, down: bool) -> usize {
    let text = &reader.article.text;
    let w = &reader.wrapped;
    let line = w.line_of(reader.cursor);
    let target = if down {
        (line + 1).min(w.lines.len().saturating_sub(1))
    } else {
        line.saturating_sub(1)
    };
    if target == line || w.lines.is_empty() {
        return reader.cursor;
    }
    let column: usize = w
        .text(text, line)
        .chars()
        .take(reader.cursor - w.lines[line].char_start)
        .map(|c| c.width().unwrap_or(0))
        .sum();
    char_at_column(reader, target, column)
}

/// The char of line `i` at display column `column` (the line's last char past its end).
fn char_at_column(reader: &Reader, i: usize, column: usize) -> usize {
    let w = &reader.wrapped;
    let content = w.text(&reader.article.text, i);
    let start = w.lines[i].char_start;
    let mut used = 0;
    for (n, c) in content.chars().enumerate() {
        used += c.width().unwrap_or(0);
        if used > column {
            return start + n;
        }
    }
    let chars = content.chars().count();
    (start + chars.saturating_sub(1)).min(reader.chars.saturating_sub(1))
}

/// Scrolls so that the cursor's line is on screen.
pub fn show_cursor(state: &mut State) {
    let rows = reader_rows(state).max(1);
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    if reader.wrapped.lines.is_empty() {
        return;
    }
    let line = reader.wrapped.line_of(reader.cursor);
    let top = reader.wrapped.line_of(reader.anchor);
    let new_top = if line < top {
        line
    } else if line >= top + rows {
        line + 1 - rows
    } else {
        return;
    };
    reader.anchor = reader.wrapped.lines[new_top].char_start;
}

/// Keeps the cursor on screen after a scroll (it moves to the first or last line shown).
pub fn follow_view(state: &mut State) {
    let rows = reader_rows(state).max(1);
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let w = &reader.wrapped;
    if w.lines.is_empty() {
        return;
    }
    let (line, top) = (w.line_of(reader.cursor), w.line_of(reader.anchor));
    let bottom = (top + rows - 1).min(w.lines.len() - 1);
    if line < top {
        reader.cursor = w.lines[top].char_start;
    } else if line > bottom {
        reader.cursor = w.lines[bottom].char_start;
    }
}

/// Starts or ends a selection at the cursor.
pub fn visual(state: &mut State) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    reader.visual = match reader.visual {
        Some(_) => None,
        None if reader.chars > 0 => Some(reader.cursor),
        None => None,
    };
    if reader.visual.is_some() {
        state.status.message = Some("selecting: w e ) } grow it, t tags it, Esc cancels".into());
    }
}

/// A mouse event over the reader's text: a click puts the cursor there, a drag selects.
pub fn mouse(state: &mut State, event: MouseEvent) -> bool {
    let Some(at) = char_at(state, event.column, event.row) else {
        if let (MouseEventKind::Up(_), Some(r)) = (event.kind, state.reader.as_mut()) {
            r.drag = None;
        }
        return false;
    };
    let Some(reader) = state.reader.as_mut() else {
        return false;
    };
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            reader.cursor = at;
            reader.drag = Some(at);
            reader.visual = None;
        }
        MouseEventKind::Drag(MouseButton::Left) => {
            let Some(start) = reader.drag else {
                return false;
            };
            reader.visual = Some(start);
            reader.cursor = at;
        }
        MouseEventKind::Up(MouseButton::Left) => {
            if let Some(start) = reader.drag.take()
                && start != at
            {
                reader.visual = Some(start);
                reader.cursor = at;
                state.status.message = Some("selected: t tags it".into());
            }
        }
        _ => return false,
    }
    true
}

/// The char offset under a screen cell of the reader's text (the line's end past it).
pub fn char_at(state: &State, column: u16, row: u16) -> Option<usize> {
    let reader = state.reader.as_ref()?;
    let (_, body, _) = layout::reader(state, reader);
    let at = ratatui::layout::Position::new(column, row);
    if !body.contains(at) || reader.chars == 0 {
        return None;
    }
    let line = match reader.side.as_ref() {
        Some(side) => side.rows.get(side.top + usize::from(row - body.y))?.left?,
        None => reader.wrapped.line_of(reader.anchor) + usize::from(row - body.y),
    };
    if line >= reader.wrapped.lines.len() {
        return None;
    }
    Some(char_at_column(reader, line, usize::from(column - body.x)))
}
