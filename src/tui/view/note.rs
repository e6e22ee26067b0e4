//! The note editor: a multi-line editor (ratatui-textarea) in a box, with the keys that save or skip.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};
use ratatui_textarea::TextArea;

use super::shown_text;
use crate::tui::layout;
use crate::tui::state::{State, Target};
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(note) = &state.note else {
        return;
    };
    let area = layout::note(state).intersection(buf.area);
    if area.width < 8 || area.height < 3 {
        return;
    }
    super::clear_box(buf, area);
    let title = format!(" Note · {} ", note.tags.join(", "));
    let hint = match note.target {
        Target::New { .. } => " ctrl-s save · Esc no note ",
        Target::Edit(_) | Target::Article(_) => " ctrl-s save · Esc cancel ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(shown_text(&title), theme.heading))
        .title_bottom(Span::styled(hint, theme.key));
    let inner = block.inner(area);
    block.render(area, buf);
    (&note.editor).render(inner, buf);
    mark_cursor_past_the_edge(&note.editor, inner, buf);
    // The editor draws what it holds: make sure nothing in it reaches the terminal raw.
    for y in inner.top()..inner.bottom() {
        for x in inner.left()..inner.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                let symbol = shown_text(cell.symbol());
                if symbol != cell.symbol() {
                    cell.set_symbol(&symbol);
                }
            }
        }
    }
}

/// The editor draws no cursor when it stands just past a row that fills the width (the end of a line
/// that wrapped exactly there): its row's last column is marked instead, so that the cursor stays in
/// sight.
fn mark_cursor_past_the_edge(editor: &TextArea<'_>, inner: Rect, buf: &mut Buffer) {
    let at = editor.screen_cursor();
    let top = usize::from(editor.scroll_offset().0);
    let Some(row) = at.row.checked_sub(top) else {
        return;
    };
    if at.col < usize::from(inner.width) || row >= usize::from(inner.height) || inner.width == 0 {
        return;
    }
    if let Some(cell) = buf.cell_mut((inner.right() - 1, inner.y + row as u16)) {
        cell.set_style(cell.style().patch(editor.cursor_style()));
    }
}
