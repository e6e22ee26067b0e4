//! Hostile text in every field of a real workspace (articles, file names, an imported store, the config,
//! typed queries, tags and notes), driven through the real worker: every screen is drawn into a
//! TestBackend at several sizes with no control, escape or bidi/format character in any cell, and the same
//! walk drawn through a CrosstermBackend into memory emits only the sequences newsgloss's drawing uses
//! ([`bytes`]).

mod bytes;
mod workspace;

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use super::*;
use workspace::{evil, hostile_workspace};

/// Text that must never be seen on screen: the payloads of whole sequences (removed, not shown as text).
const PAYLOADS: [&str; 4] = ["pwned", "aGVsbG8", "evil.example", "1337;"];

/// A character no cell may hold: any control (C0, DEL, C1, ESC, newline, tab) or a bidi/format character.
pub fn forbidden_in_cell(c: char) -> bool {
    c.is_control() || is_forbidden(c)
}

/// The reader on the hostile workspace with the real worker behind it; no terminal.
struct Harness {
    state: State,
    theme: Theme,
    effects: Sender<Effect>,
    events: Receiver<Event>,
    dir: tempfile::TempDir,
}

impl Harness {
    fn start() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let workspace = hostile_workspace(dir.path());
        let (mut state, theme) = super::super::initial_state(&workspace, false);
        let (events_tx, events) = mpsc::channel();
        let (effects, effects_rx) = mpsc::channel();
        let setup = super::super::worker::Setup {
            content_dir: workspace.content_dir.clone(),
            index_dir: workspace.index_dir.clone(),
            sync: workspace.sync_options(false),
            max_file_bytes: workspace.config.content.max_file_bytes,
            limit: 50,
            snippet_chars: workspace.config.search.snippet_chars,
            reconcile: true,
            watch: false,
            reading_file: None,
            feeds: workspace.config.feeds.clone(),
            ingest: workspace.config.ingest.clone(),
            team: Default::default(),
            browser: None,
        };
        super::super::worker::spawn(setup, effects_rx, events_tx);
        update(&mut state, Msg::Resize(100, 30));
        let mut harness = Harness {
            state,
            theme,
            effects,
            events,
            dir,
        };
        harness.wait_for("the index", |a| matches!(a, Msg::Indexed(_)));
        harness
    }

    fn send(&self, effects: Vec<Effect>) {
        for effect in effects {
            self.effects.send(effect).unwrap();
        }
    }

    fn keys(&mut self, text: &str) {
        let effects = keys(&mut self.state, text);
        self.send(effects);
    }

    fn type_text(&mut self, text: &str) {
        let effects = type_text(&mut self.state, text);
        self.send(effects);
    }

    /// Erases `typed` from the open input line.
    fn erase(&mut self, typed: &str) {
        for _ in typed.chars() {
            self.keys("Backspace");
        }
    }

    /// Applies the worker's answers until one satisfies `done` (a minute at most).
    fn wait_for(&mut self, what: &str, done: impl Fn(&Msg) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("waiting for {what}: {e}"));
            let Some(action) = event.into_msg() else {
                continue;
            };
            let hit = done(&action);
            let effects = update(&mut self.state, action);
            self.send(effects);
            if hit {
                return;
            }
        }
    }

    /// The notes of `article`'s stored annotations tagged exactly `tags`.
    fn stored_notes(&self, article: &str, tags: &[&str]) -> Vec<String> {
        let path = self.dir.path().join(format!("annotations/{article}.toml"));
        let table: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let list = table["annotation"].as_array().unwrap();
        list.iter()
            .filter(|a| {
                let stored: Vec<_> = a["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap())
                    .collect();
                stored == tags
            })
            .filter_map(|a| a.get("note")?.as_str().map(str::to_owned))
            .collect()
    }

    fn wait_for_results(&mut self) {
        let seq = self.state.search.sent;
        self.wait_for(
            "search results",
            |a| matches!(a, Msg::Results { seq: s, .. } if *s == seq),
        );
    }
}

/// Walks every screen of the hostile workspace, calling `look(name, state, typed)` on each; `typed` says
/// whether an input line holds hostile text the user typed (echoed as typed, made visible but inert).
fn walk(harness: &mut Harness, look: &mut dyn FnMut(&str, &mut State, &Theme, bool)) {
    let evil = evil();
    let theme = harness.theme.clone();
    let mut at = |name: &str, h: &mut Harness, typed: bool| look(name, &mut h.state, &theme, typed);
    assert!(
        harness
            .state
            .status
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("config:")),
        "the hostile config's problems are reported: {:?}",
        harness.state.status.error
    );
    assert!(
        harness
            .state
            .status
            .message
            .as_deref()
            .is_some_and(|m| m.contains("4 file(s) skipped")),
        "the body and the name not UTF-8, the hostile name and the corrupt store: {:?}",
        harness.state.status.message
    );
    at("library, config problems", harness, false);
    assert!(
        harness
            .state
            .library
            .entries
            .iter()
            .any(|e| e.id == "hostile")
    );
    harness.keys("f");
    harness.type_text(&evil);
    at("library filter", harness, true);
    harness.keys("Esc /");
    harness.type_text(&evil);
    harness.wait_for_results();
    at("search, hostile query", harness, true);
    harness.keys("Esc /");
    harness.erase(&evil);
    harness.type_text("needle");
    harness.wait_for_results();
    assert!(
        harness.state.search.results.hits.len() >= 2,
        "{:?} {:?} {:?}",
        harness.state.search.query,
        harness.state.library.entries,
        harness.state.search.results
    );
    at("search results", harness, false);
    harness.type_text(" \"unbalanced");
    harness.wait_for_results();
    at("search error", harness, false);
    harness.erase("needle \"unbalanced");
    harness.type_text("tag:needle");
    harness.wait_for_results();
    at("search, claims matched", harness, false);
    let hostile = harness
        .state
        .search
        .results
        .hits
        .iter()
        .position(|h| h.id == "hostile")
        .expect("the hostile article is found");
    for _ in 0..hostile {
        harness.keys("Down");
    }
    harness.keys("Enter");
    harness.wait_for("the article", |a| matches!(a, Msg::Opened { .. }));
    harness.wait_for("its annotations", |a| {
        matches!(a, Msg::AnnotationsLoaded { .. })
    });
    at("reader", harness, false);
    harness.keys("?");
    at("help", harness, false);
    harness.keys("?");
    harness.keys("]");
    at("reader, on an annotation", harness, false);
    harness.keys("a");
    at("annotations list", harness, false);
    harness.keys("j");
    at("annotations list, the orphan", harness, false);
    harness.keys("Esc");
    harness.keys("f");
    harness.type_text(&evil);
    at("find in the article", harness, true);
    harness.keys("Esc g g v ) t");
    at("picker", harness, false);
    harness.type_text(&evil.replace(' ', ""));
    at("picker, hostile tag typed", harness, true);
    harness.keys("Enter");
    at("picker, bad tag refused", harness, true);
    harness.erase(&evil.replace(' ', ""));
    harness.type_text("needle");
    harness.keys("Enter");
    at("note editor", harness, false);
    harness.type_text(&evil);
    at("note editor, hostile note typed", harness, true);
    harness.keys("ctrl-s");
    harness.wait_for("the saved annotation", |a| {
        matches!(a, Msg::AnnotationsLoaded { .. })
    });
    at("reader, new annotation", harness, false);
    let typed_note = harness.stored_notes("hostile", &["needle"]);
    assert!(
        typed_note.len() == 1
            && typed_note[0].starts_with("w0")
            && !typed_note[0].chars().any(is_forbidden),
        "a typed note is kept inert: {typed_note:?}"
    );
    harness.keys("g g ] i");
    at("note editor, a stored hostile note", harness, false);
    harness.keys("Esc");
    // Its `original_url` is the other articles' `url`: side by side with one of them, both ways round.
    harness.keys("p");
    harness.wait_for("the other article", |a| {
        matches!(a, Msg::SideBySideLoaded { .. })
    });
    assert!(
        harness
            .state
            .reader
            .as_ref()
            .is_some_and(|r| r.side.is_some()),
        "{:?}",
        harness.state.status
    );
    at("side by side", harness, false);
    harness.keys("Tab");
    at("side by side, swapped", harness, false);
    harness.keys("Tab p");
    harness.keys("V");
    harness.wait_for("the versions", |a| matches!(a, Msg::VersionsLoaded { .. }));
    assert!(
        harness.state.versions.is_some(),
        "{:?}",
        harness.state.status
    );
    at("versions", harness, false);
    harness.keys("Esc");
    harness.keys("c");
    harness.wait_for("the claims", |a| matches!(a, Msg::ClaimsLoaded { .. }));
    assert!(
        harness.state.status.error.is_some(),
        "the corrupt store is reported"
    );
    at("claims, corrupt store reported", harness, false);
    harness.type_text(&evil);
    at("claims, hostile filter", harness, true);
    // Back out: the claims filter, the claims, the reader, the search.
    harness.keys("Esc Esc Esc Esc");
    assert_eq!(harness.state.screen, Screen::Library);
    harness.keys("F");
    harness.wait_for("the fetch", |a| matches!(a, Msg::Fetched { .. }));
    assert!(
        harness.state.status.error.is_some(),
        "{:?}",
        harness.state.status
    );
    at("library, fetch failures", harness, false);
    update(&mut harness.state, Msg::Error(evil.clone()));
    at("an error quoting hostile text", harness, false);
    update(&mut harness.state, Msg::Notice(evil.clone()));
    at("a notice quoting hostile text", harness, false);
}

/// The sizes every screen is drawn at: wide (the side panel shows), ordinary, small.
const SIZES: [(u16, u16); 3] = [(160, 40), (100, 30), (40, 12)];

#[test]
fn every_screen_of_a_hostile_workspace_is_inert() {
    let mut harness = Harness::start();
    let mut screens = 0;
    let mut cells = 0usize;
    walk(&mut harness, &mut |name, state, theme, typed| {
        screens += 1;
        for (width, height) in SIZES {
            update(state, Msg::Resize(width, height));
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal
                .draw(|frame| view::draw(frame, state, theme))
                .unwrap();
            let buffer = terminal.backend().buffer();
            for (i, cell) in buffer.content().iter().enumerate() {
                cells += 1;
                let (x, y) = buffer.pos_of(i);
                assert!(
                    !cell.symbol().chars().any(forbidden_in_cell),
                    "{name} at {width}x{height}: {:?} in the cell at ({x}, {y})\n{}",
                    cell.symbol(),
                    terminal.backend()
                );
            }
            if name == "reader" && width == 160 {
                let screen = terminal.backend().to_string();
                assert!(
                    screen.contains("URL: a javascript link, not shown"),
                    "{screen}"
                );
            }
            if !typed {
                let screen = terminal.backend().to_string();
                for payload in PAYLOADS {
                    assert!(
                        !screen.contains(payload),
                        "{name} at {width}x{height}: {payload:?} shown\n{screen}"
                    );
                }
            }
        }
    });
    assert_eq!(screens, 27, "every screen of the walk was looked at");
    eprintln!(
        "hostile: {screens} screens x {} sizes, {cells} cells, 0 forbidden",
        SIZES.len()
    );
}
