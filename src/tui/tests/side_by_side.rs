//! Reading a translation beside its original: opening and closing the view, scrolling both panes
//! together, the cursor and the selection in the left pane with the paired paragraph highlighted,
//! annotating, swapping the panes; snapshots at 80 and 120 columns.

use super::*;
use crate::translation::Role;
use crate::tui::layout;
use crate::tui::state::OtherText;

const EN: &str = "+++\ntitle = \"Alibaba Cloud calls off its spin-off\"\ntranslation_of = \"zh/aliyun\"\nlanguage = \"en\"\n+++\n\n\
Alibaba Group said it will no longer pursue the full spin-off of Alibaba Cloud.\n\n\
The company said the expanded US restrictions on exports of advanced computing chips have created uncertainty for the cloud business.\n\n\
These restrictions may affect its ability to offer computing rental services and to upgrade its technology, so a spin-off might not raise shareholder value.\n\n\
Analysts believe that demand for AI computing power is still rising, and every cloud provider in China is chasing it.\n";

const ZH: &str = "+++\ntitle = \"阿里云取消分拆上市\"\nlanguage = \"zh\"\n+++\n\n\
阿里巴巴集团宣布，不再推进阿里云的完全分拆。\n\n\
公司表示，美国扩大对先进计算芯片的出口限制，给云业务带来了不确定性。这些限制可能影响其提供计算租赁服务和升级技术的能力（包括“AI芯片”），因此分拆未必能提升股东价值。\n\n\
分析人士认为，人工智能的算力需求仍在上升，中国的每一家云服务商都在争夺这一需求。\n";

fn parsed(id: &str, source: &str) -> Article {
    Article::parse(id, source).unwrap().0
}

fn note_on(article: &Article, needle: &str, tag: &str) -> Annotation {
    let text = &article.text;
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    Annotation::new(
        &article.id,
        text,
        start,
        start + needle.chars().count(),
        vec![tag.into()],
        None,
        time::macros::datetime!(2026-01-01 00:00:00 UTC),
    )
}

/// The English translation open, side by side with its Chinese original, each with one annotation.
fn side_by_side(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    let en = parsed("aliyun", EN);
    let zh = parsed("zh/aliyun", ZH);
    let en_note = note_on(&en, "US restrictions on exports", "chip-restrictions");
    let zh_note = note_on(&zh, "出口限制", "chip-restrictions");
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(en),
            matches: vec![],
        },
    );
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "aliyun".into(),
            result: Ok(vec![en_note]),
        },
    );
    let effects = keys(&mut state, "p");
    assert_eq!(
        effects,
        [Effect::LoadSideBySide {
            id: "aliyun".into()
        }]
    );
    update(
        &mut state,
        Msg::SideBySideLoaded {
            article: "aliyun".into(),
            result: Ok(Box::new(OtherText {
                article: zh,
                role: Role::Original,
                annotations: Ok(vec![zh_note]),
            })),
        },
    );
    state
}

fn side(state: &State) -> &crate::tui::state::Side {
    state.reader.as_ref().unwrap().side.as_deref().unwrap()
}

/// Puts the cursor `offset` chars into the first `needle` of the open article.
fn cursor_to(state: &mut State, needle: &str, offset: usize) {
    let reader = state.reader.as_mut().unwrap();
    let byte = reader.article.text.find(needle).unwrap();
    reader.cursor = reader.article.text[..byte].chars().count() + offset;
}

fn cursor(state: &State) -> usize {
    state.reader.as_ref().unwrap().cursor
}

/// The screen as text, one string per row.
fn rows(state: &mut State, width: u16, height: u16) -> Vec<String> {
    let terminal = draw(state, width, height);
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            // A wide character's cell is followed by one it covers, which is not drawn.
            let (mut line, mut covered) = (String::new(), 0);
            for x in 0..width {
                let symbol = buf[(x, y)].symbol();
                if covered > 0 {
                    covered -= 1;
                    continue;
                }
                covered = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            line
        })
        .collect()
}

#[test]
fn the_key_opens_the_original_beside_the_translation() {
    let mut state = side_by_side(80, 24);
    assert_eq!(side(&state).role, Role::Original);
    assert_eq!(side(&state).other.article.id, "zh/aliyun");
    assert_eq!(side(&state).beads.len(), 3);
    assert_eq!(side(&state).beads[1].left, 1..3);
    let status = state.status.message.clone().unwrap();
    assert_eq!(status, "beside its original: Tab swaps, p closes");
    let screen = rows(&mut state, 80, 24).join("\n");
    assert!(screen.contains("阿里云取消分拆上市"), "{screen}");
    assert!(screen.contains("original: zh/aliyun · zh"), "{screen}");
    // Again: closed, and the reader is as it was.
    keys(&mut state, "p");
    assert!(state.reader.as_ref().unwrap().side.is_none());
    let width = state.reader.as_ref().unwrap().wrapped.width;
    assert_eq!(
        width,
        layout::reader(&state, state.reader.as_ref().unwrap())
            .1
            .width
    );
}

#[test]
fn a_missing_original_is_a_warning_in_the_status_bar() {
    let mut state = reader(80, 24);
    keys(&mut state, "p");
    update(
        &mut state,
        Msg::SideBySideLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Err(
                "article \"alibaba-cloud-spin-off\" has no original and no translation".into(),
            ),
        },
    );
    let error = state.status.error.clone().unwrap();
    assert!(error.starts_with("no side by side: article"), "{error}");
    assert!(state.reader.as_ref().unwrap().side.is_none());
    let tab = keys(&mut state, "Tab");
    assert!(tab.is_empty());
    assert!(
        state
            .status
            .error
            .as_deref()
            .unwrap()
            .contains("p opens it")
    );
}

#[test]
fn both_panes_scroll_together_and_the_cursor_follows() {
    let mut state = side_by_side(80, 12);
    rows(&mut state, 80, 12);
    assert_eq!(side(&state).top, 0);
    keys(&mut state, "j j j");
    assert_eq!(side(&state).top, 3);
    // The cursor was on the first row: it moved to the first line of text shown (row 3 is the blank row
    // between the first two pairs).
    assert_eq!(side(&state).rows[3].bead, None);
    let top_line = side(&state).rows[4].left.unwrap();
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(cursor(&state), reader.wrapped.lines[top_line].char_start);
    // The reader's own reading position follows the view: the first line drawn.
    let first = side(&state).rows[3].left.unwrap();
    assert_eq!(reader.anchor, reader.wrapped.lines[first].char_start);
    keys(&mut state, "G");
    let s = side(&state);
    let body = layout::reader(&state, state.reader.as_ref().unwrap())
        .1
        .height as usize;
    assert_eq!(s.top, s.rows.len() - body);
    // The cursor went to a line of text, not a blank line between paragraphs, so a pair is lit.
    let at = cursor(&state);
    assert!(!s.beads_of(at..at + 1).is_empty());
    keys(&mut state, "g g");
    assert_eq!(side(&state).top, 0);
    // A cursor motion past the bottom scrolls the view to it.
    for _ in 0..8 {
        keys(&mut state, "}");
    }
    let s = side(&state);
    let row = s.row_of(&state.reader.as_ref().unwrap().wrapped, cursor(&state));
    assert!(row >= s.top && row < s.top + body, "{row} {}", s.top);
}

#[test]
fn the_paired_paragraph_is_highlighted_and_the_selection_is_annotatable() {
    let mut state = side_by_side(120, 30);
    let screen = rows(&mut state, 120, 30);
    // The cursor is in the first paragraph: the gutter beside the first pair is marked.
    let marked: Vec<usize> = (0..screen.len())
        .filter(|&y| screen[y].contains('┃'))
        .collect();
    assert!(!marked.is_empty());
    assert!(
        screen[marked[0]].contains("Alibaba Group said"),
        "{screen:#?}"
    );
    assert!(
        screen[marked[0]].contains("阿里巴巴集团宣布"),
        "{screen:#?}"
    );
    // In the third English paragraph: the pair is the second Chinese paragraph.
    cursor_to(&mut state, "These restrictions", 6);
    let at = cursor(&state);
    assert_eq!(side(&state).beads_of(at..at + 1), 1..2);
    let screen = rows(&mut state, 120, 30);
    let lit: Vec<&String> = screen.iter().filter(|r| r.contains('┃')).collect();
    assert!(lit.iter().any(|r| r.contains("公司表示")), "{screen:#?}");
    assert!(
        lit.iter().any(|r| r.contains("These restrictions")),
        "{screen:#?}"
    );
    assert!(
        !lit.iter().any(|r| r.contains("Alibaba Group said")),
        "{screen:#?}"
    );
    // Select a word and tag it: the picker takes the translation's chars.
    keys(&mut state, "v e");
    let selection = state.reader.as_ref().unwrap().selection().unwrap();
    keys(&mut state, "t");
    let picker = state.picker.as_ref().expect("the picker opens");
    assert_eq!(
        picker.target,
        Target::New {
            start: selection.start,
            end: selection.end
        }
    );
    keys(&mut state, "Space Enter");
    let effects = keys(&mut state, "Esc");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Annotate { article, .. } if article == "aliyun")),
        "{effects:?}"
    );
}

#[test]
fn tab_puts_the_original_on_the_left_at_the_paired_paragraph() {
    let mut state = side_by_side(80, 24);
    cursor_to(&mut state, "These restrictions", 6);
    keys(&mut state, "Tab");
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.article.id, "zh/aliyun");
    assert_eq!(side(&state).other.article.id, "aliyun");
    assert_eq!(side(&state).role, Role::Translation);
    assert_eq!(side(&state).beads[1].right, 1..3);
    let second = reader.article.text.find("公司表示").unwrap();
    assert_eq!(
        cursor(&state),
        reader.article.text[..second].chars().count()
    );
    assert_eq!(reader.annotations.len(), 1);
    // An annotation saved in the pane that is now on the right still reaches it.
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "aliyun".into(),
            result: Ok(Vec::new()),
        },
    );
    assert!(side(&state).other.annotations.is_empty());
    keys(&mut state, "Tab");
    assert_eq!(state.reader.as_ref().unwrap().article.id, "aliyun");
}

#[test]
fn a_click_in_the_left_pane_puts_the_cursor_there() {
    let mut state = side_by_side(80, 24);
    let screen = rows(&mut state, 80, 24);
    let y = screen
        .iter()
        .position(|r| r.contains("The company said"))
        .unwrap() as u16;
    let x = screen[y as usize].find("The company").unwrap() as u16;
    update(
        &mut state,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x + 4,
            row: y,
            modifiers: KeyModifiers::NONE,
        }),
    );
    let text = &state.reader.as_ref().unwrap().article.text;
    let start = text[..text.find("The company").unwrap()].chars().count();
    assert_eq!(cursor(&state), start + 4);
}

#[test]
fn snapshots_side_by_side() {
    for (width, height) in [(80, 24), (120, 30)] {
        let mut state = side_by_side(width, height);
        cursor_to(&mut state, "These restrictions", 6);
        keys(&mut state, "v e");
        let terminal = draw(&mut state, width, height);
        insta::assert_snapshot!(format!("side_by_side_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn side_by_side_draws_at_every_size() {
    let mut state = side_by_side(80, 24);
    for width in 0..=130u16 {
        for height in (0..=40u16).filter(|h| width % 7 == 0 || *h < 8 || h % 9 == 0) {
            draw(&mut state, width, height);
            keys(&mut state, "j");
        }
    }
}

#[test]
fn the_annotation_under_the_cursor_shows_at_the_bottom_at_any_width() {
    for (width, height) in [(80, 24), (120, 30)] {
        let mut state = side_by_side(width, height);
        cursor_to(&mut state, "US restrictions on exports", 3);
        let screen = rows(&mut state, width, height);
        let tags = screen
            .iter()
            .position(|r| r.starts_with(" ■ chip-restrictions"))
            .unwrap_or_else(|| panic!("{screen:#?}"));
        assert!(screen[tags - 1].chars().all(|c| c == '─'), "{screen:#?}");
        // The panes keep their width: the gutter is where it was.
        let gutter = (width - 2 - 3) / 2 + 2;
        let row = screen.iter().find(|r| r.contains("The company")).unwrap();
        assert_eq!(row.chars().nth(usize::from(gutter)), Some('┃'), "{row}");
    }
}
