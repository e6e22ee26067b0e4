use super::*;

fn feed(name: &str, url: &str, tags: &[&str]) -> ImportedFeed {
    ImportedFeed {
        name: name.into(),
        url: url.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn read(name: &str) -> (Vec<ImportedFeed>, Vec<String>) {
    let path = format!("{}/src/feeds/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let (feeds, skipped) = read_opml(&std::fs::read_to_string(path).unwrap()).unwrap();
    (feeds, skipped.iter().map(ToString::to_string).collect())
}

#[test]
fn a_newsboat_export_opml_1_0_without_text_attributes() {
    let (feeds, skipped) = read("newsboat.opml");
    assert_eq!(
        feeds,
        [
            feed("Rust Blog", "https://blog.rust-lang.org/feed.xml", &[]),
            feed("LWN.net", "https://lwn.net/headlines/rss", &[]),
            // Never fetched by newsboat: no title, so the URL names it.
            feed(
                "https://www.theverge.com/rss/index.xml",
                "https://www.theverge.com/rss/index.xml",
                &[]
            ),
        ]
    );
    assert!(skipped.is_empty());
}

#[test]
fn folders_become_tags_and_a_feed_in_two_folders_is_one_feed() {
    let (feeds, _) = read("feedly.opml");
    assert_eq!(
        feeds,
        [
            feed(
                "Ars Technica",
                "https://feeds.arstechnica.com/arstechnica/index",
                &["tech"]
            ),
            feed(
                "The Verge - All Posts",
                "https://www.theverge.com/rss/index.xml",
                &["tech", "china-business"]
            ),
            feed("KrASIA", "https://kr-asia.com/feed", &["china-business"]),
        ]
    );
    let (feeds, _) = read("inoreader.opml");
    let names: Vec<(&str, &[String])> = feeds
        .iter()
        .map(|f| (f.name.as_str(), f.tags.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("cs.CL updates on arXiv.org", &["science".to_owned()][..]),
            ("Nature", &["science".to_owned()][..]),
            ("The Changelog", &["podcasts".to_owned()][..]),
        ]
    );
}

#[test]
fn nested_folders_categories_url_and_outlines_that_cannot_be_fetched() {
    let (feeds, skipped) = read("mixed.opml");
    assert_eq!(
        feeds,
        [
            feed(
                "KrASIA English",
                "https://KR-ASIA.com/feed/",
                &["news", "asia-pacific", "china", "tech", "reading-list"]
            ),
            feed(
                "36Kr 中文",
                "https://36kr.com/feed",
                &["news", "asia-pacific"]
            ),
            feed(
                "Spoofgnp.exe",
                "https://example.com/spoof.xml",
                &["security"]
            ),
        ]
    );
    assert_eq!(
        skipped,
        [
            "skipped \"Usenet\" (nntp://news.example.org/comp.lang.rust): only http and https feeds \
             can be fetched, not nntp:",
            "skipped \"Archive\" (ftp://ftp.example.org/pub/feed.xml): only http and https feeds can \
             be fetched, not ftp:",
            "skipped \"A note with no feed\": it has no feed URL (no xmlUrl or url)",
            "skipped \"Relative\" (feeds/local.xml): its URL is not an absolute http or https URL",
        ]
    );
}

#[test]
fn malformed_opml_says_where() {
    let err = |text: &str| read_opml(text).unwrap_err().to_string();
    let cases = [
        (
            "<opml version=\"2.0\"><body>\n  <outline text=\"a\">\n</body></opml>",
            "3:1: not well-formed XML",
        ),
        (
            "<opml version=\"2.0\"><body>\n<outline text=\"a\" xmlUrl=\"x\n",
            "2:1: not well-formed XML",
        ),
        (
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
            "2:1: not an OPML document: it starts with <rss>",
        ),
        (
            "<opml version=\"3.0\"><body><outline text=\"a\"/></body></opml>",
            "1:7: OPML version \"3.0\" is not one of",
        ),
        (
            "<opml version=\"2.0\">\n<head/>\n<body></body></opml>",
            "3:1: the OPML body has no outlines",
        ),
        (
            "<opml version=\"2.0\"><body><outline text=\"a\"/></body>",
            "the file ends before <opml> is closed",
        ),
        ("", "1:1: the file is empty"),
    ];
    for (text, expected) in cases {
        let message = err(text);
        assert!(message.contains(expected), "{text:?}: {message}");
    }
}

#[test]
fn export_then_import_gives_the_same_feeds() {
    let defs = [
        FeedDef {
            name: "KrASIA".into(),
            url: "https://kr-asia.com/feed".into(),
            language: Some("en".into()),
            tags: vec!["china".into(), "tech-news".into()],
        },
        FeedDef {
            name: "Ars & <Technica> \"quoted\"".into(),
            url: "https://feeds.arstechnica.com/arstechnica/index?a=1&b=2".into(),
            language: None,
            tags: vec![],
        },
    ];
    let xml = write_opml(&defs);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(xml.contains("category=\"china,tech-news\""), "{xml}");
    let (feeds, skipped) = read_opml(&xml).unwrap();
    assert!(skipped.is_empty());
    let back: Vec<(String, String, Vec<String>)> =
        feeds.into_iter().map(|f| (f.name, f.url, f.tags)).collect();
    let expected: Vec<(String, String, Vec<String>)> = defs
        .iter()
        .map(|d| (d.name.clone(), d.url.clone(), d.tags.clone()))
        .collect();
    assert_eq!(back, expected);
}

const CONFIG: &str = "# My newsgloss config.\n\n[paths]\n# where articles go\ncontent = \"news\"\n\n\
    [[feeds]]\nname = \"KrASIA\"   # the English site\nurl = \"https://kr-asia.com/feed/\"\n\n\
    [ingest]\ntimeout_ms = 5000 # slow sites\n";

#[test]
fn import_edits_the_config_in_place_and_skips_known_feeds() {
    let feeds = vec![
        feed("KrASIA again", "https://KR-ASIA.com/feed#top", &["china"]),
        feed("Nature", "https://www.nature.com/nature.rss", &["science"]),
        feed("LWN", "https://lwn.net/headlines/rss", &[]),
        feed("LWN twice", "https://lwn.net/headlines/rss/", &[]),
    ];
    let (text, imported) = add_to_config(CONFIG, feeds).unwrap();
    assert_eq!(
        imported
            .added
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["Nature", "LWN"]
    );
    assert_eq!(imported.known.len(), 2);
    assert!(
        text.starts_with(CONFIG.split("[ingest]").next().unwrap()),
        "{text}"
    );
    assert!(text.contains("timeout_ms = 5000 # slow sites\n"), "{text}");
    assert!(
        text.contains("name = \"KrASIA\"   # the English site\n"),
        "{text}"
    );
    let config = crate::config::Config::parse(&text, std::path::Path::new("c.toml")).unwrap();
    let names: Vec<&str> = config.feeds.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["KrASIA", "Nature", "LWN"]);
    assert_eq!(config.feeds[1].tags, ["science"]);
    assert_eq!(config.ingest.timeout_ms, 5000);
    // Importing the same again adds nothing and leaves the text as it is.
    let again = vec![feed("Nature", "https://www.nature.com/nature.rss", &[])];
    let (same, imported) = add_to_config(&text, again).unwrap();
    assert_eq!((same, imported.added.len()), (text, 0));
    // An empty config gets the feeds alone.
    let (fresh, _) = add_to_config("", vec![feed("LWN", "https://lwn.net/", &[])]).unwrap();
    assert_eq!(
        fresh,
        "[[feeds]]\nname = \"LWN\"\nurl = \"https://lwn.net/\"\n"
    );
}

#[test]
fn urls_compare_normalised() {
    assert_eq!(
        normalise_url("HTTPS://Example.COM:443/a/./b/#x"),
        "https://example.com/a/b"
    );
    assert_eq!(normalise_url("https://example.com"), "https://example.com/");
    assert_ne!(
        normalise_url("https://example.com/feed?page=1"),
        normalise_url("https://example.com/feed?page=2")
    );
    assert_eq!(tag_of("Asia & Pacific"), Some("asia-pacific".into()));
    assert_eq!(tag_of(" / "), None);
}
