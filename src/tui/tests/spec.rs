//! The update as one-line specs: text with the cursor and the selection marked inline, the keys
//! pressed, the text as it should then be marked. `|` stands before the character under the cursor;
//! `#[` and `]#` enclose the selected characters (both ends included, as the reader selects):
//! `"For #[ever|y]# user"` is "every" selected with the cursor on its `y`.

use super::*;

/// The text without its marks, the cursor and the selection.
fn parse(marked: &str) -> (String, usize, Option<std::ops::Range<usize>>) {
    let (mut text, mut cursor, mut start, mut end) = (String::new(), None, None, None);
    let mut chars = 0;
    let mut rest = marked;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("#[") {
            (start, rest) = (Some(chars), r);
        } else if let Some(r) = rest.strip_prefix("]#") {
            (end, rest) = (Some(chars), r);
        } else if let Some(r) = rest.strip_prefix('|') {
            (cursor, rest) = (Some(chars), r);
        } else {
            text.push(c);
            chars += 1;
            rest = &rest[c.len_utf8()..];
        }
    }
    let selection = start.zip(end).map(|(s, e)| s..e);
    (text, cursor.expect("a | marks the cursor"), selection)
}

/// `text` with the cursor (when there is one) and the chars `selection` marked.
fn mark(text: &str, cursor: Option<usize>, selection: Option<std::ops::Range<usize>>) -> String {
    let mut out = String::new();
    let count = text.chars().count();
    for (i, c) in text
        .chars()
        .map(Some)
        .chain([None])
        .enumerate()
        .take(count + 1)
    {
        if selection.as_ref().is_some_and(|s| s.end == i) {
            out.push_str("]#");
        }
        if selection.as_ref().is_some_and(|s| s.start == i) {
            out.push_str("#[");
        }
        if cursor == Some(i) {
            out.push('|');
        }
        out.extend(c);
    }
    out
}

/// A reader on `marked`'s text with its cursor and selection, its (no) annotations loaded.
fn reading(marked: &str) -> State {
    let (text, cursor, selection) = parse(marked);
    let mut state = library(80, 24);
    let opened = Msg::Opened {
        article: Box::new(article("Spec", &text)),
        matches: vec![],
    };
    update(&mut state, opened);
    let loaded = Msg::AnnotationsLoaded {
        article: "alibaba-cloud-spin-off".into(),
        result: Ok(vec![]),
    };
    update(&mut state, loaded);
    let reader = state.reader.as_mut().unwrap();
    reader.cursor = cursor;
    if let Some(s) = selection {
        assert!(
            cursor == s.start || cursor + 1 == s.end,
            "{marked}: the cursor is an end"
        );
        reader.visual = Some(if cursor == s.start {
            s.end - 1
        } else {
            s.start
        });
    }
    update(&mut state, Msg::Resize(80, 24));
    state
}

/// Presses `keys` in a reader on `before`; the cursor and the selection must then be as in `after`.
fn case(before: &str, keys_pressed: &str, after: &str) {
    let mut state = reading(before);
    keys(&mut state, keys_pressed);
    let reader = state.reader.as_ref().unwrap();
    let shown = mark(
        &reader.article.text,
        Some(reader.cursor),
        reader.selection(),
    );
    assert_eq!(shown, after, "{before:?} then {keys_pressed:?}");
}

/// Presses `keys`, then types `tag` in the picker, Enter, and saves without a note: the annotation
/// saved must cover the chars marked in `after`, with that tag.
fn tag_case(before: &str, keys_pressed: &str, tag: &str, after: &str) {
    let mut state = reading(before);
    keys(&mut state, keys_pressed);
    assert_eq!(
        state.mode(),
        Mode::Picker,
        "{before:?} then {keys_pressed:?}"
    );
    type_text(&mut state, tag);
    keys(&mut state, "Enter");
    let effects = keys(&mut state, "Esc");
    let [
        Effect::Annotate {
            text,
            start,
            end,
            tags,
            note: None,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{before:?} then {keys_pressed:?}: {effects:?}");
    };
    assert_eq!(tags, &[tag.to_owned()]);
    assert_eq!(mark(text, None, Some(*start..*end)), after, "{before:?}");
}

const SENTENCES: &str = "For every user served, it loses money. Costs rise!\n\nThe cloud grows.";

#[test]
fn word_motions() {
    case("For e|very user", "b", "For |every user");
    case("For |every user", "b", "|For every user");
    case("|For every user", "w", "For |every user");
    case("|For every user", "e", "Fo|r every user");
    case("Fo|r every user", "e", "For ever|y user");
    case("|For every user", "w w", "For every |user");
    // Ideographs are words of their own.
    case("|阿里云在", "w", "阿|里云在");
}

#[test]
fn sentence_and_paragraph_motions() {
    // The text with the cursor at char `cursor` (the text is ASCII: chars are bytes).
    let at = |cursor: usize| format!("{}|{}", &SENTENCES[..cursor], &SENTENCES[cursor..]);
    let first_end = SENTENCES.find("money.").unwrap() + 5;
    case(&at(4), "(", &at(0));
    case(&at(0), ")", &at(first_end));
    let second = SENTENCES.find("Costs").unwrap();
    case(&at(second + 2), "(", &at(second));
    let last = SENTENCES.find("The").unwrap();
    case(&at(last + 4), "{", &at(last));
}

#[test]
fn visual_mode_selects_from_the_cursor() {
    case("|For every user", "v", "#[|F]#or every user");
    case("|For every user", "v l l", "#[Fo|r]# every user");
    case("|For every user", "v l l h", "#[F|o]#r every user");
    case("|For every user", "v e", "#[Fo|r]# every user");
    case("|For every user", "v w", "#[For |e]#very user");
    case("|For every user", "v e w e", "#[For ever|y]# user");
    case("|阿里云在", "v w", "#[阿|里]#云在");
}

#[test]
fn visual_mode_swaps_its_ends_and_ends() {
    case("#[For ever|y]# user", "o", "#[|For every]# user");
    case("#[|For every]# user", "o", "#[For ever|y]# user");
    case("#[For ever|y]# user", "Esc", "For ever|y user");
    case("#[For ever|y]# user", "v", "For ever|y user");
}

#[test]
fn tagging_saves_the_selection() {
    tag_case("For #[ever|y]# user", "t", "outage", "For #[every]# user");
    tag_case("For #[|every]# user", "t", "outage", "For #[every]# user");
    tag_case("|For every user", "v e t", "outage", "#[For]# every user");
    tag_case("|阿里云在", "v w t", "outage", "#[阿里]#云在");
}

#[test]
fn tagging_without_a_selection_opens_nothing() {
    let mut state = reading("For |every user");
    keys(&mut state, "t");
    assert_eq!(state.mode(), Mode::Reader);
    assert!(state.status.error.is_some(), "it says why");
}

#[test]
fn the_marks_read_back() {
    for marked in ["For #[ever|y]# user", "#[|F]#or", "ab|c", "阿#[|里]#"] {
        let (text, cursor, selection) = parse(marked);
        assert_eq!(mark(&text, Some(cursor), selection), marked);
    }
}
