//! The side-by-side view: the article open on the left (cursor, selection, annotations, matches, as in
//! the reader) and its original or translation on the right, each pair of paragraphs level. The pair
//! the cursor or the selection is in is marked in the gutter and highlighted in the right pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{FIND_PROMPT, input_line, put};
use crate::article::clean::clean_line;
use crate::tui::layout::{self, SideAreas};
use crate::tui::state::{Reader, Side, State};
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let (Some(side), Some(areas)) = (reader.side.as_deref(), layout::side_by_side(state, reader))
    else {
        return;
    };
    render_header(reader, side, theme, buf, &areas);
    let at = reader
        .selection()
        .unwrap_or(reader.cursor..reader.cursor + 1);
    let paired = side.beads_of(at);
    let (left, right) = (areas.left, areas.right);
    for k in 0..left.height {
        let Some(row) = side.rows.get(side.top + usize::from(k)) else {
            break;
        };
        let y = left.y + k;
        let lit = row.bead.is_some_and(|b| paired.contains(&b));
        if let Some(line) = row.left {
            super::reader::draw_line(reader, theme, buf, left, y, line, true);
        }
        if let Some(line) = row.right {
            super::reader::draw_line(&side.other, theme, buf, right, y, line, false);
        }
        if lit && right.width > 0 {
            buf.set_style(Rect::new(right.x, y, right.width, 1), theme.pair);
        }
        if let Some(x) = areas.gutter {
            let (mark, style) = if lit {
                ("┃", theme.key)
            } else {
                ("│", theme.dim)
            };
            put(buf, x, y, 1, mark, style);
        }
    }
    if let Some(panel) = layout::reader_panel(state, reader) {
        super::panel::render_panel(state, reader, theme, buf, panel);
    }
    if let Some(line) = areas.find {
        input_line(buf, line, FIND_PROMPT, &reader.find, theme);
    }
}

/// Each pane's title, then its id and language (and what the right one is to the left), then a rule.
fn render_header(reader: &Reader, side: &Side, theme: &Theme, buf: &mut Buffer, areas: &SideAreas) {
    let header = areas.header;
    if header.height == 0 {
        return;
    }
    let (left, right) = (areas.left, areas.right);
    let about = |r: &Reader| {
        format!(
            "{} · {}",
            clean_line(&r.article.id),
            clean_line(&r.article.meta.language)
        )
    };
    let lines = [
        (
            clean_line(&reader.article.meta.title),
            clean_line(&side.other.article.meta.title),
            theme.title,
        ),
        (
            about(reader),
            format!("{}: {}", side.role.name(), about(&side.other)),
            theme.dim,
        ),
    ];
    for (i, (l, r, style)) in lines.iter().enumerate().take(usize::from(header.height)) {
        let y = header.y + i as u16;
        put(buf, left.x, y, left.width, l, *style);
        put(buf, right.x, y, right.width, r, *style);
        if let Some(x) = areas.gutter {
            put(buf, x, y, 1, "│", theme.dim);
        }
    }
    if header.height >= 3 {
        let y = header.y + 2;
        let rule = "─".repeat(usize::from(header.width));
        put(buf, header.x, y, header.width, &rule, theme.dim);
        if let Some(x) = areas.gutter {
            put(buf, x, y, 1, "┼", theme.dim);
        }
    }
}
