//! `newsgloss search`: ranked hits with snippets, as text or JSON.

use std::io::Write;

use super::output::{emphasise, styled};
use super::{Failure, Format, Workspace};
use crate::article::clean::clean_line;
use crate::index::{ClaimHit, Hit, SearchError};

pub fn run(
    workspace: &Workspace,
    query: &str,
    limit: Option<usize>,
    format: Format,
) -> Result<(), Failure> {
    let index = workspace.open_index()?;
    let limit = limit.unwrap_or(workspace.config.search.limit);
    if limit == 0 {
        return Err(Failure::BadInput("--limit must be at least 1".into()));
    }
    let results = index
        .search(query, limit, workspace.config.search.snippet_chars)
        .map_err(|e| match e {
            SearchError::Query(e) => Failure::BadInput(e.to_string()),
            SearchError::Index(e) => super::output::index_failure(e),
        })?;
    for notice in &results.notices {
        super::output::note(&format!("query: {notice}"));
    }
    let text = match format {
        Format::Json => json(&results.hits),
        Format::Text => text(&results.hits, results.total, styled()),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    Ok(())
}

fn text(hits: &[Hit], total: usize, styled: bool) -> String {
    let mut out = String::new();
    for hit in hits {
        let mut meta = vec![clean_line(&hit.id)];
        meta.extend(hit.source.as_deref().map(clean_line));
        meta.extend(hit.published.map(|p| p.date_string()));
        let title = if styled {
            format!("\x1b[1m{}\x1b[22m", clean_line(&hit.title))
        } else {
            clean_line(&hit.title)
        };
        out.push_str(&format!(
            "{title}\n  {}\n  {}\n",
            meta.join(" · "),
            emphasise(&hit.snippet, &hit.highlights, styled)
        ));
        for claim in &hit.claims {
            out.push_str(&claim_line(claim, styled));
        }
        out.push('\n');
    }
    let shown = hits.len();
    out.push_str(&match total {
        0 => "no articles match\n".to_owned(),
        _ if shown < total => format!("{shown} of {total} matching articles\n"),
        _ => format!(
            "{total} matching article{}\n",
            if total == 1 { "" } else { "s" }
        ),
    });
    out
}

/// A matched annotation: `  ▸ [tag, tag] “quote” — note`.
fn claim_line(claim: &ClaimHit, styled: bool) -> String {
    let tags: Vec<String> = claim.tags.iter().map(|t| clean_line(t)).collect();
    let mut line = format!(
        "  ▸ [{}] “{}”",
        tags.join(", "),
        emphasise(&claim.quote, &claim.quote_highlights, styled)
    );
    if let Some(note) = &claim.note {
        line.push_str(" — ");
        line.push_str(&emphasise(note, &claim.note_highlights, styled));
    }
    line.push('\n');
    line
}

#[derive(serde::Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    score: f32,
    published: Option<String>,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
    /// The article's annotations the query matched.
    claims: &'a [ClaimHit],
}

fn json(hits: &[Hit]) -> String {
    let hits: Vec<_> = hits
        .iter()
        .map(|h| JsonHit {
            id: &h.id,
            title: &h.title,
            score: h.score,
            published: h.published.map(|p| p.to_string()),
            snippet: &h.snippet,
            highlights: h.highlights.iter().map(|r| [r.start, r.end]).collect(),
            claims: &h.claims,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&hits).expect("hits serialise");
    text.push('\n');
    crate::article::clean::inert_json(text)
}
