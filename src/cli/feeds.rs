//! `newsgloss feeds list|import|export`: the configured feeds with their last fetch and counts; an OPML
//! subscription list into the config file in use (edited in place); the feeds out as OPML 2.0.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use unicode_width::UnicodeWidthStr;

use super::output::{note, warn};
use super::{Failure, Format, Workspace};
use crate::article::clean::clean_line;
use crate::config::Config;
use crate::content::shown;
use crate::feeds::{self, FeedStatus, Imported};

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Each feed with its last fetch, how it went, and its articles (total and unread).
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Add the feeds of an OPML file (newsboat, Feedly, Inoreader exports...) to the config file in use:
    /// folders and categories become tags; feeds already there are left alone.
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Print the configured feeds as OPML 2.0.
    Export,
}

pub fn run(workspace: &Workspace, action: Action) -> Result<(), Failure> {
    match action {
        Action::List { format } => list(workspace, format),
        Action::Import { file } => import(workspace, &file),
        Action::Export => {
            let xml = feeds::write_opml(&workspace.config.feeds);
            let _ = std::io::stdout().lock().write_all(xml.as_bytes());
            Ok(())
        }
    }
}

fn import(workspace: &Workspace, file: &Path) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::BadInput(format!("cannot read {}: {e}", shown(file))))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = crate::article::Location::of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
        Failure::BadInput(format!("{}:{at}: the file is not UTF-8", shown(file)))
    })?;
    let (found, skipped) =
        feeds::read_opml(&text).map_err(|e| Failure::BadInput(format!("{}:{e}", shown(file))))?;
    for outline in &skipped {
        warn(&format!("{}: {outline}", shown(file)));
    }
    let config_file = workspace.config_file();
    let exists = config_file.is_file();
    let old = match exists {
        true => std::fs::read_to_string(&config_file)
            .map_err(|e| Failure::Failed(format!("cannot read {}: {e}", shown(&config_file))))?,
        false => String::new(),
    };
    let (new, imported) = feeds::add_to_config(&old, found).map_err(|e| {
        Failure::BadInput(format!(
            "{}: {}",
            shown(&config_file),
            clean_line(&e.to_string())
        ))
    })?;
    if imported.added.is_empty() {
        say_nothing_added(&imported, &config_file);
        return Ok(());
    }
    // The edited file must still be a config newsgloss reads, or it is not written.
    Config::parse(&new, &config_file).map_err(|e| {
        Failure::Failed(format!(
            "the config with the imported feeds would not read ({e}); nothing written"
        ))
    })?;
    crate::atomic_file::write(&config_file, new.as_bytes())
        .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", shown(&config_file))))?;
    report(&imported, &config_file, exists);
    Ok(())
}

fn say_nothing_added(imported: &Imported, config_file: &Path) {
    match imported.known.len() {
        0 => println!("no feeds to import"),
        n => println!(
            "nothing added: {} already in {}",
            if n == 1 {
                "the 1 feed is".to_owned()
            } else {
                format!("all {n} feeds are")
            },
            shown(config_file)
        ),
    }
}

fn report(imported: &Imported, config_file: &Path, existed: bool) {
    if !existed {
        note(&format!(
            "created {} for the imported feeds",
            shown(config_file)
        ));
    }
    for feed in &imported.added {
        let tags = match feed.tags.is_empty() {
            true => String::new(),
            false => format!("  [{}]", feed.tags.join(", ")),
        };
        println!(
            "added  {}  {}{tags}",
            clean_line(&feed.name),
            clean_line(&feed.url)
        );
    }
    let n = imported.added.len();
    let mut line = format!(
        "imported {n} {} into {}",
        if n == 1 { "feed" } else { "feeds" },
        shown(config_file)
    );
    if !imported.known.is_empty() {
        line.push_str(&format!(" ({} already there)", imported.known.len()));
    }
    println!("{line}");
}

fn list(workspace: &Workspace, format: Format) -> Result<(), Failure> {
    let defs = &workspace.config.feeds;
    if defs.is_empty() && format == Format::Text {
        note(
            "no feeds configured: `newsgloss feeds import FILE.opml`, or add [[feeds]] (name, url) to the config",
        );
        return Ok(());
    }
    let ingest = crate::ingest::state::IngestState::load_feeds(&workspace.content_dir)
        .unwrap_or_else(|e| {
            warn(&format!("{e} (fetch results are not shown)"));
            Default::default()
        });
    let index = workspace.open_index()?;
    let library = index.summaries().map_err(super::output::index_failure)?;
    let store = super::mark::open_for_reading(workspace);
    let statuses = feeds::statuses(defs, &ingest, &library, store.state());
    let text = match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&statuses).expect("statuses serialise");
            text.push('\n');
            crate::article::clean::inert_json(text)
        }
        Format::Text => table(&statuses),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

fn table(statuses: &[FeedStatus]) -> String {
    let rows: Vec<[String; 5]> = statuses
        .iter()
        .map(|s| {
            let mut result = s.result.clone().unwrap_or_else(|| "never fetched".into());
            if s.failed > 0 {
                result.push_str(&format!(" ({} entries failed)", s.failed));
            }
            [
                clean_line(&s.name),
                s.articles.to_string(),
                s.unread.to_string(),
                s.last_fetch.clone().unwrap_or_else(|| "-".into()),
                clean_line(&result),
            ]
        })
        .collect();
    let header = ["FEED", "ARTICLES", "UNREAD", "LAST FETCH", "RESULT"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            match i {
                1 | 2 => out.push_str(&format!("{pad}{cell}  ")),
                4 => out.push_str(cell),
                _ => out.push_str(&format!("{cell}{pad}  ")),
            }
        }
        out.push('\n');
    }
    out
}
