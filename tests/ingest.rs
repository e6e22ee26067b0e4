//! Getting news in, against a real HTTP server on 127.0.0.1 started by the tests: adding pages, feeds
//! and files; fetching configured feeds; conditional requests (a second fetch transfers nothing new); a
//! changed story re-anchoring annotations (one moves, one is a listed orphan, the old version kept); a
//! hand-edited file kept; and hostile sources, each failing on one line while the others are added.

mod fixtures;
mod kinds;
mod reader;
pub(crate) mod server;
mod summaries;
mod unchanged;

use std::path::{Path, PathBuf};

use newsgloss::annotation::{Annotation, AnnotationStore};
use newsgloss::article::Article;
use server::{Route, Server};

use crate::support::{Workspace, stdout_of};

/// A workspace with a config naming `feeds` and short timeouts.
fn workspace(feeds: &[(&str, String)]) -> Workspace {
    let ws = Workspace::new();
    let mut config = String::from(
        "[ingest]\ntimeout_ms = 1500\nretries = 1\nbackoff_ms = 10\nmax_bytes = 1048576\n",
    );
    for (name, url) in feeds {
        config.push_str(&format!("\n[[feeds]]\nname = {name:?}\nurl = {url:?}\n"));
    }
    std::fs::write(ws.root.path().join("config.toml"), config).unwrap();
    ws
}

fn cmd(ws: &Workspace) -> assert_cmd::Command {
    let mut cmd = ws.cmd();
    cmd.arg("--config")
        .arg(ws.root.path().join("config.toml"))
        .arg("--annotations")
        .arg(annotations(ws));
    cmd
}

fn annotations(ws: &Workspace) -> PathBuf {
    ws.root.path().join("annotations")
}

/// The article files under the content dir (hidden ones, the state and versions, left out).
fn articles(ws: &Workspace) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.content())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

const LEAD: &str =
    "Alibaba Group said it would not spin off its cloud unit, citing US chip restrictions.";
const SECOND: &str = "The company had announced the plan in March as part of its reorganisation.";

fn news_server() -> Server {
    let server = Server::start();
    let base = server.url("");
    server.serve(
        "/feed.xml",
        "application/rss+xml",
        fixtures::rss2(&base, LEAD, SECOND),
    );
    server.serve(
        "/story-b.html",
        "text/html; charset=utf-8",
        fixtures::page("Chips and the cloud", fixtures::CHIPS),
    );
    server
}

#[test]
fn fetch_then_nothing_new_then_a_changed_story_reanchors_its_annotations() {
    let server = news_server();
    let ws = workspace(&[("Loopback News", server.url("/feed.xml"))]);

    let first = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        first.contains("fetched 1 feed: 2 new, 0 updated, 0 unchanged"),
        "{first}"
    );
    assert_eq!(
        articles(&ws),
        [
            "alibaba-cloud-calls-off-its-spin-off.md",
            "chips-and-the-cloud.md"
        ]
    );
    let story = ws.content().join("alibaba-cloud-calls-off-its-spin-off.md");
    let text = read(&story);
    for expected in [
        "source = \"Loopback News\"",
        "author = \"Yong Yi\"",
        "published = 2023-11-16T02:00:00Z",
        LEAD,
    ] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    assert!(
        !text.contains("javascript") && !text.contains("tracking"),
        "{text}"
    );
    let page = read(&ws.content().join("chips-and-the-cloud.md"));
    assert!(
        page.contains("US export restrictions") && !page.contains("tracking"),
        "{page}"
    );
    let hits = stdout_of(cmd(&ws).args(["search", "accelerators"]));
    assert!(hits.contains("chips-and-the-cloud"), "{hits}");
    server.take_log();

    let second = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        second.contains("0 new, 0 updated, 0 unchanged (1 not modified)"),
        "{second}"
    );
    assert!(server.take_log().iter().all(|(_, status)| *status == 304));

    let id = "alibaba-cloud-calls-off-its-spin-off";
    let (moves, goes) = annotate(&ws, id, "announced the plan in March", "would not spin off");
    let base = server.url("");
    let lead = "Update: Alibaba Group has shelved the listing of its cloud unit, citing US chip restrictions.";
    server.serve(
        "/feed.xml",
        "application/rss+xml",
        fixtures::rss2(&base, lead, SECOND),
    );
    let third = stdout_of(cmd(&ws).arg("fetch"));
    assert!(third.contains("0 new, 1 updated, 1 unchanged"), "{third}");
    assert!(
        third.contains(&format!("updated  {id}: 1 annotation moved, 1 orphaned")),
        "{third}"
    );
    assert!(
        third.contains(&format!("orphan {goes}: \"would not spin off\"")),
        "{third}"
    );
    let store = AnnotationStore::new(annotations(&ws));
    let now_text = Article::load(id, &story, 1 << 20).unwrap().0.text;
    let file = store.anchored(id, &now_text).unwrap().file;
    let moved = file.get(moves).unwrap();
    assert!(
        !moved.orphaned
            && now_text
                .chars()
                .skip(moved.start)
                .take(moved.end - moved.start)
                .collect::<String>()
                == moved.quote
    );
    assert!(file.get(goes).unwrap().orphaned);
    let versions = ws.content().join(".newsgloss/versions").join(id);
    let kept: Vec<PathBuf> = std::fs::read_dir(&versions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        read(&kept[0]).contains(LEAD),
        "the previous version is kept as it was"
    );
    assert!(read(&story).contains("shelved the listing"));
}

/// Two annotations on `id`: returns their ids.
fn annotate(
    ws: &Workspace,
    id: &str,
    first: &str,
    second: &str,
) -> (
    newsgloss::annotation::AnnotationId,
    newsgloss::annotation::AnnotationId,
) {
    let path = ws.content().join(format!("{id}.md"));
    let text = Article::load(id, &path, 1 << 20).unwrap().0.text;
    let store = AnnotationStore::new(annotations(ws));
    let now = time::OffsetDateTime::now_utc();
    let mut ids = Vec::new();
    for quote in [first, second] {
        let start = text[..text.find(quote).unwrap()].chars().count();
        let annotation = Annotation::new(
            id,
            &text,
            start,
            start + quote.chars().count(),
            vec!["spin-off".into()],
            None,
            now,
        );
        ids.push(annotation.id);
        store.add(annotation).unwrap();
    }
    (ids[0], ids[1])
}

#[test]
fn a_hand_edited_file_is_kept_with_the_fetched_version_beside_it() {
    let server = news_server();
    let ws = workspace(&[("Loopback News", server.url("/feed.xml"))]);
    stdout_of(cmd(&ws).arg("fetch"));
    let story = ws.content().join("alibaba-cloud-calls-off-its-spin-off.md");
    let edited = read(&story).replace("would not spin off", "would NOT spin off (my note)");
    std::fs::write(&story, &edited).unwrap();
    server.serve(
        "/feed.xml",
        "application/rss+xml",
        fixtures::rss2(&server.url(""), "A new lead.", SECOND),
    );
    let out = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        out.contains("kept     alibaba-cloud-calls-off-its-spin-off: edited by hand"),
        "{out}"
    );
    assert_eq!(read(&story), edited);
    let versions = ws
        .content()
        .join(".newsgloss/versions/alibaba-cloud-calls-off-its-spin-off");
    let fetched: Vec<PathBuf> = std::fs::read_dir(versions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(
        fetched[0].to_string_lossy().ends_with(".fetched.md")
            && read(&fetched[0]).contains("A new lead.")
    );
}

#[test]
fn add_pages_feeds_and_files_and_the_same_story_twice_is_one_article() {
    let server = news_server();
    let base = server.url("");
    server.serve("/rdf.xml", "application/rdf+xml", fixtures::rdf(&base));
    server.serve("/atom.xml", "application/atom+xml", fixtures::atom(&base));
    let ws = workspace(&[]);
    let notes = ws.root.path().join("my_notes.md");
    std::fs::write(&notes, "# Notes on *chips*\n\nSome thoughts.\n").unwrap();
    let text = ws.root.path().join("memo.txt");
    std::fs::write(&text, "A memo\n\nPlain *text* body.\n").unwrap();
    let local_page = ws.root.path().join("saved.html");
    std::fs::write(&local_page, fixtures::page("Saved page", fixtures::CHIPS)).unwrap();
    let page = server.url("/story-b.html");
    let args = [
        &server.url("/rdf.xml"),
        &server.url("/atom.xml"),
        &page,
        &page,
    ];
    let out = stdout_of(
        cmd(&ws)
            .arg("add")
            .args(args)
            .arg(&notes)
            .arg(&text)
            .arg(&local_page),
    );
    assert!(
        out.contains("added 7 sources: 6 new, 0 updated, 1 unchanged (1 not modified), 0 failed"),
        "{out}"
    );
    assert_eq!(
        articles(&ws),
        [
            "a-memo.md",
            "chips-and-the-cloud.md",
            "copilot-loses-money.md",
            "notes-on-chips.md",
            "outage-in-hong-kong.md",
            "saved-page.md"
        ]
    );
    let chips = read(&ws.content().join("chips-and-the-cloud.md"));
    for expected in [
        "author = \"Zhang Wei\"",
        "source = \"Loopback Site\"",
        "language = \"en\"",
        "published = 2023-11-20T08:00:00Z",
    ] {
        assert!(chips.contains(expected), "{expected} missing from\n{chips}");
    }
    assert!(read(&ws.content().join("a-memo.md")).contains("Plain \\*text\\* body."));
    assert!(read(&ws.content().join("outage-in-hong-kong.md")).contains("source = \"RDF Wire\""));
    let again = stdout_of(cmd(&ws).arg("add").arg(&page));
    assert!(
        again.contains("0 new, 0 updated, 1 unchanged (1 not modified)"),
        "{again}"
    );
}

#[test]
fn hostile_sources_fail_one_line_each_and_the_others_are_added() {
    let server = news_server();
    server.serve("/not-xml", "application/rss+xml", "this is not XML at all");
    server.serve(
        "/empty.html",
        "text/html",
        "<html><body><nav><a href=\"/\">Home</a></nav></body></html>",
    );
    server.route("/huge", Route::Huge(50 * 1024 * 1024));
    server.route("/hang", Route::Hang);
    let latin1 = fixtures::page("Caf\u{e9} society", fixtures::CHIPS).replace('\u{e9}', "\u{fffd}");
    let mut bytes = latin1.into_bytes();
    let at = bytes
        .windows(3)
        .position(|w| w == "\u{fffd}".as_bytes())
        .unwrap();
    bytes.splice(at..at + 3, [0xe9]);
    server.serve(
        "/latin1.html",
        "text/html; charset=ISO-8859-1",
        bytes.clone(),
    );
    server.serve("/bad-utf8.html", "text/html; charset=utf-8", bytes);
    server.serve("/hostile.html", "text/html", fixtures::hostile_page());
    let ws = workspace(&[]);
    let paths = [
        "/not-xml",
        "/empty.html",
        "/huge",
        "/hang",
        "/bad-utf8.html",
        "/missing",
        "/latin1.html",
        "/hostile.html",
    ];
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    // The hanging page is cut by `timeout_ms` ("timed out" below), not waited for.
    let output = cmd(&ws)
        .arg("add")
        .args(&urls)
        .arg(ws.root.path().join("nowhere.md"))
        .output()
        .unwrap();
    // A path with nothing there is not a source: bad input, after the others were added.
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let failed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("failed: "))
        .collect();
    assert_eq!(failed.len(), 7, "{stderr}");
    for (line, why) in failed.iter().zip([
        "not a feed",
        "no article found",
        "over the size cap",
        "timed out",
        "not valid UTF-8",
        "404",
        "nowhere.md: cannot read it",
    ]) {
        assert!(line.contains(why), "{why} not in {line}");
    }
    assert!(stdout.contains("added 9 sources: 2 new"), "{stdout}");
    assert_eq!(
        articles(&ws),
        ["café-society.md", "red-alert-script-x-script-title.md"]
    );
    let hostile = read(&ws.content().join("red-alert-script-x-script-title.md"));
    assert!(
        !hostile.contains('\u{1b}') && !hostile.contains('\u{7}'),
        "{hostile:?}"
    );
    assert!(
        !hostile.contains("alert(")
            && !hostile.contains("javascript")
            && !hostile.contains("tracking"),
        "{hostile}"
    );
    assert!(
        hostile.contains("title = \"Red alert <script>x</script> title\""),
        "{hostile}"
    );
    assert!(hostile.contains("(<https://example.org/ok>)"), "{hostile}");
}

#[test]
fn bad_command_input_exits_2() {
    let ws = workspace(&[]);
    let out = cmd(&ws)
        .args(["add", "ftp://example.com/feed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only http and https"));
    let none = cmd(&ws).arg("fetch").output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no feeds to fetch"));
}

#[test]
fn redirects_are_followed_but_bounded() {
    let server = news_server();
    server.route("/moved", Route::Redirect(server.url("/story-b.html")));
    server.route("/loop", Route::Redirect("/loop".into()));
    let ws = workspace(&[]);
    let output = cmd(&ws)
        .arg("add")
        .args([server.url("/moved"), server.url("/loop")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("new      chips-and-the-cloud"), "{stdout}");
    assert!(stderr.contains("/loop: more than 5 redirects"), "{stderr}");
    let page = read(&ws.content().join("chips-and-the-cloud.md"));
    assert!(
        page.contains(&format!("url = \"{}\"", server.url("/story-b.html"))),
        "{page}"
    );
}

#[test]
fn an_entry_whose_page_has_no_article_is_kept_as_a_summary_until_the_page_comes() {
    let server = news_server();
    server.serve(
        "/story-b.html",
        "text/html",
        "<html><body><nav>Home</nav></body></html>",
    );
    let ws = workspace(&[("Loopback News", server.url("/feed.xml"))]);
    let first = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        first.contains("2 new, 0 updated, 0 unchanged, 1 kept as a summary"),
        "{first}"
    );
    assert!(
        first.contains(
            "summary only, the page is tried again later: the entry's page: no article found"
        ),
        "{first}"
    );
    let story = ws.content().join("chips-and-the-cloud.md");
    let summary = read(&story);
    assert!(
        summary.contains("summary_only = true") && summary.contains("A short teaser only."),
        "{summary}"
    );
    server.serve(
        "/story-b.html",
        "text/html",
        fixtures::page("Chips and the cloud", fixtures::CHIPS),
    );
    // The feed is not modified; the summary's page is tried again all the same.
    let second = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        second.contains("0 new, 1 updated, 0 unchanged (1 not modified), 0 failed"),
        "{second}"
    );
    let full = read(&story);
    assert!(
        !full.contains("summary_only") && full.contains("US export restrictions"),
        "{full}"
    );
    let versions = ws.content().join(".newsgloss/versions/chips-and-the-cloud");
    let kept: Vec<PathBuf> = std::fs::read_dir(versions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(read(&kept[0]), summary, "the summary is kept as a version");
}

#[test]
fn a_passing_failure_is_retried_after_a_backoff() {
    let server = news_server();
    let page = fixtures::page("Chips and the cloud", fixtures::CHIPS);
    let ok = Route::Ok {
        body: page.into_bytes(),
        content_type: "text/html".into(),
    };
    server.route("/flaky.html", Route::Flaky(1, Box::new(ok)));
    server.route("/down.html", Route::Unavailable);
    let ws = workspace(&[]);
    let output = cmd(&ws)
        .arg("add")
        .args([server.url("/flaky.html"), server.url("/down.html")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 new"));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("/down.html: the server answered 503")
    );
    let log = server.take_log();
    let statuses = |path: &str| -> Vec<u16> {
        log.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, s)| *s)
            .collect()
    };
    assert_eq!(statuses("/flaky.html"), [503, 200]);
    assert_eq!(
        statuses("/down.html"),
        [503, 503],
        "one retry, as configured"
    );
}
