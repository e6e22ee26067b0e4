//! The tag picker and the note editor never cover the span they work on: below it, above it or beside
//! it, the reader scrolled to make room where the screen has none, at every size.

use super::annotating::{annotation_of, now};
use super::in_sight::{LONG, long_reader, long_text};
use super::*;
use crate::tui::layout;
use ratatui::layout::Rect;

/// Where on the screen a selection is made.
#[derive(Debug, Clone, Copy)]
enum Place {
    Top,
    Middle,
    Bottom,
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 30), (40, 12)];
const PLACES: [Place; 3] = [Place::Top, Place::Middle, Place::Bottom];

/// The start of the long article's `n`th paragraph (its text is ASCII: bytes are chars).
fn paragraph(n: usize) -> usize {
    match n {
        0 => 0,
        n => long_text().match_indices("\n\n").nth(n - 1).unwrap().0 + 2,
    }
}

/// The reader with the cursor at the start of paragraph `n`, scrolled so that its line is at `place`.
fn at(width: u16, height: u16, annotations: Vec<Annotation>, n: usize, place: Place) -> State {
    let mut state = long_reader(width, height, annotations);
    let rows = crate::tui::layout::reader_rows(&state);
    let reader = state.reader.as_mut().unwrap();
    reader.cursor = paragraph(n);
    let line = reader.wrapped.line_of(reader.cursor);
    let row = match place {
        Place::Top => 0,
        Place::Middle => rows / 2,
        Place::Bottom => rows - 1,
    };
    reader.anchor = reader.wrapped.lines[line - row].char_start;
    state
}

/// The span's lines are all on screen, and the popup's box is on none of their rows.
fn assert_clear(state: &State, popup: Rect, span: std::ops::Range<usize>, what: &str) {
    let reader = state.reader.as_ref().unwrap();
    let body = layout::reader(state, reader).1;
    let w = &reader.wrapped;
    let top = w.line_of(reader.anchor);
    let (first, last) = (w.line_of(span.start), w.line_of(span.end - 1));
    let size = format!("{what} at {}x{}", state.width, state.height);
    assert!(
        first >= top && last < top + usize::from(body.height),
        "{size}: the span (lines {first}..={last}) is off the screen (from line {top})"
    );
    assert!(popup.width >= 8 && popup.height >= 3, "{size}: {popup:?}");
    assert!(
        buf_area(state).contains(popup.as_position()),
        "{size}: {popup:?}"
    );
    for line in first..=last {
        let row = Rect::new(body.x, body.y + (line - top) as u16, body.width, 1);
        assert!(
            !row.intersects(popup),
            "{size}: the popup {popup:?} covers the span's row {row:?}"
        );
    }
}

fn buf_area(state: &State) -> Rect {
    Rect::new(0, 0, state.width, state.height)
}

#[test]
fn the_picker_and_the_note_editor_leave_a_new_selection_in_sight() {
    for (width, height) in SIZES {
        for place in PLACES {
            let mut state = at(width, height, Vec::new(), 12, place);
            keys(&mut state, "v ) t");
            let span = layout::popup_span(&state).expect("the picker is open");
            let what = format!("the picker over a selection at the {place:?}");
            assert_clear(&state, layout::picker(&state), span.clone(), &what);
            draw(&mut state, width, height);
            type_text(&mut state, "chip-re");
            keys(&mut state, "Space Enter");
            assert!(state.note.is_some());
            let what = format!("the note editor over a selection at the {place:?}");
            assert_clear(&state, layout::note(&state), span, &what);
            draw(&mut state, width, height);
        }
    }
}

/// A claim on the first words of paragraph `n`.
fn claim_at(n: usize) -> Annotation {
    let start = paragraph(n);
    let words = "The cloud market in China".chars().count();
    Annotation::new(
        "alibaba-cloud-spin-off",
        &long_text(),
        start,
        start + words,
        vec!["chip-restrictions".into()],
        Some("A note.".into()),
        now(),
    )
}

#[test]
fn the_note_editor_and_the_picker_leave_an_annotation_in_sight() {
    let claim = claim_at(12);
    let span = claim.start..claim.end;
    for (width, height) in SIZES {
        for place in PLACES {
            let mut state = at(width, height, vec![claim.clone()], 12, place);
            keys(&mut state, "i");
            let what = format!("the note editor on a claim at the {place:?}");
            assert_clear(&state, layout::note(&state), span.clone(), &what);
            keys(&mut state, "Esc t");
            let what = format!("the picker on a claim at the {place:?}");
            assert_clear(&state, layout::picker(&state), span.clone(), &what);
        }
    }
}

#[test]
fn a_claim_taller_than_the_room_starts_at_the_top_under_a_small_popup() {
    let claim = annotation_of(&long_text(), LONG, &["chip-restrictions"], None);
    for (width, height) in [(40, 12), (30, 8)] {
        let mut state = at(width, height, vec![claim.clone()], 14, Place::Middle);
        keys(&mut state, "i");
        draw(&mut state, width, height);
        let reader = state.reader.as_ref().unwrap();
        let first = reader.wrapped.line_of(claim.start);
        assert_eq!(
            reader.wrapped.line_of(reader.anchor),
            first,
            "at {width}x{height}"
        );
        let popup = layout::note(&state);
        assert!(buf_area(&state).contains(popup.as_position()), "{popup:?}");
        let body = layout::reader(&state, reader).1;
        assert!(
            popup.y > body.y,
            "at {width}x{height}: {popup:?} covers the first line"
        );
    }
}

#[test]
fn snapshots_of_the_popups_over_a_selection() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut state = at(width, height, Vec::new(), 12, Place::Middle);
        keys(&mut state, "v ) t");
        type_text(&mut state, "chip");
        let terminal = draw(&mut state, width, height);
        insta::assert_snapshot!(format!("popup_picker_{width}x{height}"), terminal.backend());
        keys(&mut state, "Space Enter");
        type_text(&mut state, "Export rules.");
        let terminal = draw(&mut state, width, height);
        insta::assert_snapshot!(format!("popup_note_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn the_popups_draw_in_the_smallest_windows() {
    for (width, height) in [(20, 5), (12, 3), (8, 2), (1, 1)] {
        let mut state = at(60, 20, Vec::new(), 12, Place::Bottom);
        keys(&mut state, "v ) t");
        update(&mut state, Msg::Resize(width, height));
        draw(&mut state, width, height);
        keys(&mut state, "Enter");
        draw(&mut state, width, height);
        assert!(state.note.is_some(), "at {width}x{height}");
    }
}

/// A note of 300 characters with a word longer than the editor is wide.
fn long_note() -> String {
    let words = "Export rules tightened twice this year, and every cloud provider";
    let mut note = format!("{words} {} {words}", "x".repeat(50));
    while note.chars().count() < 300 {
        note.push_str(" more words");
    }
    note.chars().take(300).collect()
}

#[test]
fn the_note_editor_wraps_a_long_line_onto_rows_it_shows() {
    let (width, height) = (40, 30);
    let mut state = at(width, height, Vec::new(), 12, Place::Top);
    keys(&mut state, "v ) t");
    type_text(&mut state, "chip-re");
    keys(&mut state, "Space Enter");
    let note = long_note();
    type_text(&mut state, &note);
    let terminal = draw(&mut state, width, height);
    let inner = layout::note(&state).inner(ratatui::layout::Margin::new(1, 1));
    assert_eq!(inner.width, 38);
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> = (inner.top()..inner.bottom())
        .map(|y| {
            (inner.left()..inner.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect();
    for y in inner.top()..inner.bottom() {
        assert_eq!(
            buffer[(inner.right(), y)].symbol(),
            "│",
            "row {y} runs past the editor"
        );
    }
    let shown: String = rows.concat().split_whitespace().collect();
    let typed: String = note.split_whitespace().collect();
    assert_eq!(shown, typed, "the editor shows:\n{}", rows.join("\n"));
    // The cursor (drawn reversed) is on screen, after the last character.
    let cursor = (inner.top()..inner.bottom())
        .flat_map(|y| (inner.left()..inner.right()).map(move |x| (x, y)))
        .filter(|&p| {
            buffer[p]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
        })
        .collect::<Vec<_>>();
    assert_eq!(cursor.len(), 1, "{cursor:?} in\n{}", rows.join("\n"));
    // What is saved keeps the one line typed: the rows are only how it is shown.
    let effects = keys(&mut state, "ctrl-s");
    let saved = effects.iter().find_map(|e| match e {
        Effect::Annotate { note, .. } => note.clone(),
        _ => None,
    });
    assert_eq!(saved.as_deref(), Some(note.as_str()));
}
