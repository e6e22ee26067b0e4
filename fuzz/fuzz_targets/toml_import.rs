//! TOML exports from any bytes, and importing them. Nothing panics; errors are inert; an export that parses
//! is written again and parses as the same thing; a dry-run import into an empty store (anchoring every
//! annotation in a text) reports every annotation once.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsgloss::annotation::{AnnotationStore, Exported, export_toml, import, parse_export};

/// The export with each article's annotations in the order the writer puts them in.
fn in_written_order(mut exported: Exported) -> Exported {
    for article in &mut exported.articles {
        article.annotations.sort_by_key(|a| a.position_key());
    }
    exported
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("export.toml");
    let exported = match parse_export(data, path) {
        Ok(exported) => in_written_order(exported),
        Err(error) => return common::assert_inert("an error", &error.to_string()),
    };
    let written = export_toml(&exported.articles, exported.exported);
    let again = parse_export(written.as_bytes(), path)
        .unwrap_or_else(|e| panic!("a written export does not parse: {e}\n{written}"));
    assert_eq!(again, exported, "writing and parsing changed the export");

    let count: usize = exported.articles.iter().map(|a| a.annotations.len()).sum();
    // A dry run reads the store and writes nothing; this one has no files.
    let store = AnnotationStore::new("/nonexistent/newsgloss-fuzz-store");
    let report = import(&store, exported, |_| Some(common::TEXT.to_owned()), true);
    for error in &report.errors {
        common::assert_inert("an import error", &error.to_string());
    }
    assert!(report.missing_articles.is_empty());
    let merged = report.added + report.updated + report.unchanged;
    assert!(
        merged <= count && report.orphaned <= count,
        "{report:?} of {count}"
    );
    if report.errors.is_empty() {
        assert_eq!(
            merged, count,
            "an annotation was neither added, updated nor skipped"
        );
    }
});
