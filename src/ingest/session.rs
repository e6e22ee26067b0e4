//! One run of adding or fetching: the state loaded once and the workspace locked, each source turned into
//! drafts and stored, the state saved after each source so that nothing is half-remembered. A bad source
//! gives one line in its report and the others are still processed.

use std::collections::BTreeSet;
use std::fs::File;

use time::OffsetDateTime;
use url::Url;

use crate::atomic_file::Batch;

use super::draft::Draft;
use super::feed;
use super::http::{Body, Fetched, Http, Validators};
use super::pool::DownHosts;
use super::report::{ArticleReport, Progress, SourceOutcome, SourceReport};
use super::state::{DIR, IngestState, story_keys};
use super::versions::ArticleDirs;
use super::{IngestError, charset, local, page, slug};
use crate::article::clean::clean_line;
use crate::config::{FeedDef, IngestSettings};

/// Something to add: a URL or a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(String),
    File(std::path::PathBuf),
}

impl Source {
    /// Reads a command-line source: an http(s) URL, or a path. Other URL schemes are refused.
    pub fn parse(text: &str) -> Result<Source, String> {
        let scheme = text.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("http" | "https") => Ok(Source::Url(text.to_owned())),
            Some(other)
                if other
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
            {
                Err(format!(
                    "{}: only http and https URLs and local files can be added, not {other}:// URLs",
                    clean_line(text)
                ))
            }
            _ => Ok(Source::File(text.into())),
        }
    }
}

/// How the articles of a source are labelled.
#[derive(Debug, Clone, Default)]
pub(super) struct Labels {
    pub source: Option<String>,
    pub language: Option<String>,
    pub tags: Vec<String>,
}

/// A run of adding or fetching.
pub struct Session<'a> {
    pub(super) library: &'a ArticleDirs,
    pub(super) http: Http,
    pub(super) state: IngestState,
    pub(super) now: OffsetDateTime,
    pub(super) settings: IngestSettings,
    /// Try the pages of articles kept as summaries now, whatever their wait.
    pub(super) retry_all: bool,
    /// The articles this run stored or found unchanged.
    pub(super) touched: BTreeSet<String>,
    /// New article files, put in place together before the state is saved.
    pub(super) batch: Batch,
    /// The hosts of pages found unreachable in this run: not tried again in it.
    pub(super) down: DownHosts,
    /// Whether the state holds a change not yet saved.
    pub(super) unsaved: bool,
    /// Whether `state` is the whole state; until it is needed, only what a fetch of unchanged feeds
    /// needs is read (see [`IngestState::load_quick`]).
    full: bool,
    _lock: File,
}

/// How a fetch goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Try the page of every article kept as a summary now, not only those whose wait is over.
    pub retry_summaries: bool,
}

/// Progress within one source (its pages fetched of all), shown with the source's name.
fn page_progress<'p>(
    progress: &'p mut dyn FnMut(&Progress),
    done: usize,
    total: usize,
    current: &'p str,
) -> impl FnMut(usize, usize) + 'p {
    move |pages, of| {
        progress(&Progress {
            done,
            total,
            current: format!("{current}: page {pages} of {of}"),
        })
    }
}

impl<'a> Session<'a> {
    /// Locks the workspace (waiting for another run to finish) and loads the state.
    pub fn open(
        library: &'a ArticleDirs,
        settings: &IngestSettings,
        now: OffsetDateTime,
    ) -> Result<Session<'a>, IngestError> {
        let dir = library.content_dir.join(DIR);
        std::fs::create_dir_all(&dir).map_err(|e| IngestError::io(&dir, e))?;
        let path = dir.join(".lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path);
        let lock = lock.map_err(|e| IngestError::io(&path, e))?;
        // `File::lock` is stable since Rust 1.89; drop this allow when `rust-version` says 1.89.
        #[allow(clippy::incompatible_msrv)]
        lock.lock().map_err(|e| IngestError::io(&path, e))?;
        // Article files half-written by a run that was killed: never in place, so never seen.
        crate::atomic_file::sweep_stale(&library.content_dir);
        // The small copy is made after the files the state names are in place, so it needs no recovery.
        let (state, full, placing) = match IngestState::load_quick(&library.content_dir) {
            Some(quick) => (quick, false, false),
            None => {
                let mut state = IngestState::load(&library.content_dir)?;
                let placing = !state.placing.is_empty();
                state.recover_placing(|id| slug::exists(&library.content_dir, id));
                (state, true, placing)
            }
        };
        Ok(Session {
            library,
            http: Http::new(settings),
            state,
            now,
            settings: settings.clone(),
            retry_all: false,
            touched: BTreeSet::new(),
            batch: Batch::default(),
            down: DownHosts::default(),
            unsaved: placing,
            full,
            _lock: lock,
        })
    }

    /// Reads the whole state, when only what unchanged feeds need was read so far; the fetches recorded
    /// in this run are kept.
    pub(super) fn read_whole_state(&mut self) -> Result<(), IngestError> {
        if self.full {
            return Ok(());
        }
        let content = &self.library.content_dir;
        let mut state = IngestState::load(content)?;
        state.take_fetches_of(&self.state);
        state.recover_placing(|id| slug::exists(content, id));
        self.state = state;
        self.full = true;
        Ok(())
    }

    /// Adds one source: a page, a feed's entries, or a local file; `pages(done, total)` follows the pages
    /// of a feed's entries.
    pub fn add(
        &mut self,
        source: &Source,
        pages: &mut dyn FnMut(usize, usize),
    ) -> Result<SourceReport, IngestError> {
        self.read_whole_state()?;
        let (shown, result) = match source {
            Source::Url(url) => (clean_line(url), self.add_url(url, pages)),
            Source::File(path) => (
                crate::content::shown(path),
                local::add_file(self, path, pages),
            ),
        };
        self.save()?;
        Ok(SourceReport {
            source: shown,
            result,
        })
    }

    /// Fetches one configured feed and stores its entries.
    pub fn fetch(
        &mut self,
        def: &FeedDef,
        pages: &mut dyn FnMut(usize, usize),
    ) -> Result<SourceReport, IngestError> {
        let labels = Labels {
            source: super::draft::line(&def.name),
            language: def.language.as_deref().and_then(page::language),
            tags: def.tags.clone(),
        };
        let result = self.fetch_feed(&def.url, labels, pages);
        self.state.record_fetch(&def.url, self.now, &result);
        // A feed that did not change leaves only its fetch time to record: that is saved with the rest
        // at the end of the run (lost, and nothing else, if the run is killed before).
        let unchanged = result.as_ref().is_ok_and(|o| o.not_modified);
        if unchanged && self.batch.is_empty() {
            self.unsaved = true;
        } else {
            self.save()?;
        }
        Ok(SourceReport {
            source: clean_line(&def.name),
            result,
        })
    }

    /// Saves the state, with the new article files it names made durable first and put in place after:
    /// a run killed in between leaves a state that knows each story's article (the next run writes the
    /// file again), never article files that no state knows (which would come again as duplicates).
    pub(super) fn save(&mut self) -> Result<(), IngestError> {
        self.unsaved = false;
        let content = &self.library.content_dir;
        if !self.full {
            // Only fetch times changed: nothing was stored, or the whole state would have been read.
            debug_assert!(self.batch.is_empty());
            self.state.save_quick(content);
            return Ok(());
        }
        self.batch.sync().map_err(|e| IngestError::io(content, e))?;
        let placing = self.batch.paths().filter_map(|p| p.file_stem());
        self.state.placing = placing.map(|s| s.to_string_lossy().into_owned()).collect();
        self.state.save(content)?;
        self.batch
            .commit()
            .map_err(|e| IngestError::io(content, e))?;
        self.state.save_copy(content);
        Ok(())
    }

    fn fetch_feed(
        &mut self,
        url: &str,
        labels: Labels,
        pages: &mut dyn FnMut(usize, usize),
    ) -> Result<SourceOutcome, String> {
        let validators = self.state.http.get(url).cloned();
        // The pieces of the body stored last, when they are still what its digest was made from (the
        // same labels, the same version): the same body again is then passed over as it streams in.
        let known: &[String] = match &validators {
            Some(v) if v.digest.as_ref() == Some(&super::digest::body(&v.pieces, &labels)) => {
                &v.pieces
            }
            _ => &[],
        };
        let unchanged = SourceOutcome {
            not_modified: true,
            ..SourceOutcome::default()
        };
        let mut body = match self
            .http
            .get_feed(url, validators.as_ref(), known)
            .map_err(|e| e.to_string())?
        {
            Fetched::NotModified | Fetched::Same => return Ok(unchanged),
            Fetched::Body(body) => body,
        };
        let digest = super::digest::body(&body.pieces, &labels);
        if validators.and_then(|v| v.digest).as_ref() == Some(&digest) {
            return Ok(unchanged);
        }
        self.read_whole_state().map_err(|e| e.to_string())?;
        let base = Url::parse(&body.url).ok();
        // The feed is held once, as text, while its entries are stored.
        let bytes = std::mem::take(&mut body.bytes);
        let parsed = feed::read(&bytes, body.content_type.as_deref(), base.as_ref())
            .map_err(|e| e.to_string())?;
        drop(bytes);
        let outcome = self.store_feed(&parsed, labels, base.as_ref(), pages);
        // A feed with a failed entry is read whole again next time, so that the entry is retried.
        if outcome.failures.is_empty() {
            let validators = Validators {
                digest: Some(digest),
                pieces: std::mem::take(&mut body.pieces),
                ..body.validators
            };
            self.state.http.insert(url.to_owned(), validators);
        }
        Ok(outcome)
    }

    fn add_url(
        &mut self,
        url: &str,
        pages: &mut dyn FnMut(usize, usize),
    ) -> Result<SourceOutcome, String> {
        let keys = story_keys(Some(url), None);
        let known = self.state.article_of(&keys).map(str::to_owned);
        let validators = known.and_then(|_| self.state.http.get(url).cloned());
        let body = match self
            .http
            .get_feed(url, validators.as_ref(), &[])
            .map_err(|e| e.to_string())?
        {
            Fetched::NotModified | Fetched::Same => {
                let articles = self
                    .unchanged(&keys, &clean_line(url))
                    .into_iter()
                    .collect();
                return Ok(SourceOutcome {
                    not_modified: true,
                    articles,
                    ..SourceOutcome::default()
                });
            }
            Fetched::Body(body) => body,
        };
        let outcome = if is_feed(&body) {
            let base = Url::parse(&body.url).ok();
            let parsed = feed::read(&body.bytes, body.content_type.as_deref(), base.as_ref())
                .map_err(|e| e.to_string())?;
            let labels = Labels {
                source: parsed.head.title.clone(),
                ..Labels::default()
            };
            self.store_feed(&parsed, labels, base.as_ref(), pages)
        } else if body.bytes.len() as u64 > self.settings.max_bytes {
            // Read under the feed cap, but it is not a feed: pages keep theirs.
            let cap = super::http::FetchError::TooLarge(self.settings.max_bytes);
            return Err(cap.to_string());
        } else {
            self.add_page(url, &body)?
        };
        // A feed with a failed entry is read whole again next time, so that the entry is retried.
        if outcome.failures.is_empty() {
            self.state.http.insert(url.to_owned(), body.validators);
        }
        Ok(outcome)
    }

    /// Stores the article on a page fetched from `url` (perhaps redirected to `body.url`).
    fn add_page(&mut self, url: &str, body: &Body) -> Result<SourceOutcome, String> {
        let base = Url::parse(&body.url).ok();
        let text = charset::decode(&body.bytes, body.content_type.as_deref())
            .map_err(|e| e.to_string())?;
        let mut draft = page::extract(&text, base.as_ref()).map_err(|e| e.to_string())?;
        draft.source = draft
            .source
            .or_else(|| base.as_ref().and_then(|u| u.host_str().map(str::to_owned)));
        let keys = story_keys(Some(url), None)
            .into_iter()
            .chain(story_keys(Some(&body.url), None))
            .collect::<Vec<_>>();
        let article = self.store(&keys, &draft).map_err(|e| e.to_string())?;
        Ok(SourceOutcome {
            articles: vec![article],
            ..SourceOutcome::default()
        })
    }

    /// Writes a draft as the article the story is known as, or as a new one with a fresh slug.
    pub(super) fn store(
        &mut self,
        keys: &[String],
        draft: &Draft,
    ) -> Result<ArticleReport, IngestError> {
        let content = &self.library.content_dir;
        let id = match self.state.article_of(keys) {
            Some(id) => id.to_owned(),
            None => slug::unique(&slug::slugify(&draft.title), |s| {
                slug::exists(content, s) || self.state.files.contains_key(s)
            }),
        };
        let change = self.library.store_batched(
            &mut self.state,
            &id,
            draft.render().as_bytes(),
            self.now,
            &mut self.batch,
        )?;
        self.state.remember(keys, &id);
        Ok(ArticleReport {
            id,
            title: draft.title.clone(),
            change,
            summary: None,
        })
    }
}

/// Whether a fetched body is a feed: by its content type, else by how it starts.
fn is_feed(body: &Body) -> bool {
    let kind = body
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if kind.contains("html") {
        return false;
    }
    if ["rss", "atom", "rdf", "xml", "json"]
        .iter()
        .any(|k| kind.contains(k))
    {
        return true;
    }
    local::looks_like_feed(&body.bytes)
}

/// Adds every source in turn, reporting progress; the reports are in the order of `sources`.
pub fn add_sources(
    library: &ArticleDirs,
    settings: &IngestSettings,
    sources: &[Source],
    now: OffsetDateTime,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<SourceReport>, IngestError> {
    let mut session = Session::open(library, settings, now)?;
    let mut reports = Vec::new();
    for (done, source) in sources.iter().enumerate() {
        let current = match source {
            Source::Url(url) => clean_line(url),
            Source::File(path) => crate::content::shown(path),
        };
        progress(&Progress {
            done,
            total: sources.len(),
            current: current.clone(),
        });
        let mut pages = page_progress(progress, done, sources.len(), &current);
        reports.push(session.add(source, &mut pages)?);
    }
    progress(&Progress {
        done: sources.len(),
        total: sources.len(),
        current: String::new(),
    });
    Ok(reports)
}

/// Fetches every feed in turn (what `newsgloss fetch` and the reader's fetch key do), then the pages of
/// articles kept as summaries that no feed gave this time and whose wait is over.
pub fn fetch_feeds(
    library: &ArticleDirs,
    settings: &IngestSettings,
    feeds: &[FeedDef],
    now: OffsetDateTime,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<SourceReport>, IngestError> {
    fetch_feeds_with(
        library,
        settings,
        feeds,
        now,
        FetchOptions::default(),
        progress,
    )
}

/// [`fetch_feeds`], with options.
pub fn fetch_feeds_with(
    library: &ArticleDirs,
    settings: &IngestSettings,
    feeds: &[FeedDef],
    now: OffsetDateTime,
    options: FetchOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<SourceReport>, IngestError> {
    let mut session = Session::open(library, settings, now)?;
    session.retry_all = options.retry_summaries;
    let mut reports = Vec::new();
    for (done, def) in feeds.iter().enumerate() {
        let current = clean_line(&def.name);
        progress(&Progress {
            done,
            total: feeds.len(),
            current: current.clone(),
        });
        let mut pages = page_progress(progress, done, feeds.len(), &current);
        reports.push(session.fetch(def, &mut pages)?);
    }
    let current = super::retry::SOURCE.to_owned();
    {
        let mut pages = page_progress(progress, feeds.len(), feeds.len(), &current);
        reports.extend(session.retry_summaries(&mut pages)?);
    }
    progress(&Progress {
        done: feeds.len(),
        total: feeds.len(),
        current: String::new(),
    });
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn sources_are_urls_or_files() {
        assert_eq!(
            Source::parse("https://example.com/feed"),
            Ok(Source::Url("https://example.com/feed".into()))
        );
        assert_eq!(
            Source::parse("notes.md"),
            Ok(Source::File("notes.md".into()))
        );
        let err = Source::parse("ftp://example.com/x\u{1b}[31m").unwrap_err();
        assert!(
            err.contains("not ftp:// URLs") && !err.contains('\u{1b}'),
            "{err}"
        );
    }

    #[test]
    fn feeds_and_ingest_settings_in_the_config() {
        let text = "[[feeds]]\nname = \"KrASIA\"\nurl = \"https://example.com/feed\"\ntags = [\"china\"]\n\n\
            [ingest]\ntimeout_ms = 500\n";
        let config = Config::parse(text, std::path::Path::new("c.toml")).unwrap();
        assert_eq!(config.feeds[0].name, "KrASIA");
        assert_eq!(config.feeds[0].tags, ["china"]);
        assert_eq!(config.ingest.timeout_ms, 500);
        assert_eq!(config.ingest.max_bytes, IngestSettings::default().max_bytes);
        assert!(Config::embedded().feeds.is_empty());
        let typo = Config::parse(
            "[[feeds]]\nname = \"a\"\nurll = \"x\"\n",
            std::path::Path::new("c.toml"),
        );
        assert!(typo.unwrap_err().to_string().contains("urll"));
    }
}
