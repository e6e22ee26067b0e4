//! The library: every article, sorted and filtered; its commands, and its filter line.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::find;
use super::super::layout;
use super::super::state::{Sort, State};
use super::list::{keep_selection_visible, move_by};
use super::{claims, search};

/// A command in the library, or while its filter line is open.
pub fn library(state: &mut State, action: Command) -> Vec<Effect> {
    let page = layout::library(state).1.height.max(1) as isize;
    match action {
        Command::Submit if state.library.filter_open => state.library.filter_open = false,
        Command::Cancel if state.library.filter_open => {
            state.library.filter_open = false;
            state.library.filter.reset();
            refilter(state);
        }
        Command::Open => {
            if let Some(entry) = state.selected_entry() {
                return vec![Effect::Open {
                    id: entry.id.clone(),
                    query: None,
                }];
            }
        }
        Command::ToggleSort => {
            state.library.sort = Some(match state.library.sort {
                Some(Sort::Date) | None => Sort::Title,
                Some(Sort::Title) => Sort::Date,
            });
            refilter(state);
        }
        Command::Filter => state.library.filter_open = true,
        Command::Search => search::open_search(state),
        Command::Claims => return claims::open(state),
        Command::FetchFeeds => return super::fetch::start(state),
        Command::Sync => return super::team::start(state),
        Command::Back if !state.library.filter.value().is_empty() => {
            state.library.filter.reset();
            refilter(state);
        }
        action => move_by(state, &action, page),
    }
    Vec::new()
}

/// Sorts and filters the library again, keeping the selected article selected when it is still shown.
pub fn refilter(state: &mut State) {
    let keep = state.selected_entry().map(|e| e.id.clone());
    let lib = &mut state.library;
    let needle = find::fold(lib.filter.value().trim());
    let mut shown: Vec<usize> = (0..lib.entries.len())
        .filter(|&i| {
            let e = &lib.entries[i];
            needle.is_empty()
                || [&e.title, &e.source, &e.id]
                    .iter()
                    .any(|s| find::fold(s).contains(&needle))
        })
        .collect();
    let entries = &lib.entries;
    match lib.sort {
        Some(Sort::Title) => shown.sort_by_cached_key(|&i| (find::fold(&entries[i].title), i)),
        _ => shown.sort_by(|&a, &b| {
            entries[b]
                .published
                .cmp(&entries[a].published)
                .then(a.cmp(&b))
        }),
    }
    lib.selected = keep
        .and_then(|id| shown.iter().position(|&i| lib.entries[i].id == id))
        .unwrap_or(0);
    lib.shown = shown;
    keep_selection_visible(state);
}
