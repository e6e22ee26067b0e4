//! Fetching feeds from the library and the versions overlay in the reader, without a terminal or a
//! network: the keys, the effects they ask for, and what the worker's answers do to the screen.

use super::*;
use crate::ingest::{DiffLine, Totals};
use crate::tui::effect::FetchReport;
use crate::tui::state::Versions;

/// The reader with the versions overlay open on a changed article.
pub fn versions(width: u16, height: u16) -> State {
    let mut state = reader(width, height);
    let lines = vec![
        DiffLine::Removed("On November 16, Alibaba Group released its Q2 2023 financial report, with Alibaba Cloud reporting a 2% year-on-year growth in revenue.".into()),
        DiffLine::Added("On November 16, Alibaba Group released its Q2 2024 financial report, with Alibaba Cloud reporting a 3% year-on-year growth in revenue.".into()),
        DiffLine::Same(String::new()),
        DiffLine::Same("For every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80.".into()),
        DiffLine::Same(String::new()),
        DiffLine::Same("阿里云在十一月十二日经历了一次严重的故障，影响了全球的服务。😀 Emoji and wide text wrap by display width.".into()),
        DiffLine::Same(String::new()),
        DiffLine::Removed("The cloud market in China is still growing.".into()),
        DiffLine::Added("The cloud market in China is still growing, and every cloud provider is chasing demand for AI computing power.".into()),
    ];
    let effects = keys(&mut state, "V");
    assert_eq!(
        effects,
        [Effect::Versions {
            id: "alibaba-cloud-spin-off".into()
        }]
    );
    update(
        &mut state,
        Msg::VersionsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(Some(Versions::new("20260101T000000Z".into(), lines))),
        },
    );
    state
}

#[test]
fn the_fetch_key_fetches_in_the_background_and_reports_a_summary() {
    let mut state = library(80, 24);
    state.feeds = 2;
    assert_eq!(keys(&mut state, "F"), [Effect::FetchFeeds]);
    assert_eq!(state.status.fetching, Some((0, 2, String::new())));
    assert!(keys(&mut state, "F").is_empty(), "one fetch at a time");
    update(
        &mut state,
        Msg::Fetching {
            done: 1,
            total: 2,
            current: "Kr\x1bASIA".into(),
        },
    );
    let (_, _, current) = state.status.fetching.clone().unwrap();
    assert!(!current.chars().any(is_forbidden), "{current:?}");
    let screen = draw(&mut state, 80, 24).backend().to_string();
    assert!(screen.contains("fetching 1/2"), "{screen}");
    let summary = Totals {
        new: 3,
        updated: 1,
        unchanged: 5,
        kept: 0,
        not_modified: 1,
        failed: 0,
    };
    update(
        &mut state,
        Msg::Fetched {
            feeds: 2,
            result: Ok(FetchReport {
                summary,
                moved: 2,
                orphaned: 1,
                ..FetchReport::default()
            }),
        },
    );
    assert_eq!(state.status.fetching, None);
    let message = state.status.message.clone().unwrap();
    assert_eq!(
        message,
        "fetched 2 feeds: 3 new, 1 updated, 5 unchanged, 1 not modified; 2 annotations moved, 1 \
         orphaned (a lists them)"
    );
    // A failed feed: the summary as an error, with why.
    assert_eq!(keys(&mut state, "F"), [Effect::FetchFeeds]);
    let failed = Totals {
        failed: 1,
        ..Totals::default()
    };
    update(
        &mut state,
        Msg::Fetched {
            feeds: 2,
            result: Ok(FetchReport {
                summary: failed,
                failures: vec!["Broken: not a feed".into()],
                ..FetchReport::default()
            }),
        },
    );
    let error = state.status.error.clone().unwrap();
    assert!(
        error.contains("1 failed") && error.contains("Broken: not a feed"),
        "{error}"
    );
}

#[test]
fn a_fetch_that_updated_the_article_being_read_reopens_it() {
    let mut state = reader(80, 24);
    state.feeds = 1;
    state.status.fetching = Some((0, 1, String::new()));
    let report = |updated: &str| FetchReport {
        updated: vec![updated.into()],
        ..FetchReport::default()
    };
    let other = update(
        &mut state,
        Msg::Fetched {
            feeds: 1,
            result: Ok(report("another-story")),
        },
    );
    assert!(other.is_empty());
    let this = update(
        &mut state,
        Msg::Fetched {
            feeds: 1,
            result: Ok(report("alibaba-cloud-spin-off")),
        },
    );
    assert_eq!(
        this,
        [Effect::Open {
            id: "alibaba-cloud-spin-off".into(),
            query: None
        }]
    );
    update(
        &mut state,
        Msg::Fetched {
            feeds: 1,
            result: Err("content/.newsgloss: disk full".into()),
        },
    );
    assert!(
        state
            .status
            .error
            .as_deref()
            .unwrap()
            .starts_with("fetching failed")
    );
}

#[test]
fn with_no_feeds_the_fetch_key_says_how_to_add_them() {
    let mut state = library(80, 24);
    assert!(keys(&mut state, "F").is_empty());
    let message = state.status.message.clone().unwrap();
    assert!(message.contains("[[feeds]]"), "{message}");
    assert_eq!(state.status.fetching, None);
}

#[test]
fn the_versions_overlay_shows_the_diff_and_scrolls_and_closes() {
    let mut state = versions(80, 24);
    assert_eq!(state.mode(), Mode::Versions);
    let screen = draw(&mut state, 80, 24).backend().to_string();
    assert!(screen.contains("- On November 16"), "{screen}");
    assert!(screen.contains("+ On November 16"), "{screen}");
    // Short enough to scroll: j, k, PageDown, PageUp move it within bounds.
    let mut state = versions(80, 10);
    draw(&mut state, 80, 10);
    keys(&mut state, "j j");
    assert_eq!(state.versions.as_ref().unwrap().scroll, 2);
    keys(&mut state, "k");
    assert_eq!(state.versions.as_ref().unwrap().scroll, 1);
    keys(&mut state, "PageDown PageDown PageDown PageDown");
    let rows = state.versions.as_ref().unwrap().rows(74).len();
    assert_eq!(state.versions.as_ref().unwrap().scroll, rows - 5);
    keys(&mut state, "PageUp PageUp PageUp PageUp");
    assert_eq!(state.versions.as_ref().unwrap().scroll, 0);
    keys(&mut state, "Esc");
    assert!(state.versions.is_none());
    assert_eq!(state.screen, Screen::Reader);
    assert_eq!(state.mode(), Mode::Reader);
}

#[test]
fn an_article_without_earlier_versions_says_so() {
    let mut state = reader(80, 24);
    keys(&mut state, "V");
    update(
        &mut state,
        Msg::VersionsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(None),
        },
    );
    assert!(state.versions.is_none());
    assert_eq!(
        state.status.message.as_deref(),
        Some("no earlier versions of this article")
    );
    // An answer for another article (the reader moved on) is dropped.
    update(
        &mut state,
        Msg::VersionsLoaded {
            article: "another".into(),
            result: Ok(Some(Versions::new("x".into(), vec![]))),
        },
    );
    assert!(state.versions.is_none());
}

#[test]
fn hostile_text_in_a_diff_never_reaches_the_terminal() {
    let evil = "Evil\x1b[31mred\x1b]0;pwned\x07 \u{202e}gnp.exe \u{9b}2J\u{85}end\r\n\tx";
    let mut state = reader(80, 24);
    update(
        &mut state,
        Msg::VersionsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(Some(Versions::new(
                evil.into(),
                vec![
                    DiffLine::Removed(evil.into()),
                    DiffLine::Added(evil.into()),
                    DiffLine::Same(evil.into()),
                ],
            ))),
        },
    );
    for (w, h) in [(80, 24), (30, 8)] {
        let terminal = draw(&mut state, w, h);
        for cell in terminal.backend().buffer().content() {
            assert!(
                !cell.symbol().chars().any(is_forbidden),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

#[test]
fn the_fetch_summary_names_only_what_happened() {
    use super::super::update::summary_line;
    let nothing = FetchReport::default();
    assert_eq!(summary_line(1, &nothing), "fetched 1 feed: nothing new");
    let not_modified = FetchReport {
        summary: Totals {
            not_modified: 3,
            ..Totals::default()
        },
        ..FetchReport::default()
    };
    assert_eq!(
        summary_line(3, &not_modified),
        "fetched 3 feeds: 3 not modified"
    );
}
