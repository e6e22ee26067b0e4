//! The worker thread: owns the article index and the annotation store, opens the index, reconciles it with
//! the content dir on a second thread (with progress), and answers [`Effect`]s with [`Msg`]s on the
//! event channel. Searches are coalesced: when several are queued, only the newest runs. Annotation
//! writes go to the store at once; then the index catches up with that article on a thread of its own.
//! Fetching the feeds runs on a thread of its own too, then reconciles the index; the versions overlay's
//! diff is read here.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::command::Msg;
use super::effect::{Effect, FetchReport};
use super::events::Event;
use super::state::{Claim, Entry, OtherText, Versions};
use crate::annotation::{Annotation, AnnotationStore, Edit};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::config::{FeedDef, IngestSettings};
use crate::index::{ArticleIndex, IndexError, Opened, SearchError, SyncOptions};
use crate::ingest::{self, DiffLine};

mod claims;
mod feeds;
mod reading;
mod side_by_side;
mod team;
mod versions;
mod watch;

use claims::load_claims_in_background;
use feeds::fetch;
use side_by_side::counterpart_in_background;
pub use team::Team;
use team::sync_in_background;
use versions::versions;

/// What the worker needs from the workspace.
#[derive(Debug, Clone)]
pub struct Setup {
    pub content_dir: PathBuf,
    pub index_dir: PathBuf,
    pub sync: SyncOptions,
    pub max_file_bytes: u64,
    pub limit: usize,
    pub snippet_chars: usize,
    /// Whether to reconcile the index with the content dir after opening it.
    pub reconcile: bool,
    /// Whether to watch the content and annotation dirs for changes made outside the reader.
    pub watch: bool,
    /// The feeds the fetch key fetches, and how.
    pub feeds: Vec<FeedDef>,
    pub ingest: IngestSettings,
    /// Syncing through git, and who signs the annotations made here.
    pub team: Team,
    /// The reading state file (read, starred, new, positions), when the reader keeps one.
    pub reading_file: Option<PathBuf>,
}

/// The worker's handles: the store, one lock so that two syncs never race for the index writer, and the
/// store files the reader wrote itself (the watcher passes over them).
struct Handles {
    store: AnnotationStore,
    syncing: Arc<Mutex<()>>,
    own: watch::OwnWrites,
}

/// Starts the worker; it stops when the effect channel closes.
pub fn spawn(
    setup: Setup,
    effects: Receiver<Effect>,
    events: Sender<Event>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("newsgloss-worker".into())
        .spawn(move || run(setup, effects, events))
        .expect("the worker thread starts")
}

fn run(setup: Setup, effects: Receiver<Effect>, events: Sender<Event>) {
    let send = |action: Msg| {
        match &action {
            Msg::Error(message) => tracing::warn!(message = ?message, "reader error"),
            Msg::Notice(message) => tracing::info!(message = ?message, "reader notice"),
            _ => {}
        }
        let _ = events.send(Event::Msg(action));
    };
    // The store is where the index finds the annotations it indexes (a workspace always sets it).
    let dir = setup
        .sync
        .annotations_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("annotations"));
    let store = match AnnotationStore::open(&dir) {
        Ok((store, _)) => store,
        Err(e) => {
            send(Msg::Error(format!("annotations: {e}")));
            AnnotationStore::new(&dir)
        }
    };
    let handles = Handles {
        store,
        syncing: Arc::new(Mutex::new(())),
        own: watch::OwnWrites::default(),
    };
    // The reading state first: the library that follows is shown with it.
    let mut reading = reading::Reading::open(setup.reading_file.as_deref());
    send(reading.snapshot(false));
    let _watching_reading = setup.watch.then(|| reading.watch(&events)).flatten();
    let index = match ArticleIndex::open(&setup.index_dir) {
        Ok((index, opened)) => {
            if let Opened::Replaced { reason, .. } = opened {
                send(Msg::Notice(format!(
                    "the index could not be used ({reason}); rebuilding it"
                )));
            }
            Arc::new(index)
        }
        Err(e) => {
            send(Msg::Error(format!("cannot open the index: {e}")));
            // Keep answering so that the UI gets an error for each request instead of silence.
            for effect in effects {
                match effect {
                    Effect::Open { id, .. } | Effect::Reload { id, .. } => {
                        open_with_annotations(None, &setup, &handles, &id, None, &send);
                    }
                    Effect::LoadClaims => load_claims_in_background(&handles.store, &events),
                    Effect::FetchFeeds => fetch(None, setup.clone(), events.clone(), None),
                    Effect::Sync => sync_in_background(None, setup.clone(), events.clone(), None),
                    Effect::Versions { id } => send(versions(&setup, &id)),
                    Effect::LoadSideBySide { id } => {
                        counterpart_in_background(&setup, &handles.store, &id, &events)
                    }
                    Effect::Reading(change) => send(reading.apply(change)),
                    Effect::Dwell { id } => reading::dwell(id, &events),
                    effect => {
                        store_effect(&handles, effect, &setup.team.user, &send);
                    }
                }
            }
            return;
        }
    };
    send_library(&index, &send);
    send(reading::feed_articles(&setup));
    // Kept for as long as the worker runs: dropping it stops the watch.
    let _watching = setup
        .watch
        .then(|| watch::start(&index, &setup, &handles, &events))
        .flatten();
    if setup.reconcile {
        reconcile(
            Arc::clone(&index),
            setup.clone(),
            events.clone(),
            Arc::clone(&handles.syncing),
        );
    }
    while let Ok(first) = effects.recv() {
        let mut queue = vec![first];
        loop {
            match effects.try_recv() {
                Ok(effect) => queue.push(effect),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => break,
            }
        }
        // Only the newest search of a burst is worth running.
        let newest = queue.iter().rposition(|e| {
            matches!(
                e,
                Effect::Search { .. } | Effect::SearchPage { offset: 0, .. }
            )
        });
        for (i, effect) in queue.into_iter().enumerate() {
            log_effect(&effect);
            match effect {
                Effect::Search { seq, query } if Some(i) == newest => {
                    tracing::info!(query = ?query, "search");
                    let result = index
                        .search(&query, setup.limit, setup.snippet_chars)
                        .map_err(|e| match e {
                            SearchError::Query(e) => e.to_string(),
                            SearchError::Index(e) => format!("search failed: {e}"),
                        });
                    send(Msg::Results { seq, query, result });
                }
                Effect::Search { .. } => {}
                Effect::SearchPage {
                    seq,
                    query,
                    offset,
                    newest_first,
                } if offset > 0 || Some(i) == newest => {
                    tracing::info!(query = ?query, offset, newest_first, "search");
                    let page = crate::index::Page {
                        offset,
                        limit: setup.limit,
                        newest_first,
                    };
                    let result = index
                        .search_page(&query, page, setup.snippet_chars)
                        .map_err(search_error);
                    match offset {
                        0 => send(Msg::Results { seq, query, result }),
                        _ => send(Msg::Page {
                            seq,
                            offset,
                            result,
                        }),
                    }
                }
                Effect::SearchPage { .. } => {}
                Effect::Open { id, query } => {
                    let moved = open_with_annotations(
                        Some(&index),
                        &setup,
                        &handles,
                        &id,
                        query.as_deref(),
                        &send,
                    );
                    if moved {
                        resync(&index, &setup, &handles, &events);
                    }
                }
                Effect::Reload { id, query } => {
                    let reloaded = |action: Msg| match action {
                        Msg::Opened { article, matches } => {
                            send(Msg::Reloaded { article, matches })
                        }
                        action => send(action),
                    };
                    let moved = open_with_annotations(
                        Some(&index),
                        &setup,
                        &handles,
                        &id,
                        query.as_deref(),
                        &reloaded,
                    );
                    if moved {
                        resync(&index, &setup, &handles, &events);
                    }
                }
                Effect::LoadClaims => load_claims_in_background(&handles.store, &events),
                Effect::FetchFeeds => fetch(
                    Some(Arc::clone(&index)),
                    setup.clone(),
                    events.clone(),
                    Some(Arc::clone(&handles.syncing)),
                ),
                Effect::Sync => sync_in_background(
                    Some(Arc::clone(&index)),
                    setup.clone(),
                    events.clone(),
                    Some(Arc::clone(&handles.syncing)),
                ),
                Effect::Versions { id } => send(versions(&setup, &id)),
                Effect::LoadSideBySide { id } => {
                    counterpart_in_background(&setup, &handles.store, &id, &events)
                }
                Effect::Reading(change) => send(reading.apply(change)),
                Effect::Dwell { id } => reading::dwell(id, &events),
                effect => {
                    if store_effect(&handles, effect, &setup.team.user, &send) {
                        resync(&index, &setup, &handles, &events);
                    }
                }
            }
        }
    }
}

/// What the worker is asked to do, in the log: what a user did, at info; the rest at debug.
fn log_effect(effect: &Effect) {
    match effect {
        Effect::Open { id, .. } => tracing::info!(id = ?id, "open"),
        // Searches are logged where they run: only the newest of a burst does.
        Effect::Search { .. } | Effect::SearchPage { .. } => {}
        Effect::FetchFeeds => tracing::info!("fetch the feeds"),
        Effect::Sync => tracing::info!("sync the workspace"),
        effect => tracing::debug!(effect = ?effect, "effect"),
    }
}

fn search_error(e: SearchError) -> String {
    match e {
        SearchError::Query(e) => e.to_string(),
        SearchError::Index(e) => format!("search failed: {e}"),
    }
}

fn send_library(index: &ArticleIndex, send: &dyn Fn(Msg)) {
    match index.summaries() {
        Ok(summaries) => send(Msg::Library(
            summaries.into_iter().map(Entry::from_summary).collect(),
        )),
        Err(e) => send(Msg::Error(format!("cannot list the articles: {e}"))),
    }
}

/// Scans the content dir and syncs the index on its own thread, so that searches go on meanwhile.
fn reconcile(
    index: Arc<ArticleIndex>,
    setup: Setup,
    events: Sender<Event>,
    syncing: Arc<Mutex<()>>,
) {
    std::thread::Builder::new()
        .name("newsgloss-sync".into())
        .spawn(move || reconcile_now(&index, &setup, &events, &syncing))
        .expect("the sync thread starts");
}

/// Scans the content dir and syncs the index, with progress, on this thread.
fn reconcile_now(
    index: &Arc<ArticleIndex>,
    setup: &Setup,
    events: &Sender<Event>,
    syncing: &Mutex<()>,
) {
    let _syncing = syncing.lock().unwrap_or_else(|e| e.into_inner());
    let send = |action: Msg| {
        let _ = events.send(Event::Msg(action));
    };
    let scan = match crate::content::scan(&setup.content_dir) {
        Ok(scan) => scan,
        Err(e) => return send(Msg::Error(e.to_string())),
    };
    let last = std::sync::Mutex::new(Instant::now() - Duration::from_secs(1));
    let progress = |done: usize, total: usize| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if done == total || last.elapsed() >= Duration::from_millis(100) {
            *last = Instant::now();
            let _ = events.send(Event::Msg(Msg::Progress(done, total)));
        }
    };
    match index.sync(&scan, &setup.sync, &progress) {
        // Nothing to write here, but another newsgloss holds the writer: say so, as when it is busy.
        Ok(report) if !report.committed && index.writer_busy() => {
            send(Msg::ReadOnly);
            send(Msg::Indexed(
                "another newsgloss is updating the index: read-only".into(),
            ));
        }
        Ok(report) => {
            let mut message = match report.changed() {
                0 => "index up to date".to_owned(),
                n => format!(
                    "indexed {n} changed article{}",
                    if n == 1 { "" } else { "s" }
                ),
            };
            if !report.warnings.is_empty() {
                message.push_str(&format!(
                    "; {} file(s) skipped or with warnings",
                    report.warnings.len()
                ));
            }
            if report.committed {
                send(reading::feed_articles(setup));
                send_library(index, &send);
            }
            send(Msg::Indexed(message));
        }
        Err(IndexError::Busy) => {
            send(Msg::ReadOnly);
            send(Msg::Indexed(
                "another newsgloss is updating the index: read-only".into(),
            ));
        }
        Err(e) => {
            send(Msg::Indexed(String::new()));
            send(Msg::Error(format!("indexing failed: {e}")));
        }
    }
}

/// Loads an article and the matches of `query` in it.
fn open_article(index: Option<&ArticleIndex>, setup: &Setup, id: &str, query: Option<&str>) -> Msg {
    let Some(path) = crate::content::path_of(&setup.content_dir, id) else {
        return Msg::Error(format!("{id:?} is not an article id"));
    };
    match Article::load(id, &path, setup.max_file_bytes) {
        Ok((article, _)) => {
            let matches = match (index, query) {
                (Some(index), Some(q)) => index.match_ranges(q, &article.text).unwrap_or_default(),
                _ => Vec::new(),
            };
            Msg::Opened {
                article: Box::new(article),
                matches,
            }
        }
        Err(e) => Msg::Error(format!("cannot open the article: {e}")),
    }
}

/// Opens an article, then places its annotations in its text; true when anchoring moved some (and saved
/// them).
fn open_with_annotations(
    index: Option<&ArticleIndex>,
    setup: &Setup,
    handles: &Handles,
    id: &str,
    query: Option<&str>,
    send: &dyn Fn(Msg),
) -> bool {
    let action = open_article(index, setup, id, query);
    let text = match &action {
        Msg::Opened { article, .. } => Some(article.text.clone()),
        _ => None,
    };
    send(action);
    let Some(text) = text else {
        return false;
    };
    match handles.store.anchored(id, &text) {
        Ok(anchored) => {
            if anchored.moved > 0
                && let Ok(path) = handles.store.path_of(id)
            {
                watch::record_own_write(&handles.own, &path);
            }
            send(Msg::AnnotationsLoaded {
                article: id.to_owned(),
                result: Ok(anchored.file.annotations),
            });
            if anchored.orphaned > 0 {
                send(Msg::Notice(format!(
                    "{} orphaned annotation(s): their quotes are no longer in the text (a lists them)",
                    anchored.orphaned
                )));
            }
            anchored.moved > 0
        }
        Err(e) => {
            send(Msg::AnnotationsLoaded {
                article: id.to_owned(),
                result: Err(e.to_string()),
            });
            false
        }
    }
}

/// Runs an annotation write and sends the article's annotations as they are now; true when it wrote.
fn store_effect(
    handles: &Handles,
    effect: Effect,
    user: &Option<crate::annotation::Person>,
    send: &dyn Fn(Msg),
) -> bool {
    let store = &handles.store;
    let now = time::OffsetDateTime::now_utc();
    let (article, result) = match effect {
        Effect::Annotate {
            article,
            text,
            start,
            end,
            tags,
            note,
        } => {
            let annotation =
                Annotation::new(&article, &text, start, end, tags, note, now).by(user.clone());
            let result = store.add(annotation).map(|_| ());
            (article, result)
        }
        Effect::Edit {
            article,
            id,
            tags,
            note,
        } => {
            let result = store
                .edit_by(&article, id, Edit { tags, note }, user.clone(), now)
                .map(|_| ());
            (article, result)
        }
        Effect::Delete { article, id } => {
            let result = store.delete(&article, id, now).map(|_| ());
            (article, result)
        }
        Effect::Restore(annotation) => {
            let article = annotation.article.clone();
            (article, store.restore(*annotation, now))
        }
        _ => return false,
    };
    let wrote = result.is_ok();
    if wrote && let Ok(path) = store.path_of(&article) {
        watch::record_own_write(&handles.own, &path);
    }
    if let Err(e) = result {
        send(Msg::Error(format!("could not save: {e}")));
    }
    let result = store
        .load(&article)
        .map(|f| f.annotations)
        .map_err(|e| e.to_string());
    send(Msg::AnnotationsLoaded { article, result });
    wrote
}

/// Brings the index up to date after an annotation changed (cheap: only that article is re-read), on a
/// thread of its own so that the reader never waits; the library's counts follow.
fn resync(index: &Arc<ArticleIndex>, setup: &Setup, handles: &Handles, events: &Sender<Event>) {
    let (index, setup, events) = (Arc::clone(index), setup.clone(), events.clone());
    let syncing = Arc::clone(&handles.syncing);
    let _ = std::thread::Builder::new()
        .name("newsgloss-resync".into())
        .spawn(move || {
            let _syncing = syncing.lock().unwrap_or_else(|e| e.into_inner());
            let send = |action: Msg| {
                let _ = events.send(Event::Msg(action));
            };
            let Ok(scan) = crate::content::scan(&setup.content_dir) else {
                return;
            };
            match index.sync(&scan, &setup.sync, &|_, _| {}) {
                Ok(report) if report.committed => send_library(&index, &send),
                Ok(_) => {}
                Err(IndexError::Busy) => send(Msg::ReadOnly),
                Err(e) => send(Msg::Error(format!("indexing the annotations failed: {e}"))),
            }
        });
}

#[cfg(test)]
mod tests;
