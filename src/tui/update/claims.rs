//! The claims view: every annotation of the corpus, grouped by tag, filtered as you type; Enter opens the
//! article at the quote, or opens a claim made across articles into its members.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::find;
use super::super::layout::{self, CLAIM_ROWS};
use super::super::state::{Claim, ClaimRow, Screen, State};
use crate::annotation::Annotation;

/// `c`: opens the claims view on the claims read last (at once), and asks the worker to read them again.
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.screen != Screen::Claims {
        state.claims.from = Some(state.screen);
    }
    state.screen = Screen::Claims;
    state.picker = None;
    state.note = None;
    state.panel = None;
    state.claims.loading = true;
    vec![Effect::LoadClaims]
}

/// The library is on screen: read the claims in the background, once, so that the view opens at once.
pub fn preload(state: &mut State) -> Vec<Effect> {
    if state.claims.loaded || state.claims.loading {
        return Vec::new();
    }
    state.claims.loading = true;
    vec![Effect::LoadClaims]
}

/// The worker's answer. The store knows articles by id; their titles and dates come from the library.
pub fn loaded(state: &mut State, mut claims: Vec<Claim>, errors: Vec<String>) {
    state.claims.loading = false;
    let entries: std::collections::HashMap<&str, _> = state
        .library
        .entries
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    for claim in claims.iter_mut().filter(|c| c.title.is_empty()) {
        match entries.get(claim.article.as_str()) {
            Some(entry) => {
                claim.title.clone_from(&entry.title);
                claim.published = entry.published;
                claim.source = Some(entry.source.clone()).filter(|s| !s.is_empty());
            }
            None => claim.title.clone_from(&claim.article),
        }
    }
    drop(entries);
    let keep = selected(state).map(|c| (c.id, c.tag.clone()));
    let names: Vec<&str> = state
        .vocabulary
        .tags()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let order = |tag: &str| names.iter().position(|t| *t == tag).unwrap_or(usize::MAX);
    claims.sort_by(|a, b| {
        (order(&a.tag), &a.tag, b.published, &a.article, a.start).cmp(&(
            order(&b.tag),
            &b.tag,
            a.published,
            &b.article,
            b.start,
        ))
    });
    let claims_view = &mut state.claims;
    claims_view.claims = claims;
    claims_view.folded = Vec::new();
    claims_view.loaded = true;
    claims_view.errors = errors;
    claims_view.regroup();
    // A preload (the view not open) says nothing: the view reports the errors when it opens.
    if let Some(first) = claims_view.errors.first()
        && state.screen == Screen::Claims
    {
        let more = claims_view.errors.len() - 1;
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        state.status.error = Some(format!("{first}{more}"));
    }
    refilter(state);
    if let Some((id, tag)) = keep {
        let c = &mut state.claims;
        let at = c.rows.iter().position(|&row| {
            c.claim_of(row)
                .is_some_and(|claim| claim.id == id && claim.tag == tag)
        });
        if let Some(i) = at {
            c.selected = i;
        }
    }
}

/// The annotations of `article` changed (in this reader): its claims are replaced by these at once, so
/// that the claims view, the panel's links and the trace show them without reading every store file.
pub fn article_changed(state: &mut State, article: &str, annotations: &[Annotation]) {
    if !state.claims.loaded {
        return;
    }
    let mut claims: Vec<Claim> = std::mem::take(&mut state.claims.claims);
    claims.retain(|c| c.article != article);
    claims.extend(annotations.iter().flat_map(Claim::of));
    let errors = std::mem::take(&mut state.claims.errors);
    let loading = state.claims.loading;
    loaded(state, claims, errors);
    state.claims.loading = loading;
}

/// The selected claim (of a group: its first report).
pub fn selected(state: &State) -> Option<&Claim> {
    let c = &state.claims;
    c.claim_of(*c.rows.get(c.selected)?)
}

/// The selected row.
pub fn selected_row(state: &State) -> Option<ClaimRow> {
    state.claims.rows.get(state.claims.selected).copied()
}

/// Filters the claims: every word typed must be in the tag, the quote, the note, the title or the
/// creator's name; `by:NAME` keeps only the claims made by someone of that name (a word of it, any case).
pub fn refilter(state: &mut State) {
    let c = &mut state.claims;
    let (by, words): (Vec<String>, Vec<String>) = find::fold(c.filter.value())
        .split_whitespace()
        .map(str::to_owned)
        .partition(|w| w.starts_with("by:"));
    let by: Vec<String> = by.iter().map(|w| w["by:".len()..].to_owned()).collect();
    if c.folded.len() != c.claims.len() {
        c.folded = c
            .claims
            .iter()
            .map(|claim| {
                find::fold(&format!(
                    "{} {} {} {} \u{1}{}",
                    claim.tag,
                    claim.quote,
                    claim.note.as_deref().unwrap_or(""),
                    claim.title,
                    claim.creator.as_deref().unwrap_or("")
                ))
            })
            .collect();
    }
    c.shown = c
        .folded
        .iter()
        .enumerate()
        .filter(|(_, hay)| words.iter().all(|w| hay.contains(w.as_str())))
        .filter(|(_, hay)| by.iter().all(|name| made_by(hay, name)))
        .map(|(i, _)| i)
        .collect();
    c.lay_out_rows();
    keep_visible(state);
}

/// Whether the folded row `hay` names a creator with a word `name` (the creator comes after `\u{1}`).
fn made_by(hay: &str, name: &str) -> bool {
    let creator = hay.rsplit('\u{1}').next().unwrap_or("");
    creator.split_whitespace().any(|word| word == name) || creator == name
}

/// How many claims fit on screen.
pub fn visible(state: &State) -> usize {
    usize::from(layout::claims(state).2.height / CLAIM_ROWS).max(1)
}

pub fn keep_visible(state: &mut State) {
    let rows = visible(state);
    let c = &mut state.claims;
    c.offset = layout::scrolled(c.selected, c.offset, rows);
}

/// A command in the claims view.
pub fn command(state: &mut State, action: Command) -> Vec<Effect> {
    let page = visible(state) as isize;
    let step = match action {
        Command::Down => 1,
        Command::Up => -1,
        Command::HalfPageDown => (page / 2).max(1),
        Command::HalfPageUp => -(page / 2).max(1),
        Command::PageDown => page,
        Command::PageUp => -page,
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        Command::Open => {
            if let Some(ClaimRow::Group { group, .. }) = selected_row(state) {
                toggle_group(state, group);
                return Vec::new();
            }
            let Some(claim) = selected(state) else {
                return Vec::new();
            };
            let (article, id) = (claim.article.clone(), claim.id);
            state.jump = Some((article.clone(), id));
            return vec![Effect::Open {
                id: article,
                query: None,
            }];
        }
        Command::Trace => return super::trace::open(state),
        Command::Back if !state.claims.filter.value().is_empty() => {
            state.claims.filter.reset();
            refilter(state);
            return Vec::new();
        }
        Command::Back => {
            state.screen = match state.claims.from {
                Some(Screen::Reader) if state.reader.is_some() => Screen::Reader,
                Some(Screen::Search) => Screen::Search,
                _ => Screen::Library,
            };
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    move_selection(state, step);
    Vec::new()
}

pub fn move_selection(state: &mut State, step: isize) {
    let c = &mut state.claims;
    let target = (c.selected as isize).saturating_add(step);
    c.selected = target.clamp(0, c.rows.len().saturating_sub(1) as isize) as usize;
    keep_visible(state);
}

/// Enter on a claim made across articles: its members open under it (again: they close).
fn toggle_group(state: &mut State, group: usize) {
    let c = &mut state.claims;
    let Some(first) = c.groups.get(group).map(|g| g.first_report) else {
        return;
    };
    if !c.expanded.remove(&first) {
        c.expanded.insert(first);
    }
    c.lay_out_rows();
    keep_visible(state);
}

/// A key for the filter line.
pub fn typed(state: &mut State, request: tui_input::InputRequest) {
    if state.claims.filter.handle(request).is_some_and(|c| c.value) {
        state.claims.selected = 0;
        refilter(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::AnnotationId;

    fn claim(quote: &str) -> Claim {
        Claim {
            tag: "outage".into(),
            article: "a".into(),
            title: "A title".into(),
            published: None,
            id: AnnotationId::new(time::OffsetDateTime::UNIX_EPOCH),
            quote: quote.into(),
            note: None,
            orphaned: false,
            start: 0,
            end: 1,
            creator: None,
            links: Vec::new(),
            source: None,
        }
    }

    #[test]
    fn by_name_keeps_the_claims_of_one_creator() {
        let mut state = State::new(80, 80, 24);
        open(&mut state);
        let mut ben = claim("Tin prices rose");
        ben.creator = Some("Ben Okafor".into());
        let mut ana = claim("The copper mine closed");
        ana.creator = Some("Ana".into());
        loaded(&mut state, vec![ben, ana, claim("Nobody's")], vec![]);
        for (filter, shown) in [
            ("by:ben", 1),
            ("by:BEN tin", 1),
            ("by:ana", 1),
            ("by:okafor", 1),
            ("by:be", 0),
            ("", 3),
        ] {
            state.claims.filter = filter.into();
            refilter(&mut state);
            assert_eq!(state.claims.shown.len(), shown, "{filter}");
        }
    }

    #[test]
    fn the_filter_reads_the_claims_of_the_latest_load() {
        let mut state = State::new(80, 80, 24);
        open(&mut state);
        loaded(&mut state, vec![claim("The Copper mine closed")], vec![]);
        state.claims.filter = "copper".into();
        refilter(&mut state);
        assert_eq!(state.claims.shown, [0]);
        loaded(&mut state, vec![claim("Tin prices rose")], vec![]);
        assert!(
            state.claims.shown.is_empty(),
            "the old claim's words are gone"
        );
        state.claims.filter = "tin".into();
        refilter(&mut state);
        assert_eq!(state.claims.shown, [0]);
    }

    #[test]
    fn the_claims_are_read_once_the_library_shows_and_the_view_opens_on_them_at_once() {
        use crate::tui::command::Msg;
        use crate::tui::state::Entry;
        let mut state = State::new(80, 80, 24);
        let entry = Entry {
            id: "a".into(),
            title: "Copper in Chile".into(),
            source: "Wire".into(),
            published: None,
            words: 10,
            claims: 1,
            claim_tags: Vec::new(),
            tags: Vec::new(),
            summary_only: false,
        };
        let library = |state: &mut State| {
            crate::tui::update::update(state, Msg::Library(vec![entry.clone()]))
        };
        assert_eq!(library(&mut state), [Effect::LoadClaims]);
        assert!(library(&mut state).is_empty(), "one load at a time");
        let mut untitled = claim("The copper mine closed");
        untitled.title = String::new();
        let mut elsewhere = claim("Tin prices rose");
        (elsewhere.title, elsewhere.article) = (String::new(), "gone".into());
        loaded(
            &mut state,
            vec![untitled, elsewhere],
            vec!["bad.toml:1:1: broken".into()],
        );
        assert_eq!(state.status.error, None, "a preload does not speak");
        let titles: Vec<&str> = state
            .claims
            .claims
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(
            titles,
            ["Copper in Chile", "gone"],
            "titles from the library, else the id"
        );
        assert!(library(&mut state).is_empty(), "loaded already");
        // `c`: the claims read before are there at once, and read again behind them.
        assert_eq!(open(&mut state), [Effect::LoadClaims]);
        assert_eq!(state.claims.shown.len(), 2);
    }
}
