//! Reader benchmarks (`cargo bench --bench tui`): one frame of a 1 MiB article while scrolling, search as
//! you type through the real worker, and time to first frame on an indexed corpus. Prints a markdown table.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use newsgloss::article::{Article, FrontMatter};
use newsgloss::index::{ArticleIndex, SyncOptions};
use newsgloss::tui::action::Action;
use newsgloss::tui::events::Event;
use newsgloss::tui::state::State;
use newsgloss::tui::theme::Theme;
use newsgloss::tui::{update::update, view, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const WORDS: &[&str] = &[
    "cloud",
    "alibaba",
    "revenue",
    "profit",
    "chip",
    "export",
    "market",
    "growth",
    "copilot",
    "model",
    "compute",
    "server",
    "outage",
    "listing",
    "investor",
    "quarter",
    "billion",
    "demand",
    "training",
    "restriction",
    "provider",
    "customer",
    "network",
    "storage",
    "latency",
    "price",
    "strategy",
    "report",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| WORDS[self.next() % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn text(bytes: usize, paragraphs: bool, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(bytes + 200);
    while out.len() < bytes {
        out.push_str(&rng.words(60));
        out.push_str(if paragraphs { ".\n\n" } else { ". " });
    }
    out.trim_end().to_owned()
}

fn key(c: char) -> Action {
    let (code, mods) = match c {
        'D' => (KeyCode::Char('d'), KeyModifiers::CONTROL),
        c => (KeyCode::Char(c), KeyModifiers::NONE),
    };
    Action::Key(KeyEvent::new(code, mods))
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Update + draw per frame while scrolling through an article of `bytes`.
fn frames(bytes: usize, paragraphs: bool) -> (Duration, Duration, Duration) {
    let mut rng = Rng(7);
    let article = Article {
        id: "a".into(),
        meta: FrontMatter {
            title: "Bench".into(),
            ..FrontMatter::default()
        },
        text: text(bytes, paragraphs, &mut rng),
    };
    let mut state = State::new(80, 200, 60);
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let open = Instant::now();
    update(
        &mut state,
        Action::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    terminal.draw(|f| view::draw(f, &state, &theme)).unwrap();
    let first = open.elapsed();
    let mut samples = Vec::new();
    for i in 0..2000 {
        let start = Instant::now();
        update(&mut state, key(if i % 10 == 0 { 'D' } else { 'j' }));
        terminal.draw(|f| view::draw(f, &state, &theme)).unwrap();
        samples.push(start.elapsed());
    }
    let (p50, p99) = percentiles(samples);
    (first, p50, p99)
}

fn corpus(dir: &std::path::Path, n: usize) {
    let mut rng = Rng(42);
    for i in 0..n {
        let body = text(3000, true, &mut rng);
        let title = rng.words(6);
        let file = format!(
            "+++\ntitle = \"{title}\"\nsource = \"Synthetic\"\npublished = 2023-{:02}-{:02}\n+++\n\n{body}\n",
            i % 12 + 1,
            i % 28 + 1
        );
        std::fs::write(dir.join(format!("a{i:05}.md")), file).unwrap();
    }
}

fn main() {
    let mut rows = Vec::new();
    for (name, bytes, paragraphs) in [
        ("5 KB article (baseline)", 5 << 10, true),
        ("1 MiB article", 1 << 20, true),
        ("1 MiB single line", 1 << 20, false),
    ] {
        let (first, p50, p99) = frames(bytes, paragraphs);
        rows.push(format!(
            "| frame 200x60, {name} | open+wrap+draw {} | p50 {} | p99 {} |",
            ms(first),
            ms(p50),
            ms(p99)
        ));
    }

    // `NEWSGLOSS_BENCH_ARTICLES=100000 cargo bench --bench tui` for the full-size corpus.
    let n: usize = std::env::var("NEWSGLOSS_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    corpus(&content, n);
    let index_dir = root.path().join("index");
    let build = Instant::now();
    {
        let (index, _) = ArticleIndex::open(&index_dir).unwrap();
        let scan = newsgloss::content::scan(&content).unwrap();
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
    }
    let built = build.elapsed();
    rows.push(format!(
        "| index {n} synthetic 3 KB articles | {} | | |",
        ms(built)
    ));

    let setup = worker::Setup {
        content_dir: content.clone(),
        index_dir: index_dir.clone(),
        sync: SyncOptions::default(),
        max_file_bytes: 8 << 20,
        limit: 50,
        snippet_chars: 200,
        reconcile: true,
        feeds: Vec::new(),
        ingest: Default::default(),
    };
    // Time to first frame and to a full library, on the indexed corpus.
    let start = Instant::now();
    let (events_tx, events_rx) = mpsc::channel();
    let (effects_tx, effects_rx) = mpsc::channel();
    let _worker = worker::spawn(setup, effects_rx, events_tx);
    let mut state = State::new(80, 200, 60);
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    terminal.draw(|f| view::draw(f, &state, &theme)).unwrap();
    let first_frame = start.elapsed();
    let mut synced = None;
    let mut listed = None;
    while synced.is_none() || listed.is_none() {
        let Ok(Event::Action(action)) = events_rx.recv_timeout(Duration::from_secs(60)) else {
            panic!("worker silent")
        };
        let is_library = matches!(action, Action::Library(_));
        let is_indexed = matches!(action, Action::Indexed(_));
        update(&mut state, action);
        terminal.draw(|f| view::draw(f, &state, &theme)).unwrap();
        if is_library && listed.is_none() {
            listed = Some(start.elapsed());
        }
        if is_indexed {
            synced = Some(start.elapsed());
        }
    }
    rows.push(format!(
        "| first frame, {n} articles indexed | {} | library shown {} | reconciled {} |",
        ms(first_frame),
        ms(listed.unwrap()),
        ms(synced.unwrap())
    ));

    // Search as you type: each keystroke until its results are in the state.
    update(&mut state, key('/'));
    let mut samples = Vec::new();
    for query in [
        "cloud revenue",
        "copilot model",
        "chip export restriction",
        "latency strategy",
        "alibaba quarter profit",
    ] {
        for c in query.chars() {
            let start = Instant::now();
            for effect in update(&mut state, key(c)) {
                effects_tx.send(effect).unwrap();
            }
            let want = state.search.sent;
            while state.search.shown < want {
                let Ok(Event::Action(action)) = events_rx.recv_timeout(Duration::from_secs(10))
                else {
                    panic!("no results")
                };
                update(&mut state, action);
            }
            samples.push(start.elapsed());
        }
        for _ in query.chars() {
            update(
                &mut state,
                Action::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
            );
        }
    }
    let (p50, p99) = percentiles(samples);
    rows.push(format!(
        "| keystroke to results in State, {n} articles | | p50 {} | p99 {} |",
        ms(p50),
        ms(p99)
    ));

    println!("| benchmark | time | p50 / detail | p99 / detail |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
