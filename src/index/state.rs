//! What the index knows about each article file (size, modification time, fingerprint), read from fast
//! fields so that comparing it with the content dir touches no stored document.

use std::collections::HashMap;
use std::path::Path;

use tantivy::Searcher;

use super::Fields;

/// The file an indexed article came from, as it was when indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub mtime_ns: i64,
    pub fingerprint: u64,
    /// The size and modification time of the article's annotation store file (0, 0 when none).
    pub notes: (u64, i64),
}

/// Every indexed article's file state, by id.
pub fn read(searcher: &Searcher, fields: &Fields) -> tantivy::Result<HashMap<String, FileState>> {
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field);
    let mut states = HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(ids) = fast.str(name(fields.id))? else {
            continue;
        };
        let sizes = fast.u64(name(fields.size))?;
        let mtimes = fast.i64(name(fields.mtime))?;
        let fingerprints = fast.u64(name(fields.fingerprint))?;
        let notes_sizes = fast.u64(name(fields.notes_size))?;
        let notes_mtimes = fast.i64(name(fields.notes_mtime))?;
        let id_of = terms(&ids)?;
        for doc in segment.doc_ids_alive() {
            let Some(id) = ids
                .term_ords(doc)
                .next()
                .and_then(|ord| id_of.get(ord as usize))
            else {
                continue;
            };
            let state = FileState {
                size: sizes.first(doc).unwrap_or_default(),
                mtime_ns: mtimes.first(doc).unwrap_or_default(),
                fingerprint: fingerprints.first(doc).unwrap_or_default(),
                notes: (
                    notes_sizes.first(doc).unwrap_or_default(),
                    notes_mtimes.first(doc).unwrap_or_default(),
                ),
            };
            states.insert(id.clone(), state);
        }
    }
    Ok(states)
}

/// Opens every segment's file-state columns without reading their values: what opening an index checks,
/// so that a damaged column shows when the index is opened, not in the middle of a search. Reading every
/// value (what [`read`] does) costs a pass over 100,000 ids and adds nothing a read of the headers misses:
/// tantivy checks each file's footer when it opens a segment, and the values are memory-mapped bytes.
pub fn check(searcher: &Searcher, fields: &Fields) -> tantivy::Result<()> {
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        if segment.max_doc() > 0 && fast.str(name(fields.id))?.is_none() {
            return Err(tantivy::TantivyError::InternalError(format!(
                "segment {} has no id column",
                segment.segment_id().uuid_string()
            )));
        }
        for field in [fields.size, fields.fingerprint, fields.notes_size] {
            fast.u64(name(field))?;
        }
        for field in [fields.mtime, fields.notes_mtime] {
            fast.i64(name(field))?;
        }
    }
    Ok(())
}

/// The fingerprint of a file's bytes.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let hash = blake3::hash(bytes);
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// Annotation store files: each article id with its store file's size and modification time, by id.
pub type NoteFiles = Vec<(String, (u64, i64))>;

/// The annotation store files under `dir` (`<article id>.toml`): each article id with its file's size and
/// modification time, sorted by id, so that a plan walks them beside the sorted scan instead of looking
/// each of 100,000 articles up in a map.
pub fn annotation_files(dir: Option<&Path>) -> NoteFiles {
    let Some(dir) = dir.filter(|d| d.is_dir()) else {
        return NoteFiles::new();
    };
    // The store's own warnings name its bad files; here they only have no stamp.
    let (files, _) = crate::content::files_named(dir, "toml");
    files
        .into_iter()
        .map(|file| (file.id, (file.size, file.mtime_ns)))
        .collect()
}

/// Every term of a string column, by ordinal: one pass over its dictionary (looking terms up one ordinal at
/// a time decompresses a block each, which is what made reading 100,000 ids slow).
pub fn terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}
