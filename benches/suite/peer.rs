//! newsboat beside newsgloss on the same feed, served on 127.0.0.1 without validators: the first import,
//! a reload with nothing changed, one new entry, the reader's launch until its list is on screen, a search
//! until its results show, and peak memory. Skipped with a notice when newsboat is not installed.
//!
//! The feed is made from a corpus's articles: each is an item whose description holds the article's
//! paragraphs (its first 4,000 characters), so neither program needs the item's page.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::process::{mb, proc_status, run_measured};
use crate::report::{Row, Rows, median, ms, speedup};
use crate::tmux::Pane;

mod alone;
pub use alone::peer_alone;

const BIN: &str = env!("CARGO_BIN_EXE_newsgloss");
/// The longest a launch or a search may take before the figure is given up.
const PATIENCE: Duration = Duration::from_secs(120);

/// The feed the two programs read, and what a search of it should find.
pub struct PeerFeed {
    pub name: String,
    pub content: PathBuf,
    /// At most this many articles become items.
    pub items: usize,
    /// A word many of the articles hold.
    pub word: String,
    /// Whether the goals apply (the 20,000-item feed).
    pub goals: bool,
}

pub fn peer_figures(feed: &PeerFeed, work: &Path, rounds: usize, rows: &mut Rows) {
    // The newest item is held back, to come as the one new entry.
    let Some(Peers {
        dir,
        items,
        newest,
        server,
        ours,
        theirs,
    }) = Peers::serve(feed, work, 1)
    else {
        return;
    };
    let name = format!("{} as a feed ({} items)", feed.name, items.len());
    let goal = |met: bool| feed.goals.then_some(met);

    let (a, b) = (
        run_measured(ours.fetch(), &dir.join("ours.log")),
        run_measured(theirs.reload(), &dir.join("theirs.log")),
    );
    if !(a.ok && b.ok) {
        let log = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        println!(
            "notice: a first import of the feed failed; no comparison with newsboat.\nnewsgloss: {}\nnewsboat: {}",
            log("ours.log"),
            log("theirs.log")
        );
        return;
    }
    rows.push(
        Row::new(&name, "first import of the feed", ms(a.took))
            .baseline(
                format!("newsboat `-x reload`: {}", ms(b.took)),
                speedup(b.took, a.took),
            )
            .goal("no slower than newsboat", goal(a.took <= b.took)),
    );
    rows.push(
        Row::new(
            &name,
            "first import: peak memory (VmHWM, sampled)",
            mb(a.peak_hwm),
        )
        .baseline(format!("newsboat: {}", mb(b.peak_hwm)), String::new())
        .goal("≤ newsboat's", goal(a.peak_hwm <= b.peak_hwm)),
    );

    let again = |cmd: &dyn Fn() -> Command, log: &str| {
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| run_measured(cmd(), &dir.join(log)).took)
            .collect();
        median(&mut times)
    };
    let (a, b) = (
        again(&|| ours.fetch(), "ours.log"),
        again(&|| theirs.reload(), "theirs.log"),
    );
    let faster = b.as_secs_f64() / a.as_secs_f64();
    rows.push(
        Row::new(
            &name,
            "reload with nothing changed, no validators (median)",
            ms(a),
        )
        .baseline(format!("newsboat: {}", ms(b)), speedup(b, a))
        .goal("≥ 20x faster", goal(faster >= 20.0)),
    );

    server.set(rss(&items, 0));
    let (a, b) = (
        run_measured(ours.fetch(), &dir.join("ours.log")),
        run_measured(theirs.reload(), &dir.join("theirs.log")),
    );
    rows.push(
        Row::new(&name, "reload with one new entry", ms(a.took))
            .baseline(format!("newsboat: {}", ms(b.took)), speedup(b.took, a.took))
            .goal("< 1 s", goal(a.took < Duration::from_secs(1))),
    );

    screens(&name, feed, &ours, &theirs, &newest, rounds, rows);
}

/// The focused mode (`--peer-screens N`): the feed fetched once into each program's workspace, then only
/// the readers' launch, search and memory, `rounds` times each, the two programs alternating.
pub fn screens_figures(feed: &PeerFeed, work: &Path, rounds: usize, rows: &mut Rows) {
    let Some(Peers {
        dir,
        items,
        newest,
        server: _server,
        ours,
        theirs,
    }) = Peers::serve(feed, work, 0)
    else {
        return;
    };
    let (a, b) = (
        run_measured(ours.fetch(), &dir.join("ours.log")),
        run_measured(theirs.reload(), &dir.join("theirs.log")),
    );
    if !(a.ok && b.ok) {
        println!("notice: a first import of the feed failed; no comparison with newsboat");
        return;
    }
    let name = format!("{} as a feed ({} items)", feed.name, items.len());
    screens(&name, feed, &ours, &theirs, &newest, rounds, rows);
}

/// The two programs' workspaces in `work/peer`, each configured for the one feed that the server makes
/// of the corpus's articles, the newest `skip` held back.
struct Peers {
    dir: PathBuf,
    items: Vec<Item>,
    /// The newest item's title, which the launch waits to see.
    newest: String,
    server: Server,
    ours: Ours,
    theirs: Theirs,
}

impl Peers {
    /// The workspaces and the server, or `None` (said) when newsboat is not installed.
    fn serve(feed: &PeerFeed, work: &Path, skip: usize) -> Option<Peers> {
        if !Command::new("newsboat")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            println!("notice: newsboat is not installed; the suite does not compare against it");
            return None;
        }
        let dir = work.join("peer");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("peer dir made");
        let items = feed_items(&feed.content, feed.items);
        let newest = items.first().map(|i| i.title.clone()).unwrap_or_default();
        let server = Server::start(rss(&items, skip));
        let ours = Ours::new(&dir.join("newsgloss"), &server.url());
        let theirs = Theirs::new(&dir.join("newsboat"), &server.url());
        Some(Peers {
            dir,
            items,
            newest,
            server,
            ours,
            theirs,
        })
    }
}

/// Launch until the list is on screen, then a search until its results show, and the peak memory.
fn screens(
    name: &str,
    feed: &PeerFeed,
    ours: &Ours,
    theirs: &Theirs,
    newest: &str,
    rounds: usize,
    rows: &mut Rows,
) {
    if !Pane::available() {
        println!("notice: tmux is not here; the readers' launch and search are not compared");
        return;
    }
    let short: String = newest.chars().take(20).collect();
    let word = feed.word.as_str();
    // newsgloss searches as the word is typed; newsboat once Enter is pressed.
    let a = || {
        session(
            "ours",
            &ours.reader(),
            |s| s.contains("LIBRARY") && s.contains(&short),
            |pane| {
                pane.keys(&["/"]);
                pane.text(word);
            },
            // The count line says `searching “…”…` while a newer query than the shown one is on its way.
            |s| {
                s.contains(&format!("Search: {word}"))
                    && s.contains("matching article")
                    && !s.contains("searching “")
            },
            // The status bar says `listing N articles…` until the whole list is read.
            |s| {
                let listing = s.contains("listing ") && s.contains(" articles…");
                !listing && !s.contains("reading state…")
            },
        )
    };
    let b = || {
        session(
            "theirs",
            &theirs.reader(),
            |s| s.contains("Your feeds") && s.contains("Bench feed"),
            |pane| {
                pane.keys(&["/"]);
                pane.text(word);
                pane.keys(&["Enter"]);
            },
            |s| s.contains("Search results"),
            |_| true,
        )
    };
    // The two alternate, round after round; each figure is the median of its rounds.
    let (mut ours_runs, mut theirs_runs) = (Vec::new(), Vec::new());
    for round in 1..=rounds.max(1) {
        let (x, y) = (a(), b());
        let shown = |s: &Option<Session>| s.as_ref().map_or("failed".into(), Session::to_string);
        println!("round {round}: ours {}; newsboat {}", shown(&x), shown(&y));
        ours_runs.extend(x);
        theirs_runs.extend(y);
    }
    let (Some(a), Some(b)) = (Session::median(ours_runs), Session::median(theirs_runs)) else {
        println!(
            "notice: a reader did not show its list or its results in {} s",
            PATIENCE.as_secs()
        );
        return;
    };
    let goal = |met: bool| feed.goals.then_some(met);
    let times = |x: Duration, y: Duration| x.as_secs_f64() / y.as_secs_f64().max(1e-9);
    rows.push(
        Row::new(
            name,
            "launch until the list is on screen (tmux)",
            ms(a.launch),
        )
        .baseline(
            format!("newsboat: {}", ms(b.launch)),
            speedup(b.launch, a.launch),
        )
        .goal("≥ 3x sooner", goal(times(b.launch, a.launch) >= 3.0)),
    );
    rows.push(
        Row::new(
            name,
            &format!("search `{}` until results show (tmux)", feed.word),
            ms(a.search),
        )
        .baseline(
            format!("newsboat `/`: {}", ms(b.search)),
            speedup(b.search, a.search),
        )
        .goal("≥ 20x faster", goal(times(b.search, a.search) >= 20.0)),
    );
    rows.push(
        Row::new(
            name,
            "the reader's peak memory (VmHWM), after the search",
            mb(a.peak),
        )
        .baseline(format!("newsboat: {}", mb(b.peak)), String::new())
        .goal("≤ newsboat's", goal(a.peak <= b.peak)),
    );
}

struct Session {
    launch: Duration,
    search: Duration,
    peak: u64,
}

impl Session {
    /// Each figure's median over `runs` (of a round that failed, none is counted).
    fn median(runs: Vec<Session>) -> Option<Session> {
        if runs.is_empty() {
            return None;
        }
        let mut launch: Vec<Duration> = runs.iter().map(|s| s.launch).collect();
        let mut search: Vec<Duration> = runs.iter().map(|s| s.search).collect();
        let mut peak: Vec<u64> = runs.iter().map(|s| s.peak).collect();
        peak.sort_unstable();
        Some(Session {
            launch: median(&mut launch),
            search: median(&mut search),
            peak: peak[peak.len() / 2],
        })
    }
}

impl std::fmt::Display for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "launch {}, search {}, peak {}",
            ms(self.launch),
            ms(self.search),
            mb(self.peak)
        )
    }
}

/// Starts `cmd` in tmux until `listed`, then searches (`ask` types it) until `found`; the peak memory
/// is read once the screen is `settled` (the whole list read, not only its first rows).
fn session(
    name: &str,
    cmd: &Command,
    listed: impl Fn(&str) -> bool,
    ask: impl Fn(&Pane),
    found: impl Fn(&str) -> bool,
    settled: impl Fn(&str) -> bool,
) -> Option<Session> {
    let started = Instant::now();
    let pane = Pane::start(name, cmd, 120, 40);
    let launch = pane.wait_for(started, PATIENCE, listed)?;
    let asked = Instant::now();
    ask(&pane);
    let search = pane.wait_for(asked, PATIENCE, found)?;
    pane.wait_for(started, PATIENCE, settled)?;
    let peak = proc_status(pane.pid()?, "VmHWM:")?;
    Some(Session {
        launch,
        search,
        peak,
    })
}

/// newsgloss in a workspace of its own whose one `[[feeds]]` is the served feed.
struct Ours {
    dir: PathBuf,
    /// The binary run: the suite's own, or another given to the focused mode.
    bin: PathBuf,
}

impl Ours {
    /// The suite's own build, or the one `NEWSGLOSS_BENCH_BIN` names (an old one, to compare).
    fn new(dir: &Path, url: &str) -> Ours {
        let bin = std::env::var_os("NEWSGLOSS_BENCH_BIN")
            .map_or_else(|| PathBuf::from(BIN), PathBuf::from);
        Ours::with_binary(dir, url, &bin)
    }

    fn with_binary(dir: &Path, url: &str, bin: &Path) -> Ours {
        std::fs::create_dir_all(dir.join("home")).expect("dir made");
        let config = format!(
            "[paths]\ncontent = \"content\"\nannotations = \"annotations\"\nindex = \"index\"\n\n\
             [[feeds]]\nname = \"Bench feed\"\nurl = \"{url}\"\n\n[ingest]\nmax_bytes = 268435456\n"
        );
        std::fs::write(dir.join("config.toml"), config).expect("config written");
        Ours {
            dir: dir.to_owned(),
            bin: bin.to_owned(),
        }
    }

    fn command(&self) -> Command {
        let home = self.dir.join("home");
        let mut cmd = Command::new(&self.bin);
        cmd.current_dir(&self.dir)
            .env_remove("NEWSGLOSS_CONFIG")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("XDG_CACHE_HOME", &home)
            .env("XDG_STATE_HOME", &home)
            .env("NO_COLOR", "1");
        cmd
    }

    fn fetch(&self) -> Command {
        let mut cmd = self.command();
        cmd.arg("fetch");
        cmd
    }

    fn reader(&self) -> Command {
        self.command()
    }
}

/// newsboat with its own url file, config and cache.
struct Theirs {
    dir: PathBuf,
}

impl Theirs {
    fn new(dir: &Path, url: &str) -> Theirs {
        std::fs::create_dir_all(dir).expect("dir made");
        std::fs::write(dir.join("urls"), format!("{url}\n")).expect("urls written");
        std::fs::write(dir.join("config"), "confirm-exit no\n").expect("config written");
        Theirs {
            dir: dir.to_owned(),
        }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("newsboat");
        cmd.current_dir(&self.dir)
            .env("HOME", &self.dir)
            .args(["-u", "urls", "-c", "cache.db", "-C", "config"]);
        cmd
    }

    fn reload(&self) -> Command {
        let mut cmd = self.command();
        cmd.args(["-x", "reload"]);
        cmd
    }

    fn reader(&self) -> Command {
        self.command()
    }
}

struct Item {
    title: String,
    id: String,
    paragraphs: Vec<String>,
}

/// The first `limit` articles of `content` (sorted by path) as feed items, newest first.
fn feed_items(content: &Path, limit: usize) -> Vec<Item> {
    let scan = newsgloss::content::scan(content).expect("the corpus scans");
    let mut warnings = Vec::new();
    scan.files
        .iter()
        .filter_map(|file| newsgloss::content::load(file, 64 << 20, &mut warnings))
        .take(limit)
        .map(|article| {
            let mut kept = 0;
            let paragraphs = article
                .text
                .split("\n\n")
                .take_while(|p| {
                    kept += p.len();
                    kept <= 4_000 || kept == p.len()
                })
                .map(str::to_owned)
                .collect();
            Item {
                title: article.meta.title.clone(),
                id: article.id.clone(),
                paragraphs,
            }
        })
        .collect()
}

/// An RSS 2.0 document of `items` from the `skip`th on; item *i* is dated *i* hours before the newest.
fn rss(items: &[Item], skip: usize) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let newest = time::macros::datetime!(2026-11-30 12:00 UTC);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Bench feed</title>\
         <link>http://127.0.0.1/</link><description>The suite's feed</description>\n",
    );
    for (i, item) in items.iter().enumerate().skip(skip) {
        let date = (newest - time::Duration::hours(i as i64))
            .format(&time::format_description::well_known::Rfc2822)
            .expect("a date formats");
        // The description is HTML (each paragraph's text escaped for HTML), escaped again for XML.
        let body: String = item
            .paragraphs
            .iter()
            .map(|p| format!("&lt;p&gt;{}&lt;/p&gt;", escape(&escape(p))))
            .collect();
        out.push_str(&format!(
            "<item><title>{}</title><link>http://127.0.0.1:9/{id}</link><guid isPermaLink=\"false\">{id}</guid>\
             <pubDate>{date}</pubDate><description>{body}</description></item>\n",
            escape(&item.title),
            id = escape(&item.id),
        ));
    }
    out.push_str("</channel></rss>\n");
    out.into_bytes()
}

/// A server on 127.0.0.1 that answers every GET with the current feed, without validators.
struct Server {
    port: u16,
    body: Arc<Mutex<Arc<Vec<u8>>>>,
}

impl Server {
    fn start(body: Vec<u8>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let body = Arc::new(Mutex::new(Arc::new(body)));
        let shared = body.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let body = shared.lock().expect("the feed").clone();
                std::thread::spawn(move || answer(stream, &body));
            }
        });
        Server { port, body }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/feed.xml", self.port)
    }

    fn set(&self, body: Vec<u8>) {
        *self.body.lock().expect("the feed") = Arc::new(body);
    }
}

fn answer(mut stream: TcpStream, body: &[u8]) {
    let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}
