//! The trace screen: the passages of other articles that state the claim traced, best first, the first
//! report marked, and which of them are linked to it.

use super::{Screen, State};
use crate::annotation::{AnnotationId, Relation};
use crate::trace::Passage;

/// The trace of one claim (every string inert).
#[derive(Debug, Clone, PartialEq)]
pub struct TraceView {
    /// The claim traced: its article, id, quote and tags.
    pub article: String,
    pub id: AnnotationId,
    pub quote: String,
    pub tags: Vec<String>,
    /// Whether its quote is no longer in its article's text (it is traced as it was).
    pub orphaned: bool,
    /// The request whose answer is awaited or shown (an older answer is dropped).
    pub seq: u64,
    pub loading: bool,
    /// The passages found, best first; the first report last when the limit left it out.
    pub passages: Vec<Passage>,
    /// How many passages reached the threshold, and how many candidate articles were read.
    pub total: usize,
    pub read: usize,
    pub error: Option<String>,
    pub selected: usize,
    pub offset: usize,
    /// The relation the next link makes.
    pub rel: Relation,
    /// Passages linked from this screen, as the store confirmed: (article, start, end, relation).
    pub linked: Vec<(String, usize, usize, Relation)>,
    /// The screen it was opened from.
    pub from: Screen,
}

impl TraceView {
    /// A trace of annotation `id` of `article`, waiting for request `seq`.
    pub fn new(article: &str, id: AnnotationId, quote: &str, seq: u64, from: Screen) -> TraceView {
        TraceView {
            article: article.to_owned(),
            id,
            quote: quote.to_owned(),
            tags: Vec::new(),
            orphaned: false,
            seq,
            loading: true,
            passages: Vec::new(),
            total: 0,
            read: 0,
            error: None,
            selected: 0,
            offset: 0,
            rel: Relation::default(),
            linked: Vec::new(),
            from,
        }
    }

    /// The selected passage.
    pub fn selected_passage(&self) -> Option<&Passage> {
        self.passages.get(self.selected)
    }
}

/// The relation after `rel`: supports, contradicts, same, and round again.
pub fn next_relation(rel: Relation) -> Relation {
    match rel {
        Relation::Supports => Relation::Contradicts,
        Relation::Contradicts => Relation::Same,
        Relation::Same => Relation::Supports,
    }
}

impl State {
    /// How passage `p` is linked to the claim traced, if it is: linked from the trace screen, or an
    /// annotation on exactly that passage that the claim links to or that links to the claim.
    pub fn passage_link(&self, p: &Passage) -> Option<Relation> {
        let view = self.trace.as_ref()?;
        if let Some(&(.., rel)) = view
            .linked
            .iter()
            .find(|(a, s, e, _)| *a == p.article && (*s, *e) == (p.start, p.end))
        {
            return Some(rel);
        }
        let claims = &self.claims;
        let own = claims.find(view.id);
        claims
            .claims
            .iter()
            .filter(|c| c.article == p.article && (c.start, c.end) == (p.start, p.end))
            .find_map(|c| {
                let back = c.links.iter().find(|l| l.id == view.id);
                let out = own.and_then(|o| o.links.iter().find(|l| l.id == c.id));
                out.or(back).map(|l| l.rel)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relation_cycles_through_all_three() {
        let mut rel = Relation::default();
        let mut seen = vec![rel];
        for _ in 0..3 {
            rel = next_relation(rel);
            seen.push(rel);
        }
        assert_eq!(
            seen,
            [
                Relation::Supports,
                Relation::Contradicts,
                Relation::Same,
                Relation::Supports
            ]
        );
    }
}
