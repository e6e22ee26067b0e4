//! The tag picker: `t` on a selection (or an annotation) opens it; typing filters the tags, Enter
//! saves the checked ones, then the note editor opens for a new annotation.

use super::super::command::Command;
use super::super::effect::Effect;
use super::super::fuzzy;
use super::super::state::{NoteEditor, PickRow, Picker, State, Target};
use super::annotate::refused;
use crate::config::is_tag_name;
use tui_input::Input;

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

/// `T`: the picker over the article tags in use across the library (and this article's own), with
/// this article's checked; Enter writes the checked ones to its front matter.
pub fn tag_article(state: &mut State) {
    let Some(reader) = state.reader.as_ref() else {
        return;
    };
    let own = reader.article.meta.tags.clone();
    let mut names: Vec<String> = state
        .library
        .entries
        .iter()
        .flat_map(|e| e.tags.iter())
        .chain(own.iter())
        .cloned()
        .collect();
    names.sort_by_cached_key(|n| (n.to_lowercase(), n.clone()));
    names.dedup();
    let mut picker = Picker {
        target: Target::Article(own.clone()),
        input: Input::default(),
        checked: own,
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
pub fn typed(state: &mut State, request: tui_input::InputRequest) {
    if let Some(picker) = state.picker.as_mut()
        && picker.input.handle(request).is_some_and(|c| c.value)
    {
        refilter_picker(picker);
    }
}

/// A command in the tag picker.
pub fn command(state: &mut State, action: Command) -> Vec<Effect> {
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
    if let Target::Article(_) = picker.target {
        return picked_for_article(state);
    }
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
                editor: super::note::editor(""),
            });
            Vec::new()
        }
        Target::Article(_) => Vec::new(),
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

/// Enter in the article's picker: the checked tags (with the highlighted one, when something is typed
/// and it is not checked) become the article's tags; none checked takes every tag away.
fn picked_for_article(state: &mut State) -> Vec<Effect> {
    let Some(mut picker) = state.picker.take() else {
        return Vec::new();
    };
    if !picker.input.value().trim().is_empty()
        && let Some(row) = picker.rows.get(picker.selected)
        && !picker.checked.iter().any(|t| t == row.name())
    {
        picker.checked.push(row.name().to_owned());
    }
    let Some(reader) = state.reader.as_ref() else {
        return Vec::new();
    };
    if picker.checked == reader.article.meta.tags {
        state.status.message = Some("the article's tags are unchanged".into());
        return Vec::new();
    }
    state.status.message = Some(match picker.checked.is_empty() {
        true => "article tags: none".into(),
        false => format!("article tags: {}", picker.checked.join(", ")),
    });
    vec![Effect::TagArticle {
        id: reader.article.id.clone(),
        tags: picker.checked,
    }]
}
