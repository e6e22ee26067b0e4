//! The reader: the article's header and its text wrapped to a readable column, with matches highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{FIND_PROMPT, input_line, marked, put, put_line};
use crate::article::clean::clean_line;
use crate::tui::layout;
use crate::tui::state::{Reader, State};
use crate::tui::theme::Theme;
use crate::tui::wrap::ranges_in_line;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let (header, body, find) = layout::reader(state, reader);
    render_header(reader, theme, buf, header);
    render_text(reader, theme, buf, body);
    if let Some(line) = find {
        input_line(buf, line, FIND_PROMPT, &reader.find, theme);
    }
}

/// The header lines, as many as fit: title, byline, original, URL, then a rule.
fn render_header(reader: &Reader, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let meta = &reader.article.meta;
    let mut lines = vec![Line::from(Span::styled(
        clean_line(&meta.title),
        theme.title,
    ))];
    let mut byline = Vec::new();
    let sep = || Span::styled(" · ", theme.dim);
    if let Some(source) = &meta.source {
        byline.push(Span::styled(clean_line(source), theme.source));
    }
    if let Some(date) = meta.published {
        if !byline.is_empty() {
            byline.push(sep());
        }
        byline.push(Span::styled(date.date_string(), theme.date));
    }
    if let Some(author) = &meta.author {
        if !byline.is_empty() {
            byline.push(sep());
        }
        byline.push(Span::styled(
            format!("by {}", clean_line(author)),
            theme.dim,
        ));
    }
    lines.push(Line::from(byline));
    if meta.original_source.is_some() || meta.original_title.is_some() {
        let mut original = vec![Span::styled("Originally: ", theme.dim)];
        if let Some(source) = &meta.original_source {
            original.push(Span::styled(clean_line(source), theme.source));
        }
        if let Some(title) = &meta.original_title {
            original.push(Span::styled(format!(" “{}”", clean_line(title)), theme.dim));
        }
        lines.push(Line::from(original));
    }
    if let Some(url) = &meta.url {
        lines.push(Line::from(Span::styled(clean_line(url), theme.dim)));
    }
    let rows = usize::from(area.height);
    let shown = if rows > lines.len() {
        lines.len()
    } else {
        rows
    };
    for (i, line) in lines.iter().take(shown).enumerate() {
        put_line(buf, area.x, area.y + i as u16, area.width, line);
    }
    if rows > lines.len() {
        let rule = "─".repeat(usize::from(area.width));
        put(
            buf,
            area.x,
            area.y + shown as u16,
            area.width,
            &rule,
            theme.dim,
        );
    }
}

/// The visible lines of text, with find and search matches marked.
fn render_text(reader: &Reader, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let text = &reader.article.text;
    let wrapped = &reader.wrapped;
    let top = wrapped.line_of(reader.anchor);
    for row in 0..usize::from(area.height) {
        let i = top + row;
        let Some(line) = wrapped.lines.get(i) else {
            break;
        };
        let content = wrapped.text(text, i);
        let chars = content.chars().count();
        let marks: Vec<_> = ranges_in_line(&reader.matches, line.char_start, chars)
            .map(|(index, range)| {
                let style = if reader.current == Some(index) {
                    theme.current_match
                } else {
                    theme.matched
                };
                (range, style)
            })
            .collect();
        let spans = marked(content, &marks, ratatui::style::Style::new());
        put_line(
            buf,
            area.x,
            area.y + row as u16,
            area.width,
            &Line::from(spans),
        );
    }
}

/// How far through the article the window is, in percent (100 when the end is on screen).
pub fn percent(reader: &Reader, rows: usize) -> u16 {
    let total = reader.wrapped.lines.len();
    let top = reader.wrapped.line_of(reader.anchor);
    if total <= rows || top + rows >= total {
        return 100;
    }
    ((top * 100) / (total - rows)).min(100) as u16
}
