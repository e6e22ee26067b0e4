//! `newsgloss mark ID... --read|--unread --star|--unstar`: the reading state from the command line, the
//! same file the reader keeps. Also opening that state for the other commands that show it.

use clap::{ArgGroup, Args};

use super::output::warn;
use super::{Failure, Workspace};
use crate::article::clean::quoted;
use crate::content;
use crate::reading::{ReadingError, ReadingStore};

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["read", "unread", "star", "unstar"])
))]
pub struct MarkArgs {
    /// The article ids (as `list` shows them).
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Mark them read.
    #[arg(long, conflicts_with = "unread")]
    pub read: bool,
    /// Mark them unread.
    #[arg(long)]
    pub unread: bool,
    /// Star them (save for later).
    #[arg(long, conflicts_with = "unstar")]
    pub star: bool,
    /// Take their star away.
    #[arg(long)]
    pub unstar: bool,
}

pub fn run(workspace: &Workspace, args: MarkArgs) -> Result<(), Failure> {
    let (known, unknown): (Vec<&str>, Vec<&str>) = args
        .ids
        .iter()
        .map(String::as_str)
        .partition(|id| is_article(workspace, id));
    let mut store = ReadingStore::open(&workspace.reading_file).map_err(failure)?;
    let now = time::OffsetDateTime::now_utc();
    let read = match (args.read, args.unread) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let star = match (args.star, args.unstar) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    if let Some(read) = read {
        let changed = store
            .update(|state| {
                known
                    .iter()
                    .filter(|id| set_read(state, id, read, now))
                    .count()
            })
            .map_err(failure)?;
        let what = if read { "read" } else { "unread" };
        report("marked", changed, known.len(), what);
    }
    if let Some(star) = star {
        let changed = store
            .update(|state| known.iter().filter(|id| set_star(state, id, star)).count())
            .map_err(failure)?;
        let verb = if star { "starred" } else { "unstarred" };
        report(verb, changed, known.len(), "");
    }
    match unknown.as_slice() {
        [] => Ok(()),
        [one] => Err(Failure::BadInput(format!(
            "no article with id {}",
            quoted(one)
        ))),
        many => Err(Failure::BadInput(format!(
            "no articles with ids {}",
            many.iter()
                .map(|id| quoted(id))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn set_read(
    state: &mut crate::reading::ReadingState,
    id: &str,
    read: bool,
    now: time::OffsetDateTime,
) -> bool {
    if state.is_read(id) == read {
        return false;
    }
    state.entry(id).read = read.then_some(now);
    state.tidy(id);
    true
}

fn set_star(state: &mut crate::reading::ReadingState, id: &str, star: bool) -> bool {
    if state.is_starred(id) == star {
        return false;
    }
    state.entry(id).starred = star;
    state.tidy(id);
    true
}

/// `marked 2 articles read`, `starred 1 article (1 already was)`.
fn report(verb: &str, changed: usize, of: usize, what: &str) {
    let articles = if changed == 1 { "article" } else { "articles" };
    let mut line = format!("{verb} {changed} {articles}");
    if !what.is_empty() {
        line.push(' ');
        line.push_str(what);
    }
    let same = of - changed;
    if same > 0 {
        let were = if same == 1 { "was" } else { "were" };
        line.push_str(&format!(" ({same} already {were})"));
    }
    println!("{line}");
}

fn is_article(workspace: &Workspace, id: &str) -> bool {
    content::path_of(&workspace.content_dir, id).is_some_and(|path| path.is_file())
}

/// A reading state error as the command's failure: a damaged file is the user's to fix (exit 2).
pub(super) fn failure(error: ReadingError) -> Failure {
    match error {
        ReadingError::Damaged { .. } => Failure::BadInput(error.to_string()),
        ReadingError::Io { .. } => Failure::Failed(error.to_string()),
    }
}

/// The reading state for a command that shows it: what can be read, with one warning when the file
/// does not parse (or cannot be read, when it is then taken as empty).
pub(super) fn open_for_reading(workspace: &Workspace) -> ReadingStore {
    match ReadingStore::open(&workspace.reading_file) {
        Ok(store) => {
            if let Some(problem) = store.problem() {
                warn(&problem.to_string());
            }
            store
        }
        Err(e) => {
            warn(&format!("{e} (the reading state is taken as empty)"));
            ReadingStore::unreadable(&workspace.reading_file, e)
        }
    }
}
