//! The cost of freshness and of the worst queries: the check that brings the index up to date before a
//! command answers (nothing changed: one `stat` per file), a search with it against the same search
//! without, and the worst queries we could build run by the release binary, each timed and its heap
//! sampled.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use newsgloss::index::ArticleIndex;

use crate::index::Target;
use crate::report::{Row, Rows, median, ms};

/// The check alone, and a 1-2 word search with and without it (top 20, snippets of 200 characters).
pub fn freshness_figures(target: &Target, index_dir: &Path, quick: bool, rows: &mut Rows) {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let options = target.sync_options();
    let refresh = |index: &ArticleIndex| {
        index
            .refresh(&target.content, &options, Duration::ZERO, &|_, _| {})
            .expect("refresh")
    };
    refresh(&index);
    let rounds = if quick { 3 } else { 15 };
    let (mut checks, mut with, mut without) = (Vec::new(), Vec::new(), Vec::new());
    let queries: Vec<&String> = target
        .queries
        .words
        .iter()
        .chain(&target.queries.pairs)
        .collect();
    for round in 0..rounds {
        let query = queries[round % queries.len()];
        let started = Instant::now();
        std::hint::black_box(refresh(&index));
        checks.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(search(&index, query));
        without.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(refresh(&index));
        std::hint::black_box(search(&index, query));
        with.push(started.elapsed());
    }
    let (check, with, without) = (median(&mut checks), median(&mut with), median(&mut without));
    let n = &target.name;
    rows.push(
        Row::new(
            n,
            "freshness check before a command, nothing changed",
            ms(check),
        )
        .goal(
            "< 500 ms",
            target.at_100k(check < Duration::from_millis(500)),
        ),
    );
    rows.push(
        Row::new(
            n,
            "search with the freshness check, 1-2 words (median)",
            ms(with),
        )
        .baseline(
            format!("the same search without it: {}", ms(without)),
            format!("{:.1}", with.as_secs_f64() / without.as_secs_f64()),
        ),
    );
}

fn search(index: &ArticleIndex, query: &str) -> usize {
    index.search(query, 20, 200).expect("search").hits.len()
}

/// Sixteen of the commonest English words (the same as the integration test's worst queries).
const COMMON: &str = "the of to and a in is for said it on that was he be with";

/// The worst queries we could build (see `tests/query_cost.rs`, which checks each is answered or
/// refused): long sloppy phrases of common words, many phrases, many `OR`s, phrase prefixes.
pub fn worst_queries() -> Vec<String> {
    let words: Vec<&str> = COMMON.split(' ').collect();
    let sloppy_pairs: String = words.iter().map(|w| format!("\"{w} the\"~10 ")).collect();
    vec![
        format!("\"{}\"~1000", words[..8].join(" ")),
        format!("\"{COMMON}\"~10"),
        format!("\"{}\"~10", "the ".repeat(16)),
        format!("\"{}\"", "the ".repeat(17)),
        words.join(" OR "),
        "the ".repeat(64),
        sloppy_pairs.repeat(4),
        "\"the a*\" \"of b*\" \"to c*\" \"and d*\" \"in e*\"".into(),
        format!("{0} {0} {0} {0}", "\"the of to and\"~10"),
    ]
}

/// Each worst query through `newsgloss search`, three times (a single wall-clock run on a shared machine
/// can be an outlier): the slowest median and the largest heap of them all.
pub fn worst_query_figures(target: &Target, index_dir: &Path, work: &Path, rows: &mut Rows) {
    let queries = worst_queries();
    let (mut slowest, mut heap, mut refused) = (Duration::ZERO, 0u64, 0usize);
    for query in &queries {
        let mut took = Vec::new();
        for round in 0..3 {
            let run = crate::process::search_measured(target, index_dir, work, query);
            took.push(run.took);
            heap = heap.max(run.peak_anon);
            if round == 0 {
                refused += usize::from(!run.ok);
            }
        }
        slowest = slowest.max(crate::report::median(&mut took));
    }
    rows.push(
        Row::new(
            &target.name,
            &format!(
                "the {} worst queries end to end ({refused} refused): slowest (median of 3), largest heap",
                queries.len()
            ),
            format!("{}, {:.0} MB", ms(slowest), heap as f64 / 1e6),
        )
        .goal(
            "< 1 s and < 100 MB",
            Some(slowest < Duration::from_secs(1) && heap < 100_000_000),
        ),
    );
}

/// `--fresh-index INDEX CONTENT [ANNOTATIONS] [ROUNDS]`: `newsgloss index` as a user runs it (the release
/// binary spawned, process start included) on an index already built of CONTENT, with nothing changed
/// and with one file changed (a line appended, a different file each round, its bytes put back after),
/// ROUNDS times (5 unless given). With `NEWSGLOSS_BENCH_BIN=PATH` that build runs beside this one, the
/// two alternating in every round on the same index, so that a loaded machine weighs on both alike.
/// INDEX and CONTENT are changed (then put back): give copies, never the cached corpus.
pub fn profile_fresh(args: &[String]) {
    let usage = "--fresh-index INDEX CONTENT [ANNOTATIONS] [ROUNDS]";
    let index = Path::new(args.first().expect(usage));
    let content = Path::new(args.get(1).expect(usage));
    let rest: Vec<&String> = args
        .iter()
        .skip(2)
        .take_while(|a| !a.starts_with("--"))
        .collect();
    let annotations = rest.iter().find(|a| a.parse::<usize>().is_err());
    let rounds = rest
        .iter()
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(5);
    let mut builds = vec![("this build".to_owned(), PathBuf::from(crate::process::BIN))];
    if let Some(other) = std::env::var_os("NEWSGLOSS_BENCH_BIN") {
        builds.push((format!("{}", Path::new(&other).display()), other.into()));
    }
    let home = tempfile::tempdir().expect("an empty home");
    let run = |bin: &Path| -> Duration {
        let mut cmd = Command::new(bin);
        cmd.current_dir(home.path())
            .env_remove("NEWSGLOSS_CONFIG")
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env("XDG_CACHE_HOME", home.path())
            .env("XDG_STATE_HOME", home.path())
            .arg("--content")
            .arg(content)
            .arg("--index")
            .arg(index);
        if let Some(dir) = annotations {
            cmd.arg("--annotations").arg(dir);
        }
        let started = Instant::now();
        let out = cmd.arg("index").output().expect("newsgloss runs");
        let took = started.elapsed();
        assert!(
            out.status.success(),
            "newsgloss index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        took
    };
    // Brought up to date once by each build, so that every round starts from a current index.
    for (_, bin) in &builds {
        run(bin);
    }
    let files = newsgloss::content::scan(content)
        .expect("content scans")
        .files;
    let mut times = vec![(Vec::new(), Vec::new()); builds.len()];
    for round in 0..rounds {
        for (b, (name, bin)) in builds.iter().enumerate() {
            let unchanged = run(bin);
            let file = &files[(round * builds.len() + b) * 7919 % files.len()];
            let bytes = std::fs::read(&file.path).expect("article reads");
            let mut changed = bytes.clone();
            changed.extend_from_slice(b"\nA late correction about the budget was added.\n");
            std::fs::write(&file.path, changed).expect("article changed");
            let one = run(bin);
            std::fs::write(&file.path, &bytes).expect("article put back");
            run(bin);
            println!(
                "round {round}: {name}: nothing changed {}, one file changed {}",
                ms(unchanged),
                ms(one)
            );
            times[b].0.push(unchanged);
            times[b].1.push(one);
        }
    }
    for ((name, _), (unchanged, one)) in builds.iter().zip(&mut times) {
        println!(
            "median of {rounds}: {name}: nothing changed {}, one file changed {}",
            ms(median(unchanged)),
            ms(median(one))
        );
    }
}
