//! The trace screen: tracing the claim under the cursor (or selected in the panel or the claims view),
//! opening a passage's article at it, linking a passage as evidence; and following a claim's links.

use super::super::command::{Command, Mode};
use super::super::effect::Effect;
use super::super::layout::{self, PASSAGE_ROWS};
use super::super::state::{Screen, State, TraceView, next_relation};
use super::claims;
use crate::annotation::{Annotation, AnnotationId};
use crate::text::shorten;
use crate::trace::Trace;

/// The claim the trace and follow keys act on: under the reader's cursor, selected in the panel or in
/// the claims view. An orphan counts only where it is listed (the panel, the claims view).
struct Here {
    article: String,
    id: AnnotationId,
    quote: String,
    tags: Vec<String>,
    orphaned: bool,
}

fn here(state: &State) -> Option<Here> {
    let of = |a: &Annotation| Here {
        article: a.article.clone(),
        id: a.id,
        quote: a.quote.clone(),
        tags: a.tags.clone(),
        orphaned: a.orphaned,
    };
    match state.mode() {
        Mode::Panel => {
            let reader = state.reader.as_ref()?;
            reader
                .annotations
                .get(state.panel.as_ref()?.selected)
                .map(of)
        }
        Mode::Reader => {
            let reader = state.reader.as_ref()?;
            reader.annotation_at(reader.cursor).map(of)
        }
        Mode::Claims => claims::selected(state).map(|c| Here {
            article: c.article.clone(),
            id: c.id,
            quote: c.quote.clone(),
            tags: vec![c.tag.clone()],
            orphaned: c.orphaned,
        }),
        _ => None,
    }
}

/// `T`: traces the claim here through the corpus, on the worker (the newest request wins).
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(claim) = here(state) else {
        state.status.error =
            Some("no claim here to trace: put the cursor on a tagged passage".into());
        return Vec::new();
    };
    state.trace_seq += 1;
    let seq = state.trace_seq;
    let mut view = TraceView::new(&claim.article, claim.id, &claim.quote, seq, state.screen);
    view.tags = claim.tags;
    view.orphaned = claim.orphaned;
    if claim.orphaned {
        state.status.message = Some("orphaned: tracing its quote as it was".into());
    }
    state.trace = Some(view);
    state.screen = Screen::Trace;
    state.panel = None;
    vec![Effect::Trace {
        seq,
        article: claim.article,
        quote: claim.quote,
    }]
}

/// The worker's answer to trace request `seq` (an answer to an older request is dropped).
pub fn traced(state: &mut State, seq: u64, result: Result<Trace, String>) {
    let Some(view) = state.trace.as_mut().filter(|v| v.seq == seq) else {
        return;
    };
    view.loading = false;
    match result {
        Ok(trace) => {
            let mut passages = trace.passages;
            if let Some(first) = trace.first_report
                && !passages.iter().any(|p| p.first_report)
            {
                passages.push(first);
            }
            view.passages = passages;
            view.total = trace.total;
            view.read = trace.read;
            view.error = None;
            view.selected = view.selected.min(view.passages.len().saturating_sub(1));
        }
        Err(why) => {
            let why = crate::article::clean::clean_line(&why);
            view.error = Some(why.clone());
            state.status.error = Some(why);
        }
    }
}

/// The store's answer to a link.
pub fn linked(
    state: &mut State,
    article: String,
    (start, end): (usize, usize),
    result: Result<AnnotationId, String>,
) {
    let Some(view) = state.trace.as_mut() else {
        return;
    };
    match result {
        Ok(_) => {
            let rel = view.rel;
            let title = view
                .passages
                .iter()
                .find(|p| p.article == article && (p.start, p.end) == (start, end))
                .map_or(article.clone(), |p| p.title.clone());
            view.linked
                .retain(|(a, s, e, _)| (a, *s, *e) != (&article, start, end));
            view.linked.push((article, start, end, rel));
            state.status.message = Some(format!("linked: {rel} in {}", shorten(&title, 40)));
        }
        Err(why) => state.status.error = Some(crate::article::clean::clean_line(&why)),
    }
}

/// How many passages fit on screen.
pub fn visible(state: &State) -> usize {
    usize::from(layout::trace(state).1.height / PASSAGE_ROWS).max(1)
}

/// A command on the trace screen.
pub fn command(state: &mut State, command: Command) -> Vec<Effect> {
    let page = visible(state) as isize;
    let step = match command {
        Command::Down => 1,
        Command::Up => -1,
        Command::HalfPageDown => (page / 2).max(1),
        Command::HalfPageUp => -(page / 2).max(1),
        Command::PageDown => page,
        Command::PageUp => -page,
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        Command::Open => return open_passage(state),
        Command::LinkEvidence => return link(state),
        Command::CycleRelation => {
            if let Some(view) = state.trace.as_mut() {
                view.rel = next_relation(view.rel);
                state.status.message = Some(format!("l now links as {}", view.rel));
            }
            return Vec::new();
        }
        Command::Back | Command::Trace => return back(state),
        _ => return Vec::new(),
    };
    move_selection(state, step);
    Vec::new()
}

pub fn move_selection(state: &mut State, step: isize) {
    let rows = visible(state);
    let Some(view) = state.trace.as_mut() else {
        return;
    };
    let last = view.passages.len().saturating_sub(1) as isize;
    view.selected = (view.selected as isize).saturating_add(step).clamp(0, last) as usize;
    view.offset = layout::scrolled(view.selected, view.offset, rows);
}

/// Enter: the passage's article, scrolled to the passage, which is highlighted with the cursor on it.
fn open_passage(state: &mut State) -> Vec<Effect> {
    let Some(p) = state.trace.as_ref().and_then(|v| v.selected_passage()) else {
        return Vec::new();
    };
    let article = p.article.clone();
    state.passage = Some((article.clone(), p.start..p.end));
    vec![Effect::Open {
        id: article,
        query: None,
    }]
}

/// `l`: the selected passage becomes evidence for the claim traced, linked with the relation shown.
fn link(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.trace.as_ref() else {
        return Vec::new();
    };
    let Some(p) = view.selected_passage() else {
        return Vec::new();
    };
    if let Some(rel) = state.passage_link(p) {
        state.status.message = Some(format!("already linked: {rel}"));
        return Vec::new();
    }
    state.status.message = Some("linking…".into());
    vec![Effect::LinkEvidence {
        article: view.article.clone(),
        id: view.id,
        to: p.article.clone(),
        start: p.start,
        end: p.end,
        text: p.text.clone(),
        rel: view.rel,
    }]
}

/// Esc: back to where the trace was opened; to the claim's article when that was the reader, opening
/// it again when another article was opened from the trace since.
fn back(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.trace.as_ref() else {
        state.screen = Screen::Library;
        return Vec::new();
    };
    match view.from {
        Screen::Reader => {
            if state
                .reader
                .as_ref()
                .is_some_and(|r| r.article.id == view.article)
            {
                state.screen = Screen::Reader;
                return Vec::new();
            }
            state.jump = Some((view.article.clone(), view.id));
            vec![Effect::Open {
                id: view.article.clone(),
                query: None,
            }]
        }
        Screen::Claims => {
            state.screen = Screen::Claims;
            Vec::new()
        }
        Screen::Search => {
            state.screen = Screen::Search;
            Vec::new()
        }
        Screen::Library | Screen::Trace | Screen::Sources => {
            state.screen = Screen::Library;
            Vec::new()
        }
    }
}

/// An article opened: when it is the one a passage was opened in, the passage is its match (highlighted,
/// the cursor on its start).
pub fn passage_matches(
    state: &mut State,
    article: &crate::article::Article,
) -> Option<Vec<std::ops::Range<usize>>> {
    let (_, range) = state.passage.take_if(|(a, _)| *a == article.id)?;
    let chars = article.text.chars().count();
    let range = range.start.min(chars)..range.end.min(chars);
    (!range.is_empty()).then(|| vec![range])
}

/// `>`: follows a link of the claim here to the claim it is linked to, opening its article at it. With
/// several links, following again from a claim reached by a link goes on to the next one.
pub fn follow(state: &mut State) -> Vec<Effect> {
    let Some(claim) = here(state) else {
        state.status.error = Some("no claim here: put the cursor on a tagged passage".into());
        return Vec::new();
    };
    let links = state
        .reader
        .as_ref()
        .and_then(|r| r.annotations.iter().find(|a| a.id == claim.id))
        .map(|a| a.links.clone())
        .unwrap_or_default();
    if links.is_empty() {
        state.status.message =
            Some("this claim has no links: T traces it, and l there links a passage".into());
        return Vec::new();
    }
    let next = state
        .came_from
        .and_then(|c| links.iter().position(|l| l.id == c))
        .map_or(0, |i| (i + 1) % links.len());
    let link = links[next];
    let Some(target) = state.claims.find(link.id) else {
        if state.claims.loaded {
            state.status.error =
                Some("the linked claim is gone: deleted, or its store file cannot be read".into());
            return Vec::new();
        }
        state.status.message = Some("the claims are still loading: try again in a moment".into());
        return claims::preload(state);
    };
    let (article, id) = (target.article.clone(), target.id);
    state.came_from = Some(claim.id);
    state.panel = None;
    state.status.message = Some(format!("{} → {}", link.rel, shorten(&target.title, 40)));
    state.jump = Some((article.clone(), id));
    if state
        .reader
        .as_ref()
        .is_some_and(|r| r.article.id == article)
    {
        super::annotate::jump_here(state);
        return Vec::new();
    }
    vec![Effect::Open {
        id: article,
        query: None,
    }]
}
