//! `newsgloss annotate`: tag one quote of an article (read from its file, so the index is not needed) and
//! print the new annotation's id.

use std::io::Write;

use clap::Args;

use super::{Failure, Workspace};
use crate::annotation::{Annotation, AnnotationStore, StoreError, TagVocabulary, occurrences};
use crate::article::clean::clean_line;

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The article id (see `newsgloss list`).
    pub id: String,
    /// The exact text to annotate, as `newsgloss show ID --plain` prints it.
    #[arg(long, value_name = "TEXT")]
    pub quote: String,
    /// Which occurrence of the quote, counting from 1 (needed when it occurs more than once).
    #[arg(long, value_name = "N")]
    pub occurrence: Option<usize>,
    /// A tag (lower-case kebab-case); repeat for several.
    #[arg(long = "tag", value_name = "TAG", required = true)]
    pub tags: Vec<String>,
    /// Why it matters.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(workspace: &Workspace, args: AnnotateArgs) -> Result<(), Failure> {
    let vocabulary = TagVocabulary::new(&workspace.config.tags);
    for tag in &args.tags {
        vocabulary.check(tag).map_err(Failure::BadInput)?;
    }
    let article = super::show::load(workspace, &args.id)?;
    let text: Vec<char> = article.text.chars().collect();
    let quote: Vec<char> = args.quote.chars().collect();
    let found = occurrences(&text, &quote);
    if found.is_empty()
        && let Some(passage) = closest_passage(&text, &quote)
    {
        let id = clean_line(&args.id);
        return Err(Failure::BadInput(format!(
            "the quote is not in the text of {id} as given; the text has “{}” (other quote marks, \
             spaces or case): use --quote {}",
            clean_line(&passage),
            shell_quoted(&clean_line(&passage))
        )));
    }
    let start = pick(&found, args.occurrence, &args.id)?;
    let now = time::OffsetDateTime::now_utc();
    let end = start + quote.len();
    let annotation = Annotation::new(
        &article.id,
        &article.text,
        start,
        end,
        args.tags,
        args.note,
        now,
    )
    .by(workspace.user());
    let id = annotation.id;
    let store = open_store(workspace)?;
    store.add(annotation).map_err(store_failure)?;
    workspace.index_change();
    let _ = writeln!(std::io::stdout().lock(), "{id}");
    Ok(())
}

/// The passage of `text` that `quote` matches once quote marks, white space and case are set aside.
fn closest_passage(text: &[char], quote: &[char]) -> Option<String> {
    let (folded, map) = fold(text);
    let (wanted, _) = fold(quote);
    let start = wanted.iter().position(|c| *c != ' ')?;
    let end = wanted.iter().rposition(|c| *c != ' ')? + 1;
    let wanted = &wanted[start..end];
    let at = *occurrences(&folded, wanted).first()?;
    let (start, end) = (map[at], map[at + wanted.len() - 1] + 1);
    Some(text[start..end].iter().collect())
}

/// `text` lower-cased, with every quote mark as `'` or `"` and every run of white space as one space;
/// and, for each folded character, the index of the character of `text` it came from.
fn fold(text: &[char]) -> (Vec<char>, Vec<usize>) {
    let (mut folded, mut map) = (
        Vec::with_capacity(text.len()),
        Vec::with_capacity(text.len()),
    );
    for (i, &c) in text.iter().enumerate() {
        let c = match c {
            '’' | '‘' | '‛' | '′' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && folded.last() == Some(&' ') {
            continue;
        }
        for lower in c.to_lowercase() {
            folded.push(lower);
            map.push(i);
        }
    }
    (folded, map)
}

/// `text` in single quotes for a POSIX shell.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// How many times, in words.
fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        n => format!("{n} times"),
    }
}

/// The start of the chosen occurrence, or why there is none.
fn pick(found: &[usize], occurrence: Option<usize>, id: &str) -> Result<usize, Failure> {
    let id = clean_line(id);
    match (found, occurrence) {
        ([], _) => Err(Failure::BadInput(format!(
            "the quote is not in the text of {id} (it must match `newsgloss show {id} --plain` exactly)"
        ))),
        ([only], None) => Ok(*only),
        (_, None) => Err(Failure::BadInput(format!(
            "the quote occurs {} times in {id}; choose one with --occurrence 1 to {}",
            found.len(),
            found.len()
        ))),
        (_, Some(n)) if n == 0 || n > found.len() => Err(Failure::BadInput(format!(
            "--occurrence {n} is out of range: the quote occurs {} in {id}",
            times(found.len())
        ))),
        (_, Some(n)) => Ok(found[n - 1]),
    }
}

/// The workspace's store for reading only: no lock is taken and nothing is written, so that listing
/// and exporting work on a read-only file system (a write replaces a file whole, so a reader never
/// sees half of one).
pub fn read_store(workspace: &Workspace) -> AnnotationStore {
    AnnotationStore::new(&workspace.annotations_dir)
}

/// The workspace's store, with temp files from a crashed writer removed.
pub fn open_store(workspace: &Workspace) -> Result<AnnotationStore, Failure> {
    let (store, removed) =
        AnnotationStore::open(&workspace.annotations_dir).map_err(store_failure)?;
    for path in removed {
        super::output::warn(&format!(
            "removed a temp file left by an interrupted write: {}",
            crate::content::shown(&path)
        ));
    }
    Ok(store)
}

/// A store problem as a command failure: a wrong id or tag is the user's; a broken file or disk is not.
pub fn store_failure(error: StoreError) -> Failure {
    match error {
        StoreError::BadArticleId(_)
        | StoreError::BadTag(_)
        | StoreError::NotFound(_)
        | StoreError::NotCorrupt(_) => Failure::BadInput(error.to_string()),
        StoreError::Corrupt { .. } | StoreError::Io { .. } | StoreError::NoBackup { .. } => {
            Failure::Failed(error.to_string())
        }
    }
}
