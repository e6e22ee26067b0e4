//! Tracing a claim in the reader, in a real terminal: tag a sentence of the seed, trace it, link two of
//! the passages found (one as `supports`, one as `contradicts`), follow a link from the panel, see the
//! claim made across articles in the claims view with its count and its first report, quit and reopen:
//! all kept, and the command line lists the links.

use crate::support::{Workspace, article, stdout_of};
use crate::tui::{Tmux, have_tmux, newsgloss_in};

const CLAIM: &str = "According to a Wall Street Journal report released in October this year, for \
                     every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, \
                     which can sometimes go as high as USD 80.";
const REORDERED: &str = "Microsoft incurs a monthly loss of at least USD 20 for every user served by \
                         Copilot, which can sometimes go as high as USD 80, according to a Wall Street \
                         Journal report released in October this year.";

/// The seed (undated), the claim said first in "Wire report" (2023-10-20) and again, reordered, in
/// "Later story" (2023-11-25), and two unrelated articles.
fn workspace() -> Workspace {
    let ws = Workspace::with_seed();
    let dated = |source: &str, day: &str| format!("source = \"{source}\"\npublished = {day}\n");
    ws.write(
        "wire-report.md",
        article(
            "Wire report on AI costs",
            &dated("Wire", "2023-10-20"),
            &format!("Cloud spending rose.\n\n{CLAIM}\n\nShares fell."),
        ),
    );
    ws.write(
        "later-story.md",
        article(
            "Later story on Copilot",
            &dated("Daily", "2023-11-25"),
            &format!("{REORDERED} Analysts expect losses to narrow."),
        ),
    );
    for (i, body) in [
        "A storm brought heavy rain to the coast on Sunday night.",
        "The city council approved a new budget for parks.",
    ]
    .iter()
    .enumerate()
    {
        ws.write(
            &format!("other-{i}.md"),
            article(&format!("Other {i}"), &dated("Wire", "2023-11-01"), body),
        );
    }
    ws
}

/// Opens the seed in the reader and tags the claim's sentence `copilot-losses`, without a note.
fn tag_the_claim(tmux: &Tmux) {
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off"]);
    tmux.text("f");
    tmux.text("alibaba");
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER"]);
    tmux.text("/monthly loss");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["match 1/1"]);
    tmux.text("(v)");
    tmux.wait_for(&["VISUAL", "200 chars"]);
    tmux.text("t");
    tmux.text("copilot-l");
    tmux.wait_for(&["■ copilot-losses"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["Note · copilot-losses"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["tagged copilot-losses", "1 annotation"]);
}

#[test]
fn trace_a_claim_link_two_passages_and_see_the_claim_across_articles_after_a_restart() {
    if !have_tmux() {
        return;
    }
    let ws = workspace();
    let root = ws.root.path();
    let tmux = Tmux::start(100, 30, root);
    tmux.text(&newsgloss_in(root));
    tmux.keys(&["Enter"]);
    tag_the_claim(&tmux);
    // The cursor is on the claim: T traces it; the first report is the earliest dated passage.
    tmux.text("T");
    let screen = tmux.wait_for(&["TRACE", "Wire report on AI costs", "Later story on Copilot"]);
    assert!(screen.contains("2 of 2 passages"), "{screen}");
    let wire = screen
        .lines()
        .position(|l| l.contains("Wire report on AI costs"))
        .unwrap();
    assert!(
        screen
            .lines()
            .nth(wire - 1)
            .unwrap()
            .contains("★ first report"),
        "the first report is marked:\n{screen}"
    );
    assert!(!screen.contains("Other 0"), "{screen}");
    // Link the first as supports; choose contradicts and link the second.
    tmux.text("l");
    tmux.wait_for(&["✓ supports"]);
    tmux.text("j");
    tmux.text("r");
    tmux.wait_for(&["l now links as contradicts"]);
    tmux.text("l");
    tmux.wait_for(&["✓ supports", "✓ contradicts"]);
    // Enter opens the second passage's article at the passage.
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "Microsoft incurs a monthly loss", "match 1/1"]);
    // Back to the trace, back to the claim: the panel shows both links; > follows the first.
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["TRACE", "✓ contradicts"]);
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for(&["READER", "supports → Wire report on AI"]);
    assert!(screen.contains("contradicts → Later story on"), "{screen}");
    tmux.text(">");
    tmux.wait_for(&["READER", "Cloud spending rose", "supports → Alibaba Cloud"]);
    // The claims view: one claim across three articles, from the first report on.
    tmux.text("c");
    let screen = tmux.wait_for(&["CLAIMS", "3 articles", "first report 2023-10-20"]);
    assert!(screen.contains("Daily, KrASIA, Wire"), "{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["↳", "★ first report"]);
    // Quit and reopen: all kept.
    tmux.keys(&["C-c"]);
    tmux.wait_for(&["EXITED 0"]);
    tmux.text("clear");
    tmux.keys(&["Enter"]);
    tmux.text(&newsgloss_in(root));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("c");
    tmux.wait_for(&["CLAIMS", "3 articles", "first report 2023-10-20"]);
    tmux.keys(&["C-c"]);
    tmux.wait_for(&["EXITED 0"]);
    let toml = stdout_of(ws.cmd().args(["annotations", "--format", "toml"]));
    assert_eq!(toml.matches("links = ").count(), 3, "{toml}");
    assert!(toml.contains("rel = \"contradicts\""), "{toml}");
    assert!(toml.contains("rel = \"supports\""), "{toml}");
}
