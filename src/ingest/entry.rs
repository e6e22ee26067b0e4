//! The entries of a feed: each made into a draft from its own text when that is the article (see
//! [`super::teaser`]), else from its linked page, the pages fetched several at a time ([`super::pool`]) and
//! conditionally (an unchanged page costs nothing); then stored in the feed's order. No entry is lost: one
//! whose page cannot be had is kept with the text the feed gave (or its title and link alone), marked
//! `summary_only`, and its page is tried again on a later fetch.

use url::Url;

use super::draft::Draft;
use super::feed::{Feed, FeedEntry};
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

impl Session<'_> {
    /// Stores every entry of a feed; entries that fail are listed and the others stored.
    /// `progress(done, total)` follows the pages fetched.
    pub(super) fn store_feed(
        &mut self,
        feed: &Feed,
        labels: Labels,
        base: Option<&Url>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> SourceOutcome {
        let mut jobs = Vec::new();
        let plans: Vec<Plan> = feed
            .entries
            .iter()
            .map(|entry| self.plan(entry, feed, &labels, base, &mut jobs))
            .collect();
        let limits = Limits {
            overall: self.settings.concurrent_pages,
            per_host: self.settings.concurrent_pages_per_host,
        };
        let mut pages: Vec<Option<Result<PageResult, String>>> =
            pool::fetch_pages(&self.http, &jobs, limits, progress)
                .into_iter()
                .map(Some)
                .collect();
        let mut outcome = SourceOutcome::default();
        for (entry, plan) in feed.entries.iter().zip(plans) {
            let keys = story_keys(entry.url.as_ref().map(Url::as_str), Some(&entry.id));
            let result = match plan {
                Plan::Own(draft) => self.store_own(&keys, &draft, entry, feed, &labels, base),
                Plan::Same(id) => {
                    self.touched.insert(id.clone());
                    Ok(ArticleReport {
                        id,
                        title: name(entry),
                        change: Change::Unchanged,
                        summary: None,
                    })
                }
                Plan::Waiting(draft, why) => self.store_entry(&keys, &draft, Some(why)),
                Plan::Failed(why) => Err(why),
                Plan::Page { draft, job } => {
                    let page = pages[job].take().unwrap_or(Err("not fetched".into()));
                    self.with_page(entry, &keys, draft, &jobs[job].url, page)
                }
            };
            match result {
                Ok(article) => outcome.articles.push(article),
                Err(why) => outcome.failures.push(format!("{}: {why}", name(entry))),
            }
        }
        outcome
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

    /// Stores an entry whose own text is the article, remembering the entry's digest.
    fn store_own(
        &mut self,
        keys: &[String],
        draft: &Draft,
        entry: &FeedEntry,
        feed: &Feed,
        labels: &Labels,
        base: Option<&Url>,
    ) -> Result<ArticleReport, String> {
        let report = self.store_entry(keys, draft, None)?;
        if let Some(files) = self.state.files.get_mut(&report.id) {
            files.entry = Some(super::digest::entry(entry, feed, labels, base));
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
