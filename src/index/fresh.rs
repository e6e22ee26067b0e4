//! Keeping the index as current as the files: [`ArticleIndex::refresh`] compares every article file and
//! annotation store file with what the index recorded (one `stat` each, no file read when nothing
//! changed), writes what changed, and, when it cannot write (another process holds the writer, a
//! read-only file system), says so instead of failing, so that a reader can answer from the index as it
//! is and say that it may be behind.

use std::path::Path;
use std::time::{Duration, Instant};

use super::sync::{Progress, SyncOptions, SyncReport};
use super::{ArticleIndex, IndexError};
use crate::content::{self, ContentError};

/// How long [`ArticleIndex::refresh`] waits by default for another process to release the writer.
pub const WRITER_PATIENCE: Duration = Duration::from_secs(1);

/// What a refresh found.
#[derive(Debug)]
pub enum Refreshed {
    /// The index was up to date, or has been brought up to date (the report says what it wrote).
    Current(SyncReport),
    /// The index could not be written and may be behind the files.
    Behind { why: Behind, report: SyncReport },
}

/// Why the index could not be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behind {
    /// Another process held the index writer for longer than the patience given.
    Busy,
    /// The index directory cannot be written (a read-only file system, no permission).
    ReadOnly(String),
}

impl std::fmt::Display for Behind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Behind::Busy => write!(f, "another newsgloss is updating it"),
            Behind::ReadOnly(why) => write!(f, "it cannot be written ({why})"),
        }
    }
}

/// Why a refresh failed outright: the content dir, or an index that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl ArticleIndex {
    /// Brings the index up to date with `content_dir` and the annotation store of `options`: a `stat`
    /// of every file, and reads and writes only for what changed. A writer held by another process is
    /// waited for up to `patience` (tried again every 50 ms); after that, and on a read-only index, the
    /// index is left as it is and [`Refreshed::Behind`] says why. Safe to call often: when nothing
    /// changed it takes no lock and writes nothing, and a file that could not be indexed is passed
    /// over until it changes (warned about once, when it was read).
    pub fn refresh(
        &self,
        content_dir: &Path,
        options: &SyncOptions,
        patience: Duration,
        progress: Progress<'_>,
    ) -> Result<Refreshed, RefreshError> {
        let options = SyncOptions {
            pass_known_bad: true,
            ..options.clone()
        };
        let (scan, before) = self.scan_beside(content_dir, &options)?;
        let mut before = Some(before);
        let started = Instant::now();
        loop {
            // Read again after a wait: another process may have committed meanwhile.
            let synced = match before.take() {
                Some(before) => before,
                None => self.before_sync(&options),
            }
            .and_then(|before| self.sync_from(&scan, before, &options, progress));
            match synced {
                Ok(report) => {
                    self.see_last_commit();
                    return Ok(Refreshed::Current(report));
                }
                Err(IndexError::Busy) if started.elapsed() < patience => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(IndexError::Busy) => {
                    self.see_last_commit();
                    return Ok(behind(Behind::Busy, scan));
                }
                Err(error) => match read_only(&error) {
                    Some(why) => return Ok(behind(Behind::ReadOnly(why), scan)),
                    None => return Err(error.into()),
                },
            }
        }
    }
}

impl ArticleIndex {
    /// Moves the searcher to the last commit when another process made it: a sync that found nothing
    /// left to write (the other process wrote it) does not reload, and a busy writer's last commit is
    /// the best answer there is. Only a cost when it fails: the searcher stays where it was.
    fn see_last_commit(&self) {
        if let Some(dir) = self.dir.as_deref()
            && let Ok(commit) = self.last_commit(dir)
            && !commit.is_seen_by(&self.reader.searcher())
            && let Err(e) = self.reader.reload()
        {
            tracing::debug!(error = %e, "the index could not be reloaded");
        }
    }
}

fn behind(why: Behind, scan: content::Scan) -> Refreshed {
    let report = SyncReport {
        warnings: scan.warnings,
        ..SyncReport::default()
    };
    Refreshed::Behind { why, report }
}

/// The words for an error that means the index directory cannot be written, if it is one.
fn read_only(error: &IndexError) -> Option<String> {
    let text = error.to_string();
    [
        "Read-only file system",
        "Permission denied",
        "os error 30",
        "os error 13",
    ]
    .iter()
    .any(|sign| text.contains(sign))
    .then(|| {
        if text.contains("Read-only") || text.contains("os error 30") {
            "a read-only file system".to_owned()
        } else {
            "permission denied".to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) {
        std::fs::write(
            dir.join(name),
            format!("+++\ntitle = \"T\"\n+++\n\n{body}\n"),
        )
        .unwrap();
    }

    #[test]
    fn a_refresh_finds_hand_edits_and_waits_for_a_busy_writer() {
        let content = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(content.path(), "a.md", "Export restrictions.");
        let (index, _) = ArticleIndex::open(dir.path()).unwrap();
        let options = SyncOptions::default();
        let fresh = |patience| {
            index
                .refresh(content.path(), &options, patience, &|_, _| {})
                .unwrap()
        };
        assert!(matches!(fresh(Duration::ZERO), Refreshed::Current(r) if r.added == 1));
        assert!(matches!(fresh(Duration::ZERO), Refreshed::Current(r) if !r.committed));
        // An edit in place, with a new word.
        write(content.path(), "a.md", "Export restrictions on gallium.");
        let other = tantivy::Index::open_in_dir(dir.path()).unwrap();
        let held: tantivy::IndexWriter = other.writer(50_000_000).unwrap();
        assert!(matches!(
            fresh(Duration::from_millis(100)),
            Refreshed::Behind {
                why: Behind::Busy,
                ..
            }
        ));
        assert_eq!(index.search("gallium", 10, 80).unwrap().total, 0);
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(held);
        });
        assert!(matches!(fresh(WRITER_PATIENCE * 5), Refreshed::Current(r) if r.updated == 1));
        release.join().unwrap();
        assert_eq!(index.search("gallium", 10, 80).unwrap().total, 1);
    }

    #[test]
    fn a_bad_file_is_read_once_then_passed_over_until_it_changes() {
        let content = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(content.path(), "a.md", "Fine.");
        std::fs::write(content.path().join("bad.md"), "+++\ntitle = \n+++\n").unwrap();
        let (index, _) = ArticleIndex::open(dir.path()).unwrap();
        let refresh = || match index
            .refresh(
                content.path(),
                &SyncOptions::default(),
                Duration::ZERO,
                &|_, _| {},
            )
            .unwrap()
        {
            Refreshed::Current(report) => report,
            other => panic!("{other:?}"),
        };
        let first = refresh();
        assert_eq!((first.added, first.skipped, first.committed), (1, 1, true));
        assert!(!first.warnings.is_empty());
        let again = refresh();
        assert_eq!((again.skipped, again.committed), (1, false));
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        write(content.path(), "bad.md", "Mended.");
        let mended = refresh();
        assert_eq!((mended.added, mended.skipped), (1, 0));
        // `index` itself reads a bad file every time, to warn about it.
        std::fs::write(content.path().join("bad.md"), "+++\ntitle = \n+++\n").unwrap();
        let scan = content::scan(content.path()).unwrap();
        for _ in 0..2 {
            let report = index
                .sync(&scan, &SyncOptions::default(), &|_, _| {})
                .unwrap();
            assert_eq!(report.skipped, 1);
            assert!(!report.warnings.is_empty());
        }
    }
}
