//! The status bar: the mode, a message or error, background work, and the position.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};

use super::{fill, put, put_line};
use crate::tui::command::Mode;
use crate::tui::keymap::chord_name;
use crate::tui::layout;
use crate::tui::state::{Screen, State};
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let area = layout::status(state);
    if area.height == 0 || area.width == 0 {
        return;
    }
    fill(buf, area, theme.dim);
    let name = match state.screen_mode() {
        Mode::Library | Mode::Filter => "library",
        Mode::Reader | Mode::Find => "reader",
        Mode::Search => "search",
        Mode::Claims => "claims",
        Mode::Trace => "trace",
        Mode::Visual => "visual",
        Mode::Picker => "tag",
        Mode::Note => "note",
        Mode::Panel => "annotations",
        Mode::Versions => "versions",
        Mode::Help => "help",
        Mode::Messages => "messages",
        Mode::Sources => "sources",
    };
    let mode = format!(" {} ", name.to_uppercase());
    let mut x = put(
        buf,
        area.x,
        area.y,
        area.width,
        &mode,
        theme.status.add_modifier(ratatui::style::Modifier::BOLD),
    );
    let left = if !state.pending.is_empty() {
        Some((format!(" {} …", chord_name(&state.pending)), theme.key))
    } else if let Some(error) = &state.status.error {
        Some((format!(" {error}"), theme.error))
    } else {
        state
            .status
            .message
            .as_ref()
            .map(|m| (format!(" {m}"), theme.notice))
    };
    // The unread counts give way to a message that needs their room (they are back at the next key).
    let room = |right: &str| {
        let width = right.chars().count() as u16;
        area.right().saturating_sub(x).saturating_sub(width + 1)
    };
    let mut right = right_side(state, true);
    if let Some((text, _)) = &left
        && unicode_width::UnicodeWidthStr::width(text.as_str()) > usize::from(room(&right))
    {
        right = right_side(state, false);
    }
    let right_width = right.chars().count() as u16;
    if let Some((text, style)) = left {
        x = put(buf, x, area.y, room(&right), &text, style);
    }
    let _ = x;
    if right_width < area.width.saturating_sub(mode.len() as u16 + 1) {
        let at = area.right() - right_width;
        put_line(
            buf,
            at,
            area.y,
            right_width,
            &Line::from(Span::styled(right, theme.dim)),
        );
    }
}

/// Background work, the unread counts (with `counts`) and the position, e.g.
/// `indexing 120/3000 · 37 unread of 120 · 1/120`.
fn right_side(state: &State, counts: bool) -> String {
    let counts = counts && state.reading.loaded;
    let mut parts = Vec::new();
    if state.status.read_only {
        parts.push("read-only".to_owned());
    }
    if let Some((done, total, current)) = &state.status.fetching {
        let mut part = format!("fetching {done}/{total}");
        if !current.is_empty() {
            part.push(' ');
            part.push_str(&crate::text::shorten(current, 24));
        }
        parts.push(part);
    }
    if let Some(step) = &state.status.syncing {
        parts.push(format!("sync: {}", crate::text::shorten(step, 28)));
    }
    if let Some((done, total)) = state.status.progress {
        parts.push(format!("indexing {done}/{total}"));
    } else if let Some(total) = state.library.first_rows_of() {
        parts.push(format!("listing {total} articles…"));
    } else if state.status.indexing || !state.library.loaded() {
        parts.push("indexing…".to_owned());
    }
    // The list can come first: its read marks and unread counts follow with the reading state.
    if state.library.loaded() && state.reading.coming && !state.reading.loaded {
        parts.push("reading state…".to_owned());
    }
    match state.screen {
        Screen::Library => {
            let lib = &state.library;
            let unread = state.library_unread();
            if !lib.filter.value().is_empty() && lib.first_rows_of().is_none() {
                parts.push(format!(
                    "filtered: {} of {}",
                    lib.shown.len(),
                    lib.entries.len()
                ));
                if counts {
                    parts.push(format!("{unread} unread"));
                }
            } else if lib.loaded() && counts {
                parts.push(format!("{unread} unread of {}", lib.entries.len()));
            }
            if !lib.shown.is_empty() {
                // The first rows stand for the whole list until it comes.
                let rows = lib.first_rows_of().unwrap_or(lib.shown.len());
                parts.push(format!("{}/{rows}", lib.selected + 1));
            }
        }
        Screen::Search => {
            let hits = state.search.results.hits.len();
            if hits > 0 {
                parts.push(format!("{}/{}", state.search.selected + 1, hits));
            }
        }
        Screen::Sources => {
            let (total, unread) = state.library_counts();
            parts.push(format!("{unread} unread of {total}"));
            let rows = state.source_rows().len();
            if rows > 0 {
                parts.push(format!("{}/{rows}", state.sources.selected + 1));
            }
        }
        Screen::Claims => {
            let c = &state.claims;
            if !c.rows.is_empty() && counts {
                parts.push(format!("{} in unread articles", state.claims_unread()));
            }
            if !c.rows.is_empty() {
                parts.push(format!("{}/{}", c.selected + 1, c.rows.len()));
            }
        }
        Screen::Trace => {
            if let Some(view) = state.trace.as_ref().filter(|v| !v.passages.is_empty()) {
                parts.push(format!("{}/{}", view.selected + 1, view.passages.len()));
            }
        }
        Screen::Reader => {
            if let Some(reader) = &state.reader {
                let (id, reading) = (reader.article.id.as_str(), &state.reading);
                if reading.is_starred(id) {
                    parts.push("starred".to_owned());
                }
                if reading.loaded && !reading.is_read(id) {
                    parts.push("unread".to_owned());
                }
                if let Some(selection) = reader.selection() {
                    parts.push(crate::text::plural(selection.len(), "char"));
                } else if !reader.annotations.is_empty() {
                    parts.push(crate::text::plural(reader.annotations.len(), "annotation"));
                }
                if let Some(i) = reader.current {
                    parts.push(format!("match {}/{}", i + 1, reader.matches.len()));
                } else if !reader.matches.is_empty() {
                    parts.push(crate::text::plural(reader.matches.len(), "match"));
                }
                let rows = crate::tui::layout::reader_rows(state);
                parts.push(format!("{}%", super::reader::percent(reader, rows)));
            }
        }
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{} ", parts.join(" · "))
}
