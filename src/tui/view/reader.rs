//! The reader: the article's header and its text wrapped to a readable column, with annotations in their
//! tags' colours, matches highlighted, the selection and the cursor; and the annotation panel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{FIND_PROMPT, input_line, marked, put, put_line};
use crate::article::clean::clean_line;
use crate::article::link::web_link;
use crate::tui::layout;
use crate::tui::state::{Reader, State};
use crate::tui::theme::Theme;
use crate::tui::wrap::ranges_in_line;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    if reader.side.is_some() {
        return super::side_by_side::render(state, theme, buf);
    }
    let (header, body, find) = layout::reader(state, reader);
    render_header(reader, theme, buf, header);
    render_text(reader, theme, buf, body);
    if let Some(panel) = layout::reader_panel(state, reader) {
        super::panel::render_panel(state, reader, theme, buf, panel);
    }
    if let Some(line) = find {
        input_line(buf, line, FIND_PROMPT, &reader.find, theme);
    }
}

/// The header lines, as many as fit: title, byline, the article's tags, original, URL, then a rule.
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
    if !meta.tags.is_empty() {
        let mut tags = vec![Span::styled("Tags: ", theme.dim)];
        for (i, tag) in meta.tags.iter().enumerate() {
            if i > 0 {
                tags.push(Span::styled(", ", theme.dim));
            }
            tags.push(Span::styled(clean_line(tag), theme.key));
        }
        lines.push(Line::from(tags));
    }
    if meta.summary_only {
        lines.push(Line::from(Span::styled(
            "Summary only: the feed's text; the full article comes with a later fetch (F)",
            theme.dim,
        )));
    }
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
        lines.push(Line::from(match web_link(url) {
            Ok(link) => Span::styled(link, theme.dim),
            Err(why) => Span::styled(format!("URL: {why}"), theme.error),
        }));
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
    let top = reader.wrapped.line_of(reader.anchor);
    for row in 0..area.height {
        if top + usize::from(row) >= reader.wrapped.lines.len() {
            break;
        }
        draw_line(
            reader,
            theme,
            buf,
            area,
            area.y + row,
            top + usize::from(row),
            true,
        );
    }
}

/// Draws line `i` of the reader's wrapped text at row `y` of `area`, with the cursor and the selection
/// when `with_cursor`.
pub fn draw_line(
    reader: &Reader,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    i: usize,
    with_cursor: bool,
) {
    let wrapped = &reader.wrapped;
    let Some(line) = wrapped.lines.get(i) else {
        return;
    };
    let content = wrapped.text(&reader.article.text, i);
    let chars = content.chars().count();
    let styles = line_styles(reader, theme, line.char_start, chars, with_cursor);
    let marks = runs(&styles);
    let spans = marked(content, &marks, Style::new());
    put_line(buf, area.x, y, area.width, &Line::from(spans));
    // The cursor past the line's last char (on its line break, or at the end of the text).
    let cursor_line = wrapped.line_of(reader.cursor) == i;
    if with_cursor && cursor_line && reader.cursor >= line.char_start + chars {
        let x = area.x.saturating_add(content.width() as u16);
        if x < area.right() {
            let style = if reader.visual.is_some() {
                theme.selection
            } else {
                theme.cursor
            };
            put(buf, x, y, 1, " ", style);
        }
    }
}

/// The style of every char of one line: annotations (innermost, then newest, in its first tag's colour;
/// underlined where annotations overlap), matches, the selection, the cursor.
fn line_styles(
    reader: &Reader,
    theme: &Theme,
    start: usize,
    chars: usize,
    with_cursor: bool,
) -> Vec<Style> {
    let end = start + chars;
    let mut styles = vec![Style::new(); chars];
    let mut depth = vec![0u8; chars];
    let mut best: Vec<Option<(usize, crate::annotation::AnnotationId)>> = vec![None; chars];
    for a in reader
        .annotations
        .iter()
        .filter(|a| !a.orphaned && a.start < end && a.end > start)
    {
        let style = a.tags.first().map_or(theme.annotation, |t| theme.tag(t));
        let key = (a.end - a.start, std::cmp::Reverse(a.id));
        for c in a.start.max(start)..a.end.min(end) {
            let k = c - start;
            depth[k] = depth[k].saturating_add(1);
            if best[k].is_none_or(|(len, id)| key < (len, std::cmp::Reverse(id))) {
                best[k] = Some((key.0, a.id));
                styles[k] = style;
            }
        }
    }
    for (k, d) in depth.iter().enumerate() {
        if *d > 1 {
            let extra = if theme.no_color {
                Modifier::BOLD
            } else {
                Modifier::empty()
            };
            styles[k] = styles[k].add_modifier(Modifier::UNDERLINED | extra);
        }
    }
    for (index, range) in ranges_in_line(&reader.matches, start, chars) {
        let style = if reader.current == Some(index) {
            theme.current_match
        } else {
            theme.matched
        };
        range.for_each(|k| styles[k] = styles[k].patch(style));
    }
    if !with_cursor {
        return styles;
    }
    if let Some(selection) = reader.selection() {
        for c in selection.start.max(start)..selection.end.min(end) {
            styles[c - start] = theme.selection;
        }
    }
    if (start..end).contains(&reader.cursor) {
        let k = reader.cursor - start;
        styles[k] = styles[k].patch(theme.cursor);
    }
    styles
}

/// Runs of equal style, as the char ranges [`marked`] takes.
fn runs(styles: &[Style]) -> Vec<(std::ops::Range<usize>, Style)> {
    let mut out: Vec<(std::ops::Range<usize>, Style)> = Vec::new();
    for (k, style) in styles.iter().enumerate() {
        match out.last_mut() {
            Some((range, s)) if s == style && range.end == k => range.end = k + 1,
            _ => out.push((k..k + 1, *style)),
        }
    }
    out
}

/// How far through the article the window is, in percent (100 when the end is on screen).
pub fn percent(reader: &Reader, rows: usize) -> u16 {
    let (total, top) = match reader.side.as_deref() {
        Some(side) => (side.rows.len(), side.top),
        None => (
            reader.wrapped.lines.len(),
            reader.wrapped.line_of(reader.anchor),
        ),
    };
    if total <= rows || top + rows >= total {
        return 100;
    }
    ((top * 100) / (total - rows)).min(100) as u16
}
