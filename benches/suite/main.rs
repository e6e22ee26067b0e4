//! The performance suite: `cargo bench --bench suite` measures every figure of the README's Performance
//! table, each against its baseline in the same run, on generated corpora of 100,000, 20,000 and 10,000
//! articles and on `../shared/corpus/bbc` when it is there; writes `target/bench/results.md` and `.json`
//! and rewrites the README's table. `cargo bench --bench suite -- --quick` runs every figure once on 300
//! generated articles (CI), checks that the generator is deterministic, and leaves the README alone.

mod corpus;
mod fresh;
mod index;
mod peer;
mod process;
mod reader;
mod report;
mod tmux;
mod trace;
mod words;

use std::path::Path;

use index::{Queries, Target};
use report::Rows;

const SEED: u64 = 2026;

fn main() {
    // `cargo bench` adds `--bench` to a harness-less bench's arguments: not an argument of ours (and
    // never a DIR for `--corpora`).
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    if let Some(at) = args.iter().position(|a| a == "--search-index") {
        let dir = args.get(at + 1).expect("--search-index DIR");
        return index::profile_search(Path::new(dir), &generated_queries());
    }
    if let Some(at) = args.iter().position(|a| a == "--search-dump") {
        let dir = args.get(at + 1).expect("--search-dump DIR");
        return index::dump_search(Path::new(dir), &generated_queries());
    }
    if let Some(at) = args.iter().position(|a| a == "--reader-index") {
        let arg = |i: usize| {
            Path::new(
                args.get(at + i)
                    .expect("--reader-index INDEX CONTENT ANNOTATIONS"),
            )
        };
        let target = Target {
            name: "given corpus".into(),
            content: arg(2).to_owned(),
            annotations: Some(arg(3).to_owned()),
            at_100k: true,
            queries: generated_queries(),
        };
        return reader::app_figures(&target, arg(1), false, &mut Rows::default());
    }
    if let Some(at) = args.iter().position(|a| a == "--fresh-index") {
        return fresh::profile_fresh(&args[at + 1..]);
    }
    if let Some(at) = args.iter().position(|a| a == "--trace-index") {
        let arg = |i: usize| Path::new(args.get(at + i).expect("--trace-index INDEX ANNOTATIONS"));
        return trace::profile_trace(arg(1), arg(2), 5);
    }
    if let Some(at) = args.iter().position(|a| a == "--peer-screens") {
        return peer_screens(&args[at + 1..]);
    }
    if let Some(at) = args.iter().position(|a| a == "--peer") {
        return peer_alone(&args[at + 1..]);
    }
    if let Some(at) = args.iter().position(|a| a == "--corpora") {
        return make_corpora(args.get(at + 1).map(Path::new));
    }
    let quick = args.iter().any(|a| a == "--quick");
    let machine = report::machine();
    let started = std::time::Instant::now();
    let bench_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&bench_dir).expect("target/bench made");
    let work = tempfile::tempdir_in(&bench_dir).expect("a work dir");
    let (_, grep) = index::grep_command();
    let mut rows = Rows::default();
    let mut notes = vec![format!(
        "Measured {} with `cargo bench --bench suite{}`; warm file cache; the grep baseline is `{grep}`.",
        time::OffsetDateTime::now_utc().date(),
        if quick { " -- --quick" } else { "" }
    )];
    if quick {
        quick_run(work.path(), &mut rows, &mut notes);
    } else {
        full_run(work.path(), &mut rows, &mut notes);
    }
    reader::frame_figures(quick, &mut rows);
    notes.push(format!(
        "The suite took {:.0} s.",
        started.elapsed().as_secs_f64()
    ));
    let markdown = report::write_results(&machine, &notes.join("\n"), &rows.0, quick);
    if !quick {
        report::rewrite_readme(&markdown);
    }
}

/// 300 generated articles, every figure once; the generator is checked for determinism.
fn quick_run(work: &Path, rows: &mut Rows, notes: &mut Vec<String>) {
    let corpus = corpus::cached(300, SEED);
    let again = corpus::generate(&work.join("again"), 300, SEED);
    assert_eq!(
        again.digest, corpus.digest,
        "the generator gives the same files for the same seed"
    );
    let other = corpus::generate(&work.join("other"), 300, SEED + 1);
    assert_ne!(
        other.digest, corpus.digest,
        "another seed gives other files"
    );
    std::fs::remove_dir_all(work.join("again")).expect("removed");
    std::fs::remove_dir_all(work.join("other")).expect("removed");
    notes.push(describe(&corpus));
    let target = generated(&corpus, false);
    let index_dir = index::index_figures(&target, work, 1, rows);
    index::search_figures(&target, &index_dir, true, rows);
    trace::trace_figures(&target, &index_dir, true, rows);
    fresh::freshness_figures(&target, &index_dir, true, rows);
    fresh::worst_query_figures(&target, &index_dir, work, rows);
    process::end_to_end(&target, &index_dir, work, true, rows);
    reader::app_figures(&target, &index_dir, true, rows);
    process::index_memory(&target, work, rows);
    process::reader_memory(&target, &index_dir, work, rows);
    let feed = peer::PeerFeed {
        name: corpus.name(),
        content: corpus.content(),
        items: 300,
        word: target.queries.words[0].clone(),
        goals: false,
    };
    peer::peer_figures(&feed, work, 1, rows);
}

/// 100k (every figure), 20k (end to end), 10k and bbc (index and search).
fn full_run(work: &Path, rows: &mut Rows, notes: &mut Vec<String>) {
    let big = corpus::cached(100_000, SEED);
    notes.push(describe(&big));
    let target = generated(&big, true);
    let index_dir = index::index_figures(&target, &work.join("100k"), 3, rows);
    index::search_figures(&target, &index_dir, false, rows);
    trace::trace_figures(&target, &index_dir, false, rows);
    fresh::freshness_figures(&target, &index_dir, false, rows);
    fresh::worst_query_figures(&target, &index_dir, work, rows);
    reader::app_figures(&target, &index_dir, false, rows);
    process::reader_memory(&target, &index_dir, work, rows);
    process::index_memory(&target, work, rows);
    std::fs::remove_dir_all(work.join("100k")).expect("removed");

    let mid = corpus::cached(20_000, SEED);
    notes.push(describe(&mid));
    let target = generated(&mid, false);
    let index_dir = work.join("20k");
    let (index, _) = newsgloss::index::ArticleIndex::open(&index_dir).expect("index opens");
    let scan = newsgloss::content::scan(&target.content).expect("scans");
    index
        .sync(&scan, &target.sync_options(), &|_, _| {})
        .expect("sync");
    drop(index);
    process::end_to_end(&target, &index_dir, work, false, rows);
    std::fs::remove_dir_all(&index_dir).expect("removed");
    let feed = peer::PeerFeed {
        name: mid.name(),
        content: mid.content(),
        items: 20_000,
        word: target.queries.words[0].clone(),
        goals: true,
    };
    peer::peer_figures(&feed, work, 3, rows);

    let small = corpus::cached(10_000, SEED);
    notes.push(describe(&small));
    let target = generated(&small, false);
    let index_dir = index::index_figures(&target, &work.join("10k"), 3, rows);
    index::search_figures(&target, &index_dir, false, rows);
    trace::trace_figures(&target, &index_dir, false, rows);
    std::fs::remove_dir_all(work.join("10k")).expect("removed");

    let bbc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc");
    if !bbc.is_dir() {
        println!(
            "notice: ../shared/corpus/bbc is not here; the suite runs on generated corpora only"
        );
        return;
    }
    let target = Target {
        name: "shared/corpus/bbc".into(),
        content: bbc,
        annotations: None,
        at_100k: false,
        queries: bbc_queries(),
    };
    let index_dir = index::index_figures(&target, &work.join("bbc"), 3, rows);
    index::search_figures(&target, &index_dir, false, rows);
    fresh::worst_query_figures(&target, &index_dir, work, rows);
    let feed = peer::PeerFeed {
        name: target.name.clone(),
        content: target.content.clone(),
        items: 2_225,
        word: target.queries.words[0].clone(),
        goals: false,
    };
    peer::peer_figures(&feed, work, 3, rows);
}

/// `--peer-screens N|DIR [ROUNDS]`: the readers' launch, search and memory beside newsboat on the N-item
/// feed of the smallest cached corpus that has N articles (or on every article of DIR, searched for the
/// BBC queries' first word), fetched once, `ROUNDS` (5) times each. With `NEWSGLOSS_BENCH_KEEP` set, the
/// two workspaces are kept (their directory is printed) for profiling a reader by hand.
fn peer_screens(args: &[String]) {
    let number = |i: usize| {
        args.get(i)
            .and_then(|a| a.replace('_', "").parse::<usize>().ok())
    };
    let rounds = number(1).unwrap_or(5);
    let feed = match (number(0), args.first().map(Path::new)) {
        (Some(items), _) => {
            let size = [10_000, 20_000, 100_000]
                .into_iter()
                .find(|&size| size >= items)
                .unwrap_or(items);
            let corpus = corpus::cached(size, SEED);
            peer::PeerFeed {
                name: corpus.name(),
                content: corpus.content(),
                items,
                word: generated_queries().words[0].clone(),
                goals: items == 20_000,
            }
        }
        (None, Some(dir)) if dir.is_dir() => peer::PeerFeed {
            name: dir.display().to_string(),
            content: dir.to_owned(),
            items: usize::MAX,
            word: bbc_queries().words[0].clone(),
            goals: false,
        },
        _ => panic!("--peer-screens N|DIR [ROUNDS]"),
    };
    let bench_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&bench_dir).expect("target/bench made");
    let work = tempfile::tempdir_in(&bench_dir).expect("a work dir");
    let mut rows = Rows::default();
    peer::screens_figures(&feed, work.path(), rounds, &mut rows);
    if std::env::var_os("NEWSGLOSS_BENCH_KEEP").is_some() {
        println!(
            "the workspaces are kept in {}",
            work.keep().join("peer").display()
        );
    }
}

/// `--peer N [BINARY...]`: the feed figures alone on the first N articles of the cached 20k corpus, this
/// build and each binary given taking turns with newsboat, three rounds.
fn peer_alone(args: &[String]) {
    let items: usize = args
        .first()
        .and_then(|n| n.parse().ok())
        .expect("--peer N [BINARY...]");
    let others: Vec<std::path::PathBuf> = args[1..]
        .iter()
        .take_while(|a| !a.starts_with("--"))
        .map(Into::into)
        .collect();
    let mid = corpus::cached(20_000, SEED);
    let feed = peer::PeerFeed {
        name: mid.name(),
        content: mid.content(),
        items,
        word: String::new(),
        goals: items == 20_000,
    };
    let bench_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&bench_dir).expect("target/bench made");
    let work = tempfile::tempdir_in(&bench_dir).expect("a work dir");
    peer::peer_alone(&feed, work.path(), 3, &others);
}

/// Generates (or finds cached) the full run's corpora, and with `index_dir` indexes the 100k one there, so
/// that the profiling modes (`--search-index`, `--reader-index`) have something to run on.
fn make_corpora(index_dir: Option<&Path>) {
    for size in [100_000, 20_000, 10_000] {
        println!("{}", describe(&corpus::cached(size, SEED)));
    }
    if let Some(dir) = index_dir {
        let target = generated(&corpus::cached(100_000, SEED), true);
        let started = std::time::Instant::now();
        let (index, _) = newsgloss::index::ArticleIndex::open(dir).expect("index opens");
        let scan = newsgloss::content::scan(&target.content).expect("scans");
        index
            .sync(&scan, &target.sync_options(), &|_, _| {})
            .expect("sync");
        println!(
            "indexed {} into {} in {:.1} s",
            target.name,
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
}

fn describe(corpus: &corpus::Corpus) -> String {
    format!(
        "{}: {} articles, {:.0} MB, {} annotations (digest {}).",
        corpus.name(),
        corpus.articles,
        corpus.bytes as f64 / 1e6,
        corpus.annotations,
        &corpus.digest[..12]
    )
}

fn generated(corpus: &corpus::Corpus, at_100k: bool) -> Target {
    Target {
        name: corpus.name(),
        content: corpus.content(),
        annotations: Some(corpus.annotations_dir()),
        at_100k,
        queries: generated_queries(),
    }
}

/// Words across the frequency range of the generated text (by rank), pairs of them, and phrases.
fn generated_queries() -> Queries {
    let vocabulary = corpus::Vocabulary::new();
    let word = |rank: usize| vocabulary.english.words[rank].clone();
    let words = [
        120, 140, 165, 190, 230, 280, 350, 450, 700, 1200, 3000, 8000,
    ]
    .map(word)
    .to_vec();
    let pairs = [
        (125, 300),
        (150, 420),
        (200, 260),
        (135, 600),
        (180, 2000),
        (240, 380),
    ]
    .map(|(a, b)| format!("{} {}", word(a), word(b)))
    .to_vec();
    let phrases = words::COLLOCATIONS[..8]
        .iter()
        .map(|p| format!("\"{p}\""))
        .chain([121, 160, 210, 320].map(|r| format!("\"the {}\"", word(r))))
        .collect();
    Queries {
        words,
        pairs,
        phrases,
    }
}

fn bbc_queries() -> Queries {
    let list = |s: &str| s.split(',').map(str::to_owned).collect::<Vec<_>>();
    Queries {
        words: list("election,broadband,film,chelsea,microsoft,tax,gadget,music,oil,court"),
        pairs: list(
            "mobile phone,interest rates,prime minister,video game,world cup,record profit",
        ),
        phrases: list(
            "\"mobile phone\",\"interest rates\",\"prime minister\",\"video game\",\"world cup\",\"the government\"",
        ),
    }
}
