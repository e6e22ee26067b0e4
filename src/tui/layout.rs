//! Where things go on screen, shared by the view (to draw) and the update (to page, wrap and map clicks),
//! so that both agree at every size.

use std::ops::Range;

use ratatui::layout::Rect;

use super::state::{Reader, State, Target};
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

/// Whether the library's filter line is drawn: while it is open, and while it holds words.
pub fn filter_shown(state: &State) -> bool {
    state.library.filter_open || !state.library.filter.value().is_empty()
}

/// The library: the column header row and the rows of articles.
pub fn library(state: &State) -> (Option<Rect>, Rect) {
    let (area, _) = split_input(main(state), filter_shown(state));
    if area.height < 3 {
        return (None, area);
    }
    let header = Rect::new(area.x, area.y, area.width, 1);
    let rows = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    (Some(header), rows)
}

/// The sources view: the header row (when there is room) and the rows.
pub fn sources(state: &State) -> (Option<Rect>, Rect) {
    let area = main(state);
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
    2 + u16::from(original) + u16::from(meta.url.is_some()) + u16::from(!meta.tags.is_empty())
}

/// The width of the reader's side panel: 32 columns, more in a window with room to spare.
pub fn side_panel_width(state: &State) -> u16 {
    state.width.saturating_sub(84).clamp(32, 50)
}

/// Whether the window is wide enough for the side panel (else the panel goes at the bottom); the
/// side-by-side view keeps the width for its two panes.
pub fn has_side_panel(state: &State) -> bool {
    state.width >= 100 && state.reader.as_ref().is_none_or(|r| r.side.is_none())
}

/// The reader's annotation panel: at the side in a wide window (always there, so that the text never
/// reflows), at the bottom of a narrow one while the cursor is on an annotation.
pub fn reader_panel(state: &State, reader: &Reader) -> Option<Rect> {
    let (area, _) = split_input(main(state), reader.find_open);
    if has_side_panel(state) {
        let width = side_panel_width(state);
        let x = area.right() - width;
        return Some(Rect::new(x, area.y, width, area.height));
    }
    let under = reader
        .annotation_at(reader.cursor)
        .filter(|_| reader.visual.is_none())?;
    if area.height < 8 {
        return None;
    }
    // A rule, the tags, up to three lines of note, the keys.
    let note = under
        .note
        .as_deref()
        .map_or(1, |n| n.lines().count().clamp(1, 3)) as u16;
    let height = (3 + note).min((area.height / 3).max(3));
    Some(Rect::new(
        area.x,
        area.bottom() - height,
        area.width,
        height,
    ))
}

/// The rows of article text on screen (none when no article is open).
pub fn reader_rows(state: &State) -> usize {
    state
        .reader
        .as_ref()
        .map_or(0, |r| reader(state, r).1.height as usize)
}

/// The reader: the header (with a rule under it), the column of text, and the find line.
pub fn reader(state: &State, reader: &Reader) -> (Rect, Rect, Option<Rect>) {
    if let Some(areas) = side_by_side(state, reader) {
        return (areas.header, areas.left, areas.find);
    }
    let (mut area, find) = split_input(main(state), reader.find_open);
    // The header's size depends on the window only, so that it stays put as the panel comes and goes.
    let rows = header_rows(&reader.article);
    let header_height = if area.height >= rows + 1 + 12 {
        rows + 1
    } else if area.height >= 6 {
        1
    } else {
        0
    };
    match reader_panel(state, reader) {
        Some(panel) if has_side_panel(state) => area.width -= panel.width,
        Some(panel) => area.height -= panel.height,
        None => {}
    }
    let header_height = header_height.min(area.height);
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

/// Where the side-by-side view draws: the header across the window, the two panes and the gutter
/// between them, the find line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideAreas {
    pub header: Rect,
    pub left: Rect,
    /// The gutter's column (none in a window too narrow for one).
    pub gutter: Option<u16>,
    pub right: Rect,
    pub find: Option<Rect>,
}

/// The side-by-side view's areas, while it is open: two panes of equal width (the right one a column
/// wider when the width is odd) with a gutter of three columns between them; the annotation panel goes at
/// the bottom while the cursor is on an annotation.
pub fn side_by_side(state: &State, reader: &Reader) -> Option<SideAreas> {
    reader.side.as_ref()?;
    let (mut area, find) = split_input(main(state), reader.find_open);
    let header_height = if area.height >= 3 + 10 {
        3
    } else if area.height >= 6 {
        1
    } else {
        0
    };
    if let Some(panel) = reader_panel(state, reader) {
        area.height -= panel.height;
    }
    let header_height = header_height.min(area.height);
    let margin = u16::from(area.width > 40);
    let inner = area.width.saturating_sub(2 * margin);
    let (left_width, gutter) = if inner >= 7 {
        ((inner - 3) / 2, Some(area.x + margin + (inner - 3) / 2 + 1))
    } else {
        (inner, None)
    };
    let right_width = inner.saturating_sub(left_width + 3);
    let (x, y) = (area.x + margin, area.y + header_height);
    let height = area.height - header_height;
    Some(SideAreas {
        header: Rect::new(area.x, area.y, area.width, header_height),
        left: Rect::new(x, y, left_width, height),
        gutter,
        right: Rect::new(x + left_width + 3, y, right_width, height),
        find,
    })
}

/// A box of at most `width` x `height` centred in the main area.
pub fn overlay(state: &State, width: u16, height: u16) -> Rect {
    let area = main(state);
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// The tag picker's box: the input line, the checked tags, and a row per tag; placed clear of the
/// selection it tags.
pub fn picker(state: &State) -> Rect {
    popup(state).map_or_else(|| overlay(state, 0, 0), |p| p.rect)
}

/// The note editor's box, placed clear of the span whose note it holds.
pub fn note(state: &State) -> Rect {
    popup(state).map_or_else(|| overlay(state, 0, 0), |p| p.rect)
}

/// The fewest rows a popup is drawn with: its border, its input line and one more.
const POPUP_LEAST: u16 = 5;

/// The narrowest popup that goes beside the text rather than above or below it.
const BESIDE_LEAST: u16 = 36;

/// Where the open tag picker or note editor goes, and whether the span it works on stays uncovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Popup {
    pub rect: Rect,
    /// Whether the span's rows on screen are uncovered.
    pub clear: bool,
    /// Whether the popup is clear of the span at its full size (else the reader scrolls to make room).
    pub whole: bool,
}

/// The size the open popup asks for: the picker a row per tag, the note editor a dozen rows.
fn popup_size(state: &State) -> Option<(u16, u16)> {
    if state.note.is_some() {
        return Some((72, 12));
    }
    let rows = state.picker.as_ref()?.rows.len() as u16;
    Some((64, (rows + 4).clamp(6, 18)))
}

/// The span the open popup works on: the selection being tagged, or the annotation being changed.
pub fn popup_span(state: &State) -> Option<Range<usize>> {
    let target = match (&state.note, &state.picker) {
        (Some(note), _) => &note.target,
        (None, Some(picker)) => &picker.target,
        (None, None) => return None,
    };
    let reader = state.reader.as_ref()?;
    match target {
        Target::New { start, end } => Some(*start..*end),
        Target::Edit(id) => reader
            .annotations
            .iter()
            .find(|a| a.id == *id)
            .map(|a| a.start..a.end),
        Target::Article(_) => None,
    }
}

/// The screen rows the span's lines take in the reader's text, if they are all on screen (or, for a
/// span taller than the text area, the rows of the part that is).
pub fn span_rows(state: &State, r: &Reader, span: &Range<usize>) -> Option<Range<u16>> {
    let body = reader(state, r).1;
    let w = &r.wrapped;
    if w.lines.is_empty() || r.side.is_some() {
        return None;
    }
    let top = w.line_of(r.anchor);
    let first = w.line_of(span.start);
    let last = w.line_of(span.end.saturating_sub(1).max(span.start));
    let shown = top + usize::from(body.height);
    let cut = first < top || last >= shown;
    if last < top || first >= shown || (cut && last - first < usize::from(body.height)) {
        return None;
    }
    let start = (first.max(top) - top) as u16;
    let end = (last.min(shown - 1) + 1 - top) as u16;
    Some(body.y + start..body.y + end)
}

/// Where the open tag picker or note editor goes: below the span it works on when there is room, else
/// above it, else beside the text on a wide screen, else on the side with the most room (no less than
/// a few rows, even when that covers part of the span).
pub fn popup(state: &State) -> Option<Popup> {
    let (width, height) = popup_size(state)?;
    let area = main(state);
    let (width, height) = (width.min(area.width), height.min(area.height));
    let reader_state = state.reader.as_ref();
    let rows = popup_span(state)
        .zip(reader_state)
        .and_then(|(span, r)| span_rows(state, r, &span).map(|rows| (rows, r)));
    let Some((rows, r)) = rows else {
        // The span is off the screen (the reader scrolls to it), or not in the reader's text.
        let y = area.y + (area.height - height) / 2;
        let clear = reader_state.is_none_or(|r| r.side.is_some());
        return Some(Popup {
            rect: Rect::new(area.x + (area.width - width) / 2, y, width, height),
            clear,
            whole: clear,
        });
    };
    Some(place(area, reader(state, r).1, rows, width, height))
}

/// A popup of `width` x `height` in `area`, clear of the screen rows `rows` of the `text` column.
fn place(area: Rect, text: Rect, rows: Range<u16>, width: u16, height: u16) -> Popup {
    let (width, height) = (width.min(area.width), height.min(area.height));
    let centred = |y: u16, h: u16| Rect::new(area.x + (area.width - width) / 2, y, width, h);
    let clear = |rect, whole| Popup {
        rect,
        clear: true,
        whole,
    };
    let below = area.bottom().saturating_sub(rows.end);
    let above = rows.start.saturating_sub(area.y);
    if below >= height {
        return clear(centred(rows.end, height), true);
    }
    if above >= height {
        return clear(centred(rows.start - height, height), true);
    }
    let beside = area.right().saturating_sub(text.right() + 1).min(width);
    if beside >= BESIDE_LEAST {
        let y = rows.start.min(area.bottom() - height);
        return clear(Rect::new(area.right() - beside, y, beside, height), true);
    }
    let least = POPUP_LEAST.min(area.height);
    if below.max(above) >= least {
        let rect = match below >= above {
            true => centred(rows.end, below.min(height)),
            false => centred(rows.start - above.min(height), above.min(height)),
        };
        return clear(rect, false);
    }
    // No room anywhere: the fewest rows, at the bottom unless that covers where the span starts.
    let y = match rows.start < area.bottom() - least {
        true => area.bottom() - least,
        false => area.y,
    };
    Popup {
        rect: centred(y, least),
        clear: false,
        whole: false,
    }
}

/// The versions overlay's box: most of the window.
pub fn versions(state: &State) -> Rect {
    let area = main(state);
    overlay(
        state,
        96.min(area.width.saturating_sub(2)),
        area.height.saturating_sub(2),
    )
}

/// The inside of a box with a border all round.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(2),
        area.y.saturating_add(1),
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    )
}

/// The annotations panel's box.
pub fn annotations(state: &State) -> Rect {
    let area = main(state);
    let rows = state.reader.as_ref().map_or(0, |r| r.annotations.len()) as u16;
    let height = (rows.max(1) * 2 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    overlay(state, 78, height)
}

/// The claims view: the chart (when there is room), the filter line, and the claims.
pub fn claims(state: &State) -> (Option<Rect>, Rect, Rect) {
    let area = main(state);
    let chart_height = if area.height >= 18 { 8 } else { 0 };
    let chart = (chart_height > 0).then(|| Rect::new(area.x, area.y, area.width, chart_height));
    let filter = Rect::new(
        area.x,
        area.y + chart_height,
        area.width,
        area.height.min(1),
    );
    let rest = area.height.saturating_sub(chart_height + 1);
    let rows = Rect::new(area.x, area.y + chart_height + 1, area.width, rest);
    (chart, filter, rows)
}

/// Rows one claim takes in the claims view: tag and quote, title and note.
pub const CLAIM_ROWS: u16 = 2;

/// The trace screen: the claim traced and what was found (two rows), then the passages.
pub fn trace(state: &State) -> (Rect, Rect) {
    let area = main(state);
    let head = area.height.min(2);
    let header = Rect::new(area.x, area.y, area.width, head);
    let rows = Rect::new(area.x, area.y + head, area.width, area.height - head);
    (header, rows)
}

/// Rows per passage on the trace screen: its rank, score, date and source; its title; the passage.
pub const PASSAGE_ROWS: u16 = 3;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_popup_with_no_room_above_or_below_goes_beside_the_text_on_a_wide_screen() {
        let (area, text) = (Rect::new(0, 0, 120, 29), Rect::new(2, 5, 80, 24));
        let popup = place(area, text, 10..25, 64, 18);
        assert!(popup.whole && popup.clear, "{popup:?}");
        assert!(popup.rect.x > text.right(), "{popup:?}");
        assert!(area.contains(popup.rect.as_position()) && popup.rect.right() <= area.right());
    }

    #[test]
    fn a_popup_shrinks_to_the_room_there_is_and_never_leaves_the_area() {
        let (area, text) = (Rect::new(0, 0, 40, 11), Rect::new(1, 1, 38, 10));
        let popup = place(area, text, 4..6, 64, 12);
        assert!(popup.clear && !popup.whole, "{popup:?}");
        assert_eq!(popup.rect, Rect::new(0, 6, 40, 5));
        for (rows, height) in [(0..11, 12), (1..3, 0), (0..0, 3), (11..11, 20)] {
            let popup = place(area, text, rows.clone(), 64, height.min(11));
            assert!(popup.rect.bottom() <= area.bottom(), "{rows:?}: {popup:?}");
        }
    }
}
