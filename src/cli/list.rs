//! `newsgloss list`: every article in the index, as aligned columns or JSON.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use super::{Failure, Format, Workspace};
use crate::article::clean::clean_line;
use crate::index::Summary;

pub fn run(workspace: &Workspace, format: Format) -> Result<(), Failure> {
    let index = workspace.open_index()?;
    let summaries = index.summaries().map_err(super::output::index_failure)?;
    let text = match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&summaries).expect("summaries serialise");
            text.push('\n');
            crate::article::clean::inert_json(text)
        }
        Format::Text => table(&summaries),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

fn table(summaries: &[Summary]) -> String {
    let rows: Vec<[String; 5]> = summaries
        .iter()
        .map(|s| {
            [
                clean_line(&s.id),
                s.published.map(|p| p.date_string()).unwrap_or_default(),
                s.source.as_deref().map(clean_line).unwrap_or_default(),
                s.words.to_string(),
                clean_line(&s.title),
            ]
        })
        .collect();
    let header = ["ID", "PUBLISHED", "SOURCE", "WORDS", "TITLE"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.width());
            match i {
                3 => out.push_str(&format!("{}{cell}  ", " ".repeat(pad))),
                4 => out.push_str(cell),
                _ => out.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        out.push('\n');
    }
    out
}
