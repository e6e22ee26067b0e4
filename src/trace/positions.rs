//! Where the seed terms stand in each candidate article, read from the index's postings rather than by
//! analysing the article: a passage begins and ends on a sentence holding a seed term, so only the
//! paragraphs holding one are analysed and split into sentences.
//!
//! A term's position in the index is its number in the body's token stream ([`WordsAndBigrams`], whose
//! filters drop tokens without renumbering the rest), and no token crosses a paragraph break, so counting
//! each paragraph's tokens ([`count_tokens`]) says which paragraphs hold which positions.
//!
//! [`WordsAndBigrams`]: crate::index::tokenizer::WordsAndBigrams

use std::collections::HashMap;
use std::ops::Range;

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, Term};

use crate::index::Fields;
use crate::index::tokenizer::count_tokens;

/// Whether any of `positions` (sorted) is in `tokens`.
pub fn any_in(positions: &[u32], tokens: Range<usize>) -> bool {
    let at = positions.partition_point(|&p| (p as usize) < tokens.start);
    positions
        .get(at)
        .is_some_and(|&p| (p as usize) < tokens.end)
}

/// For each of `found`, the sorted token positions in its body of any of `terms` (body terms, as the
/// index holds them).
pub fn positions(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[&str],
    found: &[DocAddress],
) -> tantivy::Result<Vec<Vec<u32>>> {
    let mut out = vec![Vec::new(); found.len()];
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, address) in found.iter().enumerate() {
        by_segment.entry(address.segment_ord).or_default().push(i);
    }
    for (segment, mut at) in by_segment {
        // Postings only move forward: visit the segment's candidates in document order.
        at.sort_by_key(|&i| found[i].doc_id);
        let index = searcher
            .segment_reader(segment)
            .inverted_index(fields.body)?;
        for text in terms {
            let term = Term::from_field_text(fields.body, text);
            let Some(mut postings) =
                index.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
            else {
                continue;
            };
            for &i in &at {
                let doc = found[i].doc_id;
                let mut current = postings.doc();
                if current < doc {
                    current = postings.seek(doc);
                }
                if current == TERMINATED {
                    break;
                }
                if current == doc {
                    postings.append_positions_with_offset(0, &mut out[i]);
                }
            }
        }
    }
    for positions in &mut out {
        positions.sort_unstable();
        positions.dedup();
    }
    Ok(out)
}

/// A paragraph of a body and the positions of its tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// Its byte range in the body.
    pub bytes: Range<usize>,
    /// The positions of its first token and past its last.
    pub tokens: Range<usize>,
}

/// The paragraphs of `body` (byte ranges, in order) that hold a token at one of `positions` (sorted),
/// or `None` when a position lies past the body's last token (an index that does not match the text).
pub fn paragraphs_at(
    body: &str,
    paragraphs: impl Iterator<Item = Range<usize>>,
    positions: &[u32],
) -> Option<Vec<Held>> {
    let mut out = Vec::new();
    let (mut first, mut rest) = (0usize, positions);
    for paragraph in paragraphs {
        let Some(&next) = rest.first() else {
            return Some(out);
        };
        let end = first + count_tokens(&body[paragraph.clone()]);
        if (next as usize) < end {
            out.push(Held {
                bytes: paragraph,
                tokens: first..end,
            });
            let past = rest.partition_point(|&p| (p as usize) < end);
            rest = &rest[past..];
        }
        first = end;
    }
    rest.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held<'a>(body: &'a str, positions: &[u32]) -> Option<Vec<&'a str>> {
        let paragraphs = super::super::paragraphs(body);
        paragraphs_at(body, paragraphs, positions)
            .map(|ps| ps.into_iter().map(|held| &body[held.bytes]).collect())
    }

    #[test]
    fn positions_fall_in_the_paragraph_whose_tokens_they_count() {
        let body = "One two three.\n\n中国芯片 four.\n\nFive six.";
        // one two three | 中国 国芯 芯片 four | five six
        assert_eq!(held(body, &[]), Some(vec![]));
        assert_eq!(held(body, &[1]), Some(vec!["One two three."]));
        assert_eq!(held(body, &[3, 6]), Some(vec!["中国芯片 four."]));
        assert_eq!(
            held(body, &[6, 7]),
            Some(vec!["中国芯片 four.", "Five six."])
        );
        assert_eq!(held(body, &[8]), Some(vec!["Five six."]));
        assert_eq!(held(body, &[2, 9]), None, "past the last token");
        let at = paragraphs_at(body, super::super::paragraphs(body), &[6]).unwrap();
        assert_eq!(at[0].tokens, 3..7);
        assert!(any_in(&[2, 6], 3..7) && !any_in(&[2, 7], 3..7) && !any_in(&[], 0..9));
    }
}
