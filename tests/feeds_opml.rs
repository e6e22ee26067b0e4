//! `feeds import`, `feeds export` and `feeds list`: OPML files shaped like real exports into the config
//! file in use (its comments kept), malformed ones refused with the config untouched, a round trip, and
//! a feed's last fetch and counts after a fetch from a server on 127.0.0.1.

// The ingest tests' server, compiled here again (its module there is private to them).
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "ingest/server.rs"]
mod server;

use predicates::prelude::*;

use crate::support::{Workspace, repo, stdout_of};
use newsgloss::config::Config;

const CONFIG: &str = "# Our workspace.\n[paths]\ncontent = \"content\" # the articles\n\n\
                      # Feeds we follow.\n[[feeds]]\nname = \"Rust Blog\"\nurl = \"https://blog.rust-lang.org/feed.xml\"\n\n\
                      [ingest]\ntimeout_ms = 1500 # keep it short\n";

fn fixture(name: &str) -> String {
    repo()
        .join("src/feeds/testdata")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn with_config(text: &str) -> (Workspace, std::path::PathBuf) {
    let ws = Workspace::new();
    let path = ws.root.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    (ws, path)
}

fn feeds_of(path: &std::path::Path) -> Vec<(String, String, Vec<String>)> {
    let config = Config::load(path).unwrap();
    config
        .feeds
        .into_iter()
        .map(|f| (f.name, f.url, f.tags))
        .collect()
}

#[test]
fn import_of_real_exports_keeps_the_config_s_comments() {
    let (ws, path) = with_config(CONFIG);
    let out = ws
        .cmd()
        .args(["feeds", "import", &fixture("mixed.opml")])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.matches("warning: ").count(), 4, "{stderr}");
    assert!(
        stderr.contains("mixed.opml: skipped \"Usenet\" (nntp://news.example.org/comp.lang.rust)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped \"Archive\" (ftp://ftp.example.org/pub/feed.xml)"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.ends_with("imported 3 feeds into config.toml\n")
            || stdout.contains("imported 3 feeds into"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(CONFIG.split("[ingest]").next().unwrap()),
        "{text}"
    );
    assert!(
        text.contains("timeout_ms = 1500 # keep it short\n"),
        "{text}"
    );
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        feeds_of(&path),
        [
            (
                "Rust Blog".into(),
                "https://blog.rust-lang.org/feed.xml".into(),
                vec![]
            ),
            (
                "KrASIA English".into(),
                "https://KR-ASIA.com/feed/".into(),
                strings(&["news", "asia-pacific", "china", "tech", "reading-list"])
            ),
            (
                "36Kr 中文".into(),
                "https://36kr.com/feed".into(),
                strings(&["news", "asia-pacific"])
            ),
            (
                "Spoofgnp.exe".into(),
                "https://example.com/spoof.xml".into(),
                strings(&["security"])
            ),
        ]
    );
    // newsboat's export lists the Rust blog again: not duplicated.
    ws.cmd()
        .args(["feeds", "import", &fixture("newsboat.opml")])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("imported 2 feeds")
                .and(predicate::str::contains("(1 already there)")),
        );
    assert_eq!(feeds_of(&path).len(), 6);
    // Only known feeds: exit 0, and it says so.
    ws.cmd()
        .args(["feeds", "import", &fixture("newsboat.opml")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "nothing added: all 3 feeds are already in",
        ));
    let listed = stdout_of(ws.cmd().args(["feeds", "list"]));
    assert!(listed.starts_with("FEED"), "{listed}");
    assert!(listed.contains("never fetched"), "{listed}");
}

#[test]
fn malformed_opml_is_one_sentence_and_the_config_is_untouched() {
    let (ws, path) = with_config(CONFIG);
    let bad = ws.root.path().join("bad.opml");
    std::fs::write(&bad, "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><body>\n  <outline text=\"a\" xmlUrl=\"https://a.example/feed\">\n</body></opml>\n").unwrap();
    ws.cmd()
        .args(["feeds", "import", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.opml:4:1: not well-formed XML",
        ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
    ws.cmd()
        .args(["feeds", "import", "/nonexistent.opml"])
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
}

#[test]
fn export_then_import_into_an_empty_config_gives_the_same_feeds() {
    let (ws, path) = with_config(CONFIG);
    stdout_of(ws.cmd().args(["feeds", "import", &fixture("feedly.opml")]));
    stdout_of(
        ws.cmd()
            .args(["feeds", "import", &fixture("inoreader.opml")]),
    );
    let opml = stdout_of(ws.cmd().args(["feeds", "export"]));
    assert!(opml.contains("<opml version=\"2.0\">"), "{opml}");
    let exported = ws.root.path().join("exported.opml");
    std::fs::write(&exported, &opml).unwrap();
    // No config anywhere: the personal one is created, and the note says where.
    let other = Workspace::new();
    other
        .cmd()
        .args(["feeds", "import", exported.to_str().unwrap()])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("created")
                .and(predicate::str::contains("newsgloss/config.toml")),
        );
    let created = other.root.path().join("home/.config/newsgloss/config.toml");
    assert_eq!(feeds_of(&created), feeds_of(&path));
    assert_eq!(feeds_of(&path).len(), 7);
}

#[test]
fn feeds_list_shows_the_last_fetch_and_counts() {
    let server = server::Server::start();
    let atom = format!(
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Desk</title><id>urn:desk</id>\
         <updated>2024-01-01T00:00:00Z</updated>\
         <entry><title>One story</title><id>urn:1</id><link href=\"{b}/1\"/><updated>2024-01-01T00:00:00Z</updated>\
         <content type=\"html\">&lt;p&gt;The first story, told whole.&lt;/p&gt;</content></entry>\
         <entry><title>Two story</title><id>urn:2</id><link href=\"{b}/2\"/><updated>2024-01-02T00:00:00Z</updated>\
         <content type=\"html\">&lt;p&gt;The second story, told whole.&lt;/p&gt;</content></entry></feed>",
        b = server.url("")
    );
    server.serve("/feed.xml", "application/atom+xml", atom);
    let config = format!(
        "[ingest]\ntimeout_ms = 1500\nretries = 0\n\n[paths]\nstate = \"state\"\n\n\
         [[feeds]]\nname = \"Desk\"\nurl = \"{}\"\n\n[[feeds]]\nname = \"Gone\"\nurl = \"{}\"\n",
        server.url("/feed.xml"),
        server.url("/missing.xml")
    );
    let (ws, _) = with_config(&config);
    ws.cmd().arg("fetch").assert().code(1);
    let list = stdout_of(ws.cmd().args(["list", "--format", "json"]));
    let ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&list)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{list}");
    stdout_of(ws.cmd().args(["mark", &ids[0], "--read"]));
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        ws.cmd().args(["feeds", "list", "--format", "json"]),
    ))
    .unwrap();
    let desk = &json[0];
    assert_eq!(
        (
            desk["name"].as_str(),
            desk["articles"].as_u64(),
            desk["unread"].as_u64()
        ),
        (Some("Desk"), Some(2), Some(1)),
        "{json}"
    );
    assert_eq!(desk["result"], "ok");
    assert!(
        desk["last_fetch"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{json}"
    );
    let gone = &json[1];
    assert!(
        gone["result"].as_str().is_some_and(|r| r.contains("404")),
        "{json}"
    );
    assert_eq!(gone["articles"], 0);
    let text = stdout_of(ws.cmd().args(["feeds", "list"]));
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("Desk") && l.contains(" ok")),
        "{text}"
    );
    assert_eq!(
        stdout_of(
            ws.cmd()
                .args(["list", "--feed", "desk", "--unread", "--format", "json"])
        )
        .matches("\"id\"")
        .count(),
        1
    );
}
