//! The help overlay: opening and closing it, scrolling its rows.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::state::State;

/// Shows or hides the help, from its top.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    state.help = !state.help;
    state.help_scroll = 0;
    Vec::new()
}

/// A command while the help is shown: Back closes it, the moves scroll it.
pub fn command(state: &mut State, command: Command) -> Vec<Effect> {
    if command == Command::Back {
        state.help = false;
        return Vec::new();
    }
    let rows = state.keymap.help(state.screen_mode()).len();
    let page = usize::from(state.height.saturating_sub(4)).max(1);
    let scroll = &mut state.help_scroll;
    *scroll = match command {
        Command::Down => *scroll + 1,
        Command::Up => scroll.saturating_sub(1),
        Command::PageDown => *scroll + page,
        Command::PageUp => scroll.saturating_sub(page),
        _ => *scroll,
    }
    .min(rows.saturating_sub(1));
    Vec::new()
}
