//! The Markdown renderer and the cleaner on any UTF-8 text. Nothing panics; the plain text and the cleaned
//! text hold no forbidden character; cleaning is idempotent and leaves the plain text as it is; rendering is
//! deterministic; a cleaned line is one line.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use newsgloss::article::clean::{clean_line, clean_text};
use newsgloss::article::plain::markdown_to_plain;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let cleaned = clean_text(source);
    common::assert_inert("the cleaned text", &cleaned);
    assert_eq!(clean_text(&cleaned), cleaned, "cleaning twice changed it");

    let line = clean_line(source);
    common::assert_one_line("the cleaned line", &line);
    assert_eq!(clean_line(&line), line, "cleaning a line twice changed it");

    let plain = markdown_to_plain(source);
    common::assert_inert("the plain text", &plain);
    assert!(
        !plain.contains("\n\n\n"),
        "more than one blank line: {plain:?}"
    );
    assert!(
        !plain.starts_with('\n') && !plain.ends_with(char::is_whitespace),
        "blank lines or white space at an end: {plain:?}"
    );
    assert_eq!(clean_text(&plain), plain, "cleaning changed the plain text");
    assert_eq!(
        markdown_to_plain(source),
        plain,
        "rendering is not deterministic"
    );
});
