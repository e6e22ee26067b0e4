//! Annotating in the reader: the tag picker, the note editor, delete and undo, the annotations panel,
//! and the store's answers.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;
use tui_input::Input;

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::fuzzy;
use super::super::state::{NoteEditor, Panel, PickRow, Picker, State, Target};
use super::super::view::shown_text;
use super::cursor::show_cursor;
use crate::annotation::Annotation;
use crate::article::clean::{clean_line, clean_text};
use crate::config::is_tag_name;
use crate::text::shorten;

/// Why the article's annotations cannot be changed now, if they cannot.
fn refused(state: &State) -> Option<String> {
    let why = state.reader.as_ref()?.read_only.as_ref()?;
    Some(format!(
        "annotations read-only until the file is fixed: {why}"
    ))
}

/// `t`: tags the selection, or re-tags the annotation under the cursor.
pub fn tag(state: &mut State) {
    if let Some(why) = refused(state) {
        state.status.error = Some(why);
        return;
    }
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let (target, checked) = match (reader.selection(), reader.annotation_at(reader.cursor)) {
        (Some(range), _) if !range.is_empty() => (
            Target::New {
                start: range.start,
                end: range.end,
            },
            Vec::new(),
        ),
        (None, Some(a)) => (Target::Edit(a.id), a.tags.clone()),
        _ => {
            state.status.error =
                Some("select some text first: v, then move (or drag the mouse)".into());
            return;
        }
    };
    let mut names: Vec<String> = state
        .vocabulary
        .tags()
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let used = reader.annotations.iter().flat_map(|a| a.tags.iter());
    for name in used.chain(checked.iter()) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut picker = Picker {
        target,
        input: Input::default(),
        checked,
        rows: Vec::new(),
        selected: 0,
        offset: 0,
        names,
    };
    refilter_picker(&mut picker);
    state.picker = Some(picker);
}

/// The picker's rows for what is typed: the matching tags, best first, and a new tag when the text is a
/// tag name that does not exist yet.
pub fn refilter_picker(picker: &mut Picker) {
    let query = picker.input.value().trim().to_owned();
    let names: Vec<&str> = picker.names.iter().map(String::as_str).collect();
    let mut rows: Vec<PickRow> = fuzzy::rank(&query, &names)
        .into_iter()
        .map(|i| PickRow::Tag(picker.names[i].clone()))
        .collect();
    if is_tag_name(&query) && !picker.names.contains(&query) {
        rows.push(PickRow::New(query));
    }
    picker.rows = rows;
    picker.selected = 0;
    picker.offset = 0;
}

/// A key for the picker's filter line.
pub fn picker_typed(state: &mut State, request: tui_input::InputRequest) {
    if let Some(picker) = state.picker.as_mut()
        && picker.input.handle(request).is_some_and(|c| c.value)
    {
        refilter_picker(picker);
    }
}

/// A command in the tag picker.
pub fn picker(state: &mut State, action: Command) -> Vec<Effect> {
    let Some(picker) = state.picker.as_mut() else {
        return Vec::new();
    };
    let len = picker.rows.len();
    match action {
        Command::Down if len > 0 => picker.selected = (picker.selected + 1) % len,
        Command::Up if len > 0 => picker.selected = (picker.selected + len - 1) % len,
        Command::Toggle => {
            let Some(row) = picker.rows.get(picker.selected).cloned() else {
                return Vec::new();
            };
            let name = row.name().to_owned();
            if let Some(i) = picker.checked.iter().position(|t| *t == name) {
                picker.checked.remove(i);
            } else {
                picker.checked.push(name.clone());
            }
            if let PickRow::New(_) = row {
                picker.names.push(name);
                picker.input.reset();
                refilter_picker(picker);
            }
        }
        Command::Submit => return picked(state),
        Command::Cancel | Command::Back => state.picker = None,
        _ => {}
    }
    Vec::new()
}

/// Enter in the picker: the checked tags (or the highlighted one) go to the note editor or the annotation.
fn picked(state: &mut State) -> Vec<Effect> {
    let Some(picker) = state.picker.as_ref() else {
        return Vec::new();
    };
    let tags = if picker.checked.is_empty() {
        picker
            .rows
            .get(picker.selected)
            .map(|r| vec![r.name().to_owned()])
            .unwrap_or_default()
    } else {
        picker.checked.clone()
    };
    if tags.is_empty() {
        state.status.error =
            Some("no tag: type a tag, or a new name (lower-case a-z, 0-9 and -)".into());
        return Vec::new();
    }
    let target = picker.target.clone();
    state.picker = None;
    match target {
        Target::New { .. } => {
            state.note = Some(NoteEditor {
                target,
                tags,
                editor: editor(""),
            });
            Vec::new()
        }
        Target::Edit(id) => {
            let Some(article) = state.reader.as_ref().map(|r| r.article.id.clone()) else {
                return Vec::new();
            };
            state.status.message = Some(format!("tags: {}", tags.join(", ")));
            vec![Effect::Edit {
                article,
                id,
                tags: Some(tags),
                note: None,
            }]
        }
    }
}

/// A note editor holding `text` (made inert: the editor draws what it holds), wrapping long lines.
fn editor(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = shown_text(text).split('\n').map(str::to_owned).collect();
    let mut editor = TextArea::new(lines);
    editor.set_cursor_line_style(ratatui::style::Style::new());
    // A long line wraps onto the next rows (at spaces, else anywhere) rather than scrolling sideways.
    editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

/// `i`: edits the note of the annotation under the cursor.
pub fn edit_note(state: &mut State) {
    if let Some(why) = refused(state) {
        state.status.error = Some(why);
        return;
    }
    let Some(a) = state
        .reader
        .as_ref()
        .and_then(|r| r.annotation_at(r.cursor))
    else {
        state.status.error = Some("no annotation under the cursor".into());
        return;
    };
    state.note = Some(NoteEditor {
        target: Target::Edit(a.id),
        tags: a.tags.clone(),
        editor: editor(a.note.as_deref().unwrap_or("")),
    });
}

/// A key for the note editor.
pub fn note_typed(state: &mut State, event: KeyEvent) {
    if let Some(note) = state.note.as_mut() {
        note.editor.input(event);
    }
}

/// A command in the note editor: save, or skip the note.
pub fn note(state: &mut State, action: Command) -> Vec<Effect> {
    let save = match action {
        Command::SaveNote => true,
        Command::SkipNote | Command::Cancel | Command::Back => false,
        _ => return Vec::new(),
    };
    let Some(note) = state.note.take() else {
        return Vec::new();
    };
    let Some(reader) = state.reader.as_mut() else {
        return Vec::new();
    };
    // What was typed (or pasted) is made inert like any other text before it is kept.
    let text = clean_text(&note.editor.lines().join("\n"));
    let text = (save && !text.trim().is_empty()).then(|| text.trim_end().to_owned());
    let article = reader.article.id.clone();
    match note.target {
        Target::New { start, end } => {
            reader.visual = None;
            state.reveal = Some(start..end);
            state.status.message = Some(format!("tagged {}", note.tags.join(", ")));
            vec![Effect::Annotate {
                article,
                text: reader.article.text.clone(),
                start,
                end,
                tags: note.tags,
                note: text,
            }]
        }
        Target::Edit(id) if save => {
            state.status.message = Some("note saved".into());
            vec![Effect::Edit {
                article,
                id,
                tags: None,
                note: Some(text),
            }]
        }
        Target::Edit(_) => Vec::new(),
    }
}

/// Quitting (a key, or `signal`): work in flight is saved first, as the keys that finish it would. A note
/// being typed is saved with its annotation (ctrl-s); tags checked in the picker are saved on the selection
/// or the annotation, without a note. A selection with no tag chosen yet is not an annotation and is let go.
pub fn quit(state: &mut State, signal: Option<i32>) -> Vec<Effect> {
    state.quit = true;
    state.signal = signal;
    if state.note.is_some() {
        return note(state, Command::SaveNote);
    }
    let (Some(picker), Some(reader)) = (state.picker.take(), state.reader.as_ref()) else {
        return Vec::new();
    };
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

/// `a`: the list of the article's annotations, at the one under or after the cursor.
pub fn open_panel(state: &mut State) {
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
pub fn panel(state: &mut State, action: Command) {
    let (Some(panel), Some(reader)) = (state.panel.as_mut(), state.reader.as_mut()) else {
        return;
    };
    let last = reader.annotations.len().saturating_sub(1);
    match action {
        Command::Down => panel.selected = (panel.selected + 1).min(last),
        Command::Up => panel.selected = panel.selected.saturating_sub(1),
        Command::Top => panel.selected = 0,
        Command::Bottom => panel.selected = last,
        Command::Open => {
            let Some(a) = reader.annotations.get(panel.selected) else {
                return;
            };
            if a.orphaned {
                state.status.error = Some("orphaned: its quote is no longer in the text".into());
                return;
            }
            reader.cursor = a.start;
            state.panel = None;
            show_cursor(state);
        }
        Command::Back | Command::Cancel | Command::Annotations => state.panel = None,
        _ => {}
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
    state.claims.loaded = false;
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
    let Some(reader) = state.reader.as_mut() else {
        return;
    };
    let Some((_, id)) = state.jump.take_if(|(a, _)| *a == article) else {
        return;
    };
    if let Some(a) = reader.annotations.iter().find(|a| a.id == id) {
        if a.orphaned {
            state.status.error = Some("orphaned: its quote is no longer in the text".into());
        } else {
            reader.cursor = a.start;
            state.reveal = Some(a.start..a.end);
        }
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
    super::nav::jump_to_match(state, index);
}
