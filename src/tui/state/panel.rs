//! The annotations panel: the open article's annotations in text order, and the one selected.

/// The list of the article's annotations, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Panel {
    pub selected: usize,
    pub offset: usize,
}
