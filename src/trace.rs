//! Tracing a claim across the corpus: the passages of other articles that state what an annotation's
//! quote states, best first, the earliest dated marked as the first report.
//!
//! 1. Candidates come from the index ([`candidates`]): the quote's most distinctive terms, at least a
//!    third of them in an article, at most [`TraceOptions::candidates`] articles by BM25.
//! 2. Each candidate's plain text (the index's stored body, the text annotations anchor to) is split into
//!    sentences ([`sentences`]); windows of one to three consecutive sentences that begin and end on a
//!    sentence holding one of those distinctive terms are scored against the quote ([`similarity`]).
//! 3. The best window of each article is its passage, kept when it scores at least
//!    [`TraceOptions::threshold`] ([`THRESHOLD`] by default), with `start..end` in Unicode scalar values.
//!
//! [`claim_groups`] turns links between annotations into claims made across articles.

mod candidates;
mod groups;
mod positions;
mod sentences;
mod similarity;

use std::collections::HashSet;
use std::ops::Range;

use tantivy::schema::{TantivyDocument, Value};
use tantivy::{DocAddress, Searcher};

pub use groups::{ClaimGroup, Member, claim_groups};
pub use sentences::sentences;
pub use similarity::{Analyzer, Quote, dice, trigrams};

use crate::article::Published;
use crate::index::{ArticleIndex, Fields, IndexError};
use similarity::TermId;

/// The similarity a passage needs to be listed. Chosen from the tests (`tests/trace.rs` and the unit
/// tests here): restatements (verbatim, reordered, a third of the words changed, inside a paragraph)
/// score 0.55 and up; unrelated sentences sharing a few of the quote's words stay under 0.3.
pub const THRESHOLD: f32 = 0.4;

/// The most consecutive sentences a passage spans.
const WINDOW: usize = 3;

/// How a trace is bounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceOptions {
    /// How many passages to return (best first).
    pub limit: usize,
    /// How many candidate articles to read at most.
    pub candidates: usize,
    pub threshold: f32,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            limit: 20,
            candidates: 200,
            threshold: THRESHOLD,
        }
    }
}

/// A passage of another article that states the quote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Passage {
    /// The article id.
    pub article: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<Published>,
    /// The passage: one sentence or a run of up to three, exactly as in the article's plain text.
    pub text: String,
    /// Offsets in Unicode scalar values into the article's plain text.
    pub start: usize,
    pub end: usize,
    /// How closely it says the same, 0..1.
    pub score: f32,
    /// The earliest dated of all passages found (and not later than the quote's own article).
    pub first_report: bool,
}

/// What a trace found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trace {
    /// The best passages, at most the limit, best first.
    pub passages: Vec<Passage>,
    /// How many passages scored above the threshold in all.
    pub total: usize,
    /// The earliest dated passage, when it is earlier than the quote's own article (or that has no
    /// date); it is also in `passages`, marked, when the limit let it in.
    pub first_report: Option<Passage>,
    /// How many candidate articles were read.
    pub read: usize,
}

/// Traces `quote`, made in article `own`, through `index`.
pub fn trace(
    index: &ArticleIndex,
    own: &str,
    quote: &str,
    options: &TraceOptions,
) -> Result<Trace, IndexError> {
    let searcher = index.searcher();
    let run = || trace_in(&searcher, index.fields(), own, quote, options);
    crate::contain::contain(run)
        .map_err(IndexError::Damaged)?
        .map_err(IndexError::from)
}

fn trace_in(
    searcher: &Searcher,
    fields: &Fields,
    own: &str,
    quote: &str,
    options: &TraceOptions,
) -> tantivy::Result<Trace> {
    let mut analyzer = Analyzer::default();
    let ids: Vec<TermId> = {
        let mut ids: Vec<TermId> = analyzer.terms(quote).into_iter().map(|t| t.1).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let texts: Vec<&str> = ids.iter().map(|&id| analyzer.text_of(id)).collect();
    let weighted = candidates::weighted(searcher, fields, &texts)?;
    let idf_of = |text: &str| {
        weighted
            .iter()
            .find(|w| w.text == text)
            .map_or(0.0, |w| w.idf)
    };
    let quote = Quote::new(&mut analyzer, quote, idf_of);
    let distinctive = candidates::distinctive(weighted.clone());
    let seed_terms = candidates::seeds(&distinctive, searcher.num_docs());
    let seeds: HashSet<TermId> = ids
        .iter()
        .copied()
        .filter(|&id| seed_terms.iter().any(|d| d.text == analyzer.text_of(id)))
        .collect();
    let found = candidates::candidates(searcher, fields, &distinctive, own, options.candidates)?;
    let seed_texts: Vec<&str> = seed_terms.iter().map(|t| t.text.as_str()).collect();
    let held = positions::positions(searcher, fields, &seed_texts, &found)?;
    let scoring = Scoring {
        quote: &quote,
        seeds: &seeds,
        threshold: options.threshold,
    };
    let mut passages = Vec::new();
    for (&address, positions) in found.iter().zip(&held) {
        passages.extend(passage_of(
            searcher,
            fields,
            address,
            positions,
            &mut analyzer,
            &scoring,
        )?);
    }
    let own_date = published_of(searcher, fields, own)?;
    Ok(finish(passages, own_date, options.limit, found.len()))
}

/// Sorts, marks the first report and cuts to `limit`.
fn finish(
    mut passages: Vec<Passage>,
    own_date: Option<Published>,
    limit: usize,
    read: usize,
) -> Trace {
    passages.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.article.cmp(&b.article))
    });
    let earliest = passages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.published.map(|d| (d.timestamp(), i)))
        .min()
        .filter(|&(at, _)| own_date.is_none_or(|own| at < own.timestamp()))
        .map(|(_, i)| i);
    if let Some(i) = earliest {
        passages[i].first_report = true;
    }
    let first_report = earliest.map(|i| passages[i].clone());
    let total = passages.len();
    passages.truncate(limit);
    Trace {
        passages,
        total,
        first_report,
        read,
    }
}

/// What a window is scored against.
pub struct Scoring<'a> {
    pub quote: &'a Quote,
    /// The terms a window must begin and end on.
    pub seeds: &'a HashSet<TermId>,
    /// The least similarity worth returning.
    pub threshold: f32,
}

/// The best passage of one candidate article, when it reaches the threshold; `positions` are where the
/// seed terms stand in its body, as the index has them.
fn passage_of(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
    positions: &[u32],
    analyzer: &mut Analyzer,
    scoring: &Scoring<'_>,
) -> tantivy::Result<Option<Passage>> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let body = text(fields.body).unwrap_or_default();
    let Some((range, score)) = best_window_at(&body, positions, analyzer, scoring) else {
        return Ok(None);
    };
    let start = body[..range.start].chars().count();
    let passage = &body[range];
    Ok(Some(Passage {
        article: text(fields.id).unwrap_or_default(),
        title: text(fields.title).unwrap_or_default(),
        source: text(fields.source),
        published: text(fields.published_text).and_then(|p| Published::parse(&p).ok()),
        start,
        end: start + passage.chars().count(),
        text: passage.to_owned(),
        score,
        first_report: false,
    }))
}

/// The window of `body` most like the quote, as a byte range, with its similarity, when that reaches the
/// threshold. Windows whose terms alone cannot reach it (or beat the best so far) are not compared by
/// their trigrams.
pub fn best_window(
    body: &str,
    analyzer: &mut Analyzer,
    scoring: &Scoring<'_>,
) -> Option<(Range<usize>, f32)> {
    best_in_paragraphs(body, paragraphs(body), analyzer, scoring).0
}

/// [`best_window`], reading only what `positions`, the token positions of the seed terms in `body` as
/// the index has them ([`positions`]), say can matter: the paragraphs that hold a seed term (no window
/// elsewhere begins on one), and in them the sentences that hold one or lie between two such sentences
/// close enough to share a window ([`best_in_sentences`]). Should the index not match the text (a position
/// past its end, or a sentence said to hold a seed term that does not), every paragraph is read instead.
fn best_window_at(
    body: &str,
    positions: &[u32],
    analyzer: &mut Analyzer,
    scoring: &Scoring<'_>,
) -> Option<(Range<usize>, f32)> {
    let Some(held) = positions::paragraphs_at(body, paragraphs(body), positions) else {
        return best_window(body, analyzer, scoring);
    };
    let mut best = None;
    for paragraph in held {
        let sentences = sentences_of(body, &paragraph.bytes);
        let read = if cut_between_tokens(body, &sentences) {
            best_in_sentences(
                body, &sentences, &paragraph, positions, analyzer, scoring, &mut best,
            )
        } else {
            let (found, held) = best_in_paragraphs(body, [paragraph.bytes], analyzer, scoring);
            if let Some(found) = found.filter(|f| best.as_ref().is_none_or(|b| f.1 > b.1)) {
                best = Some(found);
            }
            held
        };
        if !read {
            return best_window(body, analyzer, scoring);
        }
    }
    best
}

/// The sentences of `body` within `paragraph`, as byte ranges of `body`.
fn sentences_of(body: &str, paragraph: &Range<usize>) -> Vec<Range<usize>> {
    sentences(&body[paragraph.clone()])
        .into_iter()
        .map(|r| r.start + paragraph.start..r.end + paragraph.start)
        .collect()
}

/// Whether every cut between two of `sentences` falls between tokens, so that each sentence read alone
/// gives the tokens the whole text has there. UAX #29 ends sentences at stops and line breaks, which no
/// token holds, but an over-long run of text is cut where it must ([`sentences`]), which may be inside one.
fn cut_between_tokens(body: &str, sentences: &[Range<usize>]) -> bool {
    let in_token = |c: char| c.is_alphanumeric() || crate::index::tokenizer::is_cjk(c);
    sentences.windows(2).all(|pair| {
        let (end, start) = (pair[0].end, pair[1].start);
        let before = body[..end].chars().next_back();
        let after = body[start..].chars().next();
        end < start || !(before.is_some_and(in_token) && after.is_some_and(in_token))
    })
}

/// Scores the windows of one paragraph, `held`, whose `sentences` are cut between tokens: which sentences
/// hold a seed term is told by `positions` (each sentence's tokens counted), and only the sentences that
/// a window beginning and ending on such sentences spans are analysed. False when the analysis finds no
/// seed term where the positions said one is, or the sentences' tokens do not add up to the paragraph's.
fn best_in_sentences(
    body: &str,
    sentences: &[Range<usize>],
    held: &positions::Held,
    positions: &[u32],
    analyzer: &mut Analyzer,
    scoring: &Scoring<'_>,
    best: &mut Option<(Range<usize>, f32)>,
) -> bool {
    let mut at = held.tokens.start;
    let hit: Vec<bool> = sentences
        .iter()
        .map(|s| {
            let from = at;
            at += crate::index::tokenizer::count_tokens(&body[s.clone()]);
            positions::any_in(positions, from..at)
        })
        .collect();
    if at != held.tokens.end {
        return false;
    }
    let mut needed = vec![false; sentences.len()];
    for first in (0..sentences.len()).filter(|&i| hit[i]) {
        for last in first..(first + WINDOW).min(sentences.len()) {
            if hit[last] {
                needed[first..=last].iter_mut().for_each(|n| *n = true);
            }
        }
    }
    let mut per_sentence = vec![Vec::new(); sentences.len()];
    for (i, sentence) in sentences.iter().enumerate().filter(|(i, _)| needed[*i]) {
        let mut ids: Vec<TermId> = analyzer
            .terms(&body[sentence.clone()])
            .into_iter()
            .map(|t| t.1)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if hit[i] && !ids.iter().any(|t| scoring.seeds.contains(t)) {
            return false;
        }
        per_sentence[i] = ids;
    }
    score_windows(body, sentences, &per_sentence, &hit, scoring, best);
    true
}

/// The best window of `body` within `paragraphs` (byte ranges of `body`), and whether every one of them
/// held a seed term.
fn best_in_paragraphs(
    body: &str,
    paragraphs: impl IntoIterator<Item = Range<usize>>,
    analyzer: &mut Analyzer,
    scoring: &Scoring<'_>,
) -> (Option<(Range<usize>, f32)>, bool) {
    let (mut best, mut all_held) = (None, true);
    // Only paragraphs holding a seed term are split into sentences: windows stay inside a paragraph. No
    // token crosses a paragraph break, so a paragraph's terms are those of the whole text there.
    for paragraph in paragraphs {
        let terms: Vec<(usize, TermId)> = analyzer
            .terms(&body[paragraph.clone()])
            .into_iter()
            .map(|(at, id)| (at + paragraph.start, id))
            .collect();
        if !terms.iter().any(|t| scoring.seeds.contains(&t.1)) {
            all_held = false;
            continue;
        }
        let sentences: Vec<Range<usize>> = sentences(&body[paragraph.clone()])
            .into_iter()
            .map(|r| r.start + paragraph.start..r.end + paragraph.start)
            .collect();
        best_in(body, &sentences, &terms, scoring, &mut best);
    }
    (best, all_held)
}

/// The byte ranges of the paragraphs of `text` (split at blank lines).
fn paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.match_indices("\n\n")
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            let range = start..end;
            start = (end + 2).min(text.len());
            range
        })
}

/// Scores the windows of one paragraph's `sentences` (whose terms are `terms`), keeping the best.
fn best_in(
    body: &str,
    sentences: &[Range<usize>],
    terms: &[(usize, TermId)],
    scoring: &Scoring<'_>,
    best: &mut Option<(Range<usize>, f32)>,
) {
    let per_sentence = terms_by_sentence(sentences, terms);
    let hit: Vec<bool> = per_sentence
        .iter()
        .map(|ts| ts.iter().any(|t| scoring.seeds.contains(t)))
        .collect();
    score_windows(body, sentences, &per_sentence, &hit, scoring, best);
}

/// Scores the windows of one paragraph's `sentences` that begin and end on a sentence `hit` (holding a
/// seed term), each sentence's distinct terms being `per_sentence`, keeping the best.
fn score_windows(
    body: &str,
    sentences: &[Range<usize>],
    per_sentence: &[Vec<TermId>],
    hit: &[bool],
    scoring: &Scoring<'_>,
    best: &mut Option<(Range<usize>, f32)>,
) {
    let quote = scoring.quote;
    let least = Quote::least_term_score(scoring.threshold);
    for first in (0..sentences.len()).filter(|&i| hit[i]) {
        for last in first..(first + WINDOW).min(sentences.len()) {
            if !hit[last] {
                continue;
            }
            let mut window: Vec<TermId> = per_sentence[first..=last].concat();
            window.sort_unstable();
            window.dedup();
            let f = quote.term_score(&window);
            let floor = best.as_ref().map_or(0.0, |b| b.1);
            if f == 0.0 || f < least || Quote::bound(f) <= floor {
                continue;
            }
            let range = sentences[first].start..sentences[last].end;
            let score = quote.similarity(&window, &body[range.clone()]);
            if score > floor && score >= scoring.threshold {
                *best = Some((range, score));
            }
        }
    }
}

/// The distinct terms of each sentence, from the terms of the whole text (by where each starts).
fn terms_by_sentence(sentences: &[Range<usize>], terms: &[(usize, TermId)]) -> Vec<Vec<TermId>> {
    let mut out = vec![Vec::new(); sentences.len()];
    let mut at = 0;
    for &(offset, id) in terms {
        while at < sentences.len() && sentences[at].end <= offset {
            at += 1;
        }
        if at == sentences.len() {
            break;
        }
        if sentences[at].start <= offset {
            out[at].push(id);
        }
    }
    for ids in &mut out {
        ids.sort_unstable();
        ids.dedup();
    }
    out
}

/// The date of article `id` in the index.
fn published_of(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> tantivy::Result<Option<Published>> {
    let term = tantivy::Term::from_field_text(fields.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = tantivy::collector::TopDocs::with_limit(1).order_by_score();
    let Some((_, address)) = searcher.search(&query, &top)?.into_iter().next() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(doc
        .get_first(fields.published_text)
        .and_then(|v| v.as_str())
        .and_then(|p| Published::parse(p).ok()))
}

#[cfg(test)]
mod tests;
