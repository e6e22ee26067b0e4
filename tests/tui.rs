//! The reader in a real terminal: the real binary in tmux, driven with `send-keys` and read with
//! `capture-pane`. Skipped (with a notice) when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), killed on drop even when the test fails.
pub(crate) struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    pub(crate) fn start(width: u16, height: u16, dir: &Path) -> Tmux {
        let unique = format!(
            "ng-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let tmux = Tmux {
            socket: unique.clone(),
            session: unique,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let dir = dir.to_str().unwrap();
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            &w,
            "-y",
            &h,
            "-s",
            &tmux.session,
            "-c",
            dir,
            "sh",
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    pub(crate) fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    pub(crate) fn capture(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The pane with its colours and attributes as escape sequences.
    fn capture_escapes(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-e", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A mouse event as the terminal sends it (SGR 1006: button, 1-based column and row, M press/drag, m
    /// release); tmux hands it to the program as typed.
    fn mouse(&self, button: u8, column: usize, row: usize, release: bool) {
        let end = if release { 'm' } else { 'M' };
        self.text(&format!("\x1b[<{button};{column};{row}{end}"));
    }

    pub(crate) fn query(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", &self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Polls the pane until every one of `needles` is on it (10 s at most).
    pub(crate) fn wait_for(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.capture();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {needles:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

pub(crate) fn have_tmux() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("notice: tmux is not installed; skipping the end-to-end reader tests");
    }
    found
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn search_open_resize_and_quit_in_a_real_terminal() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(repo().join("content").join(seed), content.join(seed)).unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let tmux = Tmux::start(100, 30, root.path());
    let command = format!(
        "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{home}' XDG_CACHE_HOME='{home}/cache' XDG_CONFIG_HOME='{home}/config' '{bin}' --content '{content}' --index '{index}'; echo EXITED $?",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
        content = content.display(),
        index = root.path().join("index").display(),
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off its spin-off"]);
    assert_eq!(tmux.query("#{alternate_on}"), "1");
    tmux.text("/");
    tmux.wait_for(&["Search:", "SEARCH"]);
    tmux.text("Copilot");
    tmux.wait_for(&["1 matching article", "GitHub"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "monthly loss of at least USD 20", "match 1/"]);
    tmux.run(&["resize-window", "-t", &tmux.session, "-x", "40", "-y", "12"]);
    tmux.wait_for(&["READER", "Copilot"]);
    tmux.run(&[
        "resize-window",
        "-t",
        &tmux.session,
        "-x",
        "100",
        "-y",
        "30",
    ]);
    tmux.wait_for(&["READER", "monthly loss of at least USD 20"]);
    tmux.text("q");
    tmux.wait_for(&["Search: Copilot", "1 matching article"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    let screen = tmux.wait_for(&["EXITED 0"]);
    assert!(
        !screen.contains("LIBRARY"),
        "the alternate screen is gone:\n{screen}"
    );
    assert_eq!(tmux.query("#{alternate_on}"), "0");
    // The shell works: raw mode is off, so a typed line runs.
    tmux.text("echo SANE-$((40+2))");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["SANE-42"]);
}

/// The reader at 80x24 on a workspace holding the seed article, its library on screen: the workspace,
/// the pane, and the reader's pid (the shell that wrote it became the reader).
fn reader_on_the_seed() -> (tempfile::TempDir, Tmux, String) {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(repo().join("content").join(seed), content.join(seed)).unwrap();
    let tmux = Tmux::start(80, 24, root.path());
    let pidfile = root.path().join("pid");
    let command = format!(
        "sh -c 'echo $$ > \"{pidfile}\"; exec env HOME=\"{root}\" XDG_CACHE_HOME=\"{root}/cache\" \"{bin}\" --content \"{content}\" --index \"{root}/index\"'; echo EXITED $?",
        pidfile = pidfile.display(),
        root = root.path().display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
        content = content.display(),
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud"]);
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_owned();
    (root, tmux, pid)
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let (_root, tmux, pid) = reader_on_the_seed();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    tmux.wait_for(&["EXITED 143"]);
    assert_eq!(tmux.query("#{alternate_on}"), "0");
}

#[test]
fn an_abort_such_as_out_of_memory_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let (_root, tmux, pid) = reader_on_the_seed();
    assert_eq!(tmux.query("#{mouse_any_flag}"), "1");
    // A failed allocation prints its message and calls abort(): the process gets SIGABRT, unwinding
    // nothing. Sending the signal takes the same path.
    let killed = Command::new("kill").args(["-ABRT", &pid]).status().unwrap();
    assert!(killed.success());
    let screen = tmux.wait_for(&["EXITED 134"]);
    assert!(
        screen.contains("aborted (SIGABRT: out of memory?); terminal restored"),
        "it says what happened:\n{screen}"
    );
    assert_eq!(tmux.query("#{alternate_on}"), "0");
    assert_eq!(tmux.query("#{mouse_any_flag}"), "0");
    assert_eq!(tmux.query("#{cursor_flag}"), "1");
    // Raw mode is off: a typed line runs.
    tmux.text("echo SANE-$((40+2))");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["SANE-42"]);
}

/// The command line that runs newsgloss on the workspace in `root`, then says how it exited.
pub(crate) fn newsgloss_in(root: &Path) -> String {
    format!(
        "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{root}/home' XDG_CACHE_HOME='{root}/home/cache' XDG_CONFIG_HOME='{root}/home/config' XDG_STATE_HOME='{root}/home/state' '{bin}' --content '{root}/content' --index '{root}/index' --annotations '{root}/annotations'; echo EXITED $?",
        root = root.display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
    )
}

/// One stored annotation: (tags, quote, start, end, note).
type Stored = (Vec<String>, String, usize, usize, Option<String>);

/// The store file's annotations.
fn stored(path: &Path) -> Vec<Stored> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(value) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let list = value
        .get("annotation")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|a| {
            let tags = a["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned())
                .collect();
            (
                tags,
                a["quote"].as_str().unwrap().to_owned(),
                a["start"].as_integer().unwrap() as usize,
                a["end"].as_integer().unwrap() as usize,
                a.get("note").and_then(|n| n.as_str()).map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn tag_claims_with_the_keyboard_and_the_mouse_then_see_them_coloured() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(repo().join("content").join(seed), content.join(seed)).unwrap();
    let tmux = Tmux::start(100, 30, root.path());
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER"]);
    // Keyboard: find the claim, go to its sentence's start, select the sentence, tag it, add a note.
    tmux.text("/monthly loss");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["match 1/1"]);
    tmux.text("(v)");
    tmux.wait_for(&["VISUAL", "200 chars"]);
    tmux.text("t");
    tmux.wait_for(&["Tag the selection"]);
    tmux.text("copilot-l");
    tmux.wait_for(&["Tag: copilot-l", "■ copilot-losses"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["Note · copilot-losses"]);
    tmux.text("WSJ: USD 20-80 per user a month.");
    tmux.keys(&["Enter"]);
    tmux.text("Not profitable.");
    tmux.keys(&["C-s"]);
    tmux.wait_for(&["tagged copilot-losses", "1 annotation"]);
    // Mouse: drag over "In comparison" (the first words of the next paragraph) and tag it.
    let screen = tmux.capture();
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("In comparison,"))
        .expect("the next paragraph is on screen");
    let column = line[..line.find("In comparison,").unwrap()].chars().count() + 1;
    tmux.mouse(0, column, row + 1, false);
    tmux.mouse(32, column + 6, row + 1, false);
    tmux.mouse(32, column + 12, row + 1, false);
    tmux.mouse(0, column + 12, row + 1, true);
    tmux.wait_for(&["VISUAL", "13 chars"]);
    tmux.text("t");
    tmux.text("market-o");
    tmux.wait_for(&["Tag: market-o"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["Note · market-outlook"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["tagged market-outlook", "2 annotations"]);
    // On disk at once, before quitting.
    let file = root
        .path()
        .join("annotations")
        .join("alibaba-cloud-spin-off.toml");
    let deadline = Instant::now() + Duration::from_secs(5);
    while stored(&file).len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The index catches up with the new note (on its own thread): search finds it.
    tmux.text("s");
    tmux.text("note:profitable");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !tmux.capture().contains("1 matching article") {
        assert!(
            Instant::now() < deadline,
            "the note was not indexed:\n{}",
            tmux.capture()
        );
        std::thread::sleep(Duration::from_millis(200));
        tmux.text(" "); // a new request for the same query
    }
    tmux.wait_for(&["✎ copilot-losses"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["READER"]);
    tmux.text("q");
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
    // The session is in the reader's log, in the user state dir, in order.
    let log = std::fs::read_to_string(root.path().join("home/state/newsgloss/newsgloss.log"))
        .expect("the reader's log");
    let mut at = 0;
    for step in [
        "reader opened",
        "index synced",
        "open id=\"alibaba-cloud-spin-off\"",
        "annotations saved",
        "search query=\"note:profitable",
        "reader closed",
    ] {
        at += log[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step} missing after byte {at} of the log:\n{log}"));
    }
    assert!(!log.contains('\u{1b}'), "{log}");
    let annotations = stored(&file);
    assert_eq!(
        annotations.len(),
        2,
        "{}",
        std::fs::read_to_string(&file).unwrap_or_default()
    );
    let (article, _) =
        newsgloss::article::Article::load("alibaba-cloud-spin-off", &content.join(seed), 8 << 20)
            .unwrap();
    let chars: Vec<char> = article.text.chars().collect();
    for (_, quote, start, end, _) in &annotations {
        assert_eq!(quote, &chars[*start..*end].iter().collect::<String>());
    }
    let (tags, quote, _, _, note) = &annotations[0];
    assert_eq!(tags, &["copilot-losses"]);
    assert_eq!(
        quote,
        "According to a Wall Street Journal report released in October this year, for every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80."
    );
    assert_eq!(
        note.as_deref(),
        Some("WSJ: USD 20-80 per user a month.\nNot profitable.")
    );
    assert_eq!(annotations[1].0, ["market-outlook"]);
    assert_eq!(annotations[1].1, "In comparison");
    // Reopen: the claim is drawn in its tag's colour (magenta: SGR 35, or 5 of 256).
    tmux.text("clear");
    tmux.keys(&["Enter"]);
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "2 annotations"]);
    tmux.text("]");
    tmux.wait_for(&["■ copilot-losses", "WSJ: USD 20-80"]);
    // Poll: a frame may be half written when the pane is read.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let coloured = tmux.capture_escapes();
        let line = coloured
            .lines()
            .find(|l| l.contains("Wall Street Journal"))
            .unwrap_or_default();
        if line.contains("\x1b[35m") || line.contains("\x1b[38;5;5m") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the claim is not drawn magenta:\n{coloured}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.text("c");
    tmux.wait_for(&[
        "CLAIMS",
        "2 claims in 1 article",
        "“According to a Wall Street",
    ]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["READER"]);
    tmux.text("q");
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
}
