//! The entries of a feed: each made into a draft from its full text, or from its linked page when it holds
//! only a summary (fetched conditionally, so an unchanged page costs nothing), and stored; an entry that
//! fails is listed and the others are still stored.

use url::Url;

use super::draft::Draft;
use super::feed::{Feed, FeedEntry};
use super::http::Fetched;
use super::markdown::html_to_markdown;
use super::report::{ArticleReport, SourceOutcome};
use super::session::{Labels, Session};
use super::state::story_keys;
use super::versions::Change;
use super::{charset, page, slug};
use crate::article::clean::clean_line;

impl Session<'_> {
    /// Stores every entry of a feed; entries that fail are listed and the others stored.
    pub(super) fn store_feed(
        &mut self,
        feed: &Feed,
        labels: Labels,
        base: Option<&Url>,
    ) -> SourceOutcome {
        let mut outcome = SourceOutcome::default();
        for entry in &feed.entries {
            let keys = story_keys(entry.url.as_ref().map(Url::as_str), Some(&entry.id));
            let name = entry
                .title
                .clone()
                .or_else(|| entry.url.as_ref().map(Url::to_string))
                .unwrap_or_else(|| clean_line(&entry.id));
            let result =
                self.entry_draft(entry, feed, &labels, base)
                    .and_then(|draft| match draft {
                        Some(draft) => self.store(&keys, &draft).map_err(|e| e.to_string()),
                        None => self.unchanged(&keys, &name),
                    });
            match result {
                Ok(article) => outcome.articles.push(article),
                Err(why) => outcome.failures.push(format!("{name}: {why}")),
            }
        }
        outcome
    }

    /// The draft of a feed entry; `None` when its page is unchanged since the last fetch.
    fn entry_draft(
        &mut self,
        entry: &FeedEntry,
        feed: &Feed,
        labels: &Labels,
        base: Option<&Url>,
    ) -> Result<Option<Draft>, String> {
        let link_base = entry.url.as_ref().or(base);
        let mut draft = labelled(entry, feed, labels);
        if let Some(html) = &entry.content {
            draft.body = html_to_markdown(html, link_base);
        } else if let Some(url) = &entry.url {
            let Some(page) = self.page(entry, url)? else {
                return Ok(None);
            };
            draft.body = page.body;
            draft.author = draft.author.or(page.author);
            draft.published = draft.published.or(page.published);
            draft.language = draft.language.or(page.language);
            if draft.title.is_empty() {
                draft.title = page.title;
            }
        } else if let Some(summary) = &entry.summary {
            draft.body = html_to_markdown(summary, link_base);
        }
        if draft.body.trim().is_empty() {
            return Err("the entry has no text and no page to read it from".into());
        }
        if draft.title.is_empty() {
            draft.title = "Untitled".into();
        }
        Ok(Some(draft))
    }

    /// The article on an entry's page (`None` when unchanged since the last fetch).
    fn page(&mut self, entry: &FeedEntry, url: &Url) -> Result<Option<Draft>, String> {
        let keys = story_keys(Some(url.as_str()), Some(&entry.id));
        let known = self
            .state
            .article_of(&keys)
            .is_some_and(|id| slug::exists(&self.library.content_dir, id));
        let validators = known
            .then(|| self.state.http.get(url.as_str()).cloned())
            .flatten();
        let why = |e: String| format!("the entry's page: {e}");
        let body = match self
            .http
            .get(url.as_str(), validators.as_ref())
            .map_err(|e| why(e.to_string()))?
        {
            Fetched::NotModified => return Ok(None),
            Fetched::Body(body) => body,
        };
        let text = charset::decode(&body.bytes, body.content_type.as_deref())
            .map_err(|e| why(e.to_string()))?;
        let draft = page::extract(&text, Url::parse(&body.url).ok().as_ref())
            .map_err(|e| why(e.to_string()))?;
        self.state.http.insert(url.to_string(), body.validators);
        Ok(Some(draft))
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
        })
    }
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
    }
}
