//! The articles that may state a quote: found through the index by the quote's most distinctive terms.
//!
//! The quote's terms (the index's own analysis: stemmed words, CJK bigrams) are ranked by their IDF in
//! the body field; the [`DISTINCTIVE`] rarest make a disjunction of which at least a third must match,
//! ranked by BM25, the quote's own article left out. A passage that restates the quote with a third of
//! its words changed keeps about two thirds of them, so it still matches; an article that shares a
//! common word or two does not.

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::index::Fields;

/// How many of the quote's terms the candidate query uses.
pub const DISTINCTIVE: usize = 16;

/// A quote term with its weight in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted {
    pub text: String,
    pub idf: f32,
    /// How many articles hold it.
    pub articles: u64,
}

/// The BM25 IDF of a term held by `df` of `docs` articles (an unknown term counts as held by one).
pub fn idf(df: u64, docs: u64) -> f32 {
    let (df, docs) = (df.max(1) as f32, docs.max(1) as f32);
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
}

/// `terms` (distinct) with their IDF in the body field.
pub fn weighted(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[&str],
) -> tantivy::Result<Vec<Weighted>> {
    let docs = searcher.num_docs();
    terms
        .iter()
        .map(|text| {
            let df = searcher.doc_freq(&Term::from_field_text(fields.body, text))?;
            Ok(Weighted {
                text: (*text).to_owned(),
                idf: idf(df, docs),
                articles: df,
            })
        })
        .collect()
}

/// The quote's most distinctive terms that some article holds, rarest first (ties by text).
pub fn distinctive(mut terms: Vec<Weighted>) -> Vec<Weighted> {
    terms.retain(|t| t.articles > 0);
    terms.sort_by(|a, b| b.idf.total_cmp(&a.idf).then_with(|| a.text.cmp(&b.text)));
    terms.truncate(DISTINCTIVE);
    terms
}

/// The distinctive terms a passage must begin and end on: those in at most a tenth of the articles, and
/// always the four rarest (so that a quote of common words still has some).
pub fn seeds(distinctive: &[Weighted], docs: u64) -> Vec<&Weighted> {
    distinctive
        .iter()
        .enumerate()
        .filter(|(i, t)| *i < 4 || t.articles <= (docs / 10).max(1))
        .map(|(_, t)| t)
        .collect()
}

/// How many of `n` distinctive terms a candidate must hold.
pub fn minimum_match(n: usize) -> usize {
    n.div_ceil(3).max(1)
}

/// The best `cap` articles other than `own` holding at least a third of `terms`, best first.
pub fn candidates(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[Weighted],
    own: &str,
    cap: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    if terms.is_empty() || cap == 0 {
        return Ok(Vec::new());
    }
    let term_query = |field, text: &str, option| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), option))
    };
    let should: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            (
                Occur::Should,
                term_query(fields.body, &t.text, IndexRecordOption::WithFreqs),
            )
        })
        .collect();
    let any = BooleanQuery::with_minimum_required_clauses(should, minimum_match(terms.len()));
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(any) as Box<dyn Query>),
        (
            Occur::MustNot,
            term_query(fields.id, own, IndexRecordOption::Basic),
        ),
    ]);
    let top = tantivy::collector::TopDocs::with_limit(cap).order_by_score();
    Ok(searcher
        .search(&query, &top)?
        .into_iter()
        .map(|(_, address): (f32, DocAddress)| address)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_terms_weigh_more_and_unknown_ones_are_left_out_of_the_query() {
        assert!(idf(1, 1000) > idf(10, 1000));
        assert!(idf(999, 1000) > 0.0);
        let term = |text: &str, articles| Weighted {
            text: text.into(),
            idf: idf(articles, 100),
            articles,
        };
        let picked = distinctive(vec![term("the", 100), term("copilot", 2), term("zz", 0)]);
        let texts: Vec<&str> = picked.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["copilot", "the"]);
        assert_eq!(
            (minimum_match(1), minimum_match(3), minimum_match(16)),
            (1, 1, 6)
        );
    }
}
