//! Crashes: `newsgloss annotate` and `newsgloss index` killed with SIGKILL at seeded random moments.
//! After every kill the store files parse and hold every acknowledged annotation, the index opens and
//! holds the last committed state or the next, and the next run needs no clean-up.
//!
//! `NEWSGLOSS_KILL_ROUNDS` sets the number of rounds (200 for annotations and 50 for the index by
//! default) and `NEWSGLOSS_KILL_SEED` the seed, for a longer run:
//! `NEWSGLOSS_KILL_ROUNDS=5000 cargo test --test main crashes -- --nocapture`.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use newsgloss::annotation::AnnotationStore;

use crate::support::{Workspace, article, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const CHIPS: &str = "export restrictions on advanced computing chips";

/// A small seeded generator (splitmix64), so that a failing round can be replayed.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("NEWSGLOSS_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x6e65_7773_676c_6f73);
        println!("kill seed: {seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A delay between zero and `max`.
    fn delay(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

fn rounds(default: usize) -> usize {
    std::env::var("NEWSGLOSS_KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Runs `cmd`, kills it with SIGKILL after `delay` unless it ended first; returns its stdout and whether
/// it was killed.
fn kill_after(mut cmd: std::process::Command, delay: Duration) -> (String, bool) {
    let mut child: Child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let deadline = Instant::now() + delay;
    while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        std::thread::sleep(left.min(Duration::from_micros(200)));
    }
    let killed = matches!(child.try_wait(), Ok(None)) && child.kill().is_ok();
    let status = child.wait().expect("waits");
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    if !killed {
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        assert!(status.success(), "an unkilled run failed: {status}: {err}");
    }
    (out, killed)
}

/// The store's temp files (`.<name>.tmp.<pid>.<n>`) anywhere under `dir`.
fn temp_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .map(|e| e.path().to_owned())
        .collect()
}

/// How long an unkilled run of `cmd` takes (the median of three).
fn duration_of(make: impl Fn() -> std::process::Command) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let (_, killed) = kill_after(make(), Duration::from_secs(60));
            assert!(!killed);
            started.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

#[test]
fn sigkill_during_annotation_saves_loses_nothing_acknowledged() {
    let ws = Workspace::with_seed();
    let dir = ws.root.path().join("annotations");
    let annotate = || {
        let mut cmd = ws.process();
        cmd.args([
            "annotate",
            SEED,
            "--quote",
            CHIPS,
            "--tag",
            "chip-restrictions",
        ]);
        cmd
    };
    // Three unkilled runs measure how long one takes; their annotations are acknowledged too.
    let max = duration_of(annotate).mul_f64(1.5);
    let mut acknowledged = ids_in(&ws);
    assert_eq!(acknowledged.len(), 3);
    let mut rng = Rng::from_env();
    let store = AnnotationStore::new(&dir);
    let (mut killed, mut strays) = (0, 0);
    let started = Instant::now();
    let rounds = rounds(200);
    for round in 0..rounds {
        let (out, was_killed) = kill_after(annotate(), rng.delay(max));
        killed += usize::from(was_killed);
        // An id is acknowledged once its whole line is out.
        let lines = out.split_inclusive('\n').filter(|l| l.ends_with('\n'));
        acknowledged.extend(lines.map(|l| l.trim_end().to_owned()));
        let corpus = store.load_all();
        assert!(
            corpus.errors.is_empty(),
            "round {round}: {:?}",
            corpus.errors
        );
        let stored: HashSet<String> = store
            .load(SEED)
            .unwrap()
            .annotations
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        let lost: Vec<&String> = acknowledged.difference(&stored).collect();
        assert!(lost.is_empty(), "round {round}: lost {lost:?}");
        strays += usize::from(!temp_files(&dir).is_empty());
    }
    // The next write removes whatever temp file the last kill left (listing only reads, so it does not).
    let (out, was_killed) = kill_after(annotate(), Duration::from_secs(60));
    assert!(!was_killed);
    acknowledged.extend(out.lines().map(str::to_owned));
    assert_eq!(temp_files(&dir), Vec::<std::path::PathBuf>::new());
    let stored = store.load(SEED).unwrap().annotations.len();
    println!(
        "{rounds} rounds in {:.1} s (kill within {} ms): {killed} killed, {} acknowledged, \
         {stored} stored, 0 lost, 0 unparsable; a temp file left after {strays} rounds, removed on the next start",
        started.elapsed().as_secs_f64(),
        max.as_millis(),
        acknowledged.len()
    );
}

/// The ids of the seed's stored annotations.
fn ids_in(ws: &Workspace) -> HashSet<String> {
    let store = AnnotationStore::new(ws.root.path().join("annotations"));
    let file = store.load(SEED).unwrap();
    file.annotations.iter().map(|a| a.id.to_string()).collect()
}

/// Writes 60 articles; the first `marked` of them hold the word "zebra".
fn write_articles(ws: &Workspace, marked: usize, round: usize) {
    for i in 0..60 {
        let word = if i < marked { "zebra" } else { "horse" };
        let body = format!(
            "Round {round}. The {word} crossed the river at dawn. Export restrictions on chips \
             hurt the cloud business, article {i}.\n\n{}",
            "Analysts expect a slower quarter for the whole industry. ".repeat(20)
        );
        ws.write(
            &format!("a{i:02}.md"),
            article(&format!("Story {i}"), "", &body),
        );
    }
}

/// How many articles `search zebra` finds, and whether the index had to be rebuilt to answer.
fn zebras(ws: &Workspace) -> (usize, bool) {
    let output = ws
        .cmd()
        .args(["search", "zebra", "--limit", "100", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "search failed: {stderr}");
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (hits.as_array().unwrap().len(), stderr.contains("moved it"))
}

#[test]
fn sigkill_during_index_and_commit_leaves_the_last_or_the_next_state() {
    let ws = Workspace::new();
    write_articles(&ws, 10, 0);
    let index = |rebuild: bool| {
        let mut cmd = ws.process();
        cmd.arg("index");
        if rebuild {
            cmd.arg("--rebuild");
        }
        cmd
    };
    let max = duration_of(|| index(true));
    let mut committed = 10;
    assert_eq!(zebras(&ws), (committed, false));
    let mut rng = Rng::from_env();
    let (mut killed, mut next, mut rebuilt) = (0, 0, 0);
    let started = Instant::now();
    let rounds = rounds(50);
    for round in 1..=rounds {
        let marked = (round * 7) % 41 + 1;
        write_articles(&ws, marked, round);
        // Half the kills land late in the run, where the commit is.
        let delay = match round % 2 {
            0 => rng.delay(max.mul_f64(1.2)),
            _ => max.mul_f64(0.6) + rng.delay(max.mul_f64(0.6)),
        };
        let (_, was_killed) = kill_after(index(round % 3 == 0), delay);
        killed += usize::from(was_killed);
        let (found, had_to_rebuild) = zebras(&ws);
        assert!(
            found == committed || found == marked,
            "round {round}: {found} hits; the last committed state had {committed}, the next {marked}"
        );
        next += usize::from(found == marked && marked != committed);
        rebuilt += usize::from(had_to_rebuild);
        committed = found;
        if round % 5 == 0 {
            // The next run needs no clean-up.
            stdout_of(ws.cmd().arg("index"));
            assert_eq!(zebras(&ws), (marked, false), "round {round}");
            committed = marked;
        }
    }
    println!(
        "{rounds} rounds in {:.1} s (kill within {} ms): {killed} killed, the next state in {next}, \
         the last committed one in the others, rebuilt after damage {rebuilt} times",
        started.elapsed().as_secs_f64(),
        max.mul_f64(1.2).as_millis(),
    );
    assert_eq!(rebuilt, 0, "a killed index was damaged");
}
