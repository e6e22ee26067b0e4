//! The trace screen: the claim traced and what was found, then each passage that states it in another
//! article: rank, score, date, source, the first report and the link marked; the title; the passage.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{fill, put, put_empty, put_line};
use crate::text::{plural, shorten};
use crate::trace::Passage;
use crate::tui::layout::{self, PASSAGE_ROWS};
use crate::tui::state::{State, TraceView};
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (header, rows) = layout::trace(state);
    let Some(view) = &state.trace else {
        put_empty(buf, rows, "Nothing traced: T on a claim traces it.", theme);
        return;
    };
    render_header(view, theme, buf, header);
    if view.passages.is_empty() {
        let message = if view.loading {
            "tracing…".to_owned()
        } else if let Some(why) = &view.error {
            format!("The trace failed: {why}")
        } else {
            format!(
                "No other article states it ({} read).",
                plural(view.read, "candidate article")
            )
        };
        put_empty(buf, rows, &message, theme);
        return;
    }
    let visible = usize::from(rows.height / PASSAGE_ROWS).max(1);
    let offset = layout::scrolled(view.selected, view.offset, visible);
    for (row, (i, p)) in view
        .passages
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .enumerate()
    {
        let y = rows.y + row as u16 * PASSAGE_ROWS;
        if y >= rows.bottom() {
            break;
        }
        let area = Rect::new(rows.x, y, rows.width, PASSAGE_ROWS.min(rows.bottom() - y));
        let linked = state.passage_link(p);
        render_passage(buf, area, (i, p), i == view.selected, linked, theme);
    }
}

/// The claim traced, then what was found and the relation `l` links with.
fn render_header(view: &TraceView, theme: &Theme, buf: &mut Buffer, area: Rect) {
    if area.height == 0 {
        return;
    }
    let x = put(buf, area.x, area.y, area.width, "Trace ", theme.heading);
    let room = usize::from(area.right().saturating_sub(x)).saturating_sub(2);
    put(
        buf,
        x,
        area.y,
        area.right().saturating_sub(x),
        &format!("“{}”", shorten(&view.quote, room)),
        Style::new().add_modifier(Modifier::BOLD),
    );
    if area.height < 2 {
        return;
    }
    let found = if view.loading {
        "tracing…".to_owned()
    } else if view.error.is_some() {
        "failed".to_owned()
    } else {
        let shown = view.passages.len();
        let total = plural(view.total.max(shown), "passage");
        match area.width >= 60 {
            true => format!("{shown} of {total} · {} read", plural(view.read, "article")),
            false => format!("{shown} of {total}"),
        }
    };
    let mut spans = vec![Span::styled(found, theme.dim)];
    if view.orphaned {
        spans.push(Span::styled(" · orphaned", theme.error));
    }
    spans.push(Span::styled(" · ", theme.dim));
    spans.push(Span::styled("l", theme.key));
    let links = if area.width >= 60 { " links as" } else { ":" };
    spans.push(Span::styled(format!("{links} {} (", view.rel), theme.dim));
    spans.push(Span::styled("r", theme.key));
    spans.push(Span::styled(")", theme.dim));
    put_line(buf, area.x, area.y + 1, area.width, &Line::from(spans));
}

fn render_passage(
    buf: &mut Buffer,
    area: Rect,
    (i, p): (usize, &Passage),
    selected: bool,
    linked: Option<crate::annotation::Relation>,
    theme: &Theme,
) {
    let marker = Span::styled(
        if selected { "▌" } else { " " },
        theme.selection.patch(theme.dim),
    );
    let date = p.published.map_or("undated".into(), |d| d.date_string());
    let mut first = vec![
        marker,
        Span::styled(format!("{}. ", i + 1), theme.dim),
        Span::styled(format!("{:.2} ", p.score), theme.dim),
        Span::styled(date, theme.date),
    ];
    if p.first_report {
        first.push(Span::styled(
            " ★ first report",
            theme.heading.add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(rel) = linked {
        first.push(Span::styled(format!(" ✓ {rel}"), theme.notice));
    }
    if let Some(source) = &p.source {
        first.push(Span::styled(format!(" · {source}"), theme.source));
    }
    if selected {
        fill(
            buf,
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(1),
                area.height,
            ),
            theme.selection,
        );
    }
    put_line(buf, area.x, area.y, area.width, &Line::from(first));
    let indent = 3u16.min(area.width);
    let width = area.width - indent;
    if area.height >= 2 {
        let title = shorten(&p.title, usize::from(width));
        put(buf, area.x + indent, area.y + 1, width, &title, theme.title);
    }
    if area.height >= 3 {
        let room = usize::from(width).saturating_sub(2);
        let text = format!("“{}”", shorten(&p.text, room));
        put(buf, area.x + indent, area.y + 2, width, &text, Style::new());
    }
}
