//! Tests of the reader without a terminal: update tests, screen snapshots (80x24 and 40x12), every screen at
//! every size, and hostile text that must never reach the terminal raw.
#![allow(clippy::single_range_in_vec_init)] // one match is a list of one range here

mod annotating;
mod claims;
mod fetching;
mod hostile;
mod in_sight;
mod popups;
mod reading;
mod side_by_side;
mod sources;
mod spec;
mod trace;

use std::sync::mpsc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::command::{Command, Mode, Msg};
use super::effect::Effect;
use super::events::Event;
use super::keymap::parse_chord;
use super::state::{Claim, Entry, PickRow, Screen, State, Target};
use super::theme::Theme;
use super::update::update;
use super::{run_loop, view};
use crate::annotation::{Annotation, TagVocabulary};
use crate::article::clean::is_forbidden;
use crate::article::{Article, FrontMatter, Published};
use crate::config::Config;
use crate::index::{Hit, SearchResults};

const TEXT: &str = "On November 16, Alibaba Group released its Q2 2023 financial report, with Alibaba Cloud reporting a 2% year-on-year growth in revenue.\n\nFor every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80.\n\n阿里云在十一月十二日经历了一次严重的故障，影响了全球的服务。😀 Emoji and wide text wrap by display width.\n\nThe cloud market in China is still growing, and every cloud provider is chasing demand for AI computing power.";

fn date(y: i32, m: u8, d: u8) -> Option<Published> {
    let month = time::Month::try_from(m).unwrap();
    Some(Published::date(
        time::Date::from_calendar_date(y, month, d).unwrap(),
    ))
}

fn entries() -> Vec<Entry> {
    let entry = |id: &str, title: &str, source: &str, published, words| Entry {
        id: id.into(),
        title: title.into(),
        source: source.into(),
        published,
        words,
        claims: 0,
        claim_tags: Vec::new(),
        tags: Vec::new(),
        summary_only: false,
    };
    let mut list = vec![
        entry(
            "alibaba-cloud-spin-off",
            "Alibaba Cloud calls off its spin-off as US chip export restrictions bite",
            "KrASIA",
            date(2023, 11, 20),
            1305,
        ),
        entry(
            "copilot-costs",
            "What GitHub Copilot costs Microsoft per user",
            "WSJ",
            date(2023, 10, 9),
            840,
        ),
        entry(
            "cn/outage",
            "阿里云全球故障：十一月十二日",
            "36Kr",
            date(2023, 11, 13),
            512,
        ),
        entry("zz-undated", "Zebra notes without a date", "", None, 12),
    ];
    list[0].claims = 3;
    list[0].claim_tags = ["spin-off", "chip-restrictions", "copilot-losses"]
        .map(String::from)
        .to_vec();
    list[1].claims = 1;
    list[1].claim_tags = vec!["copilot-losses".into()];
    list
}

fn article(title: &str, text: &str) -> Article {
    Article {
        id: "alibaba-cloud-spin-off".into(),
        meta: FrontMatter {
            title: title.into(),
            source: Some("KrASIA".into()),
            url: Some("https://kr-asia.com/alibaba-cloud".into()),
            author: Some("Yong Yi".into()),
            published: date(2023, 11, 20),
            original_source: Some("36Kr".into()),
            language: "en".into(),
            ..FrontMatter::default()
        },
        text: text.into(),
    }
}

fn library(width: u16, height: u16) -> State {
    let mut state = State::new(80, width, height);
    state.vocabulary = TagVocabulary::new(&Config::embedded().tags);
    update(&mut state, Msg::Library(entries()));
    state
}

fn reader(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    let article = article(
        "Alibaba Cloud calls off its spin-off as US chip export restrictions bite",
        TEXT,
    );
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    state
}

fn search(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    keys(&mut state, "/");
    type_text(&mut state, "copilot");
    let hit = |id: &str, title: &str, snippet: &str, highlights| Hit {
        id: id.into(),
        title: title.into(),
        score: 1.0,
        published: date(2023, 11, 20),
        source: Some("KrASIA".into()),
        snippet: snippet.into(),
        highlights,
        claims: Vec::new(),
    };
    let results = SearchResults {
        total: 2,
        hits: vec![
            hit(
                "copilot-costs",
                "What GitHub Copilot costs Microsoft per user",
                "For every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80 according to a report.",
                vec![29..36],
            ),
            Hit {
                claims: vec![crate::index::ClaimHit {
                    id: "x".into(),
                    tags: vec!["copilot-losses".into()],
                    quote: "for every user served by Copilot, Microsoft incurs a monthly loss"
                        .into(),
                    note: Some("WSJ, October 2023".into()),
                    quote_highlights: vec![25..32],
                    note_highlights: vec![],
                }],
                ..hit(
                    "alibaba-cloud-spin-off",
                    "Alibaba Cloud calls off its spin-off",
                    "After integrating its own business with the AI assistant GitHub Copilot, it is likely not profitable.",
                    vec![64..71],
                )
            },
        ],
        notices: Vec::new(),
    };
    let seq = state.search.sent;
    update(
        &mut state,
        Msg::Results {
            seq,
            query: "copilot".into(),
            result: Ok(results),
        },
    );
    state
}

fn found(width: u16, height: u16) -> State {
    let mut state = reader(width, height);
    keys(&mut state, "/");
    type_text(&mut state, "cloud");
    keys(&mut state, "Enter n");
    state
}

fn key_event(key: super::keymap::Key) -> KeyEvent {
    KeyEvent::new(key.code, key.mods)
}

/// Presses the keys of `text` (`"g g ctrl-d"`), each through the keymap.
fn keys(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for key in parse_chord(text).unwrap() {
        effects.extend(update(state, Msg::Key(key_event(key))));
    }
    effects
}

fn type_text(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        ));
    }
    effects
}

/// Draws `state` at each size and asserts no cell holds a forbidden character.
fn assert_inert(state: &mut State, sizes: &[(u16, u16)]) {
    for &(w, h) in sizes {
        let terminal = draw(state, w, h);
        for cell in terminal.backend().buffer().content() {
            assert!(
                !cell.symbol().chars().any(is_forbidden),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

fn draw(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    update(state, Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, state, &Theme::default()))
        .unwrap();
    terminal
}

type MakeScreen = fn(u16, u16) -> State;

fn screens() -> Vec<(&'static str, MakeScreen)> {
    vec![
        ("library", library),
        ("reader", reader),
        ("search", search),
        ("help", |w, h| {
            let mut state = reader(w, h);
            keys(&mut state, "?");
            state
        }),
        ("find", found),
        ("filter", |w, h| {
            let mut state = library(w, h);
            keys(&mut state, "f");
            type_text(&mut state, "cloud");
            state
        }),
        ("versions", fetching::versions),
        ("trace", trace::trace_screen),
        ("claims_groups", trace::claims_groups),
        ("sources", sources::sources_screen),
        ("reading", reading::marked),
    ]
}

#[test]
fn snapshots_of_every_screen() {
    for (name, screen) in screens() {
        for (width, height) in [(80, 24), (40, 12)] {
            let mut state = screen(width, height);
            let terminal = draw(&mut state, width, height);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
        }
    }
}

#[test]
fn every_screen_draws_at_every_size() {
    for (_, screen) in screens() {
        let mut state = screen(80, 24);
        for width in 0..=120u16 {
            for height in (0..=50u16).filter(|h| width % 7 == 0 || *h < 8 || h % 9 == 0) {
                draw(&mut state, width, height);
            }
        }
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let evil = "Evil\x1b[31mred\x1b]0;pwned\x07 \u{202e}gnp.exe \u{9b}2J\u{85}end\r\n\tx";
    let mut state = State::new(80, 80, 24);
    let mut list = entries();
    list[0].title = evil.into();
    list[0].source = evil.into();
    list[0].id = evil.into();
    update(&mut state, Msg::Library(list));
    let check = |state: &mut State| assert_inert(state, &[(80, 24), (30, 8)]);
    check(&mut state);
    keys(&mut state, "f");
    type_text(&mut state, evil);
    check(&mut state);
    keys(&mut state, "Esc /");
    type_text(&mut state, evil);
    let results = SearchResults {
        total: 1,
        hits: vec![Hit {
            id: evil.into(),
            title: evil.into(),
            score: 1.0,
            published: None,
            source: Some(evil.into()),
            snippet: evil.into(),
            highlights: vec![0..4, 6..30],
            claims: vec![
                crate::index::ClaimHit {
                    id: evil.into(),
                    tags: vec![evil.into()],
                    quote: evil.into(),
                    note: Some(evil.into()),
                    quote_highlights: vec![0..4, 6..30],
                    note_highlights: vec![],
                };
                2
            ],
        }],
        notices: Vec::new(),
    };
    let seq = state.search.sent;
    update(
        &mut state,
        Msg::Results {
            seq,
            query: evil.into(),
            result: Ok(results),
        },
    );
    update(&mut state, Msg::Error(evil.into()));
    check(&mut state);
    let mut hostile = article(evil, &format!("{evil}\n\n{evil}"));
    hostile.meta.author = Some(evil.into());
    hostile.meta.url = Some(evil.into());
    hostile.meta.original_title = Some(evil.into());
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(hostile),
            matches: vec![1..5],
        },
    );
    check(&mut state);
    keys(&mut state, "?");
    check(&mut state);
}

#[test]
fn the_library_sorts_filters_and_opens() {
    let mut state = library(80, 24);
    assert_eq!(state.selected_entry().unwrap().id, "alibaba-cloud-spin-off"); // newest first
    keys(&mut state, "G");
    assert_eq!(state.selected_entry().unwrap().id, "zz-undated");
    keys(&mut state, "g g");
    assert_eq!(state.library.selected, 0);
    keys(&mut state, "o");
    let order: Vec<_> = state
        .library
        .shown
        .iter()
        .map(|&i| state.library.entries[i].id.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "alibaba-cloud-spin-off",
            "copilot-costs",
            "zz-undated",
            "cn/outage"
        ]
    );
    keys(&mut state, "f");
    type_text(&mut state, "WSJ");
    assert_eq!(state.library.shown.len(), 1);
    keys(&mut state, "Enter");
    assert!(!state.library.filter_open);
    assert_eq!(
        keys(&mut state, "Enter"),
        [Effect::Open {
            id: "copilot-costs".into(),
            query: None
        }]
    );
    keys(&mut state, "Esc");
    assert_eq!(state.library.shown.len(), 4);
    keys(&mut state, "q");
    assert!(state.quit);
}

#[test]
fn the_lists_first_rows_show_until_the_whole_list_comes() {
    let mut state = State::new(80, 80, 12);
    let whole = entries();
    // The newest two of four, as the worker sends them before the rest.
    let head = vec![whole[0].clone(), whole[2].clone()];
    update(
        &mut state,
        Msg::LibraryHead {
            entries: head,
            total: 4,
        },
    );
    let text = draw(&mut state, 80, 12).backend().to_string();
    assert!(text.contains("Alibaba Cloud calls off"), "{text}");
    assert!(
        text.contains("listing 4 articles…") && text.contains("1/4"),
        "{text}"
    );
    keys(&mut state, "j");
    assert_eq!(state.selected_entry().unwrap().id, "cn/outage");
    // Every article shown is not every article: marking them all waits for the whole list.
    assert!(keys(&mut state, "M").is_empty());
    let said = state.status.message.clone().unwrap_or_default();
    assert!(said.contains("still being read"), "{said}");
    // Another order, or a filter, would show the wrong rows: none are shown until the whole list.
    keys(&mut state, "o");
    assert!(state.library.shown.is_empty());
    let text = draw(&mut state, 80, 12).backend().to_string();
    assert!(text.contains("Listing the articles…"), "{text}");
    keys(&mut state, "o o o o");
    assert_eq!(state.library.sort, crate::reading::SortKey::Date);
    keys(&mut state, "f");
    type_text(&mut state, "WSJ");
    assert!(state.library.shown.is_empty());
    keys(&mut state, "Esc");
    assert_eq!(state.library.shown.len(), 2);
    // The whole list takes over, the selection kept; a head that comes late changes nothing.
    keys(&mut state, "j");
    update(&mut state, Msg::Library(whole.clone()));
    assert_eq!(state.selected_entry().unwrap().id, "cn/outage");
    assert_eq!(state.library.shown.len(), 4);
    let head = vec![whole[1].clone()];
    update(
        &mut state,
        Msg::LibraryHead {
            entries: head,
            total: 1,
        },
    );
    assert_eq!(
        (state.library.entries.len(), state.library.first_rows_of()),
        (4, None)
    );
    let text = draw(&mut state, 80, 12).backend().to_string();
    assert!(!text.contains("listing") && text.contains("2/4"), "{text}");
}

#[test]
fn search_as_you_type_drops_stale_results() {
    let mut state = library(80, 24);
    keys(&mut state, "/");
    assert_eq!(state.screen, Screen::Search);
    let effects = type_text(&mut state, "ab");
    assert_eq!(
        effects,
        [
            Effect::Search {
                seq: 1,
                query: "a".into()
            },
            Effect::Search {
                seq: 2,
                query: "ab".into()
            }
        ]
    );
    let results = |n| {
        Ok(SearchResults {
            total: n,
            hits: vec![],
            notices: Vec::new(),
        })
    };
    update(
        &mut state,
        Msg::Results {
            seq: 2,
            query: "ab".into(),
            result: results(2),
        },
    );
    update(
        &mut state,
        Msg::Results {
            seq: 1,
            query: "a".into(),
            result: results(1),
        },
    );
    assert_eq!(state.search.results.total, 2);
    assert_eq!(state.search.query, "ab");
    update(
        &mut state,
        Msg::Results {
            seq: 3,
            query: "ab\"".into(),
            result: Err("unbalanced quote".into()),
        },
    );
    // An unfinished query keeps the last results, with why in the status bar.
    assert_eq!(
        state.status.message.as_deref(),
        Some("still showing “ab”: unbalanced quote")
    );
    assert_eq!(state.search.results.total, 2);
    assert_eq!(state.search.error, None);
    keys(&mut state, "Esc");
    assert_eq!(state.screen, Screen::Library);
}

#[test]
fn the_count_line_says_searching_until_the_query_typed_is_answered() {
    let mut state = library(80, 24);
    keys(&mut state, "/");
    type_text(&mut state, "ab");
    let line = |state: &mut State| {
        let terminal = draw(state, 80, 24);
        let buffer = terminal.backend().buffer();
        (0..80).map(|x| buffer[(x, 1)].symbol()).collect::<String>()
    };
    assert!(line(&mut state).starts_with("searching “ab”…"));
    let answer = |seq, query: &str, total| Msg::Results {
        seq,
        query: query.into(),
        result: Ok(SearchResults {
            total,
            hits: vec![],
            notices: Vec::new(),
        }),
    };
    // The answer to "a" is not the answer to "ab": the line still says it is on its way.
    update(&mut state, answer(1, "a", 3));
    assert!(line(&mut state).starts_with("searching “ab”…"));
    update(&mut state, answer(2, "ab", 2));
    assert!(line(&mut state).starts_with("0 of 2 matching articles"));
}

#[test]
fn what_the_query_parser_read_leniently_is_said_in_the_status_bar() {
    let mut state = library(80, 24);
    keys(&mut state, "/");
    type_text(&mut state, "chips AND");
    let seq = state.search.sent;
    update(
        &mut state,
        Msg::Results {
            seq,
            query: "chips AND".into(),
            result: Ok(SearchResults {
                total: 1,
                hits: vec![],
                notices: vec!["ignored `AND` with nothing after it".into()],
            }),
        },
    );
    assert_eq!(
        state.status.message.as_deref(),
        Some("query: ignored `AND` with nothing after it")
    );
    assert_eq!(state.search.error, None);
    assert_eq!(state.search.results.total, 1);
}

#[test]
fn a_hit_opens_at_its_first_match_and_esc_returns_to_the_results() {
    let mut state = search(80, 12);
    assert_eq!(
        keys(&mut state, "Enter"),
        [Effect::Open {
            id: "copilot-costs".into(),
            query: Some("copilot".into())
        }]
    );
    let copilot = TEXT.chars().collect::<String>().find("Copilot").unwrap();
    let at = TEXT[..copilot].chars().count();
    let long = format!("{}{TEXT}", "Filler paragraph.\n\n".repeat(40));
    let shift = 40 * "Filler paragraph.\n\n".len();
    let matches = vec![shift + at..shift + at + 7, shift + 2..shift + 6];
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article("T", &long)),
            matches,
        },
    );
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.current, Some(0));
    assert_eq!(reader.matches[0].start, shift + 2, "sorted");
    let top = reader.wrapped.line_of(reader.anchor);
    let line = reader.wrapped.line_of(reader.matches[0].start);
    assert!(line >= top && line < top + super::layout::reader_rows(&state));
    keys(&mut state, "n");
    assert_eq!(state.reader.as_ref().unwrap().current, Some(1));
    keys(&mut state, "n");
    assert_eq!(state.reader.as_ref().unwrap().current, Some(0));
    assert_eq!(state.status.message.as_deref(), Some("search wrapped"));
    keys(&mut state, "N");
    assert_eq!(state.reader.as_ref().unwrap().current, Some(1));
    keys(&mut state, "Esc");
    assert_eq!(state.screen, Screen::Search);
    assert_eq!(state.search.input.value(), "copilot");
    assert_eq!(state.search.results.hits.len(), 2);
}

#[test]
fn resizing_keeps_the_reading_position() {
    // 90 columns: the widest window without the side panel, so the text column is 80 wide.

    let long = TEXT.repeat(30);
    let mut state = library(90, 30);
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article("T", &long)),
            matches: vec![],
        },
    );
    keys(&mut state, "ctrl-d ctrl-d j j j");
    let anchor = state.reader.as_ref().unwrap().anchor;
    assert!(anchor > 0);
    update(&mut state, Msg::Resize(40, 12));
    update(&mut state, Msg::Resize(90, 30));
    let reader = state.reader.as_ref().unwrap();
    let line = reader.wrapped.lines[reader.wrapped.line_of(anchor)];
    assert_eq!(reader.anchor, line.char_start);
    assert!(anchor - reader.anchor < 100, "{anchor} {}", reader.anchor);
    keys(&mut state, "G");
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(view_percent(&state), 100, "{}", reader.anchor);
    keys(&mut state, "g g");
    assert_eq!(state.reader.as_ref().unwrap().anchor, 0);
}

fn view_percent(state: &State) -> u16 {
    let terminal = {
        let mut s = State::new(80, state.width, state.height);
        s.screen = Screen::Library;
        let _ = &mut s;
        Terminal::new(TestBackend::new(state.width, state.height)).unwrap()
    };
    let mut terminal = terminal;
    terminal
        .draw(|f| view::draw(f, state, &Theme::default()))
        .unwrap();
    let text = terminal.backend().to_string();
    if text.contains("100%") { 100 } else { 0 }
}

#[test]
fn find_in_the_article_highlights_every_match() {
    let state = found(80, 24);
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.matches.len(), 3, "{:?}", reader.matches);
    assert!(!reader.find_open);
    assert_eq!(reader.current, Some(1));
}

#[test]
fn a_second_find_starts_empty_and_moves_the_cursor_to_its_match() {
    let mut state = found(80, 24);
    keys(&mut state, "/");
    assert_eq!(state.reader.as_ref().unwrap().find.value(), "");
    type_text(&mut state, "Copilot");
    keys(&mut state, "Enter");
    let reader = state.reader.as_ref().unwrap();
    let at = TEXT.find("Copilot").unwrap();
    assert_eq!(reader.cursor, TEXT[..at].chars().count());
    assert_eq!(reader.matches.len(), 1);
}

#[test]
fn a_click_selects_and_a_second_click_opens() {
    let mut state = library(80, 24);
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert!(update(&mut state, click(2)).is_empty());
    assert_eq!(state.library.selected, 1);
    assert_eq!(
        update(&mut state, click(2)),
        [Effect::Open {
            id: state.selected_entry().unwrap().id.clone(),
            query: None
        }]
    );
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 5,
        row: 5,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut state, wheel);
    assert_eq!(state.library.selected, 3);
}

#[test]
fn the_event_loop_runs_on_a_list_of_events() {
    let (tx, rx) = mpsc::channel();
    let mut state = State::new(80, 80, 24);
    for event in [
        Event::Msg(Msg::Library(entries())),
        Event::Term(ratatui::crossterm::event::Event::Key(KeyEvent::new(
            KeyCode::Char('/'),
            KeyModifiers::NONE,
        ))),
        Event::Term(ratatui::crossterm::event::Event::Key(KeyEvent::new(
            KeyCode::Char('x'),
            KeyModifiers::NONE,
        ))),
        Event::Term(ratatui::crossterm::event::Event::Resize(50, 10)),
        Event::Msg(Command::Quit.into()),
        Event::Msg(Msg::Notice("never handled".into())),
    ] {
        tx.send(event).unwrap();
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut effects = Vec::new();
    run_loop(&mut terminal, &mut state, &Theme::default(), &rx, |e| {
        effects.push(e)
    })
    .unwrap();
    assert!(state.quit);
    assert_eq!(
        effects,
        [
            Effect::LoadClaims,
            Effect::Search {
                seq: 1,
                query: "x".into()
            }
        ],
        "the claims are read in the background once the library shows"
    );
    assert_eq!((state.width, state.height), (50, 10));
    assert_eq!(state.status.message, None);
}

#[test]
fn an_article_kept_as_its_feeds_summary_says_so_in_the_library_and_the_reader() {
    let screen_text = |terminal: &Terminal<TestBackend>| {
        let buffer = terminal.backend().buffer();
        buffer
            .content()
            .chunks(usize::from(buffer.area.width))
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut state = State::new(80, 80, 24);
    let mut list = entries();
    list[0].summary_only = true;
    update(&mut state, Msg::Library(list));
    let text = screen_text(&draw(&mut state, 80, 24));
    assert_eq!(text.matches("[summary]").count(), 1, "{text}");
    let mut article = article("A teaser", "Only the first sentence of the story.");
    article.meta.summary_only = true;
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    let text = screen_text(&draw(&mut state, 80, 24));
    assert!(text.contains("Summary only"), "{text}");
}
