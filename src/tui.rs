//! The terminal reader: browse the library, read an article, search every article as you type, select and
//! tag key claims, and see every claim of the corpus by tag.
//!
//! Elm-style: a [`State`](state::State), [`Action`](action::Action)s, a pure
//! [`update`](update::update) that returns [`Effect`](action::Effect)s for the [`worker`], and a pure
//! [`view`]. This file holds the terminal guard and the event loop.

pub mod action;
pub mod events;
pub mod find;
pub mod fuzzy;
pub mod keymap;
pub mod layout;
pub mod motion;
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

use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::{DefaultTerminal, Terminal};

use crate::cli::{Failure, Workspace};
use action::{Action, Effect};
use events::Event;
use keymap::Keymap;
use state::State;
use theme::Theme;

/// Opens the reader on the workspace and runs it until the user quits (or SIGTERM/SIGHUP).
pub fn run(workspace: &Workspace) -> Result<(), Failure> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (mut state, theme) = initial_state(workspace, no_color);
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
        feeds: workspace.config.feeds.clone(),
        ingest: workspace.config.ingest.clone(),
    };
    let mut guard = TerminalGuard::enter()?;
    let _worker = worker::spawn(setup, effects_rx, events_tx.clone());
    let stop = Arc::new(AtomicBool::new(false));
    events::spawn_terminal_reader(events_tx.clone(), Arc::clone(&stop));
    let signals = events::spawn_signal_listener(events_tx.clone());
    drop(events_tx);
    if let Ok(size) = guard.terminal.size() {
        update::update(&mut state, Action::Resize(size.width, size.height));
    }
    let result = run_loop(
        &mut guard.terminal,
        &mut state,
        &theme,
        &events_rx,
        |effect| {
            let _ = effects_tx.send(effect);
        },
    );
    stop.store(true, Ordering::Relaxed);
    if let Some(signals) = signals {
        signals.close();
    }
    drop(guard);
    result.map_err(|e| Failure::Failed(format!("the terminal failed: {e}")))
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
    if !problems.is_empty() {
        state.status.error = Some(format!("config: {} (defaults kept)", problems.join("; ")));
    }
    (state, theme)
}

/// Draws, then handles events until the state says quit or the event source runs dry. Events that
/// arrive together are all handled before the next frame, so a burst of keys never waits on drawing.
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
    while !state.quit {
        let Ok(first) = events.recv() else { break };
        let mut next = Some(first);
        while let Some(event) = next.take() {
            if let Some(action) = event.into_action() {
                if let Action::Resize(..) = action {
                    let _ = terminal.autoresize();
                }
                update::update(state, action)
                    .into_iter()
                    .for_each(&mut effects);
            }
            if state.quit {
                break;
            }
            next = events.try_recv().ok();
        }
        if !state.quit {
            draw(state, terminal)?;
        }
    }
    Ok(())
}

/// The terminal in raw mode on the alternate screen with mouse capture; dropping it restores the terminal
/// (as ratatui's panic hook does on a panic).
struct TerminalGuard {
    terminal: DefaultTerminal,
}

impl TerminalGuard {
    fn enter() -> Result<TerminalGuard, Failure> {
        let terminal = ratatui::try_init()
            .map_err(|e| Failure::Failed(format!("cannot open the terminal: {e}")))?;
        let guard = TerminalGuard { terminal };
        let _ = ratatui::crossterm::execute!(std::io::stdout(), EnableMouseCapture);
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}
