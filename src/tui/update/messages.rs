//! The messages of the session, in full: opening and closing the list, scrolling it (newest at the
//! bottom, so up goes back in time).

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::state::State;

/// Shows or hides the messages, at the newest.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    state.messages.open = !state.messages.open;
    state.messages.scroll = 0;
    Vec::new()
}

/// A command while the messages are shown.
pub fn command(state: &mut State, command: Command) -> Vec<Effect> {
    let page = usize::from(state.height.saturating_sub(4)).max(1);
    let log = &mut state.messages;
    log.scroll = match command {
        Command::Up => log.scroll + 1,
        Command::Down => log.scroll.saturating_sub(1),
        Command::PageUp => log.scroll + page,
        Command::PageDown => log.scroll.saturating_sub(page),
        Command::Top => usize::MAX,
        Command::Bottom => 0,
        Command::Back => {
            log.open = false;
            0
        }
        _ => log.scroll,
    };
    Vec::new()
}
