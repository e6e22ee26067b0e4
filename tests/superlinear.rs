//! Superlinear checks: every parser of untrusted text (front matter, the Markdown renderer, the cleaner,
//! the annotation store loader, the TOML import, the query wrapper, and anchoring) is run on an input of n
//! repeated patterns and on one of 2n, for several adversarial patterns each; doing twice the input may
//! take at most [`MAX_RATIO`] times as long. Linear work gives about 2, quadratic work about 4.
//!
//! What is measured is the CPU time of the test's own thread (`CLOCK_THREAD_CPUTIME_ID`), not the wall
//! clock: time spent waiting for a core on this shared 2-core machine does not count. Counting
//! instructions would be exact, but this machine's virtual CPU has no hardware counters (`perf stat -e
//! instructions` says "not supported"), and counting allocations misses loops that do not allocate. So
//! the noise is handled instead: n is grown until one run takes at least [`MIN_CPU`], the two sizes are
//! measured [`ROUNDS`] times interleaved and the minimum of each is kept, and a ratio over the limit is
//! measured again, up to [`ATTEMPTS`] times, before the check fails (a real superlinear cost stays near 4
//! every time; noise does not). Nothing here says how fast anything must be: only how its cost grows.

use std::path::Path;
use std::time::Duration;

use newsgloss::annotation::{
    Annotation, AnnotationStore, ArticleAnnotations, anchor, import, parse_export,
};
use newsgloss::article::Article;
use newsgloss::article::clean::{clean_line, clean_text};
use newsgloss::article::plain::markdown_to_plain;
use newsgloss::index::ArticleIndex;

/// The most that twice the input may cost, as a multiple of the cost of the input: 2^1.5, halfway
/// (in the exponent) between linear work (2) and quadratic work (4). Linear work whose larger input
/// leaves the cache measured up to 2.7 here while other tests ran on both cores.
const MAX_RATIO: f64 = 2.83;
/// One measured run of the smaller input takes at least this long.
const MIN_CPU: Duration = Duration::from_millis(12);
/// How many times each size is measured, interleaved, per attempt.
const ROUNDS: usize = 5;
/// How many attempts a ratio over the limit gets.
const ATTEMPTS: usize = 3;

/// The CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to write into.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The CPU time of `reps` runs of `run` on `input`.
fn cost<I>(input: &I, reps: usize, run: &impl Fn(&I)) -> Duration {
    let start = thread_cpu_time();
    for _ in 0..reps {
        run(input);
    }
    thread_cpu_time() - start
}

/// One pattern of one parser: how an input of `n` repeats is made, and what is done with it.
struct Case<'a, I> {
    name: &'a str,
    /// The number of repeats to start from; it is doubled until a run takes [`MIN_CPU`].
    start: usize,
    /// The most repeats the smaller input may have (the query cap, or memory); runs of that size are
    /// repeated instead until they take [`MIN_CPU`].
    max: usize,
    make: &'a dyn Fn(usize) -> I,
    run: &'a dyn Fn(&I),
}

/// The outcome of one case: its sizes, the minimum CPU time of each, and their ratio.
#[derive(Debug)]
struct Measured {
    n: usize,
    reps: usize,
    small: Duration,
    large: Duration,
    ratio: f64,
}

impl<I> Case<'_, I> {
    /// The n (and repetitions) at which one measurement of the smaller input takes [`MIN_CPU`].
    fn calibrate(&self) -> (usize, usize) {
        let run = |input: &I| (self.run)(input);
        let mut n = self.start;
        loop {
            let spent = cost(&(self.make)(n), 1, &run);
            if spent >= MIN_CPU {
                return (n, 1);
            }
            if n * 2 > self.max {
                let per_run = spent.max(Duration::from_micros(1));
                let reps = MIN_CPU.as_nanos().div_ceil(per_run.as_nanos()) as usize;
                return (n, reps.max(1));
            }
            n *= 2;
        }
    }

    /// Measures n and 2n, [`ROUNDS`] times interleaved, keeping the minimum of each.
    fn measure(&self, n: usize, reps: usize) -> Measured {
        let run = |input: &I| (self.run)(input);
        let (small_input, large_input) = ((self.make)(n), (self.make)(2 * n));
        let (mut small, mut large) = (Duration::MAX, Duration::MAX);
        for round in 0..ROUNDS {
            // Alternate which size goes first, so that neither always runs on a warmed cache.
            if round % 2 == 0 {
                small = small.min(cost(&small_input, reps, &run));
                large = large.min(cost(&large_input, reps, &run));
            } else {
                large = large.min(cost(&large_input, reps, &run));
                small = small.min(cost(&small_input, reps, &run));
            }
        }
        Measured {
            n,
            reps,
            small,
            large,
            ratio: large.as_secs_f64() / small.as_secs_f64().max(1e-9),
        }
    }

    /// Checks the case, printing its numbers; a ratio over the limit on every attempt is returned as
    /// an error.
    fn check(&self) -> Result<Measured, String> {
        let (n, reps) = self.calibrate();
        let mut ratios = Vec::new();
        for _ in 0..ATTEMPTS {
            let measured = self.measure(n, reps);
            println!(
                "{:<40} n={:<8} reps={:<5} {:>9.2?} {:>9.2?} ratio {:.2}",
                self.name,
                measured.n,
                measured.reps,
                measured.small,
                measured.large,
                measured.ratio
            );
            if measured.ratio <= MAX_RATIO {
                return Ok(measured);
            }
            ratios.push(format!("{:.2}", measured.ratio));
        }
        Err(format!(
            "{}: twice the input cost {} times as much (n = {n})",
            self.name,
            ratios.join(", ")
        ))
    }
}

/// Checks every case of one parser; the failures are reported together.
fn check_all<I>(cases: &[Case<'_, I>]) {
    let failures: Vec<String> = cases.iter().filter_map(|c| c.check().err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A case on text: `pattern` repeated n times between `before` and `after`.
fn text_case<'a>(
    name: &'a str,
    make: &'a dyn Fn(usize) -> String,
    run: &'a dyn Fn(&String),
) -> Case<'a, String> {
    Case {
        name,
        start: 64,
        max: 1 << 22,
        make,
        run,
    }
}

/// A case on a file of many records (annotations, tombstones, articles), which each cost much more than
/// a character: it starts at 2,048 records, where a cost per record that grows with the records before it
/// shows (a merge that scanned every stored annotation cost 3.4 times as much for twice 4,096, but only 2.2
/// times for twice 256).
fn records_case<'a>(
    name: &'a str,
    make: &'a dyn Fn(usize) -> String,
    run: &'a dyn Fn(&String),
) -> Case<'a, String> {
    Case {
        start: 2048,
        ..text_case(name, make, run)
    }
}

fn repeat(before: &str, pattern: &str, n: usize, after: &str) -> String {
    format!("{before}{}{after}", pattern.repeat(n))
}

/// Parses an article file; the result (Ok or Err) is what a caller would get.
fn parse_article(source: &str) {
    let _ = std::hint::black_box(Article::parse("a", source));
}

#[test]
fn a_quadratic_cost_is_caught_and_a_linear_one_passes() {
    // Each character compared with every other: quadratic in the input.
    let quadratic = |input: &String| {
        let bytes = input.as_bytes();
        let same = bytes
            .iter()
            .map(|a| bytes.iter().filter(|b| *b == a).count())
            .sum::<usize>();
        std::hint::black_box(same);
    };
    let linear = |input: &String| {
        std::hint::black_box(input.bytes().filter(|b| *b == b'a').count());
    };
    let make = |n: usize| repeat("", "ab", n, "");
    let quadratic = text_case("quadratic", &make, &quadratic);
    let err = quadratic.check().expect_err("a quadratic cost is caught");
    assert!(err.starts_with("quadratic: twice the input cost"), "{err}");
    text_case("linear", &make, &linear)
        .check()
        .expect("a linear cost passes");
}

#[test]
fn front_matter_is_linear() {
    let run = |input: &String| parse_article(input);
    let fm = |body: &str| format!("+++\ntitle = \"T\"\n{body}+++\n\nBody.\n");
    check_all(&[
        text_case(
            "front matter: unknown keys",
            &|n| fm(&(0..n).map(|i| format!("k{i} = 1\n")).collect::<String>()),
            &run,
        ),
        text_case(
            "front matter: escapes in a title",
            &|n| repeat("+++\ntitle = \"", "a\\u001b[31m\\t", n, "\"\n+++\n"),
            &run,
        ),
        text_case(
            "front matter: tags",
            &|n| {
                let tags: Vec<String> = (0..n).map(|i| format!("\"t{i}\"")).collect();
                fm(&format!("tags = [{}]\n", tags.join(", ")))
            },
            &run,
        ),
        text_case(
            "front matter: nested arrays",
            &|n| fm(&format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n))),
            &run,
        ),
        text_case(
            "front matter: never closed",
            &|n| repeat("+++\ntitle = \"T\"\n", "a = 1\n", n, ""),
            &run,
        ),
        text_case(
            "front matter: body on one long line",
            &|n| repeat("+++\ntitle = \"T\"\n+++\n", "word ", n, ""),
            &run,
        ),
    ]);
}

fn render(body: &str) {
    std::hint::black_box(markdown_to_plain(body));
}

#[test]
fn markdown_renderer_is_linear() {
    let run = |input: &String| render(input);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("markdown: `*a`", "", "*a", ""),
        ("markdown: `**a_`", "", "**a_", ""),
        ("markdown: run of `_`", "a", "_", "a"),
        ("markdown: run of `*` around a word", "", "*", "a"),
        ("markdown: `[`", "", "[", "a"),
        ("markdown: `[a](`", "", "[a](", ""),
        ("markdown: `![`", "", "![", ""),
        (
            "markdown: unused link references",
            "",
            "[a]",
            "\n\n[b]: /u\n",
        ),
        ("markdown: backticks", "", "a`` ", "`"),
        ("markdown: run of backticks", "", "`", "a"),
        ("markdown: nested quotes", "", "> ", "a"),
        ("markdown: nested lists", "", "- ", "a"),
        ("markdown: unclosed html", "", "<a ", ""),
        ("markdown: entities", "", "&amp;&#27;&#x9b;", ""),
        ("markdown: unterminated CSI", "", "\x1b[", "x"),
        ("markdown: unterminated OSC", "\x1b]", "x", ""),
        ("markdown: one long line", "", "word ", ""),
        ("markdown: tabs after wide chars", "", "中\t", ""),
        ("markdown: paragraphs", "", "a\n\n", ""),
        (
            "markdown: table rows",
            "| a | b |\n|---|---|\n",
            "| x | y |\n",
            "",
        ),
        ("markdown: hard breaks", "", "a  \n", ""),
    ];
    let makers: Vec<_> = cases
        .iter()
        .map(|&(name, before, pattern, after)| {
            (name, move |n: usize| repeat(before, pattern, n, after))
        })
        .collect();
    let mut all: Vec<Case<'_, String>> = makers
        .iter()
        .map(|(name, make)| text_case(name, make, &run))
        .collect();
    let columns = |n: usize| {
        format!(
            "{}|\n{}|\n{}|\n",
            "| a ".repeat(n),
            "|-".repeat(n),
            "| x ".repeat(n)
        )
    };
    all.push(text_case("markdown: table columns", &columns, &run));
    check_all(&all);
}

fn clean(text: &str) {
    std::hint::black_box(clean_text(text));
    std::hint::black_box(clean_line(text));
}

#[test]
fn cleaner_is_linear() {
    let run = |input: &String| clean(input);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("clean: unterminated CSI", "", "\x1b[", ""),
        ("clean: one long CSI", "\x1b[", "1;", "m"),
        ("clean: unterminated OSC", "\x1b]", "x", ""),
        ("clean: cut-short strings", "", "\x1bPx\x1b", ""),
        ("clean: C1 CSI", "", "\u{9b}", ""),
        ("clean: ESC ESC", "", "\x1b", ""),
        ("clean: combining marks to compose", "", "e\u{301}", ""),
        (
            "clean: one long run of combining marks",
            "a",
            "\u{301}\u{316}",
            "",
        ),
        ("clean: tabs", "", "\t", ""),
        ("clean: tabs after wide chars", "", "中\t", ""),
        ("clean: tabs on many lines", "", "a\tb\n", ""),
        ("clean: bidi controls", "", "\u{202e}a", ""),
        ("clean: CR", "", "\r", ""),
        ("clean: white space", "", "a \n\t ", ""),
        ("clean: Hangul jamo", "", "\u{1100}\u{1161}\u{11a8}", ""),
    ];
    let makers: Vec<_> = cases
        .iter()
        .map(|&(name, before, pattern, after)| {
            (name, move |n: usize| repeat(before, pattern, n, after))
        })
        .collect();
    let all: Vec<Case<'_, String>> = makers
        .iter()
        .map(|(name, make)| text_case(name, make, &run))
        .collect();
    check_all(&all);
}

/// The TOML of one annotation (or, with `table` = `[[article.annotation]]`, one in an export), at
/// `start` in a text where the quote "claim N" stands.
fn annotation_toml(table: &str, i: usize, quote: &str, start: usize, tags: &str) -> String {
    let end = start + quote.chars().count();
    format!(
        "\n[[{table}]]\nid = \"01a21785-3e0f-70d7-86b8-{i:012x}\"\ntags = [{tags}]\nquote = \"{quote}\"\n\
         prefix = \"before \\\"it\\\" \"\nsuffix = \" after\"\nstart = {start}\nend = {end}\n\
         note = \"\"\"\nwhy\nit matters\"\"\"\ncreated = 2026-11-26T11:02:17.871Z\n\
         updated = 2026-11-26T11:02:17.871Z\n"
    )
}

fn load_store(text: &str) {
    let path = Path::new("annotations/a.toml");
    let _ = std::hint::black_box(ArticleAnnotations::parse("a", path, text.as_bytes()));
}

#[test]
fn store_loader_is_linear() {
    let run = |input: &String| load_store(input);
    let head = "article = \"a\"\n";
    let annotations = |n: usize| {
        let records: String = (0..n)
            .map(|i| annotation_toml("annotation", i, "claim", 10 * i, "\"t\""))
            .collect();
        format!("{head}{records}")
    };
    let long_quote = |n: usize| {
        // `a\"` in TOML is the two characters `a"`.
        let quote = "a\\\"".repeat(n);
        let record = annotation_toml("annotation", 0, &quote, 0, "\"t\"");
        let record = record.replace(&format!("end = {}", 3 * n), &format!("end = {}", 2 * n));
        format!("{head}{record}")
    };
    let tags = |n: usize| {
        let tags: Vec<String> = (0..n).map(|i| format!("\"t{i}\"")).collect();
        format!(
            "{head}{}",
            annotation_toml("annotation", 0, "claim", 0, &tags.join(", "))
        )
    };
    let tombstones = |n: usize| {
        let records: String = (0..n)
            .map(|i| {
                format!(
                    "\n[[deleted]]\nid = \"01a21785-3e0f-70d7-86b8-{i:012x}\"\ndeleted = 2026-11-26T11:02:17Z\n"
                )
            })
            .collect();
        format!("{head}{records}")
    };
    let corrupt_last = |n: usize| format!("{}\n[[annotation]]\nid = 3\n", annotations(n));
    check_all(&[
        records_case("store: annotations", &annotations, &run),
        text_case("store: one long quote with escapes", &long_quote, &run),
        text_case("store: tags", &tags, &run),
        records_case("store: tombstones", &tombstones, &run),
        text_case("store: annotations, the last corrupt", &corrupt_last, &run),
    ]);
}

const EXPORT_HEAD: &str = "format = \"newsgloss-annotations\"\nversion = 1\n\
    exported = 2026-11-26T11:02:18.037Z\noffsets = \"unicode-scalar\"\n";

/// Parses an export and imports it (a dry run into an empty store), every article's text being the
/// claims the export's annotations quote.
fn parse_and_import(export: &str) {
    let exported = parse_export(export.as_bytes(), Path::new("export.toml")).expect("an export");
    let store = AnnotationStore::new("/nonexistent/newsgloss-superlinear");
    let claims = exported
        .articles
        .iter()
        .map(|a| a.annotations.len())
        .max()
        .unwrap_or(0);
    let text: String = (0..claims).map(|_| "claim 123 ").collect();
    let report = import(&store, exported, |_| Some(text.clone()), true);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

#[test]
fn import_is_linear() {
    let run = |input: &String| parse_and_import(input);
    let one_article = |n: usize| {
        let records: String = (0..n)
            .map(|i| annotation_toml("article.annotation", i, "claim 123", 10 * i, "\"t\""))
            .collect();
        format!("{EXPORT_HEAD}\n[[article]]\nid = \"a\"\ntitle = \"A\"\n{records}")
    };
    let many_articles = |n: usize| {
        let articles: String = (0..n)
            .map(|i| {
                let record = annotation_toml("article.annotation", i, "claim 123", 0, "\"t\"");
                format!("\n[[article]]\nid = \"news/a{i}\"\ntitle = \"A {i}\"\n{record}")
            })
            .collect();
        format!("{EXPORT_HEAD}{articles}")
    };
    check_all(&[
        records_case("import: annotations of one article", &one_article, &run),
        records_case("import: articles", &many_articles, &run),
    ]);
}

#[test]
fn query_wrapper_is_linear() {
    let index = ArticleIndex::in_ram();
    let run = |query: &String| {
        let _ = std::hint::black_box(index.search(query, 10, 160));
    };
    let patterns = [
        ("query: words", "a "),
        ("query: ORs", "a OR "),
        ("query: open quotes", "\"a "),
        ("query: dates", "published:2023-01-01 "),
        (
            "query: date ranges",
            "published:[2023-01-01 TO 2023-12-31] ",
        ),
        ("query: exclusions", "-a b "),
        ("query: fuzzy terms", "a~1 "),
        ("query: fields", "title:a "),
        ("query: parentheses", "(a) "),
    ];
    let makers: Vec<_> = patterns
        .iter()
        .map(|&(name, pattern)| (name, pattern.len(), move |n: usize| pattern.repeat(n)))
        .collect();
    let cases: Vec<Case<'_, String>> = makers
        .iter()
        .map(|(name, len, make)| Case {
            name,
            start: 1,
            // Queries are capped at 1,024 characters: the larger input must fit.
            max: newsgloss::index::MAX_QUERY_CHARS / (2 * *len),
            make,
            run: &run,
        })
        .collect();
    check_all(&cases);
}

/// An annotation of "claim" whose stored place is wrong, for anchoring in `text`.
fn stray_claim(quote: &str) -> Annotation {
    let text = format!("before {quote} after");
    Annotation::new(
        "a",
        &text,
        7,
        7 + quote.chars().count(),
        vec!["t".into()],
        None,
        now(),
    )
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::UNIX_EPOCH
}

#[test]
fn anchoring_is_linear() {
    type Input = (Annotation, Vec<char>);
    let run = |(annotation, text): &Input| {
        let mut annotation = annotation.clone();
        std::hint::black_box(anchor(&mut annotation, text));
    };
    let near_everywhere =
        |n: usize| -> Input { (stray_claim("aaaaaaaaab"), "a".repeat(n).chars().collect()) };
    let everywhere = |n: usize| (stray_claim("claim"), "claim ".repeat(n).chars().collect());
    let nowhere = |n: usize| {
        let words: String = (0..n).map(|i| format!("w{} ", i % 97)).collect();
        (
            stray_claim("export restrictions bite"),
            words.chars().collect(),
        )
    };
    let cases: [(&str, &dyn Fn(usize) -> Input); 3] = [
        ("anchor: fuzzy matches everywhere", &near_everywhere),
        ("anchor: exact matches everywhere", &everywhere),
        ("anchor: no match", &nowhere),
    ];
    let cases: Vec<Case<'_, Input>> = cases
        .into_iter()
        .map(|(name, make)| Case {
            name,
            start: 64,
            max: 1 << 22,
            make,
            run: &run,
        })
        .collect();
    check_all(&cases);
}
