//! Index and search benchmark: `cargo bench --bench index_search`.
//!
//! On `../shared/corpus/bbc` when it is there (else on a synthetic corpus of the same size), in one run:
//! - full index throughput (files read, parsed, indexed) against tantivy alone indexing the same plain
//!   texts from memory with the same schema;
//! - an `index` with nothing changed, against the full index;
//! - 1-2 word searches, top 20 with snippets, p50/p99, against `rg -l -i -w` (or `grep -r -l -i -w`
//!   where rg is missing) over the same files.
//!
//! Prints a Markdown table (the README's Performance table) and writes it to `target/bench-index-search.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use newsgloss::content;
use newsgloss::index::{ArticleIndex, SyncOptions};

const QUERIES: &[&str] = &[
    "election",
    "broadband",
    "film",
    "chelsea",
    "microsoft",
    "tax",
    "gadget",
    "music",
    "oil",
    "court",
    "mobile phone",
    "interest rates",
    "prime minister",
    "video game",
    "world cup",
    "record profit",
];
const ROUNDS: usize = 3;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let work = tempfile::tempdir().expect("temp dir");
    let (corpus, name) = corpus(work.path(), quick);
    let scan = content::scan(&corpus).expect("corpus scans");
    let bytes: u64 = scan.files.iter().map(|f| f.size).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {name}: {} files, {mb:.1} MB", scan.files.len());

    let rounds = if quick { 1 } else { ROUNDS };
    let mut full = Vec::new();
    let mut alone = Vec::new();
    let mut unchanged = Vec::new();
    let mut index_dir = PathBuf::new();
    for round in 0..rounds {
        index_dir = work.path().join(format!("index-{round}"));
        let (index, _) = ArticleIndex::open(&index_dir).expect("index opens");
        let started = Instant::now();
        let scan = content::scan(&corpus).expect("corpus scans");
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .expect("sync");
        full.push(started.elapsed());
        let started = Instant::now();
        let scan = content::scan(&corpus).expect("corpus scans");
        let report = index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .expect("sync");
        unchanged.push(started.elapsed());
        assert!(!report.committed);
        alone.push(tantivy_alone(work.path(), &scan, round));
    }
    let full = median(&mut full);
    let alone = median(&mut alone);
    let unchanged = median(&mut unchanged);

    let (index, _) = ArticleIndex::open(&index_dir).expect("index opens");
    let mut latencies = Vec::new();
    for _ in 0..if quick { 3 } else { 50 } {
        for query in QUERIES {
            let started = Instant::now();
            let results = index.search(query, 20, 200).expect("search");
            latencies.push(started.elapsed());
            std::hint::black_box(results);
        }
    }
    latencies.sort();
    let p50 = percentile(&latencies, 50.0);
    let p99 = percentile(&latencies, 99.0);
    let (grep_name, grep) = grep_baseline(&corpus, if quick { 1 } else { 5 });

    let rows = [
        row(
            "full index, MB/s",
            format!("{:.1} MB/s", mb / full.as_secs_f64()),
            "tantivy alone, same texts from memory",
            format!("{:.1} MB/s", mb / alone.as_secs_f64()),
            format!("{:.2}", alone.as_secs_f64() / full.as_secs_f64()),
        ),
        row(
            "`index` with nothing changed",
            ms(unchanged),
            "the full index",
            ms(full),
            format!("{:.3}", unchanged.as_secs_f64() / full.as_secs_f64()),
        ),
        row(
            "search p50, 1-2 words, top 20 + snippets",
            ms(p50),
            &format!("`{grep_name}` over the files"),
            ms(grep),
            format!("{:.0}x faster", grep.as_secs_f64() / p50.as_secs_f64()),
        ),
        row(
            "search p99, 1-2 words, top 20 + snippets",
            ms(p99),
            &format!("`{grep_name}` over the files"),
            ms(grep),
            format!("{:.0}x faster", grep.as_secs_f64() / p99.as_secs_f64()),
        ),
    ];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut table = format!(
        "Measured{} on {cores} cores, corpus {name} ({} files, {mb:.1} MB), median of {rounds} runs, warm cache.\n\n\
         | figure | newsgloss | baseline (same run) | baseline | ratio |\n| --- | --- | --- | --- | --- |\n",
        if quick { " (quick mode)" } else { "" },
        scan.files.len()
    );
    for r in rows {
        table.push_str(&r);
    }
    println!("\n{table}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-index-search.md");
    std::fs::write(&out, &table).expect("results written");
    println!("written to {}", out.display());
}

fn row(figure: &str, value: String, baseline: &str, base: String, ratio: String) -> String {
    format!("| {figure} | {value} | {baseline} | {base} | {ratio} |\n")
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The bbc corpus, or a synthetic one of about its size.
fn corpus(work: &Path, quick: bool) -> (PathBuf, String) {
    let bbc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc");
    if bbc.is_dir() && !quick {
        return (bbc, "shared/corpus/bbc".into());
    }
    if !bbc.is_dir() {
        println!("notice: ../shared/corpus/bbc is not here; using a synthetic corpus");
    }
    let dir = work.join("synthetic");
    let count = if quick { 300 } else { 2225 };
    synthetic(&dir, count, 42);
    (dir, format!("synthetic ({count} articles, seed 42)"))
}

/// Deterministic English-like articles: words drawn with a Zipf-like skew from a fixed vocabulary.
fn synthetic(dir: &Path, count: usize, seed: u64) {
    std::fs::create_dir_all(dir).expect("dir");
    let vocabulary: Vec<&str> = QUERIES
        .iter()
        .flat_map(|q| q.split(' '))
        .chain("the of and to in a is that for it as was with be by on not he this are or his from at which \
                but have an they you were her she there been one all we their has would when if so no will"
            .split(' '))
        .collect();
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..count {
        let words = 300 + next() % 1500;
        let mut body = String::new();
        for w in 0..words {
            let r = next() % 1000;
            let rank = (r * r) / (1000 * 1000 / vocabulary.len().max(1)) % vocabulary.len();
            body.push_str(vocabulary[rank]);
            body.push(if w % 120 == 119 { '\n' } else { ' ' });
            if w % 120 == 119 {
                body.push('\n');
            }
        }
        let text = format!("+++\ntitle = \"Synthetic {i}\"\nsource = \"Bench\"\n+++\n\n{body}\n");
        std::fs::write(dir.join(format!("{i:05}.md")), text).expect("write");
    }
}

/// tantivy alone: the same schema and documents, texts already in memory.
fn tantivy_alone(work: &Path, scan: &content::Scan, round: usize) -> Duration {
    let mut warnings = Vec::new();
    let articles: Vec<_> = scan
        .files
        .iter()
        .filter_map(|f| content::load(f, 1 << 23, &mut warnings))
        .collect();
    let (schema, fields) = newsgloss::index::schema::build();
    let dir = work.join(format!("alone-{round}"));
    std::fs::create_dir_all(&dir).expect("dir");
    let index = tantivy::Index::create_in_dir(&dir, schema).expect("index");
    newsgloss::index::schema::register_tokenizers(index.tokenizers());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let started = Instant::now();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, 200 << 20)
        .expect("writer");
    for article in &articles {
        let doc = newsgloss::index::document_for(&fields, article, &[]);
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
    started.elapsed()
}

/// The median time of `rg -l -i -w WORD` (or grep) over the corpus for the one-word queries.
fn grep_baseline(corpus: &Path, rounds: usize) -> (String, Duration) {
    let rg = Command::new("rg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let name = if rg {
        "rg -l -i -w"
    } else {
        "grep -r -l -i -w"
    };
    let mut times = Vec::new();
    for _ in 0..rounds {
        for query in QUERIES.iter().filter(|q| !q.contains(' ')) {
            let mut cmd = if rg {
                Command::new("rg")
            } else {
                Command::new("grep")
            };
            if !rg {
                cmd.arg("-r");
            }
            cmd.args(["-l", "-i", "-w", query]).arg(corpus);
            let started = Instant::now();
            cmd.output().expect("grep runs");
            times.push(started.elapsed());
        }
    }
    (name.to_owned(), median(&mut times))
}
