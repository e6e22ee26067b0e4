//! The search screen: the query line, the hit count, and ranked hits with their snippets marked (and the
//! first claim the query matched, when it matched one).

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
        let (text, style) = if search.pending() {
            // The count and the hint would speak of an older query than the one typed.
            let typed = crate::text::shorten(search.input.value().trim(), 40);
            (format!("searching “{}”…", clean_line(&typed)), theme.dim)
        } else if let Some(error) = &search.error {
            (error.clone(), theme.error)
        } else if search.query.is_empty() {
            (
                "Type to search every article: words, \"a phrase\", -word, title:word".to_owned(),
                theme.dim,
            )
        } else {
            let total = search.results.total;
            let shown = search.results.hits.len();
            let mut text = match total {
                0 => format!("No article matches “{}”", clean_line(&search.query)),
                _ if shown < total => format!("{} of {} matching articles", shown, total),
                1 => "1 matching article".to_owned(),
                _ => format!("{total} matching articles"),
            };
            if shown > 0 && state.reading.loaded {
                text.push_str(&format!(" · {} unread", state.hits_unread()));
            }
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
        crate::text::pad(&name, room as u16)
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
    // A matched claim takes the snippet's second line.
    let snippet_rows = if hit.claims.is_empty() { 2 } else { 1 };
    if let Some(claim) = hit.claims.first()
        && area.height > 2
    {
        render_claim_hit(
            buf,
            Rect::new(area.x + 2, area.y + 2, width, 1),
            hit,
            claim,
            theme,
        );
    }
    for (i, line) in wrapped.lines.iter().enumerate().take(snippet_rows) {
        if 1 + i as u16 >= area.height {
            break;
        }
        let content = wrapped.text(&snippet, i);
        let chars = content.chars().count();
        let marks: Vec<_> = ranges_in_line(&hit.highlights, line.char_start, chars)
            .map(|(_, r)| (r, theme.matched))
            .collect();
        let mut spans = marked(content, &marks, ratatui::style::Style::new());
        if i + 1 == snippet_rows && wrapped.lines.len() > snippet_rows {
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

/// `✎ tag “quote” — note`, the words the query matched marked, and how many more claims matched.
fn render_claim_hit(
    buf: &mut Buffer,
    area: Rect,
    hit: &Hit,
    claim: &crate::index::ClaimHit,
    theme: &Theme,
) {
    let tag = claim
        .tags
        .first()
        .map(|t| clean_line(t))
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled("✎ ", theme.key),
        Span::styled(format!("{tag} "), theme.tag(&tag)),
        Span::raw("“"),
    ];
    let mut quote = super::shown_text(&claim.quote.replace('\n', " "));
    let more = hit.claims.len() - 1;
    let tail = if more > 0 {
        format!(" +{more} claims")
    } else {
        String::new()
    };
    let tail_width = tail.chars().count() as u16;
    // Cut char for char (the highlights count chars), by width.
    let room = usize::from(area.width.saturating_sub(tail_width))
        .saturating_sub(tag.width() + 5)
        .max(4);
    if quote.width() > room {
        let mut used = 0;
        quote = quote
            .chars()
            .take_while(|c| {
                used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                used < room
            })
            .collect();
        quote.push('…');
    }
    let marks: Vec<_> = claim
        .quote_highlights
        .iter()
        .map(|r| (r.clone(), theme.matched))
        .collect();
    spans.extend(marked(&quote, &marks, ratatui::style::Style::new()));
    spans.push(Span::raw("”"));
    if let Some(note) = claim.note.as_deref().and_then(|n| n.lines().next()) {
        spans.push(Span::styled(format!(" — {}", clean_line(note)), theme.dim));
    }
    put_line(
        buf,
        area.x,
        area.y,
        area.width.saturating_sub(tail_width),
        &Line::from(spans),
    );
    if more > 0 && area.width > tail_width + 10 {
        put(
            buf,
            area.right() - tail_width,
            area.y,
            tail_width,
            &tail,
            theme.dim,
        );
    }
}
