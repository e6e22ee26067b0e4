//! The help overlay: the live keymap of the current mode, each command with its help line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::put_line;
use crate::tui::state::State;
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    // The keys of the screen (or input line, picker, editor, panel) under the overlay.
    let mode = state.screen_mode();
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
    super::clear_box(buf, boxed);
    let title = format!(" Keys: {} (? or Esc closes) ", mode.name());
    let shown_rows = usize::from(height.saturating_sub(2));
    let scroll = state.help_scroll.min(rows.len().saturating_sub(shown_rows));
    let hidden = rows.len().saturating_sub(shown_rows + scroll);
    let more = if hidden > 0 {
        format!(" {hidden} more: j or Space scrolls ")
    } else if scroll > 0 {
        " k scrolls back ".to_owned()
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
    for (i, (keys, action)) in rows
        .iter()
        .skip(scroll)
        .enumerate()
        .take(usize::from(inner.height))
    {
        let keys = crate::text::pad(keys, key_width as u16);
        let line = Line::from(vec![
            Span::styled(format!(" {keys}  "), theme.key),
            Span::raw(action.help()),
        ]);
        put_line(buf, inner.x, inner.y + i as u16, inner.width, &line);
    }
}
