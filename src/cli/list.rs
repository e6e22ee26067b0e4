//! `newsgloss list`: the articles in the index, filtered and sorted as the flags say (the library's
//! filter words, read the same way the reader reads them), with their reading state, as aligned columns
//! or JSON.

use std::io::Write;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use super::{Failure, Format, Workspace};
use crate::article::clean::clean_line;
use crate::index::Summary;
use crate::reading::{FeedArticles, LibraryFilter, ReadingState, SortKey};

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only unread articles.
    #[arg(long, conflicts_with = "read")]
    pub unread: bool,
    /// Only articles read.
    #[arg(long)]
    pub read: bool,
    /// Only starred articles.
    #[arg(long)]
    pub starred: bool,
    /// Only articles that arrived since the reader was last closed.
    #[arg(long)]
    pub new: bool,
    /// Only articles whose source (front matter) is S, in any case; repeat for any of several.
    #[arg(long, value_name = "S")]
    pub source: Vec<String>,
    /// Only articles from the configured feed NAME (any case); repeat for any of several.
    #[arg(long, value_name = "NAME")]
    pub feed: Vec<String>,
    /// Only articles with the article tag T; repeat for all of several.
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
    /// Only articles with a claim (annotation) tagged T; repeat for all of several.
    #[arg(long, value_name = "T")]
    pub claim: Vec<String>,
    /// Only articles published on or after DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The order: date (newest first), title, source, length (longest first) or claims (most first);
    /// without it, by id.
    #[arg(long, value_name = "KEY")]
    pub sort: Option<String>,
}

/// One row of `list --format json`: the article and its reading state.
#[derive(serde::Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    read: bool,
    starred: bool,
    new: bool,
}

pub fn run(workspace: &Workspace, args: ListArgs) -> Result<(), Failure> {
    let (filter, sorted) = filter_of(&args)?;
    let feeds = feed_articles(workspace);
    for name in &filter.feeds {
        if !feeds.knows(name) {
            return Err(Failure::BadInput(format!(
                "no feed named {} in the config (`newsgloss feeds list` shows them)",
                crate::article::clean::quoted(name)
            )));
        }
    }
    let index = workspace.open_index()?;
    let summaries = index.summaries().map_err(super::output::index_failure)?;
    let mut store = super::mark::open_for_reading(workspace);
    // What is listed is seen: the first sight of an article is what makes it new. A state that cannot
    // be written (damaged, read-only) only means nothing is noted this time.
    let now = time::OffsetDateTime::now_utc();
    let _ = store.note_arrivals(summaries.iter().map(|s| s.id.as_str()), now);
    let reading = store.state();
    let shown: Vec<Summary> = match sorted {
        true => filter.apply(summaries, reading, &feeds),
        false => summaries
            .into_iter()
            .filter(|s| filter.matches(s, reading, &feeds))
            .collect(),
    };
    let text = match args.format {
        Format::Json => json(&shown, reading),
        Format::Text => table(&shown, reading),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// The filter the flags say, and whether they name an order (else the list is in id order).
fn filter_of(args: &ListArgs) -> Result<(LibraryFilter, bool), Failure> {
    let bad = |e: crate::reading::FilterError| Failure::BadInput(e.to_string());
    let date = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| crate::reading::parse_date(field, v).map_err(bad))
            .transpose()
    };
    let sort = match &args.sort {
        Some(key) => key
            .parse::<SortKey>()
            .map_err(|_| bad(crate::reading::FilterError::BadSort(clean_line(key))))?,
        None => SortKey::default(),
    };
    let filter = LibraryFilter {
        unread: args.unread,
        read: args.read,
        starred: args.starred,
        new: args.new,
        sources: args.source.clone(),
        feeds: args.feed.clone(),
        tags: args.tag.clone(),
        claims: args.claim.clone(),
        since: date("since", &args.since)?,
        until: date("until", &args.until)?,
        words: Vec::new(),
        sort,
    };
    Ok((filter, args.sort.is_some()))
}

/// Which articles came from each configured feed, from what ingest recorded.
fn feed_articles(workspace: &Workspace) -> FeedArticles {
    let ingest =
        crate::ingest::state::IngestState::load_feeds(&workspace.content_dir).unwrap_or_default();
    FeedArticles::new(&workspace.config.feeds, |url| {
        ingest.feeds.get(url).map(|f| &f.articles)
    })
}

fn json(shown: &[Summary], reading: &ReadingState) -> String {
    let rows: Vec<Row> = shown
        .iter()
        .map(|summary| Row {
            summary,
            read: reading.is_read(&summary.id),
            starred: reading.is_starred(&summary.id),
            new: reading.is_new(&summary.id),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).expect("summaries serialise");
    text.push('\n');
    crate::article::clean::inert_json(text)
}

/// `new`, `unread` or `read`, and `*` when starred.
fn state_cell(reading: &ReadingState, id: &str) -> String {
    let mut cell = match (reading.is_read(id), reading.is_new(id)) {
        (false, true) => "new".to_owned(),
        (false, false) => "unread".to_owned(),
        (true, _) => "read".to_owned(),
    };
    if reading.is_starred(id) {
        cell.push_str(" *");
    }
    cell
}

fn table(summaries: &[Summary], reading: &ReadingState) -> String {
    let rows: Vec<[String; 6]> = summaries
        .iter()
        .map(|s| {
            [
                clean_line(&s.id),
                s.published.map(|p| p.date_string()).unwrap_or_default(),
                s.source.as_deref().map(clean_line).unwrap_or_default(),
                s.words.to_string(),
                state_cell(reading, &s.id),
                clean_line(&s.title),
            ]
        })
        .collect();
    let header = ["ID", "PUBLISHED", "SOURCE", "WORDS", "STATE", "TITLE"].map(str::to_owned);
    let mut widths = [0usize; 6];
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
                5 => out.push_str(cell),
                _ => out.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        out.push('\n');
    }
    out
}
