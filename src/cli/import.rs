//! `newsgloss import`: merge annotations into the store (by id, newest wins, exact duplicates skipped),
//! re-anchored against the current text, from a newsgloss TOML export, Hypothesis JSON or W3C Web
//! Annotation JSON (the format is detected); rows that fit no article are reported one line each, and
//! tags new to the vocabulary are added to the config file in use.

mod vocabulary;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::annotate::{open_store, store_failure};
use super::output::warn;
use super::{Failure, Workspace};
use crate::annotation::{
    Exported, ImportFile, ImportFormat, Placing, TagInfo, import, place_rows, read_import,
};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::content::shown;
use crate::workspace::ConfigSource;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A newsgloss TOML export, Hypothesis JSON (its API's rows) or W3C Web Annotation JSON.
    pub file: PathBuf,
    /// Report what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(workspace: &Workspace, args: ImportArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Failure::BadInput(format!("cannot read {}: {e}", shown(&args.file))))?;
    let read = read_import(&bytes, &args.file).map_err(|e| Failure::BadInput(e.to_string()))?;
    let text_of = |id: &str| {
        let path = crate::content::path_of(&workspace.content_dir, id)?;
        let max = workspace.config.content.max_file_bytes;
        Article::load(id, &path, max).ok().map(|(a, _)| a.text)
    };
    let (exported, failures) = match read {
        ImportFile::Toml(exported) => {
            warn_duplicates(&args, &exported);
            (exported, Vec::new())
        }
        ImportFile::Rows {
            format,
            rows,
            mut failures,
        } => {
            let max = workspace.config.content.max_file_bytes;
            let links = crate::translation::links(&workspace.content_dir, max)
                .map_err(|e| Failure::Failed(e.to_string()))?;
            let placing = Placing {
                links: &links,
                text_of,
                default_tag: default_tag(format),
                now: time::OffsetDateTime::now_utc(),
            };
            let placed = place_rows(rows, &placing);
            failures.extend(placed.failures);
            (placed.exported, failures)
        }
    };
    for failure in &failures {
        warn(&format!("{}: {failure}", shown(&args.file)));
    }
    let new_tags = new_tags(workspace, &exported);
    let store = open_store(workspace)?;
    let report = import(&store, exported, text_of, args.dry_run);
    if !args.dry_run && report.added + report.updated > 0 {
        workspace.index_change();
    }
    for id in &report.missing_articles {
        warn(&format!(
            "article {} is not in the content dir; its annotations are kept as exported",
            clean_line(id)
        ));
    }
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    let mut out = std::io::stdout().lock();
    let not_imported = match failures.len() {
        0 => String::new(),
        n => format!(", {n} not imported"),
    };
    let _ = writeln!(out, "{verb}: {}{not_imported}", report.summary());
    if report.added + report.updated > 0 || args.dry_run {
        add_to_vocabulary(workspace, &new_tags, args.dry_run, &mut out)?;
    }
    if let Some(error) = report.errors.into_iter().next() {
        return Err(store_failure(error));
    }
    match failures.len() {
        0 => Ok(()),
        n => Err(Failure::Failed(format!(
            "{n} {} of {} could not be imported (named above)",
            if n == 1 { "row" } else { "rows" },
            shown(&args.file)
        ))),
    }
}

/// The tag of a row that has none: where it came from.
fn default_tag(format: ImportFormat) -> &'static str {
    match format {
        ImportFormat::Hypothesis => "hypothesis",
        ImportFormat::WebAnnotation | ImportFormat::Toml => "web-annotation",
    }
}

fn warn_duplicates(args: &ImportArgs, exported: &Exported) {
    for duplicate in &exported.duplicates {
        warn(&format!(
            "{}:{}: annotation {} appears again (first at {}); the newest of them is kept",
            shown(&args.file),
            duplicate.at,
            duplicate.id,
            duplicate.first
        ));
    }
}

/// The tags of the incoming annotations that the vocabulary in use does not have, in name order, with
/// the description and colour the export gives them.
fn new_tags(workspace: &Workspace, exported: &Exported) -> Vec<TagInfo> {
    let used: BTreeSet<&str> = exported
        .articles
        .iter()
        .flat_map(|a| &a.annotations)
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .filter(|t| workspace.config.tag(t).is_none())
        .collect();
    used.into_iter()
        .map(|name| {
            exported
                .tags
                .iter()
                .find(|t| t.name == name)
                .cloned()
                .unwrap_or_else(|| TagInfo::bare(name))
        })
        .collect()
}

/// Adds `tags` to the config file in use and says so.
fn add_to_vocabulary(
    workspace: &Workspace,
    tags: &[TagInfo],
    dry_run: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    if tags.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    let count = match tags.len() {
        1 => "1 tag".to_owned(),
        n => format!("{n} tags"),
    };
    let ConfigSource::File(path) = &workspace.config_source else {
        warn(&format!(
            "{count} not in the vocabulary, and no config file is in use to add them to: {}",
            names.join(", ")
        ));
        return Ok(());
    };
    if dry_run {
        let _ = writeln!(
            out,
            "would add {count} to {}: {}",
            shown(path),
            names.join(", ")
        );
        return Ok(());
    }
    let cannot = |e: String| Failure::Failed(format!("cannot add tags to {}: {e}", shown(path)));
    let text = std::fs::read_to_string(path).map_err(|e| cannot(e.to_string()))?;
    let edited = vocabulary::with_tags(&text, &workspace.config.tags, tags).map_err(cannot)?;
    crate::atomic_file::write(path, edited.as_bytes()).map_err(|e| cannot(e.to_string()))?;
    let _ = writeln!(
        out,
        "added {count} to {}: {}",
        shown(path),
        names.join(", ")
    );
    Ok(())
}
