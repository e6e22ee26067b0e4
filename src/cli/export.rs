//! `newsgloss export`: the annotations, anchored in the current text, as TOML (the default, with the
//! vocabulary of the tags it uses), W3C Web Annotation JSON, a Markdown digest or Readwise's CSV, to
//! stdout or a file; or as a folder of Obsidian notes. The same store gives the same bytes
//! (`--no-timestamp` leaves out the one thing that changes, the time of the export).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::annotate::read_store;
use super::annotations::collect;
use super::output::warn;
use super::{Failure, Workspace};
use crate::annotation::{
    ExportArticle, ObsidianReport, TagVocabulary, export_toml_with_tags, markdown_digest,
    readwise_csv, web_annotation_json, write_obsidian,
};
use crate::article::clean::quoted;
use crate::content::shown;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only annotations with this tag (repeat for any of several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only this article's annotations (repeat for several).
    #[arg(long = "article", value_name = "ID")]
    pub articles: Vec<String>,
    #[arg(long, value_enum, default_value_t = ExportFormat::Toml)]
    pub format: ExportFormat,
    /// Write to this file instead of stdout (for `obsidian`, the folder of notes).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Leave out the time of the export, so that the same store gives the same bytes.
    #[arg(long)]
    pub no_timestamp: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Toml,
    Json,
    Markdown,
    /// A Markdown note per article in the folder given with `-o` (Obsidian, Logseq).
    Obsidian,
    /// The CSV that Readwise imports.
    Readwise,
}

pub fn run(workspace: &Workspace, args: ExportArgs) -> Result<(), Failure> {
    let store = read_store(workspace);
    let ids = match args.articles.is_empty() {
        true => store.article_ids(),
        false => {
            check_articles(workspace, &store.article_ids(), &args.articles)?;
            args.articles.clone()
        }
    };
    let mut articles = collect(workspace, &store, &ids)?;
    check_tags(workspace, &articles, &args.tags)?;
    for article in &mut articles {
        article
            .annotations
            .retain(|a| args.tags.is_empty() || a.tags.iter().any(|t| args.tags.contains(t)));
    }
    let now = (!args.no_timestamp).then(time::OffsetDateTime::now_utc);
    let vocabulary = TagVocabulary::new(&workspace.config.tags);
    let claimed = || -> Vec<ExportArticle> {
        let with_claims = articles.iter().filter(|a| !a.annotations.is_empty());
        with_claims.cloned().collect()
    };
    let text = match (args.format, &args.output) {
        // Articles left without claims are passed too: a note written before loses them.
        (ExportFormat::Obsidian, Some(dir)) => return obsidian(dir, &articles),
        (ExportFormat::Obsidian, None) => {
            return Err(Failure::BadInput(
                "--format obsidian writes a folder of notes: name it with -o DIR".into(),
            ));
        }
        (ExportFormat::Toml, _) => export_toml_with_tags(&claimed(), now, vocabulary.tags()),
        (ExportFormat::Json, _) => web_annotation_json(&claimed(), now),
        (ExportFormat::Markdown, _) => markdown_digest(&claimed()),
        (ExportFormat::Readwise, _) => readwise_csv(&claimed()),
    };
    match &args.output {
        Some(path) => crate::atomic_file::write(path, text.as_bytes())
            .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", shown(path)))),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// Writes the notes and says what happened; a file that could not be written is a failure (exit 1).
fn obsidian(dir: &Path, articles: &[ExportArticle]) -> Result<(), Failure> {
    let ObsidianReport {
        written,
        unchanged,
        beside,
        skipped,
        errors,
    } = write_obsidian(dir, articles);
    for path in &skipped {
        warn(&format!(
            "{} and the file beside it were not written by newsgloss: left as they are, no note written for it",
            shown(path)
        ));
    }
    for (theirs, ours) in &beside {
        warn(&format!(
            "{} was not written by newsgloss (it has no newsgloss:begin/end lines): left as it is, the note is {}",
            shown(theirs),
            shown(ours)
        ));
    }
    for (path, error) in &errors {
        warn(&format!("cannot write {}: {error}", shown(path)));
    }
    let _ = writeln!(
        std::io::stdout().lock(),
        "{} written to {}, {unchanged} unchanged",
        notes(written.len()),
        shown(dir)
    );
    match errors.len() {
        0 => Ok(()),
        n => Err(Failure::Failed(format!(
            "{} could not be written",
            notes(n)
        ))),
    }
}

fn notes(n: usize) -> String {
    match n {
        1 => "1 note".into(),
        n => format!("{n} notes"),
    }
}

/// Every `--article` must be an article of the content dir or of the store.
fn check_articles(
    workspace: &Workspace,
    stored: &[String],
    wanted: &[String],
) -> Result<(), Failure> {
    let mut known: BTreeSet<String> = stored.iter().cloned().collect();
    if let Ok(scan) = crate::content::scan(&workspace.content_dir) {
        known.extend(scan.files.into_iter().map(|f| f.id));
    }
    match wanted.iter().find(|id| !known.contains(*id)) {
        Some(id) => Err(unknown("article", id, &known)),
        None => Ok(()),
    }
}

/// Every `--tag` must be in the vocabulary or on an annotation of the articles exported.
fn check_tags(
    workspace: &Workspace,
    articles: &[ExportArticle],
    wanted: &[String],
) -> Result<(), Failure> {
    let mut known: BTreeSet<String> = workspace
        .config
        .tags
        .iter()
        .map(|t| t.name.clone())
        .collect();
    known.extend(
        articles
            .iter()
            .flat_map(|a| &a.annotations)
            .flat_map(|a| a.tags.iter().cloned()),
    );
    match wanted.iter().find(|tag| !known.contains(*tag)) {
        Some(tag) => Err(unknown("tag", tag, &known)),
        None => Ok(()),
    }
}

/// `no tag "x"; the closest is "y"`: the known name at the smallest edit distance (the first in name
/// order among equals).
fn unknown(what: &str, name: &str, known: &BTreeSet<String>) -> Failure {
    let closest = known
        .iter()
        .min_by_key(|k| strsim::levenshtein(name, k))
        .map(|k| format!("; the closest is {}", quoted(k)))
        .unwrap_or_else(|| format!("; there is no {what} to export"));
    Failure::BadInput(format!("no {what} {}{closest}", quoted(name)))
}
