//! The search screen: the query line, the hit count, and ranked hits with their snippets marked.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{SEARCH_PROMPT, fill, input_line, marked, put, put_line};
use crate::article::clean::clean_line;
use crate::index::Hit;
use crate::tui::layout::{self, HIT_ROWS};
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::wrap::{Wrapped, ranges_in_line};

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (query, count, hits) = layout::search(state);
    input_line(buf, query, SEARCH_PROMPT, &state.search.input, theme);
    let search = &state.search;
    if let Some(count) = count {
        let (text, style) = if let Some(error) = &search.error {
            (error.clone(), theme.error)
        } else if search.query.is_empty() {
            (
                "Type to search every article: words, \"a phrase\", -word, title:word".to_owned(),
                theme.dim,
            )
        } else {
            let total = search.results.total;
            let shown = search.results.hits.len();
            let text = match total {
                0 => format!("No article matches “{}”", clean_line(&search.query)),
                _ if shown < total => format!("{} of {} matching articles", shown, total),
                1 => "1 matching article".to_owned(),
                _ => format!("{total} matching articles"),
            };
            (text, theme.dim)
        };
        put(buf, count.x, count.y, count.width, &text, style);
    }
    let visible = (hits.height / HIT_ROWS).max(u16::from(hits.height > 0)) as usize;
    let offset = layout::scrolled(search.selected, search.offset, visible);
    for (n, hit) in search
        .results
        .hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
    {
        let y = hits.y + ((n - offset) as u16) * HIT_ROWS;
        let height = HIT_ROWS.min(hits.bottom().saturating_sub(y));
        render_hit(
            buf,
            Rect::new(hits.x, y, hits.width, height),
            hit,
            n == search.selected,
            theme,
        );
    }
}

fn render_hit(buf: &mut Buffer, area: Rect, hit: &Hit, selected: bool, theme: &Theme) {
    let marker = if selected { "▌" } else { " " };
    for row in 0..area.height.min(HIT_ROWS - 1) {
        put(
            buf,
            area.x,
            area.y + row,
            1,
            marker,
            theme.selection.patch(theme.dim),
        );
    }
    let width = area.width.saturating_sub(2);
    let title_style = if selected {
        theme.selection
    } else {
        theme.title
    };
    let mut meta = Vec::new();
    meta.extend(hit.source.as_deref().map(clean_line));
    if width >= 60 {
        meta.extend(hit.published.map(|p| p.date_string()));
    }
    let meta = if meta.is_empty() {
        String::new()
    } else {
        format!("  {}", meta.join(" · "))
    };
    let name = clean_line(&hit.title);
    // The title gives way to the source and date, down to two thirds of the width.
    let room = usize::from(width)
        .saturating_sub(meta.chars().count())
        .max(usize::from(width) * 2 / 3);
    let name = if name.width() > room {
        super::library::pad(&name, room as u16)
    } else {
        name
    };
    let title = vec![
        Span::styled(name, title_style),
        Span::styled(meta, theme.dim),
    ];
    if selected {
        fill(
            buf,
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(1),
                area.height.min(1),
            ),
            theme.selection,
        );
    }
    put_line(buf, area.x + 2, area.y, width, &Line::from(title));
    let snippet = super::shown_text(&hit.snippet);
    let wrapped = Wrapped::new(&snippet, width.max(1));
    for (i, line) in wrapped.lines.iter().enumerate().take(2) {
        if 1 + i as u16 >= area.height {
            break;
        }
        let content = wrapped.text(&snippet, i);
        let chars = content.chars().count();
        let marks: Vec<_> = ranges_in_line(&hit.highlights, line.char_start, chars)
            .map(|(_, r)| (r, theme.matched))
            .collect();
        let mut spans = marked(content, &marks, ratatui::style::Style::new());
        if i == 1 && wrapped.lines.len() > 2 {
            spans.push(Span::styled("…", theme.dim));
        }
        put_line(
            buf,
            area.x + 2,
            area.y + 1 + i as u16,
            width,
            &Line::from(spans),
        );
    }
}
