//! Figures of the release binary as a user runs it: `newsgloss search` end to end, the peak memory of
//! `newsgloss index` (the child's max RSS from `wait4`), and the memory of the reader open on a corpus
//! (run in a tmux of its own, read from /proc once the index is reconciled).
//!
//! Each run gets an empty home and config dir, so no user config or cache takes part.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::index::{Target, grep_baseline};
use crate::report::{Row, Rows, median, ms, speedup};
use crate::tmux::Pane;

pub const BIN: &str = env!("CARGO_BIN_EXE_newsgloss");

/// `newsgloss` with the corpus's paths and an empty home.
fn newsgloss(target: &Target, index_dir: &Path, home: &Path) -> Command {
    std::fs::create_dir_all(home).expect("home made");
    let mut cmd = Command::new(BIN);
    cmd.current_dir(home)
        .env_remove("NEWSGLOSS_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_CACHE_HOME", home)
        .env("XDG_STATE_HOME", home)
        .env("NO_COLOR", "1")
        .arg("--content")
        .arg(&target.content)
        .arg("--index")
        .arg(index_dir);
    if let Some(dir) = &target.annotations {
        cmd.arg("--annotations").arg(dir);
    }
    cmd
}

/// `newsgloss search WORD` (process start, open, top 20 with snippets, exit) against the grep baseline.
pub fn end_to_end(target: &Target, index_dir: &Path, work: &Path, quick: bool, rows: &mut Rows) {
    let rounds = if quick { 1 } else { 7 };
    let mut times = Vec::new();
    for round in 0..=rounds {
        for word in &target.queries.words {
            let mut cmd = newsgloss(target, index_dir, &work.join("home"));
            cmd.args(["search", "--limit", "20", "--", word]);
            let started = Instant::now();
            let out = cmd.output().expect("newsgloss runs");
            let took = started.elapsed();
            assert!(
                out.status.success(),
                "newsgloss search failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if round > 0 {
                times.push(took);
            }
        }
    }
    let ours = median(&mut times);
    let (grep, name) = grep_baseline(&target.content, &target.queries.words, rounds);
    let faster = grep.as_secs_f64() / ours.as_secs_f64();
    rows.push(
        Row::new(
            &target.name,
            "`newsgloss search WORD` end to end (median)",
            ms(ours),
        )
        .baseline(
            format!("`{name}` over the files: {}", ms(grep)),
            speedup(grep, ours),
        )
        .goal("≥ 5x faster", (!quick).then_some(faster >= 5.0)),
    );
}

/// `newsgloss search --limit 20 QUERY`, timed and its heap sampled (refused queries exit 2).
pub fn search_measured(target: &Target, index_dir: &Path, work: &Path, query: &str) -> Measured {
    let mut cmd = newsgloss(target, index_dir, &work.join("home"));
    cmd.args(["search", "--limit", "20", "--", query]);
    run_measured(cmd, &work.join("search.stderr"))
}

/// What [`run_measured`] saw of a child.
pub struct Measured {
    pub took: Duration,
    /// The peak resident set (`ru_maxrss` from `wait4`), mapped index files included.
    max_rss: u64,
    /// The peak of its anonymous memory (heap, stacks), sampled from /proc every 10 ms.
    pub peak_anon: u64,
    /// Its own high-water mark of resident memory (`VmHWM`, which starts afresh at exec, unlike
    /// `ru_maxrss`, which can carry the parent's size over a fork), as last sampled.
    pub peak_hwm: u64,
    pub ok: bool,
}

/// One field of /proc/PID/status, in bytes.
pub fn proc_status(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map(|kib| kib * 1024)
}

/// Runs `cmd` to its end, sampling its anonymous memory, and reaps it with `wait4` for its peak RSS.
// The child is reaped by `wait4` (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn run_measured(mut cmd: Command, stderr: &Path) -> Measured {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let log = std::fs::File::create(stderr).expect("log file");
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("newsgloss starts");
    let id = child.id();
    let (done, peak, hwm) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let sampler = {
        let (done, peak, hwm) = (done.clone(), peak.clone(), hwm.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(anon) = proc_status(id, "RssAnon:") {
                    peak.fetch_max(anon, Ordering::Relaxed);
                }
                if let Some(mark) = proc_status(id, "VmHWM:") {
                    hwm.fetch_max(mark, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let pid = id as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; status and usage are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler ends");
    assert_eq!(reaped, pid, "wait4 reaped the child");
    Measured {
        took,
        // Linux reports ru_maxrss in KiB.
        max_rss: usage.ru_maxrss as u64 * 1024,
        peak_anon: peak.load(Ordering::Relaxed),
        peak_hwm: hwm.load(Ordering::Relaxed),
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
    }
}

pub fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// `newsgloss index` of the whole corpus into an empty index: peak RSS and wall time.
pub fn index_memory(target: &Target, work: &Path, rows: &mut Rows) {
    let index_dir = work.join("index-by-binary");
    let log = work.join("index.stderr");
    let mut cmd = newsgloss(target, &index_dir, &work.join("home"));
    cmd.arg("index");
    let run = run_measured(cmd, &log);
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(run.ok, "newsgloss index failed: {stderr}");
    rows.push(
        Row::new(
            &target.name,
            "peak memory of `newsgloss index` into an empty index: heap (RssAnon, sampled)",
            mb(run.peak_anon),
        )
        .baseline(
            format!(
                "max RSS with mapped index files: {}; wall time {}",
                mb(run.max_rss),
                ms(run.took)
            ),
            String::new(),
        )
        .goal("< 500 MB", target.at_100k(run.peak_anon < 500_000_000)),
    );
    let _ = std::fs::remove_dir_all(&index_dir);
}

/// The reader (`newsgloss`) in a 200x60 tmux pane until the status bar says the index is reconciled;
/// its peak and resident memory from /proc.
pub fn reader_memory(target: &Target, index_dir: &Path, work: &Path, rows: &mut Rows) {
    if !Pane::available() {
        println!("notice: tmux is not here; the reader's memory is not measured");
        return;
    }
    let home = work.join("home");
    let cmd = newsgloss(target, index_dir, &home);
    let started = Instant::now();
    let pane = Pane::start("reader", &cmd, 200, 60);
    let reconciled = pane
        .wait_for(started, Duration::from_secs(600), |screen| {
            screen.contains("index up to date") || screen.contains("changed article")
        })
        .is_some();
    let pid = pane.pid();
    let field = |name: &str| pid.and_then(|pid| proc_status(pid, name));
    let (peak, resident, anon) = (field("VmHWM:"), field("VmRSS:"), field("RssAnon:"));
    drop(pane);
    let (Some(peak), Some(resident), Some(anon), true) = (peak, resident, anon, reconciled) else {
        println!(
            "notice: the reader did not report its memory (reconciled: {reconciled}, pid {pid:?})"
        );
        return;
    };
    rows.push(
        Row::new(
            &target.name,
            "peak memory (VmHWM) of the reader, open and reconciled",
            mb(peak),
        )
        .baseline(
            format!(
                "resident after: {} ({} not file-backed)",
                mb(resident),
                mb(anon)
            ),
            String::new(),
        )
        .goal("< 150 MB", target.at_100k(peak < 150_000_000)),
    );
}
