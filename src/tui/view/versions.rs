//! The versions overlay: the diff from the article's previous version to its current text, removed
//! paragraphs marked `-`, added ones `+`, the unchanged ones dimmed.

use ratatui::buffer::Buffer;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::put;
use crate::tui::layout;
use crate::tui::state::{Sign, State};
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let Some(changes) = &state.versions else {
        return;
    };
    let area = layout::versions(state).intersection(buf.area);
    if area.width < 6 || area.height < 3 {
        return;
    }
    super::clear_box(buf, area);
    let (removed, added) = changes.counts();
    let title = format!(
        " Since {}: -{removed} +{added} (Esc closes) ",
        when(&super::shown_text(&changes.previous))
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading));
    block.render(area, buf);
    let inner = layout::inner(area).intersection(buf.area);
    if inner.is_empty() {
        return;
    }
    let rows = changes.rows(inner.width);
    let scroll = changes
        .scroll
        .min(rows.len().saturating_sub(usize::from(inner.height)));
    for (i, (sign, text)) in rows
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let style = match sign {
            Sign::Same => theme.dim,
            Sign::Removed => theme.removed,
            Sign::Added => theme.added,
        };
        put(buf, inner.x, inner.y + i as u16, inner.width, text, style);
    }
}

/// A version's name (`20260101T093000Z`, maybe with `-2`) as a date and time: `2026-01-01 09:30 UTC`.
fn when(name: &str) -> String {
    let b = name.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..8) && b.get(8) == Some(&b'T') && digits(9..15) && b.get(15) == Some(&b'Z')) {
        return name.to_owned();
    }
    format!(
        "{}-{}-{} {}:{} UTC",
        &name[0..4],
        &name[4..6],
        &name[6..8],
        &name[9..11],
        &name[11..13]
    )
}
