//! Annotating in the reader without a terminal: the cursor, the selection (keys and mouse), the picker,
//! the note, delete and undo, the panels; their snapshots (the claims view's among them) and hostile text.

use super::claims::{claims_list, claims_view};
use super::*;

/// A fixed clock for annotations made in tests.
pub(super) fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-01-01 00:00:00 UTC)
}

/// The char range of the first `needle` in `text`.
pub(super) fn span_of(text: &str, needle: &str) -> std::ops::Range<usize> {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

pub(super) fn annotation_of(
    text: &str,
    needle: &str,
    tags: &[&str],
    note: Option<&str>,
) -> Annotation {
    let r = span_of(text, needle);
    Annotation::new(
        "alibaba-cloud-spin-off",
        text,
        r.start,
        r.end,
        tags.iter().map(|t| t.to_string()).collect(),
        note.map(str::to_owned),
        now(),
    )
}

const COPILOT: &str = "For every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80.";

fn sample_annotations(text: &str) -> Vec<Annotation> {
    let mut orphan = annotation_of(
        text,
        "Alibaba Group",
        &["spin-off"],
        Some("Gone from the text."),
    );
    orphan.orphaned = true;
    orphan.quote = "the spin-off is off".into();
    vec![
        annotation_of(
            text,
            "a 2% year-on-year growth in revenue",
            &["market-outlook"],
            None,
        ),
        annotation_of(
            text,
            COPILOT,
            &["copilot-losses", "ai-compute"],
            Some("WSJ, October 2023.\nUSD 20-80 per user a month."),
        ),
        annotation_of(
            text,
            "monthly loss of at least USD 20",
            &["ai-compute"],
            None,
        ),
        annotation_of(text, "严重的故障", &["outage"], Some("十一月十二日")),
        orphan,
    ]
}

/// The reader with annotations, the cursor on the Copilot claim.
fn annotated(width: u16, height: u16) -> State {
    let mut state = reader(width, height);
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(sample_annotations(TEXT)),
        },
    );
    put_cursor(&mut state, span_of(TEXT, "Copilot,").start);
    state
}

fn put_cursor(state: &mut State, at: usize) {
    state.reader.as_mut().unwrap().cursor = at;
    update(state, Msg::Resize(state.width, state.height));
}

fn selected_text(state: &State) -> String {
    let reader = state.reader.as_ref().unwrap();
    let r = reader.selection().unwrap();
    reader
        .article
        .text
        .chars()
        .skip(r.start)
        .take(r.len())
        .collect()
}

fn picking(width: u16, height: u16) -> State {
    let mut state = annotated(width, height);
    put_cursor(&mut state, span_of(TEXT, "阿里云").start);
    keys(&mut state, "v )");
    keys(&mut state, "t");
    type_text(&mut state, "o");
    state
}

fn noting(width: u16, height: u16) -> State {
    let mut state = picking(width, height);
    keys(&mut state, "Space Down Space Enter");
    type_text(&mut state, "Hit every region.");
    keys(&mut state, "Enter");
    type_text(&mut state, "Second line of the note.");
    state
}

fn listing(width: u16, height: u16) -> State {
    let mut state = annotated(width, height);
    keys(&mut state, "a j");
    state
}

fn annotation_screens() -> Vec<(&'static str, MakeScreen)> {
    vec![
        ("annotated", annotated),
        ("picker", picking),
        ("note", noting),
        ("annotations", listing),
        ("claims", claims_view),
        ("visual", |w, h| {
            let mut state = annotated(w, h);
            put_cursor(&mut state, span_of(TEXT, "The cloud market").start);
            keys(&mut state, "v ) b");
            state
        }),
        ("visual_help", |w, h| {
            let mut state = annotated(w, h);
            keys(&mut state, "v ?");
            state
        }),
    ]
}

#[test]
fn snapshots_of_the_annotation_screens() {
    for (name, screen) in annotation_screens() {
        for (width, height) in [(80, 24), (40, 12), (120, 30)] {
            let mut state = screen(width, height);
            let terminal = draw(&mut state, width, height);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
        }
    }
}

#[test]
fn annotation_screens_draw_at_every_size() {
    for (_, screen) in annotation_screens() {
        let mut state = screen(80, 24);
        for width in (0..=130u16).filter(|w| w % 3 == 0 || *w < 12) {
            for height in (0..=40u16).filter(|h| *h < 8 || h % 5 == 0) {
                draw(&mut state, width, height);
            }
        }
    }
}

#[test]
fn visual_mode_grows_by_char_word_sentence_and_paragraph() {
    let mut state = reader(80, 24);
    let start = span_of(TEXT, COPILOT).start;
    put_cursor(&mut state, start + 5); // in "every"
    keys(&mut state, "b");
    assert_eq!(
        state.reader.as_ref().unwrap().cursor,
        start + 4,
        "start of this word"
    );
    keys(&mut state, "(");
    assert_eq!(state.reader.as_ref().unwrap().cursor, start);
    keys(&mut state, "v");
    assert_eq!(state.mode(), Mode::Visual);
    assert_eq!(selected_text(&state), "F");
    keys(&mut state, "l l");
    assert_eq!(selected_text(&state), "For");
    keys(&mut state, "h");
    assert_eq!(selected_text(&state), "Fo");
    keys(&mut state, "e");
    assert_eq!(selected_text(&state), "For");
    keys(&mut state, "w");
    assert_eq!(selected_text(&state), "For e");
    keys(&mut state, "e e");
    assert_eq!(selected_text(&state), "For every user");
    keys(&mut state, ")");
    assert_eq!(selected_text(&state), COPILOT);
    keys(&mut state, "(");
    assert_eq!(selected_text(&state), "F");
    keys(&mut state, "}");
    assert_eq!(
        selected_text(&state),
        COPILOT,
        "the paragraph is one sentence"
    );
    keys(&mut state, "o");
    assert_eq!(
        selected_text(&state),
        COPILOT,
        "swapping the ends keeps the selection"
    );
    keys(&mut state, "Esc");
    assert_eq!(state.mode(), Mode::Reader);
    // CJK: ideographs are words of their own; 。 ends a sentence.
    put_cursor(&mut state, span_of(TEXT, "阿里云").start);
    keys(&mut state, "v");
    keys(&mut state, "w");
    assert_eq!(selected_text(&state), "阿里");
    keys(&mut state, ")");
    assert_eq!(
        selected_text(&state),
        "阿里云在十一月十二日经历了一次严重的故障，影响了全球的服务。"
    );
    keys(&mut state, ")");
    assert!(selected_text(&state).ends_with("display width."));
    keys(&mut state, "v");
    assert!(state.reader.as_ref().unwrap().selection().is_none());
    // Line moves keep the column; the view follows the cursor.
    put_cursor(&mut state, 0);
    keys(&mut state, "Down");
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.wrapped.line_of(reader.cursor), 1);
}

#[test]
fn the_picker_filters_fuzzily_and_takes_several_tags_then_the_note_is_saved() {
    let mut state = annotated(80, 24);
    put_cursor(&mut state, span_of(TEXT, "阿里云").start);
    keys(&mut state, "t");
    assert!(
        state.picker.is_none(),
        "nothing selected, no annotation here"
    );
    assert!(state.status.error.is_some());
    keys(&mut state, "v )");
    keys(&mut state, "t");
    assert_eq!(state.mode(), Mode::Picker);
    let names = |state: &State| -> Vec<String> {
        state
            .picker
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .map(|r| r.name().to_owned())
            .collect()
    };
    assert_eq!(names(&state).len(), 8, "the whole vocabulary");
    type_text(&mut state, "cpl");
    assert_eq!(names(&state)[0], "copilot-losses");
    keys(&mut state, "Tab");
    keys(&mut state, "Backspace Backspace Backspace");
    type_text(&mut state, "outg");
    assert_eq!(names(&state)[0], "outage");
    assert_eq!(
        names(&state).last().unwrap(),
        "outg",
        "a new tag from what was typed"
    );
    keys(&mut state, "Space");
    assert_eq!(
        state.picker.as_ref().unwrap().checked,
        ["copilot-losses", "outage"]
    );
    keys(&mut state, "Space");
    assert_eq!(state.picker.as_ref().unwrap().checked, ["copilot-losses"]);
    keys(&mut state, "Space");
    keys(&mut state, "Enter");
    assert_eq!(state.mode(), Mode::Note);
    type_text(&mut state, "Why it matters:");
    keys(&mut state, "Enter");
    type_text(&mut state, "a global outage.");
    let effects = keys(&mut state, "ctrl-s");
    let range = span_of(
        TEXT,
        "阿里云在十一月十二日经历了一次严重的故障，影响了全球的服务。",
    );
    assert_eq!(
        effects,
        [Effect::Annotate {
            article: "alibaba-cloud-spin-off".into(),
            text: TEXT.into(),
            start: range.start,
            end: range.end,
            tags: vec!["copilot-losses".into(), "outage".into()],
            note: Some("Why it matters:\na global outage.".into()),
        }]
    );
    assert_eq!(state.mode(), Mode::Reader, "the selection ends");
}

#[test]
fn the_picker_makes_new_tags_and_esc_skips_the_note() {
    let mut state = annotated(80, 24);
    put_cursor(&mut state, 0);
    keys(&mut state, "v e t");
    type_text(&mut state, "Bad Tag");
    assert!(
        state
            .picker
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .all(|r| !matches!(r, PickRow::New(_)))
    );
    for _ in 0..7 {
        keys(&mut state, "Backspace");
    }
    type_text(&mut state, "q2-results");
    let rows = &state.picker.as_ref().unwrap().rows;
    assert_eq!(rows.last(), Some(&PickRow::New("q2-results".into())));
    let last = rows.len() - 1;
    state.picker.as_mut().unwrap().selected = last;
    keys(&mut state, "Space");
    assert_eq!(
        state.picker.as_ref().unwrap().input.value(),
        "",
        "a new tag clears the line"
    );
    type_text(&mut state, "prof");
    keys(&mut state, "Space Enter");
    let effects = keys(&mut state, "Esc");
    let [
        Effect::Annotate {
            tags,
            note,
            start,
            end,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(tags, &["q2-results", "profit-jump"]);
    assert_eq!((note.as_deref(), *start, *end), (None, 0, 2));
    // Esc in the picker goes back to the selection.
    keys(&mut state, "v e t Esc");
    assert_eq!(state.mode(), Mode::Visual);
}

#[test]
fn delete_undo_and_edit_the_annotation_under_the_cursor() {
    let mut state = annotated(80, 24);
    let reader = state.reader.as_ref().unwrap();
    let copilot = reader.annotation_at(reader.cursor).unwrap().clone();
    assert_eq!(
        copilot.quote, COPILOT,
        "the innermost annotation under the cursor"
    );
    keys(&mut state, "t");
    let picker = state.picker.as_ref().unwrap();
    assert_eq!(picker.target, Target::Edit(copilot.id));
    assert_eq!(picker.checked, ["copilot-losses", "ai-compute"]);
    type_text(&mut state, "cop");
    keys(&mut state, "Space");
    assert_eq!(
        keys(&mut state, "Enter"),
        [Effect::Edit {
            article: "alibaba-cloud-spin-off".into(),
            id: copilot.id,
            tags: Some(vec!["ai-compute".into()]),
            note: None,
        }]
    );
    keys(&mut state, "i");
    assert_eq!(state.mode(), Mode::Note);
    assert_eq!(
        state.note.as_ref().unwrap().editor.lines()[0],
        "WSJ, October 2023."
    );
    assert_eq!(keys(&mut state, "Esc"), [], "Esc leaves an old note alone");
    keys(&mut state, "i");
    type_text(&mut state, " Really.");
    let effects = keys(&mut state, "ctrl-s");
    assert!(
        matches!(&effects[..], [Effect::Edit { note: Some(Some(n)), tags: None, .. }] if n.ends_with("a month. Really."))
    );
    assert_eq!(
        keys(&mut state, "d"),
        [Effect::Delete {
            article: "alibaba-cloud-spin-off".into(),
            id: copilot.id
        }]
    );
    let reader = state.reader.as_ref().unwrap();
    assert!(reader.annotations.iter().all(|a| a.id != copilot.id));
    assert!(
        state
            .status
            .message
            .as_deref()
            .unwrap()
            .contains("u undoes")
    );
    assert_eq!(
        keys(&mut state, "u"),
        [Effect::Restore(Box::new(copilot.clone()))]
    );
    assert!(
        state
            .reader
            .as_ref()
            .unwrap()
            .annotations
            .iter()
            .any(|a| a.id == copilot.id)
    );
    assert!(keys(&mut state, "u").is_empty());
    assert_eq!(state.status.error.as_deref(), Some("nothing to undo"));
    // The store's answer replaces the list; a corrupt store file makes them read-only.
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Err("annotations/x.toml:3:1: bad".into()),
        },
    );
    assert!(keys(&mut state, "d").is_empty());
    assert!(state.status.error.as_deref().unwrap().contains("read-only"));
}

#[test]
fn the_annotations_panel_lists_in_text_order_and_jumps() {
    let mut state = annotated(80, 24);
    keys(&mut state, "a");
    assert_eq!(state.mode(), Mode::Panel);
    assert_eq!(
        state.panel.as_ref().unwrap().selected,
        2,
        "the one under the cursor (the orphan is first)"
    );
    keys(&mut state, "k Enter");
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.cursor, span_of(TEXT, "a 2% year").start);
    assert!(state.panel.is_none());
    keys(&mut state, "a g g Enter");
    assert!(state.status.error.as_deref().unwrap().contains("orphaned"));
    keys(&mut state, "Esc");
    assert_eq!(state.mode(), Mode::Reader);
    keys(&mut state, "]");
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.cursor, span_of(TEXT, COPILOT).start);
}

#[test]
fn a_mouse_drag_selects_through_the_wrap_cache() {
    let mut state = reader(80, 24);
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let body = {
        let r = state.reader.as_ref().unwrap();
        crate::tui::layout::reader(&state, r).1
    };
    // The first line of text starts "On November 16, ...": drag from "November" to "16".
    update(
        &mut state,
        mouse(MouseEventKind::Down(MouseButton::Left), body.x + 3, body.y),
    );
    assert_eq!(state.reader.as_ref().unwrap().cursor, 3);
    update(
        &mut state,
        mouse(MouseEventKind::Drag(MouseButton::Left), body.x + 10, body.y),
    );
    update(
        &mut state,
        mouse(MouseEventKind::Drag(MouseButton::Left), body.x + 14, body.y),
    );
    update(
        &mut state,
        mouse(MouseEventKind::Up(MouseButton::Left), body.x + 14, body.y),
    );
    assert_eq!(selected_text(&state), "November 16,");
    keys(&mut state, "t");
    assert_eq!(
        state.picker.as_ref().unwrap().target,
        Target::New { start: 3, end: 15 }
    );
    // A plain click moves the cursor and selects nothing.
    keys(&mut state, "Esc Esc");
    update(
        &mut state,
        mouse(MouseEventKind::Down(MouseButton::Left), body.x, body.y + 2),
    );
    update(
        &mut state,
        mouse(MouseEventKind::Up(MouseButton::Left), body.x, body.y + 2),
    );
    let reader = state.reader.as_ref().unwrap();
    assert!(reader.selection().is_none());
    assert_eq!(reader.wrapped.line_of(reader.cursor), 2);
}

#[test]
fn hostile_annotations_never_reach_the_terminal() {
    let evil = "Evil\x1b[31mred\x1b]0;pwned\x07 \u{202e}gnp.exe \u{9b}2J\u{85}end\r\n\tx";
    let mut state = annotated(100, 30);
    let mut list = sample_annotations(TEXT);
    for a in &mut list {
        a.tags.push(evil.into());
        a.note = Some(evil.into());
        a.quote = evil.into();
    }
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(list),
        },
    );
    let check = |state: &mut State| assert_inert(state, &[(120, 30), (80, 24), (30, 8)]);
    check(&mut state);
    keys(&mut state, "a");
    check(&mut state);
    keys(&mut state, "Esc t");
    type_text(&mut state, "e");
    check(&mut state);
    keys(&mut state, "Esc i");
    check(&mut state);
    keys(&mut state, "Esc");
    let mut claims = claims_list();
    for c in &mut claims {
        c.tag = evil.into();
        c.title = evil.into();
        c.note = Some(evil.into());
        c.quote = evil.into();
    }
    keys(&mut state, "c");
    update(
        &mut state,
        Msg::ClaimsLoaded {
            claims,
            errors: vec![evil.into()],
        },
    );
    check(&mut state);
    let mut entries = entries();
    entries[0].claim_tags = vec![evil.into()];
    update(&mut state, Msg::Library(entries));
    keys(&mut state, "Esc");
    check(&mut state);
}

#[test]
fn annotations_are_drawn_in_their_tags_colours_and_overlaps_underlined() {
    use ratatui::style::{Color, Modifier};
    let tags = Config::embedded().tags;
    for no_color in [false, true] {
        let theme = Theme::from_config(&Default::default(), no_color)
            .0
            .with_tags(&tags)
            .0;
        let mut state = annotated(80, 24);
        put_cursor(&mut state, 0);
        update(&mut state, Msg::Resize(80, 24));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| view::draw(f, &state, &theme)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let find = |needle: &str| {
            (0..24u16)
                .find_map(|y| {
                    let row: String = (0..80u16)
                        .map(|x| buffer[(x, y)].symbol().to_owned())
                        .collect();
                    row.find(needle)
                        .map(|b| (row[..b].chars().count() as u16, y))
                })
                .unwrap()
        };
        let (x, y) = find("For every user");
        let single = buffer[(x, y)].style();
        let (x2, y2) = find("monthly loss");
        let overlap = buffer[(x2, y2)].style();
        let (x3, y3) = find("The cloud market");
        let plain = buffer[(x3, y3)].style();
        if no_color {
            assert!(
                single.add_modifier.contains(Modifier::UNDERLINED),
                "{single:?}"
            );
            assert!(overlap.add_modifier.contains(Modifier::BOLD), "{overlap:?}");
            assert!(!plain.add_modifier.contains(Modifier::UNDERLINED));
            assert!(
                [single, overlap, plain]
                    .iter()
                    .all(|s| matches!(s.fg, None | Some(Color::Reset)))
            );
        } else {
            assert_eq!(single.fg, Some(Color::Magenta), "copilot-losses is magenta");
            assert_eq!(overlap.fg, Some(Color::Blue), "the innermost: ai-compute");
            assert!(overlap.add_modifier.contains(Modifier::UNDERLINED));
            assert!(!single.add_modifier.contains(Modifier::UNDERLINED));
            assert!(matches!(plain.fg, None | Some(Color::Reset)));
        }
    }
}

#[test]
fn the_help_scrolls_through_a_long_key_table() {
    let mut state = annotated(80, 12);
    keys(&mut state, "?");
    assert_eq!(state.mode(), Mode::Help);
    keys(&mut state, "j j Space k");
    let scrolled = state.help_scroll;
    assert!(scrolled > 1, "{scrolled}");
    let terminal = draw(&mut state, 80, 12);
    let screen = terminal.backend().to_string();
    assert!(
        !screen.contains("Move up one row"),
        "scrolled past the first rows"
    );
    keys(&mut state, "?");
    keys(&mut state, "?");
    assert_eq!(state.help_scroll, 0, "the help opens at its top");
}

#[test]
fn quitting_saves_the_note_being_typed_and_the_checked_tags() {
    // A note being typed: saved with its annotation, on a signal as on ctrl-c.
    for quit in [Msg::Signal(15), Command::Quit.into()] {
        let mut state = noting(80, 24);
        let effects = update(&mut state, quit.clone());
        assert!(state.quit);
        let [Effect::Annotate { tags, note, .. }] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(tags.len(), 2, "{tags:?}");
        assert_eq!(
            note.as_deref(),
            Some("Hit every region.\nSecond line of the note.")
        );
        let signal = (quit == Msg::Signal(15)).then_some(15);
        assert_eq!(state.signal, signal);
    }
    // Tags checked in the picker: saved without a note.
    let mut state = picking(80, 24);
    keys(&mut state, "Space");
    let effects = update(&mut state, Msg::Signal(1));
    let [
        Effect::Annotate {
            tags, note: None, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(tags.len(), 1);
    // Nothing checked, or only a selection: nothing to save.
    let mut state = picking(80, 24);
    assert_eq!(update(&mut state, Msg::Signal(2)), []);
    let mut state = annotated(80, 24);
    keys(&mut state, "v )");
    assert_eq!(update(&mut state, Command::Quit), []);
    assert!(state.quit);
}
