//! The reader in a real terminal while other programs change its workspace: the command line, a hand
//! edit, a new file and a deleted file each show on every screen within a second, without a restart.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support;
use crate::tui::{Tmux, have_tmux, newsgloss_in};

/// How long a change made outside the reader is waited for on its screen. Without the watcher it never
/// comes; how soon it comes is printed (speed is the performance suite's business, not a test's).
const LIVE: Duration = Duration::from_secs(15);

/// Polls the pane until `ready` holds for it, at most `within` after `since`; panics with the screen.
fn shown_within(tmux: &Tmux, since: Instant, what: &str, ready: impl Fn(&str) -> bool) -> String {
    loop {
        let screen = tmux.capture();
        if ready(&screen) {
            eprintln!("{what}: on screen after {} ms", since.elapsed().as_millis());
            return screen;
        }
        if since.elapsed() > LIVE {
            panic!("{what}: not on screen within {LIVE:?}; the screen:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs the command line on the workspace in `root`, as a second program would.
fn newsgloss(root: &Path, args: &[&str]) {
    let out = support::isolated(root)
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
}

#[test]
fn changes_from_outside_show_on_every_screen() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(
        support::repo().join("content").join(seed),
        content.join(seed),
    )
    .unwrap();
    let doomed = content.join("doomed-story.md");
    std::fs::write(
        &doomed,
        support::article("A story about to be deleted", "", "Gone soon."),
    )
    .unwrap();
    let tmux = Tmux::start(100, 30, root.path());
    tmux.text(&newsgloss_in(root.path()));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&[
        "LIBRARY",
        "Alibaba Cloud calls off",
        "A story about to be deleted",
    ]);
    tmux.wait_for(&["indexed 2 changed articles"]);

    // A deleted file leaves the library.
    let since = Instant::now();
    std::fs::remove_file(&doomed).unwrap();
    shown_within(&tmux, since, "the deleted article gone", |s| {
        !s.contains("A story about to be deleted") && s.contains("1/1")
    });

    // A new file comes in.
    let since = Instant::now();
    let fresh = support::article("Freshly written by hand", "", "A brand new story.");
    std::fs::write(content.join("fresh-story.md"), fresh).unwrap();
    shown_within(&tmux, since, "the new article", |s| {
        s.contains("Freshly written by hand") && s.contains("1/2")
    });

    // Open the seed article; the command line annotates it: the open article shows the claim.
    tmux.text("/");
    tmux.text("Alibaba");
    tmux.wait_for(&["1 matching article"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "On November 16"]);
    let since = Instant::now();
    newsgloss(
        root.path(),
        &[
            "annotate",
            "alibaba-cloud-spin-off",
            "--quote",
            "Q2 2023 financial report",
            "--tag",
            "outage",
        ],
    );
    shown_within(&tmux, since, "the claim in the open article", |s| {
        s.contains("1 annotation")
    });

    // A hand edit of the open article: the new word is on screen, the cursor where it was.
    let since = Instant::now();
    let path = content.join(seed);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("On November 16,", "Zeppelinword. On November 16,");
    std::fs::write(&path, edited).unwrap();
    shown_within(&tmux, since, "the new word in the open article", |s| {
        s.contains("Zeppelinword. On November 16") && s.contains("1 annotation")
    });

    // The library's Claims column, a tag: search typed in the reader, and the claims view agree.
    tmux.text("q");
    tmux.wait_for(&["SEARCH"]);
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for(&["LIBRARY"]);
    let row = screen
        .lines()
        .find(|l| l.contains("Alibaba Cloud calls"))
        .unwrap();
    assert!(row.contains(" 1 ■"), "the Claims column:\n{screen}");
    tmux.text("/");
    tmux.wait_for(&["Search: Alibaba"]);
    tmux.keys(&["BSpace"; 7]);
    tmux.text("tag:outage");
    tmux.wait_for(&["1 matching article", "Alibaba Cloud calls off"]);
    tmux.keys(&["BSpace"; 10]);
    tmux.text("zeppelinword");
    tmux.wait_for(&["1 matching article", "Alibaba Cloud calls off"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("c");
    tmux.wait_for(&["1 claim in 1 article", "Q2 2023 financial report"]);

    // A second annotation from the command line while the claims view is open, and a search is kept.
    let since = Instant::now();
    newsgloss(
        root.path(),
        &[
            "annotate",
            "alibaba-cloud-spin-off",
            "--quote",
            "terminate the Alibaba Cloud spin-off",
            "--tag",
            "outage",
            "--tag",
            "ipo",
        ],
    );
    shown_within(&tmux, since, "the new claim in the claims view", |s| {
        s.contains("2 claims in 1 article") && s.contains("terminate the Alibaba Cloud spin-off")
    });
    tmux.keys(&["C-c"]);
    tmux.wait_for(&["EXITED 0"]);
}

/// The memory goal of the reader, in bytes.
const MEMORY_GOAL: u64 = 150 << 20;

/// The peak resident memory of process `pid` so far (Linux: `VmHWM`), in bytes.
fn peak_memory(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib << 10)
}

#[test]
fn a_huge_paste_into_the_search_box_is_cut_at_the_cap_and_costs_no_memory() {
    if !have_tmux() || !Path::new("/proc/self/status").exists() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(
        support::repo().join("content").join(seed),
        content.join(seed),
    )
    .unwrap();
    let pidfile = root.path().join("pid");
    let tmux = Tmux::start(100, 30, root.path());
    // The shell writes its pid, then becomes the reader.
    let command = format!(
        "sh -c 'echo $$ > \"{}\"; exec \"$@\"' sh {}",
        pidfile.display(),
        newsgloss_in(root.path())
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off"]);
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_owned();
    let before = peak_memory(&pid).expect("the reader's memory");
    // 130 KB of text, pasted at once into the search box.
    let paste = root.path().join("paste.txt");
    std::fs::write(&paste, "export restrictions ".repeat(6_500)).unwrap();
    tmux.text("/");
    tmux.wait_for(&["Search:"]);
    tmux.run(&["load-buffer", paste.to_str().unwrap()]);
    tmux.run(&["paste-buffer", "-t", "0"]);
    // The cut is said once, in the status bar until the next message (the searches of the text so far
    // follow it), and so in the message log, which is checked below.
    tmux.wait_for(&["Search:", "restrictions export restrictions"]);
    // tmux writes a large paste over a few seconds, and an Esc sent meanwhile lands inside it (as
    // alt and a char): Esc again until the library is back, which is once the whole paste is handled.
    let started = Instant::now();
    while !tmux.capture().contains("LIBRARY") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the paste was never handled"
        );
        tmux.keys(&["Escape"]);
        std::thread::sleep(Duration::from_millis(700));
    }
    let after = peak_memory(&pid).expect("the reader's memory");
    eprintln!(
        "peak memory: {} MiB before the paste, {} MiB after",
        before >> 20,
        after >> 20
    );
    assert!(
        after < MEMORY_GOAL,
        "peak memory {} MiB (before the paste {} MiB), over the goal of {} MiB",
        after >> 20,
        before >> 20,
        MEMORY_GOAL >> 20
    );
    // The message is in the log once, not once per char cut.
    // The log opens on its newest messages (the searches of the cut text); its top holds the cut.
    tmux.text("L");
    tmux.wait_for(&["Messages:"]);
    tmux.text("gg");
    let screen = tmux.wait_for(&["Messages:", "input cut at"]);
    assert_eq!(screen.matches("input cut at").count(), 1, "{screen}");
    tmux.keys(&["Escape"]);
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
}
