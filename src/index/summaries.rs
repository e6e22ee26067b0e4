//! The article list, read from the index's fast columns (never from stored bodies), so that listing
//! 100,000 articles stays quick.

use tantivy::columnar::StrColumn;
use tantivy::{DocId, SegmentReader};

use super::{ArticleIndex, Fields, IndexError};
use crate::article::Published;

/// An article as the index lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub published: Option<Published>,
    pub language: String,
    /// Article-level tags, sorted.
    pub tags: Vec<String>,
    pub words: u64,
    /// How many annotations the article has.
    pub claims: u64,
    /// The tags of its annotations, sorted, each once.
    pub claim_tags: Vec<String>,
    /// The article is only the text its feed gave; its page is still to be fetched.
    pub summary_only: bool,
}

impl ArticleIndex {
    /// Every article in the index, in id order.
    pub fn summaries(&self) -> Result<Vec<Summary>, IndexError> {
        let searcher = self.reader.searcher();
        let mut all = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let columns = Columns::open(segment, &self.fields)?;
            for doc in segment.doc_ids_alive() {
                all.push(columns.summary(doc).map_err(tantivy::TantivyError::from)?);
            }
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }
}

/// The columns of one segment, with their terms read once.
struct Columns {
    id: Terms,
    title: Terms,
    source: Terms,
    author: Terms,
    published: Terms,
    language: Terms,
    tags: Terms,
    claim_tags: Terms,
    words: tantivy::columnar::Column<u64>,
    claims: tantivy::columnar::Column<u64>,
    summary_only: tantivy::columnar::Column<u64>,
}

impl Columns {
    fn open(segment: &SegmentReader, f: &Fields) -> tantivy::Result<Columns> {
        let fast = segment.fast_fields();
        let schema = segment.schema();
        let str_col = |field| -> tantivy::Result<Terms> {
            let column = fast.str(schema.get_field_name(field))?;
            let terms = match &column {
                Some(column) => super::state::terms(column)?,
                None => Vec::new(),
            };
            Ok(Terms { column, terms })
        };
        Ok(Columns {
            id: str_col(f.id)?,
            title: str_col(f.title)?,
            source: str_col(f.source)?,
            author: str_col(f.author)?,
            published: str_col(f.published_text)?,
            language: str_col(f.language)?,
            tags: str_col(f.article_tag)?,
            claim_tags: str_col(f.claim_tag)?,
            words: fast.u64(schema.get_field_name(f.words))?,
            claims: fast.u64(schema.get_field_name(f.claims))?,
            summary_only: fast.u64(schema.get_field_name(f.summary_only))?,
        })
    }

    fn summary(&self, doc: DocId) -> std::io::Result<Summary> {
        let mut claim_tags = all(&self.claim_tags, doc)?;
        claim_tags.dedup();
        Ok(Summary {
            id: first(&self.id, doc)?.unwrap_or_default(),
            title: first(&self.title, doc)?.unwrap_or_default(),
            source: first(&self.source, doc)?,
            author: first(&self.author, doc)?,
            published: first(&self.published, doc)?.and_then(|p| Published::parse(&p).ok()),
            language: first(&self.language, doc)?.unwrap_or_default(),
            tags: all(&self.tags, doc)?,
            words: self.words.first(doc).unwrap_or(0),
            claims: self.claims.first(doc).unwrap_or(0),
            claim_tags,
            summary_only: self.summary_only.first(doc).unwrap_or(0) == 1,
        })
    }
}

/// A string column and its terms by ordinal.
struct Terms {
    column: Option<StrColumn>,
    terms: Vec<String>,
}

fn first(column: &Terms, doc: DocId) -> std::io::Result<Option<String>> {
    Ok(all(column, doc)?.into_iter().next())
}

/// Every value of `doc` in a string column, in column (sorted) order.
fn all(column: &Terms, doc: DocId) -> std::io::Result<Vec<String>> {
    let Some(ords) = &column.column else {
        return Ok(Vec::new());
    };
    Ok(ords
        .term_ords(doc)
        .filter_map(|ord| column.terms.get(ord as usize).cloned())
        .collect())
}
