//! The reading state in the reader, without a terminal or a worker: marking read by hand, by a moment
//! open and by a scroll; starring; mark all and its undo; the filter words and keys; the orders; the
//! position kept; the file's answers, someone else's changes and a file that does not parse.

use time::macros::datetime;

use super::*;
use crate::reading::{LibraryFilter, Position, ReadingState, SortKey};
use crate::tui::effect::{ReadingChange, ReadingUpdate};

/// The file's answer to one change (or, with `answers` false, a change made elsewhere).
fn answer(state: &mut State, reading: ReadingState, answers: bool) -> Vec<Effect> {
    let file = ReadingUpdate {
        state: reading.into(),
        problem: None,
        answers,
        error: None,
        notice: None,
    };
    update(state, Msg::Reading(Box::new(file)))
}

/// The library with a reading state read from the file: alibaba read, copilot starred, the outage new.
pub fn marked(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    let mut reading = ReadingState {
        last_visit: Some(datetime!(2026-01-01 0:00 UTC)),
        ..ReadingState::default()
    };
    for e in &state.library.entries {
        reading.entry(&e.id).seen = Some(datetime!(2025-12-01 0:00 UTC));
    }
    reading.entry("alibaba-cloud-spin-off").read = Some(datetime!(2025-12-02 0:00 UTC));
    reading.entry("copilot-costs").starred = true;
    reading.entry("cn/outage").seen = Some(datetime!(2026-01-02 0:00 UTC));
    let effects = answer(&mut state, reading, false);
    assert!(effects.is_empty(), "every article was seen: {effects:?}");
    state
}

fn shown_ids(state: &State) -> Vec<&str> {
    let lib = &state.library;
    lib.shown
        .iter()
        .map(|&i| lib.entries[i].id.as_str())
        .collect()
}

fn screen(state: &mut State) -> String {
    let (w, h) = (state.width, state.height);
    draw(state, w, h).backend().to_string()
}

#[test]
fn rows_say_new_unread_and_starred_and_the_status_counts_unread() {
    let mut state = marked(80, 24);
    let text = screen(&mut state);
    assert!(text.contains("3 unread of 4"), "{text}");
    let row = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap()
            .to_owned()
    };
    assert!(
        row("Alibaba Cloud").starts_with("\"▌  Alibaba"),
        "read: no mark"
    );
    assert!(
        row("What GitHub").starts_with("\" •*What"),
        "unread and starred"
    );
    assert!(row("阿里云").starts_with("\" N 阿里云"), "new");
    // Unread titles are bold, read ones are not (selected or not).
    for selected in [2, 1] {
        keys(&mut state, if selected == 2 { "j" } else { "k" });
        let terminal = draw(&mut state, 80, 24);
        let buf = terminal.backend().buffer();
        let bold = |y: u16| {
            buf[(3, y)]
                .modifier
                .contains(ratatui::style::Modifier::BOLD)
        };
        assert!(
            !bold(1) && bold(2) && bold(3),
            "row 1 is read, rows 2 and 3 unread"
        );
    }
}

#[test]
fn m_toggles_read_at_once_and_the_file_answers() {
    let mut state = marked(80, 24);
    keys(&mut state, "j");
    let id = state.selected_entry().unwrap().id.clone();
    assert!(!state.reading.is_read(&id));
    let effects = keys(&mut state, "m");
    assert_eq!(
        effects,
        [Effect::Reading(ReadingChange::Read {
            id: id.clone(),
            read: true
        })]
    );
    assert!(state.reading.is_read(&id), "shown before the file answers");
    assert_eq!(state.reading.pending, 1);
    // Someone else's change while ours is on its way waits for our answer, which includes it.
    let mut elsewhere = ReadingState::clone(&state.reading.state);
    elsewhere.entry(&id).read = None;
    elsewhere.entry("zz-undated").starred = true;
    answer(&mut state, elsewhere.clone(), false);
    assert!(state.reading.is_read(&id) && !state.reading.is_starred("zz-undated"));
    elsewhere.entry(&id).read = Some(datetime!(2026-01-03 0:00 UTC));
    answer(&mut state, elsewhere, true);
    assert_eq!(state.reading.pending, 0);
    assert!(state.reading.is_read(&id) && state.reading.is_starred("zz-undated"));
    let effects = keys(&mut state, "m");
    assert_eq!(
        effects,
        [Effect::Reading(ReadingChange::Read { id, read: false })]
    );
}

#[test]
fn star_toggles_in_the_library_and_the_reader() {
    let mut state = marked(80, 24);
    let effects = keys(&mut state, "*");
    assert_eq!(
        effects,
        [Effect::Reading(ReadingChange::Star {
            id: "alibaba-cloud-spin-off".into(),
            starred: true
        })]
    );
    assert!(state.reading.is_starred("alibaba-cloud-spin-off"));
    assert!(screen(&mut state).contains("\"▌ *Alibaba"));
    let mut state = reader(80, 24);
    let effects = keys(&mut state, "*");
    assert!(matches!(
        effects.as_slice(),
        [Effect::Reading(ReadingChange::Star { starred: true, .. })]
    ));
    assert!(screen(&mut state).contains("starred"));
}

#[test]
fn an_article_is_read_once_open_a_moment_or_scrolled() {
    let mut state = marked(80, 24);
    keys(&mut state, "j");
    let open = |state: &mut State, text: &str| {
        let mut article = article("Copilot", text);
        article.id = "copilot-costs".into();
        update(
            state,
            Msg::Opened {
                article: Box::new(article),
                matches: vec![],
            },
        )
    };
    let effects = open(&mut state, TEXT);
    assert_eq!(
        effects,
        [Effect::Dwell {
            id: "copilot-costs".into()
        }]
    );
    assert!(screen(&mut state).contains("unread"));
    // A moment open: read.
    let read = Effect::Reading(ReadingChange::Read {
        id: "copilot-costs".into(),
        read: true,
    });
    assert_eq!(
        update(&mut state, Msg::Dwelt("copilot-costs".into())),
        std::slice::from_ref(&read)
    );
    assert!(state.reading.is_read("copilot-costs"));
    // Marked unread by hand: it stays unread, whatever the timer or a scroll says.
    keys(&mut state, "m");
    assert!(update(&mut state, Msg::Dwelt("copilot-costs".into())).is_empty());
    assert!(!state.reading.is_read("copilot-costs"));
    keys(&mut state, "q");
    // Opened again and scrolled: read at the first scroll, once.
    let long = TEXT.repeat(20);
    open(&mut state, &long);
    assert_eq!(keys(&mut state, "j"), [read]);
    assert!(keys(&mut state, "j").is_empty());
    // A timer for an article no longer open does nothing.
    keys(&mut state, "q");
    assert!(update(&mut state, Msg::Dwelt("copilot-costs".into())).is_empty());
}

#[test]
fn mark_all_shown_read_then_undo() {
    let mut state = marked(80, 24);
    keys(&mut state, "f");
    type_text(&mut state, "cloud");
    keys(&mut state, "Enter");
    assert_eq!(shown_ids(&state), ["alibaba-cloud-spin-off"]);
    let effects = keys(&mut state, "M");
    assert!(effects.is_empty(), "the one shown is read already");
    keys(&mut state, "Esc");
    let effects = keys(&mut state, "M");
    let ids = ["copilot-costs", "cn/outage", "zz-undated"].map(String::from);
    assert_eq!(
        effects,
        [Effect::Reading(ReadingChange::ReadAll(
            ["cn/outage", "copilot-costs", "zz-undated"]
                .map(String::from)
                .to_vec()
        ))]
    );
    assert!(ids.iter().all(|id| state.reading.is_read(id)));
    let text = screen(&mut state);
    assert!(text.contains("marked 3 read — u to undo"), "{text}");
    assert!(text.contains("0 unread of 4"), "{text}");
    assert_eq!(
        keys(&mut state, "u"),
        [Effect::Reading(ReadingChange::UndoReadAll)]
    );
    assert!(ids.iter().all(|id| !state.reading.is_read(id)));
    assert!(state.reading.is_read("alibaba-cloud-spin-off"));
    assert!(keys(&mut state, "u").is_empty(), "one undo");
    assert!(screen(&mut state).contains("nothing to undo"));
}

#[test]
fn filter_words_and_keys_share_the_filter_line() {
    let mut state = marked(80, 24);
    keys(&mut state, "U");
    assert_eq!(state.library.filter.value(), "unread");
    assert_eq!(
        shown_ids(&state),
        ["cn/outage", "copilot-costs", "zz-undated"]
    );
    let text = screen(&mut state);
    assert!(
        text.contains("Filter: unread"),
        "the line stays shown: {text}"
    );
    assert!(text.contains("filtered: 3 of 4 · 3 unread"), "{text}");
    keys(&mut state, "'");
    assert_eq!(state.library.filter.value(), "unread starred");
    assert_eq!(shown_ids(&state), ["copilot-costs"]);
    keys(&mut state, "U");
    assert_eq!(state.library.filter.value(), "starred");
    keys(&mut state, "' N");
    assert_eq!(shown_ids(&state), ["cn/outage"]);
    keys(&mut state, "Esc");
    assert_eq!(shown_ids(&state).len(), 4);
    // Typed: filter words mixed with free text (looked for in title, source and id).
    keys(&mut state, "f");
    type_text(&mut state, "source:krasia cloud");
    assert_eq!(shown_ids(&state), ["alibaba-cloud-spin-off"]);
    keys(&mut state, "Esc f");
    type_text(&mut state, "claim:copilot-losses unread");
    assert_eq!(shown_ids(&state), ["copilot-costs"]);
    // A bad word: one sentence, and the rest still filters.
    keys(&mut state, "Esc f");
    type_text(&mut state, "unread since:2023-13");
    assert_eq!(
        shown_ids(&state),
        ["cn/outage", "copilot-costs", "zz-undated"]
    );
    let error = state.status.error.clone().unwrap();
    assert!(
        error.contains("since:2023-13") && error.contains("YYYY-MM-DD"),
        "{error}"
    );
    keys(&mut state, "Esc f");
    type_text(&mut state, "feed:nowhere");
    let error = state.status.error.clone().unwrap();
    assert!(error.contains("no feed named"), "{error}");
}

#[test]
fn o_goes_round_the_orders_and_the_header_says_which() {
    let mut state = marked(80, 24);
    let cases: &[(SortKey, &[&str], &str)] = &[
        (
            SortKey::Title,
            &[
                "alibaba-cloud-spin-off",
                "copilot-costs",
                "zz-undated",
                "cn/outage",
            ],
            "Title ↓",
        ),
        (
            SortKey::Source,
            &[
                "cn/outage",
                "alibaba-cloud-spin-off",
                "copilot-costs",
                "zz-undated",
            ],
            "Source ↓",
        ),
        (
            SortKey::Length,
            &[
                "alibaba-cloud-spin-off",
                "copilot-costs",
                "cn/outage",
                "zz-undated",
            ],
            "Words↓",
        ),
        (
            SortKey::Claims,
            &[
                "alibaba-cloud-spin-off",
                "copilot-costs",
                "cn/outage",
                "zz-undated",
            ],
            "Claims↓",
        ),
        (
            SortKey::Date,
            &[
                "alibaba-cloud-spin-off",
                "cn/outage",
                "copilot-costs",
                "zz-undated",
            ],
            "Date ↓",
        ),
    ];
    for (key, order, header) in cases {
        keys(&mut state, "o");
        assert_eq!(state.library.sort, *key);
        assert_eq!(shown_ids(&state), *order, "{key}");
        let text = screen(&mut state);
        assert!(
            text.lines().next().unwrap().contains(header),
            "{key}: {text}"
        );
        assert_eq!(text.matches('↓').count(), 1, "{text}");
    }
    // Narrow, the column of the order is not shown: the title's header says it.
    keys(&mut state, "o o o");
    let text = draw(&mut state, 40, 12).backend().to_string();
    assert!(text.contains("Title · by length ↓"), "{text}");
    // The order named in the filter line is taken, and `o` changes the word there.
    keys(&mut state, "f");
    type_text(&mut state, "sort:title");
    keys(&mut state, "Enter");
    assert_eq!(state.library.sort, SortKey::Title);
    keys(&mut state, "o");
    assert_eq!(state.library.filter.value(), "sort:source");
    assert_eq!(state.library.sort, SortKey::Source);
}

#[test]
fn a_filter_set_from_elsewhere_is_in_the_filter_line() {
    let mut state = marked(80, 24);
    keys(&mut state, "G");
    let filter = LibraryFilter::parse("unread source:\"WSJ\"").unwrap();
    crate::tui::update::set_filter(&mut state, &filter);
    assert_eq!(state.library.filter.value(), "unread source:WSJ");
    assert_eq!(shown_ids(&state), ["copilot-costs"]);
    assert_eq!(state.library.selected, 0);
    assert_eq!(state.screen, Screen::Library);
}

#[test]
fn the_position_is_kept_and_found_again() {
    let long = TEXT.repeat(30);
    let mut state = marked(90, 30);
    let open = |state: &mut State, text: &str| {
        update(
            state,
            Msg::Opened {
                article: Box::new(article("T", text)),
                matches: vec![],
            },
        )
    };
    open(&mut state, &long);
    assert!(
        keys(&mut state, "q").is_empty(),
        "never scrolled: nothing to remember"
    );
    open(&mut state, &long);
    keys(&mut state, "ctrl-d ctrl-d j j");
    let anchor = state.reader.as_ref().unwrap().anchor;
    let effects = keys(&mut state, "q");
    let chars: Vec<char> = long.chars().collect();
    assert_eq!(
        effects,
        [Effect::Reading(ReadingChange::Position {
            id: "alibaba-cloud-spin-off".into(),
            position: Position::at(&chars, anchor),
        })]
    );
    // Reopened, in a narrower window: the same words at the top.
    update(&mut state, Msg::Resize(50, 20));
    open(&mut state, &long);
    let reader = state.reader.as_ref().unwrap();
    let line = reader.wrapped.line_of(anchor);
    assert_eq!(reader.anchor, reader.wrapped.lines[line].char_start);
    assert!(anchor - reader.anchor < 60);
    // Edited meanwhile (a paragraph added at the top): found again by its context.
    let edited = format!("A new first paragraph, added later.\n\n{long}");
    open(&mut state, &edited);
    let reader = state.reader.as_ref().unwrap();
    let shift = "A new first paragraph, added later.\n\n".chars().count();
    let line = reader.wrapped.line_of(anchor + shift);
    assert_eq!(reader.anchor, reader.wrapped.lines[line].char_start);
    // Quitting saves where the open article is and ends the visit.
    keys(&mut state, "ctrl-d");
    let effects = keys(&mut state, "ctrl-c");
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Reading(ReadingChange::Position { .. }),
            Effect::Reading(ReadingChange::EndVisit)
        ]
    ));
    assert!(state.quit);
}

#[test]
fn arrivals_are_noted_once_the_state_is_read() {
    let mut state = State::new(80, 80, 24);
    let effects = update(&mut state, Msg::Library(entries()));
    assert_eq!(effects, [Effect::LoadClaims], "the state is not read yet");
    let effects = answer(&mut state, ReadingState::default(), false);
    let Some(Effect::Reading(ReadingChange::Arrivals(ids))) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(ids.len(), 4);
    assert!(state.reading.is_new("copilot-costs"), "new at once");
    assert!(screen(&mut state).contains(" N What GitHub"));
    // The library again: nothing more to note.
    assert!(update(&mut state, Msg::Library(entries())).is_empty());
}

#[test]
fn a_state_file_that_does_not_parse_is_named_and_not_written() {
    let mut state = library(80, 24);
    let problem = "reading.toml:3:16: invalid datetime (the reading state in /home/u/.local/state is not \
                   changed until the file is fixed or moved aside)";
    let damaged = ReadingUpdate {
        state: Default::default(),
        problem: Some(problem.into()),
        answers: false,
        error: None,
        notice: None,
    };
    let effects = update(&mut state, Msg::Reading(Box::new(damaged.clone())));
    assert!(effects.is_empty(), "no arrivals written to a damaged file");
    let text = screen(&mut state);
    assert!(text.contains("reading.toml:3:16"), "{text}");
    // A change is shown, refused by the store, and taken back with why.
    keys(&mut state, "m");
    assert!(state.reading.is_read("alibaba-cloud-spin-off"));
    let refused = ReadingUpdate {
        answers: true,
        error: Some(problem.into()),
        ..damaged
    };
    update(&mut state, Msg::Reading(Box::new(refused)));
    assert!(!state.reading.is_read("alibaba-cloud-spin-off"));
    assert!(state.status.error.as_deref().unwrap().contains(":3:16"));
}

#[test]
fn the_selected_article_stays_selected_when_the_library_changes() {
    let mut state = marked(80, 24);
    keys(&mut state, "j j");
    let id = state.selected_entry().unwrap().id.clone();
    let mut list = entries();
    let newest = Entry {
        id: "aaa-newest".into(),
        title: "The newest story".into(),
        published: date(2024, 1, 1),
        ..list[3].clone()
    };
    list.insert(0, newest);
    update(&mut state, Msg::Library(list));
    assert_eq!(state.selected_entry().unwrap().id, id);
    assert_eq!(state.library.selected, 3);
}

#[test]
fn the_claims_view_counts_the_claims_in_unread_articles() {
    let mut state = super::claims::claims_view(80, 24);
    let mut reading = ReadingState::default();
    for e in &state.library.entries {
        reading.entry(&e.id).seen = Some(datetime!(2025-12-01 0:00 UTC));
    }
    answer(&mut state, reading.clone(), false);
    assert!(screen(&mut state).contains("5 in unread articles"));
    reading.entry("alibaba-cloud-spin-off").read = Some(datetime!(2025-12-02 0:00 UTC));
    answer(&mut state, reading, false);
    let text = screen(&mut state);
    assert!(text.contains("3 in unread articles"), "{text}");
}

#[test]
fn an_article_reloaded_while_open_is_still_marked_read_after_its_moment() {
    let mut state = marked(80, 24);
    let mut copilot = article("Copilot", TEXT);
    copilot.id = "copilot-costs".into();
    let opened = Msg::Opened {
        article: Box::new(copilot.clone()),
        matches: vec![],
    };
    assert_eq!(update(&mut state, opened).len(), 1, "the timer");
    copilot.text = format!("An edit.\n\n{TEXT}");
    update(
        &mut state,
        Msg::Reloaded {
            article: Box::new(copilot),
            matches: vec![],
        },
    );
    assert_eq!(
        update(&mut state, Msg::Dwelt("copilot-costs".into())),
        [Effect::Reading(ReadingChange::Read {
            id: "copilot-costs".into(),
            read: true
        })]
    );
}
