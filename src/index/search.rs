//! Answering queries: BM25 ranking with a title boost, snippets that mark the matched words, and the
//! article list read back from the index.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser};
use tantivy::schema::{Field, TantivyDocument, Value};
use tantivy::{Index, Searcher, Term};

use super::counted::{self, Counted};
use super::query::{self, QueryError};
use super::term_finder::Highlighter;
use super::whole_terms::{cjk_runs, whole};
use super::{ArticleIndex, Fields, IndexError};
use crate::annotation::Annotation;
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
    /// The article's annotations that the query matched (by quote, note or tag).
    pub claims: Vec<ClaimHit>,
}

/// An annotation that a query matched.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ClaimHit {
    /// The annotation id.
    pub id: String,
    pub tags: Vec<String>,
    pub quote: String,
    pub note: Option<String>,
    /// Matched words in `quote` and in `note`, as ranges of Unicode scalar values (`[start, end]` pairs
    /// in JSON, like a hit's `highlights`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "pairs"
    )]
    pub quote_highlights: Vec<Range<usize>>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "pairs"
    )]
    pub note_highlights: Vec<Range<usize>>,
}

fn pairs<S: serde::Serializer>(ranges: &[Range<usize>], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(ranges.iter().map(|r| [r.start, r.end]))
}

impl ClaimHit {
    /// The stored form of an annotation in the index.
    pub(super) fn stored(claim: &Annotation) -> String {
        let stored = ClaimHit {
            id: claim.id.to_string(),
            tags: claim.tags.clone(),
            quote: claim.quote.clone(),
            note: claim.note.clone(),
            ..ClaimHit::default()
        };
        serde_json::to_string(&stored).expect("a claim serialises")
    }
}

/// The hits of one query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// How many articles match in all.
    pub total: usize,
    /// The best of them, best first.
    pub hits: Vec<Hit>,
    /// What was ignored in reading the query (an unclosed quote closed, a stray `AND` dropped), one
    /// line each, for the user to see beside the results.
    pub notices: Vec<String>,
}

/// Which hits of a query [`ArticleIndex::search_page`] returns, and in what order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Hits to pass over first (the pages already shown).
    pub offset: usize,
    pub limit: usize,
    /// Newest first (articles without a date last) rather than best first.
    pub newest_first: bool,
}

/// The query parser: terms ANDed, over title (boosted), body, tags and annotation notes.
pub(super) fn query_parser(index: &Index, fields: &Fields) -> QueryParser {
    let defaults = vec![fields.title, fields.body, fields.tag, fields.note];
    let mut parser = QueryParser::for_index(index, defaults);
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
        let page = Page {
            offset: 0,
            limit,
            newest_first: false,
        };
        self.search_page(query, page, snippet_chars)
    }

    /// Like [`search`](Self::search), for one page of the hits, best or newest first.
    pub fn search_page(
        &self,
        query: &str,
        page: Page,
        snippet_chars: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = query::parse(&self.query_parser, query)?;
        // Chinese words that only straddle two words in a text do not make it a hit.
        let narrowed = super::segment::restrict(
            parsed.query,
            query,
            self.fields.cjk_words,
            &self.query_parser,
        );
        query::cost::check(
            &*narrowed,
            &self.reader.searcher(),
            query::cost::MAX_READ_BYTES,
        )?;
        let runs = cjk_runs(query);
        let mut results =
            crate::contain::contain(|| self.run_page(&*narrowed, &runs, page, snippet_chars))
                .map_err(|panic| SearchError::Index(IndexError::Damaged(panic)))??;
        results.notices = parsed.notices;
        tracing::debug!(query = ?query, total = results.total, offset = page.offset, "searched");
        Ok(results)
    }

    fn run_page(
        &self,
        parsed: &dyn Query,
        runs: &[String],
        page: Page,
        snippet_chars: usize,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(page.limit.max(1)).and_offset(page.offset);
        let (total, top): (usize, Vec<(f32, tantivy::DocAddress)>) = if page.newest_first {
            let field = self
                .index
                .schema()
                .get_field_name(self.fields.published)
                .to_owned();
            let by_date = top.order_by_fast_field::<tantivy::DateTime>(field, tantivy::Order::Desc);
            // Ordering by date visits every match, which counts them on the way.
            let (total, top) = searcher.search(parsed, &(Count, by_date))?;
            (total, top.into_iter().map(|(_, at)| (0.0, at)).collect())
        } else if counted::ranking_visits_every_match(parsed) {
            let counted = Counted::new(parsed.box_clone());
            let top = searcher.search(&counted, &top.order_by_score())?;
            (counted.matches(), top)
        } else {
            // Counted and ranked in two passes: collected together, every match would be scored; apart,
            // the count scores nothing and the ranking skips the blocks that cannot reach the best hits.
            let total = searcher.search(parsed, &Count)?;
            (total, searcher.search(parsed, &top.order_by_score())?)
        };
        let snippets =
            body_highlighter(&searcher, parsed, self.fields.body, snippet_chars.max(20))?;
        let matcher = ClaimMatcher::new(parsed, &self.fields, runs);
        let hits = top
            .into_iter()
            .map(|(score, address): (f32, _)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let mut hit = self.hit(&doc, score, &snippets, runs, snippet_chars);
                hit.claims = matcher.matching(&doc, self.fields.claim);
                Ok::<_, SearchError>(hit)
            })
            .collect::<Result<_, _>>()?;
        Ok(SearchResults {
            total,
            hits,
            notices: Vec::new(),
        })
    }

    /// Where `query`'s terms match in `text` (an article's plain text), as ranges of Unicode scalar values.
    pub fn match_ranges(&self, query: &str, text: &str) -> Result<Vec<Range<usize>>, SearchError> {
        let parsed = query::parse(&self.query_parser, query)?;
        let generator =
            whole_text_generator(&*parsed.query, &[self.fields.body, self.fields.title]);
        Ok(every_match(&generator, text, &cjk_runs(query)))
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        snippets: &Highlighter,
        runs: &[String],
        snippet_chars: usize,
    ) -> Hit {
        let f = &self.fields;
        let body = text(doc, f.body).unwrap_or_default();
        let snippet = windowed_snippet(snippets, &body)
            .map(|(range, marks)| (range.clone(), whole(&body[range], marks, runs)));
        let (snippet, highlights) = one_line_snippet(snippet, &body, snippet_chars);
        Hit {
            id: text(doc, f.id).unwrap_or_default(),
            title: text(doc, f.title).unwrap_or_default(),
            score,
            published: text(doc, f.published_text).and_then(|p| Published::parse(&p).ok()),
            source: text(doc, f.source),
            snippet,
            highlights,
            claims: Vec::new(),
        }
    }
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// What tantivy's `SnippetGenerator::create` finds for `field` (each term of `query` in it that some
/// article holds, weighted by its rarity), in fragments of `max_chars`.
fn body_highlighter(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> Result<Highlighter, SearchError> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            weights.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as f32));
        }
    }
    Ok(Highlighter::new(weights, max_chars))
}

/// A generator whose one fragment is the whole text, so that every match of a term of `query` in one of
/// `fields` (all analysed like the body, the first of them) is highlighted.
fn whole_text_generator(query: &dyn Query, fields: &[Field]) -> Highlighter {
    Highlighter::new(query_words(query, fields), usize::MAX / 2)
}

/// The words of `query`'s terms in `fields`.
fn query_words(query: &dyn Query, fields: &[Field]) -> BTreeMap<String, f32> {
    let mut terms: BTreeMap<String, f32> = BTreeMap::new();
    query.query_terms(&mut |term, _| {
        if fields.contains(&term.field())
            && let Some(text) = term.value().as_str()
        {
            terms.insert(text.to_owned(), 1.0);
        }
    });
    terms
}

/// Finds which of a hit's annotations a query matched.
struct ClaimMatcher {
    words: Highlighter,
    tags: Vec<String>,
    runs: Vec<String>,
}

impl ClaimMatcher {
    fn new(query: &dyn Query, fields: &Fields, runs: &[String]) -> ClaimMatcher {
        let text_fields = [fields.body, fields.title, fields.note, fields.quote];
        let words = whole_text_generator(query, &text_fields);
        let tags = query_words(query, &[fields.tag]).into_keys().collect();
        ClaimMatcher {
            words,
            tags,
            runs: runs.to_vec(),
        }
    }

    fn matching(&self, doc: &TantivyDocument, field: Field) -> Vec<ClaimHit> {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .filter_map(|json| serde_json::from_str::<ClaimHit>(json).ok())
            .filter_map(|mut claim| {
                claim.quote_highlights = self.highlights(&claim.quote);
                claim.note_highlights = claim
                    .note
                    .as_deref()
                    .map(|n| self.highlights(n))
                    .unwrap_or_default();
                let tagged = claim.tags.iter().any(|t| self.tags.contains(t));
                let matched = tagged
                    || !claim.quote_highlights.is_empty()
                    || !claim.note_highlights.is_empty();
                matched.then_some(claim)
            })
            .collect()
    }

    fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        every_match(&self.words, text, &self.runs)
    }
}

/// Every match of a [`whole_text_generator`]'s words in `text`, as ranges of Unicode scalar values,
/// the query's CJK runs (`runs`) marked whole.
fn every_match(generator: &Highlighter, text: &str, runs: &[String]) -> Vec<Range<usize>> {
    let ranges: Vec<_> = generator
        .best(text)
        .map(|(range, marks)| {
            marks
                .into_iter()
                .map(|r| r.start + range.start..r.end + range.start)
                .collect()
        })
        .unwrap_or_default();
    byte_to_scalar_ranges(text, &whole(text, ranges, runs))
}

/// A body is searched for its snippet in windows of about this many bytes, first to last, and the first
/// window with a match gives the snippet. tantivy tokenises all the text it is given, so a whole 1 MiB
/// body cost tens of milliseconds per hit; now a long article whose words match early costs what a
/// short one does.
const SNIPPET_WINDOW: usize = 4 << 10;

/// The best fragment of the first window of `body` with a match: its byte range in `body` and its
/// highlights (byte ranges into the fragment). `None` when nothing in the body matches.
fn windowed_snippet(
    generator: &Highlighter,
    body: &str,
) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    let mut start = 0;
    while start < body.len() {
        let end = window_end(body, start);
        if let Some((range, marks)) = generator.best(&body[start..end]) {
            return Some((range.start + start..range.end + start, marks));
        }
        start = end;
    }
    None
}

/// Where the window from `start` ends: [`SNIPPET_WINDOW`] bytes on, moved to the next whitespace within
/// 64 bytes (else the next character boundary), so that a word is not cut.
fn window_end(body: &str, start: usize) -> usize {
    let mut end = start + SNIPPET_WINDOW;
    if end >= body.len() {
        return body.len();
    }
    while !body.is_char_boundary(end) {
        end += 1;
    }
    let ahead = &body.as_bytes()[end..body.len().min(end + 64)];
    end + ahead
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(0)
}

/// The snippet on one line, with `…` where it cuts the body, and its highlights in scalar offsets.
/// Without a match in the body, the start of the body.
fn one_line_snippet(
    snippet: Option<(Range<usize>, Vec<Range<usize>>)>,
    body: &str,
    max_chars: usize,
) -> (String, Vec<Range<usize>>) {
    let (range, highlights) = snippet.unwrap_or_else(|| {
        let end = body
            .char_indices()
            .nth(max_chars)
            .map_or(body.len(), |(i, _)| i);
        (0..end, Vec::new())
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;
    use crate::index::SyncOptions;

    fn index_of(body: &str) -> (tempfile::TempDir, ArticleIndex) {
        let content = tempfile::tempdir().unwrap();
        std::fs::write(
            content.path().join("long.md"),
            format!("+++\ntitle = \"Long\"\n+++\n\n{body}\n"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = ArticleIndex::open(&dir.path().join("index")).unwrap();
        let scan = content::scan(content.path()).unwrap();
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        (dir, index)
    }

    #[test]
    fn a_match_far_into_a_long_body_gets_its_snippet_and_highlight() {
        let filler = "plain words about nothing in particular. ".repeat(2_000);
        let (_dir, index) = index_of(&format!("{filler}The copper mine closed.\n\n{filler}"));
        let hit = &index.search("copper", 10, 80).unwrap().hits[0];
        assert!(hit.snippet.contains("copper mine"), "{}", hit.snippet);
        let [range] = hit.highlights.as_slice() else {
            panic!("one highlight: {hit:?}")
        };
        let word: String = hit
            .snippet
            .chars()
            .skip(range.start)
            .take(range.len())
            .collect();
        assert_eq!(word, "copper");
    }

    #[test]
    fn match_ranges_mark_a_cjk_term_whole() {
        let (_dir, index) = index_of("东京都的出口管制。");
        let text = "出口增长，出口管制收紧；東京都と京都。";
        let chars: Vec<char> = text.chars().collect();
        let marked = |query| -> Vec<String> {
            let ranges = index.match_ranges(query, text).unwrap();
            ranges
                .iter()
                .map(|r| chars[r.clone()].iter().collect())
                .collect()
        };
        assert_eq!(marked("出口管制"), ["出口管制"]);
        assert_eq!(marked("東京都"), ["東京都"]);
    }

    #[test]
    fn windows_end_on_whitespace_or_a_char_boundary() {
        let ascii = format!("{} tail", "a".repeat(SNIPPET_WINDOW));
        assert_eq!(window_end(&ascii, 0), SNIPPET_WINDOW);
        let cjk = "芯片".repeat(SNIPPET_WINDOW);
        let end = window_end(&cjk, 0);
        assert!(cjk.is_char_boundary(end) && (SNIPPET_WINDOW..SNIPPET_WINDOW + 3).contains(&end));
        assert_eq!(window_end("short", 0), 5);
    }

    #[test]
    fn a_body_without_a_match_gives_its_start() {
        let (_dir, index) = index_of("Nothing here mentions it.");
        let hit = &index.search("long", 10, 80).unwrap().hits[0];
        assert_eq!(hit.snippet, "Nothing here mentions it.");
        assert!(hit.highlights.is_empty());
    }
}
