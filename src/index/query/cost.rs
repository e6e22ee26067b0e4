//! What a parsed query would read from the index, estimated from the term dictionary before it runs:
//! the posting lists of its words and, for phrases, their positions. A query of common words can read
//! the positions of every article many times over (sixty-four sloppy phrases of `the`), which no cap on
//! its length, its slop or its number of terms bounds; this one does, whatever the query's shape.

use tantivy::query::{BooleanQuery, BoostQuery, PhrasePrefixQuery, PhraseQuery, Query, TermQuery};
use tantivy::{Searcher, Term};

use super::QueryError;
use crate::index::lenient::MAX_SLOP;

/// The most a search may read of the index's posting lists and positions, in bytes, a sloppy phrase's
/// counted once more for each step of slop (matching within a slop is that much more work per position
/// read). Measured over 10,000 generated articles of 5 KB: 16 phrases `"WORD the"~10` count 209 MB and
/// take 0.6 s, a phrase of `the` 16 times at `~10` 176 MB and 0.75 s; an exact phrase of two common words
/// counts 2 MB. At 100,000 articles, ten times as much: an exact phrase of common words still passes, a
/// sloppy one of two common words just does (about 110 MB), and the slowest query under this bound
/// does about half a second of work.
pub const MAX_READ_BYTES: u64 = 128 << 20;

/// What the term dictionary says of one term, summed over the segments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TermCost {
    docs: u64,
    postings: u64,
    positions: u64,
}

/// Refuses `query` when it would read more than `limit` bytes of posting lists and positions.
pub fn check(query: &dyn Query, searcher: &Searcher, limit: u64) -> Result<(), QueryError> {
    let bytes = estimate(query, searcher);
    if bytes <= limit {
        return Ok(());
    }
    Err(QueryError::TooCostly(format!(
        "it would read about {} of the index (at most {}); use fewer common words, or fewer phrases of them",
        megabytes(bytes),
        megabytes(limit)
    )))
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1 << 20))
}

/// The bytes `query` would read at most: a word's posting list; a phrase's positions and postings in the
/// articles that hold its rarest word (every word of it must be there); a clause of a boolean query, each
/// in full (tantivy scores and counts each clause over its own matches).
pub fn estimate(query: &dyn Query, searcher: &Searcher) -> u64 {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        return boolean
            .clauses()
            .iter()
            .map(|(_, clause)| estimate(&**clause, searcher))
            .fold(0, u64::saturating_add);
    }
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        return term_cost(searcher, term.term()).postings;
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        let slop = u64::from(slop_of(phrase));
        return phrase_cost(searcher, &phrase.phrase_terms()).saturating_mul(1 + slop);
    }
    // A phrase prefix's last word expands to many words; its cost is counted as its words' once more.
    if let Some(phrase) = query.downcast_ref::<PhrasePrefixQuery>() {
        return phrase_cost(searcher, &phrase.phrase_terms()).saturating_mul(2);
    }
    // A boost hides its inner query (a title phrase, a title word): a phrase of its terms over-counts it
    // safely. Any other query (a range, a set, `*`) is counted by its terms' posting lists.
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| terms.push(term.clone()));
    if query.downcast_ref::<BoostQuery>().is_some() && terms.len() > 1 {
        return phrase_cost(searcher, &terms);
    }
    terms
        .iter()
        .map(|term| term_cost(searcher, term).postings)
        .fold(0, u64::saturating_add)
}

/// A phrase's slop. tantivy has no getter for it; its derived `Debug` form is the one place that shows it
/// (`slop: 10`). Should that form ever stop showing it, the phrase counts as the sloppiest one a query
/// may hold, so that a change in tantivy can only refuse more, never let a costly phrase through (a unit
/// test pins the form).
fn slop_of(phrase: &PhraseQuery) -> u32 {
    let shown = format!("{phrase:?}");
    shown
        .rsplit_once("slop: ")
        .and_then(|(_, rest)| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(MAX_SLOP)
}

/// A phrase reads its words' postings and positions, each in the share of its articles that also hold
/// the phrase's rarest word.
fn phrase_cost(searcher: &Searcher, terms: &[Term]) -> u64 {
    let costs: Vec<TermCost> = terms.iter().map(|t| term_cost(searcher, t)).collect();
    let candidates = costs.iter().map(|c| c.docs).min().unwrap_or(0);
    costs
        .iter()
        .map(|c| {
            let bytes = c.postings.saturating_add(c.positions);
            match c.docs {
                0 => 0,
                docs => {
                    (u128::from(bytes) * u128::from(candidates.min(docs)) / u128::from(docs)) as u64
                }
            }
        })
        .fold(0, u64::saturating_add)
}

/// The articles that hold `term`, and the bytes of its posting list and positions, over all segments.
fn term_cost(searcher: &Searcher, term: &Term) -> TermCost {
    let mut cost = TermCost::default();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(term.field()) else {
            continue;
        };
        if let Ok(Some(info)) = inverted.get_term_info(term) {
            cost.docs += u64::from(info.doc_freq);
            cost.postings += info.postings_range.len() as u64;
            cost.positions += info.positions_range.len() as u64;
        }
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::query::QueryParser;

    /// An index of `n` articles of common words, and a parser over its default fields.
    fn index_of(n: usize) -> (tantivy::Index, QueryParser) {
        let (schema, fields) = schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        schema::register_tokenizers(index.tokenizers());
        let mut writer: tantivy::IndexWriter = index.writer(50_000_000).unwrap();
        let body =
            "the cat sat on the mat and the dog was with it in the house for the day ".repeat(20);
        for i in 0..n {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.id, format!("a{i}"));
            doc.add_text(fields.title, "a story");
            doc.add_text(fields.body, format!("{body} rare{}", i % 50));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let parser = crate::index::search::query_parser(&index, &fields);
        (index, parser)
    }

    fn cost(parser: &QueryParser, searcher: &Searcher, query: &str) -> u64 {
        estimate(&*parser.parse_query(query).unwrap(), searcher)
    }

    fn eight_phrases() -> Vec<String> {
        ["cat", "sat", "on", "mat", "and", "dog", "was", "with"]
            .iter()
            .map(|w| format!("\"the {w}\"~2"))
            .collect()
    }

    #[test]
    fn phrases_of_common_words_cost_their_positions_and_a_rare_word_cuts_them() {
        let (index, parser) = index_of(500);
        let searcher = index.reader().unwrap().searcher();
        let word = cost(&parser, &searcher, "the");
        let phrase = cost(&parser, &searcher, "\"the cat\"~2");
        let rare = cost(&parser, &searcher, "\"the rare7\"");
        assert!(phrase > 10 * word, "{phrase} against {word}");
        // Only the articles with the rare word are read: a fiftieth of them.
        assert!(rare * 20 < phrase, "{rare} against {phrase}");
        // Each phrase is read on its own: eight cost what each costs, summed (the parser keeps one of
        // phrases written twice).
        let phrases = eight_phrases();
        let each: u64 = phrases.iter().map(|p| cost(&parser, &searcher, p)).sum();
        assert_eq!(cost(&parser, &searcher, &phrases.join(" ")), each);
        assert!(each >= 8 * word, "{each} against {word}");
        assert_eq!(cost(&parser, &searcher, "\"nothing here\""), 0);
        // Each step of slop counts the phrase once more.
        let exact = cost(&parser, &searcher, "\"the cat\"");
        assert_eq!(phrase, 3 * exact);
    }

    #[test]
    fn the_slop_is_read_from_the_phrase_itself() {
        let (_, fields) = schema::build();
        let terms = ["the", "cat"].map(|w| Term::from_field_text(fields.body, w));
        let mut phrase = PhraseQuery::new(terms.to_vec());
        assert_eq!(slop_of(&phrase), 0);
        phrase.set_slop(7);
        assert_eq!(slop_of(&phrase), 7);
    }

    #[test]
    fn a_query_over_the_limit_is_refused_in_one_sentence_that_names_it() {
        let (index, parser) = index_of(500);
        let searcher = index.reader().unwrap().searcher();
        let one = parser.parse_query("\"the cat\"~2").unwrap();
        let limit = estimate(&*one, &searcher) * 4;
        assert!(check(&*one, &searcher, limit).is_ok());
        let many = parser.parse_query(&eight_phrases().join(" ")).unwrap();
        let Err(QueryError::TooCostly(why)) = check(&*many, &searcher, limit) else {
            panic!("not refused");
        };
        assert!(why.contains("MB of the index (at most "), "{why}");
        assert_eq!(why.lines().count(), 1);
    }
}
