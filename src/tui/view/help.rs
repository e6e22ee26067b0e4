//! The help overlay: the live keymap of the current mode, each action with its description.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::put_line;
use crate::tui::state::State;
use crate::tui::theme::Theme;

/// The mode whose keys the help lists: the screen (or input line) under the overlay.
fn mode_below(state: &State) -> &'static str {
    match state.mode {
        crate::tui::state::Mode::Library if state.library.filter_open => "filter",
        crate::tui::state::Mode::Reader if state.reader.as_ref().is_some_and(|r| r.find_open) => {
            "find"
        }
        mode => mode.name(),
    }
}

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let mode = mode_below(state);
    let rows = state.keymap.help(mode);
    let area = Rect::new(0, 0, state.width, state.height.saturating_sub(1)).intersection(buf.area);
    if area.width < 4 || area.height < 3 {
        return;
    }
    let width = area.width.min(76);
    let height = area.height.min(rows.len() as u16 + 2);
    let boxed = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(boxed, buf);
    let title = format!(" Keys: {mode} (? or Esc closes) ");
    let hidden = rows
        .len()
        .saturating_sub(usize::from(height.saturating_sub(2)));
    let more = if hidden > 0 {
        format!(" {hidden} more: enlarge the window ")
    } else {
        String::new()
    };
    let block = Block::default()
        .title_bottom(Span::styled(more, theme.dim))
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading));
    let inner = block.inner(boxed);
    block.render(boxed, buf);
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(inner.width / 3));
    for (i, (keys, action)) in rows.iter().enumerate().take(usize::from(inner.height)) {
        let keys = super::library::pad(keys, key_width as u16);
        let line = Line::from(vec![
            Span::styled(format!(" {keys}  "), theme.key),
            Span::raw(action.description()),
        ]);
        put_line(buf, inner.x, inner.y + i as u16, inner.width, &line);
    }
}
