//! The panel: the list of the article's annotations, in text order.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::state::{Panel, State};
use super::cursor::show_cursor;

/// `a`: the list of the article's annotations, at the one under or after the cursor.
pub fn open(state: &mut State) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let at = reader.cursor;
    let selected = reader
        .annotations
        .iter()
        .position(|a| !a.orphaned && a.end > at)
        .unwrap_or(0);
    state.panel = Some(Panel {
        selected,
        offset: 0,
    });
}

/// A command in the annotations panel.
pub fn command(state: &mut State, action: Command) -> Vec<Effect> {
    match action {
        Command::Trace => return super::trace::open(state),
        Command::FollowLink => return super::trace::follow(state),
        _ => {}
    }
    let (Some(panel), Some(reader)) = (state.panel.as_mut(), state.reader.as_mut()) else {
        return Vec::new();
    };
    let last = reader.annotations.len().saturating_sub(1);
    match action {
        Command::Down => panel.selected = (panel.selected + 1).min(last),
        Command::Up => panel.selected = panel.selected.saturating_sub(1),
        Command::Top => panel.selected = 0,
        Command::Bottom => panel.selected = last,
        Command::Open => {
            let Some(a) = reader.annotations.get(panel.selected) else {
                return Vec::new();
            };
            if a.orphaned {
                state.status.error = Some("orphaned: its quote is no longer in the text".into());
                return Vec::new();
            }
            reader.cursor = a.start;
            state.panel = None;
            show_cursor(state);
        }
        Command::Back | Command::Cancel | Command::Annotations => state.panel = None,
        _ => {}
    }
    Vec::new()
}
