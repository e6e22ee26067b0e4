use super::*;
use crate::article::Article;
use crate::tui::state::Screen;
use crate::tui::wrap::Wrapped;

fn reader(id: &str, body: &str, width: u16) -> Reader {
    let source = format!("+++\ntitle = \"T\"\n+++\n\n{body}\n");
    let mut r = Reader::new(
        Article::parse(id, &source).unwrap().0,
        Vec::new(),
        Screen::Library,
    );
    r.wrapped = Wrapped::new(&r.article.text, width);
    r
}

const EN: &str = "Alibaba Group said it will no longer pursue the spin-off.\n\n\
The company said US export restrictions on chips created uncertainty.\n\n\
These restrictions may affect its computing rental services and upgrades, so a spin-off might not raise shareholder value.\n\n\
Analysts expect demand for computing power to rise.";

const ZH: &str = "阿里巴巴集团宣布，不再推进阿里云的分拆。\n\n\
公司表示，美国对芯片的出口限制带来了不确定性。这些限制可能影响其计算租赁服务和技术升级，因此分拆未必能提升股东价值。\n\n\
分析人士预计算力需求将上升。";

fn side(width: u16) -> (Reader, Side) {
    let left = reader("en", EN, width);
    let right = reader("zh", ZH, width);
    let mut side = Side::new(&left, right, Role::Original);
    side.relayout(&left);
    (left, side)
}

#[test]
fn paired_paragraphs_start_on_the_same_row() {
    for width in [20u16, 37, 57] {
        let (left, side) = side(width);
        assert_eq!(side.beads.len(), 3, "{:?}", side.beads);
        for (b, bead) in side.beads.iter().enumerate() {
            let first = side.rows.iter().position(|r| r.bead == Some(b)).unwrap();
            let row = side.rows[first];
            let l = &side.left_paragraphs[bead.left.start];
            let r = &side.right_paragraphs[bead.right.start];
            assert_eq!(
                row.left,
                Some(left.wrapped.line_of(l.chars.start)),
                "{width}"
            );
            assert_eq!(
                row.right,
                Some(side.other.wrapped.line_of(r.chars.start)),
                "{width}"
            );
        }
    }
}

#[test]
fn every_line_of_both_panes_has_one_row_in_order() {
    let (left, side) = side(24);
    let lefts: Vec<usize> = side.rows.iter().filter_map(|r| r.left).collect();
    assert_eq!(lefts, (0..left.wrapped.lines.len()).collect::<Vec<_>>());
    let rights: Vec<usize> = side.rows.iter().filter_map(|r| r.right).collect();
    assert_eq!(
        rights,
        (0..side.other.wrapped.lines.len()).collect::<Vec<_>>()
    );
    for (line, &row) in side.left_row.iter().enumerate() {
        assert_eq!(side.rows[row].left, Some(line));
    }
    // Padding: the translation's paragraphs 2 and 3 face the original's paragraph 2.
    assert_eq!(side.beads[1].left, 1..3);
    assert_eq!(side.beads[1].right, 1..2);
}

#[test]
fn a_cursor_or_selection_finds_its_pairs() {
    let (left, side) = side(30);
    let second = side.left_paragraphs[1].chars.start;
    let third = side.left_paragraphs[2].chars.start;
    let last = side.left_paragraphs[3].chars.start;
    assert_eq!(side.beads_of(0..1), 0..1);
    assert_eq!(side.beads_of(second + 3..second + 4), 1..2);
    assert_eq!(side.beads_of(third..third + 1), 1..2);
    assert_eq!(side.beads_of(second..last + 2), 1..3);
    // A paragraph's line break is in it; the blank line between two paragraphs is in neither.
    assert_eq!(side.beads_of(second - 2..second - 1), 0..1);
    assert_eq!(side.beads_of(second - 1..second), 0..0);
    assert_eq!(
        side.row_of(&left.wrapped, second),
        side.left_row[left.wrapped.line_of(second)]
    );
    assert_eq!(side.left_line_from(0), Some(0));
}
