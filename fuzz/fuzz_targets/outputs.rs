//! Every output format of annotations from any text in any field: the TOML export, the store file, the W3C
//! Web Annotation JSON (with links), the Markdown digest, the Obsidian note and the Readwise CSV hold no
//! character that could drive a terminal or reorder what is read (escaped in TOML and JSON, removed in
//! Markdown and CSV), and the data formats still parse (the CSV by `tests/hostile.rs`'s run of this
//! property); what the store keeps of a hostile note is inert
//! too.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use newsgloss::annotation::{
    Annotation, AnnotationId, AnnotationStore, ExportArticle, Relation, export_toml, markdown_digest,
    obsidian_note, readwise_csv, web_annotation_json,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('|').map(str::to_owned);
    let mut next = || fields.next().unwrap_or_default();
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let quote = next();
    let n = quote.chars().count();
    let mut a = Annotation::new("a", &quote, 0, n, vec!["t".into()], None, now);
    (a.quote, a.prefix, a.suffix) = (quote, next(), next());
    a.note = Some(next());
    a.original_quote = Some(next());
    a.link(AnnotationId::new(now), Relation::Same);
    let mut article = ExportArticle::missing("a", vec![a.clone()]);
    (article.title, article.url, article.author) = (next(), Some(next()), Some(next()));
    let articles = [article];

    let toml = export_toml(&articles, now);
    common::assert_inert("the TOML export", &toml);
    assert!(toml.parse::<toml::Table>().is_ok(), "{toml}");
    let json = web_annotation_json(&articles, now);
    common::assert_inert("the JSON export", &json);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");
    common::assert_inert("the Markdown digest", &markdown_digest(&articles));
    common::assert_inert("the Obsidian note", &obsidian_note(&articles[0]));
    let csv = readwise_csv(&articles);
    common::assert_inert("the Readwise CSV", &csv);
    assert!(csv.starts_with("Highlight,Title,Author,URL,Note,Location,Date\n"), "{csv}");

    let dir = tempfile::tempdir().unwrap();
    let store = AnnotationStore::new(dir.path());
    if store.add(a).is_ok() {
        let file = std::fs::read_to_string(dir.path().join("a.toml")).unwrap();
        common::assert_inert("the store file", &file);
        let stored = store.load("a").unwrap();
        common::assert_inert("the stored note", stored.annotations[0].note.as_deref().unwrap_or(""));
    }
});
