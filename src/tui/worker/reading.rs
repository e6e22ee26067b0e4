//! The reading state in the worker: the store that writes the reader's changes at once (atomically,
//! under its lock), the undo of the last "mark all read", a watch on the state file for what another
//! process writes there (`newsgloss mark`, a second reader), the timer that says when an article has
//! been open a moment, and which articles came from each feed.

use std::path::Path;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::*;
use crate::reading::{FeedArticles, ReadingError, ReadingStore, Undo};
use crate::tui::effect::{DWELL, ReadingChange, ReadingUpdate};

/// A watch of the reading state file: dropping it stops the watch.
pub(super) type Watching = Debouncer<RecommendedWatcher, RecommendedCache>;

/// The reader's reading state file, when it has one.
pub(super) struct Reading {
    store: Option<ReadingStore>,
    /// What the last "mark all read" changed.
    undo: Option<Undo>,
    /// The state file as the worker last wrote it (the watch passes over it).
    own: watch::OwnWrites,
}

impl Reading {
    /// Reads the state file at `path`: what can be read, and why the rest cannot.
    pub fn open(path: Option<&Path>) -> Reading {
        let store = path.map(|path| {
            ReadingStore::open(path).unwrap_or_else(|e| ReadingStore::unreadable(path, e))
        });
        Reading {
            store,
            undo: None,
            own: watch::OwnWrites::default(),
        }
    }

    /// The state as the store holds it, for the reader.
    pub fn snapshot(&self, answers: bool) -> Msg {
        Msg::Reading(Box::new(ReadingUpdate {
            state: self
                .store
                .as_ref()
                .map(ReadingStore::shared)
                .unwrap_or_default(),
            problem: self.store.as_ref().and_then(|s| s.problem()).map(said),
            answers,
            error: None,
            notice: None,
        }))
    }

    /// Writes one change and answers with the state as the file is now (or why it was not written).
    pub fn apply(&mut self, change: ReadingChange) -> Msg {
        let Some(store) = self.store.as_mut() else {
            return self.snapshot(true);
        };
        let now = time::OffsetDateTime::now_utc();
        let mut notice = None;
        let result = match change {
            ReadingChange::Read { id, read } => store.set_read(&id, read, now).map(drop),
            ReadingChange::Star { id, starred } => store.set_starred(&id, starred).map(drop),
            ReadingChange::ReadAll(ids) => store
                .mark_all_read(ids.iter().map(String::as_str), now)
                .map(|undo| self.undo = Some(undo)),
            ReadingChange::UndoReadAll => match self.undo.take() {
                Some(undo) => store.undo(&undo).map(|()| {
                    notice = Some(format!(
                        "{} unread again",
                        crate::text::plural(undo.len(), "article")
                    ))
                }),
                None => Ok(()),
            },
            ReadingChange::Position { id, position } => {
                store.update(|state| state.entry(&id).position = Some(position))
            }
            ReadingChange::Arrivals(ids) => {
                let noted = store.note_arrivals(ids.iter().map(String::as_str), now);
                // A first visit replaced a state of every article (and its text): freed.
                drop(ids);
                crate::tui::heap::trim();
                noted.map(drop)
            }
            ReadingChange::EndVisit => store.end_visit(now),
            // Not a change: answered by `reload`, never here.
            ReadingChange::Reload => Ok(()),
        };
        watch::record_own_write(&self.own, store.path());
        let error = result.err().map(|e| match e {
            ReadingError::Damaged { .. } => said(&e),
            ReadingError::Io { .. } => format!("the reading state was not saved: {e}"),
        });
        let mut msg = self.snapshot(true);
        if let Msg::Reading(update) = &mut msg {
            update.error = error;
            update.notice = notice;
        }
        msg
    }

    /// Reads the file again after it changed on disk; the state for the reader only when the file holds
    /// other bytes than the store last read or wrote (its own writes are not parsed again: at 100,000
    /// articles a parse costs hundreds of MB for a moment), or why it could not be read.
    pub fn reload(&mut self) -> Option<Msg> {
        let store = self.store.as_mut()?;
        let error = match store.reload() {
            Ok(false) => return None,
            Ok(true) => None,
            Err(e) => Some(said(&e)),
        };
        let mut msg = self.snapshot(false);
        if let Msg::Reading(update) = &mut msg {
            update.error = error;
        }
        Some(msg)
    }

    /// Starts watching the state file for what other processes write to it; the debouncer stops the
    /// watch when dropped. Without a watch (too many watches, no dir) the reader says so and goes on.
    /// A change is told to the reader, whose answer has the worker read the file again: only the store
    /// knows whether the bytes there are its own (the stamp recorded after a write can come later than
    /// the watch's event on a loaded machine).
    pub fn watch(&self, events: &Sender<Event>) -> Option<Watching> {
        let path = self.store.as_ref()?.path().to_owned();
        let dir = path.parent()?.to_owned();
        let own = Arc::clone(&self.own);
        let events = events.clone();
        let tell = events.clone();
        let handler = move |result: DebounceEventResult| {
            if changed(&result, &path) && !watch::is_own(&path, &own) {
                let _ = events.send(Event::Msg(Msg::ReadingFileChanged));
            }
        };
        let watching =
            new_debouncer(Duration::from_millis(100), None, handler).and_then(|mut debouncer| {
                std::fs::create_dir_all(&dir).ok();
                debouncer.watch(&dir, RecursiveMode::NonRecursive)?;
                Ok(debouncer)
            });
        match watching {
            Ok(debouncer) => Some(debouncer),
            Err(e) => {
                let message = format!(
                    "not watching the reading state for changes ({e}): marks made elsewhere show after a restart"
                );
                let _ = tell.send(Event::Msg(Msg::Notice(message)));
                None
            }
        }
    }
}

/// A reading state error for the status bar, where it matters first: a file that does not parse is
/// `reading.toml:LINE:COL: why`, then the dir it is in.
fn said(error: &ReadingError) -> String {
    match error {
        ReadingError::Damaged {
            path,
            location,
            message,
        } => {
            let name = path.file_name().map(Path::new).unwrap_or(path);
            let dir = path.parent().unwrap_or(Path::new("."));
            format!(
                "{}:{location}: {message} (the reading state in {} is not changed until the file is \
                 fixed or moved aside)",
                crate::content::shown(name),
                crate::content::shown(dir)
            )
        }
        ReadingError::Io { .. } => error.to_string(),
    }
}

/// Whether a burst of events touched the file at `path` (an overflow may have).
fn changed(result: &DebounceEventResult, path: &Path) -> bool {
    match result {
        Ok(events) => events.iter().any(|event| {
            !matches!(event.kind, EventKind::Access(_)) && event.paths.iter().any(|p| p == path)
        }),
        Err(_) => true,
    }
}

/// Says, after [`DWELL`], that article `id` has been open that long.
pub(super) fn dwell(id: String, events: &Sender<Event>) {
    let events = events.clone();
    let _ = std::thread::Builder::new()
        .name("newsgloss-dwell".into())
        .spawn(move || {
            std::thread::sleep(DWELL);
            let _ = events.send(Event::Msg(Msg::Dwelt(id)));
        });
}

/// Which articles came from each configured feed, from what ingest recorded.
pub(super) fn feed_articles(setup: &Setup) -> Msg {
    let ingest =
        crate::ingest::state::IngestState::load_feeds(&setup.content_dir).unwrap_or_default();
    Msg::FeedArticles(FeedArticles::new(&setup.feeds, |url| {
        ingest.feeds.get(url).map(|f| &f.articles)
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    fn answered(msg: Msg) -> ReadingUpdate {
        match msg {
            Msg::Reading(update) => *update,
            other => panic!("not the reading state: {other:?}"),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_change_is_in_the_file_at_once_and_mark_all_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/reading.toml");
        let mut reading = Reading::open(Some(&path));
        let on_disk = || ReadingStore::open(&path).unwrap().state().clone();
        let read = ReadingChange::Read {
            id: "a".into(),
            read: true,
        };
        let update = answered(reading.apply(read));
        assert!(update.answers && update.error.is_none());
        assert!(update.state.is_read("a") && on_disk().is_read("a"));
        reading.apply(ReadingChange::ReadAll(ids(&["a", "b", "c"])));
        assert!(["a", "b", "c"].iter().all(|id| on_disk().is_read(id)));
        let update = answered(reading.apply(ReadingChange::UndoReadAll));
        assert_eq!(update.notice.as_deref(), Some("2 articles unread again"));
        let state = on_disk();
        assert!(state.is_read("a") && !state.is_read("b") && !state.is_read("c"));
        let text: Vec<char> = "Some text to be read somewhere.".chars().collect();
        let position = crate::reading::Position::at(&text, 5);
        reading.apply(ReadingChange::Position {
            id: "b".into(),
            position: position.clone(),
        });
        assert_eq!(on_disk().articles["b"].position, Some(position));
        reading.apply(ReadingChange::Arrivals(ids(&["d"])));
        reading.apply(ReadingChange::EndVisit);
        let state = on_disk();
        assert!(state.articles["d"].seen.is_some() && state.last_visit.is_some());
        assert!(!state.is_new("d"), "seen before the visit ended");
    }

    #[test]
    fn a_state_file_that_does_not_parse_is_named_and_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reading.toml");
        let damaged =
            "[articles]\ngood = { read = 2026-01-01T00:00:00Z }\nbad = { read = 2026-01-01 }\n";
        std::fs::write(&path, damaged).unwrap();
        let mut reading = Reading::open(Some(&path));
        let update = answered(reading.snapshot(false));
        assert!(update.state.is_read("good"), "what can be read is read");
        let problem = update.problem.unwrap();
        assert!(problem.starts_with("reading.toml:3:16: "), "{problem}");
        let update = answered(reading.apply(ReadingChange::Star {
            id: "good".into(),
            starred: true,
        }));
        assert!(update.error.unwrap().starts_with("reading.toml:3:16: "));
        assert!(!update.state.is_starred("good"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    }

    #[test]
    fn what_another_process_writes_reaches_the_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/reading.toml");
        let mut reading = Reading::open(Some(&path));
        let (events, received) = mpsc::channel();
        let _watching = reading.watch(&events).expect("watching");
        reading.apply(ReadingChange::Read {
            id: "mine".into(),
            read: true,
        });
        // Another process: `newsgloss mark other --star`.
        let mut other = ReadingStore::open(&path).unwrap();
        other.set_starred("other", true).unwrap();
        loop {
            match received.recv_timeout(Duration::from_secs(20)) {
                Ok(Event::Msg(Msg::ReadingFileChanged)) => break,
                Ok(_) => continue,
                Err(e) => panic!("no change seen: {e}"),
            }
        }
        // The reader's answer: the worker reads the file again.
        let update = answered(reading.reload().expect("another process's bytes"));
        assert!(!update.answers && update.error.is_none());
        assert!(update.state.is_starred("other") && update.state.is_read("mine"));
        assert!(
            reading.reload().is_none(),
            "the same bytes are not read twice"
        );
    }

    #[test]
    fn the_files_own_bytes_are_not_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reading.toml");
        let mut reading = Reading::open(Some(&path));
        assert!(reading.reload().is_none(), "no file yet, none before");
        reading.apply(ReadingChange::Arrivals(ids(&["a", "b"])));
        assert!(reading.reload().is_none(), "what it wrote itself");
        std::fs::write(&path, "[articles]\nb = { starred = true }\n").unwrap();
        let update = answered(reading.reload().expect("changed"));
        assert!(update.state.is_starred("b") && !update.state.articles.contains_key("a"));
        std::fs::write(&path, "[articles\n").unwrap();
        let update = answered(reading.reload().expect("damaged"));
        assert!(update.problem.unwrap().starts_with("reading.toml:1:"));
    }
}
