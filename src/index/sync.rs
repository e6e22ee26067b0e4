//! Bringing the index up to date with the content dir: only added, changed and removed files are touched
//! (size and modification time first, a fingerprint of the bytes to confirm), and nothing is written at
//! all when nothing changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::schema::TantivyDocument;
use tantivy::{DateTime, IndexWriter, TantivyError, Term};

use super::fresh::RefreshError;
use super::plan::{self, Known, Plan, Todo};
use super::queue::{Queue, Queued};
use super::state::{self, FileState};
use super::{ArticleIndex, Fields, IndexError, record, skipped};
use crate::annotation::{Annotation, AnnotationStore};
use crate::article::{Article, ArticleFileError, read_capped};
use crate::content::{self, ContentError, ContentFile, Scan, Warning};

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Re-read every file, as if the index were empty.
    pub rebuild: bool,
    /// Files over this many bytes are skipped.
    pub max_file_bytes: u64,
    /// Memory for the index writer, in MiB.
    pub writer_memory_mib: usize,
    /// Threads for reading files and for tantivy's indexing; 0 picks one per core, at most 4.
    pub threads: usize,
    /// The annotation store, whose tags, notes and quotes are indexed with their articles.
    pub annotations_dir: Option<PathBuf>,
    /// Pass over files that the last sync could not index and that have not changed since (counted as
    /// skipped, without a warning), instead of reading them again. `index` reads them again, to warn;
    /// the freshness check before a search does not.
    pub pass_known_bad: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            rebuild: false,
            max_file_bytes: crate::article::DEFAULT_MAX_FILE_BYTES,
            writer_memory_mib: 200,
            threads: 0,
            annotations_dir: None,
            pass_known_bad: false,
        }
    }
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Files whose size or time changed but whose bytes did not (re-recorded, not re-analysed content).
    pub touched: usize,
    /// Files that could not be indexed (each has a warning).
    pub skipped: usize,
    /// Bytes of article files read and indexed.
    pub bytes: u64,
    /// Whether anything was written.
    pub committed: bool,
    /// Files passed over or read with a problem.
    pub warnings: Vec<Warning>,
}

impl SyncReport {
    /// Articles added, updated or removed.
    pub fn changed(&self) -> usize {
        self.added + self.updated + self.removed
    }
}

/// What a sync compares the content dir's files with.
pub(super) struct BeforeSync {
    /// The annotation store's files, each article's with its size and time.
    notes: state::NoteFiles,
    /// Files the last sync could not index, with their state then.
    known_bad: HashMap<String, skipped::Stamp>,
    /// What the last commit holds.
    known: Known,
}

/// Progress of a sync: files read so far out of those to read.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

impl ArticleIndex {
    /// Makes the index hold exactly the loadable articles of `scan`.
    pub fn sync(
        &self,
        scan: &Scan,
        options: &SyncOptions,
        progress: Progress<'_>,
    ) -> Result<SyncReport, IndexError> {
        let before = self.before_sync(options)?;
        self.sync_from(scan, before, options, progress)
    }

    /// Scans `content_dir` and brings the index up to date with it; the scan returned with what was done.
    pub fn scan_and_sync(
        &self,
        content_dir: &Path,
        options: &SyncOptions,
        progress: Progress<'_>,
    ) -> Result<(Scan, SyncReport), RefreshError> {
        let (scan, before) = self.scan_beside(content_dir, options)?;
        let report = self.sync_from(&scan, before?, options, progress)?;
        Ok((scan, report))
    }

    /// The scan of `content_dir`, and what it is compared with, read at the same time (the scan is
    /// mostly the kernel's `stat`s, the rest reading files beside the index).
    pub(super) fn scan_beside(
        &self,
        content_dir: &Path,
        options: &SyncOptions,
    ) -> Result<(Scan, Result<BeforeSync, IndexError>), ContentError> {
        let (scan, before) = std::thread::scope(|scope| {
            let scan = scope.spawn(|| content::scan(content_dir));
            let before = self.before_sync(options);
            (scan.join(), before)
        });
        let scan = scan.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok((scan, before))
    }

    /// What a sync compares a scan with, read from the annotation store and beside the index: it needs
    /// no scan, so it can be read while the content dir is scanned.
    pub(super) fn before_sync(&self, options: &SyncOptions) -> Result<BeforeSync, IndexError> {
        Ok(BeforeSync {
            notes: state::annotation_files(options.annotations_dir.as_deref()),
            known_bad: skipped::load(self.dir.as_deref()),
            known: self.known(options.rebuild)?,
        })
    }

    /// [`sync`](Self::sync) with what was read before it.
    pub(super) fn sync_from(
        &self,
        scan: &Scan,
        before: BeforeSync,
        options: &SyncOptions,
        progress: Progress<'_>,
    ) -> Result<SyncReport, IndexError> {
        let BeforeSync {
            notes,
            known_bad,
            known,
        } = before;
        let plan = Plan::new(scan, &known.files, &notes, &known_bad, options);
        if plan.is_empty() && !options.rebuild {
            self.keep_record(&known);
            return Ok(report_of(scan, &plan));
        }
        let writer = self.writer(options, plan.to_read.len())?;
        // With the writer held no one else can commit: plan again if someone did since.
        let last = match self.dir.as_deref() {
            Some(dir) => Some(self.last_commit(dir)?),
            None => None,
        };
        if known.commit.is_some() && known.commit != last {
            drop(plan);
            let known = self.known(options.rebuild)?;
            let plan = Plan::new(scan, &known.files, &notes, &known_bad, options);
            return self.apply(writer, known, plan, (scan, known_bad), options, progress);
        }
        self.apply(writer, known, plan, (scan, known_bad), options, progress)
    }

    /// Carries out `plan` with `writer`, commits, and records the new state of the files.
    fn apply(
        &self,
        writer: IndexWriter<Queued>,
        known: Known,
        plan: Plan<'_>,
        (scan, known_bad): (&Scan, HashMap<String, skipped::Stamp>),
        options: &SyncOptions,
        progress: Progress<'_>,
    ) -> Result<SyncReport, IndexError> {
        let mut report = report_of(scan, &plan);
        if plan.is_empty() && !options.rebuild {
            drop(writer);
            self.keep_record(&known);
            return Ok(report);
        }
        if options.rebuild {
            writer.delete_all_documents()?;
        }
        for id in &plan.gone {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        report.removed = plan.gone.len();
        // Deletes go in before the adds, so that a re-added article survives its own delete.
        for todo in plan.to_read.iter().filter(|t| t.old.is_some()) {
            writer.delete_term(Term::from_field_text(self.fields.id, &todo.file.id));
        }
        let outcome = self.read_and_add(&writer, &plan.to_read, options, progress);
        let mut now_bad = known_bad;
        if !now_bad.is_empty() {
            // Files that are gone are no longer skipped (a set of the ids only when there are any).
            let on_disk: HashSet<&str> = scan.files.iter().map(|f| f.id.as_str()).collect();
            now_bad.retain(|id, _| on_disk.contains(id.as_str()));
        }
        let mut changes: HashMap<&str, Option<FileState>> =
            plan.gone.iter().map(|id| (id.as_str(), None)).collect();
        for (todo, result) in plan.to_read.iter().zip(outcome) {
            let (file, notes) = (todo.file, todo.notes);
            match &result {
                Ok(_) => now_bad.remove(&file.id),
                Err(_) => now_bad.insert(file.id.clone(), (file.size, file.mtime_ns, notes)),
            };
            match result {
                Ok(added) => {
                    report.bytes += added.state.size;
                    report.warnings.extend(added.warnings);
                    match todo.old {
                        None => report.added += 1,
                        Some(old)
                            if old.fingerprint == added.state.fingerprint
                                && old.notes == added.state.notes =>
                        {
                            report.touched += 1
                        }
                        Some(_) => report.updated += 1,
                    }
                    changes.insert(&file.id, Some(added.state));
                }
                Err(warning) => {
                    report.skipped += 1;
                    if todo.old.is_some() {
                        report.removed += 1;
                    }
                    report.warnings.push(warning);
                    changes.insert(&file.id, None);
                }
            }
        }
        let opstamp = self.commit(writer)?;
        report.committed = true;
        tracing::info!(
            added = report.added,
            updated = report.updated,
            removed = report.removed,
            unchanged = report.unchanged,
            skipped = report.skipped,
            "index synced"
        );
        self.record_commit(opstamp, plan::after(known.files.into_files(), changes));
        if let Err(e) = skipped::save(self.dir.as_deref(), &now_bad) {
            // Only a cost: the files are read again next time.
            report.warnings.push(Warning::Unreadable {
                path: self.dir.clone().unwrap_or_default(),
                error: format!("the list of skipped files could not be written ({e})"),
            });
        }
        Ok(report)
    }

    /// Writes the record of `files` as the commit `opstamp` holds them, when `meta.json` still names
    /// that commit (merged or not); when another process committed since, the next sync reads the
    /// columns instead.
    fn record_commit(&self, opstamp: tantivy::Opstamp, files: record::Files) {
        let Some(dir) = self.dir.as_deref() else {
            return;
        };
        let known = match self.last_commit(dir) {
            Ok(commit) if commit.opstamp == opstamp => plan::Known {
                files: plan::Indexed::Read(files),
                commit: Some(commit),
            },
            _ => return,
        };
        self.keep_record(&known);
    }

    /// A writer with as many indexing threads as `to_read` files can keep busy (one for a few files:
    /// each thread is spawned and given its own segment writer, which a commit of one article does not
    /// need).
    fn writer(
        &self,
        options: &SyncOptions,
        to_read: usize,
    ) -> Result<IndexWriter<Queued>, IndexError> {
        let threads = indexing_threads(options.threads).min(to_read.div_ceil(64).max(1));
        let memory = options.writer_memory_mib.max(15 * threads) << 20;
        // Another process may hold the lock for a moment only (to see whether the index is busy).
        let mut attempt = self
            .index
            .writer_with_num_threads::<Queued>(threads, memory);
        for _ in 0..5 {
            if !matches!(attempt, Err(TantivyError::LockFailure(..))) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            attempt = self
                .index
                .writer_with_num_threads::<Queued>(threads, memory);
        }
        match attempt {
            Ok(writer) => {
                writer.set_merge_policy(Box::new(merge_policy()));
                // A writer killed mid-run leaves files the index does not use, whose names the next
                // writer would reuse (`FileAlreadyExists`): clear them first.
                writer.garbage_collect_files().wait()?;
                Ok(writer)
            }
            Err(TantivyError::LockFailure(..)) => Err(IndexError::Busy),
            Err(e) => Err(e.into()),
        }
    }

    fn commit(&self, mut writer: IndexWriter<Queued>) -> Result<tantivy::Opstamp, IndexError> {
        let opstamp = writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(opstamp)
    }

    /// Reads, parses and adds `files` on a few threads; returns, per file, the bytes indexed or why not.
    fn read_and_add(
        &self,
        writer: &IndexWriter<Queued>,
        files: &[Todo<'_>],
        options: &SyncOptions,
        progress: Progress<'_>,
    ) -> Vec<Result<Added, Warning>> {
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let queue = Arc::new(Queue::default());
        let results: Mutex<Vec<Option<Result<Added, Warning>>>> =
            Mutex::new(vec![None; files.len()]);
        let work = || {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(todo) = files.get(i) else {
                    break;
                };
                let result = self.add_file((writer, &queue), todo.file, todo.notes, options);
                results.lock().expect("no panics while holding the lock")[i] = Some(result);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..reading_threads(options.threads).min(files.len()) {
                scope.spawn(work);
            }
            work();
        });
        results
            .into_inner()
            .expect("no panics while holding the lock")
            .into_iter()
            .map(|r| r.expect("every file was read"))
            .collect()
    }

    fn add_file(
        &self,
        (writer, queue): (&IndexWriter<Queued>, &Arc<Queue>),
        file: &ContentFile,
        notes: (u64, i64),
        options: &SyncOptions,
    ) -> Result<Added, Warning> {
        let fail = |error| {
            Warning::BadArticle(ArticleFileError {
                path: file.path.clone(),
                error,
            })
        };
        let bytes = read_capped(&file.path, options.max_file_bytes).map_err(fail)?;
        let (article, unknown) =
            Article::from_bytes(&file.id, &file.path, &bytes).map_err(Warning::BadArticle)?;
        let mut warnings = crate::content::unknown_keys(&file.path, unknown);
        let claims = match (&options.annotations_dir, notes) {
            (Some(dir), notes) if notes != (0, 0) => match AnnotationStore::new(dir).load(&file.id)
            {
                Ok(stored) => stored.annotations,
                Err(e) => {
                    warnings.push(Warning::Annotations(e.to_string()));
                    Vec::new()
                }
            },
            _ => Vec::new(),
        };
        let state = FileState {
            size: bytes.len() as u64,
            mtime_ns: file.mtime_ns,
            fingerprint: state::fingerprint(&bytes),
            notes,
        };
        writer
            .add_document(queue.enter(document(&self.fields, &article, &claims, state)))
            .map_err(|e| Warning::Unreadable {
                path: file.path.clone(),
                error: e.to_string(),
            })?;
        Ok(Added { state, warnings })
    }
}

/// An article file that went into the index.
#[derive(Debug, Clone)]
struct Added {
    /// The file as it was indexed.
    state: FileState,
    warnings: Vec<Warning>,
}

/// A report of what `plan` leaves as it is (what it changes is counted as it is done).
fn report_of(scan: &Scan, plan: &Plan<'_>) -> SyncReport {
    SyncReport {
        unchanged: plan.unchanged,
        skipped: plan.skipped,
        warnings: scan.warnings.clone(),
        ..SyncReport::default()
    }
}

/// The index document for an article (as [`ArticleIndex::sync`] makes it; for benchmarks).
pub fn document_for(fields: &Fields, article: &Article, claims: &[Annotation]) -> TantivyDocument {
    let file = FileState {
        size: article.text.len() as u64,
        mtime_ns: 0,
        fingerprint: 0,
        notes: (0, 0),
    };
    document(fields, article, claims, file)
}

/// The index document for an article.
pub(super) fn document(
    fields: &Fields,
    article: &Article,
    claims: &[Annotation],
    file: FileState,
) -> TantivyDocument {
    let meta = &article.meta;
    let mut doc = TantivyDocument::new();
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.title, &meta.title);
    doc.add_text(fields.body, &article.text);
    if let Some(words) = super::segment::words_value(&meta.title, &article.text) {
        doc.add_text(fields.cjk_words, words);
    }
    for (field, value) in [(fields.source, &meta.source), (fields.author, &meta.author)] {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    doc.add_text(fields.language, &meta.language);
    for tag in &meta.tags {
        doc.add_text(fields.tag, tag);
        doc.add_text(fields.article_tag, tag);
    }
    if let Some(published) = meta.published {
        doc.add_date(
            fields.published,
            DateTime::from_timestamp_secs(published.timestamp()),
        );
        doc.add_text(fields.published_text, published.to_string());
    }
    doc.add_u64(fields.words, article.word_count() as u64);
    doc.add_u64(fields.summary_only, u64::from(meta.summary_only));
    doc.add_u64(fields.claims, claims.len() as u64);
    for claim in claims {
        for tag in &claim.tags {
            doc.add_text(fields.tag, tag);
            doc.add_text(fields.claim_tag, tag);
        }
        doc.add_text(fields.quote, &claim.quote);
        if let Some(note) = &claim.note {
            doc.add_text(fields.note, note);
        }
        doc.add_text(fields.claim, super::search::ClaimHit::stored(claim));
        if let Some(creator) = &claim.creator {
            doc.add_text(fields.creator, creator.to_string());
        }
    }
    doc.add_u64(fields.size, file.size);
    doc.add_i64(fields.mtime, file.mtime_ns);
    doc.add_u64(fields.fingerprint, file.fingerprint);
    doc.add_u64(fields.notes_size, file.notes.0);
    doc.add_i64(fields.notes_mtime, file.notes.1);
    doc
}

/// Segments under this many documents are one level of the merge policy, merged among themselves.
/// tantivy's default (10,000) put the one-document segment of each small commit in the level of a
/// segment of up to 16,800 articles, which the eighth such commit merged with them: a command that
/// changed one file then rewrote some 100 MB of index, waiting on it, every eighth time.
pub const SMALL_SEGMENT_DOCS: u32 = 100;

/// tantivy's log merge policy (segments of like size merged eight at a time), with small segments
/// kept to a level of their own (see [`SMALL_SEGMENT_DOCS`]); larger levels are as tantivy's default.
fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_layer_size(SMALL_SEGMENT_DOCS);
    policy
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn indexing_threads(configured: usize) -> usize {
    if configured == 0 {
        cores().min(4)
    } else {
        configured.clamp(1, 8)
    }
}

fn reading_threads(configured: usize) -> usize {
    indexing_threads(configured)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;

    fn write(dir: &std::path::Path, name: &str, title: &str, body: &str) {
        std::fs::write(
            dir.join(name),
            format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n"),
        )
        .unwrap();
    }

    #[test]
    fn a_second_writer_is_told_the_index_is_busy_and_readers_keep_working() {
        let content = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(
            content.path(),
            "a.md",
            "Chips",
            "Export restrictions on chips.",
        );
        let (index, _) = ArticleIndex::open(dir.path()).unwrap();
        let scan = content::scan(content.path()).unwrap();
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        // Another process's writer, as tantivy sees it: the same directory, its lock held.
        let other = tantivy::Index::open_in_dir(dir.path()).unwrap();
        let held: IndexWriter = other.writer(50_000_000).unwrap();
        write(content.path(), "b.md", "Cloud", "An outage.");
        let scan = content::scan(content.path()).unwrap();
        let err = index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap_err();
        assert!(matches!(err, IndexError::Busy), "{err}");
        assert!(err.to_string().contains("busy"));
        assert_eq!(index.search("chips", 10, 100).unwrap().total, 1);
        drop(held);
        let report = index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        assert_eq!((report.added, report.unchanged), (1, 1));
    }

    #[test]
    fn small_commits_merge_among_themselves_not_into_a_larger_segment() {
        let content = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for i in 0..300 {
            write(
                content.path(),
                &format!("a{i:03}.md"),
                "T",
                "Export restrictions.",
            );
        }
        let (index, _) = ArticleIndex::open(dir.path()).unwrap();
        let options = SyncOptions {
            threads: 1,
            ..SyncOptions::default()
        };
        let sync = || {
            let scan = content::scan(content.path()).unwrap();
            index.sync(&scan, &options, &|_, _| {}).unwrap()
        };
        sync();
        let sizes = || -> Vec<u32> {
            let mut sizes: Vec<u32> = (index.index.searchable_segment_metas().unwrap())
                .iter()
                .map(|s| s.max_doc())
                .collect();
            sizes.sort_unstable();
            sizes
        };
        assert_eq!(sizes(), [300]);
        // Twelve commits of one new article each: the eighth merges the eight small segments, the
        // 300-article one is left alone (tantivy's default policy merged it with them).
        for i in 0..12 {
            write(content.path(), &format!("b{i:02}.md"), "T", "Gallium.");
            assert_eq!(sync().added, 1);
        }
        assert_eq!(sizes(), [1, 1, 1, 1, 8, 300]);
        assert_eq!(index.search("gallium", 20, 80).unwrap().total, 12);
    }

    #[test]
    fn touched_files_are_re_recorded_not_counted_as_changed() {
        let content = tempfile::tempdir().unwrap();
        write(
            content.path(),
            "a.md",
            "Chips",
            "Export restrictions on chips.",
        );
        let index = ArticleIndex::in_ram();
        let scan = content::scan(content.path()).unwrap();
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        let mut touched = content::scan(content.path()).unwrap();
        touched.files[0].mtime_ns += 1;
        let report = index
            .sync(&touched, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        assert_eq!(
            (report.touched, report.updated, report.unchanged),
            (1, 0, 0)
        );
        let report = index
            .sync(&touched, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        assert_eq!((report.unchanged, report.committed), (1, false));
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn snippets_and_match_ranges_count_unicode_scalar_values() {
        let content = tempfile::tempdir().unwrap();
        write(
            content.path(),
            "a.md",
            "Café",
            "Les puces — “chips” — sont restreintes. Chips again.",
        );
        let index = ArticleIndex::in_ram();
        index
            .sync(
                &content::scan(content.path()).unwrap(),
                &SyncOptions::default(),
                &|_, _| {},
            )
            .unwrap();
        let results = index.search("chips", 10, 200).unwrap();
        let hit = &results.hits[0];
        let chars: Vec<char> = hit.snippet.chars().collect();
        let marked: Vec<String> = hit
            .highlights
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect();
        assert_eq!(marked, ["chips", "Chips"]);
        let text = "“Chips” and chips, chip.";
        let ranges = index.match_ranges("chips", text).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = ranges
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect();
        assert_eq!(words, ["Chips", "chips", "chip"]);
        // A title-only match still gets a snippet: the start of the body.
        let by_title = index.search("title:cafe", 10, 20).unwrap();
        assert!(by_title.hits[0].snippet.starts_with("Les puces"));
    }

    #[test]
    fn annotations_are_indexed_with_their_article_and_followed_on_change() {
        use crate::annotation::{Annotation, AnnotationStore};
        let content = tempfile::tempdir().unwrap();
        let notes = tempfile::tempdir().unwrap();
        write(
            content.path(),
            "a.md",
            "Chips",
            "US export restrictions on advanced chips.",
        );
        write(content.path(), "b.md", "Cloud", "An outage in Hong Kong.");
        let text = "US export restrictions on advanced chips.";
        let now = time::macros::datetime!(2026-01-01 00:00:00 UTC);
        let store = AnnotationStore::new(notes.path());
        let note = Some("Tsai blamed these for the cancelled listing".to_owned());
        store
            .add(Annotation::new(
                "a",
                text,
                3,
                22,
                vec!["chip-restrictions".into()],
                note,
                now,
            ))
            .unwrap();
        let options = SyncOptions {
            annotations_dir: Some(notes.path().to_owned()),
            ..SyncOptions::default()
        };
        let index = ArticleIndex::in_ram();
        let scan = content::scan(content.path()).unwrap();
        index.sync(&scan, &options, &|_, _| {}).unwrap();
        let ids = |query: &str| -> Vec<String> {
            let results = index.search(query, 10, 100).unwrap();
            results.hits.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids("tag:chip-restrictions"), ["a"]);
        assert_eq!(ids("note:listing"), ["a"]);
        assert_eq!(ids("listing"), ["a"], "notes are searched by default");
        assert_eq!(ids("quote:restrictions"), ["a"]);
        let hit = &index.search("cancelled", 10, 100).unwrap().hits[0];
        assert_eq!(hit.claims.len(), 1);
        assert_eq!(hit.claims[0].quote, "export restrictions");
        let note: Vec<char> = hit.claims[0].note.as_ref().unwrap().chars().collect();
        let marked: String = note[hit.claims[0].note_highlights[0].clone()]
            .iter()
            .collect();
        assert_eq!(marked, "cancelled");
        // A new annotation on the other article: that article alone is read again.
        store
            .add(Annotation::new(
                "b",
                "An outage in Hong Kong.",
                3,
                9,
                vec!["outage".into()],
                None,
                now,
            ))
            .unwrap();
        let report = index.sync(&scan, &options, &|_, _| {}).unwrap();
        assert_eq!((report.updated, report.unchanged), (1, 1));
        assert_eq!(ids("tag:outage"), ["b"]);
        let listed = index.summaries().unwrap();
        assert_eq!(
            (listed[0].claims, listed[0].claim_tags.as_slice()),
            (1, &["chip-restrictions".to_owned()][..])
        );
        assert_eq!(listed[1].claims, 1);
        let report = index.sync(&scan, &options, &|_, _| {}).unwrap();
        assert!(!report.committed);
    }
}
