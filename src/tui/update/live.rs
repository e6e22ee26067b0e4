//! Versions made outside the reader, once the index has caught up: every screen is brought to the files
//! as they are now (the library comes with its own message), and the open article is read again with its
//! cursor and reading position kept on the same words where they survive.

use similar::{DiffOp, TextDiff};

use super::super::effect::Effect;
use super::super::state::{Reader, Screen, State};
use super::{cursor, rewrap};

/// Files changed: rerun the search on screen, reread the claims, reload the open article if it changed.
pub fn files_changed(state: &mut State, articles: &[String], all: bool) -> Vec<Effect> {
    let touches = |id: &str| all || articles.iter().any(|a| a == id);
    let mut effects = Vec::new();
    state.claims.loaded = false;
    if state.screen == Screen::Claims || !state.claims.claims.is_empty() {
        state.claims.loading = true;
        effects.push(Effect::LoadClaims);
    }
    let query = state.search.input.value().trim().to_owned();
    if !query.is_empty() {
        state.search.sent += 1;
        state.search.refresh = true;
        let newest_first = state.search.newest_first;
        effects.push(super::search_effect(state.search.sent, query, newest_first));
    }
    if let Some(reader) = &state.reader
        && touches(&reader.article.id)
    {
        state.reload = Some(reader.article.id.clone());
    }
    effects.extend(pending_reload(state));
    effects
}

/// The reload of the open article, once nothing is being made on its text (a tag being picked or a note
/// being written keeps the text it was started on; it is saved against that text and re-anchored).
pub fn pending_reload(state: &mut State) -> Option<Effect> {
    if state.picker.is_some() || state.note.is_some() {
        return None;
    }
    let id = state.reload.take()?;
    let reader = state.reader.as_ref().filter(|r| r.article.id == id)?;
    let query = (reader.from == Screen::Search && !reader.matches.is_empty())
        .then(|| state.search.query.clone());
    Some(Effect::Reload { id, query })
}

/// The open article as its file is now: the same words stay under the cursor and at the top of the
/// screen; the annotations follow from the store.
pub fn reloaded(
    state: &mut State,
    article: crate::article::Article,
    mut matches: Vec<std::ops::Range<usize>>,
) {
    let Some(old) = state.reader.as_mut().filter(|r| r.article.id == article.id) else {
        return;
    };
    if old.article.text == article.text {
        old.article = article;
        return;
    }
    matches.sort_by_key(|r| (r.start, r.end));
    let (cursor, anchor) = {
        let (text, new) = (&old.article.text, &article.text);
        (remap(text, new, old.cursor), remap(text, new, old.anchor))
    };
    let mut reader = Reader::new(article, matches, old.from);
    (reader.auto_read, reader.scrolled) = (old.auto_read, old.scrolled);
    reader.cursor = cursor.min(reader.chars.saturating_sub(1));
    reader.anchor = anchor.min(reader.chars);
    state.reader = Some(reader);
    state.versions = None;
    rewrap(state);
    cursor::show_cursor(state);
}

/// Where char offset `at` of `old` is in `new`: the same char where it survives, else where the text
/// that replaced it starts. Lines are compared first; only the changed lines around `at` char by char.
pub fn remap(old: &str, new: &str, at: usize) -> usize {
    let lines = TextDiff::from_lines(old, new);
    let (old_starts, new_starts) = (starts(lines.old_slices()), starts(lines.new_slices()));
    for op in lines.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        let (o_start, o_end) = (old_starts[o.start], old_starts[o.end]);
        if at < o_start || at >= o_end {
            continue;
        }
        let n_start = new_starts[n.start];
        return match op {
            DiffOp::Equal { .. } => n_start + (at - o_start),
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => n_start,
            DiffOp::Replace { .. } => {
                let before: String = old.chars().skip(o_start).take(o_end - o_start).collect();
                let after: String = new
                    .chars()
                    .skip(n_start)
                    .take(new_starts[n.end] - n_start)
                    .collect();
                n_start + remap_chars(&before, &after, at - o_start)
            }
        };
    }
    new.chars().count()
}

/// Longer changed passages than this are not compared char by char (the cursor goes to their start).
const CHAR_DIFF_LIMIT: usize = 8_000;

fn remap_chars(old: &str, new: &str, at: usize) -> usize {
    if old.len() > CHAR_DIFF_LIMIT || new.len() > CHAR_DIFF_LIMIT {
        return 0;
    }
    let chars = TextDiff::from_chars(old, new);
    for op in chars.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        if o.contains(&at) {
            return match op {
                DiffOp::Equal { .. } => n.start + (at - o.start),
                _ => n.start,
            };
        }
    }
    new.chars().count()
}

/// The char offset where each slice starts, and the total at the end.
fn starts(slices: &[&str]) -> Vec<usize> {
    let mut out = Vec::with_capacity(slices.len() + 1);
    let mut at = 0;
    out.push(0);
    for slice in slices {
        at += slice.chars().count();
        out.push(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::remap;

    #[test]
    fn the_cursor_stays_on_the_same_words_where_they_survive() {
        let old = "First line.\nThe cursor is on needle here.\nLast line.\n";
        let at = old.find("needle").unwrap();
        // A word added before it, on its line and on a line above.
        let new = "A new line.\nFirst line.\nThe cursor is now on needle here.\nLast line.\n";
        assert_eq!(remap(old, new, at), new.find("needle").unwrap());
        // Its own line removed: it goes where the text went on.
        let new = "First line.\nLast line.\n";
        assert_eq!(remap(old, new, at), new.find("Last").unwrap());
        // Unchanged text: unchanged offset.
        assert_eq!(remap(old, old, at), at);
        // Past the end.
        assert_eq!(remap(old, "", at), 0);
    }

    #[test]
    fn offsets_are_chars_not_bytes() {
        let old = "東京都の記事。\n目標はここ。\n";
        let at = old.chars().position(|c| c == '目').unwrap();
        let new = "新しい行。\n東京都の記事。\n目標はここ。\n";
        let want = new.chars().position(|c| c == '目').unwrap();
        assert_eq!(remap(old, new, at), want);
    }
}
