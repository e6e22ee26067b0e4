//! Fetching the pages of many feed entries at once on a few std threads sharing one HTTP client: at most
//! `concurrent_pages` at a time, and `concurrent_pages_per_host` per host; the results come back in the
//! order of the jobs whatever order they finish in, so what is written from them is the same every run.
//! A host that cannot be reached at all (no connection, no answer in time) is tried once per run, however
//! many calls the run makes (the [`DownHosts`] it passes each): its other pages fail at once with the same
//! reason, so that an offline run over a 20,000-entry feed takes seconds, not one timeout per entry or
//! per chunk of entries.

use std::collections::{BTreeMap, VecDeque};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

use url::Url;

use super::draft::Draft;
use super::http::{Fetched, Http, Validators};
use super::{charset, page};

/// A page to fetch, conditionally when it has validators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageJob {
    pub url: Url,
    pub validators: Option<Validators>,
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageResult {
    /// 304: unchanged since the validators were given.
    NotModified,
    /// The article on the page, and the validators to remember for it.
    Page {
        draft: Box<Draft>,
        validators: Validators,
    },
}

/// How many pages may be fetched at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub overall: usize,
    pub per_host: usize,
}

/// The hosts found unreachable in a run, with why; the pages of such a host are not tried again in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownHosts(BTreeMap<String, String>);

/// What the threads share: per host, the jobs still waiting and how many are being fetched; and the
/// hosts found unreachable, with why.
#[derive(Default)]
struct Queue {
    waiting: BTreeMap<String, VecDeque<usize>>,
    busy: BTreeMap<String, usize>,
    down: BTreeMap<String, String>,
}

/// What a thread takes next.
enum Next {
    Fetch(usize, String),
    Down(usize, String),
    Done,
}

impl Queue {
    fn new(jobs: &[PageJob], down: &DownHosts) -> Queue {
        let mut queue = Queue {
            down: down.0.clone(),
            ..Queue::default()
        };
        for (i, job) in jobs.iter().enumerate() {
            queue
                .waiting
                .entry(host(&job.url))
                .or_default()
                .push_back(i);
        }
        queue
    }

    /// The earliest job whose host is free or down; `None` when all waiting hosts are busy.
    fn take(&mut self, per_host: usize) -> Option<Next> {
        if self.waiting.values().all(VecDeque::is_empty) {
            return Some(Next::Done);
        }
        let (host, _) = self
            .waiting
            .iter()
            .filter(|(host, jobs)| {
                !jobs.is_empty()
                    && (self.down.contains_key(*host)
                        || self.busy.get(*host).copied().unwrap_or(0) < per_host)
            })
            .min_by_key(|(_, jobs)| jobs[0])?;
        let host = host.clone();
        let i = self.waiting.get_mut(&host)?.pop_front()?;
        if let Some(why) = self.down.get(&host) {
            return Some(Next::Down(i, why.clone()));
        }
        *self.busy.entry(host.clone()).or_default() += 1;
        Some(Next::Fetch(i, host))
    }
}

/// Fetches every job's page, `progress(done, total)` called on this thread as each one ends; the results
/// are in the order of `jobs`. The pages of hosts in `down` fail at once, and hosts found unreachable are
/// added to it.
pub fn fetch_pages(
    http: &Http,
    jobs: &[PageJob],
    limits: Limits,
    down: &mut DownHosts,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Result<PageResult, String>> {
    let mut results: Vec<Option<Result<PageResult, String>>> = vec![None; jobs.len()];
    if jobs.is_empty() {
        return Vec::new();
    }
    let queue = Mutex::new(Queue::new(jobs, down));
    let changed = Condvar::new();
    let per_host = limits.per_host.max(1);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..limits.overall.clamp(1, jobs.len()) {
            let sender = sender.clone();
            let (queue, changed) = (&queue, &changed);
            scope.spawn(move || work(http, jobs, queue, changed, per_host, &sender));
        }
        drop(sender);
        for (done, (i, result)) in receiver.iter().enumerate() {
            results[i] = Some(result);
            progress(done + 1, jobs.len());
        }
    });
    let queue = queue.into_inner().unwrap_or_else(|p| p.into_inner());
    down.0 = queue.down;
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("the page was not fetched".into())))
        .collect()
}

/// One thread: takes jobs until none is left, sending each result back.
fn work(
    http: &Http,
    jobs: &[PageJob],
    queue: &Mutex<Queue>,
    changed: &Condvar,
    per_host: usize,
    sender: &mpsc::Sender<(usize, Result<PageResult, String>)>,
) {
    loop {
        let next = {
            let mut guard = queue.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                match guard.take(per_host) {
                    Some(next) => break next,
                    None => guard = changed.wait(guard).unwrap_or_else(|p| p.into_inner()),
                }
            }
        };
        let (i, host) = match next {
            Next::Done => return,
            Next::Down(i, why) => {
                let _ = sender.send((i, Err(format!("{why} (not tried again in this run)"))));
                continue;
            }
            Next::Fetch(i, host) => (i, host),
        };
        let (result, unreachable) = fetch_one(http, &jobs[i]);
        {
            let mut guard = queue.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(busy) = guard.busy.get_mut(&host) {
                *busy -= 1;
            }
            if let (Err(why), true) = (&result, unreachable) {
                guard.down.entry(host).or_insert_with(|| why.clone());
            }
        }
        changed.notify_all();
        let _ = sender.send((i, result));
    }
}

/// Fetches one page and extracts its article; also says whether a failure means the host is unreachable.
fn fetch_one(http: &Http, job: &PageJob) -> (Result<PageResult, String>, bool) {
    let why = |e: String| format!("the entry's page: {e}");
    let body = match http.get(job.url.as_str(), job.validators.as_ref()) {
        // A page is never given known pieces, so it is never `Same`; were it, it would be unchanged.
        Ok(Fetched::NotModified | Fetched::Same) => return (Ok(PageResult::NotModified), false),
        Ok(Fetched::Body(body)) => body,
        Err(e) => return (Err(why(e.to_string())), e.is_unreachable()),
    };
    let result = charset::decode(&body.bytes, body.content_type.as_deref())
        .map_err(|e| why(e.to_string()))
        .and_then(|text| {
            page::extract(&text, Url::parse(&body.url).ok().as_ref())
                .map_err(|e| why(e.to_string()))
        })
        .map(|draft| PageResult::Page {
            draft: Box::new(draft),
            validators: body.validators,
        });
    (result, false)
}

/// The host (and port) of a URL, the unit the per-host limit counts.
fn host(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs(urls: &[&str]) -> Vec<PageJob> {
        urls.iter()
            .map(|u| PageJob {
                url: Url::parse(u).unwrap(),
                validators: None,
            })
            .collect()
    }

    #[test]
    fn jobs_are_taken_in_order_within_the_per_host_limit() {
        let jobs = jobs(&[
            "http://a.test/1",
            "http://a.test/2",
            "http://a.test/3",
            "http://b.test/1",
        ]);
        let mut queue = Queue::new(&jobs, &DownHosts::default());
        let mut taken = Vec::new();
        while let Some(Next::Fetch(i, _)) = queue.take(2) {
            taken.push(i);
        }
        // a.test is busy with two: its third page waits while b.test's goes.
        assert_eq!(taken, [0, 1, 3]);
        *queue.busy.get_mut("a.test").unwrap() -= 1;
        assert!(matches!(queue.take(2), Some(Next::Fetch(2, _))));
        assert!(matches!(queue.take(2), Some(Next::Done)));
    }

    #[test]
    fn a_down_host_fails_its_other_pages_at_once() {
        let jobs = jobs(&["http://a.test/1", "http://a.test/2"]);
        let mut queue = Queue::new(&jobs, &DownHosts::default());
        assert!(matches!(queue.take(1), Some(Next::Fetch(0, _))));
        assert!(queue.take(1).is_none(), "a.test is busy");
        queue.down.insert("a.test".into(), "refused".into());
        assert!(matches!(queue.take(1), Some(Next::Down(1, why)) if why == "refused"));
    }

    #[test]
    fn results_come_back_in_the_order_of_the_jobs() {
        // Nothing listens on port 9 of the loopback: every page fails fast, the host after the first.
        let http = Http::new(&crate::config::IngestSettings {
            retries: 0,
            timeout_ms: 2_000,
            ..crate::config::IngestSettings::default()
        });
        let urls: Vec<String> = (0..20).map(|i| format!("http://127.0.0.1:9/{i}")).collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let mut seen = Vec::new();
        let limits = Limits {
            overall: 4,
            per_host: 2,
        };
        let mut down = DownHosts::default();
        let results = fetch_pages(
            &http,
            &jobs(&urls),
            limits,
            &mut down,
            &mut |done, total| seen.push((done, total)),
        );
        assert_eq!(results.len(), 20);
        assert!(results.iter().all(Result::is_err));
        assert_eq!(seen.last(), Some(&(20, 20)));
        let skipped = results
            .iter()
            .filter(|r| r.as_ref().is_err_and(|e| e.contains("not tried again")))
            .count();
        assert!(skipped >= 18, "{results:?}");
        // A later call in the same run does not try the host again.
        let again = fetch_pages(&http, &jobs(&urls[..3]), limits, &mut down, &mut |_, _| ());
        assert!(
            again
                .iter()
                .all(|r| r.as_ref().is_err_and(|e| e.contains("not tried again"))),
            "{again:?}"
        );
    }
}
