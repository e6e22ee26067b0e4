//! The terminal reader: browse the library, read an article, search every article as you type, select and
//! tag key claims, and see every claim of the corpus by tag.
//!
//! Elm-style: a [`State`](state::State), [`Msg`](command::Msg)s (a [`Command`](command::Command) bound to a
//! key, or what the terminal and the worker send), a pure [`update`](update::update) that returns
//! [`Effect`](effect::Effect)s for the [`worker`], and a pure [`view`]. This file holds the terminal guard and the event loop.

pub mod clipboard;
pub mod command;
pub mod effect;
pub mod events;
pub mod find;
pub mod fuzzy;
pub mod heap;
pub mod keymap;
pub mod layout;
pub mod motion;
pub mod rescue;
pub mod state;
pub mod theme;
pub mod update;
pub mod view;
pub mod worker;
pub mod wrap;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::{DefaultTerminal, Terminal};

use crate::workspace::Workspace;
use command::Msg;
use effect::Effect;
use events::Event;
use keymap::Keymap;
use state::State;
use theme::Theme;

/// How a session of the reader ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// This signal stopped it (after what was pending was saved).
    Signal(i32),
}

impl Exit {
    /// What ended the session, for the user: `stopped by SIGTERM; pending work saved`.
    pub fn describe(self) -> Option<String> {
        match self {
            Exit::Quit => None,
            Exit::Signal(signal) => Some(format!(
                "stopped by {}; pending work saved",
                signal_name(signal)
            )),
        }
    }
}

/// Opens the reader on the workspace and runs it until the user quits or a signal
/// ([`events::QUIT_SIGNALS`]) stops it. Either way, what is pending is saved first (a note being typed,
/// tags checked in the picker), the worker finishes the writes it was asked for, and the terminal is
/// restored. `team` is how the workspace is shared through git, when it is. An error is one sentence:
/// the terminal failed, or the worker could not finish saving.
pub fn run(workspace: &Workspace, team: worker::Team) -> Result<Exit, String> {
    heap::tune();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (mut state, theme) = initial_state(workspace, no_color);
    // The worker reads the reading state while the list is drawn: the status bar says it is coming.
    state.reading.coming = true;
    let (events_tx, events_rx) = mpsc::channel();
    let (effects_tx, effects_rx) = mpsc::channel();
    let setup = worker::Setup {
        content_dir: workspace.content_dir.clone(),
        index_dir: workspace.index_dir.clone(),
        sync: workspace.sync_options(false),
        max_file_bytes: workspace.config.content.max_file_bytes,
        limit: workspace.config.search.limit.max(50),
        snippet_chars: workspace.config.search.snippet_chars,
        reconcile: true,
        watch: true,
        feeds: workspace.config.feeds.clone(),
        ingest: workspace.config.ingest.clone(),
        team,
        reading_file: Some(workspace.reading_file.clone()),
        browser: workspace.config.reader.browser.clone(),
    };
    // Listening first: a signal that comes while the terminal is being set up waits in the channel.
    let signals = events::spawn_signal_listener(events_tx.clone());
    let mut guard = TerminalGuard::enter()?;
    let worker = worker::spawn(setup, effects_rx, events_tx.clone());
    let stop = Arc::new(AtomicBool::new(false));
    events::spawn_terminal_reader(events_tx.clone(), Arc::clone(&stop));
    drop(events_tx);
    if let Ok(size) = guard.terminal.size() {
        update::update(&mut state, Msg::Resize(size.width, size.height));
    }
    #[cfg(debug_assertions)]
    panic_if_asked(&mut guard.terminal, &state, &theme);
    tracing::info!(content = ?workspace.content_dir, index = ?workspace.index_dir, "reader opened");
    let result = run_loop(
        &mut guard.terminal,
        &mut state,
        &theme,
        &events_rx,
        |effect| match effect {
            Effect::Copy(sequence) => write_to_terminal(&sequence),
            effect => {
                let _ = effects_tx.send(effect);
            }
        },
    );
    stop.store(true, Ordering::Relaxed);
    drop(guard);
    // The worker answers what it was asked, then stops when the channel closes.
    drop(effects_tx);
    let finished = wait_for(&worker, WORKER_WAIT);
    tracing::info!(signal = ?state.signal, worker_done = finished, "reader closed");
    if let Some(signals) = signals {
        signals.close();
    }
    result.map_err(|e| format!("the terminal failed: {e}"))?;
    if !finished {
        return Err(format!(
            "the last changes may not be saved: the worker was still busy after {} s",
            WORKER_WAIT.as_secs()
        ));
    }
    Ok(state.signal.map_or(Exit::Quit, Exit::Signal))
}

/// Writes a sequence the reader built itself (an OSC 52 copy) to the terminal, through crossterm, between
/// two frames (each frame is flushed whole before the next event is handled).
fn write_to_terminal(sequence: &str) {
    use ratatui::crossterm::style::Print;
    if let Err(e) = ratatui::crossterm::execute!(std::io::stdout(), Print(sequence)) {
        tracing::warn!(error = %e, "cannot write to the terminal");
    }
}

/// How long quitting waits for the worker to finish the writes it was asked for.
const WORKER_WAIT: Duration = Duration::from_secs(10);

/// Waits up to `limit` for `thread` to end; true if it did.
fn wait_for(thread: &std::thread::JoinHandle<()>, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while !thread.is_finished() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// `SIGTERM`, `SIGHUP`, `SIGINT`, or the number.
fn signal_name(signal: i32) -> String {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match signal {
        SIGTERM => "SIGTERM".into(),
        SIGHUP => "SIGHUP".into(),
        SIGINT => "SIGINT".into(),
        n => format!("signal {n}"),
    }
}

/// Debug builds only (release builds do not have it): with `NEWSGLOSS_TEST_PANIC` set, panics after the
/// first frame, so that a test can check what a panic does to the terminal: on this thread (any value), on
/// another thread (`thread`), or contained (`contained`: nothing happens and the reader goes on).
#[cfg(debug_assertions)]
fn panic_if_asked(terminal: &mut DefaultTerminal, state: &State, theme: &Theme) {
    let Some(how) = std::env::var_os("NEWSGLOSS_TEST_PANIC") else {
        return;
    };
    let _ = terminal.draw(|frame| view::draw(frame, state, theme));
    match how.to_str() {
        Some("contained") => {
            let _ = crate::contain::contain(|| panic!("a contained panic"));
        }
        Some("thread") => {
            let thread = std::thread::Builder::new()
                .name("newsgloss-test".into())
                .spawn(|| panic!("NEWSGLOSS_TEST_PANIC is set"));
            let _ = thread.map(|t| t.join());
        }
        _ => panic!("NEWSGLOSS_TEST_PANIC is set"),
    }
}

/// The state at start: the config's keys and theme (problems reported in the status bar).
pub fn initial_state(workspace: &Workspace, no_color: bool) -> (State, Theme) {
    let (keymap, mut problems) = Keymap::from_config(&workspace.config.keys);
    let (theme, theme_problems) = Theme::from_config(&workspace.config.theme, no_color);
    problems.extend(theme_problems);
    let (theme, tag_problems) = theme.with_tags(&workspace.config.tags);
    problems.extend(tag_problems);
    let mut state = State::new(workspace.config.reader.max_width, 80, 24);
    state.keymap = keymap;
    state.vocabulary = crate::annotation::TagVocabulary::new(&workspace.config.tags);
    state.search_limit = workspace.config.search.limit;
    state.snippet_chars = workspace.config.search.snippet_chars;
    state.feeds = workspace.config.feeds.len();
    state.osc52 = workspace.config.reader.osc52;
    if !problems.is_empty() {
        state.status.error = Some(format!("config: {} (defaults kept)", problems.join("; ")));
    }
    (state, theme)
}

/// Draws, then handles events until the state says quit or the event source runs dry. Events that
/// arrive together are all handled before the next frame, so a burst of keys never waits on drawing,
/// and their effects are sent together after them, so that the worker answers only the last of a burst's
/// searches (a word typed or pasted at once is searched once, not once per letter).
pub fn run_loop<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    theme: &Theme,
    events: &Receiver<Event>,
    mut effects: impl FnMut(Effect),
) -> Result<(), String> {
    let draw = |state: &State, terminal: &mut Terminal<B>| {
        terminal
            .draw(|frame| view::draw(frame, state, theme))
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    draw(state, terminal)?;
    let mut burst = Vec::new();
    while !state.quit {
        let Ok(first) = events.recv() else { break };
        let mut next = Some(first);
        while let Some(event) = next.take() {
            if let Some(action) = event.into_msg() {
                if let Msg::Resize(..) = action {
                    let _ = terminal.autoresize();
                }
                burst.extend(update::update(state, action));
            }
            if state.quit {
                break;
            }
            next = events.try_recv().ok();
        }
        burst.drain(..).for_each(&mut effects);
        if !state.quit {
            draw(state, terminal)?;
        }
    }
    Ok(())
}

/// The terminal in raw mode on the alternate screen with mouse capture; dropping it restores the terminal.
/// On a panic, the panic hook restores it instead (mouse capture off and the cursor shown, then ratatui's
/// restore, then the binary's message on the main screen), and the drop during unwinding leaves it alone:
/// a second restore would move the cursor back over the message. A panic on another thread ends the
/// process (101) once the terminal is restored; a contained panic ([`crate::contain`]) changes nothing.
/// An abort (out of memory) is caught by [`rescue`].
struct TerminalGuard {
    terminal: DefaultTerminal,
}

impl TerminalGuard {
    fn enter() -> Result<TerminalGuard, String> {
        rescue::arm();
        let terminal = ratatui::try_init().map_err(|e| format!("cannot open the terminal: {e}"))?;
        let restore = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A panic that becomes an error (tantivy on a hostile query or file) leaves the screen alone.
            if crate::contain::is_containing() {
                return;
            }
            let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableMouseCapture, Show);
            restore(info);
            // The terminal is restored now: a reader whose worker died cannot go on drawing.
            if std::thread::current().name() != Some("main") {
                std::process::exit(101);
            }
        }));
        let guard = TerminalGuard { terminal };
        let _ = ratatui::crossterm::execute!(std::io::stdout(), EnableMouseCapture);
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}
