//! The suite's results: rows of figures, written to `target/bench/results.md` and `.json`, and into the
//! README's Performance table between `<!-- perf:begin -->` and `<!-- perf:end -->`.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

/// One figure of one corpus, with its baseline measured in the same run and its goal.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub corpus: String,
    pub figure: String,
    pub value: String,
    pub baseline: String,
    pub ratio: String,
    pub goal: String,
    /// `None` when the goal is not for this corpus or there is none.
    pub met: Option<bool>,
}

impl Row {
    pub fn new(corpus: &str, figure: &str, value: String) -> Row {
        Row {
            corpus: corpus.to_owned(),
            figure: figure.to_owned(),
            value,
            baseline: String::new(),
            ratio: String::new(),
            goal: String::new(),
            met: None,
        }
    }

    pub fn baseline(mut self, baseline: String, ratio: String) -> Row {
        self.baseline = baseline;
        self.ratio = ratio;
        self
    }

    /// The goal, and whether it is met (`None` where the goal is for another corpus size).
    pub fn goal(mut self, goal: &str, met: Option<bool>) -> Row {
        self.goal = goal.to_owned();
        self.met = met;
        self
    }
}

/// The rows so far; each is printed as it comes.
#[derive(Default)]
pub struct Rows(pub Vec<Row>);

impl Rows {
    pub fn push(&mut self, row: Row) {
        println!(
            "  {} | {} | {} | {} | {}",
            row.figure, row.value, row.baseline, row.ratio, row.goal
        );
        self.0.push(row);
    }
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

pub fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

pub fn percentile(values: &mut [Duration], p: f64) -> Duration {
    values.sort();
    let i = ((p / 100.0) * (values.len() - 1) as f64).round() as usize;
    values[i.min(values.len() - 1)]
}

/// "2 cores, <CPU model>, <RAM> GB RAM", from /proc where it is there.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().replace("(R)", ""))
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    let ram = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| {
        t.lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
    });
    match ram {
        Some(kib) => format!("{cores} cores, {cpu}, {:.0} GB", kib / 1048576.0),
        None => format!("{cores} cores, {cpu}"),
    }
}

fn met(row: &Row) -> &'static str {
    match (row.met, row.goal.is_empty()) {
        (Some(true), _) => "yes",
        (Some(false), _) => "**no**",
        (None, true) => "",
        (None, false) => "n/a",
    }
}

/// The Markdown table.
pub fn table(machine: &str, rows: &[Row]) -> String {
    let mut out = String::from(
        "| machine | corpus | figure | value | baseline (same run) | ratio | goal | met |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {machine} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.corpus,
            row.figure,
            row.value,
            row.baseline,
            row.ratio,
            row.goal,
            met(row)
        ));
    }
    out
}

/// Writes `target/bench/results.md` and `results.json`; returns the table.
pub fn write_results(machine: &str, preamble: &str, rows: &[Row], quick: bool) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench made");
    let table = table(machine, rows);
    let markdown = format!("{preamble}\n\n{table}");
    std::fs::write(dir.join("results.md"), &markdown).expect("results.md written");
    let json = serde_json::json!({
        "machine": machine,
        "quick": quick,
        "notes": preamble,
        "rows": rows,
    });
    let text = serde_json::to_string_pretty(&json).expect("results serialise");
    std::fs::write(dir.join("results.json"), text).expect("results.json written");
    println!(
        "\n{markdown}\nwritten to {}",
        dir.join("results.md").display()
    );
    markdown
}

pub const BEGIN: &str = "<!-- perf:begin -->";
pub const END: &str = "<!-- perf:end -->";

/// Replaces what is between the markers in the README (written to a temp file, then renamed).
pub fn rewrite_readme(markdown: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let Ok(readme) = std::fs::read_to_string(&path) else {
        println!("notice: no README.md; its Performance table is not written");
        return;
    };
    let (Some(begin), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        println!("notice: README.md has no {BEGIN} … {END} markers; its table is not written");
        return;
    };
    if end < begin {
        println!("notice: README.md's perf markers are out of order; its table is not written");
        return;
    }
    let updated = format!(
        "{}{BEGIN}\n{}\n{}",
        &readme[..begin],
        markdown.trim_end(),
        &readme[end..]
    );
    let temp = path.with_extension("md.bench-tmp");
    std::fs::write(&temp, updated).expect("README written");
    std::fs::rename(&temp, &path).expect("README replaced");
    println!("README.md's Performance table rewritten");
}

/// How many times faster `ours` is than `baseline`: `118x faster`, `2.5x faster`, or `3.1x slower`.
pub fn speedup(baseline: Duration, ours: Duration) -> String {
    let faster = baseline.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    match faster {
        f if f >= 10.0 => format!("{f:.0}x faster"),
        f if f >= 1.0 => format!("{f:.1}x faster"),
        f => format!("{:.1}x slower", 1.0 / f.max(1e-9)),
    }
}
