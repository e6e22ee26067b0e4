//! The reading loop in a real terminal: articles from two feeds, opened, scrolled and left (read, the
//! count down), starred, kept across a restart with the reading position, all marked read and undone,
//! new articles marked, and a `newsgloss mark` from another shell shown while the reader runs.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support;
use crate::tui::{Tmux, have_tmux, newsgloss_in};

/// The long article: numbered paragraphs, so that where the screen starts can be told.
fn long_body() -> String {
    (1..=60)
        .map(|n| {
            format!(
                "Paragraph {n} of the long report says that the cloud market keeps growing while \
                 the chips it needs stay scarce, and that prices follow."
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Five articles, three from the KrASIA feed and two from the Wire feed (by their source), and a config
/// that keeps the reading state in `<root>/state`.
fn workspace(root: &Path) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(root.join("home")).unwrap();
    let articles = [
        (
            "long-report",
            "The long cloud report",
            "KrASIA",
            "2024-03-05",
            long_body(),
        ),
        (
            "chips-rule",
            "Chip export rule tightens",
            "KrASIA",
            "2024-03-04",
            "Short.".into(),
        ),
        (
            "outage",
            "A cloud outage in Hangzhou",
            "KrASIA",
            "2024-03-03",
            "Short.".into(),
        ),
        (
            "wire-copper",
            "Copper prices climb",
            "Wire",
            "2024-03-02",
            "Short.".into(),
        ),
        (
            "wire-grain",
            "Grain harvest falls short",
            "Wire",
            "2024-03-01",
            "Short.".into(),
        ),
    ];
    for (id, title, source, date, body) in articles {
        let extra = format!("source = {source:?}\npublished = {date}\n");
        std::fs::write(
            content.join(format!("{id}.md")),
            support::article(title, &extra, &body),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("config.toml"),
        "[paths]\nstate = \"state\"\n\n[[feeds]]\nname = \"KrASIA\"\nurl = \"http://127.0.0.1:9/krasia.xml\"\n\n\
         [[feeds]]\nname = \"Wire\"\nurl = \"http://127.0.0.1:9/wire.xml\"\n",
    )
    .unwrap();
}

/// The row of the library that holds `title`.
fn row<'s>(screen: &'s str, title: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no row {title:?}:\n{screen}"))
}

/// The marks of a library row: new `N` or unread `•`, then starred `*`.
fn marks(row: &str) -> String {
    row.chars().skip(1).take(2).collect()
}

/// Polls until `ready` holds for the pane (15 s at most).
fn until(tmux: &Tmux, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let screen = tmux.capture();
        if ready(&screen) {
            return screen;
        }
        if Instant::now() > deadline {
            panic!("{what}: not on screen; the screen:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first line of the article's text on screen (under the header's rule).
fn first_text_line(screen: &str) -> String {
    let mut lines = screen.lines().skip_while(|l| !l.contains('─')).skip(1);
    lines
        .find(|l| l.contains("Paragraph"))
        .unwrap_or_else(|| panic!("no text:\n{screen}"))
        .trim()
        .to_owned()
}

fn start(tmux: &Tmux, root: &Path) {
    tmux.text(&newsgloss_in(root));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "The long cloud report", "Grain harvest"]);
}

fn quit(tmux: &Tmux) {
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
    tmux.text("clear");
    tmux.keys(&["Enter"]);
    until(tmux, "a clear screen", |s| !s.contains("EXITED"));
}

#[test]
fn the_reading_loop_in_a_real_terminal() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    workspace(root);
    let state_file = root.join("state/reading.toml");
    let tmux = Tmux::start(100, 30, root);
    start(&tmux, root);
    let screen = tmux.wait_for(&["5 unread of 5"]);
    assert!(
        marks(row(&screen, "The long cloud report")) == "N ",
        "new: {screen}"
    );

    // Open, scroll, go back: read, and the count dropped.
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "Paragraph 1 of"]);
    tmux.keys(&["C-d", "C-d", "C-d"]);
    let screen = until(&tmux, "scrolled", |s| !s.contains("Paragraph 1 of"));
    let left_at = first_text_line(&screen);
    tmux.text("q");
    let screen = tmux.wait_for(&["LIBRARY", "4 unread of 5"]);
    let long = row(&screen, "The long cloud report");
    assert_eq!(marks(long), "  ", "read: {long}");

    // Star another one.
    tmux.text("j*");
    let screen = tmux.wait_for(&["starred"]);
    assert!(row(&screen, "Chip export rule").contains("*"), "{screen}");

    // The unread filter key and the filter line's words.
    tmux.text("U");
    let screen = tmux.wait_for(&["Filter: unread", "filtered: 4 of 5"]);
    assert!(!screen.contains("The long cloud report"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.text("f");
    tmux.text("source:wire");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["filtered: 2 of 5 · 2 unread"]);
    assert!(!screen.contains("Chip export rule"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["4 unread of 5"]);

    // Quit and reopen: read, starred, the position kept, nothing new any more.
    quit(&tmux);
    let saved = std::fs::read_to_string(&state_file).unwrap();
    assert!(saved.contains("last_visit = "), "{saved}");
    assert!(saved.contains("position = "), "{saved}");
    start(&tmux, root);
    let screen = tmux.wait_for(&["4 unread of 5"]);
    assert!(marks(row(&screen, "Chip export rule")) == "•*", "{screen}");
    assert!(
        !screen.lines().any(|l| marks(l).starts_with('N')),
        "nothing is new on the second visit: {screen}"
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["READER", &left_at]);
    assert!(!screen.contains("Paragraph 1 of"), "{screen}");
    tmux.text("q");

    // Everything shown read, then undone.
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("M");
    tmux.wait_for(&["marked 4 read — u to undo", "0 unread of 5"]);
    tmux.text("u");
    tmux.wait_for(&["4 articles unread again", "4 unread of 5"]);

    // The command line marks one read while the reader runs: the reader shows it.
    let out = support::isolated(root)
        .current_dir(root)
        .arg("--content")
        .arg(root.join("content"))
        .arg("--index")
        .arg(root.join("index"))
        .arg("--annotations")
        .arg(root.join("annotations"))
        .args(["mark", "wire-grain", "--read", "--star"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screen = tmux.wait_for(&["3 unread of 5"]);
    assert!(marks(row(&screen, "Grain harvest")) == " *", "{screen}");

    // An article that arrives while the reader runs is new.
    std::fs::write(
        root.join("content/late.md"),
        support::article(
            "A late arrival",
            "source = \"Wire\"\npublished = 2024-03-06\n",
            "Late.",
        ),
    )
    .unwrap();
    let screen = tmux.wait_for(&["A late arrival", "4 unread of 6"]);
    assert!(
        row(&screen, "The long cloud report").starts_with('▌'),
        "the selection stays: {screen}"
    );
    assert!(marks(row(&screen, "A late arrival")) == "N ", "{screen}");
    quit(&tmux);
    let saved = std::fs::read_to_string(&state_file).unwrap();
    let grain = saved.lines().find(|l| l.contains("wire-grain")).unwrap();
    assert!(
        grain.contains("read = ") && grain.contains("starred = true"),
        "{saved}"
    );
}
