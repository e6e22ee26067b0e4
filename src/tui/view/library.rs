//! The library: every article with its reading state (new `N`, unread `•` and in bold, starred `*`), title,
//! source, date, word count, and its annotations (how many, and their tags in their colours); the order
//! marked in the header; the filter line while it holds words.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};

use super::{FILTER_PROMPT, fill, input_line, put_empty, put_line};
use crate::reading::SortKey;
use crate::text::pad;
use crate::tui::layout;
use crate::tui::state::{Entry, State};
use crate::tui::theme::Theme;

/// The marks columns: new or unread, then starred (the title follows at once: the star's column, blank
/// on most rows, keeps it apart).
const MARKS: u16 = 2;

/// Column widths for a window `width` wide: (source, date, words, claims); the title takes the rest.
fn columns(width: u16) -> (u16, u16, u16, u16) {
    match width {
        0..40 => (0, 0, 0, 0),
        40..60 => (0, 10, 0, 3),
        60..90 => (14, 10, 6, 7),
        90..130 => (20, 10, 8, 8),
        _ => (24, 10, 8, 30),
    }
}

/// The claims cell: the count, then the tags (names when there is room, else a coloured square each).
fn claims_cell(entry: &crate::tui::state::Entry, width: u16, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    if entry.claims == 0 {
        spans.push(Span::raw(" ".repeat(usize::from(width))));
        return spans;
    }
    let count = format!("{:>2}", entry.claims);
    let mut used = count.chars().count();
    spans.push(Span::styled(count, theme.key));
    let room = usize::from(width);
    for tag in entry.claim_tags.iter().take_while(|_| room >= 5) {
        let names = room >= 20;
        let piece = if names {
            format!(" {tag}")
        } else {
            "■".to_owned()
        };
        let piece = if !names && used == 2 {
            format!(" {piece}")
        } else {
            piece
        };
        let len = piece.chars().count();
        if used + len > room {
            if used < room {
                spans.push(Span::styled("…", theme.dim));
                used += 1;
            }
            break;
        }
        spans.push(Span::styled(piece, theme.tag(tag)));
        used += len;
    }
    spans.push(Span::raw(" ".repeat(room.saturating_sub(used))));
    spans
}

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (header, rows) = layout::library(state);
    let (source_w, date_w, words_w, claims_w) = columns(rows.width);
    let title_w = rows.width.saturating_sub(
        source_w
            + date_w
            + words_w
            + claims_w
            + 1
            + MARKS
            + u16::from(source_w > 0)
            + u16::from(date_w > 0)
            + u16::from(words_w > 0)
            + u16::from(claims_w > 0),
    );
    if let Some(h) = header {
        let sort = state.library.sort;
        let arrow = |label: &str, key: SortKey| match sort == key {
            true => format!("{label} ↓"),
            false => label.to_owned(),
        };
        let hidden = match sort {
            SortKey::Source => source_w == 0,
            SortKey::Date => date_w == 0,
            SortKey::Length => words_w == 0,
            SortKey::Claims => claims_w == 0,
            SortKey::Title => false,
        };
        let sort = match hidden {
            true => format!("Title · by {sort} ↓"),
            false => arrow("Title", SortKey::Title),
        };
        let date = arrow("Date", SortKey::Date);
        let mut line = vec![
            Span::raw(" ".repeat(usize::from(1 + MARKS))),
            Span::styled(pad(&sort, title_w), theme.heading),
        ];
        if source_w > 0 {
            line.push(Span::styled(
                format!(" {}", pad(&arrow("Source", SortKey::Source), source_w)),
                theme.heading,
            ));
        }
        if date_w > 0 {
            line.push(Span::styled(
                format!(" {}", pad(&date, date_w)),
                theme.heading,
            ));
        }
        if words_w > 0 {
            let label = if sort_is(state, SortKey::Length) {
                "Words↓"
            } else {
                "Words"
            };
            line.push(Span::styled(
                format!(" {:>w$}", label, w = usize::from(words_w)),
                theme.heading,
            ));
        }
        if claims_w > 0 {
            let label = match (claims_w, sort_is(state, SortKey::Claims)) {
                (8.., true) => "Claims ↓",
                (7, true) => "Claims↓",
                (_, true) => "✎↓",
                (7.., false) => "Claims",
                (_, false) => "✎",
            };
            line.push(Span::styled(
                format!(" {}", pad(label, claims_w)),
                theme.heading,
            ));
        }
        put_line(buf, h.x, h.y, h.width, &Line::from(line));
    }
    let lib = &state.library;
    let offset = layout::scrolled(lib.selected, lib.offset, rows.height as usize);
    if lib.shown.is_empty() && rows.height > 0 {
        let message = if lib.first_rows_of().is_some() {
            "Listing the articles…"
        } else if !lib.loaded() {
            "Opening the index…"
        } else if lib.entries.is_empty() && state.feeds > 0 {
            "No articles yet: press F to fetch the feeds, or add Markdown files to the content directory."
        } else if lib.entries.is_empty() {
            "No articles yet: add Markdown files to the content directory, or `newsgloss add URL`."
        } else {
            "No article matches the filter (Esc clears it)."
        };
        put_empty(buf, rows, message, theme);
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
        // Unread titles are bold, selected or not.
        let unread = state.reading.loaded && !state.reading.is_read(&entry.id);
        let weight = |style: ratatui::style::Style| match unread {
            true => style.add_modifier(ratatui::style::Modifier::BOLD),
            false => style.remove_modifier(ratatui::style::Modifier::BOLD),
        };
        let mut spans = vec![
            Span::styled(if selected { "▌" } else { " " }, pick(theme.dim)),
            Span::styled(marks(state, entry), pick(theme.key)),
        ];
        // An article that is only its feed's summary says so before its title, where a cut never reaches.
        let mut title_w = title_w;
        let summary = SUMMARY.len() as u16;
        if entry.summary_only && title_w > summary {
            spans.push(Span::styled(SUMMARY, pick(theme.dim)));
            title_w -= summary;
        }
        spans.push(Span::styled(
            pad(&entry.title, title_w),
            weight(pick(theme.title)),
        ));
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
        if claims_w > 0 {
            let cell = claims_cell(entry, claims_w, theme);
            spans.extend(cell.into_iter().map(|s| {
                if selected {
                    Span::styled(s.content, theme.selection)
                } else {
                    s
                }
            }));
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
        layout::filter_shown(state),
        layout::split_input(layout::main(state), true),
    ) {
        input_line(buf, line, FILTER_PROMPT, &lib.filter, theme);
    }
}

fn sort_is(state: &State, key: SortKey) -> bool {
    state.library.sort == key
}

/// What an article kept as its feed's summary shows before its title.
const SUMMARY: &str = "[summary] ";

/// `N` new (since the last visit) or `•` unread, then `*` starred (none until the state is read).
fn marks(state: &State, entry: &Entry) -> String {
    let reading = &state.reading;
    if !reading.loaded {
        return " ".repeat(usize::from(MARKS));
    }
    let state = match (reading.is_read(&entry.id), reading.is_new(&entry.id)) {
        (false, true) => 'N',
        (false, false) => '•',
        (true, _) => ' ',
    };
    let star = if reading.is_starred(&entry.id) {
        '*'
    } else {
        ' '
    };
    format!("{state}{star}")
}
