//! A feed served without validators (no ETag, no Last-Modified: many servers): the same bytes again are
//! not read again; a changed feed reads only the entries that changed, the others left as they are; and
//! what makes an article besides the feed's bytes (the feed's labels in the config, a deleted file)
//! still counts.

use super::server::{Route, Server};
use super::{articles, cmd, read, workspace};
use crate::support::stdout_of;

/// An RSS feed whose items carry whole articles; item `i`'s text is `texts[i]`.
fn feed(base: &str, texts: &[&str]) -> Vec<u8> {
    let items: String = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let body =
                format!("<p>{text}</p><p>{text} Again, in other words.</p><p>{text} Third.</p>");
            format!(
                "<item><title>Story {i}</title><link>{base}/s/{i}</link><guid>{base}/s/{i}</guid>\
                 <pubDate>Tue, 09 Jan 2024 10:0{i}:00 GMT</pubDate>\
                 <description><![CDATA[{body}]]></description></item>\n"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Plain</title><link>{base}/</link>\
         <description>No validators</description>\n{items}</channel></rss>"
    )
    .into_bytes()
}

/// A server with `texts` as the feed `/plain.xml`, its base URL, and a workspace fetching it.
fn served(texts: &[&str]) -> (Server, String, crate::support::Workspace) {
    let server = Server::start();
    let base = server.url("");
    serve(&server, feed(&base, texts));
    let ws = workspace(&[("Plain", server.url("/plain.xml"))]);
    (server, base, ws)
}

fn serve(server: &Server, body: Vec<u8>) {
    let route = Route::Plain {
        body,
        content_type: "application/rss+xml".into(),
    };
    server.route("/plain.xml", route);
}

const TEXTS: [&str; 3] = [
    "The regulator published its draft rules for cloud providers on Friday after a long consultation.",
    "Chip makers said the export restrictions would cut their sales to data centres by a fifth this year.",
    "The assistant costs the company more to run than its subscribers pay for it, the report found.",
];

#[test]
fn the_same_feed_again_is_not_read_again_and_a_changed_one_only_where_it_changed() {
    let (server, base, ws) = served(&TEXTS);

    let first = stdout_of(cmd(&ws).arg("fetch"));
    assert!(first.contains("3 new, 0 updated, 0 unchanged"), "{first}");
    let second = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        second.contains("0 new, 0 updated, 0 unchanged (1 not modified)"),
        "{second}"
    );

    // One entry changed, one added: the other two are unchanged.
    let mut texts = TEXTS.to_vec();
    texts[1] = "Chip makers said the export restrictions would cut their sales by a third.";
    texts.push("A fourth story arrived with the morning's news about the spin-off.");
    serve(&server, feed(&base, &texts));
    let third = stdout_of(cmd(&ws).arg("fetch"));
    assert!(third.contains("1 new, 1 updated, 2 unchanged"), "{third}");
    assert!(read(&ws.content().join("story-1.md")).contains("by a third"));
    let hits = stdout_of(cmd(&ws).args(["search", "morning"]));
    assert!(hits.contains("story-3"), "{hits}");

    // A deleted article comes back, though its entry is the same as before.
    std::fs::remove_file(ws.content().join("story-0.md")).unwrap();
    texts[2] = "The assistant costs more to run than subscribers pay, the report found.";
    serve(&server, feed(&base, &texts));
    let fourth = stdout_of(cmd(&ws).arg("fetch"));
    assert!(fourth.contains("1 new, 1 updated, 2 unchanged"), "{fourth}");
    assert_eq!(
        articles(&ws),
        ["story-0.md", "story-1.md", "story-2.md", "story-3.md"]
    );
}

#[test]
fn a_feed_of_megabytes_unchanged_is_passed_over_and_a_change_anywhere_is_read() {
    // About 3 MB: the body is hashed in pieces of a megabyte as it comes in.
    let long: Vec<String> = (0..120)
        .map(|i| format!("Story {i} of the long feed. ").repeat(1000))
        .collect();
    let mut texts: Vec<&str> = long.iter().map(String::as_str).collect();
    let (server, base, ws) = served(&texts);
    let first = stdout_of(cmd(&ws).arg("fetch"));
    assert!(first.contains("120 new, 0 updated, 0 unchanged"), "{first}");
    server.take_log();
    let second = stdout_of(cmd(&ws).arg("fetch"));
    assert!(second.contains("(1 not modified)"), "{second}");
    assert_eq!(server.take_log().len(), 1, "one request, nothing kept");

    // A change in the last megabyte: the pieces before it were let go, so the feed is asked again.
    let last = "The last story changed its words. ".repeat(100);
    texts[119] = &last;
    serve(&server, feed(&base, &texts));
    let third = stdout_of(cmd(&ws).arg("fetch"));
    assert!(third.contains("0 new, 1 updated, 119 unchanged"), "{third}");
    assert_eq!(server.take_log().len(), 2, "asked again to be read whole");
    assert!(read(&ws.content().join("story-119.md")).contains("changed its words"));
    // A change in the first: read whole at once.
    let first_changed = "The first story changed its words. ".repeat(100);
    texts[0] = &first_changed;
    serve(&server, feed(&base, &texts));
    let fourth = stdout_of(cmd(&ws).arg("fetch"));
    assert!(
        fourth.contains("0 new, 1 updated, 119 unchanged"),
        "{fourth}"
    );
    assert_eq!(server.take_log().len(), 1);
    let fifth = stdout_of(cmd(&ws).arg("fetch"));
    assert!(fifth.contains("(1 not modified)"), "{fifth}");
}

#[test]
fn an_unchanged_fetch_writes_only_the_small_copy_and_every_command_sees_its_time() {
    let (server, base, ws) = served(&TEXTS);
    stdout_of(cmd(&ws).arg("fetch"));
    let dir = ws.content().join(".newsgloss");
    let stamp = |name: &str| {
        let meta = std::fs::metadata(dir.join(name)).unwrap();
        (meta.len(), meta.modified().unwrap())
    };
    let state = stamp("ingest.json");
    let listed = stdout_of(cmd(&ws).args(["feeds", "list"]));
    assert!(listed.contains(" ok"), "{listed}");

    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = stdout_of(cmd(&ws).arg("fetch"));
    assert!(again.contains("(1 not modified)"), "{again}");
    assert_eq!(stamp("ingest.json"), state, "the whole state is left alone");
    let listed = stdout_of(cmd(&ws).args(["feeds", "list"]));
    assert!(listed.contains("not modified"), "{listed}");

    // The state file replaced (the same bytes, another file): the copy is not trusted, the state is
    // read whole and written again.
    let bytes = std::fs::read(dir.join("ingest.json")).unwrap();
    std::fs::remove_file(dir.join("ingest.json")).unwrap();
    std::fs::write(dir.join("ingest.json"), &bytes).unwrap();
    let replaced = stamp("ingest.json");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = stdout_of(cmd(&ws).arg("fetch"));
    assert!(again.contains("(1 not modified)"), "{again}");
    assert_ne!(stamp("ingest.json"), replaced);
    // A damaged copy is only passed over; a changed feed reads the whole state and stores its entry.
    std::fs::write(dir.join("fetched.json"), "{ not json").unwrap();
    let mut texts = TEXTS.to_vec();
    texts.push("A fourth story arrived with the morning's news about the spin-off.");
    serve(&server, feed(&base, &texts));
    let fourth = stdout_of(cmd(&ws).arg("fetch"));
    assert!(fourth.contains("1 new, 0 updated, 3 unchanged"), "{fourth}");
    let fifth = stdout_of(cmd(&ws).arg("fetch"));
    assert!(fifth.contains("(1 not modified)"), "{fifth}");
    assert_eq!(articles(&ws).len(), 4);
}

#[test]
fn new_labels_in_the_config_read_the_same_feed_again() {
    let (_server, _, ws) = served(&TEXTS);
    let first = stdout_of(cmd(&ws).arg("fetch"));
    assert!(first.contains("3 new"), "{first}");

    let config = ws.root.path().join("config.toml");
    let text = read(&config).replace(
        "name = \"Plain\"\n",
        "name = \"Plain\"\ntags = [\"cloud\"]\n",
    );
    std::fs::write(&config, text).unwrap();
    let again = stdout_of(cmd(&ws).arg("fetch"));
    assert!(again.contains("0 new, 3 updated, 0 unchanged"), "{again}");
    assert!(read(&ws.content().join("story-0.md")).contains("\"cloud\""));
}

/// The `fetch` of `ws` as a plain process, to be killed.
fn fetch_process(ws: &crate::support::Workspace) -> std::process::Command {
    let mut cmd = ws.process();
    cmd.arg("--config")
        .arg(ws.root.path().join("config.toml"))
        .arg("--annotations")
        .arg(super::annotations(ws))
        .arg("fetch")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

#[test]
fn a_fetch_killed_anywhere_leaves_whole_files_and_the_next_one_writes_every_article() {
    const ITEMS: usize = 120;
    let texts: Vec<String> = (0..ITEMS)
        .map(|i| format!("{} Item {i}.", TEXTS[i % TEXTS.len()]))
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (_server, _, ws) = served(&texts);

    let started = std::time::Instant::now();
    let status = fetch_process(&ws).status().unwrap();
    assert!(status.success());
    let whole = started.elapsed();
    let mut seed = 0x5eed_u64;
    for round in 0..12 {
        // A fresh import each round, killed somewhere within the time a whole one takes.
        for name in articles(&ws) {
            std::fs::remove_file(ws.content().join(name)).unwrap();
        }
        std::fs::remove_dir_all(ws.content().join(".newsgloss")).unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = whole.mul_f64((seed >> 11) as f64 / (1u64 << 53) as f64);
        let mut child = fetch_process(&ws).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        for name in articles(&ws) {
            let text = read(&ws.content().join(&name));
            assert!(
                text.starts_with("+++") && text.ends_with('\n'),
                "round {round}: {name} is a part: {text:?}"
            );
        }
        // The next fetch, not killed, writes every article once, and no temp file is left.
        let again = stdout_of(cmd(&ws).arg("fetch"));
        assert!(again.contains("0 failed"), "round {round}: {again}");
        assert_eq!(articles(&ws).len(), ITEMS, "round {round}: {again}");
        let temps: Vec<_> = std::fs::read_dir(ws.content())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
            .collect();
        assert!(temps.is_empty(), "round {round}: {temps:?}");
    }
}
