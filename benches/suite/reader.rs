//! The reader's figures, through its pure update and view and the real worker, drawn into a 200x60
//! TestBackend: the first frame on an indexed corpus, search as you type, a frame of a 1 MiB article
//! (a 5 KB one is the baseline), and the claims view opened and filtered.

use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use newsgloss::article::{Article, FrontMatter};
use newsgloss::tui::command::Msg;
use newsgloss::tui::effect::Effect;
use newsgloss::tui::events::Event;
use newsgloss::tui::state::{Screen, State};
use newsgloss::tui::theme::Theme;
use newsgloss::tui::{update::update, view, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::corpus::{Rng, Vocabulary, english};
use crate::index::Target;
use crate::report::{Row, Rows, ms, percentile};

fn key(code: KeyCode) -> Msg {
    let (code, mods) = match code {
        KeyCode::Char('D') => (KeyCode::Char('d'), KeyModifiers::CONTROL),
        code => (code, KeyModifiers::NONE),
    };
    Msg::Key(KeyEvent::new(code, mods))
}

fn char_key(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// The reader on one worker, as `newsgloss` runs it, drawing into a TestBackend.
struct App {
    state: State,
    theme: Theme,
    terminal: Terminal<TestBackend>,
    effects: Sender<Effect>,
    events: Receiver<Event>,
    _worker: std::thread::JoinHandle<()>,
}

impl App {
    fn draw(&mut self) {
        let (state, theme) = (&self.state, &self.theme);
        self.terminal
            .draw(|f| view::draw(f, state, theme))
            .expect("draws");
    }

    /// Applies an action and sends its effects to the worker.
    fn apply(&mut self, action: Msg) {
        for effect in update(&mut self.state, action) {
            self.effects.send(effect).expect("worker runs");
        }
    }

    /// The worker's next action, applied; says what it was.
    fn next(&mut self) -> Seen {
        let Ok(Event::Msg(action)) = self.events.recv_timeout(Duration::from_secs(300)) else {
            panic!("the worker said nothing for 5 minutes")
        };
        let seen = match &action {
            Msg::LibraryHead { .. } => Seen::Head,
            Msg::Library(_) => Seen::Library,
            Msg::Indexed(_) => Seen::Indexed,
            Msg::ClaimsLoaded { .. } => Seen::Claims,
            _ => Seen::Other,
        };
        self.apply(action);
        seen
    }
}

/// Which of the worker's answers a benchmark waits for came.
#[derive(PartialEq, Eq)]
enum Seen {
    Head,
    Library,
    Indexed,
    Claims,
    Other,
}

/// The first frame, the library, the reconcile, search as you type and the claims view, on `target`
/// already indexed in `index_dir`.
pub fn app_figures(target: &Target, index_dir: &std::path::Path, quick: bool, rows: &mut Rows) {
    let n = &target.name;
    let setup = worker::Setup {
        content_dir: target.content.clone(),
        index_dir: index_dir.to_owned(),
        sync: target.sync_options(),
        max_file_bytes: 8 << 20,
        limit: 20,
        snippet_chars: 200,
        reconcile: true,
        watch: false,
        reading_file: None,
        feeds: Vec::new(),
        ingest: Default::default(),
        team: Default::default(),
        browser: None,
    };
    let start = Instant::now();
    let (events_tx, events) = std::sync::mpsc::channel();
    let (effects, effects_rx) = std::sync::mpsc::channel();
    let worker = worker::spawn(setup, effects_rx, events_tx);
    let mut app = App {
        state: State::new(80, 200, 60),
        theme: Theme::default(),
        terminal: Terminal::new(TestBackend::new(200, 60)).expect("terminal"),
        effects,
        events,
        _worker: worker,
    };
    app.draw();
    let first = start.elapsed();
    let (mut head, mut listed, mut synced) = (None, None, None);
    while listed.is_none() || synced.is_none() {
        let action = app.next();
        app.draw();
        if action == Seen::Head && head.is_none() {
            head = Some(start.elapsed());
        }
        if action == Seen::Library && listed.is_none() {
            listed = Some(start.elapsed());
        }
        if action == Seen::Indexed {
            synced = Some(start.elapsed());
        }
    }
    let (listed, synced) = (listed.expect("listed"), synced.expect("synced"));
    rows.push(
        Row::new(n, "first frame of the reader, indexed corpus", ms(first)).goal(
            "< 100 ms",
            target.at_100k(first < Duration::from_millis(100)),
        ),
    );
    // A library no larger than the first rows comes whole at once.
    let head = head.map_or("none sent".to_owned(), ms);
    rows.push(Row::new(
        n,
        "library's first rows on screen; whole library; reconcile done (background)",
        format!("{head}; {}; {}", ms(listed), ms(synced)),
    ));
    search_as_you_type(&mut app, target, quick, rows);
    claims(&mut app, target, quick, rows);
}

/// Each keystroke of a query until its results are drawn.
fn search_as_you_type(app: &mut App, target: &Target, quick: bool, rows: &mut Rows) {
    app.apply(char_key('/'));
    let q = &target.queries;
    let queries: Vec<&String> = q
        .words
        .iter()
        .chain(&q.pairs)
        .take(if quick { 4 } else { 40 })
        .collect();
    let mut samples = Vec::new();
    for _ in 0..if quick { 1 } else { 3 } {
        for query in &queries {
            for c in query.chars() {
                let start = Instant::now();
                app.apply(char_key(c));
                while app.state.search.shown < app.state.search.sent {
                    app.next();
                }
                app.draw();
                samples.push(start.elapsed());
            }
            for _ in query.chars() {
                app.apply(key(KeyCode::Backspace));
            }
            while app.state.search.shown < app.state.search.sent {
                app.next();
            }
        }
    }
    let p99 = percentile(&mut samples, 99.0);
    let p50 = percentile(&mut samples, 50.0);
    rows.push(
        Row::new(
            &target.name,
            "search as you type, keystroke to results drawn, p99 (p50)",
            format!("{} ({})", ms(p99), ms(p50)),
        )
        .goal("< 16 ms", target.at_100k(p99 < Duration::from_millis(16))),
    );
    app.apply(key(KeyCode::Esc));
}

/// `c` until the claims are drawn, and each keystroke of a filter until it is drawn.
fn claims(app: &mut App, target: &Target, quick: bool, rows: &mut Rows) {
    let mut opens = Vec::new();
    let mut reads = Vec::new();
    let mut filters = Vec::new();
    let mut count = 0;
    // The reader reads the claims in the background once the library shows.
    while !app.state.claims.loaded {
        app.next();
    }
    for _ in 0..if quick { 1 } else { 5 } {
        assert_eq!(app.state.screen, Screen::Library, "back in the library");
        let start = Instant::now();
        app.apply(char_key('c'));
        app.draw();
        opens.push(start.elapsed());
        // The view reads them again behind what it shows: every store file parsed.
        while app.next() != Seen::Claims {}
        app.draw();
        reads.push(start.elapsed());
        count = app.state.claims.claims.len();
        for filter in ["chip", "market outlook", "filings"] {
            for c in filter.chars() {
                let start = Instant::now();
                app.apply(char_key(c));
                app.draw();
                filters.push(start.elapsed());
            }
            app.apply(key(KeyCode::Esc));
        }
        app.apply(key(KeyCode::Esc));
    }
    let open = percentile(&mut opens, 50.0);
    let read = percentile(&mut reads, 50.0);
    let filter = percentile(&mut filters, 99.0);
    let goal = |d: Duration| target.at_100k(count >= 20_000 && d < Duration::from_millis(50));
    rows.push(
        Row::new(
            &target.name,
            &format!("claims view over {count} claims: open (median)"),
            ms(open),
        )
        .goal("< 50 ms", goal(open)),
    );
    rows.push(Row::new(
        &target.name,
        &format!("claims view over {count} claims: read again in the background (median)"),
        ms(read),
    ));
    rows.push(
        Row::new(
            &target.name,
            &format!("claims view over {count} claims: filter keystroke p99"),
            ms(filter),
        )
        .goal("< 50 ms", goal(filter)),
    );
}

/// Update and draw per frame while scrolling an article of `bytes`: (p50, p99).
fn frames(bytes: usize, count: usize) -> (Duration, Duration) {
    let vocabulary = Vocabulary::new();
    let article = Article {
        id: "bench".into(),
        meta: FrontMatter {
            title: "Bench".into(),
            ..FrontMatter::default()
        },
        text: english(&mut Rng::new(7), &vocabulary, bytes),
    };
    let mut state = State::new(80, 200, 60);
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    terminal
        .draw(|f| view::draw(f, &state, &theme))
        .expect("draws");
    let mut samples = Vec::new();
    for i in 0..count {
        let start = Instant::now();
        update(&mut state, char_key(if i % 10 == 0 { 'D' } else { 'j' }));
        terminal
            .draw(|f| view::draw(f, &state, &theme))
            .expect("draws");
        samples.push(start.elapsed());
    }
    (
        percentile(&mut samples, 50.0),
        percentile(&mut samples, 99.0),
    )
}

/// A reader frame of a 1 MiB article against one of a 5 KB article.
pub fn frame_figures(quick: bool, rows: &mut Rows) {
    let count = if quick { 200 } else { 3000 };
    let (_, small) = frames(5 << 10, count);
    let (p50, p99) = frames(1 << 20, count);
    rows.push(
        Row::new(
            "one generated article",
            "reader frame, 1 MiB article, p99 (p50)",
            format!("{} ({})", ms(p99), ms(p50)),
        )
        .baseline(
            format!("5 KB article: {}", ms(small)),
            format!("{:.2}", p99.as_secs_f64() / small.as_secs_f64()),
        )
        .goal("< 4 ms", (!quick).then_some(p99 < Duration::from_millis(4))),
    );
}
