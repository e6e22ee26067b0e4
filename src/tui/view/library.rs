//! The library: every article with its title, source, date and word count.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};

use super::{FILTER_PROMPT, fill, input_line, put, put_line};
use crate::tui::layout;
use crate::tui::state::{Sort, State};
use crate::tui::theme::Theme;

/// Column widths for a window `width` wide: (source, date, words); the title takes the rest.
fn columns(width: u16) -> (u16, u16, u16) {
    match width {
        0..40 => (0, 0, 0),
        40..60 => (0, 10, 0),
        60..90 => (14, 10, 7),
        _ => (20, 10, 8),
    }
}

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (header, rows) = layout::library(state);
    let (source_w, date_w, words_w) = columns(rows.width);
    let title_w = rows.width.saturating_sub(
        source_w
            + date_w
            + words_w
            + 1
            + u16::from(source_w > 0)
            + u16::from(date_w > 0)
            + u16::from(words_w > 0),
    );
    if let Some(h) = header {
        let sort = match state.library.sort {
            Some(Sort::Title) => "Title ↓",
            _ => "Title",
        };
        let date = match state.library.sort {
            Some(Sort::Date) | None => "Date ↓",
            _ => "Date",
        };
        let mut line = vec![
            Span::raw(" "),
            Span::styled(pad(sort, title_w), theme.heading),
        ];
        if source_w > 0 {
            line.push(Span::styled(
                format!(" {}", pad("Source", source_w)),
                theme.heading,
            ));
        }
        if date_w > 0 {
            line.push(Span::styled(
                format!(" {}", pad(date, date_w)),
                theme.heading,
            ));
        }
        if words_w > 0 {
            line.push(Span::styled(
                format!(" {:>w$}", "Words", w = usize::from(words_w)),
                theme.heading,
            ));
        }
        put_line(buf, h.x, h.y, h.width, &Line::from(line));
    }
    let lib = &state.library;
    let offset = layout::scrolled(lib.selected, lib.offset, rows.height as usize);
    if lib.shown.is_empty() && rows.height > 0 {
        let message = if !lib.loaded {
            "Opening the index…"
        } else if lib.entries.is_empty() {
            "No articles yet: add Markdown files to the content directory."
        } else {
            "No article matches the filter (Esc clears it)."
        };
        put(
            buf,
            rows.x + 1,
            rows.y,
            rows.width.saturating_sub(1),
            message,
            theme.dim,
        );
    }
    for (row, &i) in lib
        .shown
        .iter()
        .skip(offset)
        .take(rows.height as usize)
        .enumerate()
    {
        let entry = &lib.entries[i];
        let y = rows.y + row as u16;
        let selected = offset + row == lib.selected;
        let pick = |style| if selected { theme.selection } else { style };
        let mut spans = vec![
            Span::styled(if selected { "▌" } else { " " }, pick(theme.dim)),
            Span::styled(
                pad(&entry.title, title_w),
                pick(theme.title.remove_modifier(ratatui::style::Modifier::BOLD)),
            ),
        ];
        if source_w > 0 {
            spans.push(Span::styled(
                format!(" {}", pad(&entry.source, source_w)),
                pick(theme.source),
            ));
        }
        if date_w > 0 {
            let date = entry.published.map(|p| p.date_string()).unwrap_or_default();
            spans.push(Span::styled(
                format!(" {}", pad(&date, date_w)),
                pick(theme.date),
            ));
        }
        if words_w > 0 {
            spans.push(Span::styled(
                format!(" {:>w$}", entry.words, w = usize::from(words_w)),
                pick(theme.dim),
            ));
        }
        if selected {
            fill(
                buf,
                ratatui::layout::Rect::new(rows.x, y, rows.width, 1),
                theme.selection,
            );
        }
        put_line(buf, rows.x, y, rows.width, &Line::from(spans));
    }
    if let (true, (_, Some(line))) = (
        lib.filter_open,
        layout::split_input(layout::main(state), true),
    ) {
        input_line(buf, line, FILTER_PROMPT, &lib.filter, theme);
    }
}

/// `text` cut or padded to exactly `width` columns (an ellipsis marks a cut).
pub fn pad(text: &str, width: u16) -> String {
    use unicode_width::UnicodeWidthChar;
    let width = usize::from(width);
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    let room = if total > width {
        width.saturating_sub(1)
    } else {
        width
    };
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        out.push(c);
        used += w;
    }
    if total > width && width > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}
