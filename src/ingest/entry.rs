//! The entries of a feed: each made into a draft from its own text when that is the article (see
//! [`super::teaser`]), else from its linked page, the pages fetched several at a time ([`super::pool`]) and
//! conditionally (an unchanged page costs nothing); then stored in the feed's order. No entry is lost: one
//! whose page cannot be had is kept with the text the feed gave (or its title and link alone), marked
//! `summary_only`, and its page is tried again on a later fetch.

use std::collections::HashMap;

use url::Url;

use super::digest;
use super::draft::Draft;
use super::feed::{Feed, FeedEntry, FeedItems};
use super::markdown::html_to_markdown;
use super::pool::{self, Limits, PageJob, PageResult};
use super::report::{ArticleReport, SourceOutcome};
use super::session::{Labels, Session};
use super::slug;
use super::state::{PendingPage, story_keys};
use super::teaser::{self, Given};
use super::versions::Change;
use crate::article::clean::clean_line;
use crate::article::plain::markdown_to_plain;

/// A feed being stored, as each chunk of it reads it.
struct Chunk<'a> {
    feed: &'a FeedItems,
    labels: &'a Labels,
    base: Option<&'a Url>,
    /// Article ids by the digest of the item they were last made from.
    known: &'a HashMap<String, String>,
}

/// An entry whose own text is its article, and what its digests are made from.
struct Own<'a> {
    entry: &'a FeedEntry,
    feed: &'a Feed,
    labels: &'a Labels,
    base: Option<&'a Url>,
    /// The digest of the item it was read from, when the feed was split into items.
    item: Option<String>,
}

/// What is done with one item of a chunk.
enum Step {
    /// Its bytes are those article `id` was last made from: not parsed, nothing to do.
    Known(String),
    /// Parsed, and planned.
    Entry(Box<FeedEntry>, Plan),
}

/// What is to be done with one entry.
enum Plan {
    /// Its own text is the article.
    Own(Draft),
    /// Its page is fetched (job `job`); `draft` holds the feed's text, kept if the page cannot be had.
    Page {
        draft: Draft,
        job: usize,
    },
    /// Kept as a summary earlier, and its page is not due to be tried again yet.
    Waiting(Draft, String),
    /// The same entry as the one article `id` was last made from (its own text): nothing to do.
    Same(String),
    Failed(String),
}

/// How many entries are converted, fetched and stored together: the most held in memory at once. The
/// pages of a chunk are fetched together, so a page that fails and is retried with backoff holds up only
/// its own chunk; chunks large enough that a feed of a few thousand entries is one keep those waits from
/// adding up one after another.
const CHUNK: usize = 2048;

impl Session<'_> {
    /// Stores every entry of a feed, a chunk of entries at a time; entries that fail are listed and the
    /// others stored. `progress(done, total)` follows the pages fetched.
    pub(super) fn store_feed(
        &mut self,
        feed: &FeedItems,
        labels: Labels,
        base: Option<&Url>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> SourceOutcome {
        let known = self.known_items();
        let mut outcome = SourceOutcome::default();
        let mut pages = 0;
        let items: Vec<usize> = (0..feed.len()).collect();
        for chunk in items.chunks(CHUNK) {
            let mut chunk_progress =
                |done: usize, total: usize| progress(pages + done, pages + total);
            let source = Chunk {
                feed,
                labels: &labels,
                base,
                known: &known,
            };
            pages += self.store_chunk(&source, chunk, &mut chunk_progress, &mut outcome);
        }
        outcome
    }

    /// Article ids by the fingerprint of the feed item they were last made from (see `digest::item`).
    fn known_items(&self) -> HashMap<String, String> {
        let files = self.state.files.iter();
        files
            .filter_map(|(id, f)| Some((f.item.clone()?, id.clone())))
            .collect()
    }

    /// Stores the entries of the items at `items`, in order; returns how many pages it fetched.
    fn store_chunk(
        &mut self,
        source: &Chunk,
        items: &[usize],
        progress: &mut dyn FnMut(usize, usize),
        outcome: &mut SourceOutcome,
    ) -> usize {
        let feed = &source.feed.head;
        // An item whose bytes are those its article was last made from is not even parsed.
        let digests: Vec<Option<String>> = items
            .iter()
            .map(|&i| {
                let fingerprint = source.feed.fingerprint(i)?;
                Some(digest::item(fingerprint, feed, source.labels, source.base))
            })
            .collect();
        let same: Vec<Option<String>> = digests
            .iter()
            .map(|d| d.as_deref().and_then(|d| self.same_item(d, source.known)))
            .collect();
        let to_parse: Vec<usize> = items
            .iter()
            .zip(&same)
            .filter(|(_, same)| same.is_none())
            .map(|(&i, _)| i)
            .collect();
        let mut parsed = match source.feed.entries(&to_parse) {
            Ok(entries) => entries.into_iter(),
            Err(e) => {
                if let (Some(first), Some(last)) = (to_parse.first(), to_parse.last()) {
                    let range = format!("items {} to {}", first + 1, last + 1);
                    outcome.failures.push(format!("{range}: {e}"));
                }
                Vec::new().into_iter()
            }
        };
        let mut jobs = Vec::new();
        let mut steps = Vec::new();
        for (same, digest) in same.into_iter().zip(digests) {
            let step = match same {
                Some(id) => Step::Known(id),
                None => match parsed.next().flatten() {
                    Some(entry) => {
                        let plan = self.plan(&entry, feed, source.labels, source.base, &mut jobs);
                        Step::Entry(Box::new(entry), plan)
                    }
                    // The whole feed's parse gives no entry for this item either.
                    None => continue,
                },
            };
            steps.push((step, digest));
        }
        let limits = Limits {
            overall: self.settings.concurrent_pages,
            per_host: self.settings.concurrent_pages_per_host,
        };
        let mut pages: Vec<Option<Result<PageResult, String>>> =
            pool::fetch_pages(&self.http, &jobs, limits, &mut self.down, progress)
                .into_iter()
                .map(Some)
                .collect();
        for (step, digest) in steps {
            let result = match step {
                Step::Known(id) => Ok(self.same(id.clone(), id, digest)),
                Step::Entry(entry, plan) => {
                    let keys = story_keys(entry.url.as_ref().map(Url::as_str), Some(&entry.id));
                    match plan {
                        Plan::Same(id) => Ok(self.same(id, name(&entry), digest)),
                        Plan::Own(draft) => {
                            let own = Own {
                                entry: &entry,
                                feed,
                                labels: source.labels,
                                base: source.base,
                                item: digest,
                            };
                            self.store_own(&keys, &draft, own)
                        }
                        Plan::Waiting(draft, why) => self.store_entry(&keys, &draft, Some(why)),
                        Plan::Failed(why) => Err(why),
                        Plan::Page { draft, job } => {
                            let page = pages[job].take().unwrap_or(Err("not fetched".into()));
                            self.with_page(&entry, &keys, draft, &jobs[job].url, page)
                        }
                    }
                    .map_err(|why| format!("{}: {why}", name(&entry)))
                }
            };
            match result {
                Ok(article) => outcome.articles.push(article),
                Err(why) => outcome.failures.push(why),
            }
        }
        jobs.len()
    }

    /// The report of an article left as it is because its entry did not change (named `title`), its
    /// item's digest remembered.
    fn same(&mut self, id: String, title: String, item: Option<String>) -> ArticleReport {
        self.touched.insert(id.clone());
        if let (Some(files), Some(item)) = (self.state.files.get_mut(&id), item) {
            files.item = Some(item);
        }
        ArticleReport {
            id,
            title,
            change: Change::Unchanged,
            summary: None,
        }
    }

    /// The article an item's digest was last made from, when its own text was the article, it is not
    /// kept as a summary and its file is still there.
    fn same_item(&self, digest: &str, known: &HashMap<String, String>) -> Option<String> {
        let id = known.get(digest)?;
        let current = self.state.files.get(id)?.item.as_deref() == Some(digest);
        let same = current
            && !self.state.summaries.contains_key(id)
            && slug::exists(&self.library.content_dir, id);
        same.then(|| id.clone())
    }

    /// Decides what to do with an entry, adding its page to `jobs` when it is to be fetched.
    fn plan(
        &self,
        entry: &FeedEntry,
        feed: &Feed,
        labels: &Labels,
        base: Option<&Url>,
        jobs: &mut Vec<PageJob>,
    ) -> Plan {
        if let Some(id) = self.same_as_stored(entry, feed, labels, base) {
            return Plan::Same(id);
        }
        let mut draft = labelled(entry, feed, labels);
        let (text, given) = match (&entry.content, &entry.summary) {
            (Some(content), _) => (Some(content), Given::Content),
            (None, summary) => (summary.as_ref(), Given::Summary),
        };
        let link_base = entry.url.as_ref().or(base);
        draft.body = text.map_or_else(String::new, |html| html_to_markdown(html, link_base));
        let has_text = !draft.body.trim().is_empty();
        let plain = markdown_to_plain(&draft.body);
        let own = has_text && teaser::is_article(&plain, given);
        if draft.title.is_empty() {
            draft.title = title_from(&plain);
        }
        let url = match &entry.url {
            Some(url) if !own => url,
            _ if has_text => return Plan::Own(draft),
            _ => return Plan::Failed("the entry has no text and no page to read it from".into()),
        };
        if !has_text {
            draft.body = format!("<{url}>");
        }
        let keys = story_keys(Some(url.as_str()), Some(&entry.id));
        let known = self
            .state
            .article_of(&keys)
            .filter(|id| slug::exists(&self.library.content_dir, id));
        let pending = known.and_then(|id| self.state.summaries.get(id));
        if let Some(pending) = pending
            && !self.retry_all
            && !pending.is_due(self.now.unix_timestamp())
        {
            draft.summary_only = true;
            let why = format!("{} (tried again later)", pending.last_error);
            return Plan::Waiting(draft, why);
        }
        let validators = match (known, pending) {
            (Some(_), None) => self.state.http.get(url.as_str()).cloned(),
            _ => None,
        };
        jobs.push(PageJob {
            url: url.clone(),
            validators,
        });
        Plan::Page {
            draft,
            job: jobs.len() - 1,
        }
    }

    /// The article an entry was last made from, when the entry is the same again, its own text was the
    /// article, and the article file is still there.
    fn same_as_stored(
        &self,
        entry: &FeedEntry,
        feed: &Feed,
        labels: &Labels,
        base: Option<&Url>,
    ) -> Option<String> {
        let keys = story_keys(entry.url.as_ref().map(Url::as_str), Some(&entry.id));
        let id = self.state.article_of(&keys)?;
        let recorded = self.state.files.get(id)?.entry.as_deref()?;
        let same = recorded == super::digest::entry(entry, feed, labels, base)
            && !self.state.summaries.contains_key(id)
            && slug::exists(&self.library.content_dir, id);
        same.then(|| id.to_owned())
    }

    /// Stores an entry whose own text is the article, remembering the entry's digest and its item's.
    fn store_own(
        &mut self,
        keys: &[String],
        draft: &Draft,
        own: Own,
    ) -> Result<ArticleReport, String> {
        let report = self.store_entry(keys, draft, None)?;
        if let Some(files) = self.state.files.get_mut(&report.id) {
            let digest = super::digest::entry(own.entry, own.feed, own.labels, own.base);
            files.entry = Some(digest);
            files.item = own.item;
        }
        Ok(report)
    }

    /// Stores an entry from its fetched page; or, when the page could not be had, from the feed's text
    /// as a summary (unless the full article is stored already, which is then kept as it is).
    fn with_page(
        &mut self,
        entry: &FeedEntry,
        keys: &[String],
        mut draft: Draft,
        url: &Url,
        page: Result<PageResult, String>,
    ) -> Result<ArticleReport, String> {
        let known = self.state.article_of(keys).map(str::to_owned);
        match page {
            Ok(PageResult::NotModified) => self.unchanged(keys, &name(entry)),
            Ok(PageResult::Page {
                draft: page,
                validators,
            }) => {
                draft.body = page.body;
                draft.author = draft.author.or(page.author);
                draft.published = draft.published.or(page.published);
                draft.language = draft.language.or(page.language);
                if entry.title.is_none() {
                    draft.title = page.title;
                }
                self.state.http.insert(url.to_string(), validators);
                let report = self.store_entry(keys, &draft, None)?;
                self.state.summaries.remove(&report.id);
                Ok(report)
            }
            Err(why) => {
                let pending = known.as_ref().and_then(|id| self.state.summaries.get(id));
                if known.is_some() && pending.is_none() {
                    // The whole article is stored already: it stays, and the failure is reported.
                    return Err(why);
                }
                let attempts = pending.map_or(0, |p| p.attempts) + 1;
                draft.summary_only = true;
                let report = self.store_entry(keys, &draft, Some(why.clone()))?;
                let now = self.now.unix_timestamp();
                let pending = PendingPage::failed(url.as_str(), attempts, now, &why);
                self.state.summaries.insert(report.id.clone(), pending);
                Ok(report)
            }
        }
    }

    /// Stores a draft (titled "Untitled" when it has no title), noting the ids this run has seen.
    fn store_entry(
        &mut self,
        keys: &[String],
        draft: &Draft,
        summary: Option<String>,
    ) -> Result<ArticleReport, String> {
        let mut report = if draft.title.is_empty() {
            let titled = Draft {
                title: "Untitled".into(),
                ..draft.clone()
            };
            self.store(keys, &titled)
        } else {
            self.store(keys, draft)
        }
        .map_err(|e| e.to_string())?;
        self.touched.insert(report.id.clone());
        report.summary = summary;
        Ok(report)
    }

    pub(super) fn unchanged(&self, keys: &[String], title: &str) -> Result<ArticleReport, String> {
        let id = self
            .state
            .article_of(keys)
            .ok_or("the page was not modified but is not stored")?;
        Ok(ArticleReport {
            id: id.to_owned(),
            title: title.to_owned(),
            change: Change::Unchanged,
            summary: None,
        })
    }
}

/// A title for an entry that has none (a micro-blog post): its first words.
fn title_from(plain: &str) -> String {
    const WORDS: usize = 12;
    let words: Vec<&str> = plain.split_whitespace().take(WORDS + 1).collect();
    match words.len() > WORDS {
        true => format!("{}…", words[..WORDS].join(" ")),
        false => words.join(" "),
    }
}

/// An entry as named in a report: its title, else its link, else its id (inert).
fn name(entry: &FeedEntry) -> String {
    entry
        .title
        .clone()
        .or_else(|| entry.url.as_ref().map(Url::to_string))
        .unwrap_or_else(|| clean_line(&entry.id))
}

/// A draft with an entry's metadata and the source's labels, and no body yet.
fn labelled(entry: &FeedEntry, feed: &Feed, labels: &Labels) -> Draft {
    Draft {
        title: entry.title.clone().unwrap_or_default(),
        url: entry.url.as_ref().map(Url::to_string),
        author: entry.author.clone(),
        published: entry.published,
        source: labels.source.clone(),
        language: labels
            .language
            .clone()
            .or(entry.language.clone())
            .or(feed.language.clone()),
        tags: labels.tags.clone(),
        body: String::new(),
        summary_only: false,
    }
}
