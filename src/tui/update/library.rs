//! The library: every article, filtered and sorted; its commands, and its filter line, which holds the
//! filter words (`unread starred new source: feed: tag: claim: since: until: sort:`) and free text.

use tui_input::Input;

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::find;
use super::super::layout;
use super::super::state::{Entry, Listed, Screen, State};
use super::list::{keep_selection_visible, move_by};
use super::{claims, reading, search};
use crate::article::clean::quoted;
use crate::reading::{LibraryFilter, SortKey};

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
        Command::ToggleSort => next_sort(state),
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
        Command::ToggleRead => return reading::toggle_read(state),
        Command::ToggleStar => return reading::toggle_star(state),
        Command::MarkAllRead => return reading::mark_all_read(state),
        Command::UndoMarkAll => return reading::undo_mark_all(state),
        Command::UnreadOnly => toggle_word(state, "unread"),
        Command::StarredOnly => toggle_word(state, "starred"),
        Command::NewOnly => toggle_word(state, "new"),
        Command::Back if !state.library.filter.value().is_empty() => {
            state.library.filter.reset();
            refilter(state);
        }
        action => move_by(state, &action, page),
    }
    Vec::new()
}

/// Shows the library filtered by `filter`: its words go in the filter line (where they can be edited,
/// and Esc clears them), from the top of the list. An order it names is taken; else the order stays.
pub fn set_filter(state: &mut State, filter: &LibraryFilter) {
    let lib = &mut state.library;
    lib.filter = Input::new(filter.to_string());
    lib.filter_open = false;
    lib.selected = 0;
    lib.offset = 0;
    state.screen = Screen::Library;
    refilter(state);
    state.library.selected = 0;
    keep_selection_visible(state);
}

/// The filter the filter line holds, as far as it can be read.
pub fn current_filter(state: &State) -> LibraryFilter {
    LibraryFilter::read(state.library.filter.value()).0
}

/// `o`: the next order. When the filter line names one, the word there changes, so that the line
/// always says what is shown.
fn next_sort(state: &mut State) {
    let next = state.library.sort.next();
    let line = state.library.filter.value();
    if LibraryFilter::names_order(line) {
        let words: Vec<String> = raw_words(line)
            .into_iter()
            .map(|w| match w.to_lowercase().starts_with("sort:") {
                true => format!("sort:{next}"),
                false => w.to_owned(),
            })
            .collect();
        state.library.filter = Input::new(words.join(" "));
    }
    state.library.sort = next;
    state.status.message = Some(format!("sorted by {}", sort_name(next)));
    refilter(state);
}

/// How an order is said: `date, newest first`.
pub fn sort_name(key: SortKey) -> &'static str {
    match key {
        SortKey::Date => "date, newest first",
        SortKey::Title => "title",
        SortKey::Source => "source",
        SortKey::Length => "length, longest first",
        SortKey::Claims => "claims, most first",
    }
}

/// Adds `word` to the filter line, or takes it out when it is there (in any case).
fn toggle_word(state: &mut State, word: &str) {
    let line = state.library.filter.value();
    let mut words: Vec<&str> = raw_words(line);
    let before = words.len();
    words.retain(|w| !w.eq_ignore_ascii_case(word));
    let on = words.len() == before;
    if on {
        words.push(word);
    }
    state.library.filter = Input::new(words.join(" "));
    state.status.message = Some(match on {
        true => format!("only {word} articles"),
        false => format!("no longer only {word}"),
    });
    refilter(state);
}

/// The words of a filter line as typed (quotes kept, so that a value with spaces stays one word).
fn raw_words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut start, mut quoted) = (None, false);
    for (i, c) in line.char_indices() {
        if c == '"' {
            quoted = !quoted;
        }
        match (c.is_whitespace() && !quoted, start) {
            (true, Some(s)) => {
                words.push(&line[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(&line[s..]);
    }
    words
}

/// The articles as the index has them now; the selected one stays selected where it still is.
pub fn reload(state: &mut State, entries: Vec<Entry>) {
    let keep = state.selected_entry().map(|e| e.id.clone());
    state.library.entries = entries;
    state.library.listed = Listed::Whole;
    show(state, keep);
}

/// The list's first rows (the newest `entries` of `total` articles), shown until the whole list comes,
/// unless it has come already.
pub fn head(state: &mut State, entries: Vec<Entry>, total: usize) {
    if state.library.loaded() {
        return;
    }
    let keep = state.selected_entry().map(|e| e.id.clone());
    state.library.entries = entries;
    state.library.listed = Listed::FirstRows(total);
    show(state, keep);
}

/// Filters and sorts the library again, keeping the selected article selected when it is still shown
/// (else the row where it was). A word of the filter line that cannot be read is said in the status bar
/// and left out; an order it names is taken.
pub fn refilter(state: &mut State) {
    let keep = state.selected_entry().map(|e| e.id.clone());
    show(state, keep);
}

/// Filters and sorts the library, with the article `keep` selected if it is shown.
fn show(state: &mut State, keep: Option<String>) {
    let was = state.library.selected;
    let (mut filter, problem) = LibraryFilter::read(state.library.filter.value());
    if let Some(problem) = problem {
        state.status.error = Some(problem.to_string());
    }
    if let Some(name) = filter.feeds.iter().find(|f| !state.library.feeds.knows(f)) {
        state.status.error = Some(format!("no feed named {} in the config", quoted(name)));
    }
    if LibraryFilter::names_order(state.library.filter.value()) {
        state.library.sort = filter.sort;
    }
    // Free text is looked for in the title, the source and the id, as it always was.
    let free: Vec<String> = std::mem::take(&mut filter.words)
        .iter()
        .map(|w| find::fold(w))
        .collect();
    let lib = &mut state.library;
    let reading = &state.reading.state;
    let mut shown: Vec<usize> = (0..lib.entries.len())
        .filter(|&i| {
            let e = &lib.entries[i];
            filter.admits(&e.facts(), reading, &lib.feeds) && has_words(e, &free)
        })
        .collect();
    // The first rows are the list's first rows only in its first order and unfiltered: in any other,
    // nothing is shown until the whole list is here.
    if lib.first_rows_of().is_some()
        && (lib.sort != SortKey::Date || !lib.filter.value().is_empty())
    {
        shown.clear();
    }
    sort_rows(&mut shown, &lib.entries, lib.sort);
    lib.selected = keep
        .and_then(|id| shown.iter().position(|&i| lib.entries[i].id == id))
        .unwrap_or(was.min(shown.len().saturating_sub(1)));
    lib.shown = shown;
    keep_selection_visible(state);
}

/// Whether every one of `words` (folded) is in the entry's title, source or id.
fn has_words(entry: &Entry, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let fields = [&entry.title, &entry.source, &entry.id].map(|s| find::fold(s));
    words
        .iter()
        .all(|w| fields.iter().any(|f| f.contains(w.as_str())))
}

/// Sorts rows (indices into `entries`) as [`crate::reading::order`] does; the text keys are folded once
/// per row rather than once per comparison.
fn sort_rows(rows: &mut [usize], entries: &[Entry], key: SortKey) {
    match key {
        SortKey::Title => {
            rows.sort_by_cached_key(|&i| (entries[i].title.to_lowercase(), entries[i].id.as_str()))
        }
        SortKey::Source => rows.sort_by_cached_key(|&i| {
            let e = &entries[i];
            let stamp = e.published.map(|p| std::cmp::Reverse(p.timestamp()));
            let source = (e.source.is_empty(), e.source.to_lowercase());
            (source, stamp.is_none(), stamp, e.id.as_str())
        }),
        _ => rows
            .sort_by(|&a, &b| crate::reading::order(key, &entries[a].facts(), &entries[b].facts())),
    }
}

#[cfg(test)]
mod tests {
    use super::raw_words;

    #[test]
    fn words_as_typed_keep_their_quotes() {
        assert_eq!(
            raw_words(" unread  source:\"South China\" x "),
            ["unread", "source:\"South China\"", "x"]
        );
        assert!(raw_words("   ").is_empty());
    }
}
