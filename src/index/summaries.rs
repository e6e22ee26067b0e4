//! The article list, read from the index's fast columns (never from stored bodies), so that listing
//! 100,000 articles stays quick.

use tantivy::columnar::StrColumn;
use tantivy::{DateTime, DocId, SegmentReader};

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
            let columns = Columns::open(segment, &self.fields, Read::Whole)?;
            for doc in segment.doc_ids_alive() {
                all.push(columns.summary(doc).map_err(tantivy::TantivyError::from)?);
            }
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }

    /// The articles that open the list in its first order (newest first, undated last, ties by id), read
    /// article by article rather than column by column: at least the `n` newest, and every article
    /// dated as the `n`-th, so that ties broken by id come out as in the whole list, in no order; and
    /// how many articles there are in all. `None` when there are no more than `n` articles (the whole
    /// list costs no more), or when ties at the `n`-th date would make them more than `4 * n`.
    pub fn newest(&self, n: usize) -> Result<Option<(Vec<Summary>, usize)>, IndexError> {
        let searcher = self.reader.searcher();
        let field = self
            .index
            .schema()
            .get_field_name(self.fields.published)
            .to_owned();
        // Each article's date (undated ones sort below every date), segment and document.
        let mut dated: Vec<(Option<i64>, usize, DocId)> =
            Vec::with_capacity(searcher.num_docs() as usize);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let dates = segment.fast_fields().column_opt::<DateTime>(&field)?;
            for doc in segment.doc_ids_alive() {
                let date = dates.as_ref().and_then(|d| d.first(doc));
                dated.push((date.map(DateTime::into_timestamp_secs), ord, doc));
            }
        }
        let total = dated.len();
        if n == 0 || total <= n {
            return Ok(None);
        }
        let (nth, _, _) = *dated.select_nth_unstable_by(n - 1, |a, b| b.0.cmp(&a.0)).1;
        dated.retain(|(date, ..)| *date >= nth);
        if dated.len() > 4 * n {
            return Ok(None);
        }
        dated.sort_unstable_by_key(|&(_, ord, doc)| (ord, doc));
        let mut newest = Vec::with_capacity(dated.len());
        let segments = searcher.segment_readers();
        for run in dated.chunk_by(|a, b| a.1 == b.1) {
            let columns = Columns::open(&segments[run[0].1], &self.fields, Read::ByDoc)?;
            for &(_, _, doc) in run {
                newest.push(columns.summary(doc).map_err(tantivy::TantivyError::from)?);
            }
        }
        Ok(Some((newest, total)))
    }
}

/// How a segment's string columns are read: every term once, for a list of every article; or each
/// value looked up in the column's dictionary, for a few.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    Whole,
    ByDoc,
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
    fn open(segment: &SegmentReader, f: &Fields, read: Read) -> tantivy::Result<Columns> {
        let fast = segment.fast_fields();
        let schema = segment.schema();
        let str_col = |field| -> tantivy::Result<Terms> {
            let column = fast.str(schema.get_field_name(field))?;
            let terms = match &column {
                Some(column) if read == Read::Whole => Some(super::state::terms(column)?),
                _ => None,
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

/// A string column and, when it is read whole, its terms by ordinal.
struct Terms {
    column: Option<StrColumn>,
    terms: Option<Vec<String>>,
}

fn first(column: &Terms, doc: DocId) -> std::io::Result<Option<String>> {
    Ok(all(column, doc)?.into_iter().next())
}

/// Every value of `doc` in a string column, in column (sorted) order.
fn all(column: &Terms, doc: DocId) -> std::io::Result<Vec<String>> {
    let Some(ords) = &column.column else {
        return Ok(Vec::new());
    };
    match &column.terms {
        Some(terms) => Ok(ords
            .term_ords(doc)
            .filter_map(|ord| terms.get(ord as usize).cloned())
            .collect()),
        None => {
            let mut values = Vec::new();
            for ord in ords.term_ords(doc) {
                let mut value = String::new();
                if ords.ord_to_str(ord, &mut value)? {
                    values.push(value);
                }
            }
            Ok(values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;
    use crate::index::SyncOptions;
    use crate::reading::SortKey;

    /// `count` articles from `first` on, in pairs at the same time (ties), every seventh undated.
    fn write(dir: &std::path::Path, first: usize, count: usize, undated: usize) {
        for i in first..first + count {
            let (day, hour) = (1 + i / 10 % 28, i % 5);
            let published = match i % undated {
                0 => String::new(),
                _ => format!("published = 2024-03-{day:02}T{hour:02}:00:00Z\n"),
            };
            std::fs::write(
                dir.join(format!("a{i:03}.md")),
                format!("+++\ntitle = \"Article {i}\"\n{published}+++\n\nText {i}.\n"),
            )
            .unwrap();
        }
    }

    fn ids(summaries: &[Summary]) -> Vec<&str> {
        summaries.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn the_newest_are_the_whole_lists_first_rows_ties_and_undated_included() {
        let content = tempfile::tempdir().unwrap();
        let index = ArticleIndex::in_ram();
        let sync = |index: &ArticleIndex| {
            let scan = content::scan(content.path()).unwrap();
            index
                .sync(&scan, &SyncOptions::default(), &|_, _| {})
                .unwrap();
        };
        // Three commits, so three segments, and a removed article that a segment still holds.
        for part in 0..3 {
            write(content.path(), part * 70, 70, 7);
            sync(&index);
        }
        std::fs::remove_file(content.path().join("a100.md")).unwrap();
        sync(&index);
        let mut whole = index.summaries().unwrap();
        crate::reading::sort(&mut whole, SortKey::Date);
        assert_eq!(whole.len(), 209);
        for n in [1, 2, 5, 9, 10, 40, 120, 178, 179, 180, 200, 208] {
            let (mut newest, total) = index.newest(n).unwrap().expect("the first rows");
            assert_eq!(total, 209);
            assert!(
                newest.len() >= n && newest.len() <= 4 * n,
                "{n}: {}",
                newest.len()
            );
            crate::reading::sort(&mut newest, SortKey::Date);
            newest.truncate(n);
            assert_eq!(ids(&newest), ids(&whole[..n]), "the first {n}");
            assert_eq!(newest, whole[..n], "read by document as by column");
        }
        assert!(whole[178].published.is_some() && whole[179].published.is_none());
        // No more than asked for: the whole list is as quick.
        assert!(index.newest(209).unwrap().is_none());
        assert!(index.newest(0).unwrap().is_none());
    }

    #[test]
    fn first_rows_that_ties_leave_open_are_left_to_the_whole_list() {
        let content = tempfile::tempdir().unwrap();
        write(content.path(), 0, 30, 1);
        let index = ArticleIndex::in_ram();
        let scan = content::scan(content.path()).unwrap();
        index
            .sync(&scan, &SyncOptions::default(), &|_, _| {})
            .unwrap();
        // Thirty undated articles: the first two are told only by id, among all thirty.
        assert!(index.newest(2).unwrap().is_none());
        let (newest, total) = index.newest(8).unwrap().expect("within four times as many");
        assert_eq!((newest.len(), total), (30, 30));
    }
}
