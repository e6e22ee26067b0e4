//! The annotations of the article being read: deleting and undoing, stepping from one to the next, the
//! store's answers, and quitting with what is pending saved.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::state::{State, Target};
use super::cursor::show_cursor;
use crate::annotation::Annotation;
use crate::article::clean::{clean_line, clean_text};
use crate::text::shorten;

/// Why the article's annotations cannot be changed now, if they cannot.
pub(super) fn refused(state: &State) -> Option<String> {
    let why = state.reader.as_ref()?.read_only.as_ref()?;
    Some(format!(
        "annotations read-only until the file is fixed: {why}"
    ))
}

/// Quitting (a key, or `signal`): work in flight is saved first, as the keys that finish it would. A note
/// being typed is saved with its annotation (ctrl-s); tags checked in the picker are saved on the selection
/// or the annotation, without a note. A selection with no tag chosen yet is not an annotation and is let go.
pub fn quit(state: &mut State, signal: Option<i32>) -> Vec<Effect> {
    state.quit = true;
    state.signal = signal;
    if state.note.is_some() {
        return super::note::command(state, Command::SaveNote);
    }
    let (Some(picker), Some(reader)) = (state.picker.take(), state.reader.as_ref()) else {
        return Vec::new();
    };
    if let Target::Article(before) = &picker.target {
        return match picker.checked != *before {
            true => vec![Effect::TagArticle {
                id: reader.article.id.clone(),
                tags: picker.checked,
            }],
            false => Vec::new(),
        };
    }
    if picker.checked.is_empty() {
        return Vec::new();
    }
    let article = reader.article.id.clone();
    if let Target::New { start, end } = picker.target {
        state.reveal = Some(start..end);
    }
    match picker.target {
        Target::New { start, end } => vec![Effect::Annotate {
            article,
            text: reader.article.text.clone(),
            start,
            end,
            tags: picker.checked,
            note: None,
        }],
        Target::Edit(id) => vec![Effect::Edit {
            article,
            id,
            tags: Some(picker.checked),
            note: None,
        }],
        Target::Article(_) => Vec::new(),
    }
}

/// `d`: deletes the annotation under the cursor (kept for undo).
pub fn delete(state: &mut State) -> Vec<Effect> {
    if let Some(why) = refused(state) {
        state.status.error = Some(why);
        return Vec::new();
    }
    let Some(reader) = state.reader.as_mut() else {
        return Vec::new();
    };
    let Some(id) = reader.annotation_at(reader.cursor).map(|a| a.id) else {
        state.status.error = Some("no annotation under the cursor".into());
        return Vec::new();
    };
    let i = reader
        .annotations
        .iter()
        .position(|a| a.id == id)
        .expect("found above");
    let gone = reader.annotations.remove(i);
    let article = reader.article.id.clone();
    state.status.message = Some(format!(
        "deleted “{}” (u undoes)",
        clean_line(&shorten(&gone.quote, 30))
    ));
    state.undo.push(gone);
    vec![Effect::Delete { article, id }]
}

/// `u`: brings the last deleted annotation back.
pub fn undo(state: &mut State) -> Vec<Effect> {
    let Some(annotation) = state.undo.pop() else {
        state.status.error = Some("nothing to undo".into());
        return Vec::new();
    };
    if let Some(reader) = state.reader.as_mut()
        && reader.article.id == annotation.article
    {
        reader.annotations.push(annotation.clone());
        sort(&mut reader.annotations);
    }
    state.status.message = Some("restored".into());
    vec![Effect::Restore(Box::new(annotation))]
}

fn sort(annotations: &mut [Annotation]) {
    annotations.sort_by_key(Annotation::position_key);
}

/// `]` and `[`: the cursor to the next or previous annotation.
pub fn step_annotation(state: &mut State, forward: bool) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let at = reader.cursor;
    let placed = reader.annotations.iter().filter(|a| !a.orphaned);
    let to = if forward {
        placed
            .map(|a| (a.start, a.end))
            .filter(|&(s, _)| s > at)
            .min()
    } else {
        placed
            .map(|a| (a.start, a.end))
            .filter(|&(s, _)| s < at)
            .max()
    };
    match to {
        Some((to, end)) => {
            reader.cursor = to;
            show_cursor(state);
            state.reveal = Some(to..end);
        }
        None => state.status.message = Some("no more annotations".into()),
    }
}

/// The store's answer: the article's annotations, or why they cannot be read (then they are read-only).
/// The reader's copy of an annotation from the store (a file that can come from anywhere): its note,
/// quote and context cleaned as article text is. A quote placed in the text is already clean, so offsets
/// hold; an orphan's quote may not be.
pub(super) fn make_inert(a: &mut Annotation) {
    a.note = a.note.as_deref().map(clean_text);
    a.quote = clean_text(&a.quote);
    a.prefix = clean_text(&a.prefix);
    a.suffix = clean_text(&a.suffix);
    a.original_quote = a.original_quote.as_deref().map(clean_text);
}

pub fn loaded(state: &mut State, article: String, result: Result<Vec<Annotation>, String>) {
    match &result {
        Ok(annotations) => super::claims::article_changed(state, &article, annotations),
        Err(_) => state.claims.loaded = false,
    }
    // The article beside the one open (side by side) keeps its annotations up to date too.
    if let Some(other) = state
        .reader
        .as_mut()
        .and_then(|r| r.side.as_mut())
        .map(|s| &mut s.other)
        .filter(|o| o.article.id == article)
    {
        match result {
            Ok(mut annotations) => {
                annotations.iter_mut().for_each(make_inert);
                sort(&mut annotations);
                other.annotations = annotations;
                other.read_only = None;
            }
            Err(why) => other.read_only = Some(clean_line(&why)),
        }
        return;
    }
    let Some(reader) = state.reader.as_mut().filter(|r| r.article.id == article) else {
        return;
    };
    match result {
        Ok(mut annotations) => {
            annotations.iter_mut().for_each(make_inert);
            sort(&mut annotations);
            reader.annotations = annotations;
            reader.read_only = None;
        }
        Err(why) => {
            let why = clean_line(&why);
            state.status.error = Some(format!("annotations read-only: {why}"));
            reader.read_only = Some(why);
        }
    }
    reader.annotations_loaded = true;
    if let Some(panel) = state.panel.as_mut() {
        panel.selected = panel
            .selected
            .min(reader.annotations.len().saturating_sub(1));
    }
    if let Some((_, ids)) = state.claim_hits.take_if(|(a, _)| *a == article) {
        matched_claims(state, &ids);
    }
    jump_here(state);
}

/// Puts the cursor on the annotation [`State::jump`] names, when it is in the article open.
pub fn jump_here(state: &mut State) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let Some((_, id)) = state.jump.take_if(|(a, _)| *a == reader.article.id) else {
        return;
    };
    match reader.annotations.iter().find(|a| a.id == id) {
        Some(a) if a.orphaned => {
            state.status.error = Some("orphaned: its quote is no longer in the text".into());
        }
        Some(a) => {
            reader.cursor = a.start;
            state.reveal = Some(a.start..a.end);
        }
        None => state.status.error = Some("that claim is gone from this article".into()),
    }
}

/// The claims a search matched join the article's matches (`n`/`N` walk them), and the reader goes to
/// the first claim.
fn matched_claims(state: &mut State, ids: &[crate::annotation::AnnotationId]) {
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let spans: Vec<std::ops::Range<usize>> = reader
        .annotations
        .iter()
        .filter(|a| !a.orphaned && ids.contains(&a.id))
        .map(|a| a.start..a.end)
        .collect();
    let Some(first) = spans.iter().min_by_key(|s| (s.start, s.end)).cloned() else {
        return;
    };
    reader.matches.extend(spans);
    reader.matches.sort_by_key(|r| (r.start, r.end));
    reader.matches.dedup();
    let index = reader.matches.iter().position(|m| *m == first).unwrap_or(0);
    super::reader::jump_to_match(state, index);
}
