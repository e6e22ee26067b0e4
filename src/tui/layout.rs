//! Where things go on screen, shared by the view (to draw) and the update (to page, wrap and map clicks),
//! so that both agree at every size.

use ratatui::layout::Rect;

use super::state::{Reader, State};
use crate::article::Article;

/// Rows one search hit takes: title, two lines of snippet, a gap.
pub const HIT_ROWS: u16 = 4;

/// Everything above the status bar.
pub fn main(state: &State) -> Rect {
    Rect::new(0, 0, state.width, state.height.saturating_sub(1))
}

/// The status bar (the last row).
pub fn status(state: &State) -> Rect {
    Rect::new(
        0,
        state.height.saturating_sub(1),
        state.width,
        state.height.min(1),
    )
}

/// The input line at the bottom of the main area, and the rest above it.
pub fn split_input(area: Rect, open: bool) -> (Rect, Option<Rect>) {
    if !open || area.height < 2 {
        return (area, open.then_some(area).filter(|a| a.height > 0));
    }
    let rest = Rect::new(area.x, area.y, area.width, area.height - 1);
    let line = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    (rest, Some(line))
}

/// The library: the column header row and the rows of articles.
pub fn library(state: &State) -> (Option<Rect>, Rect) {
    let (area, _) = split_input(main(state), state.library.filter_open);
    if area.height < 3 {
        return (None, area);
    }
    let header = Rect::new(area.x, area.y, area.width, 1);
    let rows = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    (Some(header), rows)
}

/// The search screen: the query line, the count line, and the hits.
pub fn search(state: &State) -> (Rect, Option<Rect>, Rect) {
    let area = main(state);
    let query = Rect::new(area.x, area.y, area.width, area.height.min(1));
    if area.height < 3 {
        let rest = area.height.saturating_sub(1);
        return (query, None, Rect::new(area.x, area.y + 1, area.width, rest));
    }
    let count = Rect::new(area.x, area.y + 1, area.width, 1);
    let hits = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
    (query, Some(count), hits)
}

/// How many header rows an article has: title, byline, original source, URL.
pub fn header_rows(article: &Article) -> u16 {
    let meta = &article.meta;
    let original = meta.original_source.is_some() || meta.original_title.is_some();
    2 + u16::from(original) + u16::from(meta.url.is_some())
}

/// The reader: the header (with a rule under it), the column of text, and the find line.
pub fn reader(state: &State, reader: &Reader) -> (Rect, Rect, Option<Rect>) {
    let (area, find) = split_input(main(state), reader.find_open);
    let rows = header_rows(&reader.article);
    let header_height = if area.height >= rows + 1 + 12 {
        rows + 1
    } else if area.height >= 6 {
        1
    } else {
        0
    };
    let header = Rect::new(area.x, area.y, area.width, header_height);
    let body = Rect::new(
        area.x,
        area.y + header_height,
        area.width,
        area.height - header_height,
    );
    (
        column(header, state.max_width),
        column(body, state.max_width),
        find,
    )
}

/// `area` narrowed to at most `max_width` columns (with a margin of one when there is room), centred.
pub fn column(area: Rect, max_width: u16) -> Rect {
    let margin = if area.width > 20 { 2 } else { 0 };
    let width = area.width.saturating_sub(margin).min(max_width).max(1);
    let width = width.min(area.width);
    let x = area.x + (area.width - width) / 2;
    Rect::new(x, area.y, width, area.height)
}

/// The first row to draw so that `selected` is among the `rows` drawn, moving `offset` as little as may be.
pub fn scrolled(selected: usize, offset: usize, rows: usize) -> usize {
    if rows == 0 {
        return selected;
    }
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}
