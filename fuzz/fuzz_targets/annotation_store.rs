//! Annotation store files from any bytes. Nothing panics; errors are inert; a file that loads is written
//! back in the stable layout and loads again as the same annotations (so saving never loses one), and its
//! annotations can be anchored in a text.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsgloss::annotation::{ArticleAnnotations, anchor_all};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("annotations/a.toml");
    let file = match ArticleAnnotations::parse("a", path, data) {
        Ok(file) => file,
        Err(error) => return common::assert_inert("an error", &error.to_string()),
    };
    let written = file.render();
    let again = ArticleAnnotations::parse("a", path, written.as_bytes())
        .unwrap_or_else(|e| panic!("a written file does not load: {e}\n{written}"));
    assert_eq!(again, file, "writing and loading changed the annotations");
    assert_eq!(again.render(), written, "the layout is not stable");

    let text: Vec<char> = common::TEXT.chars().collect();
    let mut anchored = file;
    let (_, orphaned) = anchor_all(&mut anchored, &text);
    assert_eq!(
        orphaned,
        anchored.annotations.iter().filter(|a| a.orphaned).count()
    );
    for a in anchored.annotations.iter().filter(|a| !a.orphaned) {
        assert!(
            a.start <= a.end && a.end <= text.len(),
            "placed outside the text"
        );
        let quote: String = text[a.start..a.end].iter().collect();
        assert_eq!(quote, a.quote, "the quote is not what the offsets say");
    }
    let written = anchored.render();
    let reloaded = ArticleAnnotations::parse("a", path, written.as_bytes())
        .unwrap_or_else(|e| panic!("an anchored file does not load: {e}\n{written}"));
    assert_eq!(
        reloaded, anchored,
        "anchoring made a file that loads differently"
    );
});
