//! Where events come from: the terminal (on a thread of its own), SIGTERM, SIGHUP and SIGINT, and the
//! worker's answers, all on one channel. Tests make the channel themselves and fill it with a list.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent};

use super::command::Msg;

/// One thing for the event loop to handle.
#[derive(Debug, Clone)]
pub enum Event {
    /// A key, mouse or resize event from the terminal.
    Term(TermEvent),
    /// A message from the worker or a signal.
    Msg(Msg),
}

impl Event {
    /// The message this event comes to, if any.
    pub fn into_msg(self) -> Option<Msg> {
        match self {
            Event::Msg(action) => Some(action),
            Event::Term(TermEvent::Key(key)) => Some(Msg::Key(key)),
            Event::Term(TermEvent::Mouse(mouse)) => Some(Msg::Mouse(mouse)),
            Event::Term(TermEvent::Resize(w, h)) => Some(Msg::Resize(w, h)),
            Event::Term(_) => None,
        }
    }
}

/// Reads terminal events onto `events` until `stop` is set (polling, so that no key is taken after quit).
pub fn spawn_terminal_reader(events: Sender<Event>, stop: Arc<AtomicBool>) {
    std::thread::Builder::new()
        .name("newsgloss-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match event::poll(Duration::from_millis(50)) {
                    Ok(true) => match event::read() {
                        Ok(e) => {
                            if events.send(Event::Term(e)).is_err() {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Ok(false) => {}
                    Err(_) => break,
                }
            }
        })
        .expect("the input thread starts");
}

/// The signals that make the reader save what is pending, restore the terminal and exit with 128 + the
/// signal. SIGINT counts too: in raw mode ctrl-c is a key, so a SIGINT comes from `kill`.
pub const QUIT_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

/// Turns [`QUIT_SIGNALS`] into [`Msg::Signal`]s on `events`; returns a handle that stops listening.
pub fn spawn_signal_listener(events: Sender<Event>) -> Option<signal_hook::iterator::Handle> {
    let mut signals = signal_hook::iterator::Signals::new(QUIT_SIGNALS).ok()?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("newsgloss-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if events.send(Event::Msg(Msg::Signal(signal))).is_err() {
                    break;
                }
            }
        })
        .ok()?;
    Some(handle)
}
