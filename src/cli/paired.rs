//! `newsgloss show ID --with-original`: an article and its original (or, for an original, its first
//! translation), paragraph by paragraph. Side by side in two columns on a terminal at least
//! [`MIN_COLUMNS`] wide; one after the other, each pair under a numbered rule, when piped or narrower.

use unicode_width::UnicodeWidthStr;

use crate::article::Article;
use crate::translation::{Bead, Pair, paragraphs};
use crate::tui::wrap::Wrapped;

/// The narrowest terminal that gets two columns.
pub const MIN_COLUMNS: usize = 60;

/// Between the two columns.
const GUTTER: &str = " │ ";

/// The pair as printed: two columns when `columns` is given (the terminal's width, at least
/// [`MIN_COLUMNS`]), else one after the other wrapped to `width`.
pub fn render(pair: &Pair, columns: Option<usize>, width: usize) -> String {
    match columns.filter(|&c| c >= MIN_COLUMNS) {
        Some(columns) => side_by_side(pair, columns),
        None => one_after_the_other(pair, width.max(20)),
    }
}

/// The paragraphs of a bead's side of `article`, wrapped to `width`, a blank line between them.
fn wrapped_side(article: &Article, beads: std::ops::Range<usize>, width: usize) -> Vec<String> {
    let text = &article.text;
    let all = paragraphs(text);
    let mut out = Vec::new();
    for (n, p) in all[beads].iter().enumerate() {
        if n > 0 {
            out.push(String::new());
        }
        out.extend(wrap(&text[p.bytes.clone()], width));
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let w = Wrapped::new(text, u16::try_from(width).unwrap_or(u16::MAX));
    (0..w.lines.len())
        .map(|i| w.text(text, i).to_owned())
        .collect()
}

/// A heading line for one side: its title, then its id and language, and what it is to the other.
fn heading(article: &Article, role: Option<&str>) -> (String, String) {
    let mut about = format!("{} · {}", article.id, article.meta.language);
    if let Some(role) = role {
        about.push_str(&format!(" · {role}"));
    }
    (article.meta.title.clone(), about)
}

fn side_by_side(pair: &Pair, columns: usize) -> String {
    let left_width = (columns - GUTTER.width()) / 2;
    let right_width = columns - GUTTER.width() - left_width;
    let mut out = String::new();
    let rows = |left: Vec<String>, right: Vec<String>, out: &mut String| {
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let pad = left_width.saturating_sub(l.width());
            let line = format!("{l}{}{GUTTER}{r}", " ".repeat(pad));
            out.push_str(line.trim_end());
            out.push('\n');
        }
    };
    let (lt, la) = heading(&pair.article, None);
    let (rt, ra) = heading(&pair.other, Some(pair.role.name()));
    let mut left = wrap(&lt, left_width);
    left.extend(wrap(&la, left_width));
    let mut right = wrap(&rt, right_width);
    right.extend(wrap(&ra, right_width));
    rows(left, right, &mut out);
    out.push_str(&format!(
        "{}─┼─{}\n",
        "─".repeat(left_width),
        "─".repeat(right_width)
    ));
    for (n, bead) in pair.beads.iter().enumerate() {
        if n > 0 {
            rows(vec![String::new()], vec![String::new()], &mut out);
        }
        let left = wrapped_side(&pair.article, bead.left.clone(), left_width);
        let right = wrapped_side(&pair.other, bead.right.clone(), right_width);
        rows(left, right, &mut out);
    }
    out
}

fn one_after_the_other(pair: &Pair, width: usize) -> String {
    let mut out = String::new();
    let (lt, la) = heading(&pair.article, None);
    let (rt, ra) = heading(&pair.other, Some(pair.role.name()));
    for line in [lt, la, String::new(), rt, ra] {
        for wrapped in wrap(&line, width) {
            out.push_str(&wrapped);
            out.push('\n');
        }
    }
    let total = pair.beads.len();
    for (n, Bead { left, right }) in pair.beads.iter().enumerate() {
        for (article, range, role) in [
            (&pair.article, left, None),
            (&pair.other, right, Some(pair.role.name())),
        ] {
            let label = match role {
                Some(role) => format!("── {}/{total} · {} ({role}) ", n + 1, article.id),
                None => format!("── {}/{total} · {} ", n + 1, article.id),
            };
            let rule = width.saturating_sub(label.width());
            out.push('\n');
            out.push_str(&format!("{label}{}\n", "─".repeat(rule)));
            let lines = wrapped_side(article, range.clone(), width);
            if lines.is_empty() {
                out.push_str("(no paragraph here)\n");
            }
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
