//! The reader's annotation panels: the panel beside (or under) the text that shows the annotation under
//! the cursor, and the list of the article's annotations in text order.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::{fill, put, put_line, shown_text};
use crate::annotation::Annotation;
use crate::article::clean::clean_line;
use crate::text::{plural, shorten};
use crate::tui::layout;
use crate::tui::state::{Reader, State};
use crate::tui::theme::Theme;
use crate::tui::wrap::Wrapped;

/// A coloured swatch and the tag's name.
pub fn tag_spans(tags: &[String], theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let style = theme.tag(tag);
        spans.push(Span::styled("■ ", style));
        spans.push(Span::styled(
            clean_line(tag),
            style.add_modifier(Modifier::BOLD),
        ));
    }
    spans
}

/// `text` wrapped to `width`, at most `max` lines (the last marked when cut).
fn wrapped_lines(text: &str, width: u16, max: usize) -> Vec<String> {
    let text = shown_text(text);
    let wrapped = Wrapped::new(&text, width.max(1));
    let mut lines: Vec<String> = (0..wrapped.lines.len())
        .map(|i| wrapped.text(&text, i).to_owned())
        .collect();
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            *last = shorten(&format!("{last} …"), usize::from(width));
        }
    }
    lines
}

/// The panel beside or under the text.
pub fn render_panel(state: &State, reader: &Reader, theme: &Theme, buf: &mut Buffer, area: Rect) {
    super::clear_box(buf, area);
    let side = layout::has_side_panel(state);
    let block = Block::default()
        .borders(if side { Borders::LEFT } else { Borders::TOP })
        .border_style(theme.dim);
    let inner = block.inner(area);
    block.render(area.intersection(buf.area), buf);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(1),
        inner.height,
    );
    let lines = panel_lines(state, reader, theme, inner.width);
    for (i, line) in lines.iter().take(usize::from(inner.height)).enumerate() {
        put_line(buf, inner.x, inner.y + i as u16, inner.width, line);
    }
}

fn panel_lines(state: &State, reader: &Reader, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let side = layout::has_side_panel(state);
    let mut lines = Vec::new();
    let key = |k: &'static str| Span::styled(k, theme.key);
    let dim = |t: String| Span::styled(t, theme.dim);
    if let Some(selection) = reader.selection() {
        lines.push(Line::from(Span::styled("Selecting", theme.heading)));
        lines.push(Line::from(dim(plural(selection.len(), "character"))));
        lines.push(Line::from(vec![
            key("t"),
            dim(" tag it · ".into()),
            key("Esc"),
            dim(" cancel".into()),
        ]));
        return lines;
    }
    let Some(a) = reader.annotation_at(reader.cursor) else {
        let count = reader.annotations.len();
        let orphans = reader.annotations.iter().filter(|a| a.orphaned).count();
        lines.push(Line::from(Span::styled("Annotations", theme.heading)));
        let mut summary = if reader.annotations_loaded {
            plural(count, "annotation")
        } else {
            "loading…".to_owned()
        };
        if orphans > 0 {
            summary.push_str(&format!(", {orphans} orphaned"));
        }
        lines.push(Line::from(dim(summary)));
        if let Some(why) = &reader.read_only {
            for l in wrapped_lines(&format!("read-only: {why}"), width, 4) {
                lines.push(Line::from(Span::styled(l, theme.error)));
            }
        }
        lines.push(Line::default());
        for (k, what) in [
            ("v", " select text"),
            ("t", " tag the selection"),
            ("] [", " next / previous"),
            ("a", " list them"),
            ("c", " claims by tag"),
        ] {
            lines.push(Line::from(vec![key(k), dim(what.into())]));
        }
        return lines;
    };
    annotation_lines(state, a, theme, width, side, &mut lines);
    lines
}

fn annotation_lines(
    state: &State,
    a: &Annotation,
    theme: &Theme,
    width: u16,
    side: bool,
    lines: &mut Vec<Line<'static>>,
) {
    let key = |k: &'static str| Span::styled(k, theme.key);
    let dim = |t: &'static str| Span::styled(t, theme.dim);
    if side {
        for tag in &a.tags {
            lines.push(Line::from(tag_spans(std::slice::from_ref(tag), theme)));
            let info = state.vocabulary.info(tag);
            let about = if info.known {
                info.description
            } else {
                "(a new tag)".to_owned()
            };
            for l in wrapped_lines(&about, width.saturating_sub(2), 2) {
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(l, theme.dim),
                ]));
            }
        }
    } else {
        lines.push(Line::from(tag_spans(&a.tags, theme)));
    }
    let note_rows = if side { 12 } else { 3 };
    match a.note.as_deref() {
        Some(note) => {
            if side {
                lines.push(Line::default());
            }
            for l in wrapped_lines(note, width, note_rows) {
                lines.push(Line::from(l));
            }
        }
        None => lines.push(Line::from(dim("no note (i adds one)"))),
    }
    if let Some(creator) = &a.creator {
        let edited = a
            .editor
            .as_ref()
            .map(|e| format!(", edited by {}", e.name))
            .unwrap_or_default();
        let by = clean_line(&format!("by {}{edited}", creator.name));
        lines.push(Line::from(Span::styled(by, theme.dim)));
    }
    if !a.links.is_empty() && side {
        lines.push(Line::default());
    }
    for link in &a.links {
        for l in wrapped_lines(&link_text(state, link), width, if side { 3 } else { 1 }) {
            let style = if state.claims.find(link.id).is_none() && state.claims.loaded {
                theme.error
            } else {
                theme.dim
            };
            lines.push(Line::from(Span::styled(l, style)));
        }
    }
    if side {
        lines.push(Line::default());
    }
    let mut keys = vec![
        key("t"),
        dim(" tags · "),
        key("i"),
        dim(" note · "),
        key("d"),
        dim(" delete"),
    ];
    let mut more = vec![key("T"), dim(" trace")];
    if !a.links.is_empty() {
        more.extend([dim(" · "), key(">"), dim(" follow")]);
    }
    // Beside the text the keys take two lines; under it, one.
    if side {
        lines.push(Line::from(keys));
        lines.push(Line::from(more));
    } else {
        keys.push(dim(" · "));
        keys.extend(more);
        lines.push(Line::from(keys));
    }
}

/// A link as the panel shows it: `supports → <title>: “quote”`, or that the claim linked is gone.
pub fn link_text(state: &State, link: &crate::annotation::Link) -> String {
    match state.claims.find(link.id) {
        Some(c) => format!("{} → {}: “{}”", link.rel, c.title, c.quote),
        None if state.claims.loaded => {
            format!(
                "{} → a claim that is gone (deleted, or unreadable)",
                link.rel
            )
        }
        None => format!("{} → …", link.rel),
    }
}

/// The list of the article's annotations (`a`).
pub fn render_list(state: &State, reader: &Reader, theme: &Theme, buf: &mut Buffer) {
    let Some(panel) = &state.panel else {
        return;
    };
    let area = layout::annotations(state).intersection(buf.area);
    if area.width < 6 || area.height < 3 {
        return;
    }
    super::clear_box(buf, area);
    let title = format!(
        " {} (Enter jumps, Esc closes) ",
        plural(reader.annotations.len(), "annotation")
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading));
    let inner = block.inner(area);
    block.render(area, buf);
    if reader.annotations.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(1),
            "None yet: v selects text, t tags it.",
            theme.dim,
        );
        return;
    }
    let per = 2usize;
    let visible = (usize::from(inner.height) / per).max(1);
    let offset = layout::scrolled(panel.selected, panel.offset, visible);
    for (row, (i, a)) in reader
        .annotations
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .enumerate()
    {
        let y = inner.y + (row * per) as u16;
        let selected = i == panel.selected;
        let mut first = vec![Span::styled(
            if selected { "▌" } else { " " },
            theme.selection.patch(theme.dim),
        )];
        first.extend(tag_spans(&a.tags, theme));
        if a.orphaned {
            first.push(Span::styled(" orphaned", theme.error));
        }
        let used: usize = first.iter().map(|s| s.width()).sum();
        let room = usize::from(inner.width).saturating_sub(used + 3);
        let quote_style = if selected {
            theme.selection
        } else {
            Style::new()
        };
        first.push(Span::styled(
            format!(
                "  “{}”",
                shorten(&clean_line(&a.quote), room.saturating_sub(2))
            ),
            quote_style,
        ));
        if selected {
            fill(
                buf,
                Rect::new(inner.x + 1, y, inner.width.saturating_sub(1), 1),
                theme.selection,
            );
        }
        put_line(buf, inner.x, y, inner.width, &Line::from(first));
        if y + 1 < inner.bottom() {
            let note = a
                .note
                .as_deref()
                .and_then(|n| n.lines().next())
                .unwrap_or("");
            let mut by = a
                .creator
                .as_ref()
                .map(|p| format!("{} · ", clean_line(&p.name)))
                .unwrap_or_default();
            if !a.links.is_empty() {
                by.push_str(&format!("{} · ", plural(a.links.len(), "link")));
            }
            let note = if note.is_empty() {
                format!("{by}(no note)")
            } else {
                shorten(
                    &format!("{by}{}", clean_line(note)),
                    usize::from(inner.width).saturating_sub(4),
                )
            };
            put(
                buf,
                inner.x + 3,
                y + 1,
                inner.width.saturating_sub(3),
                &note,
                theme.dim,
            );
        }
    }
}
