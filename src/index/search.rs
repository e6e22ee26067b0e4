//! Answering queries: BM25 ranking with a title boost, snippets that mark the matched words, and the
//! article list read back from the index.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser};
use tantivy::schema::{TantivyDocument, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Index, Searcher};

use super::query::{self, QueryError};
use super::{ArticleIndex, Fields, IndexError};
use crate::article::Published;

/// How much more a match in the title counts than one in the body.
const TITLE_BOOST: f32 = 2.0;

/// One search hit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
    pub published: Option<Published>,
    pub source: Option<String>,
    /// A passage of the body around the best matches, on one line.
    pub snippet: String,
    /// The matched words in `snippet`, as ranges of Unicode scalar values.
    pub highlights: Vec<Range<usize>>,
}

/// The hits of one query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// How many articles match in all.
    pub total: usize,
    /// The best of them, best first.
    pub hits: Vec<Hit>,
}

/// An article as the index lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    pub language: String,
    pub tags: Vec<String>,
    pub words: u64,
}

/// The query parser: terms ANDed, over title (boosted), body and tags.
pub(super) fn query_parser(index: &Index, fields: &Fields) -> QueryParser {
    let mut parser = QueryParser::for_index(index, vec![fields.title, fields.body, fields.tag]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST);
    parser
}

/// Why a search failed: the query (the user's to fix) or the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.into())
    }
}

impl ArticleIndex {
    /// Runs `query` and returns the best `limit` hits with snippets of at most `snippet_chars` characters.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        snippet_chars: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = query::parse(&self.query_parser, query)?;
        crate::contain::contain(|| self.run_search(&*parsed, limit, snippet_chars))
            .map_err(|panic| SearchError::Index(IndexError::Damaged(panic)))?
    }

    fn run_search(
        &self,
        parsed: &dyn Query,
        limit: usize,
        snippet_chars: usize,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let collector = (Count, TopDocs::with_limit(limit.max(1)).order_by_score());
        let (total, top) = searcher.search(parsed, &collector)?;
        let mut snippets = SnippetGenerator::create(&searcher, parsed, self.fields.body)?;
        snippets.set_max_num_chars(snippet_chars.max(20));
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &snippets, snippet_chars))
            .collect::<Result<_, _>>()?;
        Ok(SearchResults { total, hits })
    }

    /// Where `query`'s terms match in `text` (an article's plain text), as ranges of Unicode scalar values.
    pub fn match_ranges(&self, query: &str, text: &str) -> Result<Vec<Range<usize>>, SearchError> {
        let parsed = query::parse(&self.query_parser, query)?;
        let searcher = self.reader.searcher();
        let generator = whole_text_generator(&searcher, &*parsed, &self.fields)?;
        let snippet = generator.snippet(text);
        let offset = snippet.fragment_range().start;
        let ranges: Vec<_> = snippet
            .highlighted()
            .iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect();
        Ok(byte_to_scalar_ranges(text, &ranges))
    }

    /// Every article in the index, in id order.
    pub fn summaries(&self) -> Result<Vec<Summary>, IndexError> {
        let searcher = self.reader.searcher();
        let mut all = Vec::with_capacity(searcher.num_docs() as usize);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in segment.doc_ids_alive() {
                let address = DocAddress::new(ord as u32, doc);
                all.push(self.summary(&searcher.doc(address)?));
            }
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        snippets: &SnippetGenerator,
        snippet_chars: usize,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let body = text(&doc, self.fields.body).unwrap_or_default();
        let (snippet, highlights) =
            one_line_snippet(&snippets.snippet(&body), &body, snippet_chars);
        let summary = self.summary(&doc);
        Ok(Hit {
            id: summary.id,
            title: summary.title,
            score,
            published: summary.published,
            source: summary.source,
            snippet,
            highlights,
        })
    }

    fn summary(&self, doc: &TantivyDocument) -> Summary {
        let f = &self.fields;
        Summary {
            id: text(doc, f.id).unwrap_or_default(),
            title: text(doc, f.title).unwrap_or_default(),
            source: text(doc, f.source),
            author: text(doc, f.author),
            published: text(doc, f.published_text).and_then(|p| Published::parse(&p).ok()),
            language: text(doc, f.language).unwrap_or_default(),
            tags: doc
                .get_all(f.tag)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            words: doc.get_first(f.words).and_then(|v| v.as_u64()).unwrap_or(0),
        }
    }
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// A generator whose one fragment is the whole text, so that every match is highlighted.
fn whole_text_generator(
    searcher: &Searcher,
    query: &dyn Query,
    fields: &Fields,
) -> Result<SnippetGenerator, SearchError> {
    let mut terms: BTreeMap<String, f32> = BTreeMap::new();
    query.query_terms(&mut |term, _| {
        if (term.field() == fields.body || term.field() == fields.title)
            && let Some(text) = term.value().as_str()
        {
            terms.insert(text.to_owned(), 1.0);
        }
    });
    let tokenizer = searcher.index().tokenizer_for_field(fields.body)?;
    Ok(SnippetGenerator::new(
        terms,
        tokenizer,
        fields.body,
        usize::MAX / 2,
    ))
}

/// The snippet on one line, with `…` where it cuts the body, and its highlights in scalar offsets.
/// Without a match in the body, the start of the body.
fn one_line_snippet(
    snippet: &Snippet,
    body: &str,
    max_chars: usize,
) -> (String, Vec<Range<usize>>) {
    let (range, highlights) = if snippet.is_empty() {
        let end = body
            .char_indices()
            .nth(max_chars)
            .map_or(body.len(), |(i, _)| i);
        (0..end, Vec::new())
    } else {
        (snippet.fragment_range(), snippet.highlighted().to_vec())
    };
    let fragment = &body[range.clone()];
    let lead = if range.start > 0 { "… " } else { "" };
    let tail = if range.end < body.len() { " …" } else { "" };
    let mut line = String::with_capacity(fragment.len() + 8);
    line.push_str(lead);
    line.extend(fragment.chars().map(|c| if c == '\n' { ' ' } else { c }));
    line.push_str(tail);
    let shift = lead.chars().count();
    let ranges = byte_to_scalar_ranges(fragment, &highlights)
        .into_iter()
        .map(|r| r.start + shift..r.end + shift)
        .collect();
    (line, ranges)
}

/// Byte ranges into `text` (sorted, on char boundaries) as ranges of Unicode scalar values.
pub fn byte_to_scalar_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(ranges.len());
    let (mut byte, mut scalar) = (0usize, 0usize);
    for r in ranges {
        if r.start < byte || r.start > r.end || r.end > text.len() {
            continue;
        }
        scalar += text[byte..r.start].chars().count();
        let start = scalar;
        scalar += text[r.start..r.end].chars().count();
        byte = r.end;
        out.push(start..scalar);
    }
    out
}
