//! The message log overlay: every status message and error of the session, wrapped in full, the newest
//! at the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::put_line;
use crate::tui::state::State;
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let area = Rect::new(0, 0, state.width, state.height.saturating_sub(1)).intersection(buf.area);
    if area.width < 8 || area.height < 3 {
        return;
    }
    let width = area.width.min(100);
    let boxed = Rect::new(
        area.x + (area.width - width) / 2,
        area.y,
        width,
        area.height,
    );
    super::clear_box(buf, boxed);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let rows = rows(state, theme, inner_width);
    let shown = usize::from(area.height.saturating_sub(2));
    let last_top = rows.len().saturating_sub(shown);
    let scroll = state.messages.scroll.min(last_top);
    let top = last_top - scroll;
    let more = match (top, scroll) {
        (0, 0) => String::new(),
        (_, 0) => format!(" {top} rows above: k scrolls back "),
        _ => format!(" {scroll} rows below: j scrolls on "),
    };
    let title = format!(
        " Messages: {} (L or Esc closes) ",
        state.messages.entries.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading))
        .title_bottom(Span::styled(more, theme.dim));
    let inner = block.inner(boxed);
    block.render(boxed, buf);
    if rows.is_empty() {
        let line = Line::from(Span::styled(" No messages yet.", theme.dim));
        put_line(buf, inner.x, inner.y, inner.width, &line);
        return;
    }
    for (i, line) in rows.iter().skip(top).take(shown).enumerate() {
        put_line(buf, inner.x, inner.y + i as u16, inner.width, line);
    }
}

/// Every message wrapped to `width`, each in its colour (errors as errors).
fn rows(state: &State, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    for (text, error) in &state.messages.entries {
        let style = if *error { theme.error } else { theme.notice };
        let text = crate::article::clean::clean_line(text);
        let options = textwrap::Options::new(width.saturating_sub(1).max(1))
            .initial_indent(" ")
            .subsequent_indent("   ");
        for piece in textwrap::wrap(&text, options) {
            rows.push(Line::from(Span::styled(piece.into_owned(), style)));
        }
    }
    rows
}
