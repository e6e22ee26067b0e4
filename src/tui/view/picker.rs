//! The tag picker: what was typed, the tags checked, and the vocabulary filtered as you type, each tag with
//! its colour and description.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::panel::tag_spans;
use super::{fill, input_line, put, put_line};
use crate::article::clean::clean_line;
use crate::text::{pad, shorten};
use crate::tui::layout;
use crate::tui::state::{PickRow, State, Target};
use crate::tui::theme::Theme;

pub const PROMPT: &str = "Tag: ";

/// The rect of the picker's input line.
pub fn input_area(state: &State) -> Rect {
    let area = layout::picker(state);
    Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2).min(1),
    )
}

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(picker) = &state.picker else {
        return;
    };
    let area = layout::picker(state).intersection(buf.area);
    if area.width < 8 || area.height < 3 {
        return;
    }
    super::clear_box(buf, area);
    let title = match picker.target {
        Target::New { .. } => " Tag the selection ",
        Target::Edit(_) => " Change the tags ",
        Target::Article(_) => " Tag this article ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading))
        .title_bottom(Span::styled(
            " Space check · Enter done · Esc cancel ",
            theme.dim,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    input_line(buf, input_area(state), PROMPT, &picker.input, theme);
    let mut y = inner.y + 1;
    if y < inner.bottom() {
        let line = if picker.checked.is_empty() {
            Line::from(Span::styled("Type to filter, or name a new tag", theme.dim))
        } else {
            let mut spans = vec![Span::styled("✓ ", theme.key)];
            spans.extend(tag_spans(&picker.checked, theme));
            Line::from(spans)
        };
        put_line(buf, inner.x, y, inner.width, &line);
        y += 1;
    }
    let rows = usize::from(inner.bottom().saturating_sub(y));
    let offset = layout::scrolled(picker.selected, picker.offset, rows);
    // Names in a column, so that the descriptions line up.
    let name_width = picker
        .rows
        .iter()
        .filter(|r| matches!(r, PickRow::Tag(_)))
        .map(|r| r.name().chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(if inner.width >= 50 {
            inner.width / 3
        } else {
            inner.width.saturating_sub(7)
        })) as u16;
    if picker.rows.is_empty() && rows > 0 {
        put(
            buf,
            inner.x,
            y,
            inner.width,
            "No tag matches (a new tag: lower-case a-z, 0-9, -)",
            theme.dim,
        );
    }
    for (i, row) in picker.rows.iter().enumerate().skip(offset).take(rows) {
        let selected = i == picker.selected;
        let name = row.name();
        let checked = picker.checked.iter().any(|t| t == name);
        let style = theme.tag(name);
        let mut spans = vec![
            Span::styled(if checked { "[x] " } else { "[ ] " }, theme.key),
            Span::styled("■ ", style),
        ];
        let description = match row {
            PickRow::Tag(_) => {
                let shown = pad(&clean_line(name), name_width);
                spans.push(Span::styled(shown, style));
                let info = state.vocabulary.info(name);
                if info.known {
                    info.description
                } else {
                    "(in use here)".to_owned()
                }
            }
            PickRow::New(_) => {
                spans.push(Span::styled(
                    format!("+ new tag “{}”", clean_line(name)),
                    theme.notice,
                ));
                String::new()
            }
        };
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = usize::from(inner.width).saturating_sub(used + 2);
        if room > 8 && !description.is_empty() {
            spans.push(Span::styled(
                format!("  {}", shorten(&clean_line(&description), room)),
                theme.dim,
            ));
        }
        if selected {
            fill(buf, Rect::new(inner.x, y, inner.width, 1), theme.selection);
            for s in spans.iter_mut() {
                s.style = theme.selection;
            }
            spans[1].style = theme.selection.patch(style);
        }
        put_line(buf, inner.x, y, inner.width, &Line::from(spans));
        y += 1;
    }
}
