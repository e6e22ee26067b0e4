//! The side-by-side view: the article being read in the left pane (with the cursor, the selection and
//! annotating, as in the reader) and its original or translation in the right pane, each pair of
//! paragraphs level (the shorter side padded with blank rows), both scrolling together.

use std::ops::Range;

use super::Reader;
use crate::translation::{Bead, Paragraph, Role, align_texts, paragraphs};
use crate::tui::wrap::Wrapped;

/// One screen row of the view: a line of each pane's wrapped text, or nothing (padding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub left: Option<usize>,
    pub right: Option<usize>,
    /// The pair of paragraphs the row belongs to (`None` between pairs).
    pub bead: Option<usize>,
}

/// The article to read beside the one open, as the worker found it.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherText {
    pub article: crate::article::Article,
    /// What it is to the article open.
    pub role: Role,
    /// Its annotations placed in its text, or why they cannot be read.
    pub annotations: Result<Vec<crate::annotation::Annotation>, String>,
}

/// The right pane and how the two texts line up.
#[derive(Debug)]
pub struct Side {
    /// The other article, its wrap and its annotations (its cursor is not used).
    pub other: Reader,
    /// What `other` is to the article on the left.
    pub role: Role,
    pub beads: Vec<Bead>,
    pub left_paragraphs: Vec<Paragraph>,
    pub right_paragraphs: Vec<Paragraph>,
    /// The rows, for the current wraps of both panes.
    pub rows: Vec<Row>,
    /// The row of each of the left pane's lines.
    pub left_row: Vec<usize>,
    /// The first row drawn.
    pub top: usize,
    /// The cursor the view last followed (a cursor that moved is scrolled to).
    pub followed: Option<usize>,
}

impl Side {
    /// The view of `left` (the reader's article) beside `other`.
    pub fn new(left: &Reader, other: Reader, role: Role) -> Side {
        let beads = align_texts(&left.article.text, &other.article.text);
        Side {
            left_paragraphs: paragraphs(&left.article.text),
            right_paragraphs: paragraphs(&other.article.text),
            other,
            role,
            beads,
            rows: Vec::new(),
            left_row: Vec::new(),
            top: 0,
            followed: None,
        }
    }

    /// Lays the rows out again for the panes' current wraps.
    pub fn relayout(&mut self, left: &Reader) {
        let right = &self.other;
        let left_blocks = blocks(
            left,
            &self.left_paragraphs,
            self.beads.iter().map(|b| &b.left),
        );
        let right_blocks = blocks(
            right,
            &self.right_paragraphs,
            self.beads.iter().map(|b| &b.right),
        );
        let (mut rows, mut left_row) = (Vec::new(), vec![0; left.wrapped.lines.len()]);
        let (mut next_left, mut next_right) = (0usize, 0usize);
        let mut push =
            |l: Range<usize>, r: Range<usize>, bead: Option<usize>, rows: &mut Vec<Row>| {
                for k in 0..l.len().max(r.len()) {
                    let left = (k < l.len()).then(|| l.start + k);
                    if let Some(line) = left {
                        left_row[line] = rows.len();
                    }
                    let right = (k < r.len()).then(|| r.start + k);
                    rows.push(Row { left, right, bead });
                }
            };
        for (b, (lb, rb)) in left_blocks.iter().zip(&right_blocks).enumerate() {
            let l_gap = next_left..lb.as_ref().map_or(next_left, |x| x.start);
            let r_gap = next_right..rb.as_ref().map_or(next_right, |x| x.start);
            if b > 0 && l_gap.is_empty() && r_gap.is_empty() {
                // Pairs are always a blank row apart.
                rows.push(Row {
                    left: None,
                    right: None,
                    bead: None,
                });
            } else {
                push(l_gap, r_gap, None, &mut rows);
            }
            let l = lb.clone().unwrap_or(next_left..next_left);
            let r = rb.clone().unwrap_or(next_right..next_right);
            (next_left, next_right) = (l.end.max(next_left), r.end.max(next_right));
            push(l, r, Some(b), &mut rows);
        }
        let l_rest = next_left..left.wrapped.lines.len();
        let r_rest = next_right..right.wrapped.lines.len();
        push(l_rest, r_rest, None, &mut rows);
        self.rows = rows;
        self.left_row = left_row;
    }

    /// The pairs of paragraphs that the chars `range` of the left text touch.
    pub fn beads_of(&self, range: Range<usize>) -> Range<usize> {
        let paragraph = |at: usize| {
            let i = self
                .left_paragraphs
                .partition_point(|p| p.chars.start <= at)
                .checked_sub(1)?;
            // A paragraph's own line break counts as in it.
            (at <= self.left_paragraphs[i].chars.end).then_some(i)
        };
        let bead = |p: usize| self.beads.iter().position(|b| b.left.contains(&p));
        let first = paragraph(range.start).and_then(bead);
        let last = paragraph(range.end.saturating_sub(1).max(range.start)).and_then(bead);
        match (first, last) {
            (Some(a), Some(b)) => a..b + 1,
            (Some(a), None) | (None, Some(a)) => a..a + 1,
            (None, None) => 0..0,
        }
    }

    /// The row of the left pane's line holding char `at`.
    pub fn row_of(&self, left: &Wrapped, at: usize) -> usize {
        let line = left.line_of(at);
        self.left_row.get(line).copied().unwrap_or(0)
    }

    /// The left pane's first line at or after row `row` (or before it, when none is after).
    pub fn left_line_from(&self, row: usize) -> Option<usize> {
        let after = self.rows.get(row..)?.iter().find_map(|r| r.left);
        after.or_else(|| self.rows[..row].iter().rev().find_map(|r| r.left))
    }
}

/// The wrapped lines each bead's paragraphs take on one side (`None` for a side with no paragraph).
fn blocks<'b>(
    reader: &Reader,
    paragraphs: &[Paragraph],
    sides: impl Iterator<Item = &'b Range<usize>>,
) -> Vec<Option<Range<usize>>> {
    let w = &reader.wrapped;
    sides
        .map(|range| {
            let (first, last) = (
                paragraphs.get(range.start)?,
                paragraphs.get(range.end.checked_sub(1)?)?,
            );
            if w.lines.is_empty() {
                return None;
            }
            let start = w.line_of(first.chars.start);
            let end = w.line_of(last.chars.end.saturating_sub(1)) + 1;
            Some(start..end.max(start + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests;
