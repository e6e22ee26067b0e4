//! Index and search figures: the full index against tantivy alone, an unchanged and a one-file sync,
//! 1-2 word and phrase searches, and `rg -l -i -w` (or grep) over the same files as the baseline.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use newsgloss::annotation::{Annotation, AnnotationStore};
use newsgloss::content;
use newsgloss::index::{ArticleIndex, Page, SyncOptions};

use crate::report::{Row, Rows, median, ms, percentile, speedup};

/// A corpus the suite runs on.
pub struct Target {
    pub name: String,
    pub content: PathBuf,
    pub annotations: Option<PathBuf>,
    /// Whether the issue's goals stated for 100,000 articles apply.
    pub at_100k: bool,
    pub queries: Queries,
}

impl Target {
    pub fn sync_options(&self) -> SyncOptions {
        SyncOptions {
            annotations_dir: self.annotations.clone(),
            ..SyncOptions::default()
        }
    }

    /// Whether a goal stated for 100k applies: `Some(met)` at 100k, else `None`.
    pub fn at_100k(&self, met: bool) -> Option<bool> {
        self.at_100k.then_some(met)
    }
}

/// The queries: single words (also the grep baseline's), word pairs, and phrases.
#[derive(Clone)]
pub struct Queries {
    pub words: Vec<String>,
    pub pairs: Vec<String>,
    pub phrases: Vec<String>,
}

/// Runs `rounds` full indexes (each followed by an unchanged sync) and tantivy alone as many times, then
/// one-file changes; returns the last index's dir.
pub fn index_figures(target: &Target, work: &Path, rounds: usize, rows: &mut Rows) -> PathBuf {
    let scan = content::scan(&target.content).expect("corpus scans");
    let mb = scan.files.iter().map(|f| f.size).sum::<u64>() as f64 / 1e6;
    println!("{}: {} files, {mb:.1} MB", target.name, scan.files.len());
    let options = target.sync_options();
    let alone_input = AloneInput::load(&scan, target.annotations.as_deref());
    let (mut full, mut alone, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    let mut index_dir = PathBuf::new();
    for round in 0..rounds {
        if round > 0 {
            std::fs::remove_dir_all(&index_dir).expect("old index removed");
        }
        index_dir = work.join(format!("index-{round}"));
        let (index, _) = ArticleIndex::open(&index_dir).expect("index opens");
        // As `newsgloss index` does it: the scan, and beside it what it is compared with.
        let sync = || {
            index
                .scan_and_sync(&target.content, &options, &|_, _| {})
                .expect("sync")
                .1
        };
        let started = Instant::now();
        sync();
        full.push(started.elapsed());
        for _ in 0..3 {
            let started = Instant::now();
            let report = sync();
            unchanged.push(started.elapsed());
            assert!(!report.committed, "an unchanged sync wrote nothing");
        }
        alone.push(alone_input.index(work, round));
        println!(
            "  round {round}: full {}, tantivy alone {}",
            ms(full[round]),
            ms(alone[round])
        );
    }
    let (full, alone, unchanged) = (
        median(&mut full),
        median(&mut alone),
        median(&mut unchanged),
    );
    let ratio = alone.as_secs_f64() / full.as_secs_f64();
    let n = &target.name;
    rows.push(
        Row::new(
            n,
            "full index, MB/s of article text",
            format!("{:.1} MB/s", mb / full.as_secs_f64()),
        )
        .baseline(
            format!(
                "tantivy alone, same texts from memory: {:.1} MB/s",
                mb / alone.as_secs_f64()
            ),
            format!("{ratio:.2}"),
        )
        .goal("≥ 0.75", Some(ratio >= 0.75)),
    );
    let share = unchanged.as_secs_f64() / full.as_secs_f64();
    rows.push(
        Row::new(n, "`index` with nothing changed", ms(unchanged))
            .baseline(
                format!("the full index: {}", ms(full)),
                format!("{share:.3}"),
            )
            .goal(
                "< 100 ms and < 0.05",
                target.at_100k(unchanged < Duration::from_millis(100) && share < 0.05),
            ),
    );
    let changed = one_changed(target, &index_dir, if rounds > 1 { 5 } else { 1 });
    rows.push(
        Row::new(n, "`index` with one file changed", ms(changed)).goal(
            "< 200 ms",
            target.at_100k(changed < Duration::from_millis(200)),
        ),
    );
    index_dir
}

/// The texts and claims in memory, for tantivy alone.
struct AloneInput {
    articles: Vec<newsgloss::article::Article>,
    claims: HashMap<String, Vec<Annotation>>,
}

impl AloneInput {
    fn load(scan: &content::Scan, annotations: Option<&Path>) -> AloneInput {
        let mut warnings = Vec::new();
        let articles = scan
            .files
            .iter()
            .filter_map(|f| content::load(f, 1 << 23, &mut warnings))
            .collect();
        let claims = annotations
            .map(|dir| {
                AnnotationStore::new(dir)
                    .load_all()
                    .articles
                    .into_iter()
                    .map(|f| (f.article, f.annotations))
                    .collect()
            })
            .unwrap_or_default();
        AloneInput { articles, claims }
    }

    /// tantivy alone: the same schema, writer memory and threads as `index`, the documents built from
    /// texts already in memory.
    fn index(&self, work: &Path, round: usize) -> Duration {
        let (schema, fields) = newsgloss::index::schema::build();
        let dir = work.join(format!("alone-{round}"));
        std::fs::create_dir_all(&dir).expect("dir");
        let index = tantivy::Index::create_in_dir(&dir, schema).expect("index");
        newsgloss::index::schema::register_tokenizers(index.tokenizers());
        let defaults = SyncOptions::default();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        let started = Instant::now();
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(threads, defaults.writer_memory_mib << 20)
            .expect("writer");
        for article in &self.articles {
            let claims = self.claims.get(&article.id).map_or(&[][..], Vec::as_slice);
            let doc = newsgloss::index::document_for(&fields, article, claims);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        writer.wait_merging_threads().expect("merge");
        let took = started.elapsed();
        drop(index);
        std::fs::remove_dir_all(&dir).expect("alone index removed");
        took
    }
}

/// Puts a file's old bytes back when dropped, so the cached corpus stays as generated.
struct Restore(PathBuf, Vec<u8>);

impl Drop for Restore {
    fn drop(&mut self) {
        std::fs::write(&self.0, &self.1).expect("changed file restored");
    }
}

/// The median time of `index` (scan and sync) after one file changed, over `rounds` files.
fn one_changed(target: &Target, index_dir: &Path, rounds: usize) -> Duration {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let options = target.sync_options();
    let files = content::scan(&target.content).expect("scan").files;
    let mut times = Vec::new();
    for round in 0..rounds {
        let file = &files[(round * 7919 + files.len() / 3) % files.len()];
        let bytes = std::fs::read(&file.path).expect("article reads");
        let restore = Restore(file.path.clone(), bytes.clone());
        let mut changed = bytes;
        changed.extend_from_slice(b"\nA late correction about the budget was added.\n");
        std::fs::write(&file.path, changed).expect("article changed");
        let sync = || {
            index
                .scan_and_sync(&target.content, &options, &|_, _| {})
                .expect("sync")
                .1
        };
        let started = Instant::now();
        let report = sync();
        times.push(started.elapsed());
        assert_eq!(report.updated, 1, "one file changed");
        drop(restore);
        sync();
    }
    median(&mut times)
}

/// 1-2 word and phrase searches (top 20, snippets of 200 characters), p50 and p99, against grep.
pub fn search_figures(target: &Target, index_dir: &Path, quick: bool, rows: &mut Rows) {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let q = &target.queries;
    let words: Vec<&String> = q.words.iter().chain(&q.pairs).collect();
    let rounds = if quick { 3 } else { 50 };
    let mut latencies = times(&index, &words, rounds);
    let phrases: Vec<&String> = q.phrases.iter().collect();
    let mut phrase_latencies = times(&index, &phrases, if quick { 3 } else { 20 });
    let (grep, name) = grep_baseline(&target.content, &q.words, if quick { 1 } else { 5 });
    let n = &target.name;
    for (p, label) in [(50.0, "p50"), (99.0, "p99")] {
        let at = percentile(&mut latencies, p);
        let faster = grep.as_secs_f64() / at.as_secs_f64();
        let row = Row::new(
            n,
            &format!("search {label}, 1-2 words, top 20 + snippets"),
            ms(at),
        )
        .baseline(
            format!("`{name}` over the files: {}", ms(grep)),
            speedup(grep, at),
        );
        rows.push(if p == 99.0 {
            row.goal(
                "< 5 ms and ≥ 100x faster",
                target.at_100k(at < Duration::from_millis(5) && faster >= 100.0),
            )
        } else {
            row
        });
    }
    let p99 = percentile(&mut phrase_latencies, 99.0);
    let p50 = percentile(&mut phrase_latencies, 50.0);
    rows.push(
        Row::new(
            n,
            "phrase search p99 (p50), top 20 + snippets",
            format!("{} ({})", ms(p99), ms(p50)),
        )
        .goal("< 60 ms", target.at_100k(p99 < Duration::from_millis(60))),
    );
}

/// `--search-index DIR`: the search latencies alone, on an index already built (for profiling).
pub fn profile_search(index_dir: &Path, queries: &Queries) {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    for (label, list) in [
        (
            "1-2 words",
            [&queries.words[..], &queries.pairs[..]].concat(),
        ),
        ("phrases", queries.phrases.clone()),
    ] {
        let list: Vec<&String> = list.iter().collect();
        let mut latencies = times(&index, &list, 20);
        let (p50, p99) = (
            percentile(&mut latencies, 50.0),
            percentile(&mut latencies, 99.0),
        );
        println!("{label}: p50 {}, p99 {}", ms(p50), ms(p99));
        for query in &list {
            let mut one = times(&index, &[*query], 10);
            println!("  {query}: median {}", ms(median(&mut one)));
        }
    }
}

/// `--search-dump DIR`: every result of the search set and of a few more queries (pages, newest first,
/// claims, CJK, operators) as JSON lines, hits, scores, snippets, highlights, claims and counts, so that
/// two builds' outputs can be compared byte for byte.
pub fn dump_search(index_dir: &Path, queries: &Queries) {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let extra = [
        "the",
        "the of",
        "\"prime minister\"~2",
        "clo*",
        "-the police",
        "police OR court",
        "title:police",
        "tag:outage",
        "note:filings",
        "tag:chip-restrictions police",
        "芯片",
        "半导体 市场",
        "東京",
        "\"interest rates\" -the",
        "zzzznothing",
        "published:[2024-01-01 TO 2024-06-30] court",
    ];
    let all = [&queries.words[..], &queries.pairs, &queries.phrases].concat();
    for query in all.iter().map(String::as_str).chain(extra) {
        for (offset, newest_first) in [(0, false), (20, false), (0, true), (20, true)] {
            let page = Page {
                offset,
                limit: 20,
                newest_first,
            };
            let results = index.search_page(query, page, 200).expect("search");
            let line = serde_json::json!({
                "query": query,
                "offset": offset,
                "newest_first": newest_first,
                "total": results.total,
                "notices": results.notices,
                "hits": results.hits,
            });
            println!("{line}");
        }
    }
}

fn times(index: &ArticleIndex, queries: &[&String], rounds: usize) -> Vec<Duration> {
    let mut latencies = Vec::new();
    // One round first, not timed, as the grep baseline has its warming run: the first query of each
    // term reads its part of the index from the page cache into the searcher.
    for query in queries {
        std::hint::black_box(index.search(query, 20, 200).expect("search"));
    }
    for _ in 0..rounds {
        for query in queries {
            let started = Instant::now();
            let results = index.search(query, 20, 200).expect("search");
            latencies.push(started.elapsed());
            std::hint::black_box(results);
        }
    }
    latencies
}

/// Whether rg is on the PATH; grep -r is the baseline where it is not.
pub fn grep_command() -> (Command, &'static str) {
    let rg = Command::new("rg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if rg {
        let mut cmd = Command::new("rg");
        cmd.args(["-l", "-i", "-w"]);
        (cmd, "rg -l -i -w")
    } else {
        let mut cmd = Command::new("grep");
        cmd.args(["-r", "-l", "-i", "-w"]);
        (cmd, "grep -r -l -i -w")
    }
}

/// The median time of the grep baseline over `dir` for each word, after one warming run.
pub fn grep_baseline(dir: &Path, words: &[String], rounds: usize) -> (Duration, &'static str) {
    let mut times = Vec::new();
    let mut name = "";
    for round in 0..=rounds {
        for word in words {
            let (mut cmd, n) = grep_command();
            name = n;
            cmd.arg(word).arg(dir);
            let started = Instant::now();
            let out = cmd.output().expect("grep runs");
            if round > 0 {
                times.push(started.elapsed());
            }
            std::hint::black_box(out);
        }
    }
    (median(&mut times), name)
}
