//! The trace figures: `trace` of 20 annotations of the generated store (as `newsgloss trace` runs it,
//! through the library on the built index), p50 and p99, against a 1-2 word search in the same run.

use std::path::Path;
use std::time::{Duration, Instant};

use newsgloss::annotation::{Annotation, AnnotationStore};
use newsgloss::index::ArticleIndex;
use newsgloss::trace::{TraceOptions, trace};

use crate::index::Target;
use crate::report::{Row, Rows, median, ms, percentile};

/// How many annotations are traced.
const CLAIMS: usize = 20;

pub fn trace_figures(target: &Target, index_dir: &Path, quick: bool, rows: &mut Rows) {
    let Some(annotations) = &target.annotations else {
        return;
    };
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let claims = claims(annotations);
    if claims.is_empty() {
        return;
    }
    let rounds = if quick { 1 } else { 5 };
    let options = TraceOptions::default();
    let (mut latencies, mut found, mut read) = (Vec::new(), 0, 0);
    for _ in 0..rounds {
        for claim in &claims {
            let started = Instant::now();
            let t = trace(&index, &claim.article, &claim.quote, &options).expect("traces");
            latencies.push(started.elapsed());
            found += t.total;
            read += t.read;
        }
    }
    let mut searches: Vec<Duration> = claims
        .iter()
        .map(|claim| {
            let words: Vec<&str> = claim.quote.split_whitespace().take(2).collect();
            let started = Instant::now();
            let _ = index.search(&words.join(" "), 20, 200);
            started.elapsed()
        })
        .collect();
    let search = median(&mut searches);
    let (p99, p50) = (
        percentile(&mut latencies, 99.0),
        percentile(&mut latencies, 50.0),
    );
    let samples = latencies.len();
    rows.push(
        Row::new(
            &target.name,
            &format!(
                "`trace` p99 (p50), {} claims: {:.0} candidate articles read, {:.1} passages found per trace",
                claims.len(),
                read as f64 / samples as f64,
                found as f64 / samples as f64
            ),
            format!("{} ({})", ms(p99), ms(p50)),
        )
        .baseline(
            format!("search of 2 of the quote's words, median: {}", ms(search)),
            format!("{:.1}", p99.as_secs_f64() / search.as_secs_f64().max(1e-9)),
        )
        .goal("< 100 ms", target.at_100k(p99 < Duration::from_millis(100))),
    );
}

/// The traced annotations: [`CLAIMS`] spread evenly over the store in `annotations`.
fn claims(annotations: &Path) -> Vec<Annotation> {
    let corpus = AnnotationStore::new(annotations).load_all();
    let all: Vec<&Annotation> = corpus
        .articles
        .iter()
        .flat_map(|f| &f.annotations)
        .collect();
    let step = (all.len() / CLAIMS).max(1);
    all.into_iter()
        .step_by(step)
        .take(CLAIMS)
        .cloned()
        .collect()
}

/// `--trace-index INDEX ANNOTATIONS`: the trace figure's claims traced on an index already built, claim by
/// claim (the best of `rounds` runs each), with how many candidate articles each read and found.
pub fn profile_trace(index_dir: &Path, annotations: &Path, rounds: usize) {
    let (index, _) = ArticleIndex::open(index_dir).expect("index opens");
    let options = TraceOptions::default();
    let mut all = Vec::new();
    for (n, claim) in claims(annotations).iter().enumerate() {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..rounds.max(1) {
            let started = Instant::now();
            let t = trace(&index, &claim.article, &claim.quote, &options).expect("traces");
            times.push(started.elapsed());
            last = Some(t);
        }
        let t = last.expect("one round at least");
        all.extend(times.iter().copied());
        let words = claim.quote.split_whitespace().count();
        println!(
            "claim {n:2}: {:>9} median of {}, {:3} read, {:3} found, best {:.3}, {words} words",
            ms(median(&mut times)),
            times.len(),
            t.read,
            t.total,
            t.passages.first().map_or(0.0, |p| p.score),
        );
    }
    println!(
        "all: p50 {}, p99 {}",
        ms(percentile(&mut all.clone(), 50.0)),
        ms(percentile(&mut all, 99.0))
    );
}
