//! No entry is lost: feed files (RSS, Atom, JSON Feed) whose entries hold only teasers and link to a port
//! of the loopback nothing listens on are added offline, and every entry becomes an article marked as a
//! summary (`summary_only`, in `list --format json` and `show`); then the pages are served on that port
//! and `fetch` replaces the summaries with them, each summary kept as an earlier version and an
//! annotation made on one re-anchored in the page's text.

use std::path::PathBuf;

use newsgloss::annotation::AnnotationStore;
use newsgloss::article::Article;

use super::server::Server;
use super::{annotate, annotations, articles, cmd, fixtures, kinds, read, workspace};
use crate::support::stdout_of;

/// A port of the loopback that nothing listens on (free a moment ago).
fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn json_summaries(base: &str) -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Wire",
        "items": [
            {"id": "j1", "url": format!("{base}/json/1"), "title": "A JSON story",
             "summary": "Ministers met on Monday to discuss the draft rules."},
            {"id": "j2", "url": format!("{base}/json/2"), "title": "A story with no text at all"}
        ]
    })
    .to_string()
}

#[test]
fn summaries_added_offline_are_articles_and_a_later_fetch_replaces_them() {
    let port = dead_port();
    let base = format!("http://127.0.0.1:{port}");
    let ws = workspace(&[]);
    let files = [
        ("news.rss", kinds::news(&base, 3)),
        ("lab.atom", kinds::atom_summaries(&base)),
        ("wire.json", json_summaries(&base)),
    ];
    let mut add = cmd(&ws);
    add.arg("add");
    for (name, text) in &files {
        let path = ws.root.path().join(name);
        std::fs::write(&path, text).unwrap();
        add.arg(path);
    }
    let out = stdout_of(&mut add);
    assert!(
        out.contains("added 3 sources: 6 new, 0 updated, 0 unchanged, 6 kept as summaries"),
        "{out}"
    );
    assert!(out.contains(", 0 failed"), "{out}");
    let all = articles(&ws);
    assert_eq!(all.len(), 6, "{all:?}");
    for name in &all {
        let text = read(&ws.content().join(name));
        assert!(text.contains("summary_only = true"), "{name}: {text}");
    }
    let bare = read(&ws.content().join("a-story-with-no-text-at-all.md"));
    assert!(
        bare.contains(&format!("<{base}/json/2>")),
        "title and link alone: {bare}"
    );
    let listed: serde_json::Value =
        serde_json::from_str(&stdout_of(cmd(&ws).args(["list", "--format", "json"]))).unwrap();
    let rows = listed.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["summary_only"] == true), "{listed}");
    let shown = stdout_of(cmd(&ws).args(["show", "story-number-1-of-the-day"]));
    assert!(
        shown.contains("Summary   only the text the feed gave"),
        "{shown}"
    );

    let id = "story-number-1-of-the-day";
    let teaser = kinds_sentence(1);
    let quote = &teaser[..teaser.find(" after").unwrap_or(30)];
    let (on_summary, _) = annotate(&ws, id, quote, "Operators");

    let server = Server::start_at(port);
    for path in [
        "/news/0",
        "/news/1",
        "/news/2",
        "/posts/faster-build",
        "/json/1",
        "/json/2",
    ] {
        let paragraph = format!("{} {}", kinds_sentence(path.len()), fixtures::CHIPS);
        let paragraph = if path == "/news/1" {
            format!("{teaser} {}", fixtures::CHIPS)
        } else {
            paragraph
        };
        server.serve(path, "text/html", fixtures::page("Full story", &paragraph));
    }
    let out = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        out.contains("fetched 0 feeds: 0 new, 6 updated, 0 unchanged, 0 failed"),
        "{out}"
    );
    assert!(!out.contains("kept as"), "{out}");
    for name in &all {
        let text = read(&ws.content().join(name));
        assert!(
            !text.contains("summary_only") && text.contains("US export restrictions"),
            "{name}: {text}"
        );
    }
    let versions = ws.content().join(".newsgloss/versions").join(id);
    let kept: Vec<PathBuf> = std::fs::read_dir(&versions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        read(&kept[0]).contains("summary_only = true"),
        "the summary is a version"
    );
    let path = ws.content().join(format!("{id}.md"));
    let text = Article::load(id, &path, 1 << 20).unwrap().0.text;
    let file = AnnotationStore::new(annotations(&ws))
        .anchored(id, &text)
        .unwrap()
        .file;
    let moved = file.get(on_summary).unwrap();
    assert!(!moved.orphaned, "{moved:?}");
    let at: String = text
        .chars()
        .skip(moved.start)
        .take(moved.end - moved.start)
        .collect();
    assert_eq!(at, quote);
    let listed = stdout_of(cmd(&ws).args(["list", "--format", "json"]));
    assert!(!listed.contains("\"summary_only\": true"), "{listed}");

    // Nothing is waiting any more: a fetch without feeds is bad input again.
    let none = cmd(&ws).arg("fetch").output().unwrap();
    assert_eq!(none.status.code(), Some(2));
}

/// The teaser sentence the news fixture gives item `i`.
fn kinds_sentence(i: usize) -> String {
    let feed = kinds::news("http://x", i + 1);
    let start = feed.rfind("<description><![CDATA[").unwrap() + "<description><![CDATA[".len();
    let end = start + feed[start..].find("]]>").unwrap();
    feed[start..end].to_owned()
}
