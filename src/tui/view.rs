//! The pure view: draws the [`State`] with the [`Theme`] into a buffer. Every string that reaches a cell
//! has been made inert, and nothing is drawn outside the buffer at any size.

mod claims;
mod help;
mod library;
mod messages;
mod note;
mod panel;
mod picker;
mod reader;
mod search;
mod side_by_side;
mod sources;
mod status;
mod trace;
mod versions;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_input::Input;

use super::command::Mode;
use super::layout;
use super::state::{Screen, State};
use super::theme::Theme;
pub use crate::text::shown_text;

/// Draws one frame.
pub fn draw(frame: &mut Frame<'_>, state: &State, theme: &Theme) {
    render(state, theme, frame.buffer_mut());
    if let Some(at) = cursor(state).filter(|p| frame.area().contains(*p)) {
        frame.set_cursor_position(at);
    }
}

/// Draws the state into `buf` (cells outside it are never touched).
pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    match state.screen {
        Screen::Library => library::render(state, theme, buf),
        Screen::Reader => reader::render(state, theme, buf),
        Screen::Search => search::render(state, theme, buf),
        Screen::Claims => claims::render(state, theme, buf),
        Screen::Trace => trace::render(state, theme, buf),
        Screen::Sources => sources::render(state, theme, buf),
    }
    if let (Screen::Reader, Some(reader)) = (state.screen, &state.reader) {
        panel::render_list(state, reader, theme, buf);
        picker::render(state, theme, buf);
        note::render(state, theme, buf);
        versions::render(state, theme, buf);
    }
    status::render(state, theme, buf);
    if state.messages.open {
        messages::render(state, theme, buf);
    }
    if state.help {
        help::render(state, theme, buf);
    }
}

/// Where the terminal cursor goes: in the open input line, if any.
pub fn cursor(state: &State) -> Option<Position> {
    if state.help {
        return None;
    }
    let (area, prompt, input) = match state.mode() {
        Mode::Filter => (
            layout::split_input(layout::main(state), true).1?,
            FILTER_PROMPT,
            &state.library.filter,
        ),
        Mode::Find => {
            let reader = state.reader.as_ref()?;
            (layout::reader(state, reader).2?, FIND_PROMPT, &reader.find)
        }
        Mode::Search => (layout::search(state).0, SEARCH_PROMPT, &state.search.input),
        Mode::Picker => (
            picker::input_area(state),
            picker::PROMPT,
            &state.picker.as_ref()?.input,
        ),
        Mode::Claims => (
            layout::claims(state).1,
            claims::PROMPT,
            &state.claims.filter,
        ),
        // The note editor draws its own cursor; the other modes have no input line.
        Mode::Note
        | Mode::Library
        | Mode::Reader
        | Mode::Help
        | Mode::Visual
        | Mode::Panel
        | Mode::Trace
        | Mode::Versions
        | Mode::Messages
        | Mode::Sources => return None,
    };
    let prompt = prompt.len() as u16;
    let room = area.width.saturating_sub(prompt + 1) as usize;
    let x = area.x + prompt + (input.visual_cursor() - input.visual_scroll(room)) as u16;
    (x < area.right() && area.height > 0).then_some(Position::new(x, area.y))
}

pub const FILTER_PROMPT: &str = "Filter: ";
pub const FIND_PROMPT: &str = "Find: ";
pub const SEARCH_PROMPT: &str = "Search: ";

/// Draws an input line: the prompt, then the visible part of the text.
fn input_line(buf: &mut Buffer, area: Rect, prompt: &str, input: &Input, theme: &Theme) {
    let x = put(buf, area.x, area.y, area.width, prompt, theme.heading);
    let room = area.width.saturating_sub(prompt.len() as u16 + 1) as usize;
    let scroll = input.visual_scroll(room);
    let shown: String = shown_text(input.value()).chars().skip(scroll).collect();
    put(
        buf,
        x,
        area.y,
        area.right().saturating_sub(x),
        &shown,
        Style::new(),
    );
}

/// Writes `text` at (x, y) in at most `width` columns, inside the buffer; returns the next column.
pub fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() || x >= area.right() || width == 0 {
        return x;
    }
    let width = width.min(area.right() - x);
    buf.set_stringn(x, y, shown_text(text), usize::from(width), style)
        .0
}

/// Says why a list is empty, dimmed, on its first row.
pub fn put_empty(buf: &mut Buffer, rows: Rect, message: &str, theme: &Theme) {
    if rows.height > 0 {
        put(
            buf,
            rows.x + 1,
            rows.y,
            rows.width.saturating_sub(1),
            message,
            theme.dim,
        );
    }
}

/// Writes a line of spans; returns the next column.
pub fn put_line(buf: &mut Buffer, x: u16, y: u16, width: u16, line: &Line<'_>) -> u16 {
    let end = x.saturating_add(width);
    let mut at = x;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        at = put(buf, at, y, end.saturating_sub(at), &span.content, style);
    }
    at
}

/// Clears `area` for an overlay box; a wide char that straddles its left edge is cleared too, so that it
/// never hides the box's border.
pub fn clear_box(buf: &mut Buffer, area: Rect) {
    use ratatui::widgets::Widget;
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    ratatui::widgets::Clear.render(area, buf);
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.x - 1, y))
                && unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
}

/// Sets the style of every cell of `area` that is in the buffer.
pub fn fill(buf: &mut Buffer, area: Rect, style: Style) {
    let area = area.intersection(buf.area);
    if !area.is_empty() {
        buf.set_style(area, style);
    }
}

/// Spans of `text` with the char ranges `marks` (relative, sorted) in their styles.
pub fn marked<'t>(
    text: &'t str,
    marks: &[(std::ops::Range<usize>, Style)],
    base: Style,
) -> Vec<Span<'t>> {
    let mut spans = Vec::new();
    let mut chars = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let mut byte_of = {
        let mut cache: Vec<usize> = Vec::new();
        move |n: usize| {
            while cache.len() <= n {
                match chars.next() {
                    Some(b) => cache.push(b),
                    None => return text.len(),
                }
            }
            cache[n]
        }
    };
    let mut at = 0;
    for (range, style) in marks {
        let (start, end) = (byte_of(range.start).max(at), byte_of(range.end));
        if start > at {
            spans.push(Span::styled(&text[at..start], base));
        }
        if end > start {
            spans.push(Span::styled(&text[start..end], *style));
        }
        at = at.max(end);
    }
    if at < text.len() {
        spans.push(Span::styled(&text[at..], base));
    }
    spans
}
