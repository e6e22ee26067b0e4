//! Feeds of the kinds people subscribe to, modelled on real ones (the text is made up): a WordPress blog
//! with whole posts in `content:encoded`, a news site whose items carry a one-sentence teaser (BBC's
//! shape), an Atom feed with `<summary>` only, a preprint server's abstracts (arXiv's shape), a podcast
//! with show notes, and JSON Feeds (the spec's example, a micro.blog timeline, a link blog). Added as
//! files: only the teasers' pages are fetched; the others are their own text.

use super::server::{Route, Server};
use super::{articles, cmd, read, workspace};
use crate::support::stdout_of;

/// Sentences to make paragraphs of.
const SENTENCES: [&str; 6] = [
    "The ministry published the draft rules late on Friday after months of consultation with industry.",
    "Operators will have a year to comply, and smaller firms may apply for a further extension.",
    "Critics said the thresholds were set too high to catch most of the services they worry about.",
    "The regulator expects to hire two hundred staff to enforce the regime once it takes effect.",
    "Several companies declined to comment, citing the ongoing review of their own compliance plans.",
    "A public hearing on the proposals is scheduled for the spring, with written submissions due earlier.",
];

/// A paragraph of `n` sentences starting at sentence `from`.
fn paragraph(from: usize, n: usize) -> String {
    (0..n)
        .map(|i| SENTENCES[(from + i) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn wordpress(base: &str) -> String {
    let body: String = (0..5)
        .map(|i| format!("<p>{}</p>\n", paragraph(i, 2)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Policy Notes</title><link>{base}/</link><description>A blog</description>
<generator>https://wordpress.org/?v=6.4.2</generator>
<item><title>What the draft rules say</title><link>{base}/2024/01/draft-rules/</link>
<dc:creator><![CDATA[Ana Lima]]></dc:creator><pubDate>Mon, 08 Jan 2024 09:30:00 +0000</pubDate>
<guid isPermaLink="false">{base}/?p=4711</guid>
<description><![CDATA[{} [&#8230;]</p>
<p>The post <a href="{base}/2024/01/draft-rules/">What the draft rules say</a> appeared first on <a href="{base}">Policy Notes</a>.</p>]]></description>
<content:encoded><![CDATA[{body}<p>The post <a href="{base}/2024/01/draft-rules/">What the draft rules say</a> appeared first on <a href="{base}">Policy Notes</a>.</p>]]></content:encoded>
</item></channel></rss>"#,
        paragraph(0, 1)
    )
}

/// A news feed of `n` items, each with a one-sentence teaser and a link to its page (`/news/<i>`).
pub fn news(base: &str, n: usize) -> String {
    let items: String = (0..n)
        .map(|i| {
            format!(
                r#"<item><title><![CDATA[Story number {i} of the day]]></title>
<description><![CDATA[{}]]></description>
<link>{base}/news/{i}</link><guid isPermaLink="true">{base}/news/{i}</guid>
<pubDate>Tue, 09 Jan 2024 10:{:02}:00 GMT</pubDate>
<media:thumbnail width="240" height="135" url="{base}/img/{i}.jpg"/></item>
"#,
                SENTENCES[i % SENTENCES.len()],
                i % 60
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title><![CDATA[Wire News - World]]></title><description><![CDATA[Wire News - World]]></description>
<link>{base}/news/world</link><generator>RSS for Node</generator><language><![CDATA[en-gb]]></language>
<ttl>15</ttl>
{items}</channel></rss>"#
    )
}

pub fn atom_summaries(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab Updates</title><id>tag:lab.example,2024:feed</id>
<updated>2024-01-10T12:00:00Z</updated><link rel="self" href="{base}/atom.xml"/>
<entry><title>A faster build</title><id>tag:lab.example,2024:1</id>
<link rel="alternate" type="text/html" href="{base}/posts/faster-build"/>
<updated>2024-01-10T12:00:00Z</updated><author><name>Lab Team</name></author>
<summary type="html">&lt;p&gt;We cut our build times in half. Here is how we did it&amp;hellip;&lt;/p&gt;</summary></entry>
</feed>"#
    )
}

pub fn arxiv(base: &str) -> String {
    let abstract_ = (0..12)
        .map(|i| SENTENCES[i % 6])
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        r#"<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
<channel><title>cs.CY updates on arXiv.org</title><link>{base}/list/cs.CY/new</link>
<description>cs.CY updates on the arXiv.org e-print archive.</description><language>en-us</language>
<item><title>Measuring Compliance with Platform Rules</title><link>{base}/abs/2401.01234</link>
<description>arXiv:2401.01234v1 Announce Type: new 
Abstract: {abstract_}</description>
<guid isPermaLink="false">oai:arXiv.org:2401.01234v1</guid><category>cs.CY</category>
<arxiv:announce_type>new</arxiv:announce_type><dc:creator>A. Author, B. Author</dc:creator></item>
</channel></rss>"#
    )
}

pub fn podcast(base: &str) -> String {
    let notes: String = (0..3)
        .map(|i| format!("<p>{}</p>", paragraph(i * 2, 2)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>The Policy Hour</title><link>{base}/podcast</link><language>en</language>
<itunes:author>Policy Hour</itunes:author>
<item><title>Episode 42: The draft rules</title><link>{base}/podcast/42</link>
<guid isPermaLink="false">ph-42</guid><pubDate>Wed, 10 Jan 2024 05:00:00 +0000</pubDate>
<description><![CDATA[{notes}]]></description>
<enclosure url="{base}/audio/42.mp3" length="51234567" type="audio/mpeg"/><itunes:duration>3512</itunes:duration></item>
<item><title>Episode 41: Listener questions</title><link>{base}/podcast/41</link>
<guid isPermaLink="false">ph-41</guid><description>We answer your questions.</description>
<enclosure url="{base}/audio/41.mp3" length="41234567" type="audio/mpeg"/></item>
</channel></rss>"#
    )
}

/// The JSON Feed 1.1 spec's kind of example: one item with `content_html`, one with `content_text`.
pub fn json_feed(base: &str) -> String {
    let text = (0..3)
        .map(|i| paragraph(i, 2))
        .collect::<Vec<_>>()
        .join("\n\n");
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "My Example Feed",
        "home_page_url": format!("{base}/"),
        "feed_url": format!("{base}/feed.json"),
        "language": "en",
        "items": [
            {"id": "2", "content_html": "<p>Hello, world!</p>", "url": format!("{base}/second-item"),
             "title": "Second item", "date_published": "2024-01-10T10:00:00Z",
             "authors": [{"name": "Jo Writer"}]},
            {"id": "1", "content_text": text, "url": format!("{base}/first-item"),
             "title": "First item"}
        ]
    })
    .to_string()
}

/// A micro.blog timeline (JSON Feed 1.0): short posts without titles, and a summary-only item.
pub fn micro_blog(base: &str) -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1",
        "title": "Jo's microblog",
        "home_page_url": format!("{base}/"),
        "author": {"name": "Jo"},
        "items": [
            {"id": format!("{base}/2024/01/10/note.html"), "url": format!("{base}/2024/01/10/note.html"),
             "content_html": "<p>Reading the draft rules this morning. Longer than I expected.</p>",
             "date_published": "2024-01-10T08:00:00+00:00"},
            {"id": format!("{base}/2024/01/09/essay.html"), "url": format!("{base}/2024/01/09/essay.html"),
             "title": "An essay on rules", "summary": "Some thoughts on the draft rules, in long form."}
        ]
    })
    .to_string()
}

/// A link blog (JSON Feed 1.0): whole posts in `content_html`, the linked article in `external_url`.
pub fn link_blog(base: &str) -> String {
    let html: String = (0..4)
        .map(|i| format!("<p>{}</p>", paragraph(i, 2)))
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1",
        "title": "Linked Notes",
        "home_page_url": format!("{base}/"),
        "items": [
            {"id": format!("{base}/linked/2024/01/10/rules"), "url": format!("{base}/linked/2024/01/10/rules"),
             "external_url": "https://example.org/the-rules",
             "title": "\u{2605} The Rules", "content_html": html,
             "date_published": "2024-01-10T18:00:00-05:00", "author": {"name": "Sam"}}
        ]
    })
    .to_string()
}

#[test]
fn only_the_pages_of_teasers_are_fetched() {
    let server = Server::start();
    let base = server.url("");
    for path in [
        "/news/0",
        "/news/1",
        "/posts/faster-build",
        "/podcast/41",
        "/2024/01/09/essay.html",
    ] {
        let page = super::fixtures::page(&format!("Page {path}"), super::fixtures::CHIPS);
        server.serve(path, "text/html", page);
    }
    let ws = workspace(&[]);
    let files = [
        ("wordpress.xml", wordpress(&base)),
        ("news.rss", news(&base, 2)),
        ("lab.atom", atom_summaries(&base)),
        ("arxiv.xml", arxiv(&base)),
        ("podcast.rss", podcast(&base)),
        ("example.json", json_feed(&base)),
        ("micro.json", micro_blog(&base)),
        ("linked.json", link_blog(&base)),
    ];
    let mut add = cmd(&ws);
    add.arg("add");
    for (name, text) in &files {
        let path = ws.root.path().join(name);
        std::fs::write(&path, text).unwrap();
        add.arg(path);
    }
    let out = stdout_of(&mut add);
    assert!(out.contains("added 8 sources: 12 new"), "{out}");
    assert!(out.contains(", 0 failed"), "{out}");
    assert!(!out.contains("kept as"), "every page came: {out}");
    let mut fetched: Vec<String> = server.take_log().into_iter().map(|(p, _)| p).collect();
    fetched.sort();
    assert_eq!(
        fetched,
        [
            "/2024/01/09/essay.html",
            "/news/0",
            "/news/1",
            "/podcast/41",
            "/posts/faster-build"
        ]
    );
    let all = articles(&ws);
    assert_eq!(all.len(), 12, "{all:?}");
    let post = read(&ws.content().join("what-the-draft-rules-say.md"));
    assert!(
        post.contains("author = \"Ana Lima\"") && post.contains(SENTENCES[4]),
        "{post}"
    );
    let first = read(&ws.content().join("first-item.md"));
    assert!(
        first.contains(&format!("{}\n\n", paragraph(0, 2))),
        "paragraphs kept: {first}"
    );
    let notes = read(&ws.content().join("episode-42-the-draft-rules.md"));
    assert!(notes.contains(SENTENCES[5]), "{notes}");
    let abstract_ = read(
        &ws.content()
            .join("measuring-compliance-with-platform-rules.md"),
    );
    assert!(abstract_.contains("Abstract:"), "{abstract_}");
    let rules = read(&ws.content().join("the-rules.md"));
    assert!(
        rules.contains(&format!("url = \"{base}/linked/2024/01/10/rules\"")),
        "{rules}"
    );
    let story = read(&ws.content().join("story-number-0-of-the-day.md"));
    assert!(story.contains("US export restrictions"), "{story}");
    let note = all
        .iter()
        .find(|n| n.starts_with("reading-the-draft-rules"))
        .unwrap();
    let note = read(&ws.content().join(note));
    assert!(
        note.contains("title = \"Reading the draft rules this morning. Longer than I expected.\""),
        "{note}"
    );
}

#[test]
fn pages_are_fetched_a_few_at_a_time_per_host_and_written_in_the_feed_order() {
    let server = Server::start();
    let base = server.url("");
    for i in 0..8 {
        let page = super::fixtures::page(&format!("Page {i}"), super::fixtures::CHIPS);
        let ok = Route::Ok {
            body: page.into_bytes(),
            content_type: "text/html".into(),
        };
        server.route(&format!("/news/{i}"), Route::Slow(300, Box::new(ok)));
    }
    let ws = workspace(&[]);
    let config = ws.root.path().join("config.toml");
    let mut text = read(&config);
    text = text.replace(
        "[ingest]\n",
        "[ingest]\nconcurrent_pages = 8\nconcurrent_pages_per_host = 2\n",
    );
    std::fs::write(&config, text).unwrap();
    let feed = ws.root.path().join("news.rss");
    std::fs::write(&feed, news(&base, 8)).unwrap();
    let out = stdout_of(cmd(&ws).arg("add").arg(&feed));
    assert!(out.contains("8 new"), "{out}");
    assert_eq!(server.most_at_once(), 2, "two at a time from one host");
    let order: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("new      "))
        .map(|l| l.split("  ").next().unwrap())
        .collect();
    let expected: Vec<String> = (0..8)
        .map(|i| format!("story-number-{i}-of-the-day"))
        .collect();
    assert_eq!(order, expected, "stored in the feed's order");
}
