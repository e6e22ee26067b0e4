//! The sources view: one row per feed and per source, its name (cut to its column by display width),
//! what it is, and its unread and total counts; rows with unread articles in bold.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{fill, put_empty, put_line};
use crate::text::pad;
use crate::tui::layout;
use crate::tui::state::{SourceKind, State};
use crate::tui::theme::Theme;

/// Column widths for a window `width` wide: (kind, unread, total); the name takes the rest.
fn columns(width: u16) -> (u16, u16, u16) {
    match width {
        0..30 => (0, 6, 0),
        30..60 => (6, 6, 6),
        _ => (6, 8, 8),
    }
}

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (header, rows) = layout::sources(state);
    let (kind_w, unread_w, total_w) = columns(rows.width);
    let gaps = [kind_w, unread_w, total_w]
        .iter()
        .filter(|w| **w > 0)
        .count() as u16;
    let name_w = rows
        .width
        .saturating_sub(1 + kind_w + unread_w + total_w + gaps);
    let cells = |name: &str, kind: &str, unread: &str, total: &str| {
        let mut out = vec![pad(name, name_w)];
        if kind_w > 0 {
            out.push(format!(" {}", pad(kind, kind_w)));
        }
        for (number, w) in [(unread, unread_w), (total, total_w)] {
            if w > 0 {
                out.push(format!(" {number:>w$}", w = usize::from(w)));
            }
        }
        out
    };
    if let Some(h) = header {
        let spans: Vec<Span> = cells("Name ↑", "Kind", "Unread", "Total")
            .into_iter()
            .map(|c| Span::styled(c, theme.heading))
            .collect();
        let mut line = vec![Span::raw(" ")];
        line.extend(spans);
        put_line(buf, h.x, h.y, h.width, &Line::from(line));
    }
    let list = state.source_rows();
    if list.is_empty() && rows.height > 0 {
        let message = if !state.library.loaded() || !state.sources.loaded {
            "Counting the articles…"
        } else {
            "No sources yet: no article names a source and no feed is configured."
        };
        put_empty(buf, rows, message, theme);
    }
    let s = &state.sources;
    let offset = layout::scrolled(s.selected, s.offset, rows.height as usize);
    for (row, source) in list
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows.height as usize)
    {
        let y = rows.y + (row - offset) as u16;
        let selected = row == s.selected;
        let kind = match source.kind {
            SourceKind::Feed => "feed",
            SourceKind::Source => "source",
        };
        let unread = source.unread.to_string();
        let total = source.total.to_string();
        let name_style = match source.unread {
            0 => theme.source,
            _ => theme.source.add_modifier(Modifier::BOLD),
        };
        let styles = [name_style, theme.dim, theme.key, theme.dim];
        let mut spans = vec![Span::styled(if selected { "▌" } else { " " }, theme.dim)];
        let cells = cells(&source.name, kind, &unread, &total);
        // The cells that are drawn, each in its column's style.
        let shown = [true, kind_w > 0, unread_w > 0, total_w > 0];
        let mut style_of = styles
            .iter()
            .zip(shown)
            .filter(|(_, on)| *on)
            .map(|(s, _)| *s);
        for cell in cells {
            let style = style_of.next().unwrap_or(theme.dim);
            spans.push(Span::styled(
                cell,
                if selected { theme.selection } else { style },
            ));
        }
        if selected {
            spans[0].style = theme.selection;
            fill(buf, Rect::new(rows.x, y, rows.width, 1), theme.selection);
        }
        put_line(buf, rows.x, y, rows.width, &Line::from(spans));
    }
}
