//! Trying again the pages of articles kept as summaries that no feed of this run gave (an entry gone
//! from its feed, a feed file added once): those whose wait is over (or all, when asked) are fetched
//! several at a time, and the article becomes the page, its summary kept as an earlier version.

use url::Url;

use super::IngestError;
use super::draft::Draft;
use super::pool::{self, Limits, PageJob, PageResult};
use super::report::{ArticleReport, SourceOutcome, SourceReport};
use super::session::Session;
use super::state::PendingPage;
use crate::article::{Article, FrontMatter};

/// How the report of this step names its source.
pub const SOURCE: &str = "summaries kept earlier";

impl Session<'_> {
    /// Fetches the due pages of summaries not seen this run; `None` when there were none.
    pub(super) fn retry_summaries(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Option<SourceReport>, IngestError> {
        let now = self.now.unix_timestamp();
        let content = self.library.content_dir.clone();
        // A page to try, or a summary whose article is gone: the whole state is needed.
        let work =
            self.state.summaries.iter().any(|(id, p)| {
                self.retry_all || p.is_due(now) || !super::slug::exists(&content, id)
            });
        if work {
            self.read_whole_state()?;
        }
        // An article deleted since is no longer waited for.
        let waiting = self.state.summaries.len();
        self.state
            .summaries
            .retain(|id, _| super::slug::exists(&content, id));
        self.unsaved |= self.state.summaries.len() != waiting;
        let due: Vec<(String, PendingPage)> = self
            .state
            .summaries
            .iter()
            .filter(|(id, p)| !self.touched.contains(*id) && (self.retry_all || p.is_due(now)))
            .map(|(id, p)| (id.clone(), p.clone()))
            .collect();
        let (due, jobs): (Vec<_>, Vec<_>) = due
            .into_iter()
            .filter_map(|(id, p)| {
                let url = Url::parse(&p.url).ok()?;
                let job = PageJob {
                    url,
                    validators: None,
                };
                Some(((id, p), job))
            })
            .unzip();
        if jobs.is_empty() {
            // Each feed saved what it stored; only a change since (or a fetch time) is left to save.
            if self.unsaved || !self.batch.is_empty() {
                self.save()?;
            }
            return Ok(None);
        }
        let limits = Limits {
            overall: self.settings.concurrent_pages,
            per_host: self.settings.concurrent_pages_per_host,
        };
        let pages = pool::fetch_pages(&self.http, &jobs, limits, &mut self.down, progress);
        let mut outcome = SourceOutcome::default();
        for ((id, pending), page) in due.into_iter().zip(pages) {
            match self.replace_summary(&id, &pending, page) {
                Ok(article) => outcome.articles.push(article),
                Err(why) => outcome.failures.push(format!("{id}: {why}")),
            }
        }
        self.save()?;
        Ok(Some(SourceReport {
            source: SOURCE.to_owned(),
            result: Ok(outcome),
        }))
    }

    /// Replaces the summary `id` with its fetched page, or notes the failure and when to try again.
    fn replace_summary(
        &mut self,
        id: &str,
        pending: &PendingPage,
        page: Result<PageResult, String>,
    ) -> Result<ArticleReport, String> {
        let path = self.library.article_path(id);
        let max = self.settings.max_bytes.max(1 << 20);
        let (article, _) = Article::load(id, &path, max).map_err(|e| e.to_string())?;
        let page = match page {
            Ok(PageResult::Page { draft, validators }) => {
                self.state.http.insert(pending.url.clone(), validators);
                draft
            }
            Ok(PageResult::NotModified) => return Err("the page was not modified".into()),
            Err(why) => {
                let now = self.now.unix_timestamp();
                let next = PendingPage::failed(&pending.url, pending.attempts + 1, now, &why);
                self.state.summaries.insert(id.to_owned(), next);
                return Ok(ArticleReport {
                    id: id.to_owned(),
                    title: article.meta.title,
                    change: super::versions::Change::Unchanged,
                    summary: Some(why),
                });
            }
        };
        let draft = from_page(&article.meta, *page);
        let change = self
            .library
            .store(&mut self.state, id, draft.render().as_bytes(), self.now)
            .map_err(|e| e.to_string())?;
        self.state.summaries.remove(id);
        Ok(ArticleReport {
            id: id.to_owned(),
            title: draft.title,
            change,
            summary: None,
        })
    }
}

/// The article's metadata as its summary had it, with the page's text (and what the page adds).
fn from_page(meta: &FrontMatter, page: Draft) -> Draft {
    Draft {
        title: meta.title.clone(),
        url: meta.url.clone().or(page.url),
        author: meta.author.clone().or(page.author),
        published: meta.published.or(page.published),
        source: meta.source.clone().or(page.source),
        language: Some(meta.language.clone()),
        tags: meta.tags.clone(),
        body: page.body,
        summary_only: false,
    }
}
