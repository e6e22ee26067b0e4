//! The search results: their commands, the next page of hits, and opening the search from a screen.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::layout;
use super::super::state::{Screen, State};
use super::list::move_by;

/// A command in the search results.
pub fn search(state: &mut State, action: Command) -> Vec<Effect> {
    let page = (layout::search(state).2.height / layout::HIT_ROWS).max(1) as isize;
    match action {
        Command::Open => {
            if let Some(hit) = state.search.results.hits.get(state.search.selected) {
                let query = Some(state.search.query.clone());
                let claims = hit.claims.iter().filter_map(|c| c.id.parse().ok());
                state.claim_hits = Some((hit.id.clone(), claims.collect()));
                return vec![Effect::Open {
                    id: hit.id.clone(),
                    query,
                }];
            }
        }
        Command::Back => {
            state.screen = match state.search.from {
                Some(Screen::Reader) if state.reader.is_some() => Screen::Reader,
                _ => Screen::Library,
            };
        }
        Command::SortResults => {
            state.search.newest_first = !state.search.newest_first;
            state.status.message = Some(
                match state.search.newest_first {
                    true => "results newest first",
                    false => "results best first",
                }
                .into(),
            );
            return super::query_changed(state);
        }
        action => {
            move_by(state, &action, page);
            return more_results(state, page.unsigned_abs());
        }
    }
    Vec::new()
}

/// Asks for the next page of hits once the selection comes within two screens of the last one loaded.
fn more_results(state: &mut State, page: usize) -> Vec<Effect> {
    let search = &mut state.search;
    let loaded = search.results.hits.len();
    if search.loading_more || loaded >= search.results.total || search.selected + 2 * page < loaded
    {
        return Vec::new();
    }
    search.loading_more = true;
    vec![Effect::SearchPage {
        seq: search.shown,
        query: search.query.clone(),
        offset: loaded,
        newest_first: search.newest_first,
    }]
}

/// A page of hits after those shown: appended when it answers what is on screen.
pub fn page_arrived(
    state: &mut State,
    seq: u64,
    offset: usize,
    result: Result<crate::index::SearchResults, String>,
) {
    let search = &mut state.search;
    if seq != search.shown || offset != search.results.hits.len() {
        return; // the query or the order changed meanwhile.
    }
    search.loading_more = false;
    match result {
        Ok(page) => {
            search.results.total = page.total;
            search.results.hits.extend(page.hits);
        }
        Err(e) => state.status.error = Some(crate::article::clean::clean_line(&e)),
    }
}

pub fn open_search(state: &mut State) {
    state.search.from = Some(state.screen);
    state.screen = Screen::Search;
}
