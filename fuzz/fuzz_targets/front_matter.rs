//! Article files from any bytes: the `+++` split, the TOML front matter and the body. Nothing panics; an
//! article that parses has a title and every metadata string is one inert line; errors are inert too.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsgloss::article::Article;

fuzz_target!(|data: &[u8]| {
    let (article, unknown) = match Article::from_bytes("fuzz", Path::new("fuzz.md"), data) {
        Ok(parsed) => parsed,
        Err(error) => return common::assert_inert("an error", &error.to_string()),
    };
    let meta = &article.meta;
    assert!(!meta.title.is_empty(), "an article without a title");
    let fields = [
        Some(&meta.title),
        meta.source.as_ref(),
        meta.url.as_ref(),
        meta.author.as_ref(),
        meta.original_source.as_ref(),
        meta.original_url.as_ref(),
        meta.original_title.as_ref(),
        Some(&meta.language),
        meta.translation_of.as_ref(),
    ];
    for field in fields.into_iter().flatten().chain(&meta.tags) {
        assert!(!field.is_empty(), "an empty field is kept");
        common::assert_one_line("a front-matter field", field);
    }
    if let Some(published) = meta.published {
        common::assert_one_line("published", &published.to_string());
    }
    for key in &unknown {
        common::assert_inert("an unknown-key warning", &key.to_string());
    }
    common::assert_inert("the text", &article.text);
});
