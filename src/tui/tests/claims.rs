//! The claims view without a terminal: every annotation of the corpus grouped by tag, filtered as you
//! type, opening the article at the quote.

use super::annotating::{annotation_of, now, span_of};
use super::*;

pub(super) fn claims_list() -> Vec<Claim> {
    let claim = |tag: &str, article: &str, title: &str, quote: &str, note: Option<&str>, d| Claim {
        tag: tag.into(),
        article: article.into(),
        title: title.into(),
        published: d,
        id: crate::annotation::AnnotationId::new(now()),
        quote: quote.into(),
        note: note.map(str::to_owned),
        orphaned: false,
        start: 10,
        end: 20,
        creator: None,
        links: Vec::new(),
        source: None,
    };
    vec![
        claim(
            "chip-restrictions",
            "alibaba-cloud-spin-off",
            "Alibaba Cloud calls off its spin-off",
            "the expansion of US restrictions on the export of advanced computing chips",
            Some("The reason given for calling off the spin-off."),
            date(2023, 11, 20),
        ),
        claim(
            "copilot-losses",
            "copilot-costs",
            "What GitHub Copilot costs Microsoft per user",
            "Microsoft incurs a monthly loss of at least USD 20",
            Some("WSJ"),
            date(2023, 10, 9),
        ),
        claim(
            "spin-off",
            "alibaba-cloud-spin-off",
            "Alibaba Cloud calls off its spin-off",
            "Alibaba Group announced that it would not proceed with the full spin-off",
            None,
            date(2023, 11, 20),
        ),
        claim(
            "chip-restrictions",
            "cn/outage",
            "阿里云全球故障：十一月十二日",
            "芯片出口限制",
            None,
            date(2023, 11, 13),
        ),
        claim(
            "outage",
            "cn/outage",
            "阿里云全球故障：十一月十二日",
            "严重的故障",
            Some("十一月十二日"),
            date(2023, 11, 13),
        ),
    ]
}

pub(super) fn claims_view(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    assert_eq!(keys(&mut state, "c"), [Effect::LoadClaims]);
    update(
        &mut state,
        Msg::ClaimsLoaded {
            claims: claims_list(),
            errors: vec![],
        },
    );
    state
}

#[test]
fn the_claims_view_filters_as_you_type_and_opens_at_the_quote() {
    let mut state = claims_view(80, 24);
    assert_eq!(state.screen, Screen::Claims);
    let tags = |state: &State| -> Vec<String> {
        state
            .claims
            .shown
            .iter()
            .map(|&i| state.claims.claims[i].tag.clone())
            .collect()
    };
    assert_eq!(
        tags(&state),
        [
            "spin-off",
            "chip-restrictions",
            "chip-restrictions",
            "copilot-losses",
            "outage"
        ],
        "grouped by tag in vocabulary order"
    );
    type_text(&mut state, "chip");
    assert_eq!(tags(&state), ["chip-restrictions", "chip-restrictions"]);
    type_text(&mut state, " 芯片");
    assert_eq!(state.claims.shown.len(), 1);
    keys(&mut state, "Esc");
    assert_eq!(state.claims.shown.len(), 5, "Esc clears the filter first");
    type_text(&mut state, "wsj");
    let claim = crate::tui::update::selected_claim(&state).unwrap().clone();
    assert_eq!(
        keys(&mut state, "Enter"),
        [Effect::Open {
            id: "copilot-costs".into(),
            query: None
        }]
    );
    let text = format!("{TEXT}\n\nMore text.");
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article("T", &text)),
            matches: vec![],
        },
    );
    let mut a = annotation_of(&text, "USD 80", &["copilot-losses"], None);
    a.id = claim.id;
    a.article = "copilot-costs".into();
    state.reader.as_mut().unwrap().article.id = "copilot-costs".into();
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "copilot-costs".into(),
            result: Ok(vec![a]),
        },
    );
    assert_eq!(
        state.reader.as_ref().unwrap().cursor,
        span_of(&text, "USD 80").start
    );
    assert_eq!(
        keys(&mut state, "q"),
        [Effect::LoadClaims],
        "back to the claims, reloaded"
    );
    assert_eq!(state.screen, Screen::Claims);
    keys(&mut state, "Esc Esc");
    assert_eq!(state.screen, Screen::Library);
    // Corrupt store files are reported.
    keys(&mut state, "c");
    update(
        &mut state,
        Msg::ClaimsLoaded {
            claims: claims_list(),
            errors: vec!["annotations/a.toml:1:5: bad".into(), "b".into()],
        },
    );
    assert_eq!(
        state.status.error.as_deref(),
        Some("annotations/a.toml:1:5: bad (and 1 more)")
    );
}
