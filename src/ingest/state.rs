//! What newsgloss remembers between fetches, in one small JSON file in the content dir's `.newsgloss`
//! folder (hidden, so never read as an article): the validators of each fetched URL, which article each
//! story (by URL or entry id) became, and a fingerprint of each file it wrote, so that a file edited by
//! hand is recognised; and the articles kept as summaries, with when their page is to be tried again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IngestError;
use super::http::Validators;

/// The folder, under the content dir, of the state file and the versions.
pub const DIR: &str = ".newsgloss";
const FILE: &str = "ingest.json";
/// The small copy beside it (see [`Quick`]).
pub const QUICK_FILE: &str = "fetched.json";

/// What a fetch of feeds that did not change needs of the state, in a small file beside it: the
/// validators of the configured feeds, the articles kept as summaries, and the fetch times recorded
/// since the state was written. It holds only while the state file is the very file it was made from
/// (the same size, modification time and inode): a fetch that finds every feed unchanged then reads and
/// writes this alone, and any other run reads the state whole, with these fetch times over it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Quick {
    made_from: Stamp,
    #[serde(default)]
    http: BTreeMap<String, Validators>,
    #[serde(default)]
    summaries: BTreeMap<String, PendingPage>,
    #[serde(default)]
    fetches: BTreeMap<String, Fetch>,
}

/// A fetch of a feed: when, and how it went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Fetch {
    last_fetch: Option<String>,
    result: Option<FetchResult>,
}

impl Fetch {
    fn of(record: &FeedRecord) -> Fetch {
        Fetch {
            last_fetch: record.last_fetch.clone(),
            result: record.result.clone(),
        }
    }
}

/// Which file the state file is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified_ns: i64,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified_ns: crate::content::mtime_ns(&meta),
            inode,
        })
    }
}

impl Quick {
    fn path(content_dir: &Path) -> PathBuf {
        content_dir.join(DIR).join(QUICK_FILE)
    }

    /// The small copy, when there is one and it was made from the state file as it is now.
    fn load(content_dir: &Path) -> Option<Quick> {
        let bytes = std::fs::read(Quick::path(content_dir)).ok()?;
        let quick: Quick = serde_json::from_slice(&bytes).ok()?;
        let now = Stamp::of(&IngestState::path(content_dir))?;
        (quick.made_from == now).then_some(quick)
    }

    /// Writes it; only a cost when it fails (the next run reads the state whole).
    fn save(&self, content_dir: &Path) {
        let json = serde_json::to_vec(self).expect("the copy serialises");
        if let Err(e) = super::versions::write_atomically(&Quick::path(content_dir), &json) {
            tracing::debug!(error = %e, "the small copy of the fetch state could not be written");
        }
    }
}

/// The remembered state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestState {
    /// Validators of the last successful fetch of each URL.
    #[serde(default)]
    pub http: BTreeMap<String, Validators>,
    /// Story keys (`url:...`, `entry:...`) to article ids.
    #[serde(default)]
    pub stories: BTreeMap<String, String>,
    /// Per article id: what newsgloss last wrote to it, and what it last fetched for it.
    #[serde(default)]
    pub files: BTreeMap<String, Fingerprints>,
    /// Per configured feed URL: its last fetch, and the articles it has given.
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedRecord>,
    /// Per article id kept as a summary (its page could not be fetched): when to try the page again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub summaries: BTreeMap<String, PendingPage>,
    /// The new article files the last save was about to put in place: one missing at the next run
    /// means that run was killed in between, and no feed may then be passed over as unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placing: Vec<String>,
}

/// What newsgloss knows of one configured feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRecord {
    /// When it was last fetched (RFC 3339).
    #[serde(default)]
    pub last_fetch: Option<String>,
    /// How that fetch went.
    #[serde(default)]
    pub result: Option<FetchResult>,
    /// Every article id it has given, on any fetch.
    #[serde(default)]
    pub articles: std::collections::BTreeSet<String>,
}

/// How a fetch of a feed went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchResult {
    /// The feed was read; `failed` of its entries could not be stored.
    Ok { entries: usize, failed: usize },
    /// The server said nothing changed (304).
    NotModified,
    /// The feed gave nothing, for this reason (inert).
    Error(String),
}

/// The page of an article kept as a summary, still to be fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPage {
    pub url: String,
    /// How many times the page failed.
    pub attempts: u32,
    /// When to try it again, in seconds since 1970 (UTC).
    pub next_try: i64,
    /// Why it failed last.
    #[serde(default)]
    pub last_error: String,
}

/// The longest wait between two tries of a page.
const MAX_WAIT_SECONDS: i64 = 24 * 3600;

impl PendingPage {
    /// After the failure numbered `attempts` at `now`: the next fetch tries again after the first
    /// failure, then one hour after the second, two after the third, doubling up to a day.
    pub fn failed(url: &str, attempts: u32, now: i64, why: &str) -> PendingPage {
        let wait = match attempts {
            0 | 1 => 0,
            n => 3600i64
                .saturating_mul(1i64 << (n - 2).min(20))
                .min(MAX_WAIT_SECONDS),
        };
        PendingPage {
            url: url.to_owned(),
            attempts,
            next_try: now.saturating_add(wait),
            last_error: why.to_owned(),
        }
    }

    /// Whether the page is to be tried at `now`.
    pub fn is_due(&self, now: i64) -> bool {
        self.next_try <= now
    }
}

/// blake3 hashes (hex) of file contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprints {
    /// The bytes newsgloss last wrote to the article file.
    pub written: String,
    /// The bytes of the latest fetched version (differs from `written` when a hand edit was kept).
    pub fetched: String,
    /// The digest of the feed entry that version was made from, when the entry's own text was the
    /// article (see `ingest::digest`): the same entry again is the same article, not read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// The digest of the feed item's bytes that version was made from (see `ingest::digest::item`): the
    /// same bytes again need not even be parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// The fingerprint of some bytes.
pub fn fingerprint(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The keys a story is known by: its URL (without the fragment) and its entry id.
pub fn story_keys(url: Option<&str>, entry_id: Option<&str>) -> Vec<String> {
    let url = url.map(|u| format!("url:{}", u.split('#').next().unwrap_or(u)));
    let entry = entry_id
        .filter(|e| !e.is_empty())
        .map(|e| format!("entry:{e}"));
    url.into_iter().chain(entry).collect()
}

impl IngestState {
    pub fn path(content_dir: &Path) -> PathBuf {
        content_dir.join(DIR).join(FILE)
    }

    /// Reads the state of `content_dir` (empty when there is none yet), with the fetch times recorded
    /// since it was written.
    pub fn load(content_dir: &Path) -> Result<IngestState, IngestError> {
        let state: IngestState = read_state(content_dir)?.unwrap_or_default();
        Ok(state.with_later_fetches(content_dir))
    }

    /// The feeds' records alone (their fetches and articles), as [`IngestState::load`] gives them: the
    /// rest of the file is read past, not kept, which at 20,000 articles is several times quicker.
    pub fn load_feeds(content_dir: &Path) -> Result<IngestState, IngestError> {
        /// The one part of the file kept.
        #[derive(Deserialize)]
        struct Feeds {
            #[serde(default)]
            feeds: BTreeMap<String, FeedRecord>,
        }
        let state = IngestState {
            feeds: read_state::<Feeds>(content_dir)?.map_or_else(BTreeMap::new, |f| f.feeds),
            ..IngestState::default()
        };
        Ok(state.with_later_fetches(content_dir))
    }

    /// The state read from the state file, with the fetches recorded in the small copy since.
    fn with_later_fetches(mut self, content_dir: &Path) -> IngestState {
        if let Some(quick) = Quick::load(content_dir) {
            self.take_fetches(quick.fetches);
        }
        self
    }

    /// What a fetch of unchanged feeds needs of the state (see [`Quick`]), when the small copy holds:
    /// the configured feeds' validators, the summaries and the feeds' fetches, without the stories, the
    /// files or the feeds' articles. Never to be saved with [`IngestState::save`].
    pub fn load_quick(content_dir: &Path) -> Option<IngestState> {
        let quick = Quick::load(content_dir)?;
        let mut state = IngestState {
            http: quick.http,
            summaries: quick.summaries,
            ..IngestState::default()
        };
        state.take_fetches(quick.fetches);
        Some(state)
    }

    /// Sets each feed's last fetch and its result from `fetches`.
    fn take_fetches(&mut self, fetches: BTreeMap<String, Fetch>) {
        for (url, fetch) in fetches {
            let record = self.feeds.entry(url).or_default();
            record.last_fetch = fetch.last_fetch;
            record.result = fetch.result;
        }
    }

    /// Takes from `quick`, a state read by [`IngestState::load_quick`], the fetches it recorded.
    pub fn take_fetches_of(&mut self, quick: &IngestState) {
        self.take_fetches(quick.fetches());
    }

    /// Each feed's last fetch and its result.
    fn fetches(&self) -> BTreeMap<String, Fetch> {
        let fetches = self.feeds.iter();
        fetches
            .map(|(url, r)| (url.clone(), Fetch::of(r)))
            .collect()
    }

    /// Writes the state atomically, as compact JSON (at 20,000 articles it is megabytes). Its small copy
    /// is left as it is, no longer trusted since it was made from another file.
    pub fn save(&self, content_dir: &Path) -> Result<(), IngestError> {
        let path = IngestState::path(content_dir);
        let json = serde_json::to_vec(self).expect("the state serialises");
        super::versions::write_atomically(&path, &json)
    }

    /// Writes the small copy of the state as [`IngestState::save`] last wrote it: only once every file
    /// the state names is in place, since a run that trusts the copy does not look for them.
    pub fn save_copy(&self, content_dir: &Path) {
        let Some(made_from) = Stamp::of(&IngestState::path(content_dir)) else {
            return;
        };
        let http = self.feeds.keys().filter_map(|url| {
            let validators = self.http.get(url)?;
            Some((url.clone(), validators.clone()))
        });
        let quick = Quick {
            made_from,
            http: http.collect(),
            summaries: self.summaries.clone(),
            fetches: BTreeMap::new(),
        };
        quick.save(content_dir);
    }

    /// Writes what a state read by [`IngestState::load_quick`] changed: its feeds' fetches, into the
    /// small copy, still made from the same state file. When that file changed since, nothing is
    /// written (the fetch times are lost, nothing else).
    pub fn save_quick(&self, content_dir: &Path) {
        let Some(mut quick) = Quick::load(content_dir) else {
            return;
        };
        quick.fetches.extend(self.fetches());
        quick.save(content_dir);
    }

    /// The article a story is already stored as.
    pub fn article_of(&self, keys: &[String]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.stories.get(k))
            .map(String::as_str)
    }

    /// Records a fetch of the feed at `url` at `now` and the articles it gave.
    pub fn record_fetch(
        &mut self,
        url: &str,
        now: time::OffsetDateTime,
        result: &Result<super::report::SourceOutcome, String>,
    ) {
        let record = self.feeds.entry(url.to_owned()).or_default();
        record.last_fetch = now
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        record.result = Some(match result {
            Ok(outcome) if outcome.not_modified => FetchResult::NotModified,
            Ok(outcome) => FetchResult::Ok {
                entries: outcome.articles.len(),
                failed: outcome.failures.len(),
            },
            Err(why) => FetchResult::Error(why.clone()),
        });
        if let Ok(outcome) = result {
            record
                .articles
                .extend(outcome.articles.iter().map(|a| a.id.clone()));
        }
    }

    /// After a run killed while it put new article files in place, forgets every feed's digest, so
    /// that the next fetch reads each feed again and writes the files that are missing.
    pub fn recover_placing(&mut self, exists: impl Fn(&str) -> bool) {
        if self.placing.iter().any(|id| !exists(id)) {
            for validators in self.http.values_mut() {
                validators.digest = None;
            }
        }
        self.placing.clear();
    }

    /// Remembers that the story known by `keys` is article `id`.
    pub fn remember(&mut self, keys: &[String], id: &str) {
        for key in keys {
            self.stories.insert(key.clone(), id.to_owned());
        }
    }
}

/// The state file read as `T`; `None` when there is none yet.
fn read_state<T: serde::de::DeserializeOwned>(
    content_dir: &Path,
) -> Result<Option<T>, IngestError> {
    let path = IngestState::path(content_dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| IngestError::State {
                path,
                message: format!("{e} (move the file aside to start afresh)"),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(IngestError::io(&path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_summaries_are_tried_again_with_a_doubling_wait() {
        let waits: Vec<i64> = (1..=8)
            .map(|n| PendingPage::failed("u", n, 1000, "refused").next_try - 1000)
            .collect();
        assert_eq!(waits, [0, 3600, 7200, 14400, 28800, 57600, 86400, 86400]);
        let pending = PendingPage::failed("u", 2, 1000, "refused");
        assert!(!pending.is_due(1000) && pending.is_due(4600));
        assert_eq!(
            PendingPage::failed("u", 500, i64::MAX - 5, "x").next_try,
            i64::MAX
        );
    }

    #[test]
    fn a_run_killed_while_placing_files_makes_the_next_read_every_feed_again() {
        let mut state = IngestState::default();
        let with_digest = Validators {
            digest: Some("d".into()),
            ..Validators::default()
        };
        state
            .http
            .insert("https://example.com/feed".into(), with_digest.clone());
        state.placing = vec!["a".into(), "b".into()];
        let mut placed = state.clone();
        placed.recover_placing(|_| true);
        assert_eq!(placed.http["https://example.com/feed"], with_digest);
        assert!(placed.placing.is_empty());
        state.recover_placing(|id| id == "a");
        assert_eq!(state.http["https://example.com/feed"].digest, None);
        assert!(state.placing.is_empty());
    }

    #[test]
    fn a_state_without_summaries_reads_as_before() {
        let old = r#"{"http": {}, "stories": {"url:a": "a"}, "files": {}}"#;
        let state: IngestState = serde_json::from_str(old).unwrap();
        assert!(state.summaries.is_empty());
        assert!(!serde_json::to_string(&state).unwrap().contains("summaries"));
    }

    #[test]
    fn round_trip_and_keys() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            IngestState::load(dir.path()).unwrap(),
            IngestState::default()
        );
        let mut state = IngestState::default();
        let keys = story_keys(Some("https://example.com/a#top"), Some("guid-1"));
        assert_eq!(keys, ["url:https://example.com/a", "entry:guid-1"]);
        state.remember(&keys, "a");
        state.save(dir.path()).unwrap();
        let loaded = IngestState::load(dir.path()).unwrap();
        assert_eq!(
            loaded.article_of(&story_keys(None, Some("guid-1"))),
            Some("a")
        );
        let mut outcome = super::super::report::SourceOutcome::default();
        outcome.articles.push(super::super::report::ArticleReport {
            id: "a".into(),
            title: "A".into(),
            change: super::super::versions::Change::New,
            summary: None,
        });
        let now = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        state.record_fetch("https://example.com/feed", now, &Ok(outcome));
        state.record_fetch("https://example.com/feed", now, &Err("offline".into()));
        state.save(dir.path()).unwrap();
        let record = &IngestState::load(dir.path()).unwrap().feeds["https://example.com/feed"];
        assert_eq!(record.last_fetch.as_deref(), Some("2026-01-02T03:04:05Z"));
        assert_eq!(record.result, Some(FetchResult::Error("offline".into())));
        assert!(record.articles.contains("a"), "kept across fetches");
        // A state written before feeds were recorded still reads.
        std::fs::write(IngestState::path(dir.path()), r#"{"http": {}}"#).unwrap();
        assert!(IngestState::load(dir.path()).unwrap().feeds.is_empty());
        std::fs::write(IngestState::path(dir.path()), "{").unwrap();
        assert!(IngestState::load(dir.path()).is_err());
        assert!(IngestState::load_feeds(dir.path()).is_err());
    }

    #[test]
    fn the_small_copy_holds_only_while_the_state_file_is_the_one_it_was_made_from() {
        let dir = tempfile::tempdir().unwrap();
        let feed = "https://example.com/feed";
        let mut state = IngestState::default();
        state.remember(&story_keys(None, Some("guid-1")), "a");
        let validators = Validators {
            digest: Some("d".into()),
            pieces: vec!["p".into()],
            ..Validators::default()
        };
        state.http.insert(feed.into(), validators.clone());
        state
            .http
            .insert("https://example.com/page".into(), Validators::default());
        let then = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let outcome = Ok(super::super::report::SourceOutcome::default());
        state.record_fetch(feed, then, &outcome);
        assert!(
            IngestState::load_quick(dir.path()).is_none(),
            "no state yet"
        );
        state.save(dir.path()).unwrap();
        assert!(IngestState::load_quick(dir.path()).is_none(), "no copy yet");
        state.save_copy(dir.path());

        // The copy: the feed's validators and its fetch, not the stories nor a page's validators.
        let mut quick = IngestState::load_quick(dir.path()).unwrap();
        assert_eq!(quick.http.len(), 1);
        assert_eq!(quick.http[feed], validators);
        assert!(quick.stories.is_empty());
        let now = time::macros::datetime!(2026-01-03 00:00:00 UTC);
        let unchanged = super::super::report::SourceOutcome {
            not_modified: true,
            ..Default::default()
        };
        quick.record_fetch(feed, now, &Ok(unchanged));
        quick.save_quick(dir.path());
        // Every reader sees the new fetch over the state, which kept its stories.
        for loaded in [
            IngestState::load(dir.path()).unwrap(),
            IngestState::load_feeds(dir.path()).unwrap(),
        ] {
            let record = &loaded.feeds[feed];
            assert_eq!(record.last_fetch.as_deref(), Some("2026-01-03T00:00:00Z"));
            assert_eq!(record.result, Some(FetchResult::NotModified));
        }
        let whole = IngestState::load(dir.path()).unwrap();
        assert_eq!(
            whole.article_of(&story_keys(None, Some("guid-1"))),
            Some("a")
        );
        assert_eq!(
            IngestState::load_feeds(dir.path()).unwrap().stories.len(),
            0
        );

        // The state written again (by a run that stored something): the copy no longer holds, and its
        // fetch times are no longer laid over it.
        whole.save(dir.path()).unwrap();
        assert!(IngestState::load_quick(dir.path()).is_none());
        quick.save_quick(dir.path());
        assert!(
            IngestState::load_quick(dir.path()).is_none(),
            "not made anew from a stale copy"
        );
    }
}
