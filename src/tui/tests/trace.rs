//! Tracing in the reader without a terminal: the trace screen (opened from the reader, the panel and the
//! claims view; newest answer wins), opening a passage, linking with a chosen relation; links in the
//! panel and following them; the claims view's claims made across articles; their snapshots.

use super::annotating::{annotation_of, now};
use super::*;
use crate::annotation::{AnnotationId, Link, Relation};
use crate::trace::{Passage, Trace};

const COPILOT: &str = "For every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80.";

fn passage(article: &str, title: &str, source: &str, day: u8, text: &str, score: f32) -> Passage {
    Passage {
        article: article.into(),
        title: title.into(),
        source: Some(source.into()),
        published: date(2023, 11, day),
        text: text.into(),
        start: 100,
        end: 100 + text.chars().count(),
        score,
        first_report: false,
    }
}

fn found() -> Trace {
    let mut first = passage(
        "wsj-copilot",
        "Big Tech struggles to turn AI hype into profits",
        "WSJ",
        9,
        "Microsoft is losing on average more than USD 20 a month per user of GitHub Copilot, and as much as USD 80 for some users.",
        0.71,
    );
    first.first_report = true;
    Trace {
        passages: vec![
            passage(
                "krasia-copilot",
                "Copilot costs Microsoft USD 20 a user each month",
                "KrASIA",
                14,
                COPILOT,
                1.0,
            ),
            first.clone(),
            passage(
                "36kr-ai",
                "AI 应用的成本：微软每位用户每月亏损20美元",
                "36Kr",
                13,
                "微软为每位 Copilot 用户每月亏损至少20美元，有时高达80美元。",
                0.52,
            ),
        ],
        total: 3,
        first_report: Some(first),
        read: 57,
    }
}

/// The reader on the Copilot claim, its annotation loaded.
fn on_claim(width: u16, height: u16) -> (State, Annotation) {
    let mut state = reader(width, height);
    let claim = annotation_of(
        TEXT,
        COPILOT,
        &["copilot-losses"],
        Some("WSJ, October 2023"),
    );
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(vec![claim.clone()]),
        },
    );
    keys(&mut state, "]");
    (state, claim)
}

/// The trace screen with its answer.
pub(super) fn trace_screen(width: u16, height: u16) -> State {
    let (mut state, _) = on_claim(width, height);
    keys(&mut state, "T");
    let seq = state.trace_seq;
    update(
        &mut state,
        Msg::Traced {
            seq,
            result: Ok(found()),
        },
    );
    keys(&mut state, "j");
    state
}

#[test]
fn t_traces_the_claim_under_the_cursor_and_only_the_newest_answer_shows() {
    let (mut state, claim) = on_claim(80, 24);
    let effects = keys(&mut state, "T");
    assert_eq!(
        effects,
        [Effect::Trace {
            seq: 1,
            article: claim.article.clone(),
            quote: claim.quote.clone(),
        }]
    );
    assert_eq!((state.screen, state.mode()), (Screen::Trace, Mode::Trace));
    assert!(screen_text(&mut state).contains("tracing…"));
    // Back and trace again: the first answer is stale and dropped.
    keys(&mut state, "Esc T");
    assert_eq!(state.trace_seq, 2);
    update(
        &mut state,
        Msg::Traced {
            seq: 1,
            result: Ok(found()),
        },
    );
    assert!(
        state.trace.as_ref().unwrap().loading,
        "a stale answer is dropped"
    );
    update(
        &mut state,
        Msg::Traced {
            seq: 2,
            result: Ok(found()),
        },
    );
    let view = state.trace.as_ref().unwrap();
    assert_eq!(view.passages.len(), 3);
    let text = screen_text(&mut state);
    assert!(text.contains("★ first report"), "{text}");
    assert!(
        text.contains("3 of 3 passages · 57 articles read"),
        "{text}"
    );
    // Away from any claim, T says so.
    let mut state = reader(80, 24);
    assert!(keys(&mut state, "T").is_empty());
    assert!(
        state
            .status
            .error
            .as_deref()
            .unwrap()
            .contains("no claim here")
    );
}

#[test]
fn enter_opens_the_passage_highlighted_with_the_cursor_on_it() {
    let mut state = trace_screen(80, 24);
    let effects = keys(&mut state, "Enter");
    assert_eq!(
        effects,
        [Effect::Open {
            id: "wsj-copilot".into(),
            query: None,
        }]
    );
    let mut opened = article(
        "Big Tech struggles",
        &format!(
            "{}{}",
            "x".repeat(100),
            "Microsoft is losing on average more than USD 20 a month per user of GitHub Copilot, and as much as USD 80 for some users."
        ),
    );
    opened.id = "wsj-copilot".into();
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(opened),
            matches: vec![],
        },
    );
    let reader = state.reader.as_ref().unwrap();
    assert_eq!(reader.matches, [100..221]);
    assert_eq!(reader.cursor, 100);
    assert_eq!(reader.from, Screen::Trace);
    keys(&mut state, "Esc");
    assert_eq!(state.screen, Screen::Trace, "back to the trace");
    // Back from the trace: to the claim's article, opened again at the claim.
    let effects = keys(&mut state, "Esc");
    assert_eq!(
        effects,
        [Effect::Open {
            id: "alibaba-cloud-spin-off".into(),
            query: None,
        }]
    );
}

#[test]
fn l_links_with_the_relation_r_chose_and_the_row_says_so() {
    let mut state = trace_screen(80, 24);
    keys(&mut state, "r");
    assert_eq!(state.trace.as_ref().unwrap().rel, Relation::Contradicts);
    let effects = keys(&mut state, "l");
    let Some(Effect::LinkEvidence {
        to,
        start,
        end,
        rel,
        text,
        ..
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}");
    };
    assert_eq!((to.as_str(), rel), ("wsj-copilot", Relation::Contradicts));
    assert_eq!(text.chars().count(), end - start);
    update(
        &mut state,
        Msg::Linked {
            article: to,
            start,
            end,
            result: Ok(AnnotationId::new(now())),
        },
    );
    let text = screen_text(&mut state);
    assert!(text.contains("✓ contradicts"), "{text}");
    assert!(keys(&mut state, "l").is_empty(), "linked once");
    assert!(
        state
            .status
            .message
            .as_deref()
            .unwrap()
            .contains("already linked")
    );
    // A failed link says why and marks nothing.
    keys(&mut state, "k");
    keys(&mut state, "l");
    let p = state.trace.as_ref().unwrap().passages[0].clone();
    update(
        &mut state,
        Msg::Linked {
            article: p.article.clone(),
            start: p.start,
            end: p.end,
            result: Err("could not link: the store is read-only".into()),
        },
    );
    assert!(state.status.error.as_deref().unwrap().contains("read-only"));
    assert_eq!(state.passage_link(&p), None);
}

/// The claims of a claim made in three articles, one more unlinked, as the worker reads them.
fn linked_claims() -> Vec<Claim> {
    let mut list = super::claims::claims_list();
    let (a, b) = (list[1].clone(), AnnotationId::new(now()));
    let mut other = a.clone();
    (other.article, other.id, other.quote) =
        ("cn/outage".into(), b, "微软每位用户每月亏损20美元".into());
    (other.start, other.end) = (0, 12);
    other.links = vec![Link {
        id: a.id,
        rel: Relation::Same,
    }];
    let mut third = a.clone();
    third.article = "alibaba-cloud-spin-off".into();
    third.id = AnnotationId::new(now());
    third.quote = "Microsoft incurs a monthly loss of at least USD 20, which can sometimes go as high as USD 80".into();
    third.links = vec![Link {
        id: a.id,
        rel: Relation::Supports,
    }];
    list[1].links = vec![
        Link {
            id: b,
            rel: Relation::Same,
        },
        Link {
            id: third.id,
            rel: Relation::Supports,
        },
    ];
    list.extend([other, third]);
    for c in &mut list {
        c.title = String::new();
    }
    list
}

pub(super) fn claims_groups(width: u16, height: u16) -> State {
    let mut state = library(width, height);
    keys(&mut state, "c");
    update(
        &mut state,
        Msg::ClaimsLoaded {
            claims: linked_claims(),
            errors: Vec::new(),
        },
    );
    let at = state
        .claims
        .rows
        .iter()
        .position(|r| matches!(r, ClaimRow::Group { .. }))
        .unwrap();
    state.claims.selected = at;
    keys(&mut state, "Enter");
    state
}

use super::super::state::ClaimRow;

#[test]
fn a_linked_claim_is_one_row_that_opens_into_its_members() {
    let mut state = claims_groups(80, 24);
    let c = &state.claims;
    assert_eq!(c.groups.len(), 1);
    let g = &c.groups[0];
    assert_eq!(g.articles, 3);
    assert_eq!(g.sources, ["36Kr", "KrASIA", "WSJ"]);
    assert_eq!(
        g.article, "copilot-costs",
        "the earliest dated is the first report"
    );
    let members = c
        .rows
        .iter()
        .filter(|r| matches!(r, ClaimRow::Member { .. }))
        .count();
    assert_eq!(members, 3, "open: its members under it");
    let text = screen_text(&mut state);
    assert!(text.contains("3 articles · first 2023-10-09"), "{text}");
    assert!(text.contains("★ first report"), "{text}");
    // Enter on a member opens its article at it; Enter on the group closes it.
    keys(&mut state, "Down");
    let effects = keys(&mut state, "Enter");
    assert!(matches!(&effects[..], [Effect::Open { .. }]), "{effects:?}");
    let mut state = claims_groups(80, 24);
    keys(&mut state, "Enter");
    let members = state
        .claims
        .rows
        .iter()
        .filter(|r| matches!(r, ClaimRow::Member { .. }))
        .count();
    assert_eq!(members, 0);
    // ctrl-t traces the claim selected.
    let effects = keys(&mut state, "ctrl-t");
    assert!(
        matches!(&effects[..], [Effect::Trace { .. }]),
        "{effects:?}"
    );
}

#[test]
fn marks_show_the_dates_from_the_first_report_on() {
    use super::super::state::marks;
    let day = |d: u8| date(2023, 11, d).unwrap();
    assert_eq!(marks(&[day(9), day(13), day(14), day(14)], 40), "▂···▂▄");
    assert_eq!(marks(&[day(1), day(30)], 10), "▂········▂");
    assert_eq!(marks(&[day(5)], 10), "▂");
    assert_eq!(marks(&[day(1), day(1), day(1), day(1), day(1)], 3), "█");
    assert_eq!(marks(&[], 10), "");
    assert_eq!(marks(&[day(1), day(2), day(30)], 1), "▆");
}

#[test]
fn the_panel_shows_links_and_follows_them_and_says_when_one_is_gone() {
    let mut state = library(100, 30);
    keys(&mut state, "c");
    let claims = linked_claims();
    let loaded = Msg::ClaimsLoaded {
        claims: claims.clone(),
        errors: Vec::new(),
    };
    update(&mut state, loaded);
    let third = &claims[claims.len() - 1];
    let mut own = annotation_of(TEXT, COPILOT, &["copilot-losses"], None);
    own.id = third.id;
    own.links = third.links.clone();
    let gone = AnnotationId::new(now());
    own.links.push(Link {
        id: gone,
        rel: Relation::Contradicts,
    });
    keys(&mut state, "Esc");
    update(
        &mut state,
        Msg::Opened {
            article: Box::new(article("Alibaba", TEXT)),
            matches: vec![],
        },
    );
    update(
        &mut state,
        Msg::AnnotationsLoaded {
            article: "alibaba-cloud-spin-off".into(),
            result: Ok(vec![own.clone()]),
        },
    );
    keys(&mut state, "]");
    let text = screen_text(&mut state);
    assert!(text.contains("supports → What GitHub Copilot"), "{text}");
    assert!(text.contains("contradicts → a claim that is"), "{text}");
    // > follows the first link: the linked claim's article, at it.
    let effects = keys(&mut state, ">");
    assert_eq!(
        effects,
        [Effect::Open {
            id: "copilot-costs".into(),
            query: None,
        }]
    );
    assert_eq!(state.jump, Some(("copilot-costs".into(), claims[1].id)));
    // Following on from there goes round the links; a gone one says so.
    state.came_from = Some(claims[1].id);
    let effects = keys(&mut state, ">");
    assert!(effects.is_empty());
    assert!(
        state.status.error.as_deref().unwrap().contains("gone"),
        "{:?}",
        state.status
    );
}

/// The text of the screen as drawn at the state's size.
fn screen_text(state: &mut State) -> String {
    let (w, h) = (state.width, state.height);
    let terminal = draw(state, w, h);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
