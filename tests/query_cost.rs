//! The worst queries we could build, over the BBC corpus (`../shared/corpus/bbc`): each is answered or
//! refused with one sentence, never left to run away (the time and memory they take are measured in the
//! performance suite, not here).

use crate::support::{Workspace, shared_corpus};

/// Sixteen of the commonest English words: every article holds most of them, many times.
const COMMON: &str = "the of to and a in is for said it on that was he be with";

/// The worst queries, each with whether it is refused (exit 2) rather than answered.
pub fn worst_queries() -> Vec<(String, bool)> {
    let words: Vec<&str> = COMMON.split(' ').collect();
    let sloppy_pairs: String = words.iter().map(|w| format!("\"{w} the\"~10 ")).collect();
    vec![
        // A sloppy phrase of common words: before the caps, this one took over 2 GB in 2 s.
        (format!("\"{}\"~1000", words[..8].join(" ")), true),
        (format!("\"{COMMON}\"~10"), false),
        (format!("\"{}\"~10", "the ".repeat(16)), false),
        (format!("\"{}\"", "the ".repeat(17)), true),
        (words.join(" OR "), false),
        ("the ".repeat(64), false),
        ("the ".repeat(65), true),
        (sloppy_pairs.repeat(4), false),
        (
            "\"the a*\" \"of b*\" \"to c*\" \"and d*\" \"in e*\"".into(),
            false,
        ),
        (format!("{0} {0} {0} {0}", "\"the of to and\"~10"), false),
    ]
}

#[test]
fn the_worst_queries_over_bbc_are_answered_or_refused() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let ws = Workspace::new();
    let index = ws.index();
    let search = |query: &str| {
        crate::support::isolated(ws.root.path())
            .arg("--content")
            .arg(&bbc)
            .arg("--index")
            .arg(&index)
            .arg("--annotations")
            .arg(ws.root.path().join("annotations"))
            .args(["search", "--limit", "10", "--", query])
            .output()
            .unwrap()
    };
    assert!(search("the").status.success());
    for (query, refused) in worst_queries() {
        let output = search(&query);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if refused {
            assert_eq!(output.status.code(), Some(2), "{query:.60}: {stderr}");
            assert!(stderr.contains("would cost too much"), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        } else {
            assert_eq!(output.status.code(), Some(0), "{query:.60}: {stderr}");
        }
    }
}
