//! The library: every article, sorted and filtered; its commands, and its filter line.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::find;
use super::super::layout;
use super::super::state::{Sort, State};
use super::list::{keep_selection_visible, move_by};
use super::{claims, search};
use crate::reading::LibraryFilter;

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
        Command::Sources => return super::sources::open(state),
        Command::OpenInBrowser => {
            if let Some(entry) = state.selected_entry() {
                return vec![Effect::Browse {
                    id: entry.id.clone(),
                }];
            }
        }
        Command::Back if !state.library.filter.value().is_empty() => {
            state.library.filter.reset();
            refilter(state);
        }
        action => move_by(state, &action, page),
    }
    Vec::new()
}

/// Shows only the articles the filter words pick (`source:"KrASIA"`, `feed:NAME`, as the filter line
/// takes them): they become the filter line's text.
pub fn set_filter(state: &mut State, words: &str) {
    state.library.filter = tui_input::Input::new(words.to_owned());
    state.library.filter_open = false;
    refilter(state);
}

/// Whether the entry passes the filter line: its reading-state words (`unread`, `read`, `starred`,
/// `new`), `source:` and `feed:` words (any of each), `tag:` and `claim:` words (all of each),
/// `since:`/`until:`, and every other word in its title, source or id.
fn passes(state: &State, filter: &LibraryFilter, needles: &[String], i: usize) -> bool {
    let e = &state.library.entries[i];
    let reading = &state.reading;
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let day = e.published.map(|p| p.at.date());
    let dated = |bound: Option<time::Date>, keep: fn(time::Date, time::Date) -> bool| {
        bound.is_none_or(|bound| day.is_some_and(|day| keep(day, bound)))
    };
    (!filter.unread || !reading.is_read(&e.id))
        && (!filter.read || reading.is_read(&e.id))
        && (!filter.starred || reading.is_starred(&e.id))
        && (!filter.new || reading.is_new(&e.id))
        && filter
            .tags
            .iter()
            .all(|t| e.tags.iter().any(|a| same(a, t)))
        && filter
            .claims
            .iter()
            .all(|t| e.claim_tags.iter().any(|a| same(a, t)))
        && dated(filter.since, |day, bound| day >= bound)
        && dated(filter.until, |day, bound| day <= bound)
        && (filter.sources.is_empty() || filter.sources.iter().any(|s| same(s, &e.source)))
        && (filter.feeds.is_empty()
            || filter
                .feeds
                .iter()
                .any(|f| state.sources.members.has(f, &e.id, Some(e.source.as_str()))))
        && needles.iter().all(|needle| {
            [&e.title, &e.source, &e.id]
                .iter()
                .any(|s| find::fold(s).contains(needle))
        })
}

/// Sorts and filters the library again, keeping the selected article selected when it is still shown.
pub fn refilter(state: &mut State) {
    let keep = state.selected_entry().map(|e| e.id.clone());
    let line = state.library.filter.value().trim().to_owned();
    let filter = LibraryFilter::parse(&line).unwrap_or_else(|e| {
        state.status.error = Some(format!("filter: {e}"));
        LibraryFilter::default()
    });
    let needles: Vec<String> = filter.words.iter().map(|w| find::fold(w)).collect();
    let mut shown: Vec<usize> = (0..state.library.entries.len())
        .filter(|&i| passes(state, &filter, &needles, i))
        .collect();
    let lib = &mut state.library;
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
