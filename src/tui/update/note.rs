//! The note editor: a note for a new annotation, or `i` to edit the note of the one under the cursor.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::state::{NoteEditor, State, Target};
use super::annotate::refused;
use crate::article::clean::clean_text;
use crate::text::shown_text;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

/// A note editor holding `text` (made inert: the editor draws what it holds), wrapping long lines.
pub(super) fn editor(text: &str) -> TextArea<'static> {
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
pub fn typed(state: &mut State, event: KeyEvent) {
    if let Some(note) = state.note.as_mut() {
        note.editor.input(event);
    }
}

/// A command in the note editor: save, or skip the note.
pub fn command(state: &mut State, action: Command) -> Vec<Effect> {
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
        Target::Edit(_) | Target::Article(_) => Vec::new(),
    }
}
