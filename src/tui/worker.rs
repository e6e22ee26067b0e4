//! The worker thread: owns the article index and the annotation store, opens the index, and answers
//! [`Effect`]s with [`Msg`]s on the event channel, one effect at a time through [`Worker::handle`].
//! Searches are coalesced: of the effects queued together, only the newest search runs. Annotation
//! writes go to the store at once. Slow work (reconciling the index with the content dir, catching up
//! after a write, the claims, the counterpart, fetching, syncing) runs as [`job::Job`]s: one of a kind at
//! a time, the newest request waiting behind it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::command::Msg;
use super::effect::{Effect, FetchReport, ReadingChange};
use super::events::Event;
use super::state::{Claim, Entry, OtherText, Versions};
use crate::annotation::{Annotation, AnnotationStore, Edit};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::config::{FeedDef, IngestSettings};
use crate::index::{ArticleIndex, IndexError, Opened, RefreshError, SearchError, SyncOptions};
use crate::ingest::{self, DiffLine};

mod claims;
mod feeds;
mod job;
mod outside;
mod reading;
mod side_by_side;
mod team;
mod trace;
mod versions;
mod watch;

use job::{Job, Reply};
pub use team::{Team, User};
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
    /// `[reader] browser`: how pages are opened (`None`: `$BROWSER`, else the system's opener).
    pub browser: Option<String>,
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
    let reply = Reply::new(events.clone());
    let worker = Worker::new(setup, reply, &events);
    if worker.opening.borrow().is_none() {
        // No thread to be had for the reading state: it is read here rather than not at all.
        worker.with_reading(|_| ());
    }
    // Kept for as long as the worker runs: dropping it stops the watch.
    let _watching = worker.start(&events);
    while let Ok(first) = effects.recv() {
        let mut queue = vec![first];
        queue.extend(effects.try_iter());
        for effect in coalesce(queue) {
            worker.handle(effect);
        }
    }
}

/// The effects of a burst, less the searches that a newer search of the same burst makes stale (a later
/// page of a search stays: it extends results on screen).
fn coalesce(mut queue: Vec<Effect>) -> Vec<Effect> {
    let first_page = |e: &Effect| {
        matches!(
            e,
            Effect::Search { .. } | Effect::SearchPage { offset: 0, .. }
        )
    };
    if let Some(newest) = queue.iter().rposition(first_page) {
        let mut i = 0;
        queue.retain(|e| {
            i += 1;
            i - 1 == newest || !first_page(e)
        });
    }
    // Only the newest trace is answered too; the screen drops older answers.
    let trace = |e: &Effect| matches!(e, Effect::Trace { .. });
    if let Some(newest) = queue.iter().rposition(trace) {
        let mut i = 0;
        queue.retain(|e| {
            i += 1;
            i - 1 == newest || !trace(e)
        });
    }
    queue
}

/// The worker's state: its handles, the index (when it could be opened) and a job of each kind.
struct Worker {
    setup: Setup,
    handles: Handles,
    index: Option<Arc<ArticleIndex>>,
    reply: Reply,
    jobs: Jobs,
    /// The reading state, changed only here and watched for other processes' changes (the watch is
    /// kept here for as long as the worker runs). It is read on a thread of its own at start.
    reading: Arc<Mutex<Option<reading::Reading>>>,
    watching_reading: Arc<Mutex<Option<reading::Watching>>>,
    /// The thread reading the state, until the worker first needs the state.
    opening: std::cell::RefCell<Option<std::thread::JoinHandle<()>>>,
}

/// The background jobs, one of each kind at a time.
struct Jobs {
    reconcile: Job<()>,
    resync: Job<()>,
    claims: Job<()>,
    /// The feeds' records (a file as large as the feeds are long): asked for with every library.
    sources: Job<()>,
    side_by_side: Job<String>,
    fetch: Job<()>,
    sync: Job<()>,
}

impl Worker {
    /// Opens the store and the index and starts reading the reading state (each failure is said, and the
    /// worker goes on answering).
    fn new(setup: Setup, reply: Reply, events: &Sender<Event>) -> Self {
        // The store is where the index finds the annotations it indexes (a workspace always sets it).
        let dir = setup
            .sync
            .annotations_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("annotations"));
        let store = match AnnotationStore::open(&dir) {
            Ok((store, _)) => store,
            Err(e) => {
                reply.send(Msg::Error(format!("annotations: {e}")));
                AnnotationStore::new(&dir)
            }
        };
        let handles = Handles {
            store,
            syncing: Arc::new(Mutex::new(())),
            own: watch::OwnWrites::default(),
        };
        // The reading state is parsed on a thread of its own (one line per article: the largest cost
        // of a launch) while the index opens and the library is read from it. The list is drawn as soon
        // as it comes, without read marks and unread counts until the state follows (the view shows
        // none of them before, and says the state is on its way).
        let reading = Arc::new(Mutex::new(None));
        let watching_reading = Arc::new(Mutex::new(None));
        let (path, watch) = (setup.reading_file.clone(), setup.watch);
        let (slot, watch_slot) = (Arc::clone(&reading), Arc::clone(&watching_reading));
        let (reply_to, events) = (reply.clone(), events.clone());
        let opening = std::thread::Builder::new()
            .name("newsgloss-reading".into())
            .spawn(move || {
                job::in_background();
                let reading = reading::Reading::open(path.as_deref());
                reply_to.send(reading.snapshot(false));
                *lock(&watch_slot) = watch.then(|| reading.watch(&events)).flatten();
                *lock(&slot) = Some(reading);
            })
            .ok();
        let index = open_index(&setup.index_dir, &reply);
        let jobs = Jobs::new(&setup, &handles, index.as_ref(), &reply);
        Self {
            setup,
            handles,
            index,
            reply,
            jobs,
            reading,
            watching_reading,
            opening: std::cell::RefCell::new(opening),
        }
    }

    /// Runs `f` on the reading state, once the thread reading it is done.
    fn with_reading<R>(&self, f: impl FnOnce(&mut reading::Reading) -> R) -> R {
        if let Some(thread) = self.opening.borrow_mut().take() {
            let _ = thread.join();
        }
        let mut slot = lock(&self.reading);
        let reading = slot.get_or_insert_with(|| {
            // Its thread could not read it (none to be had, or it panicked): read here, and say so as
            // the thread would.
            let reading = reading::Reading::open(self.setup.reading_file.as_deref());
            self.reply.send(reading.snapshot(false));
            if self.setup.watch {
                *lock(&self.watching_reading) = reading.watch(self.reply.events());
            }
            reading
        });
        f(reading)
    }

    /// Sends the list's first rows (a large library takes a while to read whole), then, on a thread of
    /// its own, the whole list, then starts watching the files and reconciling the index, as the setup
    /// asks: a search typed as soon as the first rows show must not wait behind the rest of the list,
    /// nor behind the watch (notify knows each file by its id, so a watch begins with a `stat` of every
    /// file). The reconcile is asked for once the watch is on, so that no change made meanwhile falls
    /// between the two.
    fn start(&self, events: &Sender<Event>) -> Arc<Mutex<Option<watch::Watching>>> {
        let watching = Arc::new(Mutex::new(None));
        let Some(index) = self.index.as_ref() else {
            return watching;
        };
        let head = library_head(index);
        let shown = head.is_some();
        if let Some(head) = head {
            self.reply.send(head);
        }
        let list = {
            let (index, reply) = (Arc::clone(index), self.reply.clone());
            let syncing = Arc::clone(&self.handles.syncing);
            // Held as a sync holds it to send its library: a change saved meanwhile is synced and
            // listed after this list, never before it.
            move || {
                let _syncing = lock(&syncing);
                send_library(&index, &|msg| reply.send(msg))
            }
        };
        let list = Arc::new(Mutex::new(Some(list)));
        let (index, setup, events) = (Arc::clone(index), self.setup.clone(), events.clone());
        let (syncing, own) = (
            Arc::clone(&self.handles.syncing),
            Arc::clone(&self.handles.own),
        );
        let (slot, reconcile) = (Arc::clone(&watching), self.jobs.reconcile.clone());
        let begin = move || {
            if setup.watch {
                let started = watch::start(&index, &setup, &syncing, &own, &events);
                *lock(&slot) = started;
            }
            if setup.reconcile {
                reconcile.request(());
            }
        };
        let begin = Arc::new(Mutex::new(Some(begin)));
        let (list_on_thread, on_thread) = (Arc::clone(&list), Arc::clone(&begin));
        let started = std::thread::Builder::new()
            .name("newsgloss-start".into())
            .spawn(move || {
                // The list is waited for unless its first rows are on screen; what follows is not.
                // The watch's threads, started from here, inherit the lower priority.
                if shown {
                    job::in_background();
                }
                run_once(&list_on_thread);
                if !shown {
                    job::in_background();
                }
                run_once(&on_thread)
            });
        if started.is_err() {
            // No thread to be had: the list, the watch and the reconcile come from here rather than
            // not at all.
            run_once(&list);
            run_once(&begin);
        }
        watching
    }

    /// Does what `effect` asks and answers it.
    fn handle(&self, effect: Effect) {
        log_effect(&effect);
        let send = |msg: Msg| self.reply.send(msg);
        match effect {
            Effect::Search { seq, query } => send(self.search(seq, query)),
            Effect::SearchPage {
                seq,
                query,
                offset,
                newest_first,
            } => send(self.search_page(seq, query, offset, newest_first)),
            Effect::Open { id, query } => self.open(&id, query.as_deref(), &send),
            Effect::Reload { id, query } => {
                let reloaded = |msg: Msg| match msg {
                    Msg::Opened { article, matches } => send(Msg::Reloaded { article, matches }),
                    msg => send(msg),
                };
                self.open(&id, query.as_deref(), &reloaded);
            }
            Effect::LoadClaims => drop(self.jobs.claims.request(())),
            Effect::FetchFeeds => drop(self.jobs.fetch.request(())),
            Effect::Sync => drop(self.jobs.sync.request(())),
            Effect::Versions { id } => send(versions(&self.setup, &id)),
            Effect::LoadSideBySide { id } => drop(self.jobs.side_by_side.request(id)),
            Effect::Trace {
                seq,
                article,
                quote,
            } => send(match self.index.as_deref() {
                Some(index) => trace::traced(index, seq, &article, &quote),
                None => trace::no_index(seq),
            }),
            effect @ Effect::LinkEvidence { .. } => {
                if trace::link(&self.setup, &self.handles, effect, &send) {
                    self.resync();
                }
            }
            Effect::LoadSources => drop(self.jobs.sources.request(())),
            Effect::TagArticle { id, tags } => {
                if outside::retag(&self.setup, &id, &tags, &send) {
                    self.resync();
                }
            }
            Effect::Browse { id } => outside::browse(&self.setup, &id, &send),
            // Written to the terminal by the event loop, never sent here.
            Effect::Copy(_) => {}
            Effect::Reading(ReadingChange::Reload) => {
                if let Some(msg) = self.with_reading(|reading| reading.reload()) {
                    send(msg);
                }
            }
            Effect::Reading(change) => send(self.with_reading(|reading| reading.apply(change))),
            Effect::Dwell { id } => reading::dwell(id, self.reply.events()),
            effect @ (Effect::Annotate { .. }
            | Effect::Edit { .. }
            | Effect::Delete { .. }
            | Effect::Restore(_)) => {
                if store_effect(&self.handles, effect, self.setup.team.user.get(), &send) {
                    self.resync();
                }
            }
        }
    }

    /// The best hits for `query` (search request `seq`).
    fn search(&self, seq: u64, query: String) -> Msg {
        tracing::info!(query = ?query, "search");
        let (limit, snippet_chars) = (self.setup.limit, self.setup.snippet_chars);
        let result = self.index().and_then(|index| {
            index
                .search(&query, limit, snippet_chars)
                .map_err(search_error)
        });
        Msg::Results { seq, query, result }
    }

    /// A page of the hits for `query`, from hit `offset` on, best or newest first (search request `seq`).
    fn search_page(&self, seq: u64, query: String, offset: usize, newest_first: bool) -> Msg {
        tracing::info!(query = ?query, offset, newest_first, "search");
        let page = crate::index::Page {
            offset,
            limit: self.setup.limit,
            newest_first,
        };
        let result = self.index().and_then(|index| {
            index
                .search_page(&query, page, self.setup.snippet_chars)
                .map_err(search_error)
        });
        match offset {
            0 => Msg::Results { seq, query, result },
            _ => Msg::Page {
                seq,
                offset,
                result,
            },
        }
    }

    /// The index to search, or why there is none.
    fn index(&self) -> Result<&ArticleIndex, String> {
        self.index
            .as_deref()
            .ok_or_else(|| "search failed: the index could not be opened".to_owned())
    }

    /// Opens article `id` with its annotations; when anchoring moved some, the index catches up.
    fn open(&self, id: &str, query: Option<&str>, send: &dyn Fn(Msg)) {
        let index = self.index.as_deref();
        if open_with_annotations(index, &self.setup, &self.handles, id, query, send) {
            self.resync();
        }
    }

    /// Brings the index up to date after an annotation changed, in the background.
    fn resync(&self) {
        if self.index.is_some() {
            self.jobs.resync.request(());
        }
    }
}

impl Jobs {
    fn new(
        setup: &Setup,
        handles: &Handles,
        index: Option<&Arc<ArticleIndex>>,
        reply: &Reply,
    ) -> Self {
        let syncing = &handles.syncing;
        let (s, i, lock) = (setup.clone(), index.cloned(), Arc::clone(syncing));
        let reconcile = Job::new("reconcile", reply.clone(), move |(), reply: &Reply| {
            Some(reconcile_now(i.as_ref()?, &s, reply, &lock))
        });
        let (s, i, lock) = (setup.clone(), index.cloned(), Arc::clone(syncing));
        let resync = Job::new("resync", reply.clone(), move |(), reply: &Reply| {
            resync_now(i.as_ref()?, &s, reply, &lock)
        });
        Self {
            reconcile,
            resync,
            claims: claims::job(&handles.store, reply),
            sources: {
                let setup = setup.clone();
                Job::new("sources", reply.clone(), move |(), reply: &Reply| {
                    outside::load_sources(&setup, &|msg| reply.send(msg));
                    None
                })
            },
            side_by_side: side_by_side::job(setup, &handles.store, reply),
            fetch: feeds::job(setup, index, syncing, reply),
            sync: team::job(setup, index, syncing, reply),
        }
    }
}

/// What the worker is asked to do, in the log: what a user did, at info; the rest at debug.
fn log_effect(effect: &Effect) {
    match effect {
        Effect::Open { id, .. } => tracing::info!(id = ?id, "open"),
        // Searches are logged where they run.
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

/// The value behind `mutex`, whether or not a thread panicked holding it.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs what `once` holds, if it still holds it.
fn run_once<F: FnOnce()>(once: &Mutex<Option<F>>) {
    let begin = lock(once).take();
    if let Some(begin) = begin {
        begin();
    }
}

/// Opens the index (a notice when it had to be rebuilt, an error when it cannot be opened).
fn open_index(dir: &std::path::Path, reply: &Reply) -> Option<Arc<ArticleIndex>> {
    match ArticleIndex::open(dir) {
        Ok((index, opened)) => {
            if let Opened::Replaced { reason, .. } = opened {
                reply.send(Msg::Notice(format!(
                    "the index could not be used ({reason}); rebuilding it"
                )));
            }
            Some(Arc::new(index))
        }
        Err(e) => {
            reply.send(Msg::Error(format!("cannot open the index: {e}")));
            None
        }
    }
}

fn send_library(index: &ArticleIndex, send: &dyn Fn(Msg)) {
    send(library(index));
}

/// How many of the list's first rows are sent before the rest: more than a terminal has rows.
const HEAD_ROWS: usize = 120;

/// The list's first rows in its first order (newest first), or nothing when the whole list comes as
/// soon (a small library) or the first rows cannot be told (they are left to the whole list).
fn library_head(index: &ArticleIndex) -> Option<Msg> {
    let (mut newest, total) = index.newest(HEAD_ROWS).ok()??;
    crate::reading::sort(&mut newest, crate::reading::SortKey::Date);
    newest.truncate(HEAD_ROWS);
    Some(Msg::LibraryHead {
        entries: newest.into_iter().map(Entry::from_summary).collect(),
        total,
    })
}

/// The library as the index lists it, or why it cannot be listed.
fn library(index: &ArticleIndex) -> Msg {
    match index.summaries() {
        Ok(summaries) => {
            // Collected in place, in the summaries' larger buffer: its tail is given back.
            let mut entries: Vec<Entry> = summaries.into_iter().map(Entry::from_summary).collect();
            entries.shrink_to_fit();
            // The summaries' strings are freed; the entries live on in the reader.
            super::heap::trim();
            Msg::Library(entries)
        }
        Err(e) => Msg::Error(format!("cannot list the articles: {e}")),
    }
}

/// Scans the content dir and syncs the index, with progress, on this thread; the answer is what it did
/// (or why it could not).
fn reconcile_now(
    index: &Arc<ArticleIndex>,
    setup: &Setup,
    reply: &Reply,
    syncing: &Mutex<()>,
) -> Msg {
    let _syncing = lock(syncing);
    let msg = reconcile_with_scan(index, setup, reply);
    // The scan and the index's record of its files are freed.
    super::heap::trim();
    msg
}

/// The reconcile itself: the scan, then the index brought up to it.
fn reconcile_with_scan(index: &Arc<ArticleIndex>, setup: &Setup, reply: &Reply) -> Msg {
    let last = std::sync::Mutex::new(Instant::now() - Duration::from_secs(1));
    let progress = |done: usize, total: usize| {
        let mut last = lock(&last);
        if done == total || last.elapsed() >= Duration::from_millis(100) {
            *last = Instant::now();
            reply.send(Msg::Progress(done, total));
        }
    };
    match index.scan_and_sync(&setup.content_dir, &setup.sync, &progress) {
        Err(RefreshError::Content(e)) => Msg::Error(e.to_string()),
        // Nothing to write here, but another newsgloss holds the writer: say so, as when it is busy.
        Ok((_, report)) if !report.committed && index.writer_busy() => read_only(reply),
        Ok((_, report)) => {
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
                reply.send(reading::feed_articles(setup));
                send_library(index, &|msg| reply.send(msg));
            }
            Msg::Indexed(message)
        }
        Err(RefreshError::Index(IndexError::Busy)) => read_only(reply),
        Err(RefreshError::Index(e)) => {
            reply.send(Msg::Indexed(String::new()));
            Msg::Error(format!("indexing failed: {e}"))
        }
    }
}

/// Another newsgloss holds the index writer: the reader goes read-only, and says why.
fn read_only(reply: &Reply) -> Msg {
    reply.send(Msg::ReadOnly);
    Msg::Indexed("another newsgloss is updating the index: read-only".into())
}

/// Brings the index up to date after an annotation changed (cheap: only that article is re-read); the
/// library's counts follow.
fn resync_now(
    index: &ArticleIndex,
    setup: &Setup,
    reply: &Reply,
    syncing: &Mutex<()>,
) -> Option<Msg> {
    let _syncing = lock(syncing);
    match index.scan_and_sync(&setup.content_dir, &setup.sync, &|_, _| {}) {
        Ok((_, report)) if report.committed => {
            send_library(index, &|msg| reply.send(msg));
            None
        }
        Ok(_) | Err(RefreshError::Content(_)) => None,
        Err(RefreshError::Index(IndexError::Busy)) => Some(Msg::ReadOnly),
        Err(RefreshError::Index(e)) => {
            Some(Msg::Error(format!("indexing the annotations failed: {e}")))
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

#[cfg(test)]
mod tests;
