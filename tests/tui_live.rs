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

/// How much work process `pid` has done so far: the CPU time of its main thread, which runs the event
/// loop (in clock ticks), and the bytes it has read (its terminal input among them); `None` once it is
/// gone. An idle reader changes neither: its input thread's polls count on that thread only.
fn work_done(pid: &str) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/stat")).ok()?;
    // After the command name (in parentheses, and it may hold spaces), utime and stime are the 12th
    // and 13th fields.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    let read = io
        .lines()
        .find_map(|l| l.strip_prefix("rchar: "))?
        .parse()
        .ok()?;
    Some((ticks, read))
}

/// How long the reader may do no work at all before a wait gives up on it.
const IDLE: Duration = Duration::from_secs(20);

/// Polls the pane until `ready` holds for it. It waits as long as the reader `pid` keeps working, so a
/// loaded machine, which makes the reader slow, never fails it; it fails, with the screen, once the
/// reader has done no work for [`IDLE`] with `ready` still false (stuck, or waiting for input that
/// never comes).
fn until_done(tmux: &Tmux, pid: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    let (mut last, mut worked) = (work_done(pid), Instant::now());
    loop {
        let screen = tmux.capture();
        if ready(&screen) {
            eprintln!("{what}: after {} ms", started.elapsed().as_millis());
            return screen;
        }
        let now = work_done(pid);
        if now.is_some() && now != last {
            (last, worked) = (now, Instant::now());
        }
        assert!(
            worked.elapsed() < IDLE,
            "{what}: not on screen, and the reader did no work for {IDLE:?}; the screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// 130 KB pasted at once into the search box: the line keeps its cap (1,024 chars) and says so once,
/// and the reader's peak memory stays under [`MEMORY_GOAL`]. Every wait is for what the screen shows,
/// as long as the reader works (on a loaded machine the paste takes it minutes, not seconds).
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
        "sh -c 'echo $$ > \"{}.new\"; mv \"{0}.new\" \"{0}\"; exec \"$@\"' sh {}",
        pidfile.display(),
        newsgloss_in(root.path())
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    let started = Instant::now();
    let pid = loop {
        if let Ok(pid) = std::fs::read_to_string(&pidfile) {
            break pid.trim().to_owned();
        }
        assert!(started.elapsed() < IDLE, "the reader never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    let has =
        |needles: &'static [&'static str]| move |s: &str| needles.iter().all(|n| s.contains(n));
    until_done(
        &tmux,
        &pid,
        "the library",
        has(&["LIBRARY", "Alibaba Cloud calls off"]),
    );
    let before = peak_memory(&pid).expect("the reader's memory");
    tmux.text("/");
    until_done(&tmux, &pid, "the search box", has(&["Search:"]));
    // The paste ends in twelve backspaces (DEL, which the terminal sends for the key) and a word of
    // twelve letters: once the whole paste is handled, with no key after it, the line holds its first
    // 1,012 chars and the word (1,024 chars again, so the cut is not said a second time).
    let paste = root.path().join("paste.txt");
    let text = "export restrictions ".repeat(6_500) + &"\u{7f}".repeat(12) + "zeppelinword";
    std::fs::write(&paste, text).unwrap();
    tmux.run(&["load-buffer", paste.to_str().unwrap()]);
    tmux.run(&["paste-buffer", "-t", "0"]);
    let screen = until_done(&tmux, &pid, "the whole paste handled", |s| {
        s.lines().any(|l| {
            l.starts_with("Search:")
                && l.contains("restrictions export restrzeppelinword")
                && l.trim_end().ends_with("zeppelinword")
        })
    });
    assert!(!screen.contains("LIBRARY"), "{screen}");
    tmux.keys(&["Escape"]);
    until_done(&tmux, &pid, "the library again", has(&["LIBRARY"]));
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
    until_done(&tmux, &pid, "the message log", has(&["Messages:"]));
    tmux.text("gg");
    let screen = until_done(
        &tmux,
        &pid,
        "the cut in the log",
        has(&["Messages:", "input cut at"]),
    );
    assert_eq!(screen.matches("input cut at").count(), 1, "{screen}");
    // An Esc and a key read together are one key, Alt and the key: the log is closed before `q`.
    tmux.keys(&["Escape"]);
    until_done(&tmux, &pid, "the log closed", |s| !s.contains("Messages:"));
    tmux.text("q");
    until_done(&tmux, &pid, "the exit", has(&["EXITED 0"]));
}
