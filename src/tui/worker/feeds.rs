//! Fetching the feeds in the background, and the versions of a fetched article.

use super::*;

/// The fetch job: fetches every configured feed (progress and the summary go to the status bar), then
/// brings the index up to date so that new articles appear in the library.
pub(super) fn job(
    setup: &Setup,
    index: Option<&Arc<ArticleIndex>>,
    syncing: &Arc<Mutex<()>>,
    reply: &Reply,
) -> Job<()> {
    let (setup, index, syncing) = (setup.clone(), index.cloned(), Arc::clone(syncing));
    Job::new("fetch", reply.clone(), move |(), reply: &Reply| {
        Some(fetch(index.as_ref(), &setup, reply, &syncing))
    })
}

/// Fetches every configured feed, then reconciles the index when there is one; the answer is
/// [`Msg::Fetched`].
pub(super) fn fetch(
    index: Option<&Arc<ArticleIndex>>,
    setup: &Setup,
    reply: &Reply,
    syncing: &Mutex<()>,
) -> Msg {
    let now = time::OffsetDateTime::now_utc();
    let mut progress = |p: &ingest::Progress| {
        reply.send(Msg::Fetching {
            done: p.done,
            total: p.total,
            current: p.current.clone(),
        });
    };
    let reports = ingest::fetch_feeds(
        &library_of(setup),
        &setup.ingest,
        &setup.feeds,
        now,
        &mut progress,
    );
    let result = reports
        .map(|reports| fetch_report(&reports))
        .map_err(|e| e.to_string());
    if let (Some(index), true) = (index, result.is_ok()) {
        reply.send(reconcile_now(index, setup, reply, syncing));
    }
    Msg::Fetched {
        feeds: setup.feeds.len(),
        result,
    }
}

/// The summary, the failed feeds and the updated articles of a fetch.
pub(super) fn fetch_report(reports: &[ingest::SourceReport]) -> FetchReport {
    let failures = reports
        .iter()
        .filter_map(|r| r.result.as_ref().err().map(|e| (&r.source, e)))
        .map(|(source, e)| clean_line(&format!("{source}: {e}")))
        .collect();
    let reanchored: Vec<(&String, &ingest::Reanchored)> = reports
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .flat_map(|o| &o.articles)
        .filter_map(|a| match &a.change {
            ingest::Change::Updated(r) => Some((&a.id, r)),
            _ => None,
        })
        .collect();
    FetchReport {
        summary: ingest::Totals::of(reports),
        failures,
        updated: reanchored.iter().map(|(id, _)| (*id).clone()).collect(),
        moved: reanchored.iter().map(|(_, r)| r.moved).sum(),
        orphaned: reanchored.iter().map(|(_, r)| r.orphans.len()).sum(),
    }
}

/// Where the articles and their annotations live, as the ingest domain sees them.
pub(super) fn library_of(setup: &Setup) -> ingest::ArticleDirs {
    ingest::ArticleDirs {
        content_dir: setup.content_dir.clone(),
        annotations_dir: setup
            .sync
            .annotations_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("annotations")),
    }
}
