//! The worker thread: owns the article index and the annotation store, opens the index, reconciles it with
//! the content dir on a second thread (with progress), and answers [`Effect`]s with [`Action`]s on the
//! event channel. Searches are coalesced: when several are queued, only the newest runs. Annotation
//! writes go to the store at once; then the index catches up with that article on a thread of its own.
//! Fetching the feeds runs on a thread of its own too, then reconciles the index; the versions overlay's
//! diff is read here.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::action::{Action, Effect, FetchReport};
use super::events::Event;
use super::state::{Changes, Claim, Entry};
use crate::annotation::{Annotation, AnnotationStore, Edit};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::config::{FeedDef, IngestSettings};
use crate::index::{ArticleIndex, IndexError, Opened, SearchError, SyncOptions};
use crate::ingest::{self, DiffLine};

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
    /// The feeds the fetch key fetches, and how.
    pub feeds: Vec<FeedDef>,
    pub ingest: IngestSettings,
}

/// The worker's handles: the store, and one lock so that two syncs never race for the index writer.
struct Handles {
    store: AnnotationStore,
    syncing: Arc<Mutex<()>>,
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
    let send = |action: Action| {
        let _ = events.send(Event::Action(action));
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
            send(Action::Error(format!("annotations: {e}")));
            AnnotationStore::new(&dir)
        }
    };
    let handles = Handles {
        store,
        syncing: Arc::new(Mutex::new(())),
    };
    let index = match ArticleIndex::open(&setup.index_dir) {
        Ok((index, opened)) => {
            if let Opened::Replaced { reason, .. } = opened {
                send(Action::Notice(format!(
                    "the index could not be used ({reason}); rebuilding it"
                )));
            }
            Arc::new(index)
        }
        Err(e) => {
            send(Action::Error(format!("cannot open the index: {e}")));
            // Keep answering so that the UI gets an error for each request instead of silence.
            for effect in effects {
                match effect {
                    Effect::Open { id, .. } => {
                        open_with_annotations(None, &setup, &handles, &id, None, &send);
                    }
                    Effect::LoadClaims => send(load_claims(&handles.store, None)),
                    Effect::FetchFeeds => fetch(None, setup.clone(), events.clone(), None),
                    Effect::Versions { id } => send(changes(&setup, &id)),
                    effect => {
                        store_effect(&handles.store, effect, &send);
                    }
                }
            }
            return;
        }
    };
    send_library(&index, &send);
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
        let newest = queue
            .iter()
            .rposition(|e| matches!(e, Effect::Search { .. }));
        for (i, effect) in queue.into_iter().enumerate() {
            match effect {
                Effect::Search { seq, query } if Some(i) == newest => {
                    let result = index
                        .search(&query, setup.limit, setup.snippet_chars)
                        .map_err(|e| match e {
                            SearchError::Query(e) => e.to_string(),
                            SearchError::Index(e) => format!("search failed: {e}"),
                        });
                    send(Action::Results { seq, query, result });
                }
                Effect::Search { .. } => {}
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
                Effect::LoadClaims => send(load_claims(&handles.store, Some(&index))),
                Effect::FetchFeeds => fetch(
                    Some(Arc::clone(&index)),
                    setup.clone(),
                    events.clone(),
                    Some(Arc::clone(&handles.syncing)),
                ),
                Effect::Versions { id } => send(changes(&setup, &id)),
                effect => {
                    if store_effect(&handles.store, effect, &send) {
                        resync(&index, &setup, &handles, &events);
                    }
                }
            }
        }
    }
}

fn send_library(index: &ArticleIndex, send: &dyn Fn(Action)) {
    match index.summaries() {
        Ok(summaries) => send(Action::Library(
            summaries.into_iter().map(Entry::from_summary).collect(),
        )),
        Err(e) => send(Action::Error(format!("cannot list the articles: {e}"))),
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
    let send = |action: Action| {
        let _ = events.send(Event::Action(action));
    };
    let scan = match crate::content::scan(&setup.content_dir) {
        Ok(scan) => scan,
        Err(e) => return send(Action::Error(e.to_string())),
    };
    let last = std::sync::Mutex::new(Instant::now() - Duration::from_secs(1));
    let progress = |done: usize, total: usize| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if done == total || last.elapsed() >= Duration::from_millis(100) {
            *last = Instant::now();
            let _ = events.send(Event::Action(Action::Progress(done, total)));
        }
    };
    match index.sync(&scan, &setup.sync, &progress) {
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
                send_library(index, &send);
            }
            send(Action::Indexed(message));
        }
        Err(IndexError::Busy) => {
            send(Action::ReadOnly);
            send(Action::Indexed(
                "another newsgloss is updating the index: read-only".into(),
            ));
        }
        Err(e) => {
            send(Action::Indexed(String::new()));
            send(Action::Error(format!("indexing failed: {e}")));
        }
    }
}

/// Loads an article and the matches of `query` in it.
fn open_article(
    index: Option<&ArticleIndex>,
    setup: &Setup,
    id: &str,
    query: Option<&str>,
) -> Action {
    let Some(path) = crate::content::path_of(&setup.content_dir, id) else {
        return Action::Error(format!("{id:?} is not an article id"));
    };
    match Article::load(id, &path, setup.max_file_bytes) {
        Ok((article, _)) => {
            let matches = match (index, query) {
                (Some(index), Some(q)) => index.match_ranges(q, &article.text).unwrap_or_default(),
                _ => Vec::new(),
            };
            Action::Opened {
                article: Box::new(article),
                matches,
            }
        }
        Err(e) => Action::Error(format!("cannot open the article: {e}")),
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
    send: &dyn Fn(Action),
) -> bool {
    let action = open_article(index, setup, id, query);
    let text = match &action {
        Action::Opened { article, .. } => Some(article.text.clone()),
        _ => None,
    };
    send(action);
    let Some(text) = text else {
        return false;
    };
    match handles.store.anchored(id, &text) {
        Ok(anchored) => {
            send(Action::AnnotationsLoaded {
                article: id.to_owned(),
                result: Ok(anchored.file.annotations),
            });
            if anchored.orphaned > 0 {
                send(Action::Notice(format!(
                    "{} orphaned annotation(s): their quotes are no longer in the text (a lists them)",
                    anchored.orphaned
                )));
            }
            anchored.moved > 0
        }
        Err(e) => {
            send(Action::AnnotationsLoaded {
                article: id.to_owned(),
                result: Err(e.to_string()),
            });
            false
        }
    }
}

/// Runs an annotation write and sends the article's annotations as they are now; true when it wrote.
fn store_effect(store: &AnnotationStore, effect: Effect, send: &dyn Fn(Action)) -> bool {
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
            let annotation = Annotation::new(&article, &text, start, end, tags, note, now);
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
                .edit(&article, id, Edit { tags, note }, now)
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
    if let Err(e) = result {
        send(Action::Error(format!("could not save: {e}")));
    }
    let result = store
        .load(&article)
        .map(|f| f.annotations)
        .map_err(|e| e.to_string());
    send(Action::AnnotationsLoaded { article, result });
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
            let send = |action: Action| {
                let _ = events.send(Event::Action(action));
            };
            let Ok(scan) = crate::content::scan(&setup.content_dir) else {
                return;
            };
            match index.sync(&scan, &setup.sync, &|_, _| {}) {
                Ok(report) if report.committed => send_library(&index, &send),
                Ok(_) | Err(IndexError::Busy) => {}
                Err(e) => send(Action::Error(format!(
                    "indexing the annotations failed: {e}"
                ))),
            }
        });
}

/// Every claim of the corpus (an annotation under each of its tags), with its article's title and date.
fn load_claims(store: &AnnotationStore, index: Option<&ArticleIndex>) -> Action {
    let corpus = store.load_all();
    let summaries: std::collections::HashMap<String, _> = index
        .and_then(|i| i.summaries().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut claims = Vec::new();
    for file in corpus.articles {
        let summary = summaries.get(&file.article);
        for a in file.annotations {
            for tag in &a.tags {
                claims.push(Claim {
                    tag: clean_line(tag),
                    article: file.article.clone(),
                    title: clean_line(summary.map_or(&file.article, |s| &s.title)),
                    published: summary.and_then(|s| s.published),
                    id: a.id,
                    quote: clean_line(&a.quote),
                    note: a.note.as_deref().map(crate::article::clean::clean_text),
                    orphaned: a.orphaned,
                    start: a.start,
                });
            }
        }
    }
    let errors = corpus
        .errors
        .iter()
        .map(|e| clean_line(&e.to_string()))
        .collect();
    Action::ClaimsLoaded { claims, errors }
}

/// Fetches every configured feed on a thread of its own (progress and the summary go to the status bar),
/// then brings the index up to date so that new articles appear in the library.
fn fetch(
    index: Option<Arc<ArticleIndex>>,
    setup: Setup,
    events: Sender<Event>,
    syncing: Option<Arc<Mutex<()>>>,
) {
    let _ = std::thread::Builder::new()
        .name("newsgloss-fetch".into())
        .spawn(move || {
            let send = |action: Action| {
                let _ = events.send(Event::Action(action));
            };
            let now = time::OffsetDateTime::now_utc();
            let mut progress = |p: &ingest::Progress| {
                send(Action::Fetching {
                    done: p.done,
                    total: p.total,
                    current: p.current.clone(),
                });
            };
            let reports = ingest::fetch_feeds(
                &library_of(&setup),
                &setup.ingest,
                &setup.feeds,
                now,
                &mut progress,
            );
            let result = reports
                .map(|reports| fetch_report(&reports))
                .map_err(|e| e.to_string());
            if let (Some(index), Some(syncing), true) = (&index, &syncing, result.is_ok()) {
                reconcile_now(index, &setup, &events, syncing);
            }
            send(Action::Fetched {
                feeds: setup.feeds.len(),
                result,
            });
        });
}

/// The summary, the failed feeds and the updated articles of a fetch.
fn fetch_report(reports: &[ingest::SourceReport]) -> FetchReport {
    let failures = reports
        .iter()
        .filter_map(|r| r.result.as_ref().err().map(|e| (&r.source, e)))
        .map(|(source, e)| clean_line(&format!("{source}: {e}")))
        .collect();
    let updated = reports
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .flat_map(|o| &o.articles)
        .filter(|a| matches!(a.change, ingest::Change::Updated(_)))
        .map(|a| a.id.clone())
        .collect();
    FetchReport {
        summary: ingest::Summary::of(reports),
        failures,
        updated,
    }
}

/// Where the articles and their annotations live, as the ingest domain sees them.
fn library_of(setup: &Setup) -> ingest::Library {
    ingest::Library {
        content_dir: setup.content_dir.clone(),
        annotations_dir: setup
            .sync
            .annotations_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("annotations")),
    }
}

/// The diff from article `id`'s newest previous version to its current text, if it has one.
fn changes(setup: &Setup, id: &str) -> Action {
    let library = library_of(setup);
    let result = (|| {
        let Some(current) = crate::content::path_of(&setup.content_dir, id) else {
            return Err(format!("{id:?} is not an article id"));
        };
        let versions = library.versions(id).map_err(|e| e.to_string())?;
        let Some(previous) = versions.iter().rev().find(|v| !v.fetched) else {
            return Ok(None);
        };
        let lines = ingest::diff_files(&previous.path, &current, setup.max_file_bytes)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|line| match line {
                DiffLine::Same(t) => DiffLine::Same(clean_line(&t)),
                DiffLine::Removed(t) => DiffLine::Removed(clean_line(&t)),
                DiffLine::Added(t) => DiffLine::Added(clean_line(&t)),
            })
            .collect();
        Ok(Some(Changes::new(clean_line(&previous.name), lines)))
    })();
    Action::Changed {
        article: id.to_owned(),
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(dir: &std::path::Path) -> Setup {
        Setup {
            content_dir: dir.join("content"),
            index_dir: dir.join("index"),
            sync: SyncOptions {
                annotations_dir: Some(dir.join("annotations")),
                ..SyncOptions::default()
            },
            max_file_bytes: 1 << 20,
            limit: 50,
            snippet_chars: 200,
            reconcile: false,
            feeds: Vec::new(),
            ingest: IngestSettings::default(),
        }
    }

    fn file(text: &str) -> String {
        format!("+++\ntitle = \"Story\"\n+++\n\n{text}\n")
    }

    #[test]
    fn the_diff_is_against_the_newest_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let setup = setup(dir.path());
        let library = library_of(&setup);
        std::fs::create_dir_all(library.versions_dir("story")).unwrap();
        std::fs::write(library.article_path("story"), file("One.\n\nThree.")).unwrap();
        assert_eq!(
            changes(&setup, "story"),
            Action::Changed {
                article: "story".into(),
                result: Ok(None)
            }
        );
        let kept = library.versions_dir("story");
        std::fs::write(kept.join("20250101T000000Z.md"), file("Zero.")).unwrap();
        std::fs::write(kept.join("20260101T000000Z.md"), file("One.\n\nTwo.")).unwrap();
        std::fs::write(kept.join("20270101T000000Z.fetched.md"), file("x")).unwrap();
        let Action::Changed {
            result: Ok(Some(changes)),
            ..
        } = changes(&setup, "story")
        else {
            panic!("no diff");
        };
        assert_eq!(changes.previous, "20260101T000000Z");
        assert!(changes.lines.contains(&DiffLine::Removed("Two.".into())));
        assert!(changes.lines.contains(&DiffLine::Added("Three.".into())));
    }

    #[test]
    fn fetching_reports_progress_and_a_summary_then_refreshes_the_library() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let mut setup = setup(dir.path());
        setup.feeds = vec![FeedDef {
            name: "Closed".into(),
            url: format!("http://127.0.0.1:{port}/feed.xml"),
            language: None,
            tags: Vec::new(),
        }];
        setup.ingest.retries = 0;
        setup.ingest.timeout_ms = 2_000;
        let (effects_tx, effects_rx) = std::sync::mpsc::channel();
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let worker = spawn(setup, effects_rx, events_tx);
        effects_tx.send(Effect::FetchFeeds).unwrap();
        let (mut progress, mut libraries) = (false, 0);
        let result = loop {
            let event = events_rx.recv_timeout(Duration::from_secs(30)).unwrap();
            match event {
                Event::Action(Action::Fetching { .. }) => progress = true,
                Event::Action(Action::Library(_)) => libraries += 1,
                Event::Action(Action::Fetched { feeds, result }) => {
                    assert_eq!(feeds, 1);
                    break result;
                }
                _ => {}
            }
        };
        let report = result.unwrap();
        assert!(progress);
        assert_eq!(report.summary.failed, 1);
        assert!(report.failures[0].starts_with("Closed: "), "{report:?}");
        assert!(libraries >= 1);
        drop(effects_tx);
        worker.join().unwrap();
    }
}
