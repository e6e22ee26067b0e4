//! The worker thread: owns the article index, opens it, reconciles it with the content dir on a second
//! thread (with progress), and answers [`Effect`]s with [`Action`]s on the event channel. Searches are
//! coalesced: when several are queued, only the newest runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use super::action::{Action, Effect};
use super::events::Event;
use super::state::Entry;
use crate::article::Article;
use crate::index::{ArticleIndex, IndexError, Opened, SearchError, SyncOptions};

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
                if let Effect::Open { id, .. } = effect {
                    send(open_article(None, &setup, &id, None));
                }
            }
            return;
        }
    };
    send_library(&index, &send);
    if setup.reconcile {
        reconcile(Arc::clone(&index), setup.clone(), events.clone());
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
                    send(open_article(Some(&index), &setup, &id, query.as_deref()))
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
fn reconcile(index: Arc<ArticleIndex>, setup: Setup, events: Sender<Event>) {
    std::thread::Builder::new()
        .name("newsgloss-sync".into())
        .spawn(move || {
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
                        send_library(&index, &send);
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
        })
        .expect("the sync thread starts");
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
