//! `newsgloss show`: one article read from its file (the source of truth), with its metadata and wrapped
//! text, or exactly its plain text.

use std::io::Write;

use super::output::{content_failure, stdout_is_terminal};
use super::paired;
use super::{Failure, Workspace};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::content;
use crate::translation::{Pair, TranslationError};

pub fn run(
    workspace: &Workspace,
    id: &str,
    plain: bool,
    with_original: bool,
) -> Result<(), Failure> {
    let article = load(workspace, id)?;
    let text = if with_original {
        let max = workspace.config.content.max_file_bytes;
        let pair = Pair::load(&workspace.content_dir, article, max).map_err(|e| match e {
            TranslationError::Unreadable(_) => Failure::Failed(e.to_string()),
            e => Failure::BadInput(clean_line(&e.to_string())),
        })?;
        let terminal = stdout_is_terminal()
            .then(|| ratatui::crossterm::terminal::size().ok())
            .flatten()
            .map(|(w, _)| usize::from(w));
        paired::render(&pair, terminal, terminal.unwrap_or(80))
    } else if plain {
        format!("{}\n", article.text)
    } else {
        let width = if stdout_is_terminal() {
            ratatui::crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).clamp(20, 100))
        } else {
            80
        };
        formatted(&article, width)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// Loads the article `id` from the content dir.
pub fn load(workspace: &Workspace, id: &str) -> Result<Article, Failure> {
    let not_found = || {
        Failure::BadInput(format!(
            "no article with id {}",
            crate::article::clean::quoted(id)
        ))
    };
    let path = content::path_of(&workspace.content_dir, id).ok_or_else(not_found)?;
    if !path.is_file() {
        content::scan(&workspace.content_dir).map_err(content_failure)?;
        return Err(not_found());
    }
    let max = workspace.config.content.max_file_bytes;
    Article::load(id, &path, max)
        .map(|(article, _)| article)
        .map_err(|e| Failure::Failed(e.to_string()))
}

fn formatted(article: &Article, width: usize) -> String {
    let meta = &article.meta;
    let mut out = String::new();
    out.push_str(&meta.title);
    out.push('\n');
    let mut line = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            out.push_str(&format!("{label:<10}{value}\n"));
        }
    };
    line("Source", meta.source.clone());
    line(
        "Original",
        match (&meta.original_source, &meta.original_title) {
            (Some(s), Some(t)) => Some(format!("{s}: {t}")),
            (s, t) => s.clone().or(t.clone()),
        },
    );
    line("Author", meta.author.clone());
    line("Published", meta.published.map(|p| p.to_string()));
    line(
        "URL",
        meta.url.as_deref().map(|url| {
            crate::article::link::web_link(url).unwrap_or_else(|why| format!("({why})"))
        }),
    );
    line(
        "Tags",
        (!meta.tags.is_empty()).then(|| meta.tags.join(", ")),
    );
    line(
        "Summary",
        meta.summary_only.then(|| {
            "only the text the feed gave; the page is fetched by a later `newsgloss fetch`"
                .to_owned()
        }),
    );
    out.push('\n');
    let options = textwrap::Options::new(width).break_words(true);
    for paragraph in article.text.split("\n\n") {
        for line in paragraph.split('\n') {
            for wrapped in textwrap::wrap(line, &options) {
                out.push_str(&wrapped);
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out.pop();
    out
}
