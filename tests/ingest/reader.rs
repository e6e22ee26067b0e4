//! Feeds in the reader, in a real terminal (tmux): `F` fetches them in the background, the articles are
//! searched and annotated with the keyboard, a second fetch finds nothing new, and an edited story moves
//! one annotation and orphans the other while its previous version stays on disk.

use std::path::Path;

use newsgloss::annotation::AnnotationStore;
use newsgloss::article::Article;

use super::{LEAD, SECOND, annotations, fixtures, news_server, workspace};
use crate::tui::{Tmux, have_tmux};

#[test]
fn feeds_fetched_in_the_reader_are_searched_annotated_and_kept_across_an_edit() {
    if !have_tmux() {
        return;
    }
    let server = news_server();
    let ws = workspace(&[("Loopback News", server.url("/feed.xml"))]);
    let root = ws.root.path();
    let tmux = Tmux::start(100, 30, root);
    tmux.text(&format!(
        "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{root}' XDG_CACHE_HOME='{root}/cache' '{bin}' --config '{root}/config.toml' --content '{content}' --annotations '{annotations}' --index '{root}/index'; echo EXITED $?",
        root = root.display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
        content = ws.content().display(),
        annotations = annotations(&ws).display(),
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "press F to fetch the feeds"]);
    tmux.text("F");
    tmux.wait_for(&[
        "fetched 1 feed: 2 new",
        "Alibaba Cloud calls off its spin-off",
        "Chips and the cloud",
    ]);
    server.take_log();
    tmux.text("F");
    tmux.wait_for(&["fetched 1 feed: 1 not modified"]);
    assert!(server.take_log().iter().all(|(_, status)| *status == 304));

    // Search, open, and tag two spans with the keyboard.
    tmux.text("/");
    tmux.text("citing spin");
    tmux.wait_for(&["1 matching article"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "citing US", "0 annotations"]);
    tag(&tmux, "would", "eeee", "1 annotation");
    tag(&tmux, "announced", "eeeee", "2 annotations");
    let id = "alibaba-cloud-calls-off-its-spin-off";
    let story = ws.content().join(format!("{id}.md"));
    assert_eq!(
        quotes(&ws, id, &story),
        [
            ("would not spin off".to_owned(), false),
            ("announced the plan in March".to_owned(), false)
        ]
    );

    // The story is edited: the first sentence goes, the second stays.
    let lead = "Update: Alibaba Group has shelved the listing of its cloud unit, citing US chip restrictions.";
    server.serve(
        "/feed.xml",
        "application/rss+xml",
        fixtures::rss2(&server.url(""), lead, SECOND),
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["SEARCH"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("F");
    tmux.wait_for(&["1 updated, 1 unchanged; 1 annotation moved, 1 orphaned"]);
    tmux.keys(&["Down", "Enter"]);
    tmux.wait_for(&["READER", "shelved the listing", "1 orphaned"]);
    tmux.text("V");
    tmux.wait_for(&["Since", "- Alibaba Group said it would not spin off"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["READER"]);
    tmux.text("q");
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    tmux.wait_for(&["EXITED 0"]);
    let mut after = quotes(&ws, id, &story);
    after.sort();
    assert_eq!(
        after,
        [
            ("announced the plan in March".to_owned(), false),
            ("would not spin off".to_owned(), true)
        ]
    );
    let versions = ws.content().join(".newsgloss/versions").join(id);
    let kept: Vec<_> = std::fs::read_dir(&versions).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1);
    assert!(
        std::fs::read_to_string(kept[0].path())
            .unwrap()
            .contains(LEAD)
    );
}

/// Finds `word`, selects from it with `motions`, tags the selection `spin-off` without a note, and waits
/// for the sidebar to count `count`.
fn tag(tmux: &Tmux, word: &str, motions: &str, count: &str) {
    tmux.text("/");
    tmux.text(word);
    tmux.keys(&["Enter"]);
    tmux.text("v");
    tmux.text(motions);
    tmux.wait_for(&["VISUAL"]);
    tmux.text("t");
    tmux.wait_for(&["Tag the selection"]);
    tmux.text("spin-off");
    tmux.keys(&["Space", "Enter"]);
    tmux.wait_for(&["Note"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&[count, "READER"]);
}

/// The quotes of the article's annotations in the order made, and whether each is orphaned now.
fn quotes(ws: &crate::support::Workspace, id: &str, story: &Path) -> Vec<(String, bool)> {
    let text = Article::load(id, story, 1 << 20).unwrap().0.text;
    let store = AnnotationStore::new(annotations(ws));
    let file = store.anchored(id, &text).unwrap().file;
    file.annotations
        .iter()
        .map(|a| (a.quote.clone(), a.orphaned))
        .collect()
}
