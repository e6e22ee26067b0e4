//! Watching the content and annotation directories: changes made outside the reader (the command line,
//! a second reader, an editor, `cp`, `rm`, `git pull`) are debounced, the index is brought up to date for
//! them on a thread of its own, and the reader is told which articles changed so that every screen shows
//! them. The index dir, the store's lock, temp and backup files, and the reader's own writes are ignored.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use notify_debouncer_full::notify::RecommendedWatcher;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::*;

/// How long the debouncer waits for a burst of events to end before handing it over.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Past this many changed articles in one burst, the reader is told "many" rather than each id (a storm
/// such as 20,000 files deleted at once costs one sync and one refresh, not one per file).
pub const MAX_IDS: usize = 256;

/// How often a sync refused because another newsgloss holds the index writer is tried again.
const BUSY_RETRIES: usize = 8;

/// Store files the reader wrote itself, with their size and modification time just after the write:
/// an event for a file still in that state is the reader's own and needs no refresh.
pub type OwnWrites = Arc<Mutex<HashMap<PathBuf, (u64, i64)>>>;

/// Records that the reader has just written `path`.
pub fn record_own_write(own: &OwnWrites, path: &Path) {
    let mut own = super::lock(own);
    match std::fs::metadata(path) {
        Ok(meta) => own.insert(path.to_owned(), stamp(&meta)),
        Err(_) => own.remove(path),
    };
}

fn stamp(meta: &std::fs::Metadata) -> (u64, i64) {
    (meta.len(), crate::content::mtime_ns(meta))
}

/// What one or more bursts of events changed.
#[derive(Debug, Default, PartialEq)]
pub struct Changed {
    /// Articles whose file or store file changed (at most [`MAX_IDS`]).
    pub articles: BTreeSet<String>,
    /// Too many to list, or a change whose articles cannot be told (a directory, an overflow).
    pub all: bool,
}

impl Changed {
    fn is_empty(&self) -> bool {
        self.articles.is_empty() && !self.all
    }

    fn add(&mut self, id: String) {
        if self.all {
            return;
        }
        self.articles.insert(id);
        if self.articles.len() > MAX_IDS {
            self.articles.clear();
            self.all = true;
        }
    }
}

/// Where the watched directories are, and which paths under them count.
#[derive(Debug, Clone)]
pub struct Roots {
    pub content: PathBuf,
    pub annotations: Option<PathBuf>,
    pub index: PathBuf,
}

impl Roots {
    /// The article a changed path belongs to, `Some(None)` when the path counts but its article cannot be
    /// told (a directory), `None` when the path does not count.
    pub fn article_of(&self, path: &Path, own: &OwnWrites) -> Option<Option<String>> {
        if path.starts_with(&self.index) {
            return None;
        }
        if let Some(dir) = &self.annotations
            && let Ok(relative) = path.strip_prefix(dir)
            && !hidden(relative)
        {
            if path.extension().is_some_and(|e| e == "toml") {
                return (!is_own(path, own)).then(|| id_of(relative, "toml"));
            }
            if path.extension().is_none() && !path.is_file() {
                return Some(None);
            }
        }
        let relative = path.strip_prefix(&self.content).ok()?;
        if hidden(relative) {
            return None;
        }
        if path.extension().is_some_and(|e| e == "md") {
            return Some(id_of(relative, "md"));
        }
        // A directory made, moved or removed (by `rm -r`, `git pull`): its articles cannot be listed.
        (path.extension().is_none() && !path.is_file()).then_some(None)
    }
}

/// Whether a path under a root has a part that starts with a dot (the store's lock, temp files and
/// backups; an editor's swap files; `.git`).
fn hidden(relative: &Path) -> bool {
    relative
        .iter()
        .any(|part| part.to_str().is_none_or(|p| p.starts_with('.')))
}

/// The id of a file `relative` to its root (`world/story.md` is `world/story`).
fn id_of(relative: &Path, extension: &str) -> Option<String> {
    let text = relative.to_str()?;
    Some(text.strip_suffix(&format!(".{extension}"))?.to_owned())
}

/// Whether `path` is as the reader itself last wrote it.
pub(super) fn is_own(path: &Path, own: &OwnWrites) -> bool {
    let own = super::lock(own);
    let Some(written) = own.get(path) else {
        return false;
    };
    std::fs::metadata(path).is_ok_and(|meta| stamp(&meta) == *written)
}

/// Adds the paths of one burst of events to `changed`.
fn collect(result: DebounceEventResult, roots: &Roots, own: &OwnWrites, changed: &mut Changed) {
    let events = match result {
        Ok(events) => events,
        // The watcher lost track (an overflow): everything may have changed.
        Err(_) => {
            changed.all = true;
            return;
        }
    };
    for event in events {
        if event.need_rescan() {
            changed.all = true;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            if changed.all {
                return;
            }
            match roots.article_of(path, own) {
                Some(Some(id)) => changed.add(id),
                Some(None) => changed.all = true,
                None => {}
            }
        }
    }
}

/// A watch of the files: dropping it stops the watch.
pub(super) type Watching = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching; the returned debouncer stops the watch when dropped. When watching is not possible
/// (too many watches, a missing dir) the reader says so and goes on without.
pub(super) fn start(
    index: &Arc<ArticleIndex>,
    setup: &Setup,
    syncing: &Arc<Mutex<()>>,
    own: &OwnWrites,
    events: &Sender<Event>,
) -> Option<Watching> {
    let roots = Roots {
        content: setup.content_dir.clone(),
        annotations: setup.sync.annotations_dir.clone(),
        index: setup.index_dir.clone(),
    };
    let (tx, rx) = mpsc::channel();
    let watching = new_debouncer(DEBOUNCE, None, tx).and_then(|mut debouncer| {
        debouncer.watch(&roots.content, RecursiveMode::Recursive)?;
        if let Some(dir) = &roots.annotations
            && !dir.starts_with(&roots.content)
        {
            std::fs::create_dir_all(dir).ok();
            debouncer.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(debouncer)
    });
    let debouncer = match watching {
        Ok(debouncer) => debouncer,
        Err(e) => {
            let message = format!("not watching the files for changes ({e}): restart to see them");
            let _ = events.send(Event::Msg(Msg::Notice(message)));
            return None;
        }
    };
    let apply = Apply {
        index: Arc::clone(index),
        setup: setup.clone(),
        syncing: Arc::clone(syncing),
        own: Arc::clone(own),
        events: events.clone(),
        roots,
    };
    std::thread::Builder::new()
        .name("newsgloss-watch".into())
        .spawn(move || apply.run(rx))
        .ok()?;
    Some(debouncer)
}

/// The thread that turns bursts of events into a synced index and a message to the reader.
struct Apply {
    index: Arc<ArticleIndex>,
    setup: Setup,
    syncing: Arc<Mutex<()>>,
    own: OwnWrites,
    events: Sender<Event>,
    roots: Roots,
}

impl Apply {
    fn run(self, rx: Receiver<DebounceEventResult>) {
        while let Ok(first) = rx.recv() {
            let mut changed = Changed::default();
            collect(first, &self.roots, &self.own, &mut changed);
            // Bursts that came while the last sync ran are applied together.
            while let Ok(more) = rx.try_recv() {
                collect(more, &self.roots, &self.own, &mut changed);
            }
            if changed.is_empty() {
                continue;
            }
            self.sync();
            let action = Msg::FilesChanged {
                articles: changed.articles.into_iter().collect(),
                all: changed.all,
            };
            if self.events.send(Event::Msg(action)).is_err() {
                break;
            }
        }
    }

    /// Brings the index up to date with the files, then sends the library as it is now.
    fn sync(&self) {
        let send = |action: Msg| {
            let _ = self.events.send(Event::Msg(action));
        };
        for attempt in 0..=BUSY_RETRIES {
            let result = {
                let _syncing = super::lock(&self.syncing);
                // Another newsgloss may have indexed the change already: start from what it committed.
                let _ = self.index.reload();
                match crate::content::scan(&self.setup.content_dir) {
                    Ok(scan) => self.index.sync(&scan, &self.setup.sync, &|_, _| {}),
                    Err(e) => return send(Msg::Error(e.to_string())),
                }
            };
            match result {
                Err(IndexError::Busy) if attempt < BUSY_RETRIES => {
                    std::thread::sleep(Duration::from_millis(150));
                }
                Err(IndexError::Busy) => send(Msg::ReadOnly),
                Err(e) => send(Msg::Error(format!(
                    "indexing the changed files failed: {e}"
                ))),
                Ok(_) => break,
            }
        }
        let _ = self.index.reload();
        send_library(&self.index, &send);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> Roots {
        Roots {
            content: dir.join("content"),
            annotations: Some(dir.join("annotations")),
            index: dir.join("content/.index"),
        }
    }

    #[test]
    fn articles_and_store_files_count_and_the_rest_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let (roots, own) = (roots(dir.path()), OwnWrites::default());
        let at = |p: &str| roots.article_of(&dir.path().join(p), &own);
        assert_eq!(
            at("content/world/story.md"),
            Some(Some("world/story".into()))
        );
        assert_eq!(
            at("annotations/world/story.toml"),
            Some(Some("world/story".into()))
        );
        assert_eq!(at("content/notes.txt"), None);
        assert_eq!(at("content/.index/meta.json"), None);
        assert_eq!(at("content/.story.md.swp"), None);
        assert_eq!(at("annotations/.lock"), None);
        assert_eq!(at("annotations/.backup/story.toml.1"), None);
        assert_eq!(at("annotations/.story.toml.tmp.12.0"), None);
        assert_eq!(at("elsewhere/story.md"), None);
        // A directory that is gone (or came): which articles it held cannot be told.
        assert_eq!(at("content/world"), Some(None));
    }

    #[test]
    fn the_readers_own_write_is_not_a_change_until_someone_else_writes() {
        let dir = tempfile::tempdir().unwrap();
        let (roots, own) = (roots(dir.path()), OwnWrites::default());
        let path = dir.path().join("annotations/story.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "x").unwrap();
        record_own_write(&own, &path);
        assert_eq!(roots.article_of(&path, &own), None);
        std::fs::write(&path, "written by another process").unwrap();
        assert_eq!(roots.article_of(&path, &own), Some(Some("story".into())));
    }

    #[test]
    fn a_storm_of_changes_is_one_change_of_everything() {
        let mut changed = Changed::default();
        for i in 0..20_000 {
            changed.add(format!("story-{i}"));
        }
        assert!(changed.all);
        assert!(changed.articles.is_empty());
    }
}
