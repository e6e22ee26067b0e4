//! The reader keeps the claim being worked on in sight: after tagging, after `]`, and after opening an
//! article at a claim from search, the whole quote is on screen above the panel, at 80x24 and 40x12.

use super::annotating::{annotation_of, span_of};
use super::*;
use crate::index::ClaimHit;

/// A claim long enough to wrap over several lines, far down a long article.
pub(super) const LONG: &str = "Analysts believe that demand for AI computing power is still rising, and every cloud provider in China is chasing it, while US restrictions on the export of advanced chips limit what Alibaba Cloud can rent out to its customers.";

pub(super) fn long_text() -> String {
    let filler =
        "The cloud market in China is still growing, and every provider is chasing demand.";
    let mut paragraphs = vec![filler; 14];
    paragraphs.push(LONG);
    paragraphs.extend([filler; 6]);
    paragraphs.join("\n\n")
}

/// The reader on the long article, with `annotations` loaded.
pub(super) fn long_reader(width: u16, height: u16, annotations: Vec<Annotation>) -> State {
    let mut state = library(width, height);
    let article = article("A long article", &long_text());
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article),
            matches: vec![],
        },
    );
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(annotations),
        },
    );
    state
}

fn long_claim() -> Annotation {
    annotation_of(
        &long_text(),
        LONG,
        &["chip-restrictions"],
        Some("Why the spin-off stopped."),
    )
}

/// A claim just tagged: select the long sentence, tag it, skip the note; the store answers.
fn tagged(width: u16, height: u16) -> State {
    let mut state = long_reader(width, height, Vec::new());
    keys(&mut state, "/");
    type_text(&mut state, "Analysts believe");
    keys(&mut state, "Enter");
    // Scrolled so that the claim's first line is the last on screen (where the panel will come).
    let rows = crate::tui::layout::reader_rows(&state);
    let reader = state.reader.as_mut().unwrap();
    let line = reader.wrapped.line_of(reader.cursor);
    reader.anchor = reader.wrapped.lines[line + 1 - rows].char_start;
    keys(&mut state, "v )");
    keys(&mut state, "t");
    type_text(&mut state, "chip-re");
    keys(&mut state, "Space Enter Esc");
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(vec![long_claim()]),
        },
    );
    state
}

/// `]` from the top of the article onto the long claim.
fn stepped(width: u16, height: u16) -> State {
    let mut state = long_reader(width, height, vec![long_claim()]);
    keys(&mut state, "]");
    state
}

/// Enter on a search hit that matched through the long claim.
fn from_search(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    keys(&mut state, "/");
    type_text(&mut state, "tag:chip-restrictions");
    let claim = long_claim();
    let hit = Hit {
        id: "alibaba-cloud-spin-off".into(),
        title: "A long article".into(),
        score: 1.0,
        published: None,
        source: None,
        snippet: "The cloud market in China is still growing".into(),
        highlights: Vec::new(),
        claims: vec![ClaimHit {
            id: claim.id.to_string(),
            tags: claim.tags.clone(),
            quote: claim.quote.clone(),
            ..ClaimHit::default()
        }],
    };
    let seq = state.search.sent;
    update(
        &mut state,
        Msg::Results {
            seq,
            query: "tag:chip-restrictions".into(),
            result: Ok(SearchResults {
                total: 1,
                hits: vec![hit],
                notices: Vec::new(),
            }),
        },
    );
    keys(&mut state, "Enter");
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article("A long article", &long_text())),
            matches: vec![],
        },
    );
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(vec![claim]),
        },
    );
    state
}

/// Every line of the long claim is among the text rows on screen.
fn assert_in_sight(state: &State, name: &str) {
    let reader = state.reader.as_ref().unwrap();
    let span = span_of(&long_text(), LONG);
    let (first, last) = (
        reader.wrapped.line_of(span.start),
        reader.wrapped.line_of(span.end - 1),
    );
    let top = reader.wrapped.line_of(reader.anchor);
    let rows = crate::tui::layout::reader_rows(state);
    assert!(
        first >= top && last < top + rows,
        "{name} at {}x{}: the claim is on lines {first}..={last}, the screen shows {top}..{}",
        state.width,
        state.height,
        top + rows
    );
}

#[test]
fn the_claim_worked_on_is_whole_on_screen() {
    let screens: [(&str, MakeScreen); 3] = [
        ("just_tagged", tagged),
        ("stepped_onto", stepped),
        ("opened_from_search", from_search),
    ];
    for (name, screen) in screens {
        for (width, height) in [(80, 24), (40, 12)] {
            let mut state = screen(width, height);
            let terminal = draw(&mut state, width, height);
            assert_in_sight(&state, name);
            insta::assert_snapshot!(
                format!("in_sight_{name}_{width}x{height}"),
                terminal.backend()
            );
        }
    }
}

#[test]
fn n_walks_the_claims_a_search_matched() {
    let state = from_search(80, 24);
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.matches, vec![span_of(&long_text(), LONG)]);
    assert_eq!(reader.current, Some(0));
    assert_eq!(reader.cursor, span_of(&long_text(), LONG).start);
}
