//! One background job of a kind at a time: asking again while one runs replaces the request waiting
//! behind it (only the newest is worth doing), the running one always finishes, and each result comes
//! back to the reader as a [`Msg`] on the event channel, with whatever progress the job reports first.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use super::super::command::Msg;
use super::super::events::Event;

/// Lowers the calling thread's scheduling priority by 10 (on Linux a thread has its own nice value), so that
/// work in the background (the reconcile and the watch at launch, a fetch, the claims read again)
/// never takes a core from the thread that answers keys: a search typed at once is answered first.
/// Threads it starts inherit it. Elsewhere it does nothing.
pub fn in_background() {
    // SAFETY: a plain call with no pointers; on Linux it changes the calling thread's nice value.
    #[cfg(target_os = "linux")]
    let _ = unsafe { libc::nice(10) };
}

/// Sends messages to the reader; errors and notices go to the log too.
#[derive(Debug, Clone)]
pub struct Reply(Sender<Event>);

impl Reply {
    pub fn new(events: Sender<Event>) -> Self {
        Self(events)
    }

    /// The reader's event channel, for what sends on it itself.
    pub fn events(&self) -> &Sender<Event> {
        &self.0
    }

    /// Sends `msg` to the reader (a reader that has quit is told nothing).
    pub fn send(&self, msg: Msg) {
        match &msg {
            Msg::Error(message) => tracing::warn!(message = ?message, "reader error"),
            Msg::Notice(message) => tracing::info!(message = ?message, "reader notice"),
            _ => {}
        }
        let _ = self.0.send(Event::Msg(msg));
    }
}

/// The work of a job: from its request, with a [`Reply`] for progress, to its result (`None`: nothing
/// to say).
type Work<I> = dyn Fn(I, &Reply) -> Option<Msg> + Send + Sync;

/// A kind of background job, run on a thread of its own.
pub struct Job<I> {
    shared: Arc<Shared<I>>,
}

struct Shared<I> {
    name: &'static str,
    queue: Mutex<Queue<I>>,
    work: Box<Work<I>>,
    reply: Reply,
}

/// The request waiting for the running job to end, and whether one runs.
struct Queue<I> {
    next: Option<I>,
    running: bool,
}

/// Another handle on the same job (asking through either is the same).
impl<I> Clone for Job<I> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<I: Send + 'static> Job<I> {
    /// A job called `name` (in the thread's name and the log) that does `work`.
    pub fn new(
        name: &'static str,
        reply: Reply,
        work: impl Fn(I, &Reply) -> Option<Msg> + Send + Sync + 'static,
    ) -> Self {
        let queue = Mutex::new(Queue {
            next: None,
            running: false,
        });
        let work = Box::new(work);
        Self {
            shared: Arc::new(Shared {
                name,
                queue,
                work,
                reply,
            }),
        }
    }

    /// Asks for the job with `request`: it starts at once when none runs, else it waits for the running
    /// one to end, replacing any request that was waiting. True when it started at once.
    pub fn request(&self, request: I) -> bool {
        {
            let mut queue = self.shared.lock();
            if queue.next.replace(request).is_some() {
                tracing::debug!(
                    job = self.shared.name,
                    "a newer request replaces the waiting one"
                );
            }
            if queue.running {
                return false;
            }
            queue.running = true;
        }
        let shared = Arc::clone(&self.shared);
        let started = std::thread::Builder::new()
            .name(format!("newsgloss-{}", self.shared.name))
            .spawn(move || {
                in_background();
                shared.drain()
            });
        if let Err(e) = started {
            // No thread to be had: the work is done here rather than dropped.
            tracing::warn!(job = self.shared.name, error = %e, "no thread for the job; running it here");
            self.shared.drain();
        }
        true
    }

    /// Whether a job of this kind is running or waiting.
    #[cfg(test)]
    pub fn is_busy(&self) -> bool {
        let queue = self.shared.lock();
        queue.running || queue.next.is_some()
    }
}

impl<I> Shared<I> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue<I>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs the waiting requests one after the other until none is left. A dropped [`Job`] stops nothing:
    /// this thread holds what it needs, so the request that was waiting still runs and is answered.
    fn drain(&self) {
        loop {
            let request = {
                let mut queue = self.lock();
                match queue.next.take() {
                    Some(request) => request,
                    None => {
                        queue.running = false;
                        return;
                    }
                }
            };
            tracing::debug!(job = self.name, "job started");
            match crate::contain::contain(|| (self.work)(request, &self.reply)) {
                Ok(Some(msg)) => self.reply.send(msg),
                Ok(None) => {}
                Err(panic) => self
                    .reply
                    .send(Msg::Error(format!("the {} job failed: {panic}", self.name))),
            }
            tracing::debug!(job = self.name, "job finished");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::{self, Receiver};
    use std::time::Duration;

    /// A job that waits for a go-ahead before answering with its request, so that tests decide when a
    /// running job ends.
    fn gated() -> (Job<u32>, Sender<()>, Receiver<Event>) {
        let (events, answers) = mpsc::channel();
        let (go, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let job = Job::new("test", Reply::new(events), move |n: u32, reply| {
            reply.send(Msg::Notice(format!("start {n}")));
            let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(30));
            Some(Msg::Notice(format!("done {n}")))
        });
        (job, go, answers)
    }

    fn next(answers: &Receiver<Event>) -> String {
        match answers.recv_timeout(Duration::from_secs(30)) {
            Ok(Event::Msg(Msg::Notice(text))) => text,
            other => panic!("not a notice: {other:?}"),
        }
    }

    #[test]
    fn the_running_job_finishes_and_only_the_newest_waiting_request_runs_after_it() {
        let (job, go, answers) = gated();
        assert!(job.request(1));
        assert_eq!(next(&answers), "start 1");
        assert!(!job.request(2));
        assert!(!job.request(3));
        assert!(!job.request(4));
        go.send(()).unwrap();
        assert_eq!(next(&answers), "done 1");
        assert_eq!(next(&answers), "start 4");
        go.send(()).unwrap();
        assert_eq!(next(&answers), "done 4");
        while job.is_busy() {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(answers.try_recv().is_err(), "2 and 3 were replaced");
        // Idle again: the next request starts at once.
        assert!(job.request(5));
        go.send(()).unwrap();
        assert_eq!(next(&answers), "start 5");
        assert_eq!(next(&answers), "done 5");
    }

    #[test]
    fn dropping_the_job_loses_neither_the_running_nor_the_waiting_request() {
        let (job, go, answers) = gated();
        job.request(1);
        assert_eq!(next(&answers), "start 1");
        job.request(2);
        drop(job);
        go.send(()).unwrap();
        go.send(()).unwrap();
        let rest: Vec<String> = (0..3).map(|_| next(&answers)).collect();
        assert_eq!(rest, ["done 1", "start 2", "done 2"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_job_runs_behind_the_thread_that_answers_keys() {
        let nice = || {
            // SAFETY: plain calls with no pointers, about the calling thread.
            unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
        };
        let here = nice();
        let (events, answers) = mpsc::channel();
        let job = Job::new("nice", Reply::new(events), move |(), _: &Reply| {
            Some(Msg::Notice(nice().to_string()))
        });
        job.request(());
        match answers.recv_timeout(Duration::from_secs(30)) {
            Ok(Event::Msg(Msg::Notice(text))) => {
                assert_eq!(text, (here + 10).min(19).to_string(), "this thread: {here}")
            }
            other => panic!("no answer: {other:?}"),
        }
        assert_eq!(nice(), here, "the caller's own priority is left alone");
    }

    #[test]
    fn a_job_that_panics_says_so_and_the_next_request_runs() {
        let (events, answers) = mpsc::channel();
        let job = Job::new("fragile", Reply::new(events), |n: u32, _: &Reply| {
            assert!(n > 0, "zero is refused");
            Some(Msg::Notice(format!("done {n}")))
        });
        job.request(0);
        match answers.recv_timeout(Duration::from_secs(30)) {
            Ok(Event::Msg(Msg::Error(text))) => {
                assert!(text.starts_with("the fragile job failed"), "{text}")
            }
            other => panic!("not an error: {other:?}"),
        }
        while job.is_busy() {
            std::thread::sleep(Duration::from_millis(5));
        }
        job.request(7);
        assert_eq!(next(&answers), "done 7");
    }
}
