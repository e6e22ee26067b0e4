//! The sources view (counts, Enter filters the library, Esc goes back, counts follow the reading state
//! and new articles), the article's own tags from the reader, opening the page in the browser and
//! copying through the terminal.

use std::collections::BTreeSet;

use base64::Engine;

use super::annotating::{annotation_of, now};
use super::*;
use crate::reading::{FeedArticles, ReadingState};
use crate::tui::state::{SourceKind, SourceRow};

const LONG_SOURCE: &str = "中国科技新闻网络每日快讯特别长的名字来源 Daily Tech Wire";

/// A reading state with `read` read.
fn reading(read: &[&str]) -> ReadingState {
    let mut state = ReadingState::default();
    for id in read {
        state.entry(id).read = Some(now());
    }
    state
}

/// One feed, `WSJ Tech`, that brought in `copilot-costs`.
fn feeds() -> (Vec<String>, FeedArticles) {
    let def = crate::config::FeedDef {
        name: "WSJ Tech".into(),
        url: "https://wsj.example/tech.xml".into(),
        language: None,
        tags: Vec::new(),
    };
    let ids: BTreeSet<String> = ["copilot-costs".to_owned()].into();
    let members = FeedArticles::new(std::slice::from_ref(&def), |_| Some(&ids));
    (vec![def.name], members)
}

fn loaded(state: &mut State, read: &[&str]) -> Vec<Effect> {
    let (feeds, members) = feeds();
    state.reading.state = reading(read).into();
    state.reading.loaded = true;
    update(state, Msg::SourcesLoaded { feeds, members })
}

/// The library with a second KrASIA article and one from a source with a long CJK name, one feed, and
/// one article read; the sources view open.
pub(super) fn sources_screen(width: u16, height: u16) -> State {
    let mut state = State::new(80, width, height);
    let mut list = entries();
    let mut more = list[0].clone();
    more.id = "krasia-two".into();
    more.title = "A second KrASIA story".into();
    list.push(more);
    let mut long = list[1].clone();
    long.id = "cn/daily".into();
    long.source = LONG_SOURCE.into();
    list.push(long);
    update(&mut state, Msg::Library(list));
    loaded(&mut state, &["alibaba-cloud-spin-off"]);
    assert_eq!(keys(&mut state, "h"), [Effect::LoadSources]);
    state
}

fn row(kind: SourceKind, name: &str, total: usize, unread: usize) -> SourceRow {
    SourceRow {
        kind,
        name: name.into(),
        total,
        unread,
    }
}

#[test]
fn every_feed_then_every_source_with_its_counts() {
    let state = sources_screen(80, 24);
    assert_eq!(state.screen, Screen::Sources);
    assert_eq!(
        state.source_rows(),
        [
            row(SourceKind::Feed, "WSJ Tech", 1, 1),
            row(SourceKind::Source, "36Kr", 1, 1),
            row(SourceKind::Source, "KrASIA", 2, 1),
            row(SourceKind::Source, "WSJ", 1, 1),
            row(SourceKind::Source, LONG_SOURCE, 1, 1),
        ]
    );
    assert_eq!(state.library_counts(), (6, 5));
}

#[test]
fn enter_shows_the_rows_articles_and_esc_goes_back() {
    let mut state = sources_screen(80, 24);
    keys(&mut state, "j j Enter");
    assert_eq!(state.screen, Screen::Library);
    assert_eq!(state.library.filter.value(), "source:KrASIA");
    let shown: Vec<&str> = state
        .library
        .shown
        .iter()
        .map(|&i| state.library.entries[i].id.as_str())
        .collect();
    assert_eq!(shown, ["alibaba-cloud-spin-off", "krasia-two"]);
    // Back in the sources view, the row shown is selected; Esc leaves the library as it was.
    keys(&mut state, "h");
    assert_eq!(state.sources.selected, 2);
    keys(&mut state, "Esc");
    assert_eq!(state.screen, Screen::Library);
    assert_eq!(state.library.shown.len(), 2);
    // The library's Esc clears the filter.
    keys(&mut state, "Esc");
    assert_eq!(state.library.shown.len(), 6);
    // A feed's row shows the articles the feed brought in.
    keys(&mut state, "h g g Enter");
    assert_eq!(state.library.filter.value(), "feed:\"WSJ Tech\"");
    let shown: Vec<&str> = state
        .library
        .shown
        .iter()
        .map(|&i| state.library.entries[i].id.as_str())
        .collect();
    assert_eq!(shown, ["copilot-costs"]);
}

#[test]
fn the_counts_follow_the_reading_state_and_new_articles() {
    let mut state = sources_screen(80, 24);
    loaded(&mut state, &["alibaba-cloud-spin-off", "krasia-two"]);
    let krasia = |state: &State| {
        state
            .source_rows()
            .into_iter()
            .find(|r| r.name == "KrASIA")
            .unwrap()
    };
    assert_eq!(krasia(&state), row(SourceKind::Source, "KrASIA", 2, 0));
    let mut list = state.library.entries.clone();
    let mut fresh = list[0].clone();
    fresh.id = "krasia-three".into();
    list.push(fresh);
    let effects = update(&mut state, Msg::Library(list));
    assert!(effects.contains(&Effect::LoadSources), "{effects:?}");
    assert_eq!(krasia(&state), row(SourceKind::Source, "KrASIA", 3, 1));
}

#[test]
fn an_empty_view_says_why() {
    let mut state = State::new(80, 80, 24);
    update(&mut state, Msg::Library(Vec::new()));
    keys(&mut state, "h");
    let screen = format!("{}", draw(&mut state, 80, 24).backend());
    assert!(screen.contains("Counting the articles"), "{screen}");
    loaded(&mut state, &[]);
    state.sources.feeds.clear();
    let screen = format!("{}", draw(&mut state, 80, 24).backend());
    assert!(screen.contains("No sources yet"), "{screen}");
}

#[test]
fn the_sources_view_wide_and_narrow() {
    for (width, height) in [(120, 30), (30, 8), (20, 5)] {
        let mut state = sources_screen(width, height);
        let screen = format!("{}", draw(&mut state, width, height).backend());
        assert!(screen.contains("WSJ Tech"), "{width}x{height}:\n{screen}");
        assert!(screen.contains("SOURCES"), "{width}x{height}:\n{screen}");
    }
    let mut state = sources_screen(120, 30);
    insta::assert_snapshot!("sources_120x30", draw(&mut state, 120, 30).backend());
}

#[test]
fn hostile_source_names_are_inert() {
    let evil = "Evil\x1b[31mred\x1b]0;pwned\x07 \u{202e}gnp.exe \u{9b}2J\u{85}end\r\n\tx";
    let mut state = State::new(80, 80, 24);
    let mut list = entries();
    list[0].source = evil.into();
    update(&mut state, Msg::Library(list));
    update(
        &mut state,
        Msg::SourcesLoaded {
            feeds: vec![evil.into()],
            members: FeedArticles::default(),
        },
    );
    keys(&mut state, "h");
    assert_inert(&mut state, &[(80, 24), (40, 12), (30, 8)]);
}

/// The reader on an article with tags, the library's articles having others.
fn tagged_reader() -> State {
    let mut state = State::new(80, 80, 24);
    let mut list = entries();
    list[1].tags = vec!["ai".into(), "microsoft".into()];
    list[2].tags = vec!["云计算".into()];
    update(&mut state, Msg::Library(list));
    let mut article = article("Alibaba Cloud calls off its spin-off", TEXT);
    article.meta.tags = vec!["cloud".into(), "ai".into()];
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    state
}

#[test]
fn the_reader_header_shows_the_article_tags() {
    let mut state = tagged_reader();
    let screen = format!("{}", draw(&mut state, 80, 24).backend());
    assert!(screen.contains("Tags: cloud, ai"), "{screen}");
    insta::assert_snapshot!("reader_tags_80x24", draw(&mut state, 80, 24).backend());
    insta::assert_snapshot!("reader_tags_40x12", draw(&mut state, 40, 12).backend());
}

#[test]
fn t_tags_the_article_from_the_tags_in_use() {
    let mut state = tagged_reader();
    keys(&mut state, "#");
    let picker = state.picker.as_ref().unwrap();
    assert_eq!(
        picker.target,
        Target::Article(vec!["cloud".into(), "ai".into()])
    );
    assert_eq!(picker.checked, ["cloud", "ai"]);
    let names: Vec<&str> = picker.names.iter().map(String::as_str).collect();
    assert_eq!(names, ["ai", "cloud", "microsoft", "云计算"]);
    let screen = format!("{}", draw(&mut state, 80, 24).backend());
    assert!(screen.contains("Tag this article"), "{screen}");
    // Uncheck `ai`, check `云计算`, then Enter writes them.
    type_text(&mut state, "ai");
    keys(&mut state, "Space");
    keys(&mut state, "Backspace Backspace");
    type_text(&mut state, "云");
    keys(&mut state, "Space");
    let effects = keys(&mut state, "Enter");
    assert_eq!(
        effects,
        [Effect::TagArticle {
            id: "alibaba-cloud-spin-off".into(),
            tags: vec!["cloud".into(), "云计算".into()],
        }]
    );
    assert!(state.picker.is_none());
    assert_eq!(
        state.status.message.as_deref(),
        Some("article tags: cloud, 云计算")
    );
    // The same tags again write nothing.
    keys(&mut state, "#");
    assert!(keys(&mut state, "Enter").is_empty());
}

#[test]
fn o_opens_only_http_and_https_pages() {
    let mut state = tagged_reader();
    assert_eq!(
        keys(&mut state, "O"),
        [Effect::Browse {
            id: "alibaba-cloud-spin-off".into()
        }]
    );
    for (url, why) in [
        (None, "this article has no URL to open"),
        (Some("javascript:alert(1)"), "a javascript link"),
        (Some("file:///etc/passwd"), "a file link"),
    ] {
        state.reader.as_mut().unwrap().article.meta.url = url.map(str::to_owned);
        assert!(keys(&mut state, "O").is_empty(), "{url:?}");
        let error = state.status.error.clone().unwrap();
        assert!(error.contains(why), "{url:?}: {error}");
    }
    // From the library, the worker reads the selected article's URL from its file.
    let mut state = library(80, 24);
    let id = state.selected_entry().unwrap().id.clone();
    assert_eq!(keys(&mut state, "O"), [Effect::Browse { id }]);
}

/// The text an OSC 52 copy effect puts on the clipboard.
fn copied(effects: &[Effect]) -> String {
    let [Effect::Copy(sequence)] = effects else {
        panic!("not one copy: {effects:?}");
    };
    let body = sequence
        .strip_prefix("\x1b]52;c;")
        .and_then(|s| s.strip_suffix('\x07'))
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn y_copies_the_selection_or_the_annotation_as_a_quote() {
    let mut state = tagged_reader();
    keys(&mut state, "v e");
    let effects = keys(&mut state, "y");
    assert_eq!(copied(&effects), "On");
    assert_eq!(state.status.message.as_deref(), Some("copied 2 characters"));
    assert!(state.reader.as_ref().unwrap().visual.is_none());
    let note = annotation_of(
        TEXT,
        "a monthly loss of at least USD 20",
        &["copilot-losses"],
        None,
    );
    let start = note.start;
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(vec![note]),
        },
    );
    state.reader.as_mut().unwrap().cursor = start + 3;
    let effects = keys(&mut state, "y");
    assert_eq!(
        copied(&effects),
        "“a monthly loss of at least USD 20” — KrASIA, https://kr-asia.com/alibaba-cloud"
    );
    // Nowhere to copy from, or copying off: a sentence, nothing written.
    state.reader.as_mut().unwrap().cursor = 0;
    assert!(keys(&mut state, "y").is_empty());
    assert!(
        state
            .status
            .error
            .as_deref()
            .unwrap()
            .starts_with("nothing to copy")
    );
    state.osc52 = false;
    keys(&mut state, "v e");
    assert!(keys(&mut state, "y").is_empty());
    assert!(
        state
            .status
            .error
            .as_deref()
            .unwrap()
            .contains("osc52 = true")
    );
}

#[test]
fn the_filter_line_reads_the_filter_words() {
    let mut state = State::new(80, 80, 24);
    let mut list = entries();
    list[1].tags = vec!["ai".into()];
    update(&mut state, Msg::Library(list));
    loaded(&mut state, &["alibaba-cloud-spin-off"]);
    let shown = |state: &mut State, line: &str| {
        let filter = crate::reading::LibraryFilter::read(line).0;
        crate::tui::update::set_filter(state, &filter);
        let lib = &state.library;
        let ids: Vec<String> = lib
            .shown
            .iter()
            .map(|&i| lib.entries[i].id.clone())
            .collect();
        ids
    };
    assert_eq!(shown(&mut state, "unread").len(), 3);
    assert_eq!(shown(&mut state, "read"), ["alibaba-cloud-spin-off"]);
    assert_eq!(shown(&mut state, "tag:AI"), ["copilot-costs"]);
    assert_eq!(
        shown(&mut state, "claim:spin-off"),
        ["alibaba-cloud-spin-off"]
    );
    assert_eq!(
        shown(&mut state, "since:2023-11-01 until:2023-11-15"),
        ["cn/outage"]
    );
    assert_eq!(shown(&mut state, "source:wsj copilot"), ["copilot-costs"]);
}
