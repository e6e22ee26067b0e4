//! The articles that may state a quote: found through the index by the quote's most distinctive terms.
//!
//! The quote's terms (the index's own analysis: stemmed words, CJK bigrams) are ranked by their IDF in
//! the body field; the [`DISTINCTIVE`] rarest make a disjunction of which at least a third must match,
//! ranked by BM25, the quote's own article left out. A passage that restates the quote with a third of
//! its words changed keeps about two thirds of them, so it still matches; an article that shares a
//! common word or two does not.

use tantivy::collector::TopNComputer;
use tantivy::collector::sort_key::NaturalComparator;
use tantivy::query::{Bm25Weight, EnableScoring, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED, Term};

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

/// Slack on the bound a document's score is pruned by: every term's most is BM25's own bound, and the
/// sums of floats are rounded, so a document is pruned only when a bound 1% above all that cannot win.
const SLACK: f32 = 1.01;

/// The best `cap` articles other than `own` holding at least a third of `terms`, best first: the
/// documents, scores and order (BM25 of those terms, ties by address) of tantivy's `BooleanQuery` of the
/// terms with that minimum, reached without visiting every document of the commonest terms.
///
/// The terms are taken in order of their highest possible score (`lead` the lowest, which are the
/// commonest). A document none of whose terms is past the first `lead` cannot be a candidate when
///
/// - `lead` is less than the minimum (it holds fewer than that many terms), or
/// - the highest scores of the first `lead` sum to no more than the `cap`-th best score so far (it
///   cannot enter the best `cap`);
///
/// so only the documents of the other terms are visited, and each is looked up (by skipping ahead) in the
/// lists of the first `lead`, as long as those can still bring it to the minimum and above that score.
pub fn candidates(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[Weighted],
    own: &str,
    cap: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    Ok(scored(searcher, fields, terms, own, cap)?
        .into_iter()
        .map(|(_, address)| address)
        .collect())
}

/// [`candidates`] with their scores.
fn scored(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[Weighted],
    own: &str,
    cap: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    if terms.is_empty() || cap == 0 {
        return Ok(Vec::new());
    }
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let mut weights: Vec<(f32, Box<dyn Weight>)> = terms
        .iter()
        .map(|t| {
            let term = Term::from_field_text(fields.body, &t.text);
            let most = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?.max_score();
            let weight = TermQuery::new(term, IndexRecordOption::WithFreqs).weight(scoring)?;
            Ok((most, weight))
        })
        .collect::<tantivy::Result<_>>()?;
    weights.sort_by(|a, b| a.0.total_cmp(&b.0));
    let own = TermQuery::new(
        Term::from_field_text(fields.id, own),
        IndexRecordOption::Basic,
    )
    .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut top = TopNComputer::new_with_comparator(cap, NaturalComparator);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut excluded = own.scorer(segment, 1.0)?;
        let mut lists = weights
            .iter()
            .map(|(most, w)| Ok((*most, w.scorer(segment, 1.0)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut accept = |doc: DocId| {
            let alive = segment.alive_bitset().is_none_or(|a| a.is_alive(doc));
            alive && (excluded.doc() > doc || excluded.seek(doc) != doc)
        };
        let need = minimum_match(terms.len());
        segment_candidates(&mut lists, need, ord as u32, &mut accept, &mut top);
    }
    Ok(top
        .into_sorted_vec()
        .into_iter()
        .map(|d| (d.sort_key, d.doc))
        .collect())
}
/// Pushes into `top` the documents of one segment (number `ord`) holding at least `need` of the terms of
/// `lists` (each term's highest possible score and its scorer, lowest first) that `accept` lets through,
/// each with the sum of its terms' scores, in document order (see [`candidates`] for what is skipped).
fn segment_candidates(
    lists: &mut [(f32, Box<dyn Scorer>)],
    need: usize,
    ord: u32,
    accept: &mut dyn FnMut(DocId) -> bool,
    top: &mut TopNComputer<f32, DocAddress, NaturalComparator>,
) {
    let n = lists.len();
    // below[i]: the highest scores of the first i terms, summed.
    let below: Vec<f32> = std::iter::once(0.0)
        .chain(lists.iter().scan(0.0, |sum, (most, _)| {
            *sum += most;
            Some(*sum)
        }))
        .collect();
    let beaten = |bound: f32, threshold: Option<f32>| threshold.is_some_and(|t| bound * SLACK <= t);
    let mut lead = need.saturating_sub(1).min(n);
    loop {
        while lead < n && beaten(below[lead + 1], top.threshold) {
            lead += 1;
        }
        let Some(doc) = lists[lead..].iter().map(|(_, s)| s.doc()).min() else {
            return;
        };
        if doc == TERMINATED {
            return;
        }
        let (mut score, mut count) = (0.0f32, 0usize);
        for (_, list) in &mut lists[lead..] {
            if list.doc() == doc {
                score += list.score();
                count += 1;
                list.advance();
            }
        }
        let mut hopeless = false;
        for j in (0..lead).rev() {
            // Terms 0..=j are left to look up.
            if count + j + 1 < need || beaten(score + below[j + 1], top.threshold) {
                hopeless = true;
                break;
            }
            let list = &mut lists[j].1;
            let at = if list.doc() < doc {
                list.seek(doc)
            } else {
                list.doc()
            };
            if at == doc {
                score += list.score();
                count += 1;
            }
        }
        if !hopeless && count >= need && accept(doc) {
            top.push(score, DocAddress::new(ord, doc));
        }
    }
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

    /// The candidates as tantivy's own query finds them: a disjunction of the terms with the minimum.
    fn by_boolean_query(
        searcher: &Searcher,
        fields: &Fields,
        terms: &[Weighted],
        own: &str,
        cap: usize,
    ) -> Vec<(f32, DocAddress)> {
        use tantivy::query::{BooleanQuery, Occur};
        let term_query = |field, text: &str, option| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, text), option))
        };
        let should: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let query = term_query(fields.body, &t.text, IndexRecordOption::WithFreqs);
                (Occur::Should, query)
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
        searcher.search(&query, &top).unwrap()
    }

    /// An index of `articles` bodies of words drawn from a skewed vocabulary, in three commits (three
    /// segments at least), with one article deleted.
    fn skewed_index(articles: usize) -> (tantivy::Index, Fields) {
        use tantivy::doc;
        let (schema, fields) = crate::index::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        crate::index::schema::register_tokenizers(index.tokenizers());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for i in 0..articles {
            // Word k is drawn about 1/(k+1) as often as word 0.
            let words: Vec<String> = (0..20 + next() % 60)
                .map(|_| {
                    let k = (next() % 1000) * (next() % 1000) / 25_000;
                    format!("w{k}")
                })
                .collect();
            let id = format!("a{i}");
            writer
                .add_document(doc!(fields.id => id, fields.body => words.join(" ")))
                .unwrap();
            if i % (articles / 3) == 0 {
                writer.commit().unwrap();
            }
        }
        writer.delete_term(Term::from_field_text(fields.id, "a5"));
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn candidates_are_those_of_the_boolean_query_in_its_order() {
        let (index, fields) = skewed_index(900);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let quotes = [
            "w0 w1 w2 w3 w5 w8 w13 w21",
            "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w30 w31 w35",
            "w0 w0 w1 w17 w25",
            "w2 w39",
            "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16",
        ];
        for quote in quotes {
            let texts: Vec<&str> = quote.split(' ').collect();
            let mut texts = texts;
            texts.sort_unstable();
            texts.dedup();
            let terms = distinctive(weighted(&searcher, &fields, &texts).unwrap());
            for (own, cap) in [("a1", 5), ("a7", 40), ("none", 2000)] {
                let old = by_boolean_query(&searcher, &fields, &terms, own, cap);
                let new = scored(&searcher, &fields, &terms, own, cap).unwrap();
                assert_eq!(old.len(), new.len(), "{quote} {cap}");
                assert!(!new.is_empty());
                for (a, b) in old.iter().zip(&new) {
                    assert!(
                        (a.0 - b.0).abs() <= 1e-4 * a.0.abs(),
                        "{quote}: {a:?} {b:?}"
                    );
                }
                // Where scores differ by more than rounding, the documents are the same.
                let clear = |list: &[(f32, DocAddress)]| -> Vec<DocAddress> {
                    let last = list.last().map_or(0.0, |l| l.0);
                    list.iter()
                        .filter(|d| d.0 > last + 1e-4)
                        .map(|d| d.1)
                        .collect()
                };
                let (mut x, mut y) = (clear(&old), clear(&new));
                x.sort();
                y.sort();
                assert_eq!(x, y, "{quote} {cap}");
                let deleted = new.iter().any(|d| {
                    let doc: tantivy::TantivyDocument = searcher.doc(d.1).unwrap();
                    use tantivy::schema::Value;
                    let id = doc
                        .get_first(fields.id)
                        .and_then(|v| v.as_str())
                        .unwrap()
                        .to_owned();
                    id == "a5" || id == own
                });
                assert!(!deleted);
            }
        }
    }
}
