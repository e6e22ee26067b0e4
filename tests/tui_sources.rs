//! The sources view, opening a page in the browser and copying through the terminal, in a real terminal:
//! two feeds served on 127.0.0.1 fetched into a workspace, their counts in the sources view and Enter
//! showing one feed's articles; `O` running a fake browser command; `y` writing an OSC 52 sequence,
//! captured from the pane's output and decoded.

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;

use crate::ingest::server::Server;
use crate::support;
use crate::tui::{Tmux, have_tmux, newsgloss_in};

/// Runs the command line on the workspace in `root` (its `config.toml` included); returns stdout.
fn newsgloss(root: &Path, args: &[&str]) -> String {
    let out = support::isolated(root)
        .current_dir(root)
        .arg("--content")
        .arg(root.join("content"))
        .arg("--index")
        .arg(root.join("index"))
        .arg("--annotations")
        .arg(root.join("annotations"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "newsgloss {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// An RSS feed whose items carry whole articles (several paragraphs each).
fn feed(title: &str, items: &[&str]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/</link><description>d</description>"
    );
    for (i, item) in items.iter().enumerate() {
        let para = format!("<p>{item} is reported here at length, with the whole story.</p>");
        out.push_str(&format!(
            "<item><title>{item}</title><link>http://127.0.0.1:9/{title}/{i}</link><guid>{title}-{i}</guid>\
             <pubDate>Mon, 0{d} Jan 2024 10:00:00 GMT</pubDate><description><![CDATA[{p}{p}{p}{p}]]></description></item>",
            d = i + 1,
            p = para,
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// A workspace in a temp dir with a `config.toml` holding `extra`.
fn workspace(extra: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    std::fs::write(
        root.path().join("config.toml"),
        format!("[paths]\nstate = \"state\"\n\n{extra}"),
    )
    .unwrap();
    root
}

/// The ids `list` gives for `args`.
fn ids(root: &Path, args: &[&str]) -> Vec<String> {
    let out = newsgloss(root, &[&["list", "--format", "json"], args].concat());
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The row of the sources view that names `name`, squeezed to single spaces.
fn row_of(screen: &str, name: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no row for {name}:\n{screen}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_sources_view_counts_two_feeds_and_enter_shows_one() {
    if !have_tmux() {
        return;
    }
    let server = Server::start();
    server.serve(
        "/tech.xml",
        "application/rss+xml",
        feed("Tech", &["Chips", "Clouds", "Robots"]),
    );
    server.serve(
        "/world.xml",
        "application/rss+xml",
        feed("World", &["Elections", "Harvests"]),
    );
    let root = workspace(&format!(
        "[[feeds]]\nname = \"Tech Wire\"\nurl = \"{}\"\n\n[[feeds]]\nname = \"World Desk\"\nurl = \"{}\"\n",
        server.url("/tech.xml"),
        server.url("/world.xml"),
    ));
    newsgloss(root.path(), &["fetch"]);
    let tech = ids(root.path(), &["--feed", "Tech Wire"]);
    assert_eq!(tech.len(), 3, "{tech:?}");
    newsgloss(root.path(), &["mark", &tech[0], "--read"]);
    let tmux = Tmux::start(80, 24, root.path());
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Harvests"]);
    tmux.text("h");
    let screen = tmux.wait_for(&["SOURCES", "Tech Wire", "World Desk"]);
    assert_eq!(
        row_of(&screen, "Tech Wire"),
        "▌Tech Wire feed 2 3",
        "{screen}"
    );
    assert_eq!(
        row_of(&screen, "World Desk"),
        "World Desk feed 2 2",
        "{screen}"
    );
    assert!(screen.contains("4 unread of 5"), "{screen}");
    // Enter shows the second feed's articles only.
    tmux.text("j");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["LIBRARY", "Harvests", "Elections", "filtered: 2 of 5"]);
    assert!(!screen.contains("Robots"), "{screen}");
    // Marked read by another program: the count is read afresh when the view opens again.
    newsgloss(
        root.path(),
        &[
            "mark",
            &ids(root.path(), &["--feed", "World Desk"])[0],
            "--read",
        ],
    );
    tmux.text("h");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = tmux.capture();
        if screen.contains("World Desk") && row_of(&screen, "World Desk").ends_with("feed 1 2") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the count did not drop:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
}

/// A fake browser: writes its arguments, one a line, to `argv.txt`, and prints to stdout and stderr
/// (which must not reach the reader's screen).
fn fake_browser(root: &Path) -> String {
    let script = root.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho BROWSER-STDOUT\necho BROWSER-STDERR >&2\nfor a in \"$@\"; do echo \"$a\"; done > '{}/argv.tmp'\nmv '{0}/argv.tmp' '{0}/argv.txt'\n",
            root.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script.display().to_string()
}

#[test]
fn o_opens_the_page_with_the_configured_browser() {
    if !have_tmux() {
        return;
    }
    let root = workspace("");
    let script = fake_browser(root.path());
    std::fs::write(
        root.path().join("config.toml"),
        format!(
            "[paths]\nstate = \"state\"\n\n[reader]\nbrowser = \"'{script}' --new-tab {{url}}\"\n"
        ),
    )
    .unwrap();
    let content = root.path().join("content");
    std::fs::write(
        content.join("a.md"),
        "+++\ntitle = \"Alpha page\"\nurl = \"https://example.com/story?a=1&b=2\"\n+++\nAlpha body.\n",
    )
    .unwrap();
    std::fs::write(
        content.join("b.md"),
        "+++\ntitle = \"Beta script\"\nurl = \"javascript:alert(1)\"\n+++\nBeta body.\n",
    )
    .unwrap();
    let tmux = Tmux::start(80, 24, root.path());
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alpha page", "Beta script"]);
    // `O` from the library on a javascript: URL runs nothing and says why.
    tmux.text("o");
    tmux.wait_for(&["Title ↓"]);
    tmux.text("jO");
    tmux.wait_for(&["not opened: a javascript link"]);
    tmux.text("k");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "Alpha body."]);
    tmux.text("O");
    let argv = root.path().join("argv.txt");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !argv.exists() {
        assert!(Instant::now() < deadline, "the browser did not run");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&argv).unwrap(),
        "--new-tab\nhttps://example.com/story?a=1&b=2\n"
    );
    let screen = tmux.wait_for(&["READER", "opened https://example.com/story?a=1&b=2"]);
    assert!(
        !screen.contains("BROWSER-STDOUT") && !screen.contains("BROWSER-STDERR"),
        "{screen}"
    );
    assert!(screen.contains("Alpha body."), "{screen}");
    tmux.text("hq");
    tmux.wait_for(&["EXITED 0"]);
    let before = std::fs::read_to_string(&argv).unwrap();
    assert_eq!(before, "--new-tab\nhttps://example.com/story?a=1&b=2\n");
}

/// Every OSC 52 sequence in `bytes`: the text between `ESC ] 52 ; c ;` and BEL.
fn osc52_payloads(bytes: &[u8]) -> Vec<Vec<u8>> {
    let start = b"\x1b]52;";
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(start.len()).position(|w| w == start) {
        let from = at + i + start.len();
        let end = bytes[from..]
            .iter()
            .position(|&b| b == 0x07)
            .expect("the sequence ends with BEL");
        out.push(bytes[from..from + end].to_vec());
        at = from + end;
    }
    out
}

#[test]
fn y_writes_one_osc52_sequence_of_the_inert_quote() {
    if !have_tmux() {
        return;
    }
    let root = workspace("");
    // A title and source with escape sequences: they must not reach the clipboard raw either.
    std::fs::write(
        root.path().join("content/a.md"),
        "+++\ntitle = \"Quote me\"\nsource = \"Evil\\u001b]52;c;ZXZpbA==\\u0007 Wire\\u202e\"\n\
         url = \"https://example.com/q\"\n+++\nFirst words. The claim that matters here. Last words.\n",
    )
    .unwrap();
    newsgloss(
        root.path(),
        &[
            "annotate",
            "a",
            "--quote",
            "The claim that matters here.",
            "--tag",
            "spin-off",
        ],
    );
    let tmux = Tmux::start(80, 24, root.path());
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Quote me"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "The claim that matters"]);
    tmux.wait_for(&["1 annotation"]);
    tmux.text("]");
    std::thread::sleep(Duration::from_millis(300));
    let captured = root.path().join("pane.bytes");
    tmux.run(&[
        "pipe-pane",
        "-o",
        &format!("cat >> '{}'", captured.display()),
    ]);
    std::thread::sleep(Duration::from_millis(300));
    tmux.text("y");
    tmux.wait_for(&["copied"]);
    tmux.text("hq");
    tmux.wait_for(&["EXITED 0"]);
    tmux.run(&["pipe-pane"]);
    let bytes = std::fs::read(&captured).unwrap();
    let payloads = osc52_payloads(&bytes);
    assert_eq!(payloads.len(), 1, "{:?}", String::from_utf8_lossy(&bytes));
    let body = payloads[0]
        .strip_prefix(b"c;")
        .expect("the clipboard selection");
    assert!(
        body.iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)),
        "{:?}",
        String::from_utf8_lossy(body)
    );
    let text = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let source =
        newsgloss::article::clean::clean_line("Evil\u{1b}]52;c;ZXZpbA==\u{7} Wire\u{202e}");
    assert_eq!(
        String::from_utf8(text).unwrap(),
        format!("“The claim that matters here.” — {source}, https://example.com/q")
    );
}
