//! `newsgloss export`: the annotations, anchored in the current text, as TOML (the default), W3C Web
//! Annotation JSON or a Markdown digest, to stdout or a file.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::annotate::read_store;
use super::annotations::collect;
use super::{Failure, Workspace};
use crate::annotation::{export_toml, markdown_digest, web_annotation_json};
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
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Toml,
    Json,
    Markdown,
}

pub fn run(workspace: &Workspace, args: ExportArgs) -> Result<(), Failure> {
    let store = read_store(workspace);
    let ids = match args.articles.is_empty() {
        true => store.article_ids(),
        false => args.articles.clone(),
    };
    let mut articles = collect(workspace, &store, &ids)?;
    for article in &mut articles {
        article
            .annotations
            .retain(|a| args.tags.is_empty() || a.tags.iter().any(|t| args.tags.contains(t)));
    }
    articles.retain(|a| !a.annotations.is_empty());
    let now = time::OffsetDateTime::now_utc();
    let text = match args.format {
        ExportFormat::Toml => export_toml(&articles, now),
        ExportFormat::Json => web_annotation_json(&articles, now),
        ExportFormat::Markdown => markdown_digest(&articles),
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
