//! `newsgloss trace`: the passages of other articles that state what an annotation quotes, as text or
//! JSON; `--link N` makes the Nth of them evidence for it. `newsgloss link`: the same for a passage given
//! by article and offsets.

use std::io::Write;

use clap::Args;

use super::annotate::{open_store, read_store, store_failure};
use super::output::{counted, note};
use super::{Failure, Format, Workspace};
use crate::annotation::{Annotation, AnnotationId, Relation, anchor};
use crate::article::clean::clean_line;
use crate::trace::{Passage, Trace, TraceOptions};

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The annotation id, as `annotate` printed it.
    pub annotation_id: String,
    /// How many passages to show, best first.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Make passage N of this trace (counting from 1) evidence: an annotation there with the same tags,
    /// linked to this one.
    #[arg(long, value_name = "N")]
    pub link: Option<usize>,
    /// The relation of the link made by --link.
    #[arg(long, value_enum, default_value_t = Rel::Supports, requires = "link")]
    pub rel: Rel,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The annotation the passage is evidence for.
    pub annotation_id: String,
    /// The article of the passage.
    #[arg(long, value_name = "ARTICLE")]
    pub to: String,
    /// Where the passage starts and ends, in Unicode scalar values into the article's plain text (as
    /// `trace` prints them).
    #[arg(long, value_name = "S")]
    pub start: usize,
    #[arg(long, value_name = "E")]
    pub end: usize,
    #[arg(long, value_enum, default_value_t = Rel::Supports)]
    pub rel: Rel,
}

/// A link's relation, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rel {
    Supports,
    Contradicts,
    Same,
}

impl From<Rel> for Relation {
    fn from(rel: Rel) -> Relation {
        match rel {
            Rel::Supports => Relation::Supports,
            Rel::Contradicts => Relation::Contradicts,
            Rel::Same => Relation::Same,
        }
    }
}

pub fn run(workspace: &Workspace, args: TraceArgs) -> Result<(), Failure> {
    if args.limit == 0 {
        return Err(Failure::BadInput("--limit must be at least 1".into()));
    }
    let annotation = find(workspace, &args.annotation_id)?;
    let index = workspace.open_index()?;
    let options = TraceOptions {
        limit: args.limit,
        ..TraceOptions::default()
    };
    let trace = crate::trace::trace(&index, &annotation.article, &annotation.quote, &options)
        .map_err(super::output::index_failure)?;
    if let Some(n) = args.link {
        let passage = n
            .checked_sub(1)
            .and_then(|i| trace.passages.get(i))
            .ok_or_else(|| {
                Failure::BadInput(format!(
                    "--link {n} is out of range: the trace lists {}",
                    counted(trace.passages.len(), "passage")
                ))
            })?;
        return link(workspace, &annotation, passage, args.rel.into());
    }
    let text = match args.format {
        Format::Text => text(&trace),
        Format::Json => json(&annotation, &trace),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// `newsgloss link`: the passage `start..end` of article `to` as evidence for the annotation.
pub fn run_link(workspace: &Workspace, args: LinkArgs) -> Result<(), Failure> {
    let annotation = find(workspace, &args.annotation_id)?;
    let article = super::show::load(workspace, &args.to)?;
    let length = article.text.chars().count();
    if args.start >= args.end || args.end > length {
        return Err(Failure::BadInput(format!(
            "--start {} --end {} is not a passage of {}: it needs start < end <= {length}",
            args.start,
            args.end,
            clean_line(&args.to)
        )));
    }
    if article.id == annotation.article
        && (args.start, args.end) == (annotation.start, annotation.end)
    {
        return Err(Failure::BadInput(
            "that passage is the annotation itself; link another".into(),
        ));
    }
    let text: String = article
        .text
        .chars()
        .skip(args.start)
        .take(args.end - args.start)
        .collect();
    let passage = Passage {
        article: article.id.clone(),
        title: article.meta.title.clone(),
        source: article.meta.source.clone(),
        published: article.meta.published,
        text,
        start: args.start,
        end: args.end,
        score: 0.0,
        first_report: false,
    };
    link(workspace, &annotation, &passage, args.rel.into())
}

/// The annotation `id` names, placed in its article's current text (in memory); an orphan is said so.
fn find(workspace: &Workspace, id: &str) -> Result<Annotation, Failure> {
    let id: AnnotationId = id.parse().map_err(Failure::BadInput)?;
    let (_, mut annotation) = read_store(workspace).find(id).map_err(store_failure)?;
    if let Ok(article) = super::show::load(workspace, &annotation.article) {
        let chars: Vec<char> = article.text.chars().collect();
        anchor(&mut annotation, &chars);
    } else {
        annotation.orphaned = true;
    }
    if annotation.orphaned {
        note(&format!(
            "annotation {id} is orphaned (its quote is no longer in the text of {}): tracing the quote as it was",
            annotation.article
        ));
    }
    Ok(annotation)
}

/// Saves `passage` as evidence for `first` and says what was made.
fn link(
    workspace: &Workspace,
    first: &Annotation,
    passage: &Passage,
    rel: Relation,
) -> Result<(), Failure> {
    let article = super::show::load(workspace, &passage.article)?;
    let now_text: String = article
        .text
        .chars()
        .skip(passage.start)
        .take(passage.end - passage.start)
        .collect();
    if now_text != passage.text {
        return Err(Failure::Failed(format!(
            "{} changed since it was indexed; trace again",
            clean_line(&passage.article)
        )));
    }
    let store = open_store(workspace)?;
    let now = time::OffsetDateTime::now_utc();
    let evidence = store
        .link_evidence(
            first,
            &article.id,
            &article.text,
            (passage.start, passage.end),
            rel,
            workspace.user(),
            now,
        )
        .map_err(store_failure)?;
    workspace.index_change();
    let _ = writeln!(
        std::io::stdout().lock(),
        "linked {} in {} to {} ({rel})",
        evidence.id,
        clean_line(&article.id),
        first.id
    );
    Ok(())
}

/// One block per passage: rank, score, date, source, title; the passage quoted; its offsets.
fn text(trace: &Trace) -> String {
    let mut out = String::new();
    for (i, p) in trace.passages.iter().enumerate() {
        out.push_str(&block(i + 1, p));
        out.push('\n');
    }
    if let Some(first) = &trace.first_report
        && !trace.passages.iter().any(|p| p.first_report)
    {
        out.push_str("first report (below the limit):\n");
        out.push_str(&block(0, first));
        out.push('\n');
    }
    out.push_str(&match trace.total {
        0 => format!(
            "no other article states it ({} read)\n",
            counted(trace.read, "candidate article")
        ),
        total => format!(
            "{} of {} stating it ({} read)\n",
            trace.passages.len(),
            counted(total, "passage"),
            counted(trace.read, "candidate article")
        ),
    });
    out
}

fn block(rank: usize, p: &Passage) -> String {
    let mut meta = vec![format!("{:.2}", p.score)];
    meta.push(p.published.map_or("undated".into(), |d| d.date_string()));
    meta.extend(p.source.as_deref().map(clean_line));
    meta.push(clean_line(&p.article));
    let first = if p.first_report {
        "  [first report]"
    } else {
        ""
    };
    let rank = if rank > 0 {
        format!("{rank}. ")
    } else {
        String::new()
    };
    format!(
        "{rank}{}{first}\n  {}\n  “{}”\n  {}..{}\n",
        meta.join(" · "),
        clean_line(&p.title),
        clean_line(&p.text),
        p.start,
        p.end
    )
}

#[derive(serde::Serialize)]
struct JsonTrace<'a> {
    annotation: String,
    article: &'a str,
    quote: &'a str,
    orphaned: bool,
    total: usize,
    read: usize,
    passages: Vec<JsonPassage<'a>>,
}

#[derive(serde::Serialize)]
struct JsonPassage<'a> {
    article: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    published: Option<String>,
    text: &'a str,
    start: usize,
    end: usize,
    score: f32,
    first_report: bool,
}

fn json(annotation: &Annotation, trace: &Trace) -> String {
    let passages = trace
        .passages
        .iter()
        .chain(
            trace
                .first_report
                .iter()
                .filter(|_| !trace.passages.iter().any(|p| p.first_report)),
        )
        .map(|p| JsonPassage {
            article: &p.article,
            title: &p.title,
            source: p.source.as_deref(),
            published: p.published.map(|d| d.to_string()),
            text: &p.text,
            start: p.start,
            end: p.end,
            score: (p.score * 1000.0).round() / 1000.0,
            first_report: p.first_report,
        })
        .collect();
    let value = JsonTrace {
        annotation: annotation.id.to_string(),
        article: &annotation.article,
        quote: &annotation.quote,
        orphaned: annotation.orphaned,
        total: trace.total,
        read: trace.read,
        passages,
    };
    let mut text = serde_json::to_string_pretty(&value).expect("a trace serialises");
    text.push('\n');
    crate::article::clean::inert_json(text)
}
