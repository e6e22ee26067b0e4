//! Counting a query's matches in the same pass that ranks them, for queries whose ranking visits every
//! match anyway.
//!
//! tantivy ranks a query of words with block-max WAND, which skips the blocks of postings that cannot
//! reach the best hits; counting those queries' matches is a pass of its own, which scores nothing. A
//! phrase cannot be skipped so: its scorer matches the positions of every article that holds all its
//! words, and a second pass to count matched them all again (half of a phrase search's time). For those,
//! [`Counted`] counts each match as the ranking's pass goes by it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, Score, SeekDangerResult, SegmentReader, Term};

/// Whether ranking `query` visits every match: it needs positions (a phrase), which block-max WAND does
/// not skip over. Queries of words alone are left to rank and count in two passes.
pub fn ranking_visits_every_match(query: &dyn Query) -> bool {
    let mut positions = false;
    query.query_terms(&mut |_, needs_positions| positions |= needs_positions);
    positions
}

/// A query that counts, as the ranking's pass goes, the articles it matches.
#[derive(Debug)]
pub struct Counted {
    query: Box<dyn Query>,
    matches: Arc<AtomicUsize>,
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        Counted {
            query: self.query.box_clone(),
            matches: Arc::clone(&self.matches),
        }
    }
}

impl Counted {
    pub fn new(query: Box<dyn Query>) -> Counted {
        Counted {
            query,
            matches: Arc::default(),
        }
    }

    /// The articles matched by the searches run with this query so far (not deleted ones).
    pub fn matches(&self) -> usize {
        self.matches.load(Ordering::Relaxed)
    }
}

impl Query for Counted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CountedWeight {
            inner: self.query.weight(scoring)?,
            matches: Arc::clone(&self.matches),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct CountedWeight {
    inner: Box<dyn Weight>,
    matches: Arc<AtomicUsize>,
}

impl Weight for CountedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        self.inner.scorer_danger(reader, target, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    /// The inner weight's pass with no threshold, so that it calls back for every match: each live one
    /// is counted, and handed on to `callback` when it beats `callback`'s threshold, as the inner
    /// weight's own pass hands them on (for a query that visits every match, the same calls in the same
    /// order).
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let alive = reader.alive_bitset();
        let mut threshold = threshold;
        let mut matches = 0usize;
        self.inner
            .for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    matches += 1;
                }
                if score > threshold {
                    threshold = callback(doc, score);
                }
                Score::MIN
            })?;
        self.matches.fetch_add(matches, Ordering::Relaxed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    /// An index of articles with `the court` in some bodies, `court` alone in others, in three segments,
    /// some articles deleted.
    fn index() -> (Index, tantivy::query::QueryParser) {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        schema::register_tokenizers(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for segment in 0..3 {
            for i in 0..300 {
                let mut doc = TantivyDocument::default();
                doc.add_text(fields.id, format!("s{segment}-{i}"));
                doc.add_text(fields.title, if i % 7 == 0 { "the court" } else { "news" });
                let body = match i % 4 {
                    0 => "the court ruled. the court sat again, the court rose".to_owned(),
                    1 => format!(
                        "a court of {i} and the judge; the court {}",
                        "word ".repeat(i % 9)
                    ),
                    2 => "the judge and a court".to_owned(),
                    _ => "nothing of it".to_owned(),
                };
                doc.add_text(fields.body, body);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(Term::from_field_text(fields.id, "s1-4"));
        writer.delete_term(Term::from_field_text(fields.id, "s2-9"));
        writer.commit().unwrap();
        let parser = crate::index::search::query_parser(&index, &fields);
        (index, parser)
    }

    #[test]
    fn one_pass_ranks_and_counts_as_two_do() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        for text in [
            "\"the court\"",
            "\"the court\" ruled",
            "\"the court\"~2 -judge",
            "court",
        ] {
            let query = parser.parse_query(text).unwrap();
            for (limit, offset) in [(5, 0), (20, 10), (1000, 0)] {
                let top = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score();
                let expected: Vec<(Score, DocAddress)> = searcher.search(&query, &top).unwrap();
                let counted = Counted::new(query.box_clone());
                let ranked = searcher.search(&counted, &top).unwrap();
                assert_eq!(ranked, expected, "{text}");
                let total = searcher.search(&query, &Count).unwrap();
                assert!(total > 0, "{text}");
                assert_eq!(counted.matches(), total, "{text}");
            }
        }
    }

    #[test]
    fn phrases_rank_in_one_pass_and_words_in_two() {
        let (_, parser) = index();
        let visits = |text: &str| ranking_visits_every_match(&*parser.parse_query(text).unwrap());
        assert!(visits("\"the court\""));
        assert!(visits("police \"the court\""));
        assert!(!visits("court"));
        assert!(!visits("the court"));
        assert!(!visits("court -judge"));
    }
}
